"""The thin layer over nbgrader's Python API: the course root, its API object, its gradebook."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

__all__ = ["Course", "CourseError", "Project", "find_project"]

CONFIG = "nbgrader_config.py"


def _own_tools_first() -> None:
    """Put this interpreter's ``bin/`` first on PATH.

    nbgrader runs ``alembic`` by name to open the gradebook, and kernels start as ``python``:
    both must be the ones installed beside darktrail, even when darktrail is run by the
    venv's full path without activating it.
    """
    tools = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "").split(os.pathsep)
    if path[:1] != [tools]:
        os.environ["PATH"] = os.pathsep.join([tools, *path])


_own_tools_first()


class CourseError(RuntimeError):
    """nbgrader refused or failed an operation; the message says what and why."""


@dataclass(frozen=True)
class Project:
    """A darktrail checkout: exercise sources, scenarios and the nbgrader course root."""

    root: Path

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    @property
    def grading(self) -> Path:
        return self.root / "grading"

    def course(self) -> Course:
        return Course(self.grading)


def find_project(start: Path | None = None) -> Project:
    """The checkout holding ``start`` (default: the working directory)."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "grading" / CONFIG).is_file() and (folder / "exercises").is_dir():
            return Project(folder)
    raise CourseError(
        f"no darktrail course found at or above {start}: run darktrail inside the darktrail "
        f"checkout (the folder with exercises/ and grading/{CONFIG})"
    )


class Course:
    """An nbgrader course root and its configuration (``<root>/nbgrader_config.py``).

    ``config_from`` reads the configuration of another course root, so a scratch course
    (``darktrail check``) behaves exactly like the real one.
    """

    def __init__(self, root: Path, config_from: Path | None = None, settings: Config | None = None):
        self.root = Path(root).resolve()
        config_dir = Path(config_from or self.root)
        if not (config_dir / CONFIG).is_file():
            raise CourseError(f"{config_dir / CONFIG} is missing")
        self.config = PyFileConfigLoader(CONFIG, path=str(config_dir)).load_config()
        self.config.CourseDirectory.root = str(self.root)
        if config_from is not None:
            self.config.Exchange.root = str(self.root / "exchange")
            self.config.Locker.root = str(self.root / "locker")
            self.config.Sandbox.course_root = str(self.root)
        if settings is not None:
            self.config.merge(settings)
        self.coursedir = CourseDirectory(config=self.config)
        self.api = NbGraderAPI(coursedir=self.coursedir, config=self.config)
        self.api.log.setLevel(logging.WARNING)

    @property
    def locker(self):
        """The course's evidence locker (:class:`darktrail.course.locker.Locker`)."""
        from darktrail.course.locker import Locker

        return Locker(config=self.config)

    def folder(self, step: str, assignment: str, student: str = ".") -> Path:
        """``<root>/<step>/[<student>/]<assignment>`` in nbgrader's folder vocabulary."""
        if step in ("source", "release"):
            return self.root / step / assignment
        return self.root / step / student / assignment

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    def _run(self, what: str, result: dict) -> dict:
        if not result.get("success"):
            detail = (result.get("error") or "").strip().splitlines()[-1:] or ["no detail"]
            log = (result.get("log") or "").strip()
            raise CourseError(f"nbgrader could not {what}: {detail[0]}\n{log}".rstrip())
        return result

    def generate(self, assignment: str) -> None:
        result = self.api.generate_assignment(assignment, force=True, create=True)
        if not result.get("success") and "submissions associated" in (result.get("log") or ""):
            raise CourseError(
                f"{assignment} already has graded submissions, and nbgrader cannot add or remove "
                "cells of such an assignment. Keep its list of graded cells as released, or "
                "start a new course (move grading/gradebook.db aside) to release a changed one."
            )
        self._run(f"generate {assignment}", result)

    def release(self, assignment: str, replace: bool = False) -> None:
        """Release to the exchange; ``replace`` first withdraws an earlier release of it."""
        Path(self.config.Exchange.root).mkdir(parents=True, exist_ok=True)
        if replace:
            self.api.unrelease(assignment)
        self._run(f"release {assignment}", self.api.release_assignment(assignment))

    def collect(self, assignment: str) -> list[str]:
        """Collect the newest submission of every trainee from the exchange; return their ids."""
        self._run(f"collect {assignment}", self.api.collect(assignment, update=True))
        return sorted(self.api.get_submitted_students(assignment))

    def autograde(self, assignment: str, student: str) -> dict:
        """Autograde one submission (the course config's hook sets its trainee id)."""
        with warnings.catch_warnings():
            # nbgrader's own SQLAlchemy usage warns on every new submission; nothing to act on.
            warnings.simplefilter("ignore", SAWarning)
            return self.api.autograde(assignment, student, force=True, create=True)

    def scores(self, assignment: str, student: str) -> dict[str, tuple[float, float]]:
        """``{grade_id: (score, max_score)}`` of a graded submission (empty if none)."""
        with Gradebook(self.db_url) as gradebook:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                return {}
            return {
                grade.name: (float(grade.score or 0), float(grade.max_score))
                for notebook in submission.notebooks
                for grade in notebook.grades
            }
