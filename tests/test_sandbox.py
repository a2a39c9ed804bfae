"""Sandboxed grading: a hostile submission touches nothing but its own copy.

Each submission below is the sample assignment's reference solution whose manifest cell does
something hostile first, as a trainee with the released notebook could write it. All of them
are graded in one batch beside an honest submission, by plain ``nbgrader autograde`` and by
``darktrail grade``. For each: the attempt fails inside the sandbox (the cell records what it
met), the honest trainee's grade is unchanged, and the course's files are byte-identical.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

import darktrail.evidence
from darktrail.course.build import write_source
from darktrail.course.engine import Course
from darktrail.course.grading import grade
from darktrail.course.source import find_exercises

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")

MANIFEST = 4  # the manifest solution cell of the sample notebook
SOLVE = "n_manifest = len((evidence / 'seized' / 'manifest.csv').read_text().splitlines()) - 1"


def _attempt(code: str) -> str:
    """Run ``code``; on any error note it in ``blocked`` and go on with the honest answer."""
    body = "\n".join("    " + line for line in code.splitlines())
    return f"try:\n{body}\nexcept BaseException as error:\n    print('blocked:', repr(error)[:200])\n{SOLVE}"


def attacks(course: Course, port: int) -> dict[str, str]:
    root = course.root
    package = Path(darktrail.evidence.__file__)
    return {
        "read-answers": _attempt(
            f"print(open({str(root / 'locker' / 'answers')!r} + '/honest.json').read()[:80])"
        ),
        "read-key": _attempt(f"print(open({str(root / 'locker' / 'course.key')!r}).read())"),
        "write-gradebook": _attempt(
            f"import sqlite3\ndb = sqlite3.connect({str(root / 'gradebook.db')!r})\n"
            "db.execute('update grade set manual_score = 99')\ndb.commit()"
        ),
        "read-classmate": _attempt(
            f"print(open({str(root / 'submitted' / 'honest' / '01-sample' / '01-sample.ipynb')!r}).read()[:50])"
        ),
        "edit-config": _attempt(
            f"open({str(root / 'nbgrader_config.py')!r}, 'a').write('\\n# pwned\\n')"
        ),
        "edit-source": _attempt(
            f"open({str(root / 'source' / '01-sample' / '01-sample.ipynb')!r}, 'a').write(' ')"
        ),
        "edit-package": _attempt(f"open({str(package)!r}, 'a').write('\\n# pwned\\n')"),
        "startup-file": _attempt(
            "import os\nfolder = os.path.expanduser('~/.ipython/profile_default/startup')\n"
            "os.makedirs(folder, exist_ok=True)\n"
            "open(folder + '/00-pwn.py', 'w').write('raise SystemExit')\n"
            f"open({str(Path.home() / '.darktrail-pwned')!r}, 'w').write('x')"
        ),
        "network": _attempt(
            f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3)"
        ),
        "detached-process": _attempt(
            "import subprocess\n"
            f"subprocess.Popen(['sh', '-c', 'sleep 4; echo pwned >> {root / 'gradebook.db'}'], "
            "start_new_session=True)\n"
            "raise RuntimeError('started, and waiting outside the grader')"
        ),
        "fork-past-limit": _attempt(
            "import subprocess\nkids = [subprocess.Popen(['sleep', '30']) for _ in range(300)]"
        ),
        "memory-past-limit": _attempt("hog = bytearray(3 * 1024 ** 3)"),
        "huge-output": _attempt("print('x' * 50_000_000)"),
        "environment": _attempt(
            "import os\nassert not [k for k in os.environ if 'SECRET' in k], 'leaked'\n"
            "raise PermissionError('the environment is clean')"
        ),
    }


def _digests(course: Course) -> dict[str, str]:
    files = [
        course.root / "nbgrader_config.py",
        course.root / "source" / "01-sample" / "01-sample.ipynb",
        course.root / "locker" / "course.key",
        course.root / "locker" / "answers" / "honest.json",
        Path(darktrail.evidence.__file__),
    ]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def listener():
    """A loopback server the network attack tries to reach; it records any connection."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    reached: list[str] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                reached.append("connected")
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], reached
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def hostile(sample_project, listener, monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "instructor-only")
    settings = Config()
    settings.Execute.timeout = 60
    course = Course(sample_project.grading, settings=settings)
    [exercise] = find_exercises(sample_project.exercises)
    solution = nbformat.read(write_source(exercise, course), as_version=4)
    course.generate("01-sample")
    release = course.folder("release", "01-sample")
    course.locker.issue("honest")
    plan = {"honest": solution}
    for name, code in attacks(course, listener[0]).items():
        notebook = nbformat.from_dict(solution)
        notebook.cells[MANIFEST].source = code
        plan[name] = notebook
    for trainee, notebook in plan.items():
        folder = course.folder("submitted", "01-sample", trainee)
        shutil.copytree(release, folder)
        nbformat.write(notebook, folder / "01-sample.ipynb")
    return course, _digests(course), listener[1]


