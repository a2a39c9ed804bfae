"""Every assignment of the course passes `darktrail check` with real nbgrader runs."""

from __future__ import annotations

import pytest

from darktrail.course.check import check_exercise
from darktrail.course.engine import find_project
from darktrail.course.source import find_exercises

PROJECT = find_project(__file__)
EXERCISES = find_exercises(PROJECT.exercises)


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_assignment_grades_right(exercise):
    """Solution earns full marks, blank release none, every mutant loses its targets, no leaks."""
    result = check_exercise(exercise, PROJECT.grading)
    assert result.problems == []
    assert result.solution_score == result.max_score > 0
    assert result.blank_score == 0
    assert len(result.mutants) >= 2


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_assignment_has_objectives_time_and_key_points(exercise):
    """Each assignment opens with objectives and time and closes with key points."""
    first, last = exercise.cells[0].source, exercise.cells[-1].source
    assert "**Time:**" in first and "**Objectives.**" in first
    assert last.startswith("## Key points")
