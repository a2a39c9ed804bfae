"""The ``darktrail`` command starts at once: ``--help`` imports none of the heavy libraries.

nbgrader, jupytext (with nbformat), pandas and matplotlib take seconds of CPU to import; each
verb imports them when it runs, never before the arguments are parsed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import darktrail.course
import darktrail.course.engine
import darktrail.course.locker
import darktrail.course.source
from darktrail.cli import _reported, main, parser

HEAVY = ("nbgrader", "jupytext", "nbformat", "pandas", "matplotlib")
VERBS = sorted(parser()._subparsers._group_actions[0].choices)  # every verb the parser knows

# What a fresh interpreter has imported once darktrail.cli.main has answered ARGV.
_PROBE = """
import contextlib, io, json, sys
from darktrail.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(sys.argv[1:])
    except SystemExit as stop:
        code = stop.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _imported_by(*argv: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in HEAVY]


def test_help_imports_no_heavy_library():
    probe = _imported_by("--help")
    assert probe["code"] == 0
    assert "usage: darktrail" in probe["out"]
    assert _heavy(probe["modules"]) == []
    # The verbs' own modules wait for the verb too (they import the heavy libraries).
    assert [
        m for m in probe["modules"] if m.startswith(("darktrail.course.", "darktrail.world"))
    ] == []


@pytest.mark.parametrize("verb", VERBS)
def test_verb_help_imports_no_heavy_library(verb):
    probe = _imported_by(verb, "--help")
    assert probe["code"] == 0
    assert f"usage: darktrail {verb}" in probe["out"]
    assert _heavy(probe["modules"]) == []


def test_console_script_answers_help():
    script = Path(sysconfig.get_path("scripts")) / "darktrail"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert "usage: darktrail" in done.stdout
    for verb in VERBS:
        assert verb in done.stdout


def test_course_error_still_reported_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no darktrail checkout here
    assert main(["locker", "show"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("darktrail locker: no darktrail course found at or above")
    assert "Traceback" not in err


def test_reported_errors_are_the_course_ones():
    assert _reported(darktrail.course.engine.CourseError("x"))
    assert _reported(darktrail.course.locker.LockerError("x"))
    assert _reported(darktrail.course.source.AuthoringError("x"))
    assert _reported(ValueError("x"))
    assert _reported(FileNotFoundError("x"))
    assert not _reported(RuntimeError("a bug, shown with its traceback"))
    assert not _reported(KeyError("x"))


def test_course_package_names_load_on_use():
    assert darktrail.course.AuthoringError is darktrail.course.source.AuthoringError
    assert darktrail.course.find_exercises is darktrail.course.source.find_exercises
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        darktrail.course.nothing  # noqa: B018
