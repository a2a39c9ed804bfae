"""Answers that are the trainee's own: how often two trainees' expected answers differ.

For a sample of trainees (40 by default), every value task's expected answer is computed on
each trainee's case; a task's *diversity* is the share of trainee pairs whose answers differ.
An answer that depends on evidence must differ for at least :data:`GOAL` of the pairs, or a
neighbour's answer passes. Tasks whose answer is by nature the same for everyone (a concept,
a function) are declared ``shared="why"`` in ``answers.py`` and listed apart; function tasks
(``answers.calls``) are judged on inputs the grader picks per run, so they count as shared.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from darktrail.course.judge import Answers
from darktrail.course.locker import Locker

__all__ = ["GOAL", "TaskDiversity", "answer_diversity", "sample_trainees"]

#: The least share of trainee pairs whose expected answers must differ.
GOAL = 0.9


@dataclass(frozen=True)
class TaskDiversity:
    """One graded cell's expected answers over a sample of trainees."""

    grade_id: str
    distinct: int
    trainees: int
    pairs_differing: float
    shared: str | None = None

    @property
    def ok(self) -> bool:
        return self.shared is not None or self.pairs_differing >= GOAL


def sample_trainees(count: int = 40) -> list[str]:
    """The ids of the course QA's sample trainees."""
    return [f"qa-{n:02d}" for n in range(1, count + 1)]


def answer_diversity(answers: Answers, locker: Locker, trainees: list[str]) -> list[TaskDiversity]:
    """Each task's diversity over ``trainees`` (issued in ``locker`` on demand)."""
    cases = [locker.case(trainee) for trainee in trainees]
    found = []
    for grade_id, task in answers.tasks.items():
        if task.kind == "calls":
            found.append(TaskDiversity(grade_id, 0, len(cases), 0.0, "a function, probed per run"))
            continue
        values = []
        for case in cases:
            try:
                values.append(json.dumps(answers.expected(task, case), sort_keys=True))
            except Exception as error:  # an answer that cannot be computed is a defect to show
                values.append(f"error: {type(error).__name__}: {error}")
        pairs = list(itertools.combinations(values, 2))
        differing = sum(a != b for a, b in pairs) / len(pairs) if pairs else 0.0
        found.append(
            TaskDiversity(grade_id, len(set(values)), len(cases), round(differing, 3), task.shared)
        )
    return found
