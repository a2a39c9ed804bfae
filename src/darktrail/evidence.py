"""My evidence: the trainee's own copy of the case, one call away in every notebook.

A trainee's evidence is made on the instructor's side, with the course's secret key, and
frozen in the course's evidence locker (:mod:`darktrail.course.locker`) when an assignment is
released. ``my_evidence()`` copies the trainee's own bundle next to the notebook; nothing in
this module can make a trainee's world or know its answers. While nbgrader autogrades, the
grader has already put the submitting trainee's bundle in place, and that is what is used.

The stamp of the bundle a trainee worked on is also kept next to the notebook
(``.darktrail-worked-on.json``) and handed in with it, so the grader can report a submission
made on evidence other than the trainee's frozen bundle (a bundle re-issued after the work).

Where the bundles are: ``DARKTRAIL_LOCKER`` names the locker's ``evidence/`` folder (``make
lab`` and the classroom set it); on a shared server each trainee may read only their own.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

from darktrail.identity import trainee_id

__all__ = ["LOCKER_ENV", "STAMP", "WORKED_ON", "EvidenceMissing", "case_evidence", "my_evidence"]

STAMP = ".darktrail-evidence.json"
#: Beside the notebook: the stamp of the bundle the trainee's work was done on.
WORKED_ON = ".darktrail-worked-on.json"
LOCKER_ENV = "DARKTRAIL_LOCKER"


class EvidenceMissing(FileNotFoundError):
    """No evidence has been issued to this trainee, or it cannot be read."""


def my_evidence(folder: str | Path = "evidence") -> Path:
    """Put the current trainee's evidence bundle into ``folder`` (if not already there).

    The folder is replaced when it holds another bundle. While nbgrader autogrades, the
    folder the grader prepared is returned as it is.

    Raises
    ------
    EvidenceMissing
        If no bundle was issued to this trainee (ask the instructor to release the assignment).
    FileExistsError
        If ``folder`` exists but was not written by darktrail: it is never overwritten.
    """
    folder = Path(folder).resolve()
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        if not (folder / STAMP).is_file():
            raise EvidenceMissing(f"the grader did not provide evidence in {folder}")
        return folder
    trainee = trainee_id()
    locker = os.environ.get(LOCKER_ENV, "").strip()
    bundle = Path(locker) / trainee if locker else None
    if bundle is None or not (bundle / STAMP).is_file():
        where = f" in {locker}" if locker else f" (no {LOCKER_ENV} is set)"
        raise EvidenceMissing(
            f"no evidence has been issued to trainee {trainee!r}{where}: ask your instructor "
            "to release the assignment to you"
        )
    folder = _copy(bundle, folder)
    shutil.copyfile(folder / STAMP, folder.parent / WORKED_ON)
    return folder


def case_evidence(scenario: str = "default", folder: str | Path = "evidence") -> Path:
    """Write the shared (default) world's evidence into ``folder``; return it.

    Instructors' walkthroughs use it: everyone in the room sees the same numbers. The shared
    world needs no key: it is public, and no trainee's answers come from it.
    """
    folder = Path(folder).resolve()
    stamp = {"scenario": scenario, "trainee": None, "world_version": _shared(scenario)[0]}
    found = _stamp_of(folder)
    if found == stamp:
        return folder
    if found and found.get("trainee"):
        raise FileExistsError(
            f"{folder} holds the evidence issued to {found['trainee']!r}; the shared world goes "
            "into another folder, e.g. case_evidence(folder='shared-evidence')"
        )
    staging = _staging(folder)
    _shared(scenario)[1].write(staging)
    (staging / STAMP).write_text(json.dumps(stamp, sort_keys=True) + "\n", encoding="utf-8")
    return _replace(staging, folder)


@functools.lru_cache(maxsize=2)
def _shared(scenario: str):
    from darktrail.world import WORLD_VERSION, generate

    return WORLD_VERSION, generate(scenario, None)


def _stamp_of(folder: Path) -> dict | None:
    if not folder.exists():
        return None
    stamp = folder / STAMP
    if not stamp.is_file():
        raise FileExistsError(
            f"{folder} exists but was not written by darktrail; rename it so your "
            "evidence can be written there"
        )
    try:
        return json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _copy(bundle: Path, folder: Path) -> Path:
    try:
        issued = json.loads((bundle / STAMP).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise EvidenceMissing(
            f"your evidence bundle in {bundle} cannot be read: {error}"
        ) from error
    if _stamp_of(folder) == issued:
        return folder
    staging = _staging(folder)
    shutil.copytree(bundle, staging, dirs_exist_ok=True)
    return _replace(staging, folder)


def _staging(folder: Path) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".evidence-", dir=folder.parent))


def _replace(staging: Path, folder: Path) -> Path:
    os.chmod(staging, 0o755)
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
    return folder
