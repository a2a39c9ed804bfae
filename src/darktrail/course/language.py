"""The course language: chosen once, recorded in the course root, read through nbgrader's config.

Every trainee-facing text of a course is in one language. It is a setting of the course
(``c.CourseLanguage.lang``), so every process that loads the course configuration sees the
same one: the ``darktrail`` verbs, ``nbgrader`` run in ``grading/``, the formgrader in the lab
and the scratch courses of ``darktrail check``. The committed ``grading/nbgrader_config.py``
does not hold the choice itself: it reads it from ``grading/.darktrail/course.json``, the
course's own record (machine state, not committed, beside the grading hashes), which
``darktrail build|release|lab --lang`` writes. Choosing a language therefore edits no
committed file, and a later ``make lab`` keeps it.

The same setting picks nbgrader's answer placeholders (:func:`stubs`), the JupyterLab locale
of the lab (:data:`LANGUAGES`) and the language the lab's kernels are told
(``DARKTRAIL_LANG``, read by :mod:`darktrail.handin`).

This module imports nothing of nbgrader: the course configuration imports it.

Examples
--------
>>> stubs("ru")["text"]
'ВАШ ОТВЕТ ЗДЕСЬ'
>>> LANGUAGES["ru"].locale
'ru_RU'
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from traitlets import Unicode, validate
from traitlets.config import Configurable

__all__ = [
    "LANGUAGES",
    "RECORD",
    "CourseLanguage",
    "Language",
    "check_language",
    "record_language",
    "recorded_language",
    "stubs",
]

#: The course's record, relative to the course root (``grading/``).
RECORD = Path(".darktrail") / "course.json"
#: The language of the exercise sources; a course without a record is in it.
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    """A course language: its name, JupyterLab's locale for it, nbgrader's placeholders."""

    name: str
    locale: str
    code_stub: str
    text_stub: str


#: The languages a course can be given (an exercise needs ``locale/<code>.json`` for each
#: but English).
LANGUAGES = {
    "en": Language(
        "English", "en", "# YOUR CODE HERE\nraise NotImplementedError()", "YOUR ANSWER HERE"
    ),
    "ru": Language(
        "Russian (русский)",
        "ru_RU",
        "# ВАШ КОД ЗДЕСЬ\nraise NotImplementedError()",
        "ВАШ ОТВЕТ ЗДЕСЬ",
    ),
}


def check_language(lang: str, where: str = "the course language") -> str:
    """``lang`` if it is one of :data:`LANGUAGES`; otherwise a ValueError naming ``where``."""
    if lang not in LANGUAGES:
        known = ", ".join(f"{code} ({language.name})" for code, language in LANGUAGES.items())
        raise ValueError(f"{where}: {lang!r} is not a course language; choose one of {known}")
    return lang


def stubs(lang: str) -> dict[str, str]:
    """nbgrader's placeholders in ``lang``: ``{"code": ..., "text": ...}`` for ClearSolutions."""
    language = LANGUAGES[check_language(lang)]
    return {"code": language.code_stub, "text": language.text_stub}


def recorded_language(course_root: str | os.PathLike) -> str:
    """The language recorded for the course at ``course_root`` (:data:`DEFAULT` if none).

    A record that is not valid JSON, or names an unknown language, is refused with the path,
    so a hand-edited record never silently turns the course back to English.
    """
    path = Path(course_root) / RECORD
    if not path.is_file():
        return DEFAULT
    try:
        lang = json.loads(path.read_text(encoding="utf-8")).get("lang", DEFAULT)
    except (json.JSONDecodeError, AttributeError) as error:
        raise ValueError(f"{path}: not a JSON object with a 'lang' ({error})") from error
    return check_language(lang, str(path))


def record_language(course_root: str | os.PathLike, lang: str) -> Path:
    """Record ``lang`` as the course's language (atomically); return the record's path."""
    check_language(lang)
    path = Path(course_root) / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {}
    if path.is_file():
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            record = {}
    record["lang"] = lang
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
    ) as handle:
        json.dump(record, handle, indent=2)
        handle.write("\n")
    os.replace(handle.name, path)
    return path


class CourseLanguage(Configurable):
    """The course's language, as nbgrader's configuration gives it (``c.CourseLanguage.lang``)."""

    lang = Unicode(
        DEFAULT, help="Language of every trainee-facing text of the course (en, ru)"
    ).tag(config=True)

    @validate("lang")
    def _known(self, proposal):
        return check_language(proposal["value"], "c.CourseLanguage.lang")


def course_in_language(project, requested: str | None = None, say=print):
    """The project's course, in ``requested`` (recorded, and said) or in the recorded language.

    Returns ``(course, lang)``. Switching says what follows: the release is rebuilt in the new
    language, and notebooks already fetched stay as they were. The language is then read back
    through the course configuration; a configuration that pins another one is refused, naming
    the file, so darktrail and nbgrader never disagree about it.
    """
    from darktrail.course.engine import CONFIG, CourseError

    grading = project.grading
    lang = recorded_language(grading)
    if requested is not None and check_language(requested, "--lang") != lang:
        path = record_language(grading, requested)
        say(
            f"course language: {LANGUAGES[lang].name} -> {LANGUAGES[requested].name}, recorded in "
            f"{path}; every assignment is built and released again in {requested!r} (already "
            "fetched notebooks stay as they are: rename a fetched folder to fetch it again)"
        )
        lang = requested
    course = project.course()
    configured = CourseLanguage(config=course.config).lang
    if configured != lang:
        raise CourseError(
            f"{grading / CONFIG} sets c.CourseLanguage.lang = {configured!r}, but the course's "
            f"record {grading / RECORD} says {lang!r}: let the configuration read the record "
            "(c.CourseLanguage.lang = recorded_language(here)) or choose the language there"
        )
    return course, lang
