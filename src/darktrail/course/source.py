"""Read an exercise's authoring source and check it before nbgrader ever sees it.

An exercise is a folder ``exercises/<NN-slug>/`` holding:

``<NN-slug>.py``
    a jupytext *percent* notebook. Every cell starts with a ``# %%`` line whose metadata gives
    its role for grading::

        # %% role="solution" grade_id="count-items"
        # %% role="tests" grade_id="count-items-test" points=1 needs="count-items"
        # %% [markdown] role="answer" grade_id="why-hash" points=2
        # %% role="readonly"

    ``solution`` cells hold the reference answer between ``### BEGIN SOLUTION`` and
    ``### END SOLUTION``; ``tests`` cells are graded and locked, and may hide their deciding part
    between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``; ``answer`` cells are written
    answers graded by the instructor; ``readonly`` cells are locked but not graded. A tests cell
    names in ``needs`` every solution cell (earlier in the notebook) whose answer it depends on:
    blanking any one of them must cost that tests cell its points, and blanking any other must
    not (``darktrail check`` proves both). Trainee-facing
    messages in code are written ``_("...")`` (one double-quoted literal) so they can be translated.
``answers.py``
    the expected answer of every graded check cell, computed from a trainee's frozen case on
    the instructor's side (:mod:`darktrail.course.judge`); never released.
``mutants.toml``
    plausible wrong answers, each replacing solution cells and naming the test cells that must
    lose points (see :class:`Mutant`).
``variants.toml``
    correct answers written differently from the reference (``[[variant]]``, same shape
    without ``targets``): each must earn full marks.
``files/``
    trainee data copied next to the notebook (optional).
``locale/<lang>.json``
    translations: a JSON object from English text (a markdown cell or a ``_()`` message) to its
    translation (optional).
``instructor/``
    rubrics and model answers for instructors; never copied into the course.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jupytext

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "AuthoringError",
    "Cell",
    "Exercise",
    "Mutant",
    "ROLES",
    "Variant",
    "find_exercises",
    "read_exercise",
]

ROLES = ("solution", "tests", "answer", "readonly")
_GRADE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HEADER = re.compile(r"^# %%")
_SLUG = re.compile(r"^\d\d-[a-z0-9-]+$")
# _("text"), also as a formatter wraps it: _(\n    "text"\n)
MESSAGE = re.compile(r'_\(\s*"((?:[^"\\\n]|\\.)*)"\s*\)')
# Keys jupytext adds to remember blank lines and markers; they are layout, not metadata.
_JUPYTEXT_LAYOUT = ("tags", "lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker")
_MARKERS = {
    "solution": ("### BEGIN SOLUTION", "### END SOLUTION"),
    "hidden": ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
}


class AuthoringError(ValueError):
    """An exercise source that cannot become a correct nbgrader assignment."""


@dataclass(frozen=True)
class Cell:
    """One cell of an exercise, with its grading role (``None`` for plain cells)."""

    kind: str
    source: str
    line: int
    role: str | None = None
    grade_id: str | None = None
    points: float | None = None
    #: For a tests cell: the solution cells whose answers it depends on.
    needs: tuple[str, ...] = ()

    @property
    def graded(self) -> bool:
        return self.role in ("tests", "answer")

    @property
    def solution_code(self) -> bool:
        """A code cell holding a reference answer (what a trainee writes, what ``needs`` names)."""
        return self.role == "solution" and self.kind == "code"


@dataclass(frozen=True)
class Mutant:
    """A plausible wrong answer: solution cells replaced, test cells that must lose points."""

    name: str
    why: str
    cells: dict[str, str]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """A correct answer written differently: solution cells replaced, every point kept."""

    name: str
    why: str
    cells: dict[str, str]


@dataclass
class Exercise:
    """An assignment's authoring source, checked."""

    slug: str
    folder: Path
    cells: list[Cell]
    mutants: list[Mutant] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)

    @property
    def source_file(self) -> Path:
        return self.folder / f"{self.slug}.py"

    @property
    def answers_file(self) -> Path:
        return self.folder / "answers.py"

    @property
    def answers(self):
        """The :class:`~darktrail.course.judge.Answers` of ``answers.py`` (``None`` if absent)."""
        from darktrail.course.judge import load_answers

        return load_answers(self.answers_file)

    @property
    def files_dir(self) -> Path:
        return self.folder / "files"

    def cell(self, grade_id: str) -> Cell:
        for cell in self.cells:
            if cell.grade_id == grade_id:
                return cell
        raise KeyError(grade_id)

    @property
    def max_score(self) -> float:
        return sum(c.points or 0 for c in self.cells if c.graded)

    @property
    def autograded_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.role == "tests"]

    def messages(self) -> list[str]:
        """Every translatable text: markdown cells and ``_()`` messages, in order."""
        texts = []
        for cell in self.cells:
            if cell.kind == "markdown":
                texts.append(cell.source)
            else:
                texts.extend(_unescape(m) for m in MESSAGE.findall(cell.source))
        return texts


