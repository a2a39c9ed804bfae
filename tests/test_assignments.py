"""Every assignment of the course passes `darktrail check` with real nbgrader runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from darktrail.course.build import write_source
from darktrail.course.check import (
    BLANK,
    SOLUTION,
    check_exercise,
    mutate,
    sample_locker,
    student_id,
)
from darktrail.course.engine import Course, find_project
from darktrail.course.source import find_exercises

PROJECT = find_project(__file__)
EXERCISES = find_exercises(PROJECT.exercises)


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    """The course QA's 40 sample trainees, issued once per test process."""
    return sample_locker(tmp_path_factory.mktemp("qa-locker"), 40)


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_assignment_grades_right(exercise, sample):
    """Solution full, blank none, mutants lose their targets, variants keep every point,
    answers differ between trainees, no leaks (a covering few of the mutants, every targeted
    cell; every variant, packed several to a notebook; `make check`, which CI runs too,
    grades each one alone)."""
    result = check_exercise(exercise, PROJECT.grading, sample, quick=True)
    assert result.problems == []
    assert result.solution_score == result.max_score > 0
    assert result.blank_score == 0
    assert len(result.diversity) == len(exercise.autograded_cells)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_every_graded_cell_has_a_mutant(exercise):
    """At least 8 mutants, and every autograded cell is the target of one of them."""
    assert len(exercise.mutants) >= 8
    targeted = {t for m in exercise.mutants for t in m.targets}
    assert {c.grade_id for c in exercise.autograded_cells} <= targeted


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_every_check_cell_is_judged(exercise):
    """Every check cell hands its answer to the judge; no hidden test decides in the kernel."""
    assert exercise.answers is not None
    for cell in exercise.autograded_cells:
        assert "BEGIN HIDDEN TESTS" not in cell.source, cell.grade_id
        assert "hand_in" in cell.source, cell.grade_id


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_assignment_has_objectives_time_and_key_points(exercise):
    """Each assignment opens with objectives and time and closes with key points."""
    first, last = exercise.cells[0].source, exercise.cells[-1].source
    assert "**Time:**" in first and "**Objectives.**" in first
    assert last.startswith("## Key points")


@pytest.mark.slow
def test_plain_nbgrader_gives_the_same_verdicts(tmp_path):
    """`nbgrader autograde` run by hand in a scratch course scores the solution, the blank,
    every mutant and every variant of 00-orientation exactly as `darktrail check` does."""
    [exercise] = find_exercises(PROJECT.exercises, ["00-orientation"])
    checked = check_exercise(exercise, PROJECT.grading)
    course = Course(tmp_path, config_from=PROJECT.grading)
    solution = nbformat.read(write_source(exercise, course), as_version=4)
    course.generate(exercise.slug)
    release = course.folder("release", exercise.slug)
    submissions = {SOLUTION: solution, BLANK: nbformat.read(release / f"{exercise.slug}.ipynb", 4)}
    for kind, alternatives in (("mutant", exercise.mutants), ("variant", exercise.variants)):
        for alternative in alternatives:
            submissions[student_id(kind, alternatives, alternative)] = mutate(solution, alternative)
    for student, notebook in submissions.items():
        folder = course.folder("submitted", exercise.slug, student)
        shutil.copytree(release, folder)
        nbformat.write(notebook, folder / f"{exercise.slug}.ipynb")
    # The config of a scratch course made like darktrail check's, then nbgrader's own command.
    config = (PROJECT.grading / "nbgrader_config.py").read_text()
    (tmp_path / "nbgrader_config.py").write_text(
        config
        + f"\nc.CourseDirectory.root = {str(tmp_path)!r}\nc.Locker.root = {str(tmp_path / 'locker')!r}"
        + f"\nc.Sandbox.course_root = {str(tmp_path)!r}\n"
        + f"c.Casework.exercises = {str(PROJECT.exercises)!r}\n"
        + f"c.Sandbox.exercises = {str(PROJECT.exercises)!r}\n"
    )
    nbgrader = Path(sys.executable).parent / "nbgrader"
    subprocess.run(
        [str(nbgrader), "autograde", exercise.slug, "--create"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    autograded = {c.grade_id: c.points for c in exercise.autograded_cells}

    def total(student):
        scores = course.scores(exercise.slug, student)
        return sum(scores.get(g, (0, 0))[0] for g in autograded)

    assert total(SOLUTION) == checked.solution_score
    assert total(BLANK) == checked.blank_score
    for mutant, report in zip(exercise.mutants, checked.mutants, strict=True):
        assert total(student_id("mutant", exercise.mutants, mutant)) == report["score"], mutant.name
    for variant, report in zip(exercise.variants, checked.variants, strict=True):
        assert total(student_id("variant", exercise.variants, variant)) == report["score"]