def _contained(course: Course, before: dict, reached: list) -> None:
    time.sleep(5)  # long enough for a detached process to have struck
    assert _digests(course) == before
    assert reached == []
    assert not (Path.home() / ".darktrail-pwned").exists()
    full = {"count-test": (2.0, 2.0), "manifest-test": (1.0, 1.0), "why": (0.0, 2.0)}
    assert course.scores("01-sample", "honest") == full
    for trainee in attacks(course, 0):
        autograded = course.folder("autograded", "01-sample", trainee) / "01-sample.ipynb"
        notebook = nbformat.read(autograded, as_version=4)
        assert autograded.stat().st_size < 2_000_000, f"{trainee}: output not limited"
        assert course.scores("01-sample", trainee)["count-test"] == (2.0, 2.0), trainee
        cell = notebook.cells[MANIFEST]
        shown = "".join(o.get("text", "") + o.get("evalue", "") for o in cell.outputs)
        assert "instructor-only" not in shown and "leaked" not in shown, trainee
        if trainee != "huge-output":
            assert "blocked:" in shown, f"{trainee} was not stopped: {shown[:300]}"
    assert b"pwned" not in (course.root / "gradebook.db").read_bytes()


@pytest.mark.slow
def test_hostile_submissions_are_contained_under_plain_nbgrader(hostile):
    """Plain `nbgrader autograde` of the whole batch: every attack fails inside the sandbox."""
    course, before, reached = hostile
    course.api.autograde("01-sample", "*")
    _contained(course, before, reached)


@pytest.mark.slow
def test_hostile_submissions_are_contained_under_darktrail_grade(hostile):
    """`darktrail grade` of the same batch: the same containment, every submission graded."""
    course, before, reached = hostile
    run = grade(course, "01-sample", workers=2, stream=None)
    assert {s.trainee for s in run.submissions} == {"honest", *attacks(course, 0)}
    _contained(course, before, reached)


@pytest.mark.slow
def test_validate_runs_the_trainees_own_kernel(sample_project, tmp_path, monkeypatch):
    """nbgrader's Validate, under the course config, runs an ordinary kernel with the
    trainee's evidence: the reference solution validates, the blank release does not."""
    from nbgrader.validator import Validator

    [exercise] = find_exercises(sample_project.exercises)
    course = sample_project.course()
    solution = write_source(exercise, course)
    course.generate("01-sample")
    course.locker.issue("validating")
    monkeypatch.setenv("DARKTRAIL_LOCKER", str(course.locker.path / "evidence"))
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "validating")
    results = {}
    for name, source in (
        ("solution", solution),
        ("blank", course.folder("release", "01-sample") / "01-sample.ipynb"),
    ):
        work = tmp_path / name
        work.mkdir()
        shutil.copy(source, work / "01-sample.ipynb")
        monkeypatch.chdir(work)
        results[name] = Validator(config=course.config).validate(str(work / "01-sample.ipynb"))
        assert (work / "evidence" / darktrail.evidence.STAMP).is_file()
    assert not results["solution"].get("failed") and not results["solution"].get("errored")
    assert results["blank"].get("failed") or results["blank"].get("errored")


def test_kernels_are_told_the_course_language(tmp_path):
    """A grading kernel's cleared environment still says the course language, so what the
    kernel tells the trainee (through feedback) is in it."""
    from darktrail.course.sandbox import Sandbox, sandbox_command

    command = sandbox_command(["true"], tmp_path, tmp_path, Sandbox(language="ru"), None)
    assert "--clearenv" in command
    at = command.index("DARKTRAIL_LANG")
    assert command[at - 1 : at + 2] == ["--setenv", "DARKTRAIL_LANG", "ru"]
