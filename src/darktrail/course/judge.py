"""The judge: verdicts on handed-in answers, given by the grading process, outside the kernel.

Every assignment keeps its expected answers in ``exercises/<NN-slug>/answers.py`` (never
released). There, each graded check cell is declared once::

    answers = Answers()

    @answers.value("count-seized-test", form=whole_number,
                   hint=_("count only the rows whose category is seized"))
    def count_seized(case):
        return sum(1 for path in case.files if path.startswith("seized/"))

    @answers.calls("sha256-of-test", hint=_("hash the whole file's contents"))
    def sha256_probes(case, folder, rng):
        ...  # write probe files into folder; return [Probe(args, expected, hint), ...]

A value task's expected answer is computed from the trainee's frozen case (bundle and truth,
:class:`~darktrail.course.locker.CaseRecord`) when evidence is issued and kept in the answer
record. A function task's inputs are chosen afresh by the grader for every run.

Two nbgrader preprocessors do the work (``grading/nbgrader_config.py`` puts them around
``Execute``, so the formgrader's button, plain ``nbgrader autograde`` and ``darktrail grade``
all grade this way):

- :class:`PrepareCase` (before the kernel runs): puts the submitting trainee's frozen bundle
  into ``evidence/`` and the run's probe inputs into ``.darktrail-probes/``. The trainee is
  nbgrader's student of the submission, never anything the kernel says.
- :class:`JudgeAnswers` (after the kernel ran): for every graded check cell, reads the one
  answer the cell handed in (:mod:`darktrail.handin`), compares it with that trainee's record
  and *replaces the cell's outputs* with the verdict: a pass line, or an error carrying a
  teaching hint. nbgrader's ``SaveAutoGrades`` then scores the verdict. Whatever else the
  kernel printed, displayed or patched in that cell counts for nothing, and the kernel never
  sees a verdict, so it cannot try candidates against the judge.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
import secrets
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from darktrail.course.locker import CaseRecord, Locker
from darktrail.evidence import WORKED_ON
from darktrail.handin import ANSWER_MIME, PROBES, plain
from darktrail.identity import checked_trainee_id

__all__ = [
    "AUTOGRADE_PREPROCESSORS",
    "Answers",
    "FormError",
    "JudgeAnswers",
    "NotGradable",
    "OTHER_EVIDENCE",
    "PrepareCase",
    "Probe",
    "Unsupported",
    "any_text",
    "as_is",
    "decode",
    "expected_answers",
    "hex_text",
    "list_of",
    "load_answers",
    "number",
    "set_of",
    "whole_number",
]

#: In an autograded folder: why the submission was worked on other evidence (JSON).
OTHER_EVIDENCE = ".darktrail-other-evidence.json"
PASSED = "Checked by the grader on your evidence: correct."
NO_ANSWER = "No answer reached the grader from this cell: run the cells above it in order."
TWICE = "This cell handed in more than one answer; hand in exactly one."


def _(text: str) -> str:
    """Mark a hint for translation (the exercise's ``locale/<lang>.json``)."""
    return text


# -- handed-in data back to Python ---------------------------------------------------------


@dataclass(frozen=True)
class Unsupported:
    """An answer the trainee's kernel could not hand in as plain data."""

    kind: str


def decode(data: Any) -> Any:
    """Plain data from :func:`darktrail.handin.plain` back to Python values.

    Lists stay lists, sets become frozensets (their lists become tuples), tables become
    DataFrames, charts stay dicts.
    """
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "__set__" in data:
        return frozenset(_hashable(decode(item)) for item in data["__set__"])
    if "__map__" in data:
        return {_hashable(decode(k)): decode(v) for k, v in data["__map__"]}
    if "__bytes__" in data:
        return bytes.fromhex(data["__bytes__"])
    if "__float__" in data:
        return float(data["__float__"])
    if "__frame__" in data:
        import pandas as pd

        frame = data["__frame__"]
        rows = [[decode(v) for v in row] for row in frame["rows"]]
        return pd.DataFrame(rows, columns=[decode(c) for c in frame["columns"]])
    if "__time__" in data:
        import pandas as pd

        return pd.Timestamp(data["__time__"])
    if "__axes__" in data:
        return data["__axes__"]
    if "__unsupported__" in data or "__too_big__" in data:
        return Unsupported(str(data.get("__unsupported__", "too big")))
    return {k: decode(v) for k, v in data.items()}


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


# -- forms: what the task's words allow, normalised ---------------------------------------


class FormError(ValueError):
    """The answer has the wrong form; the message says which form is expected."""


def as_is(value: Any) -> Any:
    """No normalising: the value as handed in."""
    return value


def whole_number(value: Any) -> int:
    """A whole number: an int, a numpy integer or a float without a fraction."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormError(_("the answer should be a whole number"))
    if isinstance(value, float) and not value.is_integer():
        raise FormError(_("the answer should be a whole number"))
    return int(value)


def number(value: Any) -> float:
    """A number (int or float)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise FormError(_("the answer should be a number"))
    return float(value)


def any_text(value: Any) -> str:
    """Text (surrounding white space ignored)."""
    if not isinstance(value, str):
        raise FormError(_("the answer should be text (a str)"))
    return value.strip()


def hex_text(value: Any) -> str:
    """Hexadecimal text in either case (compared in lower case)."""
    return any_text(value).lower()


def set_of(item: Callable[[Any], Any] = as_is, duplicates: bool = False) -> Callable:
    """A collection whose order does not matter: a set, list or tuple of ``item``."""

    def form(value: Any) -> frozenset:
        if not isinstance(value, (frozenset, list, tuple)):
            raise FormError(_("the answer should be a collection (a list or a set)"))
        items = [item(v) for v in value]
        if not duplicates and len(set(map(_hashable, items))) != len(items):
            raise FormError(_("the answer lists the same item more than once"))
        return frozenset(map(_hashable, items))

    form.__name__ = f"set_of({getattr(item, '__name__', 'item')})"
    return form


def list_of(item: Callable[[Any], Any] = as_is) -> Callable:
    """An ordered sequence (a list or tuple) of ``item``."""

    def form(value: Any) -> list:
        if not isinstance(value, (list, tuple)):
            raise FormError(_("the answer should be a list, in order"))
        return [item(v) for v in value]

    form.__name__ = f"list_of({getattr(item, '__name__', 'item')})"
    return form


# -- declaring an assignment's answers ----------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One input the grader chose for a function task, the expected result and its hint."""

    args: tuple
    expected: Any
    hint: str | None = None


@dataclass
class Task:
    """One graded check cell's expectation."""

    grade_id: str
    kind: str  # "value" or "calls"
    compute: Callable
    form: Callable[[Any], Any] = as_is
    hint: str = _("this is not the answer on your evidence")
    mistakes: dict[str, Callable] = field(default_factory=dict)
    shared: str | None = None


class Answers:
    """The expected answers of one assignment, declared in its ``answers.py``."""

    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}

    def _add(self, task: Task) -> Callable:
        if task.grade_id in self.tasks:
            raise ValueError(f"{task.grade_id} is declared twice")
        self.tasks[task.grade_id] = task
        return task.compute

    def value(
        self,
        grade_id: str,
        form: Callable[[Any], Any] = as_is,
        hint: str = Task.hint,
        mistakes: dict[str, Callable] | None = None,
        shared: str | None = None,
    ) -> Callable:
        """Declare a value task: the decorated ``f(case)`` returns the expected answer.

        ``mistakes`` maps a hint to ``f(case)`` giving a known wrong answer: a trainee who
        hands that in gets that hint. ``shared`` says why the answer is the same for every
        trainee (a concept, not evidence); the course QA lists such cells.
        """
        return lambda compute: self._add(
            Task(grade_id, "value", compute, form, hint, dict(mistakes or {}), shared)
        )

    def calls(
        self, grade_id: str, form: Callable[[Any], Any] = as_is, hint: str = Task.hint
    ) -> Callable:
        """Declare a function task: ``f(case, folder, rng)`` writes inputs, returns probes."""
        return lambda compute: self._add(Task(grade_id, "calls", compute, form, hint, {}, None))

    # -- used by the judge --

    def expected(self, task: Task, case: CaseRecord) -> Any:
        return plain(task.compute(case))

    def verdict(self, task: Task, handed: Any, expected: Any, case: CaseRecord) -> str | None:
        """``None`` if the handed-in payload is right, else the hint to show."""
        if task.kind == "calls":
            return self._calls_verdict(task, handed, expected)
        if not isinstance(handed, dict) or "value" not in handed:
            return NO_ANSWER
        try:
            given = task.form(decode(handed["value"]))
        except FormError as error:
            return str(error)
        except Exception:  # a form may meet anything a kernel hands in
            return task.hint
        if _equal(given, task.form(decode(expected))):
            return None
        for hint, wrong in task.mistakes.items():
            try:
                if _equal(given, task.form(decode(plain(wrong(case))))):
                    return hint
            except Exception:  # a known mistake that does not apply to this case
                continue
        return task.hint

    def _calls_verdict(self, task: Task, handed: Any, probes: list[Probe]) -> str | None:
        if not isinstance(handed, dict) or not isinstance(handed.get("calls"), list):
            return NO_ANSWER
        calls = handed["calls"]
        if len(calls) != len(probes):
            return task.hint
        for probe, call in zip(probes, calls, strict=True):
            hint = probe.hint or task.hint
            if not isinstance(call, dict) or "value" not in call:
                return hint
            try:
                if not _equal(task.form(decode(call["value"])), task.form(probe.expected)):
                    return hint
            except Exception:  # a wrong form in one call fails that call
                return hint
        return None


