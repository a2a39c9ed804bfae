"""From authoring sources to graded nbgrader assignments.

``source`` reads an exercise folder (jupytext percent source + mutants), ``build`` renders it into
nbgrader's course root and generates the release, ``gradebook`` is the thin layer over nbgrader's
Python API, ``check`` proves each assignment can be passed and can be failed.

Importing this package imports neither jupytext nor nbgrader (the ``darktrail`` command's
``--help`` must answer at once): the names below from :mod:`darktrail.course.source` are loaded
on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["AuthoringError", "Exercise", "find_exercises", "read_exercise"]

_FROM_SOURCE = ("AuthoringError", "Exercise", "find_exercises", "read_exercise")


def __getattr__(name: str) -> Any:
    """Load the names re-exported from :mod:`darktrail.course.source` on first use (PEP 562)."""
    if name in _FROM_SOURCE:
        value = getattr(importlib.import_module("darktrail.course.source"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