def find_exercises(root: Path, names: list[str] | tuple[str, ...] = ()) -> list[Exercise]:
    """Read the exercises under ``root`` (all of them, or those named), in course order."""
    root = Path(root)
    available = sorted(p.name for p in root.iterdir() if p.is_dir() and _SLUG.match(p.name))
    for name in names:
        if name not in available:
            known = ", ".join(available) or "none"
            raise AuthoringError(f"no exercise {name!r} in {root} (known: {known})")
    return [read_exercise(root / name) for name in (names or available)]


def read_exercise(folder: Path) -> Exercise:
    """Read and check one exercise folder; raise :class:`AuthoringError` naming file and cell."""
    folder = Path(folder)
    slug = folder.name
    path = folder / f"{slug}.py"
    if not path.is_file():
        raise AuthoringError(f"{folder}: missing the exercise source {path.name}")
    exercise = Exercise(slug=slug, folder=folder, cells=_read_cells(path))
    _check_cells(exercise, path)
    exercise.mutants = _read_alternatives(exercise, "mutant")
    exercise.variants = _read_alternatives(exercise, "variant")
    _check_answers(exercise)
    return exercise


def _check_answers(exercise: Exercise) -> None:
    """Every check cell has exactly one expectation in ``answers.py``, and nothing else does."""
    try:
        answers = exercise.answers
    except Exception as error:  # an author's Python file may fail in any way
        raise AuthoringError(f"{exercise.answers_file}: cannot be loaded: {error}") from error
    if answers is None:
        return
    tests = [c.grade_id for c in exercise.cells if c.role == "tests"]
    missing = [g for g in tests if g not in answers.tasks]
    if missing:
        raise AuthoringError(
            f"{exercise.answers_file}: no expected answer for {', '.join(missing)}"
        )
    unknown = sorted(set(answers.tasks) - set(tests))
    if unknown:
        raise AuthoringError(
            f"{exercise.answers_file}: {', '.join(unknown)} is not a tests cell of {exercise.slug}"
        )


def _read_cells(path: Path) -> list[Cell]:
    text = path.read_text(encoding="utf-8")
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if _HEADER.match(line)]
    try:
        notebook = jupytext.reads(text, fmt="py:percent")
    except Exception as error:  # jupytext raises many kinds; all mean the same to an author
        raise AuthoringError(f"{path}: not a readable jupytext percent file: {error}") from error
    if len(notebook.cells) != len(lines):
        raise AuthoringError(f"{path}: every cell must start with a '# %%' line")
    cells = []
    for number, (nb_cell, line) in enumerate(zip(notebook.cells, lines, strict=True), start=1):
        meta = dict(nb_cell.metadata)
        where = f"{path}:{line}: cell {number}"
        if "incorrectly_encoded_metadata" in meta:
            raise AuthoringError(
                f"{where}: malformed metadata {meta['incorrectly_encoded_metadata']!r} "
                '(write key="text" or key=number)'
            )
        role = meta.pop("role", None)
        grade_id = meta.pop("grade_id", None)
        points = meta.pop("points", None)
        needs = meta.pop("needs", "")
        if not isinstance(needs, str):
            raise AuthoringError(f'{where}: write needs="solution-id other-solution-id"')
        for layout in _JUPYTEXT_LAYOUT:
            meta.pop(layout, None)
        if meta:
            raise AuthoringError(f"{where}: unknown metadata {', '.join(sorted(meta))}")
        cells.append(
            Cell(
                nb_cell.cell_type,
                nb_cell.source,
                line,
                role,
                grade_id,
                points,
                tuple(needs.split()),
            )
        )
    return cells


def _check_cells(exercise: Exercise, path: Path) -> None:
    seen: dict[str, int] = {}
    for number, cell in enumerate(exercise.cells, start=1):
        where = f"{path}:{cell.line}: cell {number}"
        if cell.role is None:
            if cell.grade_id is not None or cell.points is not None:
                raise AuthoringError(
                    f"{where}: grade_id/points given but no role ({', '.join(ROLES)})"
                )
            continue
        if cell.role not in ROLES:
            raise AuthoringError(
                f"{where}: unknown role {cell.role!r} (use one of {', '.join(ROLES)})"
            )
        if cell.role == "readonly":
            continue
        if not isinstance(cell.grade_id, str) or not _GRADE_ID.match(cell.grade_id):
            raise AuthoringError(
                f'{where}: a {cell.role} cell needs grade_id="..." of lower-case letters, '
                f"digits, '-' or '_' (got {cell.grade_id!r})"
            )
        where = f"{where} ({cell.grade_id})"
        if cell.grade_id in seen:
            raise AuthoringError(
                f"{where}: duplicate grade_id, first used by cell {seen[cell.grade_id]}"
            )
        seen[cell.grade_id] = number
        if cell.graded:
            if isinstance(cell.points, bool) or not isinstance(cell.points, (int, float)):
                raise AuthoringError(f"{where}: a graded {cell.role} cell needs points=<number>")
            if cell.points <= 0:
                raise AuthoringError(f"{where}: points must be positive, got {cell.points}")
        elif cell.points is not None:
            raise AuthoringError(f"{where}: solution cells carry no points; put them on tests")
        if cell.role == "tests" and cell.kind != "code":
            raise AuthoringError(f"{where}: tests cells must be code cells")
        if cell.solution_code:
            _check_markers(cell.source, "solution", where, required=True)
        if cell.needs and cell.role != "tests":
            raise AuthoringError(f"{where}: only tests cells have needs=")
        if cell.role == "tests":
            _check_needs(cell, exercise.cells[: number - 1], where)
            _check_markers(cell.source, "hidden", where, required=False)
            if _MARKERS["solution"][0] in cell.source:
                raise AuthoringError(f"{where}: tests cells must not contain a solution region")
        if cell.kind == "code" and "_(" in cell.source:
            bare = MESSAGE.sub("", cell.source)
            if re.search(r"(?<![\w.])_\(", bare):
                raise AuthoringError(
                    f'{where}: write translatable messages as _("one line of text")'
                )
    if not any(c.role == "tests" for c in exercise.cells):
        raise AuthoringError(f"{path}: no graded tests cell")


