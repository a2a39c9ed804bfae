"""``darktrail feedback``: per-trainee HTML feedback without hidden tests or expected values.

nbgrader's feedback shows every tests cell as graded, hidden tests included (nbgrader issues
#917 and #1363), and a failing assertion's traceback quotes the line that failed. Before the
HTML is written, :class:`HideHiddenTests` cuts the hidden region out of every code cell and
shortens the tracebacks of tests cells to the error and its hint message. After writing, every
feedback file is scanned for the lines of the hidden tests; a leak is an error, never a release.
"""

from __future__ import annotations

import gc
import html
import re
import warnings
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor

from darktrail.course.build import telling_lines
from darktrail.course.engine import Course, CourseError

__all__ = [
    "FEEDBACK_PREPROCESSORS",
    "HIDDEN_NOTE",
    "HideHiddenTests",
    "feedback",
    "answer_lines",
    "find_hidden_tests",
    "hidden_test_lines",
]

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests run here when grading; they are not shown)"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _without_hidden(source: str) -> str:
    lines, inside = [], False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(indent + HIDDEN_NOTE)
        elif END in line:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests from code cells and the code from tests cells' tracebacks.

    A failing tests cell keeps its error name and message (the hint, which never states the
    expected value); the traceback, which quotes the failing line, goes.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        cell.source = _without_hidden(cell.source)
        if cell.metadata.get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = _ANSI.sub("", f"{output.ename}: {output.evalue}").rstrip(": ")
                    output.traceback = [message]
        return cell, resources


#: nbgrader's feedback steps with :class:`HideHiddenTests`; ``grading/nbgrader_config.py`` sets
#: them, so the formgrader's "generate feedback" is as safe as ``darktrail feedback``.
FEEDBACK_PREPROCESSORS = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]


def hidden_test_lines(source_notebook: Path) -> list[str]:
    """The telling lines (12+ characters, not comments) of a source notebook's hidden tests."""
    notebook = nbformat.read(source_notebook, as_version=4)
    return [
        line for cell in notebook.cells for line in telling_lines(cell.source, "HIDDEN TESTS")[1]
    ]


def _visible_text(path: Path) -> str:
    """The text a reader sees in an HTML file: tags dropped, entities decoded."""
    text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
    return html.unescape(text)


def answer_lines(course: Course, assignment: str) -> list[str]:
    """The telling lines of the assignment's ``answers.py`` (its expected-answer code)."""
    exercises = course.config.Casework.get("exercises")
    path = Path(exercises) / assignment / "answers.py" if exercises else None
    if path is None or not path.is_file():
        return []
    return telling_lines(path.read_text(encoding="utf-8"), "")[0]


def find_hidden_tests(course: Course, assignment: str, files: list[Path]) -> list[str]:
    """``"<file>: <line>"`` for every line of hidden tests or answer code shown in ``files``."""
    secret = answer_lines(course, assignment)
    for notebook in sorted(course.folder("source", assignment).glob("*.ipynb")):
        secret += hidden_test_lines(notebook)
    leaks = []
    for path in files:
        shown = _visible_text(path)
        shown_lines = {line.strip() for line in shown.splitlines()}
        leaks += [f"{path}: {line[:60]!r}" for line in secret if line in shown_lines]
    return leaks


def feedback(course: Course, assignment: str, release: bool = True) -> dict[str, list[Path]]:
    """Write every autograded trainee's HTML feedback; return ``{trainee: [html files]}``.

    With ``release`` the feedback also goes to the exchange, where trainees fetch it.

    Raises
    ------
    CourseError
        If nbgrader fails, or if a hidden test would show in a feedback file (the files are
        then removed, not released).
    """
    trainees = sorted(course.api.get_autograded_students(assignment))
    if not trainees:
        raise CourseError(f"no autograded submissions of {assignment}: run darktrail grade first")
    course._run(f"generate feedback for {assignment}", course.api.generate_feedback(assignment))
    files = {
        trainee: sorted(course.folder("feedback", assignment, trainee).glob("*.html"))
        for trainee in trainees
    }
    leaks = find_hidden_tests(course, assignment, [p for paths in files.values() for p in paths])
    if leaks:
        for path in (p for paths in files.values() for p in paths):
            path.unlink()
        raise CourseError("feedback would show hidden tests: " + "; ".join(leaks[:5]))
    if release:
        with warnings.catch_warnings():
            # nbgrader 0.9 misspells "authenticator" when it builds its release step, and
            # leaves the timestamp files it reads open: neither is the instructor's concern.
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", ResourceWarning)
            result = course.api.release_feedback(assignment)
            gc.collect()  # close those files while their warnings are ignored
        course._run(f"release feedback for {assignment}", result)
    return files
