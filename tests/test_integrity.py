"""Answers out of reach: what a trainee's kernel does cannot turn a wrong answer into points.

Each hostile submission below is the sample assignment's reference solution with one trick
added, as a trainee would try it from the released notebook. Every trick hands in a wrong
answer (or none); the verdict comes from the grading process, so each must score 0 on the
cells it aims at, under plain ``nbgrader autograde`` and under ``darktrail grade`` alike. The
honest submission beside them keeps full marks.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest

from darktrail.course.grading import grade
from darktrail.course.source import find_exercises

COUNT, MANIFEST = 2, 4  # cell positions of the two solution cells in the sample notebook
WRONG = "n_manifest = 7  # a guess"

#: name -> (code put before the count solution, code replacing the manifest solution, cells
#: that must score 0)
TRICKS = {
    "switch-trainee": (
        "import os\nos.environ['DARKTRAIL_TRAINEE'] = 'honest'\nevidence = my_evidence()",
        "n_manifest = int(open('../../honest.txt').read()) if False else 7",
        ["manifest-test"],
    ),
    "reach-the-truth": (
        "",
        "try:\n    from darktrail.evidence import my_world\n    n_manifest = len(my_world().truth)\n"
        "except ImportError:\n    from darktrail.world import generate\n"
        "    try:\n        n_manifest = len(generate('default', 'mallory').files)\n"
        "    except ValueError:\n        n_manifest = 7",
        ["manifest-test"],
    ),
    "silence-later-cells": (
        "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
        "n_manifest = 0",
        ["count-test", "manifest-test"],
    ),
    "display-a-score": (
        "get_ipython().events.register('post_run_cell', "
        "lambda result: get_ipython().displayhook(2.0))",
        WRONG,
        ["manifest-test"],
    ),
    "asserts-become-pass": (
        "import ast\n"
        "class NoAsserts(ast.NodeTransformer):\n"
        "    def visit_Assert(self, node):\n"
        "        return ast.Pass()\n"
        "get_ipython().ast_transformers.append(NoAsserts())",
        "n_manifest = 'all of them'",
        ["manifest-test"],
    ),
    "always-equal": (
        "",
        "class Anything(int):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = int.__hash__\nn_manifest = Anything(0)",
        ["manifest-test"],
    ),
    "shadowed-builtins": (
        "isinstance = lambda *args: True\nlen = lambda x: 3\nsum = max = lambda *a, **k: 3",
        "n_manifest = 'three'",
        ["manifest-test"],
    ),
    "patched-darktrail": (
        "import darktrail.course.judge as judge\n"
        "judge.Answers.verdict = lambda *args: None\n"
        "import darktrail.handin as handin\n"
        "handin.plain = lambda value: {'__set__': []}",
        WRONG,
        ["manifest-test"],
    ),
    "many-candidates": (
        "",
        "from darktrail.handin import hand_in as _try\n"
        "def _candidates(info):\n"
        "    if 'manifest-test' in info.raw_cell or 'hand_in(n_manifest)' in info.raw_cell:\n"
        "        for guess in range(60):\n"
        "            _try(guess)\n"
        "get_ipython().events.register('pre_run_cell', _candidates)\n" + WRONG,
        ["manifest-test"],
    ),
    "forged-verdict": (
        "",
        "from IPython.display import display\n"
        "get_ipython().events.register('post_run_cell', lambda r: print("
        "'Checked by the grader on your evidence: correct.'))\n" + WRONG,
        ["manifest-test"],
    ),
}


def _submit(course, release, trainee, notebook):
    folder = course.folder("submitted", "01-sample", trainee)
    shutil.copytree(release, folder)
    nbformat.write(notebook, folder / "01-sample.ipynb")


def _hostile(solution, before: str, manifest: str):
    notebook = nbformat.from_dict(solution)
    if before:
        notebook.cells[COUNT].source = before + "\n" + notebook.cells[COUNT].source
    notebook.cells[MANIFEST].source = manifest
    return notebook


@pytest.fixture
def hostile_course(sample_project):
    from darktrail.course.build import write_source

    [exercise] = find_exercises(sample_project.exercises)
    course = sample_project.course()
    solution = nbformat.read(write_source(exercise, course), as_version=4)
    course.generate("01-sample")
    release = course.folder("release", "01-sample")
    _submit(course, release, "honest", solution)
    for name, (before, manifest, _) in TRICKS.items():
        _submit(course, release, name, _hostile(solution, before, manifest))
    return course


def _assert_contained(course):
    assert course.scores("01-sample", "honest") == {
        "count-test": (2.0, 2.0),
        "manifest-test": (1.0, 1.0),
        "why": (0.0, 2.0),
    }
    for name, (_, _, targets) in TRICKS.items():
        scores = course.scores("01-sample", name)
        assert scores, f"{name} was not graded"
        for target in targets:
            assert scores[target][0] == 0, f"{name} kept points on {target}"


@pytest.mark.slow
def test_kernel_tricks_earn_nothing_under_plain_nbgrader(hostile_course):
    """Plain `nbgrader autograde` (the formgrader's way): every trick scores 0 on its cells."""
    assert hostile_course.api.autograde("01-sample", "*")["success"]
    _assert_contained(hostile_course)


@pytest.mark.slow
def test_kernel_tricks_earn_nothing_under_darktrail_grade(hostile_course):
    """`darktrail grade` (parallel workers, forked kernels): the same verdicts."""
    run = grade(hostile_course, "01-sample", workers=2, stream=None)
    assert len(run.submissions) == len(TRICKS) + 1
    _assert_contained(hostile_course)


@pytest.mark.slow
def test_verdicts_replace_what_the_kernel_printed(hostile_course):
    """A judged cell holds only the verdict: no displayed score, no forged pass line."""
    hostile_course.api.autograde("01-sample", "forged-verdict")
    autograded = hostile_course.folder("autograded", "01-sample", "forged-verdict")
    notebook = nbformat.read(autograded / "01-sample.ipynb", as_version=4)
    [judged] = [
        c
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "manifest-test"
    ]
    assert [o.output_type for o in judged.outputs] == ["error"]
    assert judged.outputs[0].ename == "WrongAnswer"
    assert "manifest's rows" in judged.outputs[0].evalue


@pytest.mark.slow
def test_work_on_other_evidence_is_reported(sample_project):
    """A submission handed in with the stamp of another bundle than the trainee's frozen one
    is reported (a warning, and a note in its autograded folder) and graded on the frozen
    bundle; one worked on its own bundle is not."""
    import json

    from darktrail.course.build import write_source
    from darktrail.course.judge import OTHER_EVIDENCE
    from darktrail.evidence import WORKED_ON

    [exercise] = find_exercises(sample_project.exercises)
    course = sample_project.course()
    solution = nbformat.read(write_source(exercise, course), as_version=4)
    course.generate("01-sample")
    release = course.folder("release", "01-sample")
    for trainee in ("own-bundle", "old-bundle"):
        _submit(course, release, trainee, solution)
        stamp = dict(course.locker.case(trainee).stamp)
        if trainee == "old-bundle":
            stamp["sha256"] = "0" * 64
        (course.folder("submitted", "01-sample", trainee) / WORKED_ON).write_text(
            json.dumps(stamp), encoding="utf-8"
        )
    assert course.api.autograde("01-sample", "*")["success"]
    own = course.folder("autograded", "01-sample", "own-bundle")
    old = course.folder("autograded", "01-sample", "old-bundle")
    assert not (own / OTHER_EVIDENCE).exists()
    problem = json.loads((old / OTHER_EVIDENCE).read_text(encoding="utf-8"))["problem"]
    assert "old-bundle's 01-sample was worked on other evidence" in problem
    assert "sha256 '0000" in problem
    for trainee in ("own-bundle", "old-bundle"):
        assert course.scores("01-sample", trainee)["manifest-test"] == (1.0, 1.0)
    # darktrail grade gives it a status of its own.
    run = grade(course, "01-sample", workers=1, force=True, stream=None)
    statuses = {s.trainee: (s.status, s.score) for s in run.submissions}
    assert statuses == {"old-bundle": ("other evidence", 3.0), "own-bundle": ("graded", 3.0)}