def _check_needs(cell: Cell, earlier: list[Cell], where: str) -> None:
    solutions = [c.grade_id for c in earlier if c.solution_code]
    if not cell.needs:
        raise AuthoringError(
            f'{where}: name the solution cells this test depends on: needs="{solutions[-1]}"'
            if solutions
            else f"{where}: a tests cell needs an earlier solution cell"
        )
    unknown = [g for g in cell.needs if g not in solutions]
    if unknown:
        raise AuthoringError(
            f"{where}: needs {', '.join(unknown)}, which is not an earlier solution code cell"
        )


def _check_markers(source: str, kind: str, where: str, required: bool) -> None:
    begin, end = _MARKERS[kind]
    opened = False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == begin:
            if opened:
                raise AuthoringError(f"{where}: '{begin}' twice without '{end}'")
            opened = True
        elif stripped == end:
            if not opened:
                raise AuthoringError(f"{where}: '{end}' without '{begin}'")
            opened = False
    if opened:
        raise AuthoringError(f"{where}: '{begin}' is never closed by '{end}'")
    if required and begin not in source:
        raise AuthoringError(f"{where}: a solution cell needs a '{begin}' ... '{end}' region")


def _read_alternatives(exercise: Exercise, kind: str) -> list:
    """``mutants.toml`` (kind ``mutant``) or ``variants.toml`` (kind ``variant``), checked."""
    path = exercise.folder / f"{kind}s.toml"
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise AuthoringError(f"{path}: {error}") from error
    unknown = set(data) - {kind}
    if unknown:
        raise AuthoringError(
            f"{path}: unknown table(s) {', '.join(sorted(unknown))}; use [[{kind}]]"
        )
    solutions = {c.grade_id for c in exercise.cells if c.role == "solution"}
    tests = {c.grade_id for c in exercise.cells if c.role == "tests"}
    keys = {"name", "why", "cells", "targets"} if kind == "mutant" else {"name", "why", "cells"}
    found, names = [], set()
    for number, entry in enumerate(data.get(kind, []), start=1):
        where = f"{path}: {kind} {number}"
        if not isinstance(entry, dict):
            raise AuthoringError(f"{where}: must be a table")
        extra = set(entry) - keys
        if extra:
            raise AuthoringError(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
        name, why = entry.get("name"), entry.get("why")
        cells, targets = entry.get("cells"), entry.get("targets")
        if not isinstance(name, str) or not _GRADE_ID.match(name):
            raise AuthoringError(f"{where}: name must be lower-case letters, digits and '-'")
        where = f"{path}: {kind} {name!r}"
        if name in names:
            raise AuthoringError(f"{where}: duplicate name")
        names.add(name)
        if not isinstance(why, str) or not why.strip():
            raise AuthoringError(f'{where}: say why a trainee would write this (why = "...")')
        if not isinstance(cells, dict) or not cells:
            raise AuthoringError(f"{where}: [{kind}.cells] must map solution grade_ids to code")
        for grade_id, code in cells.items():
            if grade_id not in solutions:
                raise AuthoringError(
                    f"{where}: {grade_id!r} is not a solution cell of {exercise.slug}"
                )
            if not isinstance(code, str):
                raise AuthoringError(f"{where}: the code for {grade_id!r} must be a string")
        if kind == "variant":
            found.append(Variant(name, why.strip(), dict(cells)))
            continue
        if not isinstance(targets, list) or not targets:
            raise AuthoringError(f"{where}: targets must list the tests cells that lose points")
        for grade_id in targets:
            if grade_id not in tests:
                raise AuthoringError(f"{where}: target {grade_id!r} is not a tests cell")
        found.append(Mutant(name, why.strip(), dict(cells), tuple(targets)))
    return found


def _unescape(literal: str) -> str:
    return ast.literal_eval(f'"{literal}"')
