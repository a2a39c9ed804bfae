"""darktrail grade: bad submissions get a clear status and the right score; the batch goes on."""

from __future__ import annotations

import nbformat
import pytest

from darktrail.course.cohort import answered, submit_as
from darktrail.course.grading import (
    DUPLICATED,
    FAILED,
    GRADED,
    INVALID,
    MISSING,
    SKIPPED,
    TAMPERED,
    TIMED_OUT,
    grade,
    submission_hash,
)

SAMPLE = "01-sample"


def _cell(notebook, grade_id):
    return next(
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def _bad_submissions(exercise, release):
    """Trainee id -> (notebook, expected status, expected score) for every kind of trouble."""
    solution = answered(release, exercise, "solution")

    def variant(base, change):
        notebook = nbformat.from_dict(base)
        change(notebook)
        return notebook

    def delete(grade_id):
        return lambda nb: nb.cells.remove(_cell(nb, grade_id))

    def duplicate(grade_id):
        def copy_paste(notebook):
            copy = nbformat.from_dict(_cell(notebook, grade_id))
            copy.id = "pasted-copy"  # JupyterLab gives a pasted cell a new id
            notebook.cells.append(copy)

        return copy_paste

    def replace(grade_id, code):
        return lambda nb: setattr(_cell(nb, grade_id), "source", code)

    def append_to(grade_id, code):
        return lambda nb: setattr(_cell(nb, grade_id), "source", _cell(nb, grade_id).source + code)

    return {
        "t-good": (solution, GRADED, 3.0),
        "t-deleted": (variant(solution, delete("count-test")), MISSING, 3.0),
        "t-twice": (variant(solution, duplicate("count-test")), DUPLICATED, 3.0),
        "t-edited": (
            variant(answered(release, exercise, "off-by-one"), replace("count-test", "pass")),
            TAMPERED,
            1.0,
        ),
        "t-loop": (variant(solution, replace("count", "while True:\n    pass")), TIMED_OUT, 1.0),
        "t-exit": (
            variant(solution, replace("count", "import sys\nsys.exit(3)")),
            GRADED,
            1.0,
        ),
        "t-crash": (variant(solution, replace("count", "import os\nos._exit(1)")), FAILED, 0.0),
        "t-chatty": (
            variant(solution, append_to("count", "\nfor i in range(20_000):\n    print(i)")),
            GRADED,
            3.0,
        ),
    }


@pytest.fixture(scope="module")
def graded_batch(tmp_path_factory):
    from conftest import released_sample

    course, exercise, release = released_sample(tmp_path_factory.mktemp("batch"))
    expected = _bad_submissions(exercise, release)
    for trainee, (notebook, _, _) in expected.items():
        submit_as(course, SAMPLE, trainee, notebook)
    submit_as(course, SAMPLE, "t-garbled", release)
    course.collect(SAMPLE)
    garbled = course.folder("submitted", SAMPLE, "t-garbled") / f"{SAMPLE}.ipynb"
    garbled.write_text('{"cells": [', encoding="utf-8")
    expected["t-garbled"] = (None, INVALID, 0.0)
    run = grade(course, SAMPLE, workers=2, timeout=4, stream=None)
    return course, run, expected


def test_every_bad_submission_gets_its_status(graded_batch):
    """Invalid JSON, deleted/duplicated/edited cells, loops, exits and crashes each get a status."""
    _, run, expected = graded_batch
    got = {s.trainee: s.status for s in run.submissions}
    assert got == {trainee: status for trainee, (_, status, _) in expected.items()}


def test_bad_submissions_get_the_right_score(graded_batch):
    """Restored cells, timeouts and crashes score what the trainee's own answers earn."""
    _, run, expected = graded_batch
    got = {s.trainee: s.score for s in run.submissions}
    assert got == {trainee: score for trainee, (_, _, score) in expected.items()}


def test_every_submission_is_in_the_gradebook(graded_batch):
    """No gradebook row is lost: every submission read back has its scores."""
    course, run, _ = graded_batch
    assert all(course.scores(SAMPLE, s.trainee) for s in run.submissions if s.status != INVALID)


def test_regrade_skips_unchanged_and_regrades_changed(graded_batch):
    """A second run skips unchanged submissions and regrades one whose files changed."""
    course, _, _ = graded_batch
    folder = course.folder("submitted", SAMPLE, "t-good")
    before = submission_hash(folder)
    (folder / "timestamp.txt").write_text("2026-11-27 09:00:00.000000 UTC")
    assert submission_hash(folder) != before
    run = grade(course, SAMPLE, workers=1, timeout=4, stream=None)
    regraded = [s.trainee for s in run.submissions if s.status != SKIPPED]
    assert regraded == ["t-good"]
    assert {s.score for s in run.submissions if s.trainee == "t-good"} == {3.0}