def _equal(given: Any, expected: Any) -> bool:
    """Equality of plain values; tables compare whole (columns, order and values)."""
    if type(given).__name__ == "DataFrame" or type(expected).__name__ == "DataFrame":
        try:
            return bool(given.equals(expected))
        except AttributeError:
            return False
    if isinstance(given, Unsupported) or isinstance(expected, Unsupported):
        return False
    if isinstance(given, bool) != isinstance(expected, bool):
        return False
    try:
        return bool(given == expected)
    except Exception:
        return False


_LOADED: dict[tuple[str, float], Answers] = {}


def load_answers(path: Path) -> Answers | None:
    """The :class:`Answers` declared in ``path`` (``None`` if there is no such file)."""
    path = Path(path)
    if not path.is_file():
        return None
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _LOADED:
        name = f"darktrail_answers_{path.parent.name.replace('-', '_')}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        answers = getattr(module, "answers", None)
        if not isinstance(answers, Answers):
            raise ValueError(f"{path}: must define answers = Answers()")
        _LOADED[key] = answers
    return _LOADED[key]


def expected_answers(answers: Answers, case: CaseRecord) -> dict[str, Any]:
    """Every value task's expected answer (plain data) for one trainee's case."""
    return {
        grade_id: answers.expected(task, case)
        for grade_id, task in answers.tasks.items()
        if task.kind == "value"
    }


