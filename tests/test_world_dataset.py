"""The committed default world under datasets/ is exactly what the generator makes."""

from __future__ import annotations

import hashlib
import json

from darktrail.world import generate
from darktrail.world.dataset import DATASETS, dataset_manifest


def test_committed_dataset_matches_the_generator():
    """datasets/default and MANIFEST.json equal a fresh generation of the shared world."""
    world = generate("default", None)
    manifest = json.loads((DATASETS / "MANIFEST.json").read_text())
    assert manifest == dataset_manifest(world, "default")
    on_disk = {
        p.relative_to(DATASETS / "default").as_posix()
        for p in (DATASETS / "default").rglob("*")
        if p.is_file()
    }
    assert on_disk == set(world.files)
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((DATASETS / rel).read_bytes()).hexdigest() == digest


def test_dataset_is_small():
    """The committed dataset stays under 3 MB (its seized screen recording alone is over 1 MB,
    so that hashing only a file's first megabyte is caught on real evidence)."""
    total = sum(p.stat().st_size for p in DATASETS.rglob("*") if p.is_file())
    assert total < 3_000_000
