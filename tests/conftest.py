"""Shared fixtures: scratch courses built from the sample exercises or the real ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from darktrail.course.engine import Project

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
collect_ignore = ["data"]  # sample exercise sources, not test modules


def scratch_project(tmp_path: Path, exercises: Path) -> Project:
    """A throwaway checkout: the given exercises and the real course configuration."""
    shutil.copytree(exercises, tmp_path / "exercises")
    (tmp_path / "grading").mkdir()
    shutil.copy(REPO / "grading" / "nbgrader_config.py", tmp_path / "grading")
    return Project(tmp_path)


def released_sample(tmp_path: Path):
    """The sample assignment built and released in a scratch checkout: the course, the
    exercise and the released notebook."""
    import nbformat

    from darktrail.course.build import build_course
    from darktrail.course.source import find_exercises

    course = scratch_project(tmp_path, DATA / "sample-course" / "exercises").course()
    [exercise] = find_exercises(course.root.parent / "exercises")
    build_course([exercise], course)
    course.release(exercise.slug)
    release = course.folder("release", exercise.slug) / f"{exercise.slug}.ipynb"
    return course, exercise, nbformat.read(release, as_version=4)


@pytest.fixture
def sample_project(tmp_path: Path) -> Project:
    return scratch_project(tmp_path, DATA / "sample-course" / "exercises")
