"""``darktrail grade``: autograde every collected submission of an assignment, in parallel.

Each submission is autograded by nbgrader as its trainee: the judge (:mod:`.judge`) takes the
trainee from nbgrader's student of the submission. Why it is built this way:

- **Long-lived workers.** An nbgrader process spends about 3 s importing before it grades
  anything, so one process per submission is slower than plain serial nbgrader. ``workers``
  processes start once (forked from this one, imports included) and each grades many
  submissions, one at a time. Each kernel starts in the grading sandbox, as under any
  autograde (:mod:`darktrail.course.sandbox`).
- **One gradebook, no lost rows.** SQLite lets one writer in at a time. nbgrader's writes are
  short, so the workers share the gradebook with a long SQLite busy timeout (a writer waits
  for the lock instead of failing), and a submission whose autograde still reports
  "database is locked" is autograded again. Afterwards every graded submission is read back
  from the gradebook.
- **A bad submission never stops the batch.** Invalid JSON, deleted, duplicated or edited
  graded cells, runaway loops (``Execute.timeout``), a kernel that dies: each gets a status
  and its score, and the batch goes on.
- **Refused before grading.** A submitted folder whose name is not a valid trainee id
  (:func:`darktrail.identity.checked_trainee_id`) is ``invalid id``; one over the course's
  caps (:class:`SubmissionLimits`: total size, number of files and folders) is ``too large``.
  Neither is autograded nor hashed, so neither costs a kernel, a copy or a read of its files.
- **A dead worker is not the batch's end.** A worker process killed while grading (by the
  kernel's out-of-memory killer, say) breaks its pool: every submission the pool had not
  finished goes to a fresh pool. A submission that was being graded at the time is graded
  again *alone*; if its worker dies again it is ``failed to execute`` ("the grading worker
  died"), and the others were never at risk with it.
- **Safe to re-run.** The submitted files of each graded submission are hashed (a block at a
  time: a huge file costs no memory) into ``<course>/.darktrail/graded-<assignment>.json``; an
  unchanged submission is skipped, a changed (re-collected) one is graded again, and so is one
  whose worker died.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters.autograde import Autograde
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.preprocessors import DeduplicateIds, NbGraderPreprocessor
from traitlets import Int
from traitlets.config import Config

from darktrail.course import judge
from darktrail.course.engine import Course, CourseError
from darktrail.course.locker import sha256_file
from darktrail.course.sandbox import end_orphaned_sandboxes
from darktrail.identity import checked_trainee_id

__all__ = [
    "SANITIZE_PREPROCESSORS",
    "STATUSES",
    "CollectWithinCaps",
    "GradedSubmission",
    "GradingRun",
    "SubmissionLimits",
    "SubmissionTooLarge",
    "grade",
    "grading_settings",
    "inspect_submission",
    "submission_hash",
]

GRADED, SKIPPED = "graded", "unchanged"
BAD_ID, TOO_LARGE = "invalid id", "too large"
INVALID, FAILED, TIMED_OUT = "invalid notebook", "failed to execute", "timed out"
MISSING, DUPLICATED, TAMPERED = "missing cells", "duplicated cells", "tampered cells"
OTHER_EVIDENCE = "other evidence"
#: Every status a submission can get, worst first (a submission shows its worst). The first
#: two are refused before grading: they score nothing and nbgrader never sees them.
STATUSES = (
    BAD_ID,
    TOO_LARGE,
    INVALID,
    FAILED,
    TIMED_OUT,
    MISSING,
    DUPLICATED,
    TAMPERED,
    OTHER_EVIDENCE,
    GRADED,
    SKIPPED,
)
#: The problem of a submission whose worker process died twice while grading it.
WORKER_DIED = "the grading worker died"
_RETRIES = 5
# Failures that say nothing about the submission: the gradebook was busy, or a kernel lost
# the race for a free TCP port against another worker's kernel.
_TRANSIENT = ("database is locked", "Address already in use", "Kernel died before replying")
_SQLITE_BUSY_SECONDS = 120


@dataclass
class GradedSubmission:
    """The outcome of grading one trainee's submission."""

    trainee: str
    status: str
    score: float = 0.0
    max_score: float = 0.0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    digest: str = ""

    def line(self) -> str:
        """One status line: trainee, status, score and what was wrong."""
        detail = "; ".join(self.problems)
        return (
            f"{self.trainee:20} {self.status:18} {self.score:6g}/{self.max_score:<6g}"
            + (f" {detail}" if detail else "")
        ).rstrip()


