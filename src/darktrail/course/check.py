"""Course QA: prove, with real nbgrader autograde runs, that every assignment grades correctly.

For each assignment, in a scratch copy of the course:

- the reference solution earns every autograded point;
- the blank release earns none;
- each mutant (a plausible wrong answer, declared in ``mutants.toml``) loses points on every
  tests cell it targets;
- each variant (a correct answer written differently, ``variants.toml``) earns every point;
- each tests cell stands alone: the reference with one solution cell left blank (as released)
  loses exactly the tests cells whose ``needs`` name that cell, and keeps every other point;
- every value task's expected answer differs between trainees (:mod:`darktrail.course.diversity`)
  unless it is declared shared;
- the release holds nothing but the notebook and trainee data (no solutions, hidden tests,
  sources or answer data).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import nbformat

from darktrail.course.build import find_leaks, write_source
from darktrail.course.diversity import GOAL, answer_diversity, sample_trainees
from darktrail.course.engine import Course, CourseError, Project
from darktrail.course.locker import Locker
from darktrail.course.source import Exercise, Mutant, Variant, read_exercise

__all__ = ["AssignmentCheck", "check_assignments", "check_exercise", "mutate"]

SOLUTION, BLANK = "reference-solution", "blank-release"
#: The course QA's own key (public: it makes sample trainees, never a real course's).
QA_KEY = bytes.fromhex(hashlib.sha256(b"darktrail course QA").hexdigest())


@dataclass
class AssignmentCheck:
    """What ``darktrail check`` found for one assignment (``--json`` prints these fields)."""

    assignment: str
    max_score: float
    solution_score: float
    blank_score: float
    mutants: list[dict] = field(default_factory=list)
    variants: list[dict] = field(default_factory=list)
    dependencies: list[dict] = field(default_factory=list)
    diversity: list[dict] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds_per_notebook: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def mutate(notebook: nbformat.NotebookNode, mutant: Mutant | Variant) -> nbformat.NotebookNode:
    """A copy of a solution notebook with a mutant's (or variant's) code in its solution cells."""
    mutated = nbformat.from_dict(notebook)
    for cell in mutated.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in mutant.cells:
            cell.source = mutant.cells[grade_id].strip("\n")
    return mutated


def dependants(exercise: Exercise, cells) -> list[str]:
    """The tests cells that need any of the solution ``cells`` (their ``needs``)."""
    return [c.grade_id for c in exercise.autograded_cells if set(cells) & set(c.needs)]


@dataclass(frozen=True)
class Trial:
    """One answer other than the reference, graded in a scratch submission.

    ``kind`` is ``mutant`` (its ``must_lose`` are its targets), ``variant`` (it must lose
    nothing) or ``blank`` (one solution cell as released; it must lose exactly the tests cells
    that need it). ``reach`` is every tests cell its cells can change: the tests cells that
    need them, and a mutant's targets.
    """

    kind: str
    name: str
    cells: dict[str, str]
    must_lose: tuple[str, ...]
    reach: frozenset[str]


def trials(exercise: Exercise, released: nbformat.NotebookNode) -> list[Trial]:
    """Every mutant, every variant, and each solution code cell left blank, as trials."""
    stubs = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in released.cells}
    found = [
        Trial("mutant", m.name, m.cells, m.targets, _reach(exercise, m.cells, m.targets))
        for m in exercise.mutants
    ]
    found += [
        Trial("variant", v.name, v.cells, (), _reach(exercise, v.cells, ()))
        for v in exercise.variants
    ]
    for cell in exercise.cells:
        if cell.solution_code:
            blank = {cell.grade_id: stubs[cell.grade_id]}
            lose = tuple(dependants(exercise, blank))
            found.append(Trial("blank", cell.grade_id, blank, lose, frozenset(lose)))
    return found


def _reach(exercise: Exercise, cells: dict, targets: tuple[str, ...]) -> frozenset[str]:
    return frozenset(dependants(exercise, cells)) | frozenset(targets)


def packs(found: list[Trial], quick: bool = False) -> list[list[Trial]]:
    """The trials graded together, one notebook per list: one trial each, or with ``quick``
    few notebooks of trials that do not :func:`_clash`. The ``needs`` of the tests cells, which
    the blank trials prove, make that sound: a trial cannot change a tests cell outside its
    reach."""
    if not quick:
        return [[trial] for trial in found]
    grouped: list[list[Trial]] = []
    for trial in found:
        for group in grouped:
            if not any(_clash(trial, other) for other in group):
                group.append(trial)
                break
        else:
            grouped.append([trial])
    return grouped


def _clash(one: Trial, other: Trial) -> bool:
    """Whether two trials cannot share a notebook: they replace the same cell, or one can
    change a tests cell the other is judged on. Two variants may reach the same tests cells:
    each is correct, so any lost point fails the notebook, and no variant can hide another's
    mistake from the tests cell of the cell it replaced."""
    if set(one.cells) & set(other.cells):
        return True
    return bool(one.reach & other.reach) and not (one.kind == other.kind == "variant")


def covering(mutants: list[Mutant]) -> list[Mutant]:
    """A few of the ``mutants`` that together target every cell any of them targets.

    Greedy set cover, in declaration order on ties: the quick check (``make test``) grades
    these; the full check (``darktrail check``, ``make check``) grades every one.
    """
    left = {cell for mutant in mutants for cell in mutant.targets}
    chosen = []
    while left:
        best = max(mutants, key=lambda m: len(left & set(m.targets)))
        chosen.append(best)
        left -= set(best.targets)
    return [m for m in mutants if m in chosen]


def student_id(number: int) -> str:
    """The scratch course's student id of the ``number``-th trial notebook (from 1)."""
    return f"trial-{number:03d}"


