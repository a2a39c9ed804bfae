"""Grading faults: a dead worker, an oversized submission, an invalid trainee id.

Each fault gets a clear status for that submission alone; the batch goes on, every other
trainee's grade is right, and a rerun works. The worker is killed for real (``kill -9`` of
the worker process the test sees grading the victim), the big file is a real sparse 1 GB
file (``os.truncate``).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import threading
import time
import tracemalloc
from pathlib import Path

import nbformat
import pytest

from darktrail.course.build import build_course
from darktrail.course.cohort import answered, submit_as
from darktrail.course.grading import (
    BAD_ID,
    FAILED,
    GRADED,
    SANITIZE_PREPROCESSORS,
    SKIPPED,
    STATUSES,
    TOO_LARGE,
    WORKER_DIED,
    SubmissionLimits,
    grade,
    submission_hash,
)
from darktrail.course.source import find_exercises

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")

SAMPLE = "01-sample"
GIGABYTE = 1 << 30


def _sparse(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.truncate(path, size)
    return path


def _crowd(folder: Path, files: int) -> None:
    for i in range(files):
        (folder / "notes" / f"{i // 50}").mkdir(parents=True, exist_ok=True)
        (folder / "notes" / f"{i // 50}" / f"note-{i}.txt").write_text("x")


def test_hashing_a_sparse_gigabyte_costs_no_memory(tmp_path):
    """submission_hash reads a 1 GB (sparse) file a block at a time: under 8 MB of memory."""
    folder = tmp_path / "submission"
    _sparse(folder / "disk.img", GIGABYTE)
    (folder / "a.ipynb").write_text("{}")
    tracemalloc.start()
    try:
        first = submission_hash(folder)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"hashing took {peak / 2**20:.0f} MiB"
    (folder / "disk.img").write_bytes(b"now small")
    assert submission_hash(folder) != first


def test_hash_does_not_follow_links(tmp_path):
    """A symbolic link counts by where it points; what it points at is never read."""
    folder = tmp_path / "submission"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("one")
    (folder / "link").symlink_to(secret)
    before = submission_hash(folder)
    secret.write_text("two")
    assert submission_hash(folder) == before


def test_caps_name_what_is_over(tmp_path):
    """A 1 GB file or 250 files are over the default caps; the reason says by how much."""
    limits = SubmissionLimits()
    assert (limits.max_mb, limits.max_files) == (50, 200)
    big, crowded, fine = tmp_path / "big", tmp_path / "crowded", tmp_path / "fine"
    _sparse(big / "disk.img", GIGABYTE)
    _crowd(crowded, 250)
    _sparse(fine / "data.bin", 10_000_000)
    problem = limits.problem(big)
    assert "over 50 MB" in problem and "'disk.img' alone 1073.7 MB" in problem
    assert "over 200 files and folders" in limits.problem(crowded)
    assert limits.problem(fine) is None
    assert SANITIZE_PREPROCESSORS[0] is SubmissionLimits


def test_statuses_put_refusals_first():
    """Refused submissions are the worst statuses; each status appears once."""
    assert STATUSES[:2] == (BAD_ID, TOO_LARGE)
    assert len(set(STATUSES)) == len(STATUSES)


# -- a batch with every fault, graded by darktrail grade ---------------------------------


def _children_of(parent: int) -> dict[int, int]:
    """``{pid: parent pid}`` of every process (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[int(entry.name)] = int(fields[1])
    return found


def _worker_grading(folder: Path) -> int | None:
    """The pid of this process's child (a grading worker) whose kernel works in ``folder``."""
    parents = _children_of(os.getpid())
    for pid in parents:
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if cwd != str(folder):
            continue
        while pid in parents and parents[pid] != os.getpid():
            pid = parents[pid]
        if parents.get(pid) == os.getpid():
            return pid
    return None


class WorkerKiller(threading.Thread):
    """Kills (SIGKILL) each new grading worker seen grading ``folder``, ``times`` times."""

    def __init__(self, folder: Path, times: int):
        super().__init__(daemon=True)
        self.folder, self.times, self.killed = folder, times, []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set() and len(self.killed) < self.times:
            pid = _worker_grading(self.folder)
            if pid is not None and pid not in self.killed:
                os.kill(pid, signal.SIGKILL)
                self.killed.append(pid)
            time.sleep(0.05)


@pytest.fixture(scope="module")
def faulty_batch(tmp_path_factory):
    from conftest import released_sample

    course, exercise, release = released_sample(tmp_path_factory.mktemp("faults"))
    solution = answered(release, exercise, "solution")
    slow = nbformat.from_dict(solution)
    count = next(c for c in slow.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "count")
    count.source = "import time\ntime.sleep(5)\n" + count.source
    for trainee in ("t-good", "t-other", "t-huge", "t-crowded"):
        submit_as(course, SAMPLE, trainee, solution)
    submit_as(course, SAMPLE, "t-victim", slow)
    course.collect(SAMPLE)
    submitted = course.folder("submitted", SAMPLE, "t-good").parent.parent
    _sparse(submitted / "t-huge" / SAMPLE / "disk.img", GIGABYTE)
    _crowd(submitted / "t-crowded" / SAMPLE, 250)
    for bad in ("bad id", "trainée-ü"):
        shutil.copytree(submitted / "t-good", submitted / bad)
    victim = course.folder("autograded", SAMPLE, "t-victim")
    killer = WorkerKiller(victim, times=2)
    killer.start()
    lines = io.StringIO()
    try:
        run = grade(course, SAMPLE, workers=2, timeout=60, stream=lines)
    finally:
        killer.stop.set()
        killer.join()
    return course, run, killer, lines.getvalue()


def _by_trainee(run):
    return {s.trainee: s for s in run.submissions}


def test_every_fault_gets_its_status_and_the_rest_is_graded(faulty_batch):
    """Dead worker, oversized, crowded and invalid-id submissions get a status; others 3/3."""
    _, run, killer, _ = faulty_batch
    assert len(killer.killed) == 2, "the victim's worker was not seen twice"
    got = {t: (s.status, s.score) for t, s in _by_trainee(run).items()}
    assert got == {
        "t-good": (GRADED, 3.0),
        "t-other": (GRADED, 3.0),
        "t-victim": (FAILED, 0.0),
        "t-huge": (TOO_LARGE, 0.0),
        "t-crowded": (TOO_LARGE, 0.0),
        "bad id": (BAD_ID, 0.0),
        "trainée-ü": (BAD_ID, 0.0),
    }


def test_each_status_says_why(faulty_batch):
    """The problems name the dead worker, the cap passed and the id rule broken."""
    _, run, _, _ = faulty_batch
    by = _by_trainee(run)
    assert WORKER_DIED in by["t-victim"].line()
    assert "'disk.img' alone 1073.7 MB" in by["t-huge"].line()
    assert "over 200 files and folders" in by["t-crowded"].line()
    assert "trainee id 'bad id'" in by["bad id"].line()
    assert "must be 1-64 letters" in by["trainée-ü"].line()


def test_one_status_line_each_and_a_note_for_the_retry(faulty_batch):
    """Every submission has one status line; the dead worker's retry is noted once."""
    _, run, _, printed = faulty_batch
    lines = printed.splitlines()
    assert lines.count("t-victim: the grading worker died; grading it again, alone") == 1
    status_lines = [line for line in lines if "grading it again" not in line]
    assert sorted(status_lines) == sorted(s.line() for s in run.submissions)


def test_no_kernel_outlives_its_killed_worker(faulty_batch):
    """The sandboxed kernels of the killed workers are gone, not left running."""
    course, _, _, _ = faulty_batch
    deadline = time.monotonic() + 10
    while True:
        left = []
        for entry in Path("/proc").iterdir():
            try:
                if (
                    entry.name.isdigit()
                    and str(course.root).encode() in (entry / "cmdline").read_bytes()
                ):
                    left.append(int(entry.name))
            except OSError:
                continue
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert left == [], [(p, Path(f"/proc/{p}/cmdline").read_bytes()[:300]) for p in left]


def test_refused_submissions_never_reach_nbgrader(faulty_batch):
    """No autograded copy, no gradebook row and no evidence for a refused submission."""
    course, _, _, _ = faulty_batch
    for trainee in ("t-huge", "t-crowded", "bad id", "trainée-ü"):
        assert not course.folder("autograded", SAMPLE, trainee).exists(), trainee
        assert course.scores(SAMPLE, trainee) == {}, trainee
    assert not (course.root / "locker" / "evidence" / "bad id").exists()


def test_the_record_holds_the_run(faulty_batch):
    """The record file has every submission's status; refused and dead ones keep no digest."""
    course, run, _, _ = faulty_batch
    record = json.loads((course.root / ".darktrail" / f"graded-{SAMPLE}.json").read_text())
    assert {t: r["status"] for t, r in record.items()} == {
        s.trainee: s.status for s in run.submissions
    }
    assert [t for t, r in record.items() if r["digest"]] == ["t-good", "t-other"]


def test_a_rerun_after_the_crash_grades_the_victim(faulty_batch):
    """Run again without killing: the victim is graded, the graded ones skipped."""
    course, _, _, _ = faulty_batch
    run = grade(course, SAMPLE, workers=2, timeout=60, stream=None)
    got = {t: (s.status, s.score) for t, s in _by_trainee(run).items()}
    assert got["t-victim"] == (GRADED, 3.0)
    assert got["t-good"][0] == got["t-other"][0] == SKIPPED
    assert got["t-huge"][0] == TOO_LARGE and got["bad id"][0] == BAD_ID


# -- the same faults under plain nbgrader, and through the exchange -----------------------


@pytest.fixture(scope="module")
def sample_course(tmp_path_factory):
    from conftest import released_sample

    course, exercise, release = released_sample(tmp_path_factory.mktemp("plain"))
    return course, answered(release, exercise, "solution")


def test_collect_leaves_a_huge_file_behind_and_collects_everyone(sample_course):
    """A 1 GB file in one inbound folder: collected without it; the others are collected too."""
    course, solution = sample_course
    for trainee in ("c-huge", "c-next"):
        submit_as(course, SAMPLE, trainee, solution)
    [inbound] = (Path(course.config.Exchange.root) / "darktrail" / "inbound").glob("c-huge+*")
    _sparse(inbound / "disk.img", GIGABYTE)
    assert {"c-huge", "c-next"} <= set(course.collect(SAMPLE))
    assert not (course.folder("submitted", SAMPLE, "c-huge") / "disk.img").exists()
    assert (course.folder("submitted", SAMPLE, "c-huge") / f"{SAMPLE}.ipynb").is_file()


def test_plain_nbgrader_refuses_oversized_and_invalid_ids_alone(sample_course):
    """`nbgrader autograde` fails an oversized or invalid-id submission alone, with the reason."""
    course, solution = sample_course
    submit_as(course, SAMPLE, "p-good", solution)
    submit_as(course, SAMPLE, "p-big", solution)
    course.collect(SAMPLE)
    submitted = course.folder("submitted", SAMPLE, "p-good").parent.parent
    _sparse(submitted / "p-big" / SAMPLE / "disk.img", 60_000_000)
    for bad in ("bad id", "trainée-ü"):
        shutil.copytree(submitted / "p-good", submitted / bad)
    result = course.api.autograde(SAMPLE, "*")
    log = result["log"]
    assert course.scores(SAMPLE, "p-good") == {
        "count-test": (2.0, 2.0),
        "manifest-test": (1.0, 1.0),
        "why": (0.0, 2.0),
    }
    for trainee in ("p-big", "bad id", "trainée-ü"):
        assert not course.folder("autograded", SAMPLE, trainee).exists(), trainee
        assert all(score == 0 for score, _ in course.scores(SAMPLE, trainee).values())
        assert f"'{SAMPLE}' for student '{trainee}'" in log, trainee
    assert "SubmissionTooLarge" in log and "'disk.img' alone 60.0 MB" in log
    assert "NotGradable: not grading 01-sample of 'bad id'" in log
    assert not (course.root / "locker" / "evidence" / "bad id").exists()


# -- feedback: a leak withholds that trainee's feedback alone -----------------------------

ANSWER_LINE = 'return case.files["seized/manifest.csv"].count(b"\\n") - 1'


def test_a_leaking_feedback_is_withheld_for_that_trainee_alone(sample_project):
    """One trainee's feedback shows a line of answers.py: withheld; the others are released."""
    import base64

    from darktrail.course.feedback import feedback, withheld_folder

    course = sample_project.course()
    [exercise] = find_exercises(sample_project.exercises)
    build_course([exercise], course)
    course.release(SAMPLE)
    release_path = course.folder("release", SAMPLE) / f"{SAMPLE}.ipynb"
    release = nbformat.read(release_path, 4)
    solution = answered(release, exercise, "solution")
    test_source = next(c.source for c in release.cells if "hand_in(n_manifest)" in c.source)
    printing = {
        "f-leaky": f"print({ANSWER_LINE!r})",
        "f-encoded": f"print({base64.b64encode(test_source.encode()).decode()!r})",
    }
    for trainee in ("f-clean", *printing):
        notebook = nbformat.from_dict(solution)
        if trainee in printing:
            cell = next(c for c in notebook.cells if "n_phones = " in c.source)
            cell.source += "\n" + printing[trainee]
        submit_as(course, SAMPLE, trainee, notebook)
    course.collect(SAMPLE)
    run = grade(course, SAMPLE, workers=2, stream=None)
    assert {s.status for s in run.submissions} == {GRADED}, run.submissions

    outcome = feedback(course, SAMPLE)

    assert sorted(outcome.files) == ["f-clean", "f-encoded"]
    assert list(outcome.withheld) == ["f-leaky"]
    [reason] = outcome.withheld["f-leaky"]
    assert reason.startswith(f"{SAMPLE}.html shows 'return case.files")
    assert "withheld from f-leaky" in outcome.summary()
    assert not list(course.folder("feedback", SAMPLE, "f-leaky").glob("*.html"))
    assert (withheld_folder(course, SAMPLE, "f-leaky") / f"{SAMPLE}.html").is_file()
    released = list((Path(course.config.Exchange.root) / "darktrail" / "feedback").glob("*.html"))
    assert len(released) == 2
    assert not any(ANSWER_LINE in p.read_text(encoding="utf-8") for p in released)
    # The re-encoded copy passes the scan, and it holds nothing the trainee lacked: the
    # tests cell is in the release they were given, and it carries no expected answer.
    encoded = base64.b64encode(test_source.encode()).decode()
    [shown] = outcome.files["f-encoded"]
    assert encoded in shown.read_text(encoding="utf-8")
    assert base64.b64decode(encoded).decode() in {c.source for c in release.cells}
