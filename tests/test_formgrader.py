"""The formgrader under the lab: a real Jupyter server, driven through its HTTP API.

The server is started exactly as ``darktrail lab`` starts it (:func:`lab_server`), on a scratch
checkout with 00-orientation released. Two trainees submit: one hands in the reference solution,
the other short-cuts two tasks with attacks on the course (the course key and answer record, the
gradebook, a classmate's submission, ``nbgrader_config.py``). The instructor's side is the
formgrader's own API: Manage Assignments lists the assignment, Collect and each submission's
Autograde button are the POSTs the formgrader's pages make.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from textwrap import indent

import nbformat
import pytest

from darktrail.course.build import build_course
from darktrail.course.check import QA_KEY
from darktrail.course.cohort import answered, submit_as
from darktrail.course.engine import CONFIG, CourseError, Project
from darktrail.course.lab import check_port, lab_server, lab_token, prepare_workspace
from darktrail.course.locker import issue_evidence
from darktrail.course.source import find_exercises

REPO = Path(__file__).resolve().parents[1]
SLUG = "00-orientation"
HONEST, HOSTILE = "t-honest", "t-hostile"
#: The tasks the hostile trainee short-cuts instead of answering (1 point each).
SHORT_CUT = ("count-seized", "largest-file")


def _cell(notebook, grade_id):
    return next(
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def _attempt(name: str, code: str) -> str:
    """``code`` in a try block that prints ``done: name`` or ``blocked: name`` and the error."""
    return (
        f"try:\n{indent(code, '    ')}\n    print('done: {name}')\n"
        f"except BaseException as error:\n    print('blocked: {name}', repr(error)[:200])\n"
    )


def _attacks(grading: Path) -> dict[str, str]:
    """Solution code of the short-cut tasks: take the answer, or the points, from the course."""
    locker = grading / "locker"
    classmate = grading / "submitted" / HONEST / SLUG / f"{SLUG}.ipynb"
    return {
        "count-seized": _attempt("read-key", f"key = open({str(locker / 'course.key')!r}).read()")
        + _attempt(
            "read-answers",
            "import json\n"
            f"record = json.load(open({str(locker / 'answers' / f'{HOSTILE}.json')!r}))\n"
            f"n_seized = record['answers'][{SLUG!r}]",
        ),
        "largest-file": _attempt(
            "write-gradebook",
            f"import sqlite3\ndb = sqlite3.connect({str(grading / 'gradebook.db')!r})\n"
            "db.execute('update grade set manual_score = 99')\ndb.commit()",
        )
        + _attempt("overwrite-classmate", f"open({str(classmate)!r}, 'w').write('{{}}')")
        + _attempt(
            "edit-config",
            f"open({str(grading / CONFIG)!r}, 'a').write('\\nc.Execute.enabled = False\\n')",
        ),
    }


def _digests(grading: Path) -> dict[str, str]:
    files = [
        grading / CONFIG,
        grading / "source" / SLUG / f"{SLUG}.ipynb",
        grading / "submitted" / HONEST / SLUG / f"{SLUG}.ipynb",
        grading / "locker" / "course.key",
        grading / "locker" / "answers" / f"{HONEST}.json",
        grading / "locker" / "answers" / f"{HOSTILE}.json",
    ]
    return {str(p.relative_to(grading)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


class LabClient:
    """The lab's HTTP API with its token, as the formgrader's pages and the lab call it."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def request(self, path: str, data: dict | None = None, method: str | None = None):
        body = urllib.parse.urlencode(data or {}).encode() if method == "POST" else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, response.read().decode("utf-8")

    def get_json(self, path: str):
        status, text = self.request(path)
        assert status == 200, f"GET {path}: HTTP {status}"
        return json.loads(text)

    def post_json(self, path: str, data: dict | None = None):
        status, text = self.request(path, data, method="POST")
        assert status == 200, f"POST {path}: HTTP {status}"
        return json.loads(text)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A scratch checkout with 00-orientation released and submitted, and its lab running."""
    if shutil.which("bwrap") is None:
        pytest.skip("the formgrader's grading needs bubblewrap")
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(REPO / "exercises" / SLUG, root / "exercises" / SLUG)
    (root / "grading").mkdir()
    shutil.copy(REPO / "grading" / CONFIG, root / "grading" / CONFIG)
    project = Project(root)
    course = project.course()
    course.locker.install_key(QA_KEY)
    [exercise] = find_exercises(project.exercises, [SLUG])
    build_course([exercise], course)
    course.release(SLUG)
    issue_evidence(course, [exercise], trainees=[HONEST, HOSTILE])
    release = nbformat.read(course.folder("release", SLUG) / f"{SLUG}.ipynb", as_version=4)
    honest = answered(release, exercise, "solution")
    hostile = nbformat.from_dict(honest)
    for grade_id, code in _attacks(course.root).items():
        _cell(hostile, grade_id).source = code
    submit_as(course, SLUG, HONEST, honest)
    submit_as(course, SLUG, HOSTILE, hostile)

    with running_lab(project, root) as client:
        yield project, course, client, root / "server.log"


@contextmanager
def running_lab(project: Project, root: Path):
    """The lab's server for ``project``, started as ``darktrail lab`` starts it; its client.

    The server's log is ``root/server.log``; the server is stopped on leaving.
    """
    port = _free_port()
    server = lab_server(project, port=port)
    env = dict(server.env, JUPYTER_RUNTIME_DIR=str(root / "runtime"))
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        server.argv, env=env, cwd=server.cwd, stdout=log, stderr=subprocess.STDOUT
    )
    client = LabClient(f"http://127.0.0.1:{port}", server.env["JUPYTER_TOKEN"])
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, (root / "server.log").read_text()
        try:
            if client.request("/api/status")[0] == 200:
                break
        except (urllib.error.URLError, ConnectionError):
            pass
        assert time.monotonic() < deadline, "the lab did not answer within 60 s"
        time.sleep(0.3)
    try:
        yield client
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def graded(lab):
    """Collect and autograde both submissions through the formgrader's buttons."""
    project, course, client, _ = lab
    collected = client.post_json(f"/formgrader/api/assignment/{SLUG}/collect")
    assert collected["success"], collected.get("error")
    before = _digests(course.root)
    results = {}
    for trainee in (HONEST, HOSTILE):
        results[trainee] = client.post_json(
            f"/formgrader/api/submission/{SLUG}/{trainee}/autograde"
        )
    return before, results


