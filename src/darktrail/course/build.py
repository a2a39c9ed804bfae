"""Render exercise sources into nbgrader's ``source/`` and generate the ``release/``."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat

from darktrail.course.engine import Course, CourseError
from darktrail.course.source import MESSAGE, AuthoringError, Cell, Exercise, _unescape

__all__ = [
    "BUILT",
    "build_course",
    "docstrings",
    "find_leaks",
    "release_course",
    "render",
    "telling_lines",
    "translations",
    "write_source",
]

#: What the course's release path built, relative to the course root: per assignment, the
#: digest of its inputs and the SHA-256 of the notebook released to the exchange.
BUILT = Path(".darktrail") / "released.json"
SOURCE_LANGUAGE = "en"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
# The one-line docstring that opens a tests cell: what the cell checks, shown to the trainee.
_DOCSTRING = re.compile(r'\A"""([^"\\\n]+)"""$', re.M)


def docstrings(exercise: Exercise) -> list[str]:
    """The one-line docstrings opening the exercise's code cells (what each check tests).

    They are translated when the catalog has them (``render``); the source's ``_()`` messages
    and markdown cells are the texts a catalog must have.
    """
    return [
        match.group(1)
        for cell in exercise.cells
        if cell.kind == "code" and (match := _DOCSTRING.match(cell.source))
    ]


def translations(exercise: Exercise, lang: str) -> dict[str, str]:
    """The exercise's catalog for ``lang`` (empty for English, the source language)."""
    if lang == SOURCE_LANGUAGE:
        return {}
    path = exercise.folder / "locale" / f"{lang}.json"
    if not path.is_file():
        raise AuthoringError(f"{exercise.slug}: no {lang!r} translation ({path} is missing)")
    try:
        catalog = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise AuthoringError(f"{path}: not valid JSON: {error}") from error
    missing = [text for text in exercise.messages() if text not in catalog]
    if missing:
        first = missing[0].splitlines()[0][:60]
        raise AuthoringError(f"{path}: {len(missing)} text(s) untranslated, first: {first!r}")
    return catalog


def render(exercise: Exercise, lang: str = SOURCE_LANGUAGE) -> nbformat.NotebookNode:
    """The nbgrader source notebook of an exercise, in one language."""
    catalog = translations(exercise, lang)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        "darktrail": {"assignment": exercise.slug, "lang": lang},
    }
    readonly = 0
    for number, cell in enumerate(exercise.cells, start=1):
        if cell.kind == "markdown":
            out = nbformat.v4.new_markdown_cell(catalog.get(cell.source, cell.source))
        else:
            source = _translate_docstring(cell.source, catalog, exercise.slug)
            out = nbformat.v4.new_code_cell(_translate_code(source, catalog))
        out.id = cell.grade_id or f"cell-{number}"
        if cell.role == "readonly":
            readonly += 1
        meta = _nbgrader_metadata(cell, readonly)
        if meta:
            out.metadata["nbgrader"] = meta
        notebook.cells.append(out)
    return notebook


def _translate_docstring(source: str, catalog: dict[str, str], slug: str) -> str:
    match = _DOCSTRING.match(source)
    if not match or match.group(1) not in catalog:
        return source
    text = catalog[match.group(1)]
    if not _DOCSTRING.match(f'"""{text}"""'):
        raise AuthoringError(
            f"{slug}: the translation of the docstring {match.group(1)[:50]!r} must be one line "
            "without double quotes or backslashes"
        )
    return f'"""{text}"""' + source[match.end() :]


def _translate_code(source: str, catalog: dict[str, str]) -> str:
    def literal(match) -> str:
        text = _unescape(match.group(1))
        return json.dumps(catalog.get(text, text), ensure_ascii=False)

    return MESSAGE.sub(literal, source)


def _nbgrader_metadata(cell: Cell, readonly: int) -> dict | None:
    flags = {
        "solution": dict(grade=False, solution=True, locked=False),
        "tests": dict(grade=True, solution=False, locked=True),
        "answer": dict(grade=True, solution=True, locked=False),
        "readonly": dict(grade=False, solution=False, locked=True),
    }.get(cell.role)
    if flags is None:
        return None
    meta = {"schema_version": 3, "task": False, **flags}
    meta["grade_id"] = cell.grade_id or f"readonly-{readonly}"
    if cell.graded:
        meta["points"] = cell.points
    return meta


def write_source(exercise: Exercise, course: Course, lang: str = SOURCE_LANGUAGE) -> Path:
    """Render an exercise into ``source/<slug>/`` (notebook plus trainee files); return the notebook."""
    notebook = render(exercise, lang)
    folder = course.folder("source", exercise.slug)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if exercise.files_dir.is_dir():
        shutil.copytree(exercise.files_dir, folder, dirs_exist_ok=True)
    path = folder / f"{exercise.slug}.ipynb"
    nbformat.write(notebook, path)
    return path


def build_course(
    exercises: list[Exercise],
    course: Course,
    lang: str = SOURCE_LANGUAGE,
    generate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Write each exercise into ``source/`` and, with ``generate``, make its ``release/``.

    Every source is rendered (and so checked) before anything is written; ``progress`` is
    told each assignment before it is built (nbgrader's generate takes seconds). Raises
    :class:`AuthoringError` before nbgrader runs if a source is wrong, and
    :class:`~darktrail.course.engine.CourseError` if nbgrader refuses, or if the release
    contains anything but the notebook and trainee data.
    """
    for exercise in exercises:
        render(exercise, lang)
    for exercise in exercises:
        if progress is not None:
            progress(f"building {exercise.slug} ({lang})")
        write_source(exercise, course, lang)
        if generate:
            course.generate(exercise.slug)
            leaks = find_leaks(exercise, course.folder("release", exercise.slug))
            if leaks:
                raise CourseError(f"{exercise.slug}: the release leaks: " + "; ".join(leaks))


def inputs_digest(exercise: Exercise, lang: str, course: Course) -> str:
    """SHA-256 over everything a release of ``exercise`` in ``lang`` is made from.

    What :func:`write_source` reads -- the notebook source, the catalogs (``locale/``), the
    trainee files (``files/``) -- the language, the course configuration (placeholders,
    ignored files) and this module and the source reader (how a notebook is rendered): if none
    changed, a new build would release the same notebook. ``answers.py``, mutants, variants
    and ``instructor/`` never reach the release and are not part of it.
    """
    from darktrail.course import source

    digest = hashlib.sha256(f"lang={lang}\0".encode())
    skipped = {"__pycache__", ".ipynb_checkpoints"}
    folders = [exercise.folder / "locale", exercise.files_dir]
    files = [exercise.folder / f"{exercise.slug}.py"] + sorted(
        p
        for folder in folders
        for p in folder.rglob("*")
        if p.is_file() and not skipped & set(p.relative_to(exercise.folder).parts)
    )
    for path in files:
        digest.update(path.relative_to(exercise.folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in (course.root / "nbgrader_config.py", Path(__file__), Path(source.__file__)):
        digest.update(path.name.encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _released_notebook(course: Course, slug: str) -> Path:
    exchange = Path(course.config.Exchange.root)
    return exchange / course.coursedir.course_id / "outbound" / slug / f"{slug}.ipynb"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def release_course(
    exercises: list[Exercise],
    course: Course,
    lang: str = SOURCE_LANGUAGE,
    say: Callable[[str], None] = print,
    force: bool = False,
) -> list[str]:
    """Build and release to the exchange each exercise whose release is not up to date.

    An assignment is up to date when the digest of its inputs (:func:`inputs_digest`: its
    files, ``lang``, the course configuration) is the one recorded at its last release here
    (:data:`BUILT`) and the exchange still holds exactly the notebook released then. The
    others (all, with ``force``) are built together, every source checked first, and released
    again, each recorded as soon as it is out. ``say`` is told what happens to each. Returns
    the slugs released.
    """
    record_path = course.root / BUILT
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        record = {}
    stale = []
    for exercise in exercises:
        digest = inputs_digest(exercise, lang, course)
        kept = record.get(exercise.slug, {})
        released = _sha256(_released_notebook(course, exercise.slug))
        if (
            not force
            and kept.get("inputs") == digest
            and released
            and kept.get("released") == released
        ):
            say(f"{exercise.slug}: up to date ({lang}), released as before")
        else:
            stale.append((exercise, digest))
    if not stale:
        return []
    build_course([exercise for exercise, _ in stale], course, lang=lang, progress=say)
    for exercise, digest in stale:
        course.release(exercise.slug, replace=True)
        record[exercise.slug] = {
            "inputs": digest,
            "lang": lang,
            "released": _sha256(_released_notebook(course, exercise.slug)),
        }
        record_path.parent.mkdir(parents=True, exist_ok=True)
        record_path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", "utf-8")
        say(f"released {exercise.slug} ({lang}) to {course.config.Exchange.root}")
    return [exercise.slug for exercise, _ in stale]


def find_leaks(exercise: Exercise, release: Path) -> list[str]:
    """What in a release would hand a trainee more than the questions.

    Anything but the notebook and the exercise's ``files/``; nbgrader's solution or hidden-test
    markers; any line of a reference solution or of a hidden test.
    """
    leaks = []
    allowed = {f"{exercise.slug}.ipynb"}
    if exercise.files_dir.is_dir():
        allowed |= {
            p.relative_to(exercise.files_dir).as_posix()
            for p in exercise.files_dir.rglob("*")
            if p.is_file()
        }
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        name = path.relative_to(release).as_posix()
        if name not in allowed:
            leaks.append(f"unexpected file {name}")
    notebook_path = release / f"{exercise.slug}.ipynb"
    if not notebook_path.is_file():
        return [*leaks, f"{notebook_path.name} is missing from the release"]
    released = nbformat.read(notebook_path, as_version=4)
    lines = {
        line.strip() for cell in released.cells for line in cell.source.splitlines() if line.strip()
    }
    text = "\n".join(cell.source for cell in released.cells)
    leaks += [f"marker '{marker}'" for marker in _MARKERS if marker in text]
    secrets = {cell.grade_id: _split_lines(cell)[1] for cell in exercise.cells}
    public = {line for cell in exercise.cells for line in _split_lines(cell)[0]}
    for grade_id, secret_lines in secrets.items():
        for secret in secret_lines:
            if secret in lines and secret not in public:
                leaks.append(f"{grade_id}: {secret[:50]!r}")
    return leaks


def _split_lines(cell: Cell) -> tuple[list[str], list[str]]:
    """A cell's telling lines, as (public, instructor-only): see :func:`telling_lines`."""
    region = {"solution": "SOLUTION", "tests": "HIDDEN TESTS"}.get(cell.role, "")
    if cell.kind != "code":
        region = ""
    return telling_lines(cell.source, region)


def telling_lines(source: str, region: str) -> tuple[list[str], list[str]]:
    """The lines of ``source`` worth looking for elsewhere, as (public, inside ``region``).

    A telling line has 12+ characters and is not a comment; ``region`` is ``"SOLUTION"`` or
    ``"HIDDEN TESTS"`` (the text between ``### BEGIN`` / ``### END`` markers), or ``""``.
    """
    public, secret, inside = [], [], False
    for line in source.splitlines():
        stripped = line.strip()
        if region and stripped == f"### BEGIN {region}":
            inside = True
        elif region and stripped == f"### END {region}":
            inside = False
        elif len(stripped) >= 12 and not stripped.startswith("#"):
            (secret if inside else public).append(stripped)
    return public, secret
