"""Benchmark grading a cohort: plain serial nbgrader against ``darktrail grade``.

Usage::

    .venv/bin/python benchmarks/bench_grade.py [--assignment 00-orientation] [--size 12]
        [--workers 2] [--exercises DIR] [--keep DIR]

Builds a scratch course from one assignment, releases it, submits a simulated cohort through
the exchange (``darktrail simulate-cohort``: solutions, mutants, blanks) and collects it. Two
identical copies of that course are then graded, each by a fresh process timed from start to
end (imports included):

- **serial, unsandboxed**: plain ``nbgrader autograde ASSIGNMENT`` with ordinary kernels (the
  course config with ``Execute.kernel_manager_class`` put back to jupyter_client's): the cost of
  grading without the sandbox, for comparison;
- **serial**: plain ``nbgrader autograde ASSIGNMENT`` run in the course root, as the course
  config has it (judge and sandbox): one process grading every submission in turn;
- **darktrail**: ``darktrail grade ASSIGNMENT --workers N`` (judge and sandbox).

Prints the times, the ratios, and whether every cell's score agrees between the gradebooks.
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
from darktrail.course.locker import issue_evidence
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
    trainees = course.collect(assignment)
    # Issued here, before the course is copied: every copy grades with the same course key
    # and the same frozen bundles (issued lazily, each copy would make a key of its own).
    issue_evidence(course, [exercise], trainees)
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
    bare, serial, parallel = scratch / "bare", scratch / "serial", scratch / "darktrail"
    for copy in (bare, serial, parallel):
        shutil.copytree(project.root, copy)
    with (bare / "grading" / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(
            '\nc.Execute.kernel_manager_class = "jupyter_client.manager.AsyncKernelManager"\n'
        )
    bare_s = timed([str(BIN / "nbgrader"), "autograde", args.assignment], bare / "grading")
    serial_s = timed([str(BIN / "nbgrader"), "autograde", args.assignment], serial / "grading")
    darktrail_s = timed(
        [str(BIN / "darktrail"), "grade", args.assignment, "--workers", str(args.workers)],
        parallel,
    )
    scores = [cell_scores(c / "grading", args.assignment) for c in (bare, serial, parallel)]
    same = scores[0] == scores[1] == scores[2]
    figures = {
        "assignment": args.assignment,
        "submissions": args.size,
        "workers": args.workers,
        "setup_s": round(setup, 1),
        "serial_nbgrader_unsandboxed_s": round(bare_s, 1),
        "serial_nbgrader_s": round(serial_s, 1),
        "darktrail_grade_s": round(darktrail_s, 1),
        "sandbox_cost": round(serial_s / bare_s, 2),
        "speedup": round(serial_s / darktrail_s, 2),
        "identical_scores": same,
    }
    print(json.dumps(figures, indent=1))
    for key in sorted(set().union(*scores)):
        if len({grades.get(key) for grades in scores}) > 1:  # say which cells disagree
            print(f"differs: {key}: {[grades.get(key) for grades in scores]}", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(scratch)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