@pytest.mark.slow
def test_manage_assignments_lists_the_release(lab):
    """The Manage Assignments page and its API work under the lab (no "encountered an error")."""
    _, _, client, log = lab
    status, page = client.request("/formgrader/manage_assignments")
    assert status == 200
    assert "encountered an error" not in page
    assert "Manage Assignments" in page
    assignments = client.get_json("/formgrader/api/assignments")
    assert [(a["name"], a["status"]) for a in assignments] == [(SLUG, "released")]
    assert "not a subdirectory of the notebook server root" not in log.read_text()


@pytest.mark.slow
def test_trainee_side_of_the_lab(lab):
    """The Assignments tab lists and fetches into lab/; the file browser's top shows lab/ only."""
    project, _, client, _ = lab
    listed = client.get_json("/assignments?course_id=darktrail")
    assert listed["success"], listed["value"]
    assert {a["assignment_id"] for a in listed["value"]} == {SLUG}
    fetched = client.post_json(
        "/assignments/fetch", {"course_id": "darktrail", "assignment_id": SLUG}
    )
    assert fetched["success"], fetched["value"]
    assert (project.root / "lab" / SLUG / f"{SLUG}.ipynb").is_file()
    top = client.get_json("/api/contents/")
    assert [entry["name"] for entry in top["content"]] == ["lab"]
    # The formgrader's links to the course's source still open (an instructor's lab).
    assert client.get_json(f"/api/contents/grading/source/{SLUG}")["type"] == "directory"


