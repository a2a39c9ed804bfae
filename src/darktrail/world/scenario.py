"""Scenario files: the world's parameters and its seed, one TOML file per scenario.

A scenario file has fixed sections and keys (see :data:`SCHEMA`); every key is required,
unknown keys are refused, and each value is type-checked, so a typo in ``seeds/`` fails
loudly with the file and the key instead of silently producing another world.

Where scenarios are found: a bare name such as ``"default"`` means ``seeds/default.toml`` in
the repository (located from this package's source path, which holds for the editable
install the lab uses); if that folder is missing (a wheel install), ``darktrail/world/seeds/``
inside the package is tried. Anything with a slash or a ``.toml`` suffix is a path.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["SCHEMA", "Scenario", "ScenarioError", "load_scenario", "seeds_dir"]


class ScenarioError(ValueError):
    """A scenario file is missing, unreadable, or has a missing, unknown or mistyped key."""


_INT, _FLOAT, _STR, _DATE, _DATETIME, _STRLIST, _BOOL = (
    "an integer",
    "a number",
    "a string",
    "a date (YYYY-MM-DD)",
    "a date-time with time zone (YYYY-MM-DDTHH:MM:SSZ)",
    "a list of strings",
    "true or false",
)

#: Every section and key a scenario file must have, with the kind of value it holds.
SCHEMA: dict[str, dict[str, str]] = {
    "scenario": {
        "name": _STR,
        "title": _STR,
        "seed": _INT,
        "start": _DATE,
        "end": _DATE,
        "region": _STR,
    },
    "markets": {
        "count": _INT,
        "mirrors_per_market": _INT,
        "phishing_clones": _INT,
        "lookalike_prefix": _INT,
        "lookalikes_in_the_wild": _INT,
    },
    "vendors": {
        "count": _INT,
        "accounts_per_vendor_max": _INT,
    },
    "listings": {
        "count": _INT,
        "cities": _STRLIST,
        "categories": _STRLIST,
        "currencies": _STRLIST,
    },
    "sites": {
        "vendor_shops": _INT,
        "scam_shops": _INT,
        "droppers": _INT,
    },
    "ledger": {
        "n_exchanges": _INT,
        "n_buyers": _INT,
        "n_orders": _INT,
        "peel_hops": _INT,
        "coinjoin_participants": _INT,
        "dust_outputs": _INT,
        "filler_transactions": _INT,
        "btc_usd_start": _FLOAT,
        "btc_usd_end": _FLOAT,
        "usd_kzt": _FLOAT,
        "usd_rub": _FLOAT,
        "start_height": _INT,
    },
    "messages": {
        "signed": _INT,
        "forged_edited": _INT,
        "forged_impostor": _INT,
    },
    "seized": {
        "seized_at": _DATETIME,
        "device": _STR,
    },
}


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario.

    Attributes
    ----------
    name : str
        The scenario's name (``[scenario] name``).
    seed : int
        The scenario seed; a trainee's world derives from it and the trainee id.
    params : dict
        ``{section: {key: value}}`` exactly as in the file, type-checked.
    path : Path or None
        Where it was read from.
    """

    name: str
    seed: int
    params: dict[str, dict[str, Any]] = field(repr=False)
    path: Path | None = None

    def __getitem__(self, section: str) -> dict[str, Any]:
        return self.params[section]

    @property
    def start(self) -> dt.date:
        """First day of the case period."""
        return self.params["scenario"]["start"]

    @property
    def end(self) -> dt.date:
        """Last day of the case period."""
        return self.params["scenario"]["end"]

    def replace(self, section: str, **values: Any) -> Scenario:
        """Return a copy with some keys of one section changed (checked like the file).

        Examples
        --------
        >>> s = load_scenario("tiny").replace("ledger", filler_transactions=10)
        >>> s["ledger"]["filler_transactions"]
        10
        """
        params = {k: dict(v) for k, v in self.params.items()}
        if section not in params:
            raise ScenarioError(f"unknown section [{section}]")
        params[section].update(values)
        _validate(params, str(self.path or "<scenario>"))
        return Scenario(self.name, self.seed, params, self.path)


def seeds_dir() -> Path:
    """Return the folder holding the named scenarios.

    Examples
    --------
    >>> (seeds_dir() / "default.toml").is_file()
    True
    """
    repo = Path(__file__).resolve().parents[3] / "seeds"
    if (repo / "default.toml").is_file():
        return repo
    return Path(__file__).resolve().parent / "seeds"


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a scenario by name (``"default"``) or by path.

    Parameters
    ----------
    name_or_path : str or Path
        A bare name means ``seeds/<name>.toml``; anything else is a file path.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If the file is missing or not TOML, or a key is missing, unknown or of the wrong type;
        the message names the file and the key.

    Examples
    --------
    >>> s = load_scenario("default")
    >>> s.name, s.start.year
    ('default', 2020)
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text or "\\" in text or text.endswith(".toml"):
        path = Path(name_or_path)
    else:
        path = seeds_dir() / f"{text}.toml"
    shown = _shown(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"{shown}: no such scenario file") from None
    except OSError as exc:
        raise ScenarioError(f"{shown}: cannot read the scenario file ({exc.strerror})") from None
    try:
        params = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{shown}: not valid TOML: {exc}") from None
    _validate(params, shown)
    return Scenario(params["scenario"]["name"], params["scenario"]["seed"], params, path)


def _shown(path: Path) -> str:
    """Show a path relative to the repository when it lies inside it."""
    try:
        return path.resolve().relative_to(Path(__file__).resolve().parents[3]).as_posix()
    except ValueError:
        return str(path)


def _validate(params: dict[str, Any], shown: str) -> None:
    for section in params:
        if section not in SCHEMA:
            raise ScenarioError(
                f"{shown}: unknown section [{section}] (known: {', '.join(SCHEMA)})"
            )
    for section, keys in SCHEMA.items():
        if section not in params:
            raise ScenarioError(f"{shown}: missing section [{section}]")
        values = params[section]
        if not isinstance(values, dict):
            raise ScenarioError(f"{shown}: {section} must be a [{section}] table")
        for key in values:
            if key not in keys:
                raise ScenarioError(
                    f"{shown}: [{section}] unknown key {key!r} (known: {', '.join(keys)})"
                )
        for key, kind in keys.items():
            if key not in values:
                raise ScenarioError(f"{shown}: [{section}] missing key {key!r} ({kind})")
            if not _is_kind(values[key], kind):
                raise ScenarioError(
                    f"{shown}: [{section}] {key} must be {kind}, got {_repr(values[key])}"
                )
            if kind == _INT and values[key] < 0:
                raise ScenarioError(f"{shown}: [{section}] {key} cannot be negative")
    scenario = params["scenario"]
    if scenario["end"] <= scenario["start"]:
        raise ScenarioError(f"{shown}: [scenario] end must come after start")


def _is_kind(value: Any, kind: str) -> bool:
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _FLOAT:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    if kind == _STR:
        return isinstance(value, str) and value != ""
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _DATE:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == _DATETIME:
        return isinstance(value, dt.datetime) and value.tzinfo is not None
    if kind == _STRLIST:
        return (
            isinstance(value, list)
            and len(value) > 0
            and all(isinstance(v, str) and v for v in value)
        )
    raise AssertionError(kind)  # pragma: no cover


def _repr(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return repr(value)
