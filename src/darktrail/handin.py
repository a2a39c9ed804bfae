"""Hand in an answer: what a check cell sends to the grader, and nothing more.

A graded check cell of a darktrail notebook ends with ``hand_in(value)`` (or, for a function
task, ``hand_in_calls(function, "task-id")``). The answer is turned into plain data here --
numbers, text, lists, sets, tables and charts *by value* -- and shown as one output of the
cell. While the trainee works, that is all that happens: the notebook never holds the expected
answer, so there is nothing to compare with. When nbgrader autogrades the submission, the
grading process (:mod:`darktrail.course.judge`, outside this kernel) reads the handed-in data
from the cell's output and gives the verdict.

Because only plain data travels, an object that claims to equal anything has nothing to say,
and a numpy integer arrives as the whole number it is.

What this module says to the trainee is in the course language, which the lab gives its
kernels in ``DARKTRAIL_LANG`` (:data:`MESSAGES`; English when unset or unknown). The module
imports nothing of the course side: it runs in the trainee's kernel.

Examples
--------
>>> plain(3)
3
>>> import numpy as np
>>> plain(np.int64(7)), plain({"b", "a"}), plain((1, 2.5))
(7, {'__set__': ['a', 'b']}, [1, 2.5])
>>> class Anything:
...     def __eq__(self, other):
...         return True
>>> plain(Anything())
{'__unsupported__': 'Anything'}
"""

from __future__ import annotations

import json
import math
import numbers
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any

__all__ = [
    "ANSWER_MIME",
    "MESSAGES",
    "PROBES",
    "hand_in",
    "hand_in_calls",
    "message",
    "plain",
    "probe_inputs",
]

#: The output type that carries a handed-in answer.
ANSWER_MIME = "application/vnd.darktrail.answer+json"
#: Where the grader puts the inputs of function tasks, in the submission's working folder.
PROBES = ".darktrail-probes"
_MAX_ITEMS = 200_000
#: What the trainee is told, per course language (``DARKTRAIL_LANG``); the same keys and
#: format fields in each.
MESSAGES = {
    "en": {
        "handed-in": "Answer handed in: the grader checks it against your own evidence when "
        "you submit.",
        "not-a-function": "{task}: hand in a function (def ...), not {kind}",
    },
    "ru": {
        "handed-in": "Ответ сдан: проверяющая система сверит его с вашими материалами дела, "
        "когда вы сдадите работу.",
        "not-a-function": "{task}: сдайте функцию (def ...), а не {kind}",
    },
}


def message(key: str, **fields: Any) -> str:
    """The message ``key`` of :data:`MESSAGES` in the course language, with ``fields`` filled in.

    Examples
    --------
    In a kernel of a Russian course (``DARKTRAIL_LANG=ru``), ``message("not-a-function",
    task="t", kind="int")`` is:

    >>> MESSAGES["ru"]["not-a-function"].format(task="t", kind="int")
    't: сдайте функцию (def ...), а не int'
    """
    lang = os.environ.get("DARKTRAIL_LANG", "en")
    return MESSAGES.get(lang, MESSAGES["en"])[key].format(**fields)


def plain(value: Any, _budget: list[int] | None = None) -> Any:
    """``value`` as plain JSON data, tagged where JSON has no word for it.

    Sets become ``{"__set__": [...]}`` (sorted when possible), mappings with keys that are not
    text ``{"__map__": [[key, value], ...]}``, tables ``{"__frame__": ...}``, charts
    ``{"__axes__": ...}``, bytes ``{"__bytes__": hex}``; anything else that is not a number,
    text, a sequence or a mapping is ``{"__unsupported__": type name}``.
    """
    budget = _budget if _budget is not None else [_MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0:
        return {"__too_big__": True}
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value).__module__ == "numpy":
        if type(value).__name__ == "bool_":
            return bool(value)
        if type(value).__name__ == "datetime64":
            return {"__time__": str(value)}
        if getattr(value, "ndim", None) == 0:  # a 0-d array: the one value it holds
            return plain(value.item(), budget)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else {"__float__": repr(number)}
    if isinstance(value, (bytes, bytearray)):
        return {"__bytes__": bytes(value).hex()}
    if isinstance(value, PurePath):
        return value.as_posix()
    kind = type(value).__name__
    module = type(value).__module__
    if module.startswith("pandas") and kind == "DataFrame":
        return {"__frame__": _frame(value, budget)}
    if module.startswith("pandas") and kind == "Timestamp":
        return {"__time__": value.isoformat()}
    if module.startswith("datetime"):
        return {"__time__": value.isoformat()}
    if module.startswith("matplotlib") and hasattr(value, "patches") and hasattr(value, "lines"):
        return {"__axes__": _axes(value, budget)}
    if module.startswith("pandas") and kind == "Series":
        return _mapping(value.to_dict(), budget)
    if isinstance(value, Mapping):
        return _mapping(value, budget)
    if isinstance(value, (set, frozenset)):
        items = [plain(item, budget) for item in value]
        try:
            items.sort(key=lambda item: json.dumps(item, sort_keys=True))
        except TypeError:
            pass
        return {"__set__": items}
    if isinstance(value, (list, tuple)) or (
        isinstance(value, Iterable) and module.split(".")[0] in ("numpy", "pandas", "builtins")
    ):
        return [plain(item, budget) for item in value]
    return {"__unsupported__": kind}


