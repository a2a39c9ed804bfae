"""``darktrail feedback``: per-trainee HTML feedback without hidden tests or expected values.

nbgrader's feedback shows every tests cell as graded, hidden tests included (nbgrader issues
#917 and #1363), and a failing assertion's traceback quotes the line that failed. Before the
HTML is written, :class:`HideHiddenTests` cuts the hidden region out of every code cell and
shortens the tracebacks of tests cells to the error and its hint message. After writing, every
trainee's feedback is scanned for the lines of the hidden tests and of the assignment's
``answers.py``; a trainee whose feedback shows one is withheld (the files are moved to
``<course>/.darktrail/withheld/``, with the reason reported) and everyone else's is released.

What the scan is for, and what it need not catch: since verdicts moved to the judge
(:mod:`darktrail.course.judge`), a tests cell holds no expected answer. It checks the form of
the trainee's answer (at most against a public worked example, such as the SHA-256 of
``b"abc"``) and hands it in; the expected answers are computed in the grading
process from ``exercises/<NN-slug>/answers.py`` and the trainee's answer record in the locker,
neither of which a grading kernel can see (:mod:`darktrail.course.sandbox`), and no
exercise has hidden tests. The source of every tests cell is in the released notebook the
trainee already holds, so a copy of it in feedback -- printed, base64-encoded or otherwise
re-encoded -- tells the trainee nothing they did not have. The scan stays for what would
matter (an assignment that uses hidden tests, or answer code pasted into a notebook), and
matches lines as shown, not re-encoded copies.
"""

from __future__ import annotations

import gc
import html
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor

from darktrail.course.build import telling_lines
from darktrail.course.engine import Course, CourseError

__all__ = [
    "FEEDBACK_PREPROCESSORS",
    "HIDDEN_NOTE",
    "Feedback",
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


@dataclass
class Feedback:
    """The outcome of ``darktrail feedback``: who got their files and who was withheld."""

    assignment: str
    #: ``{trainee: [html files]}`` of every trainee whose feedback was written (and released).
    files: dict[str, list[Path]] = field(default_factory=dict)
    #: ``{trainee: [why]}`` for every trainee whose feedback would have shown a hidden line.
    withheld: dict[str, list[str]] = field(default_factory=dict)
    released: bool = False

    def summary(self) -> str:
        where = "written and released to the exchange" if self.released else "written"
        text = f"{self.assignment}: feedback for {len(self.files)} trainee(s) {where}"
        for trainee, reasons in sorted(self.withheld.items()):
            text += f"\n  withheld from {trainee}: " + "; ".join(reasons[:3])
        return text


def withheld_folder(course: Course, assignment: str, trainee: str) -> Path:
    """Where a trainee's withheld feedback files are kept for the instructor to look at."""
    return course.root / ".darktrail" / "withheld" / assignment / trainee


def feedback(course: Course, assignment: str, release: bool = True) -> Feedback:
    """Write every autograded trainee's HTML feedback; withhold any that shows a hidden line.

    Each trainee's files are scanned on their own (:func:`find_hidden_tests`): a trainee whose
    feedback shows a line of the hidden tests or of ``answers.py`` is withheld -- the files
    move to :func:`withheld_folder`, are never released, and the reason is reported -- while
    everyone else's feedback is written and, with ``release``, released to the exchange,
    where trainees fetch it.

    Raises
    ------
    CourseError
        If nothing is autograded yet, or nbgrader fails to generate or release feedback.
    """
    trainees = sorted(course.api.get_autograded_students(assignment))
    if not trainees:
        raise CourseError(f"no autograded submissions of {assignment}: run darktrail grade first")
    course._run(f"generate feedback for {assignment}", course.api.generate_feedback(assignment))
    outcome = Feedback(assignment)
    for trainee in trainees:
        paths = sorted(course.folder("feedback", assignment, trainee).glob("*.html"))
        aside = withheld_folder(course, assignment, trainee)
        shutil.rmtree(aside, ignore_errors=True)  # an earlier run's, now out of date
        reasons = [
            f"{path.name} shows {leak[len(str(path)) + 2 :]}"
            for path in paths
            for leak in find_hidden_tests(course, assignment, [path])
        ]
        if not reasons:
            outcome.files[trainee] = paths
            continue
        outcome.withheld[trainee] = reasons
        aside.mkdir(parents=True)
        for path in paths:
            shutil.move(path, aside / path.name)
    outcome.released = release and bool(outcome.files)
    if outcome.released:
        with warnings.catch_warnings():
            # nbgrader 0.9 misspells "authenticator" when it builds its release step, and
            # leaves the timestamp files it reads open: neither is the instructor's concern.
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", ResourceWarning)
            result = course.api.release_feedback(assignment)
            gc.collect()  # close those files while their warnings are ignored
        course._run(f"release feedback for {assignment}", result)
    return outcome