def check_exercise(
    exercise: Exercise,
    grading: Path,
    sample: Path | None = None,
    quick: bool = False,
    plain: bool = False,
) -> AssignmentCheck:
    """Check one exercise in a scratch course configured like ``grading``.

    ``sample`` is a locker of sample trainees (:func:`sample_locker`) on which the answer
    diversity is measured; without it, diversity is not measured. ``quick`` grades a
    :func:`covering` few of the mutants, and several trials in one notebook where they cannot
    touch each other's tests cells (:func:`packs`).
    ``plain`` grades with nbgrader's own command, ``nbgrader autograde``, run in the scratch
    course, instead of nbgrader's API in this process.
    """
    if quick:
        exercise = replace(exercise, mutants=covering(exercise.mutants))
    with tempfile.TemporaryDirectory(prefix=f"darktrail-check-{exercise.slug}-") as tmp:
        course = Course(Path(tmp), config_from=grading)
        course.locker.install_key(QA_KEY)  # the same worlds on every run: a reproducible check
        solution = nbformat.read(write_source(exercise, course), as_version=4)
        course.generate(exercise.slug)
        release = course.folder("release", exercise.slug)
        released = nbformat.read(release / f"{exercise.slug}.ipynb", 4)
        found = trials(exercise, released)
        grouped = packs(found, quick)
        submissions = {SOLUTION: solution, BLANK: released}
        for number, group in enumerate(grouped, start=1):
            cells = {g: code for trial in group for g, code in trial.cells.items()}
            submissions[student_id(number)] = mutate(solution, Variant("", "", cells))
        for student, notebook in submissions.items():
            folder = course.folder("submitted", exercise.slug, student)
            shutil.copytree(release, folder)
            nbformat.write(notebook, folder / f"{exercise.slug}.ipynb")
        started = time.perf_counter()
        if plain:
            _autograde_plain(course, grading, exercise.slug)
        else:
            for student in submissions:
                course.autograde(exercise.slug, student)
        seconds = (time.perf_counter() - started) / len(submissions)
        scores = {student: course.scores(exercise.slug, student) for student in submissions}
        result = _judge(exercise, scores, found, grouped, find_leaks(exercise, release), seconds)
    if sample is not None and exercise.answers is not None:
        locker = Locker(root=str(sample), scenario=course.config.Locker.get("scenario", "default"))
        trainees = locker.issued()
        for task in answer_diversity(exercise.answers, locker, trainees):
            result.diversity.append(asdict(task) | {"ok": task.ok})
            if not task.ok:
                result.problems.append(
                    f"{task.grade_id}: only {task.pairs_differing:.0%} of trainee pairs have "
                    f"different answers ({task.distinct} distinct over {task.trainees} "
                    f"trainees; at least {GOAL:.0%} needed, or declare it shared)"
                )
    return result


def sample_locker(folder: Path, trainees: int = 40, scenario: str = "default") -> Path:
    """A locker in ``folder`` with ``trainees`` sample trainees issued (the course QA's).

    Its key is fixed, so the QA's figures are the same on every machine and every run.
    """
    locker = Locker(root=str(folder), scenario=scenario)
    locker.install_key(QA_KEY)
    for trainee in sample_trainees(trainees):
        locker.issue(trainee)
    return Path(folder)


