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


@pytest.fixture
def sample_project(tmp_path: Path) -> Project:
    return scratch_project(tmp_path, DATA / "sample-course" / "exercises")
