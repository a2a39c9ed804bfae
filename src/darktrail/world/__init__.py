"""The synthetic world: one seeded case, different for every trainee, and its ground truth.

``generate(scenario, trainee, course_key)`` builds a trainee's evidence folder in memory,
deterministically from the scenario seed, the course's secret key and the trainee id
(``trainee=None``: the shared default world, which needs no key). Small providers
each own one part of the case and draw from their own labelled random generator
(:mod:`darktrail.world.rng`), so the same inputs give byte-identical files.

Evidence layout (all paths relative to the evidence folder)::

    briefing.md                      the case briefing
    index.csv                        path,category,description,records,bytes (every other file)
    markets/<market>/market.asc      the market's public signing key
    markets/<market>/mirrors.txt.asc clearsigned list of the genuine onion mirrors
    markets/<market>/canary.txt.asc  clearsigned canary: date and a recent block hash
    markets/lookalikes.csv           onion addresses seen on forums (mirrors and phishing clones)
    keys/<market>/<handle>.asc       vendor public keys as published on each market
    keys/forum/<name>.asc            keys posted elsewhere (impostors among them)
    listings/listings.csv            NPS listings (category only, price, unit, city, dates, rating)
    sites/crawl.csv                  site_id,url,path,status,content_type,file
    sites/<site_id>/...              crawled pages, headers.txt, robots.txt, server-status, photos
    ledger/transactions.json         Esplora-shaped transactions (a JSON list)
    ledger/transactions.jsonl        scale worlds only: every transaction, one JSON per line
    ledger/prices.csv                daily BTC price in USD, KZT and RUB
    ledger/getrawtransaction_<txid>.json   Bitcoin Core verbosity-2 samples
    messages/<n>.txt.asc             clearsigned vendor messages (genuine and forged)
    messages/<n>.msg.asc             an encrypted message
    seized/manifest.csv              item,path,sha256,bytes,seized_at (paths relative to seized/)
    seized/...                       the seized laptop's files

The ground truth (:attr:`World.truth`, a :class:`~darktrail.world.truth.Truth` of typed
records) is never part of the evidence; ``World.write_truth`` writes it as JSON to a separate
file for the instructor and the grader. Its parts: ``vendors`` (accounts of each vendor, the suspect), ``markets`` (genuine mirrors, phishing and
lookalike addresses, signing key, canary block), ``keys`` (fingerprint of every account's key,
impostor keys, the short-ID collision), ``messages`` (genuine or forged, and how), ``sites``
(kind and operator of every site, the phisher's identifiers, the analytics trap), ``ledger``
(entity, kind, wallet and role of every address; orders, sweeps, batched payouts, peel
chains, the CoinJoin, OTC, cash-outs with exchange and amount, dust), ``listings`` and
``seized`` (the altered file, its offset and both hashes).

Scenarios (``seeds/*.toml``): ``default`` is the classroom case, ``tiny`` the same case shrunk
for tests, ``scale`` the default case inside a ledger of a million background transactions
(:mod:`darktrail.world.filler`). The shared default world is committed under ``datasets/``
(:func:`write_dataset`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import (
    briefing,
    filler,
    index,
    listings,
    markets,
    messages,
    people,
    prices,
    seized,
    sites,
    story,
    vendors,
)
from .case import Case, csv_bytes
from .dataset import write_dataset
from .rng import CourseKeyRequired, world_seed
from .scenario import Scenario, ScenarioError, load_scenario
from .truth import Truth, TruthError

__all__ = [
    "WORLD_VERSION",
    "CourseKeyRequired",
    "Scenario",
    "ScenarioError",
    "Truth",
    "TruthError",
    "World",
    "generate",
    "load_scenario",
    "write_dataset",
    "write_evidence",
]


#: The version of the world generator's output. Raise it whenever the same scenario, key and
#: trainee would give other evidence, or whenever the truth's JSON shape changes
#: (:mod:`darktrail.world.truth`); issued evidence and every truth record it, so a course can
#: tell which generator made a trainee's bundle.
WORLD_VERSION = 2


@dataclass
class World:
    """One trainee's evidence (file bytes) and its ground truth.

    Attributes
    ----------
    scenario : Scenario
    trainee : str or None
    files : dict of str to bytes
        Relative POSIX path -> exact bytes of each evidence file.
    truth : Truth
        The ground truth (instructor and grader only).
    streams : dict
        Scale worlds only: files too large for memory, written by :meth:`write`.
    """

    scenario: Scenario
    trainee: str | None
    files: dict[str, bytes]
    truth: Truth
    streams: dict[str, Any] = field(default_factory=dict, repr=False)

    def write(self, out_dir: str | Path) -> Path:
        """Write the evidence folder (creating it) and return its path.

        Examples
        --------
        >>> import tempfile
        >>> world = generate("tiny", "t01", course_key=bytes(32))
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     folder = world.write(tmp)
        ...     (folder / "seized" / "manifest.csv").is_file()
        True
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for rel, data in self.files.items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if self.streams:
            extra = []
            for rel, (writer, category, description, records) in self.streams.items():
                path = out / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as handle:
                    writer(handle)
                extra.append([rel, category, description, records, path.stat().st_size])
            # Streamed files are measured once written, then appended to the index.
            rows = csv_bytes(["path"], extra).split(b"\n", 1)[1]
            (out / "index.csv").write_bytes(self.files["index.csv"] + rows)
        return out

    def write_truth(self, path: str | Path) -> Path:
        """Write the ground truth as JSON to ``path`` (outside the evidence folder)."""
        return self.truth.write(path)