@dataclass
class GradingRun:
    """Every submission's outcome and the summary of one ``darktrail grade`` run."""

    assignment: str
    submissions: list[GradedSubmission]
    seconds: float

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for submission in self.submissions:
            counts[submission.status] += 1
        return {status: n for status, n in counts.items() if n}

    def summary(self) -> str:
        parts = ", ".join(f"{n} {status}" for status, n in self.counts().items()) or "nothing"
        return (
            f"{self.assignment}: {len(self.submissions)} submission(s) in "
            f"{self.seconds:.1f} s: {parts}"
        )


class SubmissionTooLarge(ValueError):
    """A submitted folder is over the course's caps; the message says which and by how much."""


class SubmissionLimits(NbGraderPreprocessor):
    """Caps on a submitted folder: its total size and its number of files and folders.

    A training-room submission is the assignment's notebook with its outputs and the few
    files of the release (the evidence bundle is never submitted: ``CourseDirectory.ignore``),
    so the defaults, 50 MB and 200 files and folders, leave honest work a wide margin, while a
    cohort of 60 at the cap still fits in 3 GB of disk.
    ``grading/nbgrader_config.py`` sets them (``c.SubmissionLimits.*``).

    The same caps hold under every way of autograding:

    - ``darktrail grade`` asks :meth:`problem` before anything else: a submission over a cap
      is ``too large``, never hashed, copied or run.
    - Plain ``nbgrader autograde`` and the formgrader run this class as the first sanitize
      step (:data:`SANITIZE_PREPROCESSORS`): it raises :class:`SubmissionTooLarge`, so nbgrader
      fails that submission alone, removes its autograded copy and grades the rest. nbgrader
      has by then copied the submission's other files into ``autograded/`` (its
      ``init_assignment`` runs before any preprocessor); ``c.CourseDirectory.max_file_size``
      keeps the files that could make this costly out of ``submitted/`` in the first place,
      since nbgrader's exchange leaves every file over it behind at ``submit`` and ``collect``.
    """

    max_mb = Int(50, help="Largest total size of a submitted folder, in MB (10^6 bytes)").tag(
        config=True
    )
    max_files = Int(200, help="Most files and folders in a submitted folder").tag(config=True)

    def problem(self, folder: Path) -> str | None:
        """What is over a cap in ``folder`` (``"over 50 MB (the cap): ..."``), or ``None``.

        Only names and sizes are read (the apparent size: a sparse file counts in full, as
        it would once copied), and the walk stops at the first cap passed.
        """
        size, count, todo = 0, 0, [Path(folder)]
        limit = self.max_mb * 1_000_000
        while todo:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    count += 1
                    if count > self.max_files:
                        return f"over {self.max_files} files and folders (the cap)"
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(Path(entry.path))
                        continue
                    bytes_ = entry.stat(follow_symlinks=False).st_size
                    size += bytes_
                    if size > limit:
                        return (
                            f"over {self.max_mb} MB (the cap): {size / 1e6:.1f} MB in its first "
                            f"{count} file(s), {entry.name!r} alone {bytes_ / 1e6:.1f} MB"
                        )
        return None

    def preprocess(self, nb, resources):
        folder = resources.get("metadata", {}).get("path")
        problem = self.problem(Path(folder)) if folder else None
        if problem:
            raise SubmissionTooLarge(f"{folder} is too large: {problem}; it is not graded")
        return nb, resources


