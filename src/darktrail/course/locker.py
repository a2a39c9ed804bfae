"""The evidence locker: the course key, each trainee's frozen evidence and their answer record.

A trainee's world derives from the scenario seed, the course's secret key and the trainee id
(:func:`darktrail.world.rng.world_seed`), so only the instructor's side can make it. When an
assignment is released (or a trainee is added), the locker *issues* each trainee, once:

- an **evidence bundle** -- files only, what the trainee investigates -- stamped with the
  scenario, the world version and a SHA-256 over its files;
- an **answer record** -- the ground truth and each graded cell's expected answer -- which
  never leaves the instructor's side.

Both are frozen: grading uses the bundle the trainee worked on, even if the generator changed
since. Layout under the locker root (``grading/locker/``), with the modes a shared server
needs (the instructor owns everything; on a multi-user server each trainee's folder is handed
to that trainee, see :meth:`Locker.issue`)::

    locker/                 0711  (others may pass through, not list)
      course.key            0600  32 random bytes, hex
      evidence/             0711
        <trainee>/          0700  the bundle, with .darktrail-evidence.json (the stamp)
      answers/              0700
        <trainee>.json      0600  {"stamp": ..., "truth": ..., "answers": {assignment: {...}}}
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from traitlets import Unicode
from traitlets.config import Configurable

from darktrail.evidence import STAMP
from darktrail.identity import checked_trainee_id
from darktrail.world.truth import Truth, TruthError

__all__ = [
    "CaseRecord",
    "Locker",
    "LockerError",
    "bundle_digest",
    "issue_evidence",
    "sha256_file",
]

_KEY = "course.key"


class LockerError(RuntimeError):
    """The locker cannot do what was asked; the message says what and where."""


def bundle_digest(folder: Path) -> str:
    """SHA-256 over the relative names and contents of a bundle's files (stamp excluded)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.name != STAMP):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(sha256_file(path).digest())
    return digest.hexdigest()


