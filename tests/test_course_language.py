"""The course language: chosen once, kept, and followed by the release, the lab and handin.

A scratch checkout of the sample course (with a Russian catalog written here) and the real
course configuration; the release tests run real nbgrader generate and release (seconds).
"""

from __future__ import annotations

import json
import string

import nbformat
import pytest

from darktrail import handin
from darktrail.cli import main
from darktrail.course.build import BUILT, release_course
from darktrail.course.engine import CourseError
from darktrail.course.lab import APP_SETTINGS, SETTINGS, TRANSLATION, lab_server
from darktrail.course.language import (
    RECORD,
    course_in_language,
    record_language,
    recorded_language,
    stubs,
)
from darktrail.course.source import find_exercises

SLUG = "01-sample"


def _russian_catalog(project) -> None:
    """A complete (made-up) Russian catalog of the sample exercise."""
    from darktrail.course.build import docstrings

    [exercise] = find_exercises(project.exercises)
    texts = exercise.messages() + docstrings(exercise)
    catalog = {text: f"Русский текст {number}" for number, text in enumerate(texts)}
    folder = exercise.folder / "locale"
    folder.mkdir(exist_ok=True)
    (folder / "ru.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")


def _released(course) -> nbformat.NotebookNode:
    path = course.root / "exchange" / "darktrail" / "outbound" / SLUG / f"{SLUG}.ipynb"
    return nbformat.read(path, as_version=4)


def test_a_course_without_a_record_is_english(sample_project):
    assert recorded_language(sample_project.grading) == "en"
    course, lang = course_in_language(sample_project, None, say=pytest.fail)
    assert lang == "en"
    assert course.config.ClearSolutions.text_stub == "YOUR ANSWER HERE"
    assert course.config.ClearSolutions.code_stub["python"].startswith("# YOUR CODE HERE")


def test_choosing_russian_is_said_recorded_and_kept(sample_project):
    said = []
    course, lang = course_in_language(sample_project, "ru", say=said.append)
    assert lang == "ru" and len(said) == 1
    assert "English -> Russian" in said[0] and "released again" in said[0]
    assert json.loads((sample_project.grading / RECORD).read_text())["lang"] == "ru"
    # nbgrader's placeholders follow the course configuration, which reads the record.
    assert course.config.ClearSolutions.text_stub == stubs("ru")["text"] == "ВАШ ОТВЕТ ЗДЕСЬ"
    assert course.config.ClearSolutions.code_stub["python"] == stubs("ru")["code"]
    # A later start without --lang keeps Russian and says nothing about switching.
    _, kept = course_in_language(sample_project, None, say=pytest.fail)
    assert kept == "ru"
    _, same = course_in_language(sample_project, "ru", say=pytest.fail)
    assert same == "ru"


