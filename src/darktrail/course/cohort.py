"""A rehearsal cohort: synthetic submissions made through the exchange, as trainees make them.

``simulate_cohort`` takes a released assignment and, for each trainee, fills the released
notebook with one kind of answer -- the reference solution, a mutant from ``mutants.toml``
(a plausible wrong answer) or nothing at all -- and submits it through nbgrader's exchange
under that trainee's id. It records what each trainee submitted and the autograded score it
should earn, so an instructor can rehearse the course day and tests can check it end to end.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory

from darktrail.course.engine import Course, CourseError
from darktrail.course.roster import roster
from darktrail.course.source import Exercise

__all__ = [
    "BLANK",
    "SOLUTION",
    "SimulatedSubmission",
    "answered",
    "read_cohort",
    "simulate_cohort",
    "submit_as",
]

SOLUTION, BLANK = "solution", "blank"
#: What a simulated trainee writes into a written-answer cell; an instructor grades it by hand.
WRITTEN_ANSWER = "A simulated trainee's written answer, for the instructor to grade."
_MARKER_LINES = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class SimulatedSubmission:
    """What one simulated trainee submitted and the autograded score it should earn.

    ``answers`` is ``"solution"``, ``"blank"`` or a mutant's name. A mutant is expected to lose
    exactly the points of the tests cells it targets (``darktrail check`` shows it loses them).
    """

    trainee: str
    answers: str
    expected_score: float
    max_score: float


def _record_path(course: Course, assignment: str) -> Path:
    return course.root / ".darktrail" / f"cohort-{assignment}.json"


def _trainee_answer(source: str) -> str:
    """A solution cell as a trainee would leave it: the answer, without nbgrader's markers."""
    lines = [line for line in source.splitlines() if line.strip() not in _MARKER_LINES]
    return "\n".join(lines).strip("\n")


def answered(
    release: nbformat.NotebookNode, exercise: Exercise, answers: str
) -> nbformat.NotebookNode:
    """The released notebook with ``answers`` (solution, blank or a mutant's name) filled in.

    Written-answer cells get :data:`WRITTEN_ANSWER` unless the notebook is handed in blank.
    """
    if answers == BLANK:
        return nbformat.from_dict(release)
    code = {c.grade_id: _trainee_answer(c.source) for c in exercise.cells if c.solution_code}
    if answers != SOLUTION:
        mutants = {m.name: m for m in exercise.mutants}
        if answers not in mutants:
            raise ValueError(f"{exercise.slug} has no mutant {answers!r}")
        code.update({g: text.strip("\n") for g, text in mutants[answers].cells.items()})
    written = {c.grade_id for c in exercise.cells if c.role == "answer" and c.kind == "markdown"}
    notebook = nbformat.from_dict(release)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in code:
            cell.source = code[grade_id]
        elif grade_id in written:
            cell.source = WRITTEN_ANSWER
    return notebook


def submit_as(
    course: Course, assignment: str, trainee: str, notebook: nbformat.NotebookNode
) -> None:
    """Submit a notebook (with the release's other files) through the exchange as ``trainee``.

    nbgrader's filesystem exchange takes the student id from the operating-system user
    unless the course directory names one; here it does, exactly as ``nbgrader submit
    --student`` would.
    """
    release = course.folder("release", assignment)
    with tempfile.TemporaryDirectory(prefix="darktrail-submit-") as tmp:
        work = Path(tmp) / "home" / assignment
        shutil.copytree(release, work)
        nbformat.write(notebook, work / f"{assignment}.ipynb")
        coursedir = CourseDirectory(config=course.config)
        coursedir.assignment_id = assignment
        coursedir.student_id = trainee
        submit = course.api.exchange.Submit(
            coursedir=coursedir, authenticator=course.api.authenticator, config=course.config
        )
        submit.assignment_dir = str(work.parent)
        submit.cache = str(Path(tmp) / "cache")
        try:
            submit.start()
        except Exception as error:  # nbgrader's ExchangeError and OS errors alike
            raise CourseError(f"could not submit {assignment} as {trainee}: {error}") from error


def simulate_cohort(
    course: Course,
    exercise: Exercise,
    size: int,
    seed: int | random.Random = 0,
) -> list[SimulatedSubmission]:
    """Submit ``size`` synthetic submissions of a released exercise; record and return them.

    The trainees are the first ``size`` of the roster (by id), then made-up ids
    ``trainee-01``, ``trainee-02``... Each kind of answer (solution, every mutant, blank)
    appears as evenly as ``size`` allows, in an order drawn from ``seed``.
    """
    if size < 1:
        raise ValueError(f"a cohort needs at least one trainee, got size={size}")
    release_path = course.folder("release", exercise.slug) / f"{exercise.slug}.ipynb"
    if not release_path.is_file():
        raise CourseError(f"{exercise.slug} is not released yet: run darktrail release first")
    outbound = Path(course.config.Exchange.root) / course.coursedir.course_id / "outbound"
    if not (outbound / exercise.slug).is_dir():
        raise CourseError(f"{exercise.slug} is not in the exchange: run darktrail release first")
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    ids = [t.id for t in roster(course)][:size]
    made_up = (f"trainee-{n:02d}" for n in range(1, 10 * size + 1))
    while len(ids) < size:
        candidate = next(made_up)
        if candidate not in ids:
            ids.append(candidate)
    kinds = [SOLUTION, BLANK, *(m.name for m in exercise.mutants)]
    plan = (kinds * (size // len(kinds) + 1))[:size]
    rng.shuffle(plan)
    autograded = {c.grade_id: float(c.points) for c in exercise.autograded_cells}
    full = sum(autograded.values())
    mutants = {m.name: m for m in exercise.mutants}
    release = nbformat.read(release_path, as_version=4)
    cohort = []
    for trainee, answers in zip(ids, plan, strict=True):
        if answers == SOLUTION:
            expected = full
        elif answers == BLANK:
            expected = 0.0
        else:
            expected = full - sum(autograded[g] for g in set(mutants[answers].targets))
        submit_as(course, exercise.slug, trainee, answered(release, exercise, answers))
        cohort.append(SimulatedSubmission(trainee, answers, expected, full))
    path = _record_path(course, exercise.slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(s) for s in cohort], indent=1) + "\n", encoding="utf-8")
    return cohort


def read_cohort(course: Course, assignment: str) -> list[SimulatedSubmission]:
    """The record of the last simulated cohort of an assignment."""
    path = _record_path(course, assignment)
    if not path.is_file():
        raise CourseError(f"no simulated cohort of {assignment} ({path} is missing)")
    return [SimulatedSubmission(**entry) for entry in json.loads(path.read_text("utf-8"))]
