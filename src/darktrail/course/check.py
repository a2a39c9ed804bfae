"""Course QA: prove, with real nbgrader autograde runs, that every assignment grades correctly.

For each assignment, in a scratch copy of the course:

- the reference solution earns every autograded point;
- the blank release earns none;
- each mutant (a plausible wrong answer, declared in ``mutants.toml``) loses points on every
  tests cell it targets;
- each variant (a correct answer written differently, ``variants.toml``) earns every point;
- every value task's expected answer differs between trainees (:mod:`darktrail.course.diversity`)
  unless it is declared shared;
- the release holds nothing but the notebook and trainee data (no solutions, hidden tests,
  sources or answer data).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import nbformat

from darktrail.course.build import find_leaks, write_source
from darktrail.course.diversity import GOAL, answer_diversity, sample_trainees
from darktrail.course.engine import Course, Project
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
    diversity: list[dict] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    solution_seconds: float = 0.0

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


def student_id(kind: str, alternatives: list, alternative) -> str:
    """The scratch course's student id of a mutant or variant: short and always a valid id
    (names may be long, and packed variants join several with '+')."""
    return f"{kind}-{alternatives.index(alternative) + 1:03d}"


def covering(alternatives: list, cells_of) -> list:
    """A few of ``alternatives`` that together cover every cell any of them covers.

    Greedy set cover, in declaration order on ties: the quick check (``make test``) grades
    these; the full check (``darktrail check``, ``make check``) grades every one.
    """
    left = {cell for alternative in alternatives for cell in cells_of(alternative)}
    chosen = []
    while left:
        best = max(alternatives, key=lambda a: len(left & set(cells_of(a))))
        chosen.append(best)
        left -= set(cells_of(best))
    return [a for a in alternatives if a in chosen]


def packed(variants: list[Variant]) -> list[Variant]:
    """Variants that replace different cells, put together into as few notebooks as possible.

    Each variant is a correct answer, so a notebook of several (in different cells) must
    still earn every point; the quick check grades these packs instead of one run each.
    """
    packs: list[list[Variant]] = []
    for variant in variants:
        for pack in packs:
            if not any(set(variant.cells) & set(other.cells) for other in pack):
                pack.append(variant)
                break
        else:
            packs.append([variant])
    return [
        Variant(
            "+".join(v.name for v in pack),
            "; ".join(v.why for v in pack),
            {cell: code for v in pack for cell, code in v.cells.items()},
        )
        for pack in packs
    ]


def check_exercise(
    exercise: Exercise, grading: Path, sample: Path | None = None, quick: bool = False
) -> AssignmentCheck:
    """Check one exercise in a scratch course configured like ``grading``.

    ``sample`` is a locker of sample trainees (:func:`sample_locker`) on which the answer
    diversity is measured; without it, diversity is not measured. ``quick`` grades only a
    covering few of the mutants (every targeted cell) and every variant packed with others
    that replace other cells (:func:`packed`).
    """
    if quick:
        exercise = replace(
            exercise,
            mutants=covering(exercise.mutants, lambda m: m.targets),
            variants=packed(exercise.variants),
        )
    with tempfile.TemporaryDirectory(prefix=f"darktrail-check-{exercise.slug}-") as tmp:
        course = Course(Path(tmp), config_from=grading)
        course.locker.install_key(QA_KEY)  # the same worlds on every run: a reproducible check
        solution = nbformat.read(write_source(exercise, course), as_version=4)
        course.generate(exercise.slug)
        release = course.folder("release", exercise.slug)
        submissions = {
            SOLUTION: solution,
            BLANK: nbformat.read(release / f"{exercise.slug}.ipynb", 4),
        }
        for mutant in exercise.mutants:
            submissions[student_id("mutant", exercise.mutants, mutant)] = mutate(solution, mutant)
        for variant in exercise.variants:
            submissions[student_id("variant", exercise.variants, variant)] = mutate(
                solution, variant
            )
        scores, seconds = {}, {}
        for student, notebook in submissions.items():
            folder = course.folder("submitted", exercise.slug, student)
            shutil.copytree(release, folder)
            nbformat.write(notebook, folder / f"{exercise.slug}.ipynb")
            started = time.perf_counter()
            course.autograde(exercise.slug, student)
            seconds[student] = time.perf_counter() - started
            scores[student] = course.scores(exercise.slug, student)
        result = _judge(exercise, scores, find_leaks(exercise, release), seconds[SOLUTION])
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


def _judge(exercise: Exercise, scores: dict, leaks: list[str], seconds: float) -> AssignmentCheck:
    autograded = {c.grade_id: c.points for c in exercise.autograded_cells}

    def total(student: str) -> float:
        return sum(scores[student].get(g, (0.0, 0.0))[0] for g in autograded)

    result = AssignmentCheck(
        assignment=exercise.slug,
        max_score=float(sum(autograded.values())),
        solution_score=total(SOLUTION),
        blank_score=total(BLANK),
        leaks=leaks,
        solution_seconds=round(seconds, 1),
    )
    missing = sorted(set(autograded) - set(scores[SOLUTION]))
    if missing:
        result.problems.append(f"the gradebook has no score for {', '.join(missing)}")
    failed = [g for g in autograded if scores[SOLUTION].get(g, (0, 1))[0] < autograded[g]]
    if failed:
        result.problems.append(f"the reference solution loses points on {', '.join(failed)}")
    passed = [g for g in autograded if scores[BLANK].get(g, (0, 0))[0] > 0]
    if passed:
        result.problems.append(f"the blank release earns points on {', '.join(passed)}")
    for mutant in exercise.mutants:
        mutant_id = student_id("mutant", exercise.mutants, mutant)
        got = scores[mutant_id]
        kept = [g for g in mutant.targets if got.get(g, (0, 0))[0] >= autograded[g]]
        result.mutants.append({"name": mutant.name, "score": total(mutant_id), "kept": kept})
        if kept:
            result.problems.append(f"mutant {mutant.name} keeps its points on {', '.join(kept)}")
    for variant in exercise.variants:
        variant_id = student_id("variant", exercise.variants, variant)
        got = scores[variant_id]
        lost = [g for g in autograded if got.get(g, (0, 0))[0] < autograded[g]]
        result.variants.append({"name": variant.name, "score": total(variant_id), "lost": lost})
        if lost:
            result.problems.append(f"variant {variant.name} loses points on {', '.join(lost)}")
    if leaks:
        result.problems.append(f"the release leaks: {'; '.join(leaks)}")
    return result


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
