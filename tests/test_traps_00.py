"""The discriminating cases of 00-orientation exist in every trainee's evidence.

Each wrong method that ``exercises/00-orientation/answers.py`` names must meet, in the evidence
of each of 40 sample trainees, a case where it gives another answer than the right method.
World generation is slow (~0.4 s), so each world is made once for the module.
"""

from __future__ import annotations

import collections
import hashlib
import io

import pandas as pd
import pytest

from darktrail.world import generate

TRAINEES = [f"qa-{n:02d}" for n in range(1, 41)]


@pytest.fixture(scope="module")
def worlds():
    return {t: generate("default", t, course_key=bytes(32)) for t in TRAINEES}


@pytest.fixture(scope="module")
def shared():
    return generate("default", None)


def _index(world) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(world.files["index.csv"]))


def _manifest(world) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(world.files["seized/manifest.csv"]))


def _rows(index) -> dict:
    return {
        p: (c, int(b))
        for p, c, b in zip(index["path"], index["category"], index["bytes"], strict=True)
    }


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("trainee", TRAINEES)
def test_index_traps(worlds, shared, trainee):
    """A partial read (head, nrows=50) and the shared world's index give other rows."""
    index = _index(worlds[trainee])
    assert len(index) > 50
    assert _rows(index) != _rows(_index(shared))


@pytest.mark.parametrize("trainee", TRAINEES)
def test_count_seized_traps(worlds, trainee):
    """All rows, the manifest's rows, the records' sum and 'minus one' all miss the count."""
    world = worlds[trainee]
    index = _index(world)
    seized = index["category"] == "seized"
    right = int(seized.sum())
    assert index.loc[index["path"] == "seized/manifest.csv", "category"].tolist() == ["seized"]
    assert right != len(index)
    assert right != len(_manifest(world))
    assert right != int(index.loc[seized, "records"].sum())


@pytest.mark.parametrize("trainee", TRAINEES)
def test_largest_file_traps(worlds, trainee):
    """The recording is strictly the largest, over 1 MB, and no other method lands on it."""
    index = _index(worlds[trainee])
    by_size = index.sort_values("bytes", ascending=False)
    largest, second = by_size.iloc[0], by_size.iloc[1]
    assert largest["path"].startswith("seized/videos/screen_")
    assert largest["bytes"] > second["bytes"]
    assert largest["bytes"] > 1 << 20
    assert index.loc[index["records"].idxmax(), "path"] != largest["path"]
    assert index.loc[index["bytes"].idxmin(), "path"] != largest["path"]
    assert index.loc[index["bytes"].astype(str).idxmax(), "path"] != largest["path"]


def test_largest_file_differs(worlds):
    """The recording's name differs per trainee, so a copied answer is wrong."""
    names = {_index(w).sort_values("bytes").iloc[-1]["path"] for w in worlds.values()}
    assert len(names) == len(worlds)


@pytest.mark.parametrize("trainee", TRAINEES)
def test_sha256_traps(worlds, trainee):
    """The evidence holds a file past 1 MB and seized text files that end in white space."""
    files = worlds[trainee].files
    big = [p for p, data in files.items() if len(data) > 1 << 20]
    assert big and all(_sha(files[p][: 1 << 20]) != _sha(files[p]) for p in big)
    for path in ("seized/chats/messenger_export.txt", "seized/notes/notes.txt"):
        assert files[path] != files[path].strip()


@pytest.mark.parametrize("trainee", TRAINEES)
def test_find_altered_traps(worlds, trainee):
    """One file's hash changed, its size did not; other methods list nothing or too much."""
    world = worlds[trainee]
    manifest = _manifest(world)
    data = {p: world.files[f"seized/{p}"] for p in manifest["path"]}
    altered = [
        p for p, h in zip(manifest["path"], manifest["sha256"], strict=True) if _sha(data[p]) != h
    ]
    assert altered == [world.truth.seized.altered]
    assert all(len(data[p]) == b for p, b in zip(manifest["path"], manifest["bytes"], strict=True))
    assert len(manifest) >= 10  # the inverted comparison lists many files
    stripped = [
        p
        for p, h in zip(manifest["path"], manifest["sha256"], strict=True)
        if _sha(data[p].strip()) != h
    ]
    assert set(stripped) != set(altered)


def test_find_altered_differs(worlds):
    """No one file is the altered one for more than 1 trainee in 10: copying fails."""
    counts = collections.Counter(w.truth.seized.altered for w in worlds.values())
    assert counts.most_common(1)[0][1] <= len(worlds) // 10


@pytest.mark.parametrize("trainee", TRAINEES)
def test_altered_item_traps(worlds, trainee):
    """Items are distinct and start with the handle, not the example's 'EX-'."""
    items = list(_manifest(worlds[trainee])["item"])
    assert len(set(items)) == len(items) >= 2
    assert not any(item.startswith("EX-") for item in items)


@pytest.mark.parametrize("trainee", TRAINEES)
def test_category_chart_traps(worlds, trainee):
    """Bytes, shares or shuffled labels never give the counts per category."""
    index = _index(worlds[trainee])
    counts = index["category"].value_counts()
    sizes = index.groupby("category")["bytes"].sum()
    assert all(sizes[c] != n for c, n in counts.items())
    assert counts.max() >= 2  # shares are fractions
    assert dict(zip(sorted(counts.index), counts.values, strict=True)) != counts.to_dict()
    assert dict(zip(range(len(counts)), counts.values, strict=True)) != counts.to_dict()
