"""``datasets/``: the shared default world, generated once and committed with a manifest.

``datasets/<scenario>/`` holds the evidence of the shared world (``trainee=None``) and
``datasets/MANIFEST.json`` records the scenario, the darktrail version and the SHA-256 of
every file, so a change to the generator that changes the evidence shows up in review
(``tests/test_world_dataset.py`` regenerates and compares).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

__all__ = ["DATASETS", "dataset_manifest", "write_dataset"]

#: The repository's ``datasets/`` folder.
DATASETS = Path(__file__).resolve().parents[3] / "datasets"


def dataset_manifest(world, scenario_name: str) -> dict:
    """The manifest of a world's evidence as committed under ``datasets/``."""
    return {
        "scenario": scenario_name,
        "trainee": world.trainee,
        "world_version": world.truth.world_version,
        "regenerate": "python -c 'from darktrail.world import write_dataset; write_dataset()'",
        "files": {
            f"{scenario_name}/{path}": hashlib.sha256(data).hexdigest()
            for path, data in sorted(world.files.items())
        },
    }


def write_dataset(scenario: str = "default", root: str | Path | None = None) -> Path:
    """Regenerate ``datasets/<scenario>/`` and ``datasets/MANIFEST.json``; return the folder."""
    from . import generate

    root = Path(root) if root is not None else DATASETS
    world = generate(scenario, None)
    if world.streams:
        raise ValueError(f"scenario {scenario!r} streams large files; it is not a dataset")
    folder = root / scenario
    if folder.exists():
        shutil.rmtree(folder)
    world.write(folder)
    manifest = dataset_manifest(world, scenario)
    (root / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return folder