@pytest.mark.slow
def test_formgrader_autograde_contains_a_hostile_submission(lab, graded):
    """The Autograde button: the honest trainee gets full marks, the hostile one nothing for
    the tasks it short-cut, every attack fails inside the sandbox, the course is unchanged."""
    _, course, _, _ = lab
    before, results = graded
    assert all(r["success"] for r in results.values()), results
    assert _digests(course.root) == before
    honest = course.scores(SLUG, HONEST)
    autograded = {g: s for g, s in honest.items() if g.endswith("-test")}
    assert autograded and all(score == top for score, top in autograded.values()), honest
    assert all(score <= top for score, top in honest.values()), honest  # gradebook untouched
    hostile = course.scores(SLUG, HOSTILE)
    for grade_id, (score, top) in hostile.items():
        if not grade_id.endswith("-test"):
            continue
        expected = 0.0 if grade_id.removesuffix("-test") in SHORT_CUT else top
        assert score == expected, (grade_id, hostile)
    notebook = nbformat.read(
        course.folder("autograded", SLUG, HOSTILE) / f"{SLUG}.ipynb", as_version=4
    )
    shown = "".join(o.get("text", "") for g in SHORT_CUT for o in _cell(notebook, g).outputs)
    for attack in (
        "read-key",
        "read-answers",
        "write-gradebook",
        "overwrite-classmate",
        "edit-config",
    ):
        assert f"blocked: {attack}" in shown, f"{attack} was not stopped:\n{shown}"
        assert f"done: {attack}" not in shown


def test_lab_token_is_kept_between_starts(tmp_path, monkeypatch):
    """One token per lab, reused on every start; DARKTRAIL_LAB_TOKEN chooses it instead."""
    monkeypatch.delenv("DARKTRAIL_LAB_TOKEN", raising=False)
    first = lab_token(tmp_path)
    assert lab_token(tmp_path) == first and len(first) >= 32
    assert (tmp_path / ".jupyter" / "token").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("DARKTRAIL_LAB_TOKEN", "chosen-by-the-instructor")
    assert lab_token(tmp_path) == "chosen-by-the-instructor"


def test_busy_port_is_refused_with_what_to_do(tmp_path):
    """A port something listens on is refused before anything is built."""
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        with pytest.raises(CourseError, match=f"port {port} .* PORT={port + 2}"):
            check_port(port)


def test_workspace_config_points_at_the_course(tmp_path):
    """lab/.jupyter holds the nbgrader config (course config, fetch into lab/) and no news."""
    project = Project(tmp_path)
    (tmp_path / "grading").mkdir()
    shutil.copy(REPO / "grading" / CONFIG, tmp_path / "grading" / CONFIG)
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / CONFIG).write_text('"""Written by darktrail: old lab."""\n')
    workspace = prepare_workspace(project)
    config = (workspace / ".jupyter" / CONFIG).read_text()
    assert str((tmp_path / "grading" / CONFIG).resolve()) in config
    assert f"c.Exchange.assignment_dir = {str(workspace.resolve())!r}" in config
    page = json.loads((workspace / ".jupyter" / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True
    assert not (workspace / CONFIG).exists()  # the earlier lab's config is gone
    server = lab_server(project, port=8890)
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in server.argv
    assert not any(server.env["JUPYTER_TOKEN"] in arg for arg in server.argv)
    assert server.env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(workspace / ".jupyter")


@pytest.mark.slow
def test_formgrader_feedback_for_the_honest_trainee(lab, graded):
    """Generate Feedback from the formgrader: the trainee's page shows the score and verdicts."""
    _, course, client, _ = lab
    result = client.post_json(f"/formgrader/api/assignment/{SLUG}/{HONEST}/generate_feedback")
    assert result["success"], result.get("error")
    page = (course.folder("feedback", SLUG, HONEST) / f"{SLUG}.html").read_text(encoding="utf-8")
    scores = course.scores(SLUG, HONEST).values()
    got, top = sum(score for score, _ in scores), sum(top for _, top in scores)
    assert f"{SLUG} (Score: {got:.1f} / {top:.1f})" in page
    assert "Checked by the grader on your evidence: correct." in page