class CollectWithinCaps(ExchangeCollect):
    """nbgrader's collect, where one oversized submission no longer stops the collection.

    nbgrader's exchange copies a submission leaving behind every file over
    ``CourseDirectory.max_file_size``, but first refuses a folder over ``max_dir_size`` by
    raising, which ends ``collect`` for every trainee after that one: a 1 GB sparse file in
    one inbound folder would stop a whole class being collected. Here such a folder is
    collected like any other, its files over ``max_file_size`` left behind (with nbgrader's
    warning); :class:`SubmissionLimits` then judges what was collected. The course config
    selects it (``c.ExchangeFactory.collect``).
    """

    def get_size(self, root):
        """The folder's size as nbgrader's ``do_copy`` sees it: never over ``max_dir_size``."""
        size = super().get_size(root)
        cap = 1000 * self.coursedir.max_dir_size
        if size > cap:
            self.log.warning(
                "%s holds %.1f MB, over CourseDirectory.max_dir_size: collecting it without its "
                "files over CourseDirectory.max_file_size",
                root,
                size / 1e6,
            )
            return cap
        return size


class ForgetDuplicateCells(NbGraderPreprocessor):
    """Drop the empty nbgrader metadata that ``DeduplicateIds`` leaves on a duplicated cell.

    nbgrader 0.9's ``OverwriteCells.add_missing_cells`` fails on such a cell (``KeyError:
    'grade_id'``); without the empty metadata the copy is an ordinary cell.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources


def _sanitize_steps() -> list:
    steps = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    steps.insert(steps.index(DeduplicateIds) + 1, ForgetDuplicateCells)
    return [SubmissionLimits, *steps]


#: nbgrader's sanitize steps, first :class:`SubmissionLimits`, with :class:`ForgetDuplicateCells`;
#: the course config sets them, so under every way of autograding a submission over the caps
#: is refused and a duplicated cell is forgotten.
SANITIZE_PREPROCESSORS = _sanitize_steps()


def grading_settings(course_root: Path, db_url: str, timeout: int | None = None) -> Config:
    """What ``darktrail grade`` adds to the course config: its timeout, a patient SQLite.

    Everything that decides a grade (restoring deleted cells, forgetting duplicated ones, the
    judge, the sandbox) is the course configuration's, shared with every way of autograding.
    """
    settings = Config()
    if timeout is not None:
        if timeout < 1:
            raise ValueError(f"the timeout must be at least 1 second, got {timeout}")
        settings.Execute.timeout = int(timeout)
    if db_url.startswith("sqlite:///") and "?" not in db_url:
        settings.CourseDirectory.db_url = f"{db_url}?timeout={_SQLITE_BUSY_SECONDS}"
    return settings


def submission_hash(folder: Path) -> str:
    """SHA-256 over the names and contents of every file of a submitted folder.

    Files are read a block at a time, so a huge (or sparse) file costs time, never memory.
    A symbolic link counts by where it points; it is never followed.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix().encode(errors="surrogateescape") + b"\0"
        if path.is_symlink():
            digest.update(name + b"-> " + os.fsencode(os.readlink(path)) + b"\0")
        elif path.is_file():
            digest.update(name)
            digest.update(sha256_file(path).digest())
    return digest.hexdigest()