def _mapping(value: Mapping, budget: list[int]) -> Any:
    pairs = [(plain(k, budget), plain(v, budget)) for k, v in value.items()]
    if all(isinstance(k, str) for k, _ in pairs):
        return dict(pairs)
    return {"__map__": [list(pair) for pair in pairs]}


def _frame(frame: Any, budget: list[int]) -> dict:
    return {
        "columns": [plain(c, budget) for c in frame.columns],
        "index": [plain(i, budget) for i in frame.index],
        "rows": [[plain(v, budget) for v in row] for row in frame.itertuples(index=False)],
    }


def _axes(ax: Any, budget: list[int]) -> dict:
    """A chart by value: titles, axis labels, bars with the labels under them, lines, legend."""
    ticks = {round(float(t), 6): label for t, label in _ticks(ax.xaxis)}
    yticks = {round(float(t), 6): label for t, label in _ticks(ax.yaxis)}
    bars = []
    for patch in ax.patches:
        if type(patch).__name__ != "Rectangle":
            continue
        x, width = float(patch.get_x()), float(patch.get_width())
        y, height = float(patch.get_y()), float(patch.get_height())
        bars.append(
            {
                "x": round(x + width / 2, 6),
                "y": round(y + height / 2, 6),
                "width": width,
                "height": height,
                "bottom": y,
                "left": x,
                "label": ticks.get(round(x + width / 2, 6), ""),
                "ylabel": yticks.get(round(y + height / 2, 6), ""),
            }
        )
    lines = [
        {
            "label": str(line.get_label()),
            "x": plain(list(line.get_xdata()), budget),
            "y": plain(list(line.get_ydata()), budget),
        }
        for line in ax.lines
    ]
    legend = ax.get_legend()
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "bars": bars,
        "lines": lines,
        "legend": [t.get_text() for t in legend.get_texts()] if legend is not None else [],
        "xticklabels": [label for _, label in sorted(ticks.items())],
    }


def _ticks(axis: Any) -> list[tuple[float, str]]:
    """Tick positions and their labels as they will be drawn (no drawing needed)."""
    locations = list(axis.get_ticklocs())
    labels = axis.get_major_formatter().format_ticks(locations)
    return list(zip(locations, labels, strict=False))


def _show(payload: dict) -> None:
    from IPython.display import display

    grading = os.environ.get("NBGRADER_EXECUTION") == "autograde"
    data = {"text/plain": message("handed-in")}
    if grading:
        data[ANSWER_MIME] = payload
    display(data, raw=True)


def hand_in(value: Any) -> None:
    """Hand in ``value`` as this check cell's answer (see the module's description)."""
    _show({"value": plain(value)})


def probe_inputs(task: str) -> list[list[Any]]:
    """The argument lists the grader chose for ``task`` in this run (empty while you work)."""
    path = Path(PROBES) / f"{task}.json"
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def hand_in_calls(function: Callable, task: str) -> None:
    """Call ``function`` on the inputs the grader chose for ``task``; hand in what it returned.

    Each call's result is handed in by value; a call that raises hands in the error's name.
    """
    if not callable(function):
        raise TypeError(message("not-a-function", task=task, kind=type(function).__name__))
    results = []
    for arguments in probe_inputs(task):
        try:
            results.append({"value": plain(function(*arguments))})
        except Exception as error:  # the trainee's function may raise anything
            results.append({"error": type(error).__name__})
    _show({"calls": results})
