"""Every assignment of the course passes `darktrail check` with real nbgrader runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from darktrail.course.check import check_exercise, covering, sample_locker
from darktrail.course.engine import find_project
from darktrail.course.source import find_exercises

PROJECT = find_project(__file__)
EXERCISES = find_exercises(PROJECT.exercises)


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    """The course QA's 40 sample trainees, issued once per test process."""
    return sample_locker(tmp_path_factory.mktemp("qa-locker"), 40)


#: Graded with nbgrader's own command (`nbgrader autograde`) instead of its API.
PLAIN = {"04-blockchain-basics"}
#: Graded both ways, and the two checks compared (test_plain_nbgrader_gives_the_same_verdicts).
BOTH = "00-orientation"


def assert_grades_right(result, exercise):
    """Solution full, blank none, every mutant loses its targets, every variant keeps every
    point, each blanked solution cell costs exactly the tests cells that need it, answers
    differ between trainees, no leaks."""
    assert result.problems == []
    assert result.solution_score == result.max_score > 0
    assert result.blank_score == 0
    assert [m["name"] for m in result.mutants] == [m.name for m in covering(exercise.mutants)]
    assert [v["name"] for v in result.variants] == [v.name for v in exercise.variants]
    solutions = [c.grade_id for c in exercise.cells if c.solution_code]
    assert [d["blank"] for d in result.dependencies] == solutions
    assert len(result.diversity) == len(exercise.autograded_cells)


@pytest.mark.slow
@pytest.mark.parametrize(
    "exercise",
    [e for e in EXERCISES if e.slug != BOTH],
    ids=[e.slug for e in EXERCISES if e.slug != BOTH],
)
def test_assignment_grades_right(exercise, sample):
    """A covering few of the mutants (every targeted cell), every variant and every blanked
    solution cell of the assignment, packed several to a notebook where they cannot reach
    each other's tests cells (`darktrail check`, which `make check` runs, grades every mutant,
    each one alone)."""
    result = check_exercise(
        exercise, PROJECT.grading, sample, quick=True, plain=exercise.slug in PLAIN
    )
    assert_grades_right(result, exercise)


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
def test_plain_nbgrader_gives_the_same_verdicts(sample):
    """`nbgrader autograde` run by hand in a scratch course gives 00-orientation's every
    mutant, variant and blanked cell the very scores that `darktrail check` gives them (with
    04-blockchain-basics, graded by that command alone above, two assignments)."""
    [exercise] = find_exercises(PROJECT.exercises, [BOTH])
    by_api = check_exercise(exercise, PROJECT.grading, sample, quick=True)
    by_command = check_exercise(exercise, PROJECT.grading, sample, quick=True, plain=True)
    assert_grades_right(by_api, exercise)
    assert by_command.mutants == by_api.mutants
    assert by_command.variants == by_api.variants
    assert by_command.dependencies == by_api.dependencies
    assert by_command.problems == []
