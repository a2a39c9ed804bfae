"""From authoring sources to graded nbgrader assignments.

``source`` reads an exercise folder (jupytext percent source + mutants), ``build`` renders it into
nbgrader's course root and generates the release, ``gradebook`` is the thin layer over nbgrader's
Python API, ``check`` proves each assignment can be passed and can be failed.
"""

from darktrail.course.source import AuthoringError, Exercise, find_exercises, read_exercise

__all__ = ["AuthoringError", "Exercise", "find_exercises", "read_exercise"]