# -- the two preprocessors ----------------------------------------------------------------


class Casework(NbGraderPreprocessor):
    """What both judge steps share: where the exercises' answer files are."""

    exercises = Unicode(help="Folder of the exercise sources (with their answers.py)").tag(
        config=True
    )

    def answers_for(self, assignment: str) -> Answers | None:
        if not self.exercises:
            return None
        return load_answers(Path(self.exercises) / assignment / "answers.py")


class NotGradable(ValueError):
    """A submission that must not be graded at all; nbgrader fails it alone and goes on."""


class PrepareCase(Casework):
    """Before the kernel runs: the trainee's frozen evidence and this run's probe inputs.

    A submission whose student id is not a valid trainee id (``bad id``, ``trainée-ü``) is
    refused with :class:`NotGradable` before anything runs: nbgrader reports the error for
    that student, removes its autograded copy and grades the others. A valid id that has no
    case yet is issued its own (the world derives from the course key and that id alone), so
    a submission is only ever judged on the world of the id it was submitted under.
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        try:
            checked_trainee_id(info["student"], "nbgrader's student id of the submission")
        except ValueError as error:
            raise NotGradable(
                f"not grading {info['assignment']} of {info['student']!r}: {error}. Its "
                "submitted folder must be named after the trainee's id."
            ) from None
        answers = self.answers_for(info["assignment"])
        if answers is None:
            return nb, resources
        case = Locker(parent=self).case(info["student"])
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        _report_other_evidence(self.log, info, case, folder)
        evidence = folder / "evidence"
        if evidence.exists() or evidence.is_symlink():
            if evidence.is_dir() and not evidence.is_symlink():
                shutil.rmtree(evidence)
            else:
                evidence.unlink()
        shutil.copytree(case.evidence, evidence)
        probes_dir = folder / PROBES
        if probes_dir.exists():
            shutil.rmtree(probes_dir)
        probes: dict[str, list[Probe]] = {}
        rng = random.Random(secrets.randbits(64))  # inputs nobody can know before the run
        for grade_id, task in answers.tasks.items():
            if task.kind != "calls":
                continue
            task_dir = probes_dir / grade_id
            task_dir.mkdir(parents=True)
            probes[grade_id] = list(task.compute(case, task_dir, rng))
            arguments = [[_relative(a, folder) for a in p.args] for p in probes[grade_id]]
            (probes_dir / f"{grade_id}.json").write_text(json.dumps(arguments), encoding="utf-8")
        resources["darktrail"] = {"case": case, "answers": answers, "probes": probes}
        return nb, resources


def _report_other_evidence(log, info: dict, case: CaseRecord, folder: Path) -> None:
    """Warn, and note in the autograded folder (:data:`OTHER_EVIDENCE`), when the submission
    was worked on another bundle than the trainee's frozen one: it is still graded on the
    frozen bundle, the trainee's own, but answers typed in from other evidence will fail."""
    note = folder / OTHER_EVIDENCE
    note.unlink(missing_ok=True)
    try:
        worked_on = json.loads((folder / WORKED_ON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # never opened its evidence, or the stamp was removed: nothing to compare
    keys = ("trainee", "world_version", "sha256")
    if not isinstance(worked_on, dict) or all(worked_on.get(k) == case.stamp.get(k) for k in keys):
        return
    detail = ", ".join(
        f"{k} {worked_on.get(k)!r} (frozen: {case.stamp.get(k)!r})"
        for k in keys
        if worked_on.get(k) != case.stamp.get(k)
    )
    message = (
        f"{info['student']}'s {info['assignment']} was worked on other evidence than the "
        f"trainee's frozen bundle: {detail}; graded on the frozen bundle"
    )
    log.warning(message)
    note.write_text(json.dumps({"problem": message}) + "\n", encoding="utf-8")


def _relative(argument: Any, folder: Path) -> Any:
    if isinstance(argument, Path):
        try:
            return argument.relative_to(folder).as_posix()
        except ValueError:
            return str(argument)
    return argument


class JudgeAnswers(Casework):
    """After the kernel ran: every graded check cell's outputs become the judge's verdict."""

    def preprocess(self, nb, resources):
        prepared = resources.get("darktrail")
        if not prepared:
            return nb, resources
        self._case, self._answers = prepared["case"], prepared["answers"]
        self._probes = prepared["probes"]
        assignment = resources["nbgrader"]["assignment"]
        self._expected = self._case.answers.get(assignment) or expected_answers(
            self._answers, self._case
        )
        self._catalog = _catalog(self.exercises, assignment, nb)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        task = self._answers.tasks.get(meta.get("grade_id"))
        if task is None:
            hint = f"{meta.get('grade_id')} has no expected answer: tell your instructor"
            cell.outputs = [_failure("Ungraded", hint)]
            return cell, resources
        handed = [
            o["data"][ANSWER_MIME]
            for o in cell.get("outputs", [])
            if o.get("output_type") in ("display_data", "execute_result")
            and ANSWER_MIME in o.get("data", {})
        ]
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if len(handed) > 1:
            cell.outputs = [_failure("WrongAnswer", self._say(TWICE))]
        elif not handed:
            if errors:  # a check of form failed (or the cell could not run): keep its hint
                error = errors[0]
                cell.outputs = [_failure(error.get("ename", "Error"), error.get("evalue", ""))]
            else:
                cell.outputs = [_failure("WrongAnswer", self._say(NO_ANSWER))]
        else:
            expected = (
                self._probes.get(task.grade_id, [])
                if task.kind == "calls"
                else self._expected.get(task.grade_id)
            )
            hint = self._answers.verdict(task, handed[0], expected, self._case)
            if hint is None:
                cell.outputs = [
                    nbformat.v4.new_output("stream", name="stdout", text=self._say(PASSED) + "\n")
                ]
            else:
                cell.outputs = [_failure("WrongAnswer", self._say(hint))]
        return cell, resources

    def _say(self, text: str) -> str:
        return self._catalog.get(text, text)


def _failure(ename: str, evalue: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


def _catalog(exercises: str, assignment: str, nb) -> dict[str, str]:
    lang = nb.metadata.get("darktrail", {}).get("lang", "en")
    path = Path(exercises) / assignment / "locale" / f"{lang}.json"
    if lang == "en" or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _autograde_steps() -> list:
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute, LimitOutput

    from darktrail.course.sandbox import LimitOutputSize

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    steps[steps.index(LimitOutput)] = LimitOutputSize
    at = steps.index(Execute)
    return [*steps[:at], PrepareCase, Execute, JudgeAnswers, *steps[at + 1 :]]


#: nbgrader's autograde steps with the judge around ``Execute`` and output capped by size;
#: the course config sets them.
AUTOGRADE_PREPROCESSORS = _autograde_steps()
