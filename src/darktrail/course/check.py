"""Course QA: prove, with real nbgrader autograde runs, that every assignment grades correctly.

For each assignment, in a scratch copy of the course:

- the reference solution earns every autograded point;
- the blank release earns none;
- each mutant (a plausible wrong answer, declared in ``mutants.toml``) loses points on every
  tests cell it targets;
- the release holds nothing but the notebook and trainee data (no solutions, hidden tests,
  sources or answer data).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from darktrail.course.build import find_leaks, write_source
from darktrail.course.engine import Course, Project
from darktrail.course.source import Exercise, Mutant, read_exercise

__all__ = ["AssignmentCheck", "check_assignments", "check_exercise", "mutate"]

SOLUTION, BLANK = "reference-solution", "blank-release"


@dataclass
class AssignmentCheck:
    """What ``darktrail check`` found for one assignment (``--json`` prints these fields)."""

    assignment: str
    max_score: float
    solution_score: float
    blank_score: float
    mutants: list[dict] = field(default_factory=list)
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


def mutate(notebook: nbformat.NotebookNode, mutant: Mutant) -> nbformat.NotebookNode:
    """A copy of a solution notebook with the mutant's code in place of its solution cells."""
    mutated = nbformat.from_dict(notebook)
    for cell in mutated.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in mutant.cells:
            cell.source = mutant.cells[grade_id].strip("\n")
    return mutated


def check_exercise(exercise: Exercise, grading: Path) -> AssignmentCheck:
    """Check one exercise in a scratch course configured like ``grading``."""
    with tempfile.TemporaryDirectory(prefix=f"darktrail-check-{exercise.slug}-") as tmp:
        course = Course(Path(tmp), config_from=grading)
        solution = nbformat.read(write_source(exercise, course), as_version=4)
        course.generate(exercise.slug)
        release = course.folder("release", exercise.slug)
        submissions = {
            SOLUTION: solution,
            BLANK: nbformat.read(release / f"{exercise.slug}.ipynb", 4),
        }
        for mutant in exercise.mutants:
            submissions[f"mutant-{mutant.name}"] = mutate(solution, mutant)
        scores, seconds = {}, {}
        for student, notebook in submissions.items():
            folder = course.folder("submitted", exercise.slug, student)
            shutil.copytree(release, folder)
            nbformat.write(notebook, folder / f"{exercise.slug}.ipynb")
            started = time.perf_counter()
            course.autograde(exercise.slug, student)
            seconds[student] = time.perf_counter() - started
            scores[student] = course.scores(exercise.slug, student)
        return _judge(exercise, scores, find_leaks(exercise, release), seconds[SOLUTION])


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
        got = scores[f"mutant-{mutant.name}"]
        kept = [g for g in mutant.targets if got.get(g, (0, 0))[0] >= autograded[g]]
        result.mutants.append(
            {"name": mutant.name, "score": total(f"mutant-{mutant.name}"), "kept": kept}
        )
        if kept:
            result.problems.append(f"mutant {mutant.name} keeps its points on {', '.join(kept)}")
    if leaks:
        result.problems.append(f"the release leaks: {'; '.join(leaks)}")
    return result


def _check_path(folder: Path, grading: Path) -> AssignmentCheck:
    return check_exercise(read_exercise(folder), grading)


def check_assignments(
    project: Project, exercises: list[Exercise], workers: int = 1
) -> list[AssignmentCheck]:
    """Check several exercises, ``workers`` at a time (each in its own process and scratch course)."""
    if workers <= 1 or len(exercises) <= 1:
        return [check_exercise(exercise, project.grading) for exercise in exercises]
    with ProcessPoolExecutor(max_workers=min(workers, len(exercises))) as pool:
        jobs = [pool.submit(_check_path, e.folder, project.grading) for e in exercises]
        return [job.result() for job in jobs]
