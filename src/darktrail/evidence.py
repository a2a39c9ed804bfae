"""My evidence: the trainee's own copy of the case, one call away in every notebook."""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

from darktrail import __version__
from darktrail.identity import trainee_id

__all__ = ["case_evidence", "my_evidence", "my_world"]

STAMP = ".darktrail-evidence.json"


@functools.lru_cache(maxsize=4)
def _world(scenario: str, trainee: str | None):
    from darktrail.world import generate

    return generate(scenario, trainee)


def my_world(scenario: str = "default"):
    """The current trainee's :class:`~darktrail.world.World` (cached in this process).

    Hidden tests use it to recompute each trainee's expected answers while grading.
    """
    return _world(scenario, trainee_id())


def my_evidence(scenario: str = "default", folder: str | Path = "evidence") -> Path:
    """Write the current trainee's evidence into ``folder`` (if not already there); return it.

    The folder is rebuilt when it belongs to another trainee, scenario or darktrail version,
    and always while nbgrader grades, so a submission is graded on pristine evidence.

    Raises
    ------
    FileExistsError
        If ``folder`` exists but was not written by darktrail: it is never overwritten.
    """
    return _write(scenario, trainee_id(), Path(folder))


def case_evidence(scenario: str = "default", folder: str | Path = "evidence") -> Path:
    """Write the shared (default) world's evidence into ``folder``; return it.

    Instructors' walkthroughs use it: everyone in the room sees the same numbers.
    """
    return _write(scenario, None, Path(folder))


def _write(scenario: str, trainee: str | None, folder: Path) -> Path:
    folder = folder.resolve()
    stamp = {"scenario": scenario, "trainee": trainee, "darktrail": __version__}
    stamp_file = folder / STAMP
    if folder.exists():
        if not stamp_file.is_file():
            raise FileExistsError(
                f"{folder} exists but was not written by darktrail; rename it so your "
                "evidence can be written there"
            )
        grading = "NBGRADER_EXECUTION" in os.environ
        if not grading and json.loads(stamp_file.read_text(encoding="utf-8")) == stamp:
            return folder
    staging = Path(tempfile.mkdtemp(prefix=".evidence-", dir=folder.parent))
    _world(scenario, trainee).write(staging)
    (staging / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
    return folder
