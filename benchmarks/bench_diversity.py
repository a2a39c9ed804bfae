"""Answers that are the trainee's own: per graded cell, how often two trainees' answers differ.

Usage::

    .venv/bin/python benchmarks/bench_diversity.py [--trainees 40] [ASSIGNMENT ...]

Issues the course QA's sample trainees (the fixed QA key, so the figures are the same on every
machine), computes every value task's expected answer for each of them from ``answers.py``,
and prints, per assignment and cell, the number of distinct answers and the share of trainee
pairs whose answers differ. Cells declared shared (a concept, a fixed vector) and function
tasks (probed per run) are listed apart. The last line is the goal of the course QA: the
share of evidence-dependent cells whose answers differ for at least 90% of pairs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from darktrail.course.check import sample_locker
from darktrail.course.diversity import GOAL, answer_diversity
from darktrail.course.locker import Locker
from darktrail.course.source import find_exercises

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("assignments", nargs="*")
    options.add_argument("--trainees", type=int, default=40)
    args = options.parse_args()
    exercises = find_exercises(REPO / "exercises", args.assignments)
    with tempfile.TemporaryDirectory(prefix="darktrail-diversity-") as tmp:
        started = time.perf_counter()
        locker = Locker(root=str(sample_locker(Path(tmp), args.trainees)))
        print(f"{args.trainees} sample trainees issued in {time.perf_counter() - started:.1f} s\n")
        dependent = meeting = 0
        for exercise in exercises:
            print(f"{exercise.slug}")
            for task in answer_diversity(exercise.answers, locker, locker.issued()):
                if task.shared:
                    print(f"  {task.grade_id:34} shared: {task.shared}")
                    continue
                dependent += 1
                meeting += task.pairs_differing >= GOAL
                print(
                    f"  {task.grade_id:34} {task.distinct:3} distinct  "
                    f"{task.pairs_differing:6.1%} of pairs differ"
                )
        share = meeting / dependent if dependent else 1.0
        print(
            f"\n{meeting} of {dependent} evidence-dependent graded cells ({share:.0%}) have "
            f"answers that differ for at least {GOAL:.0%} of trainee pairs"
        )


if __name__ == "__main__":
    main()