def _judge(
    exercise: Exercise,
    scores: dict,
    found: list[Trial],
    grouped: list[list[Trial]],
    leaks: list[str],
    seconds: float,
) -> AssignmentCheck:
    autograded = {c.grade_id: c.points for c in exercise.autograded_cells}

    def total(student: str) -> float:
        return sum(scores[student].get(g, (0.0, 0.0))[0] for g in autograded)

    def lost_by(student: str) -> list[str]:
        return [g for g in autograded if scores[student].get(g, (0, 0))[0] < autograded[g]]

    result = AssignmentCheck(
        assignment=exercise.slug,
        max_score=float(sum(autograded.values())),
        solution_score=total(SOLUTION),
        blank_score=total(BLANK),
        leaks=leaks,
        seconds_per_notebook=round(seconds, 1),
    )
    missing = sorted(set(autograded) - set(scores[SOLUTION]))
    if missing:
        result.problems.append(f"the gradebook has no score for {', '.join(missing)}")
    if failed := lost_by(SOLUTION):
        result.problems.append(f"the reference solution loses points on {', '.join(failed)}")
    passed = [g for g in autograded if scores[BLANK].get(g, (0, 0))[0] > 0]
    if passed:
        result.problems.append(f"the blank release earns points on {', '.join(passed)}")
    outcomes: dict[int, list[str]] = {}
    for number, group in enumerate(grouped, start=1):
        lost = lost_by(student_id(number))
        # Alone, a trial answers for every point lost; packed, for those in its reach (the
        # rest of the notebook must then keep every point).
        alone = len(group) == 1
        outside = [g for g in lost if not any(g in trial.reach for trial in group)]
        for trial in group:
            outcomes[id(trial)] = [g for g in lost if alone or g in trial.reach]
        if outside and not alone:
            names = ", ".join(f"{t.kind} {t.name}" for t in group)
            result.problems.append(
                f"{', '.join(outside)} lost points in the notebook of {names}, though none of "
                "them can reach it (a missing needs=, or a kernel that died)"
            )
    for trial in found:  # in the order they were declared, whatever notebook each was in
        lost = outcomes[id(trial)]
        _verdict(result, trial, lost, result.max_score - sum(autograded[g] for g in lost))
    if leaks:
        result.problems.append(f"the release leaks: {'; '.join(leaks)}")
    return result


def _verdict(result: AssignmentCheck, trial: Trial, lost: list[str], score: float) -> None:
    """Record one trial's outcome and, if it is wrong, the problem in words."""
    kept = [g for g in trial.must_lose if g not in lost]
    if trial.kind == "mutant":
        result.mutants.append({"name": trial.name, "score": score, "kept": kept})
        if kept:
            result.problems.append(f"mutant {trial.name} keeps its points on {', '.join(kept)}")
    elif trial.kind == "variant":
        result.variants.append({"name": trial.name, "score": score, "lost": lost})
        if lost:
            result.problems.append(f"variant {trial.name} loses points on {', '.join(lost)}")
    else:
        extra = [g for g in lost if g not in trial.must_lose]
        result.dependencies.append(
            {"blank": trial.name, "needed_by": list(trial.must_lose), "lost": lost}
        )
        if extra:
            result.problems.append(
                f"blank {trial.name} costs {', '.join(extra)} too, whose needs= do not name it"
            )
        if kept:
            result.problems.append(
                f"blank {trial.name} does not cost {', '.join(kept)}, whose needs= name it"
            )


def _autograde_plain(course: Course, grading: Path, assignment: str) -> None:
    """``nbgrader autograde`` run by hand in the scratch course: the course's config file with
    the settings :class:`Course` gave the scratch course (its folders, and the exercises where
    the course config found them), then nbgrader's own command."""
    scratch = (
        ("CourseDirectory", "root"),
        ("Exchange", "root"),
        ("Locker", "root"),
        ("Sandbox", "course_root"),
        ("Casework", "exercises"),
        ("Sandbox", "exercises"),
    )
    text = (Path(grading) / "nbgrader_config.py").read_text(encoding="utf-8")
    text += "".join(f"\nc.{s}.{k} = {str(course.config[s][k])!r}" for s, k in scratch) + "\n"
    (course.root / "nbgrader_config.py").write_text(text, encoding="utf-8")
    nbgrader = Path(sys.executable).parent / "nbgrader"
    done = subprocess.run(
        [str(nbgrader), "autograde", assignment, "--create", "--force"],
        cwd=course.root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise CourseError(f"nbgrader autograde {assignment} failed:\n{done.stderr[-2000:]}")


def _check_path(folder: Path, grading: Path, sample: Path | None) -> AssignmentCheck:
    return check_exercise(read_exercise(folder), grading, sample)


def check_assignments(
    project: Project, exercises: list[Exercise], workers: int = 1, sample: int = 40
) -> list[AssignmentCheck]:
    """Check several exercises, ``workers`` at a time (each in its own process and scratch course).

    ``sample`` trainees are issued once, for every exercise's answer-diversity measure
    (0: not measured).
    """
    with tempfile.TemporaryDirectory(prefix="darktrail-qa-") as tmp:
        qa = sample_locker(Path(tmp), sample) if sample else None
        if workers <= 1 or len(exercises) <= 1:
            return [check_exercise(exercise, project.grading, qa) for exercise in exercises]
        with ProcessPoolExecutor(max_workers=min(workers, len(exercises))) as pool:
            jobs = [pool.submit(_check_path, e.folder, project.grading, qa) for e in exercises]
            return [job.result() for job in jobs]
