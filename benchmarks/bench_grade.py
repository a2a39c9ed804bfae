"""Benchmark grading a cohort: plain serial nbgrader against ``darktrail grade``.

Usage::

    .venv/bin/python benchmarks/bench_grade.py [--assignment 00-orientation] [--size 12]
        [--workers 2] [--exercises DIR] [--keep DIR]

Builds a scratch course from one assignment, releases it, submits a simulated cohort through
the exchange (``darktrail simulate-cohort``: solutions, mutants, blanks) and collects it. Two
identical copies of that course are then graded, each by a fresh process timed from start to
end (imports included):

- **serial**: plain ``nbgrader autograde ASSIGNMENT`` run in the course root: one process
  grading every submission in turn (the course config's hook gives each its trainee id);
- **darktrail**: ``darktrail grade ASSIGNMENT --workers N``.

Prints both times, the ratio, and whether every cell's score agrees between the two gradebooks.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook

from darktrail.course.build import build_course
from darktrail.course.cohort import simulate_cohort
from darktrail.course.engine import Project
from darktrail.course.source import find_exercises

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def cohort_course(folder: Path, exercises: Path, assignment: str, size: int) -> Project:
    """A scratch course holding ``size`` collected submissions of ``assignment``."""
    shutil.copytree(exercises / assignment, folder / "exercises" / assignment)
    (folder / "grading").mkdir()
    shutil.copy(REPO / "grading" / "nbgrader_config.py", folder / "grading")
    project = Project(folder)
    course = project.course()
    [exercise] = find_exercises(project.exercises, [assignment])
    build_course([exercise], course)
    course.release(assignment)
    simulate_cohort(course, exercise, size, seed=12)
    course.collect(assignment)
    return project


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def cell_scores(grading: Path, assignment: str) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{grading / 'gradebook.db'}") as gradebook:
        return {
            (submission.student.id, grade.name): float(grade.score or 0)
            for submission in gradebook.find_assignment(assignment).submissions
            for notebook in submission.notebooks
            for grade in notebook.grades
        }


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--assignment", default="00-orientation")
    options.add_argument("--exercises", default=str(REPO / "exercises"))
    options.add_argument("--size", type=int, default=12)
    options.add_argument("--workers", type=int, default=2)
    options.add_argument("--keep", default=None, help="keep the scratch courses here")
    args = options.parse_args()
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="darktrail-bench-grade-"))
    started = time.perf_counter()
    project = cohort_course(scratch / "cohort", Path(args.exercises), args.assignment, args.size)
    setup = time.perf_counter() - started
    serial, parallel = scratch / "serial", scratch / "darktrail"
    for copy in (serial, parallel):
        shutil.copytree(project.root, copy)
    serial_s = timed([str(BIN / "nbgrader"), "autograde", args.assignment], serial / "grading")
    darktrail_s = timed(
        [str(BIN / "darktrail"), "grade", args.assignment, "--workers", str(args.workers)],
        parallel,
    )
    same = cell_scores(serial / "grading", args.assignment) == cell_scores(
        parallel / "grading", args.assignment
    )
    figures = {
        "assignment": args.assignment,
        "submissions": args.size,
        "workers": args.workers,
        "setup_s": round(setup, 1),
        "serial_nbgrader_s": round(serial_s, 1),
        "darktrail_grade_s": round(darktrail_s, 1),
        "speedup": round(serial_s / darktrail_s, 2),
        "identical_scores": same,
    }
    print(json.dumps(figures, indent=1))
    if not args.keep:
        shutil.rmtree(scratch)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