def generate(
    scenario: Scenario | str | Path, trainee: str | None = None, course_key: bytes | None = None
) -> World:
    """Generate a trainee's world (``trainee=None``: the shared default world).

    Parameters
    ----------
    scenario : Scenario, str or Path
        A loaded scenario, a scenario name (``"default"``) or a path to a TOML file.
    trainee : str or None
        The trainee id; each id gets the same case with different answers.
    course_key : bytes, optional
        The course's secret key (:mod:`darktrail.course.locker`); required for a trainee.

    Returns
    -------
    World

    Raises
    ------
    CourseKeyRequired
        If a trainee's world is asked for without the course key.

    Examples
    --------
    >>> key = bytes(32)
    >>> a, b = generate("tiny", "t01", key), generate("tiny", "t01", key)
    >>> a.files == b.files
    True
    >>> generate("tiny", "t02", key).truth.markets == a.truth.markets
    False
    >>> generate("tiny", "t01")
    Traceback (most recent call last):
    ...
    darktrail.world.rng.CourseKeyRequired: trainee 't01'\'s world can only be made with the course key, which stays with the instructor (darktrail locker shows where it is); without it only the shared world (no trainee) can be generated
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    case = Case(scenario, trainee, world_seed(scenario.seed, trainee, course_key))
    people.build_cast(case)
    for provider in _providers():
        provider.build(case)
    seized.build(case)
    briefing.build(case)
    index.build(case)
    truth = Truth(
        scenario=scenario.name, trainee=trainee, world_version=WORLD_VERSION, **case.truth
    )
    return World(scenario, trainee, case.files, truth, case.streams)


def _providers() -> list:
    """The providers that run between the cast and the seized laptop, in order."""
    return [
        prices,
        listings,
        _Step(markets.build_mirrors),
        vendors,
        story,
        filler,
        markets,
        messages,
        sites,
    ]


class _Step:
    """A provider function that is not a module's ``build``."""

    def __init__(self, build) -> None:
        self.build = build


def write_evidence(
    scenario: Scenario | str | Path,
    trainee: str | None,
    out_dir: str | Path,
    truth: str | Path | None = None,
    course_key: bytes | None = None,
) -> World:
    """Generate a world and write its evidence folder (and the truth file if asked).

    The truth file must lie outside the evidence folder.

    Raises
    ------
    ValueError
        If ``truth`` would be written inside ``out_dir``.
    CourseKeyRequired
        If a trainee's world is asked for without the course key.
    """
    out = Path(out_dir).resolve()
    if truth is not None:
        truth_path = Path(truth).resolve()
        if truth_path == out or out in truth_path.parents:
            raise ValueError(
                f"the ground truth ({truth}) must not be written inside the evidence folder {out_dir}"
            )
    world = generate(scenario, trainee, course_key)
    world.write(out_dir)
    if truth is not None:
        world.write_truth(truth)
    return world
