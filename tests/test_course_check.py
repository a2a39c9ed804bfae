"""darktrail check catches what it promises to catch, on a small sample course."""

from __future__ import annotations

import json
import shutil

import nbformat

from darktrail.cli import main
from darktrail.course.build import build_course, find_leaks, write_source
from darktrail.course.check import check_assignments, check_exercise
from darktrail.course.source import find_exercises


def test_sample_course_passes_check(sample_project):
    """Solution full marks, blank zero, the mutant loses its target, no leaks."""
    exercises = find_exercises(sample_project.exercises)
    [result] = check_assignments(sample_project, exercises, sample=12)
    assert result.problems == []
    assert (result.max_score, result.solution_score, result.blank_score) == (3, 3, 0)
    assert result.mutants == [{"name": "off-by-one", "score": 1.0, "kept": []}]
    assert result.dependencies == [
        {"blank": "count", "needed_by": ["count-test"], "lost": ["count-test"]},
        {"blank": "manifest", "needed_by": ["manifest-test"], "lost": ["manifest-test"]},
    ]
    [count, manifest] = result.diversity
    assert count["shared"] == "a fixed list" and manifest["pairs_differing"] >= 0.9


def test_check_fails_a_mutant_the_tests_miss(sample_project):
    """A mutant that the tests cannot tell from the solution is a failure of the assignment."""
    mutants = sample_project.exercises / "01-sample" / "mutants.toml"
    mutants.write_text(
        mutants.read_text()
        + '\n[[mutant]]\nname = "same"\nwhy = "harmless rewrite"\ntargets = ["count-test"]\n'
        '[mutant.cells]\ncount = "n_phones = sum(1 for _ in phones)"\n'
    )
    [result] = check_assignments(sample_project, find_exercises(sample_project.exercises), sample=0)
    assert not result.ok
    assert result.problems == ["mutant same keeps its points on count-test"]


def test_check_fails_a_wrong_needs_declaration(sample_project):
    """A tests cell that names a solution cell it does not depend on, or leaves out one it
    does depend on, fails the check."""
    source = sample_project.exercises / "01-sample" / "01-sample.py"
    text = source.read_text()
    text = text.replace('needs="manifest"', 'needs="count manifest"')
    text = text.replace("hand_in(n_phones)", "hand_in(n_phones + 0 * n_manifest_draft)")
    text = text.replace(
        '# %% role="tests" grade_id="count-test"',
        '# %% role="solution" grade_id="draft"\n### BEGIN SOLUTION\nn_manifest_draft = 0\n### END SOLUTION\n\n# %% role="tests" grade_id="count-test"',
    )
    source.write_text(text)
    [exercise] = find_exercises(sample_project.exercises)
    result = check_exercise(exercise, sample_project.grading)
    assert result.problems == [
        "blank count does not cost manifest-test, whose needs= name it",
        "blank draft costs count-test too, whose needs= do not name it",
    ]
    # Packed, a loss inside another trial's reach is that trial's: the quick check sees a
    # declared dependency that is not there, and an undeclared one only outside every reach.
    quick = check_exercise(exercise, sample_project.grading, quick=True)
    assert "blank count does not cost manifest-test, whose needs= name it" in quick.problems


def test_release_holds_no_solution_or_hidden_test(sample_project):
    """The generated release has no solution line, hidden test or stray file."""
    exercises = find_exercises(sample_project.exercises)
    course = sample_project.course()
    build_course(exercises, course)
    release = course.folder("release", "01-sample")
    assert find_leaks(exercises[0], release) == []
    (release / "answers.csv").write_text("n_phones,3\n")
    notebook = nbformat.read(release / "01-sample.ipynb", as_version=4)
    notebook.cells[2].source = "n_phones = len(phones)"
    nbformat.write(notebook, release / "01-sample.ipynb")
    assert find_leaks(exercises[0], release) == [
        "unexpected file answers.csv",
        "count: 'n_phones = len(phones)'",
    ]


def test_cli_build_refuses_bad_source(sample_project, monkeypatch, capsys):
    """`darktrail build` exits 2 naming file and cell, and writes nothing for nbgrader."""
    source = sample_project.exercises / "01-sample" / "01-sample.py"
    source.write_text(
        source.read_text().replace('grade_id="manifest-test"', 'grade_id="count-test"')
    )
    monkeypatch.chdir(sample_project.root)
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "01-sample.py:" in err and "(count-test): duplicate grade_id" in err
    assert not (sample_project.grading / "source").exists()


def test_cli_check_json(sample_project, monkeypatch, capsys):
    """`darktrail check --json` prints the documented fields for each assignment."""
    monkeypatch.chdir(sample_project.root)
    assert main(["check", "--json", "--sample", "0", "01-sample"]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert {"assignment", "max_score", "solution_score", "blank_score", "mutants", "leaks"} <= set(
        report
    )
    assert report["leaks"] == [] and report["ok"] is True


def test_plain_batch_autograde_judges_each_submission_on_its_own_evidence(sample_project):
    """nbgrader's own batch autograde (as the formgrader or `nbgrader autograde` runs it) judges
    each submission against its own trainee's record: a classmate's executed answers lose."""
    [exercise] = find_exercises(sample_project.exercises)
    course = sample_project.course()
    solution = nbformat.read(write_source(exercise, course), as_version=4)
    course.generate("01-sample")
    ana_rows = course.locker.case("ana").files["seized/manifest.csv"].count(b"\n") - 1
    copied = nbformat.from_dict(solution)
    copied.cells[4].source = f"n_manifest = {ana_rows}  # ana's answer, copied"
    for student, notebook in (("ana", solution), ("bek", solution), ("cem", copied)):
        folder = course.folder("submitted", "01-sample", student)
        shutil.copytree(course.folder("release", "01-sample"), folder)
        nbformat.write(notebook, folder / "01-sample.ipynb")
    assert course.api.autograde("01-sample", "*")["success"]
    for student in ("ana", "bek"):
        assert course.scores("01-sample", student)["manifest-test"] == (1.0, 1.0)
    assert course.scores("01-sample", "cem")["manifest-test"] == (0.0, 1.0)
    assert course.scores("01-sample", "cem")["count-test"] == (2.0, 2.0)