def test_unknown_languages_and_broken_records_are_refused(sample_project):
    with pytest.raises(ValueError, match=r"--lang: 'fr' is not a course language; choose one"):
        course_in_language(sample_project, "fr")
    record = sample_project.grading / RECORD
    record.parent.mkdir(parents=True)
    record.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"course\.json: not a JSON object"):
        recorded_language(sample_project.grading)
    record.write_text('{"lang": "xx"}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"course\.json: 'xx' is not a course language"):
        recorded_language(sample_project.grading)


def test_a_configuration_that_pins_another_language_is_refused(sample_project):
    config = sample_project.grading / "nbgrader_config.py"
    config.write_text(config.read_text() + '\nc.CourseLanguage.lang = "en"\n')
    record_language(sample_project.grading, "ru")
    with pytest.raises(CourseError, match=r"sets c\.CourseLanguage\.lang = 'en'.*says 'ru'"):
        course_in_language(sample_project)


def test_the_lab_speaks_the_course_language(sample_project):
    record_language(sample_project.grading, "ru")
    server = lab_server(sample_project, port=8999)
    assert server.env["DARKTRAIL_LANG"] == "ru"
    settings = sample_project.root / "lab" / SETTINGS
    overrides = json.loads((settings / APP_SETTINGS / "overrides.json").read_text())
    assert overrides == {TRANSLATION: {"locale": "ru_RU"}}
    lab_app = json.loads((settings / "jupyter_server_config.json").read_text())["LabApp"]
    assert lab_app["app_settings_dir"] == str((settings / APP_SETTINGS).resolve())
    record_language(sample_project.grading, "en")
    lab_server(sample_project, port=8999)
    overrides = json.loads((settings / APP_SETTINGS / "overrides.json").read_text())
    assert overrides[TRANSLATION]["locale"] == "en"


def test_handin_messages_have_every_language_and_the_same_fields():
    english = handin.MESSAGES["en"]
    for lang, messages in handin.MESSAGES.items():
        assert messages.keys() == english.keys(), lang
        for key, text in messages.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert fields == {f for _, f, _, _ in string.Formatter().parse(english[key]) if f}


def test_handin_speaks_the_kernels_language(monkeypatch):
    monkeypatch.setenv("DARKTRAIL_LANG", "ru")
    assert handin.message("handed-in").startswith("Ответ сдан")
    with pytest.raises(TypeError, match=r"^t-1: сдайте функцию \(def \.\.\.\), а не int$"):
        handin.hand_in_calls(3, "t-1")
    monkeypatch.setenv("DARKTRAIL_LANG", "xx")  # unknown: English, never a KeyError
    assert handin.message("handed-in").startswith("Answer handed in")
    monkeypatch.delenv("DARKTRAIL_LANG")
    assert handin.message("handed-in").startswith("Answer handed in")


@pytest.mark.slow
def test_release_skips_what_did_not_change_and_rebuilds_a_new_language(sample_project):
    """What make lab does at each start: release only what changed since the last release."""
    _russian_catalog(sample_project)
    [exercise] = find_exercises(sample_project.exercises)
    course, lang = course_in_language(sample_project, None)
    said = []
    assert release_course([exercise], course, lang, say=said.append) == [SLUG]
    assert said == [f"building {SLUG} (en)", f"released {SLUG} (en) to {course.root / 'exchange'}"]
    assert "# YOUR CODE HERE" in "".join(c.source for c in _released(course).cells)

    said.clear()
    mutants = exercise.folder / "mutants.toml"  # never released: no reason to release again
    mutants.write_text(mutants.read_text() + "\n# a note\n")
    assert release_course([exercise], course, lang, say=said.append) == []
    assert said == [f"{SLUG}: up to date (en), released as before"]

    # A new course language rebuilds, with the Russian texts and placeholders.
    course, lang = course_in_language(sample_project, "ru", say=said.append)
    assert release_course([exercise], course, lang, say=said.append) == [SLUG]
    released = _released(course)
    assert released.metadata["darktrail"]["lang"] == "ru"
    sources = "".join(c.source for c in released.cells)
    assert "# ВАШ КОД ЗДЕСЬ" in sources and "ВАШ ОТВЕТ ЗДЕСЬ" in sources
    assert "YOUR" not in sources
    assert json.loads((course.root / BUILT).read_text())[SLUG]["lang"] == "ru"

    # A changed catalog, or a release withdrawn from the exchange, is released again.
    catalog = exercise.folder / "locale" / "ru.json"
    catalog.write_text(catalog.read_text().replace("Русский текст 0", "Русский текст ноль"))
    assert release_course([exercise], course, lang, say=said.append) == [SLUG]
    assert release_course([exercise], course, lang, say=said.append) == []
    course.api.unrelease(SLUG)
    assert release_course([exercise], course, lang, say=said.append) == [SLUG]


@pytest.mark.slow
def test_darktrail_release_keeps_the_chosen_language(sample_project, monkeypatch, capsys):
    """darktrail release --lang ru once, then darktrail release: still Russian, nothing rebuilt."""
    _russian_catalog(sample_project)
    monkeypatch.chdir(sample_project.root)
    assert main(["release", "--lang", "ru"]) == 0
    first = capsys.readouterr().out
    assert "course language: English -> Russian" in first
    assert f"released {SLUG} (ru)" in first
    assert main(["release"]) == 0
    second = capsys.readouterr().out
    assert "course language" not in second
    assert f"{SLUG}: up to date (ru)" in second
    assert _released(sample_project.course()).metadata["darktrail"]["lang"] == "ru"


@pytest.mark.slow
def test_a_russian_lab_serves_jupyterlab_in_russian(sample_project):
    """Over HTTP: the lab's translation setting defaults to ru_RU and the Russian pack is served."""
    from test_formgrader import running_lab

    record_language(sample_project.grading, "ru")
    with running_lab(sample_project, sample_project.root) as client:
        setting = client.get_json("/lab/api/settings/" + TRANSLATION)
        assert setting["schema"]["properties"]["locale"]["default"] == "ru_RU", setting["schema"]
        assert "locale" not in setting["settings"]  # a default: a trainee may still choose
        packs = client.get_json("/lab/api/translations")
        assert "ru_RU" in packs["data"], packs
        russian = client.get_json("/lab/api/translations/ru_RU")
        assert russian["message"] == "", russian["message"]
        texts = json.dumps(russian["data"], ensure_ascii=False)
        assert "Файл" in texts  # the File menu


def test_lab_refuses_a_new_language_without_a_new_release(sample_project, monkeypatch, capsys):
    from test_formgrader import _free_port

    monkeypatch.chdir(sample_project.root)
    assert main(["lab", "--no-release", "--lang", "ru", "--port", str(_free_port())]) == 2
    assert "a new course language needs a new release" in capsys.readouterr().err
    assert recorded_language(sample_project.grading) == "en"


def test_make_lab_passes_the_course_language_only_when_given():
    """LANG_COURSE, not LANG (the system locale), reaches darktrail lab --lang."""
    import subprocess
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]

    def lab_command(*variables: str) -> str:
        dry = subprocess.run(
            ["make", "-n", "-C", str(repo), "lab", *variables],
            capture_output=True,
            text=True,
            check=True,
        )
        return next(line for line in dry.stdout.splitlines() if "darktrail lab" in line)

    assert lab_command("LANG_COURSE=ru").endswith("--lang ru")
    assert "--lang" not in lab_command()
    assert "--lang" not in lab_command("LANG=ru_RU.UTF-8")
