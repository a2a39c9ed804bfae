"""``darktrail export``: grades from nbgrader's gradebook for a learning-management system.

Three shapes of the same numbers:

``csv``
    one row per trainee and assignment: ``trainee, first_name, last_name, email, assignment,
    score, max_score, submitted, needs_manual_grade``.
``moodle``
    one row per trainee, an ``ID number`` and ``Email address`` to match users on import, then a
    column per assignment (Moodle: Grades > Import > CSV file, map ``ID number`` to the user's
    ID number).
``canvas``
    Canvas's gradebook layout: ``Student, ID, SIS User ID, SIS Login ID, Section``, a column per
    assignment, and a ``Points Possible`` row under the header.

A trainee who submitted nothing scores 0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry

from darktrail.course.engine import Course, CourseError

__all__ = ["FORMATS", "Grade", "export_grades", "grades"]

FORMATS = ("csv", "moodle", "canvas")


@dataclass(frozen=True)
class Grade:
    """One trainee's grade for one assignment."""

    trainee: str
    first_name: str
    last_name: str
    email: str
    assignment: str
    score: float
    max_score: float
    submitted: bool
    needs_manual_grade: bool


def grades(course: Course, assignments: list[str] | None = None) -> list[Grade]:
    """Every roster trainee's grade for each assignment (all in the gradebook by default)."""
    with Gradebook(course.db_url) as gradebook:
        known = [a.name for a in gradebook.assignments]
        for name in assignments or []:
            if name not in known:
                raise CourseError(
                    f"no assignment {name!r} in the gradebook (known: {', '.join(known) or 'none'})"
                )
        found = []
        for assignment in sorted(assignments or known):
            max_score = float(gradebook.find_assignment(assignment).max_score)
            for student in sorted(gradebook.students, key=lambda s: s.id):
                try:
                    submission = gradebook.find_submission(assignment, student.id)
                except MissingEntry:
                    score, submitted, manual = 0.0, False, False
                else:
                    score = float(submission.score or 0)
                    submitted, manual = True, bool(submission.needs_manual_grade)
                found.append(
                    Grade(
                        student.id,
                        student.first_name or "",
                        student.last_name or "",
                        student.email or "",
                        assignment,
                        score,
                        max_score,
                        submitted,
                        manual,
                    )
                )
    return found


def _number(value: float) -> str:
    return f"{value:g}"


def export_grades(course: Course, fmt: str = "csv", assignments: list[str] | None = None) -> str:
    """The course's grades as CSV text in one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (use one of {', '.join(FORMATS)})")
    rows = grades(course, assignments)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(
            ["trainee", "first_name", "last_name", "email", "assignment", "score", "max_score"]
            + ["submitted", "needs_manual_grade"]
        )
        for g in rows:
            writer.writerow(
                [g.trainee, g.first_name, g.last_name, g.email, g.assignment, _number(g.score)]
                + [_number(g.max_score), int(g.submitted), int(g.needs_manual_grade)]
            )
        return out.getvalue()
    names = sorted({g.assignment for g in rows})
    maxima = {g.assignment: g.max_score for g in rows}
    people = {}
    for g in rows:
        people.setdefault(g.trainee, (g, {}))[1][g.assignment] = g.score
    if fmt == "moodle":
        writer.writerow(["ID number", "First name", "Last name", "Email address", *names])
        for trainee, (g, scores) in people.items():
            writer.writerow(
                [trainee, g.first_name, g.last_name, g.email]
                + [_number(scores[name]) for name in names]
            )
    else:
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *names])
        writer.writerow(["Points Possible", "", "", "", ""] + [_number(maxima[n]) for n in names])
        for trainee, (g, scores) in people.items():
            student = ", ".join(part for part in (g.last_name, g.first_name) if part) or trainee
            writer.writerow(
                [student, "", trainee, g.email, ""] + [_number(scores[name]) for name in names]
            )
    return out.getvalue()
