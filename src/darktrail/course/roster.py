"""The course roster: who the trainees are, read from a CSV file into nbgrader's gradebook.

A roster file is a CSV with a header row naming the columns ``id``, ``first_name``,
``last_name`` and ``email`` (``first name``, ``e-mail`` and similar spellings are accepted).
Only ``id`` is required; it is the trainee id that names their evidence and their submissions,
so it follows :mod:`darktrail.identity`'s rule.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from darktrail.course.engine import Course
from darktrail.identity import _VALID as _VALID_ID  # the one rule for trainee ids

__all__ = ["Trainee", "import_roster", "parse_roster", "read_roster", "roster"]

_COLUMNS = ("id", "first_name", "last_name", "email")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


@dataclass(frozen=True)
class Trainee:
    """One trainee of the roster."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def _column(name: str) -> str:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    return {"e_mail": "email", "mail": "email", "firstname": "first_name"}.get(
        key, {"lastname": "last_name", "student_id": "id", "trainee_id": "id"}.get(key, key)
    )


def parse_roster(text: str, where: str = "roster") -> list[Trainee]:
    """Trainees from roster CSV text; ``where`` names the file in error messages.

    Raises
    ------
    ValueError
        For a missing ``id`` column, unknown columns, and, naming the line, for a missing,
        malformed or duplicate id or a malformed e-mail address.

    Examples
    --------
    >>> parse_roster("id,first_name,last_name,email\\nt-01,Ada,Example,ada@example.org\\n")
    [Trainee(id='t-01', first_name='Ada', last_name='Example', email='ada@example.org')]
    >>> parse_roster("id,email\\nt-01,\\nt-01,\\n", "r.csv")
    Traceback (most recent call last):
    ...
    ValueError: r.csv:3: duplicate trainee id 't-01' (first on line 2)
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise ValueError(f"{where}: empty roster; the first line must name the columns")
    columns = [_column(name) for name in header]
    unknown = [h for h, c in zip(header, columns, strict=True) if c not in _COLUMNS]
    if unknown:
        raise ValueError(
            f"{where}:1: unknown column(s) {', '.join(map(repr, unknown))} "
            f"(use {', '.join(_COLUMNS)})"
        )
    if "id" not in columns:
        raise ValueError(f"{where}:1: no 'id' column (columns: {', '.join(_COLUMNS)})")
    trainees, seen = [], {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise ValueError(f"{where}:{line}: {len(row)} fields, expected {len(columns)}")
        fields = {c: cell.strip() for c, cell in zip(columns, row, strict=True)}
        trainee_id = fields["id"]
        if not trainee_id:
            raise ValueError(f"{where}:{line}: missing trainee id")
        if not _VALID_ID.match(trainee_id):
            raise ValueError(
                f"{where}:{line}: trainee id {trainee_id!r} must be 1-64 letters, digits, "
                "'.', '_', '@' or '-' (starting with a letter or digit)"
            )
        if trainee_id in seen:
            raise ValueError(
                f"{where}:{line}: duplicate trainee id {trainee_id!r} "
                f"(first on line {seen[trainee_id]})"
            )
        email = fields.get("email", "")
        if email and not _EMAIL.match(email):
            raise ValueError(f"{where}:{line}: {email!r} is not an e-mail address")
        seen[trainee_id] = line
        trainees.append(Trainee(**fields))
    return trainees


def read_roster(path: Path) -> list[Trainee]:
    """Trainees from a roster CSV file (see :func:`parse_roster`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error.reason})") from error
    return parse_roster(text, str(path))


def import_roster(course: Course, path: Path) -> list[Trainee]:
    """Add or update every trainee of a roster file in the course's gradebook.

    The whole file is checked before the gradebook is touched.
    """
    trainees = read_roster(path)
    with Gradebook(course.db_url) as gradebook:
        for trainee in trainees:
            gradebook.update_or_create_student(
                trainee.id,
                first_name=trainee.first_name or None,
                last_name=trainee.last_name or None,
                email=trainee.email or None,
            )
    return trainees


def roster(course: Course) -> list[Trainee]:
    """The trainees in the course's gradebook, by id."""
    with Gradebook(course.db_url) as gradebook:
        return sorted(
            (
                Trainee(s.id, s.first_name or "", s.last_name or "", s.email or "")
                for s in gradebook.students
            ),
            key=lambda t: t.id,
        )