def sha256_file(path: Path, block: int = 1 << 20):
    """The SHA-256 of a file, read a block at a time (a huge file costs no memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(block), b""):
            digest.update(chunk)
    return digest


@dataclass(frozen=True)
class CaseRecord:
    """One trainee's frozen case as the grader sees it: the bundle folder and the record.

    ``truth`` is the world's ground truth as typed records (:class:`darktrail.world.Truth`):
    ``case.truth.seized.altered``, ``case.truth.ledger.coinjoin.txid``.
    """

    trainee: str
    evidence: Path
    stamp: dict[str, Any]
    truth: Truth
    answers: dict[str, dict[str, Any]]

    @property
    def files(self) -> dict[str, bytes]:
        """The bundle's files, ``{relative path: bytes}`` (read on first use)."""
        cached = self.__dict__.get("_files")
        if cached is None:
            cached = {
                p.relative_to(self.evidence).as_posix(): p.read_bytes()
                for p in sorted(self.evidence.rglob("*"))
                if p.is_file() and p.name != STAMP
            }
            object.__setattr__(self, "_files", cached)
        return cached

    @classmethod
    def of_world(cls, world) -> CaseRecord:
        """A case made from a world in memory (:func:`darktrail.world.generate`), never
        issued: what the world's tests judge answers on."""
        case = cls(world.trainee, Path("/nonexistent") / str(world.trainee), {}, world.truth, {})
        object.__setattr__(case, "_files", dict(world.files))
        return case

    def remember(self, name: str, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per case: what several expected answers read (a parsed
        ledger, a table, a taint run) is built once while a submission is judged."""
        views = self.__dict__.setdefault("_views", {})
        if name not in views:
            views[name] = make()
        return views[name]

    @property
    def ledger(self):
        """The case's ledger (``ledger/transactions.json``) indexed for tracing
        (:class:`darktrail.ledger.LedgerIndex`), built once."""
        from darktrail.ledger import LedgerIndex

        return self.remember("ledger", lambda: LedgerIndex(self.transactions))

    @property
    def transactions(self) -> list[dict]:
        """The case's ``ledger/transactions.json``, parsed once."""
        return self.remember(
            "transactions", lambda: json.loads(self.files["ledger/transactions.json"])
        )


class Locker(Configurable):
    """The course's evidence locker (``c.Locker.root`` in ``grading/nbgrader_config.py``)."""

    root = Unicode(help="Folder of the course key, evidence bundles and answer records").tag(
        config=True
    )
    scenario = Unicode("default", help="Scenario of the course's case").tag(config=True)

    @property
    def path(self) -> Path:
        if not self.root:
            raise LockerError("the course configuration does not set c.Locker.root")
        return Path(self.root)

    # -- the course key ----------------------------------------------------------------

    @property
    def key_file(self) -> Path:
        return self.path / _KEY

    def key(self, create: bool = True) -> bytes:
        """The course key, created (owner-only) on first use when ``create``."""
        if not self.key_file.is_file():
            if not create:
                raise LockerError(f"no course key at {self.key_file}: release an assignment first")
            self._folders()
            self._write_private(self.key_file, secrets.token_hex(32) + "\n")
        text = self.key_file.read_text(encoding="ascii").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) != 32:
            raise LockerError(f"{self.key_file} is not a course key (64 hexadecimal characters)")
        return key

    def install_key(self, key: bytes) -> None:
        """Use ``key`` as this locker's course key (a new, empty locker only)."""
        if self.key_file.is_file() and self.key() != key:
            raise LockerError(f"{self.key_file} already holds another course key")
        self._folders()
        self._write_private(self.key_file, key.hex() + "\n")

    def rotate_key(self) -> Path:
        """Make a new course key; refused once any trainee has been issued evidence."""
        issued = self.issued()
        if issued:
            raise LockerError(
                f"{len(issued)} trainee(s) already hold evidence made with the current key "
                f"(e.g. {issued[0]}): rotating it now would make their answers unverifiable. "
                "Rotate before a course starts, or start a new course root."
            )
        self.key_file.unlink(missing_ok=True)
        self.key()
        return self.key_file

    # -- issuing ---------------------------------------------------------------------------

    def evidence_dir(self, trainee: str) -> Path:
        return self.path / "evidence" / checked_trainee_id(trainee, "the locker")

    def record_file(self, trainee: str) -> Path:
        return self.path / "answers" / f"{checked_trainee_id(trainee, 'the locker')}.json"

    def issued(self) -> list[str]:
        """The trainees holding an evidence bundle."""
        folder = self.path / "answers"
        return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []

    def issue(self, trainee: str, exercises: list | None = None, owner: str | None = None) -> bool:
        """Issue ``trainee``'s bundle and answer record unless already issued; True if new.

        ``exercises`` (:class:`darktrail.course.source.Exercise`) whose expected answers are
        missing from the record are added to it; the bundle itself is never remade. ``owner``
        (a Unix user name) is given the trainee's evidence folder on a multi-user server.
        """
        record_file = self.record_file(trainee)
        new = not record_file.is_file() or not (self.evidence_dir(trainee) / STAMP).is_file()
        if new:
            self._issue_bundle(trainee)
        if exercises:
            self._add_answers(trainee, exercises)
        if owner is not None:
            _hand_over(self.evidence_dir(trainee), owner)
        return new

    def _issue_bundle(self, trainee: str) -> None:
        from darktrail.world import WORLD_VERSION, generate

        self._folders()
        world = generate(self.scenario, trainee, self.key())
        target = self.evidence_dir(trainee)
        staging = Path(tempfile.mkdtemp(prefix=".issue-", dir=target.parent))
        world.write(staging)
        stamp = {
            "scenario": self.scenario,
            "trainee": trainee,
            "world_version": WORLD_VERSION,
            "sha256": bundle_digest(staging),
        }
        (staging / STAMP).write_text(json.dumps(stamp, sort_keys=True) + "\n", encoding="utf-8")
        os.chmod(staging, 0o700)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        record = {"stamp": stamp, "truth": world.truth.to_json(), "answers": {}}
        self._write_private(self.record_file(trainee), json.dumps(record, ensure_ascii=False))

    def _add_answers(self, trainee: str, exercises: list) -> None:
        from darktrail.course.judge import expected_answers

        record = self.case(trainee, issue=False)
        missing = [e for e in exercises if e.answers is not None and e.slug not in record.answers]
        if not missing:
            return
        answers = dict(record.answers)
        for exercise in missing:
            answers[exercise.slug] = expected_answers(exercise.answers, record)
        data = {"stamp": record.stamp, "truth": record.truth.to_json(), "answers": answers}
        self._write_private(self.record_file(trainee), json.dumps(data, ensure_ascii=False))

    def case(self, trainee: str, issue: bool = True) -> CaseRecord:
        """``trainee``'s frozen case, issued first if ``issue`` and not yet issued."""
        record_file = self.record_file(trainee)
        if issue:
            self.issue(trainee)
        elif not record_file.is_file():
            raise LockerError(f"no evidence has been issued to {trainee!r} in {self.path}")
        try:
            record = json.loads(record_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise LockerError(f"{record_file} is damaged: {error}") from error
        if not isinstance(record, dict) or not {"stamp", "truth"} <= set(record):
            raise LockerError(f"{record_file} is damaged: it holds no stamp and truth")
        try:
            truth = Truth.from_json(record["truth"])
        except TruthError as error:
            raise LockerError(f"{record_file} is damaged: {error}") from error
        return CaseRecord(
            trainee,
            self.evidence_dir(trainee),
            record["stamp"],
            truth,
            record.get("answers", {}),
        )

    # -- files and modes -------------------------------------------------------------------

    def _folders(self) -> None:
        for folder, mode in ((self.path, 0o711), (self.path / "evidence", 0o711)):
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, mode)
        (self.path / "answers").mkdir(exist_ok=True)
        os.chmod(self.path / "answers", 0o700)

    @staticmethod
    def _write_private(path: Path, text: str) -> None:
        partial = path.with_name(f".{path.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(partial, 0o600)
        partial.replace(path)


def _hand_over(folder: Path, owner: str) -> None:
    """Give a Unix user their evidence folder (and nobody else): multi-user servers only."""
    import pwd

    entry = pwd.getpwnam(owner)
    for path in (folder, *folder.rglob("*")):
        os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def issue_evidence(course, exercises: list, trainees: list[str] | None = None) -> list[str]:
    """Issue evidence and answer records to ``trainees`` (default: the roster and this user).

    The user running the course is issued too, so an instructor (or a self-study trainee on
    one machine) can open an assignment in ``make lab``. Returns the newly issued ids.
    """
    import getpass

    from darktrail.course.roster import roster

    if trainees is None:
        trainees = sorted({t.id for t in roster(course)} | {getpass.getuser()})
    locker = course.locker
    return [trainee for trainee in trainees if locker.issue(trainee, exercises)]
