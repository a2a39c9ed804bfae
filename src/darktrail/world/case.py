"""The case under construction: the evidence files, the ground truth and the shared cast.

Providers (markets, vendors, ledger, sites...) each add their files and their part of the
truth to one :class:`Case`; :func:`darktrail.world.generate` runs them in order and turns the
case into a :class:`~darktrail.world.World`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from .rng import numpy_rng, sub_rng
from .scenario import Scenario

__all__ = ["CATEGORIES", "Case", "csv_bytes", "json_bytes", "unix_time"]

#: The evidence categories of ``index.csv``.
CATEGORIES = ("briefing", "markets", "keys", "listings", "sites", "ledger", "seized", "messages")


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """Return CSV bytes (``\\n`` line ends, minimal quoting).

    Examples
    --------
    >>> csv_bytes(["a", "b"], [[1, "x,y"]])
    b'a,b\\n1,"x,y"\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def unix_time(day: dt.date, seconds: int = 0) -> int:
    """Unix time of midnight UTC on ``day``, plus ``seconds``.

    Examples
    --------
    >>> unix_time(dt.date(2020, 1, 1), 60)
    1577836860
    """
    return int(dt.datetime.combine(day, dt.time(0), dt.timezone.utc).timestamp()) + seconds


def json_bytes(value: Any) -> bytes:
    """Return stable, indented JSON bytes ending in a newline.

    Examples
    --------
    >>> json_bytes({"b": 1, "a": [1]})
    b'{\\n  "b": 1,\\n  "a": [\\n    1\\n  ]\\n}\\n'
    """
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass
class Case:
    """Everything generated so far for one world.

    ``truth`` collects each provider's part of the ground truth, a record of
    :mod:`darktrail.world.truth` under the name of its :class:`~darktrail.world.truth.Truth`
    field (``case.truth["markets"]``); :func:`darktrail.world.generate` makes the
    :class:`~darktrail.world.truth.Truth` of them when the case is complete.
    """

    scenario: Scenario
    trainee: str | None
    seed: int
    files: dict[str, bytes] = field(default_factory=dict)
    index: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    streams: dict[str, tuple[Callable[[IO[bytes]], None], str, str, int]] = field(
        default_factory=dict
    )
    truth: dict[str, Any] = field(default_factory=dict)
    cast: dict[str, Any] = field(default_factory=dict)

    def rng(self, *labels: str):
        """The provider's own :class:`random.Random`."""
        return sub_rng(self.seed, *labels)

    def np_rng(self, *labels: str):
        """The provider's own numpy Generator."""
        return numpy_rng(self.seed, *labels)

    def add(
        self, path: str, data: bytes | str, category: str, description: str, records: int = 1
    ) -> None:
        """Add one evidence file (``path`` relative, POSIX) with its index entry."""
        if category not in CATEGORIES:
            raise ValueError(f"unknown evidence category {category!r}")
        if path in self.files or path in self.streams:
            raise ValueError(f"evidence file {path} written twice")
        self.files[path] = data.encode("utf-8") if isinstance(data, str) else data
        self.index[path] = (category, description, records)

    def add_stream(
        self,
        path: str,
        writer: Callable[[IO[bytes]], None],
        category: str,
        description: str,
        records: int,
    ) -> None:
        """Add a file too large to hold in memory; ``writer`` streams it at write time."""
        self.streams[path] = (writer, category, description, records)
