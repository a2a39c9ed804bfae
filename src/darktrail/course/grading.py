"""``darktrail grade``: autograde every collected submission of an assignment, in parallel.

Each submission is autograded by nbgrader with the trainee's id in ``DARKTRAIL_TRAINEE``, so hidden
tests rebuild that trainee's own evidence. Why it is built this way:

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
- **Safe to re-run.** The submitted files of each graded submission are hashed into
  ``<course>/.darktrail/graded-<assignment>.json``; an unchanged submission is skipped, a
  changed (re-collected) one is graded again.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import DeduplicateIds, NbGraderPreprocessor
from traitlets.config import Config

from darktrail.course.engine import Course, CourseError

__all__ = [
    "SANITIZE_PREPROCESSORS",
    "STATUSES",
    "GradedSubmission",
    "GradingRun",
    "grade",
    "grading_settings",
    "inspect_submission",
    "submission_hash",
]

GRADED, SKIPPED = "graded", "unchanged"
INVALID, FAILED, TIMED_OUT = "invalid notebook", "failed to execute", "timed out"
MISSING, DUPLICATED, TAMPERED = "missing cells", "duplicated cells", "tampered cells"
#: Every status a submission can get, worst first (a submission shows its worst).
STATUSES = (INVALID, FAILED, TIMED_OUT, MISSING, DUPLICATED, TAMPERED, GRADED, SKIPPED)
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
    return steps


#: nbgrader's sanitize steps with :class:`ForgetDuplicateCells`; the course config sets them,
#: so a duplicated cell is forgotten under every way of autograding.
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
    """SHA-256 over the names and contents of every file of a submitted folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
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


def _grade_submission(assignment: str, trainee: str, digest: str) -> GradedSubmission:
    # Warnings inside nbgrader (about a trainee's notebook, say) are not the batch's to raise,
    # even where the caller turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _grade_quietly(assignment, trainee, digest)


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
    outcomes, todo = [], []
    for trainee in trainees:
        digest = submission_hash(course.folder("submitted", assignment, trainee))
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
    for outcome in outcomes:
        progress.line(outcome.line())

    def finished(outcome: GradedSubmission) -> None:
        outcomes.append(outcome)
        record[outcome.trainee] = {
            k: v for k, v in asdict(outcome).items() if k not in ("trainee", "seconds")
        }
        _save_record(record_path, record)
        progress.line(outcome.line())
        progress.step()

    if todo and (workers == 1 or len(todo) == 1):
        _start_worker(str(course.root), settings)
        for trainee, digest in todo:
            finished(_grade_submission(assignment, trainee, digest))
    elif todo:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(todo)),
            initializer=_start_worker,
            initargs=(str(course.root), settings),
        ) as pool:
            jobs = [pool.submit(_grade_submission, assignment, t, d) for t, d in todo]
            for job in as_completed(jobs):
                finished(job.result())
    progress.close()
    outcomes.sort(key=lambda o: o.trainee)
    return GradingRun(assignment, outcomes, round(time.perf_counter() - started, 2))