def _read_quietly(path: Path) -> nbformat.NotebookNode:
    """Read a notebook; nbformat's warnings about a trainee's copy are not ours to raise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.read(path, as_version=4)


def _grade_ids(notebook: nbformat.NotebookNode) -> list[tuple[str, dict, str]]:
    found = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id"):
            found.append((meta["grade_id"], meta, cell.get("source", "")))
    return found


def inspect_submission(release: Path, submitted: Path) -> list[tuple[str, str]]:
    """What is wrong with a submitted folder compared with the release, as (status, detail).

    Looks for notebooks that are missing or not valid JSON, and in each notebook for graded
    cells deleted or duplicated and locked cells whose source was edited.
    """
    found = []
    for released_path in sorted(Path(release).glob("*.ipynb")):
        name = released_path.name
        path = Path(submitted) / name
        if not path.is_file():
            found.append((INVALID, f"{name} was not submitted"))
            continue
        try:
            notebook = _read_quietly(path)
        except Exception as error:  # nbformat raises JSON, schema and encoding errors
            found.append((INVALID, f"{name} is not a readable notebook ({type(error).__name__})"))
            continue
        released = {g: (meta, src) for g, meta, src in _grade_ids(_read_quietly(released_path))}
        cells = _grade_ids(notebook)
        ids = [g for g, _, _ in cells]
        missing = [g for g, (meta, _) in released.items() if meta.get("grade") and g not in ids]
        if missing:
            found.append((MISSING, f"deleted {', '.join(missing)}"))
        twice = sorted({g for g in ids if ids.count(g) > 1})
        if twice:
            found.append((DUPLICATED, f"duplicated {', '.join(twice)}"))
        edited = sorted(
            {
                g
                for g, _, source in cells
                if g in released
                and released[g][0].get("locked")
                and source.strip() != released[g][1].strip()
            }
        )
        if edited:
            found.append((TAMPERED, f"edited locked {', '.join(edited)} (restored)"))
    return found


def _execution_problems(autograded: Path) -> list[tuple[str, str]]:
    found = []
    note = Path(autograded) / judge.OTHER_EVIDENCE
    if note.is_file():  # the judge found the work done on another bundle than the frozen one
        found.append((OTHER_EVIDENCE, json.loads(note.read_text(encoding="utf-8"))["problem"]))
    for path in sorted(Path(autograded).glob("*.ipynb")):
        notebook = _read_quietly(path)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") != "error":
                    continue
                where = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or "a cell"
                if output.get("ename") == "CellTimeoutError":
                    found.append((TIMED_OUT, f"{where} ran out of time"))
                elif output.get("ename") == "DeadKernelError":
                    found.append((FAILED, f"the kernel died in {where}"))
    return found


_COURSE: Course | None = None


def _start_worker(root: str, settings: Config) -> None:
    global _COURSE
    _COURSE = Course(Path(root), settings=settings)


def _autograde_until_written(course: Course, assignment: str, trainee: str) -> dict:
    for attempt in range(_RETRIES):
        try:
            result = course.autograde(assignment, trainee)
        except Exception as error:  # nbgrader usually reports failure in the result instead
            result = {"success": False, "error": f"{type(error).__name__}: {error}", "log": ""}
        text = f"{result.get('error') or ''}\n{result.get('log') or ''}"
        if not any(marker in text for marker in _TRANSIENT):
            return result
        time.sleep(0.5 * (attempt + 1))
    return result


def _failure(result: dict) -> str:
    text = f"{result.get('error') or ''}\n{result.get('log') or ''}"
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the kernel died"
    if "database is locked" in text:
        return "the gradebook stayed locked"
    lines = [line for line in (result.get("error") or "").strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else "nbgrader could not autograde it"


def _grade_submission(
    assignment: str, trainee: str, digest: str, marker: str | None = None
) -> GradedSubmission:
    # The marker file says "this worker is grading it" until it is done: after a worker died,
    # it tells the submissions that were being graded from those still waiting their turn.
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    # Warnings inside nbgrader (about a trainee's notebook, say) are not the batch's to raise,
    # even where the caller turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = _grade_quietly(assignment, trainee, digest)
    if marker:
        Path(marker).unlink(missing_ok=True)
    return outcome


def _grade_quietly(assignment: str, trainee: str, digest: str) -> GradedSubmission:
    course = _COURSE
    started = time.perf_counter()
    found = inspect_submission(
        course.folder("release", assignment), course.folder("submitted", assignment, trainee)
    )
    result = _autograde_until_written(course, assignment, trainee)
    if not result.get("success") and not any(s == INVALID for s, _ in found):
        found.append((FAILED, _failure(result)))
    elif result.get("success"):
        found += _execution_problems(course.folder("autograded", assignment, trainee))
    score, max_score = _read_back(course, assignment, trainee)
    found.sort(key=lambda item: STATUSES.index(item[0]))
    return GradedSubmission(
        trainee=trainee,
        status=found[0][0] if found else GRADED,
        score=score,
        max_score=max_score,
        problems=list(dict.fromkeys(detail for _, detail in found)),
        seconds=round(time.perf_counter() - started, 2),
        digest=digest,
    )


def _read_back(course: Course, assignment: str, trainee: str) -> tuple[float, float]:
    with Gradebook(course.db_url) as gradebook:
        max_score = float(gradebook.find_assignment(assignment).max_score)
        try:
            submission = gradebook.find_submission(assignment, trainee)
        except MissingEntry:
            return 0.0, max_score
        return float(submission.score or 0), max_score


def _record_path(course: Course, assignment: str) -> Path:
    return course.root / ".darktrail" / f"graded-{assignment}.json"


def _load_record(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}  # a damaged record only costs a regrade


def _save_record(path: Path, record: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(path)


class _Progress:
    """A one-line progress bar on a terminal, status lines above it; plain lines otherwise."""

    def __init__(self, total: int, stream: TextIO | None):
        self.total, self.done, self.stream = total, 0, stream
        self.bar = bool(stream is not None and getattr(stream, "isatty", lambda: False)())

    def line(self, text: str) -> None:
        if self.stream is None:
            return
        if self.bar:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self._draw()

    def step(self) -> None:
        self.done += 1
        self._draw()

    def _draw(self) -> None:
        if self.bar and self.total:
            filled = round(30 * self.done / self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
        if self.stream is not None:
            self.stream.flush()

    def close(self) -> None:
        if self.bar:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _refusal(trainee: str, folder: Path, limits: SubmissionLimits) -> tuple[str, str] | None:
    """``(status, problem)`` if a submission must not be graded at all, else ``None``."""
    try:
        checked_trainee_id(trainee, f"the name of the folder {folder.parent}")
    except ValueError as error:
        return BAD_ID, f"{error}; not graded"
    problem = limits.problem(folder)
    if problem:
        return TOO_LARGE, f"{problem}; not graded"
    return None


def _max_score(course: Course, assignment: str) -> float:
    with Gradebook(course.db_url) as gradebook:
        try:
            return float(gradebook.find_assignment(assignment).max_score)
        except MissingEntry:
            return 0.0


def _grade_in_pools(
    course: Course,
    assignment: str,
    settings: Config,
    todo: list[tuple[str, str]],
    workers: int,
    finished,
    note,
) -> None:
    """Grade ``todo`` in pools of worker processes, a fresh pool after any worker died.

    A submission that was being graded when its pool broke is graded again alone (a pool of
    one), so a submission that kills its worker every time fails only itself: the second
    death while it is graded gives it ``failed to execute`` with :data:`WORKER_DIED`.
    """
    markers = Path(tempfile.mkdtemp(prefix="darktrail-grading-"))
    deaths = [0] * len(todo)
    waiting, suspects = list(range(len(todo))), []
    fruitless = 0  # pools in a row that broke having neither finished nor started anything
    try:
        while waiting or suspects:
            alone = bool(suspects)
            batch = suspects if alone else waiting
            size = 1 if alone else min(workers, len(batch))
            done, broken = _run_pool(
                course, assignment, settings, todo, batch, size, markers, finished
            )
            if alone:
                suspects = []
            else:
                waiting = []
            stuck = broken and not done and not any(running for _, running in broken)
            fruitless = fruitless + 1 if stuck else 0
            if fruitless == 3:
                raise CourseError(
                    f"the grading workers of {assignment} die before grading anything: check "
                    "that grading/nbgrader_config.py loads (nbgrader autograde shows why)"
                )
            for index, was_running in broken:
                trainee, digest = todo[index]
                if not was_running:
                    (suspects if alone else waiting).append(index)
                    continue
                deaths[index] += 1
                if deaths[index] < 2:
                    note(f"{trainee}: the grading worker died; grading it again, alone")
                    suspects.append(index)
                else:
                    finished(_worker_died(course, assignment, trainee))
    finally:
        shutil.rmtree(markers, ignore_errors=True)


def _run_pool(course, assignment, settings, todo, batch, size, markers, finished):
    """Grade ``batch`` (indices into ``todo``) in one pool; return what a broken pool left.

    Returns how many it finished, and ``[(index, was_running)]`` for every submission it
    did not finish.
    """
    done, broken = 0, []
    with ProcessPoolExecutor(
        max_workers=size, initializer=_start_worker, initargs=(str(course.root), settings)
    ) as pool:
        jobs = {}
        for index in batch:
            trainee, digest = todo[index]
            marker = str(markers / str(index))
            jobs[pool.submit(_grade_submission, assignment, trainee, digest, marker)] = index
        for job in as_completed(jobs):
            index = jobs[job]
            trainee, digest = todo[index]
            try:
                outcome = job.result()
            except BrokenProcessPool:
                marker = markers / str(index)
                broken.append((index, marker.is_file()))
                if marker.is_file():  # its kernel must not outlive the worker, nor meet the retry
                    end_orphaned_sandboxes(course.folder("autograded", assignment, trainee))
                marker.unlink(missing_ok=True)
                continue
            except Exception as error:  # the grader itself failed on this one submission
                outcome = GradedSubmission(
                    trainee,
                    FAILED,
                    0.0,
                    _max_score(course, assignment),
                    [f"the grader failed: {type(error).__name__}: {error}"[:200]],
                    digest=digest,
                )
            finished(outcome)
            done += 1
    return done, broken


def _worker_died(course: Course, assignment: str, trainee: str) -> GradedSubmission:
    """The outcome of a submission whose worker died twice; no digest, so a rerun regrades it."""
    score, max_score = _read_back(course, assignment, trainee)
    return GradedSubmission(
        trainee, FAILED, score, max_score, [f"{WORKER_DIED} (twice) while grading it"]
    )


def grade(
    course: Course,
    assignment: str,
    workers: int = 2,
    timeout: int | None = None,
    force: bool = False,
    stream: TextIO | None = sys.stdout,
) -> GradingRun:
    """Autograde every collected submission of ``assignment``; return each one's outcome.

    Parameters
    ----------
    course
        The course whose ``submitted/`` folder holds the collected submissions.
    workers
        Worker processes; each grades many submissions in turn.
    timeout
        Seconds a cell may run (nbgrader's ``Execute.timeout``); default: the course's setting.
    force
        Grade unchanged submissions again too.
    stream
        Where status lines (and, on a terminal, a progress bar) go; ``None`` for silence.
    """
    started = time.perf_counter()
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if not course.folder("release", assignment).is_dir():
        raise CourseError(f"{assignment} has no release in {course.root}: run darktrail release")
    trainees = sorted(course.api.get_submitted_students(assignment))
    record_path = _record_path(course, assignment)
    record = _load_record(record_path)
    settings = grading_settings(course.root, course.db_url, timeout)
    limits = SubmissionLimits(config=course.config)
    max_score = _max_score(course, assignment)
    outcomes, todo = [], []
    for trainee in trainees:
        folder = course.folder("submitted", assignment, trainee)
        refused = _refusal(trainee, folder, limits)
        if refused is not None:
            status, problem = refused
            outcomes.append(GradedSubmission(trainee, status, 0.0, max_score, [problem]))
            continue
        digest = submission_hash(folder)
        known = record.get(trainee, {})
        if not force and known.get("digest") == digest and course.scores(assignment, trainee):
            outcomes.append(
                GradedSubmission(
                    trainee,
                    SKIPPED,
                    known.get("score", 0.0),
                    known.get("max_score", 0.0),
                    [f"last graded: {known.get('status')}"],
                    digest=digest,
                )
            )
        else:
            todo.append((trainee, digest))
    progress = _Progress(len(todo), stream)

    def remember(outcome: GradedSubmission) -> None:
        # A refused submission or one whose worker died keeps no digest: never skipped.
        record[outcome.trainee] = {
            k: v for k, v in asdict(outcome).items() if k not in ("trainee", "seconds")
        }

    for outcome in outcomes:
        if outcome.status in (BAD_ID, TOO_LARGE):
            remember(outcome)
        progress.line(outcome.line())
    if any(o.status in (BAD_ID, TOO_LARGE) for o in outcomes):
        _save_record(record_path, record)

    def finished(outcome: GradedSubmission) -> None:
        outcomes.append(outcome)
        remember(outcome)
        _save_record(record_path, record)
        progress.line(outcome.line())
        progress.step()

    if todo:
        _grade_in_pools(course, assignment, settings, todo, workers, finished, progress.line)
    progress.close()
    outcomes.sort(key=lambda o: o.trainee)
    return GradingRun(assignment, outcomes, round(time.perf_counter() - started, 2))
