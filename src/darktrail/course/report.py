"""``darktrail report``: what the cohort found hard, as one HTML page with PNG charts.

For each assignment: the distribution of total scores, the pass rate of every autograded cell
next to the concept it tests (the first line of the tests cell's docstring), the hardest tasks,
and the submissions still waiting for an instructor to grade written answers.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; a grading server has no display

import nbformat  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

from darktrail.course.engine import Course, CourseError  # noqa: E402

__all__ = ["AssignmentReport", "CellReport", "assignment_report", "concept", "write_report"]

HARDEST = 5
_DOCSTRING = re.compile(r'^\s*(?:[rRuU])?("""|\'\'\'|"|\')(.*?)(\1|$)', re.DOTALL)


def concept(tests_source: str) -> str:
    """The concept a tests cell checks: the first line of its docstring (or ``""``).

    Examples
    --------
    >>> concept("'Count the seized phones.'\\nassert n_phones == 3")
    'Count the seized phones.'
    >>> concept("assert True")
    ''
    """
    try:
        text = ast.get_docstring(ast.parse(tests_source), clean=True) or ""
    except SyntaxError:
        match = _DOCSTRING.match(tests_source)
        text = match.group(2) if match else ""
    lines = [line.strip() for line in text.strip().splitlines()]
    return lines[0] if lines else ""


@dataclass
class CellReport:
    """How the cohort did on one autograded cell."""

    grade_id: str
    concept: str
    points: float
    passed: int
    attempted: int

    @property
    def pass_rate(self) -> float:
        return self.passed / self.attempted if self.attempted else 0.0


@dataclass
class AssignmentReport:
    """The cohort's results on one assignment."""

    assignment: str
    max_score: float
    scores: dict[str, float] = field(default_factory=dict)
    cells: list[CellReport] = field(default_factory=list)
    manual: dict[str, list[str]] = field(default_factory=dict)

    @property
    def hardest(self) -> list[CellReport]:
        """The autograded cells with the lowest pass rates, hardest first."""
        return sorted(self.cells, key=lambda c: (c.pass_rate, c.grade_id))[:HARDEST]


def _concepts(course: Course, assignment: str) -> dict[str, str]:
    found = {}
    for path in sorted(course.folder("source", assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and cell.cell_type == "code":
                found[meta["grade_id"]] = concept(cell.source)
    return found


def assignment_report(course: Course, assignment: str) -> AssignmentReport:
    """Collect one assignment's results from the gradebook."""
    concepts = _concepts(course, assignment)
    with Gradebook(course.db_url) as gradebook:
        found = gradebook.find_assignment(assignment)
        report = AssignmentReport(assignment, float(found.max_score))
        cells: dict[str, CellReport] = {}
        for submission in sorted(found.submissions, key=lambda s: s.student.id):
            trainee = submission.student.id
            report.scores[trainee] = float(submission.score or 0)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade:
                        report.manual.setdefault(trainee, []).append(grade.name)
                    if grade.cell.cell_type != "code":
                        continue
                    cell = cells.setdefault(
                        grade.name,
                        CellReport(
                            grade.name, concepts.get(grade.name, ""), float(grade.max_score), 0, 0
                        ),
                    )
                    cell.attempted += 1
                    cell.passed += float(grade.score or 0) >= float(grade.max_score)
        report.cells = sorted(cells.values(), key=lambda c: c.grade_id)
    return report


def _score_chart(report: AssignmentReport, path: Path) -> None:
    figure = Figure(figsize=(6, 3.2), layout="constrained")
    axes = figure.add_subplot()
    bins = max(1, min(20, int(report.max_score) + 1))
    axes.hist(list(report.scores.values()), bins=bins, range=(0, report.max_score or 1))
    axes.set_xlabel(f"score (out of {report.max_score:g})")
    axes.set_ylabel("trainees")
    axes.set_title(f"{report.assignment}: score distribution")
    figure.savefig(path, dpi=100)


def _cell_chart(report: AssignmentReport, path: Path) -> None:
    height = 1.2 + 0.35 * max(1, len(report.cells))
    figure = Figure(figsize=(7, height), layout="constrained")
    axes = figure.add_subplot()
    labels = [c.grade_id for c in report.cells]
    axes.barh(labels, [100 * c.pass_rate for c in report.cells])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("trainees who earned the cell's points (%)")
    axes.set_title(f"{report.assignment}: pass rate per graded cell")
    figure.savefig(path, dpi=100)


def _section(report: AssignmentReport, scores_png: str, cells_png: str) -> str:
    e = html.escape
    mean = sum(report.scores.values()) / len(report.scores) if report.scores else 0.0
    rows = "".join(
        f"<tr><td><code>{e(c.grade_id)}</code></td><td>{e(c.concept)}</td>"
        f"<td>{c.points:g}</td><td>{c.passed}/{c.attempted}</td>"
        f"<td>{100 * c.pass_rate:.0f}%</td></tr>"
        for c in report.cells
    )
    hardest = "".join(
        f"<li><code>{e(c.grade_id)}</code> ({100 * c.pass_rate:.0f}% passed): {e(c.concept)}</li>"
        for c in report.hardest
    )
    manual = "".join(
        f"<li>{e(trainee)}: {e(', '.join(cells))}</li>" for trainee, cells in report.manual.items()
    )
    return f"""
<h2>{e(report.assignment)}</h2>
<p>{len(report.scores)} submission(s); mean score {mean:.1f} of {report.max_score:g}.</p>
<img src="{e(scores_png)}" alt="score distribution of {e(report.assignment)}">
<h3>Pass rate per graded cell</h3>
<img src="{e(cells_png)}" alt="pass rate per graded cell of {e(report.assignment)}">
<table><tr><th>cell</th><th>concept tested</th><th>points</th><th>passed</th><th>rate</th></tr>
{rows}</table>
<h3>Hardest tasks</h3>
<ol>{hardest or "<li>none</li>"}</ol>
<h3>Waiting for manual grading ({len(report.manual)})</h3>
<ul>{manual or "<li>none</li>"}</ul>
"""


def write_report(
    course: Course, folder: Path, assignments: list[str] | None = None
) -> tuple[Path, list[AssignmentReport]]:
    """Write ``report.html`` and its charts into ``folder``; return the page and the data.

    ``assignments`` defaults to every assignment in the gradebook that has submissions.
    """
    with Gradebook(course.db_url) as gradebook:
        known = {a.name: a.num_submissions for a in gradebook.assignments}
    for name in assignments or []:
        if name not in known:
            raise CourseError(
                f"no assignment {name!r} in the gradebook (known: {', '.join(known) or 'none'})"
            )
    names = sorted(assignments or [n for n, count in known.items() if count])
    if not names:
        raise CourseError("no graded submissions yet: run darktrail grade first")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    reports, sections = [], []
    for name in names:
        report = assignment_report(course, name)
        scores_png, cells_png = f"{name}-scores.png", f"{name}-cells.png"
        _score_chart(report, folder / scores_png)
        _cell_chart(report, folder / cells_png)
        sections.append(_section(report, scores_png, cells_png))
        reports.append(report)
    page = folder / "report.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>darktrail cohort report</title><style>body{font-family:sans-serif;max-width:"
        "60em;margin:auto} table{border-collapse:collapse} td,th{border:1px solid #ccc;"
        "padding:2px 6px;text-align:left}</style></head><body><h1>Cohort report</h1>"
        + "".join(sections)
        + "</body></html>\n",
        encoding="utf-8",
    )
    return page, reports
