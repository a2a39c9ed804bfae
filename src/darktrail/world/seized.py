"""``seized/``: the files of a seized laptop image and their chain-of-custody hash manifest.

The manifest records each file's SHA-256 and size at imaging time. Exactly one file was
altered afterwards (same size, a few digits changed), so its hash no longer matches; which
file it is differs per trainee and is recorded in ``truth["seized"]``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from .case import Case, csv_bytes
from .images import jpeg_with_exif
from .people import CITY_COORDINATES, vendor

__all__ = ["MANIFEST_HEADER", "build"]

MANIFEST_HEADER = ["item", "path", "sha256", "bytes", "seized_at"]
_PHONES = (("Xiaomi", "Redmi Note 8"), ("Samsung", "SM-A505F"), ("HUAWEI", "MAR-LX1M"))


def build(case: Case) -> None:
    """Add the seized files, alter one after hashing, and add ``seized/manifest.csv``."""
    rng = case.rng("seized")
    scenario = case.scenario
    suspect = vendor(case, case.cast["suspect"])
    handle = suspect["accounts"][0]["handle"]
    seized_at = scenario["seized"]["seized_at"]
    refs = case.cast.get("seized_refs", {})
    files: dict[str, tuple[bytes, str]] = {}

    files["chats/messenger_export.txt"] = (_chat(case, rng, suspect), "messenger chat export")
    files["notes/notes.txt"] = (_notes(case, rng, suspect), "text notes")
    lat, lon = CITY_COORDINATES.get(suspect["city"], (43.238, 76.945))
    lat += rng.uniform(-0.05, 0.05)
    lon += rng.uniform(-0.05, 0.05)
    taken = dt.datetime.combine(scenario.start, dt.time(0)) + dt.timedelta(
        days=rng.randint(20, 50), minutes=rng.randint(9 * 60, 20 * 60)
    )
    make, model = rng.choice(_PHONES)
    shades = [[rng.randint(40, 200) for _ in range(16)] for _ in range(12)]
    photo_name = f"photos/IMG_{taken:%Y%m%d}_{taken:%H%M%S}.jpg"
    files[photo_name] = (
        jpeg_with_exif(shades, make, model, taken, gps=(round(lat, 5), round(lon, 5))),
        "photo",
    )
    case.truth.setdefault("seized", {})["photo_gps"] = [round(lat, 5), round(lon, 5)]
    for path, (data, what) in refs.get("files", {}).items():
        files[path] = (data, what)

    # Image the files (hash them), then alter one: the manifest keeps the original hash.
    manifest = []
    for n, (path, (data, _)) in enumerate(sorted(files.items()), start=1):
        stamp = (seized_at + dt.timedelta(seconds=7 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        manifest.append([f"{handle.upper()[:4]}-{n:03d}", path, _sha256(data), len(data), stamp])
    altered = rng.choice(sorted(files))
    original = files[altered][0]
    changed, offset = _alter(original, altered.endswith(".jpg"), rng)
    files[altered] = (changed, files[altered][1])
    for path, (data, what) in sorted(files.items()):
        case.add(
            f"seized/{path}",
            data,
            "seized",
            f"seized {scenario['seized']['device']}: {what}",
            _records(path, data),
        )
    case.add(
        "seized/manifest.csv",
        csv_bytes(MANIFEST_HEADER, manifest),
        "seized",
        "chain-of-custody hash manifest of the seized files",
        len(manifest),
    )
    case.truth["seized"].update(
        {
            "altered": altered,
            "altered_offset": offset,
            "sha256_in_manifest": _sha256(original),
            "sha256_now": _sha256(changed),
        }
    )  # fmt: skip


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _records(path: str, data: bytes) -> int:
    if path.endswith((".txt", ".csv")):
        return data.count(b"\n") - path.endswith(".csv")
    return 1


def _alter(data: bytes, is_photo: bool, rng) -> tuple[bytes, int]:
    """Change one digit (in a date-time for photos) keeping the size: a quiet edit."""
    if is_photo:
        match = re.search(rb"\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}", data)
        assert match is not None
        positions = [match.start() + i for i in (9, 12, 15)]
    else:
        positions = [m.start() for m in re.finditer(rb"\d", data)]
    offset = rng.choice(positions)
    old = data[offset] - 48
    new = rng.choice([d for d in range(10) if d != old and (not is_photo or d < 3)])
    return data[:offset] + bytes([48 + new]) + data[offset + 1 :], offset


def _chat(case: Case, rng, suspect: dict) -> bytes:
    handle = suspect["accounts"][0]["handle"]
    courier = case.cast["courier"]
    otc = case.cast["otc"]["name"]
    refs = case.cast.get("seized_refs", {})
    start = dt.datetime.combine(case.scenario.start, dt.time(10, 0))
    day = rng.randint(8, 15)
    t = start + dt.timedelta(days=day, minutes=rng.randint(0, 600))
    amount_kzt = rng.randrange(40, 200) * 10_000
    lines = [
        (handle, courier, "new batch is in, same as last week. 20 drops, photos by tonight"),
        (courier, handle, "ok. same district?"),
        (handle, courier, f"yes, {suspect['city']}, north side. do not use the old phone"),
        (courier, handle, "done. 18 placed, 2 spots had snow, will redo tomorrow"),
        (handle, otc, f"need to change coins to cash, around {amount_kzt:,} tenge"),
        (otc, handle, "rate is market minus 4%. send btc to the address I give you"),
    ]
    if "otc_address" in refs:
        lines.append((otc, handle, f"address: {refs['otc_address']}"))
        lines.append((handle, otc, f"sent {refs['otc_btc']} btc, txid {refs['otc_txid']}"))
    if "deposit_address" in refs:
        lines.append((handle, handle, f"note to self: exchange deposit {refs['deposit_address']}"))
    lines.append((otc, handle, "cash ready tomorrow 14:00, usual place"))
    out = []
    for sender, receiver, text in lines:
        t += dt.timedelta(minutes=rng.randint(2, 240))
        out.append(f"[{t:%Y-%m-%d %H:%M}] {sender} -> {receiver}: {text}")
    return ("\n".join(out) + "\n").encode("utf-8")


def _notes(case: Case, rng, suspect: dict) -> bytes:
    refs = case.cast.get("seized_refs", {})
    lines = ["TODO", "- renew market subscription", "- new keys? ask on forum"]
    for market, mirror in refs.get("bookmarks", []):
        lines.append(f"- {market}: {mirror}")
    lines.append(f"- rent {rng.randrange(150, 300) * 1000} by the 5th")
    for handle in [a["handle"] for a in suspect["accounts"]]:
        lines.append(f"account {handle}: pass in the safe")
    return ("\n".join(lines) + "\n").encode("utf-8")
