"""``seized/``: the files of a seized laptop image and their chain-of-custody hash manifest.

The manifest records each file's SHA-256 and size at imaging time. Exactly one file was
altered afterwards (same size, a few digits changed), so its hash no longer matches; which
file it is differs per trainee and is recorded in ``truth.seized``.

What differs per trainee, so that each one's answers are their own: how many screenshots the
laptop holds (4-24), and a screen recording of 1.05-1.6 MB -- the largest evidence file, and
larger than the first megabyte that a hurried hash of "the start of the file" would read.

The wallet export (``wallet/electrum_history.csv``) was edited by its owner *before* seizure,
so its hash matches the manifest: one receipt is understated (one of its leading digits
lowered by at least 0.001 BTC), and the new amount is one that ``int(btc * 100_000_000)``
cuts down by a satoshi. The chain contradicts that row; every other row, and every outgoing
row (the consolidation and the peel chain that later assignments follow), stays as the chain
has it. The edit is recorded in ``truth.seized.wallet_edit``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..bitcoin import COIN
from .case import Case, csv_bytes
from .images import jpeg_with_exif
from .people import CITY_COORDINATES, vendor
from .truth import Seized, WalletEdit

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
    photo_gps = (round(lat, 5), round(lon, 5))
    # Screenshots of the shop's chats and wallets (no GPS: taken on the laptop itself).
    for _ in range(rng.randint(4, 24)):
        shot = taken + dt.timedelta(days=rng.randint(-15, 15), seconds=rng.randint(0, 86399))
        gray = [[rng.randint(0, 255) for _ in range(rng.randint(8, 20))] for _ in range(8)]
        name = f"photos/screenshots/Screenshot_{shot:%Y%m%d-%H%M%S}.jpg"
        files[name] = (jpeg_with_exif(gray, "", "", shot, software="Snipping Tool"), "screenshot")
    # A screen recording: random-looking bytes (compressed video) under a minimal MP4 header.
    recorded = taken + dt.timedelta(days=rng.randint(1, 9), seconds=rng.randint(0, 86399))
    size = rng.randint(1_050_000, 1_600_000)
    body = rng.randbytes(size - 32)
    video = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + body
    files[f"videos/screen_{recorded:%Y%m%d_%H%M%S}.mp4"] = (video, "screen recording")
    for path, (data, what) in refs.get("files", {}).items():
        files[path] = (data, what)
    edit = None
    if refs.get("wallet"):
        rows = [
            [txid, f"{value / COIN:+.8f}",
             dt.datetime.fromtimestamp(when, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")]
            for txid, value, when in sorted(refs["wallet"], key=lambda r: (r[2], r[0]))
        ]  # fmt: skip
        edit = _understate_receipt(rows, case.rng("seized", "wallet-export"))
        files["wallet/electrum_history.csv"] = (
            csv_bytes(["transaction_hash", "value", "timestamp"], rows),
            "wallet history export",
        )

    # Image the files (hash them), then alter one: the manifest keeps the original hash.
    manifest = []
    for n, (path, (data, _)) in enumerate(sorted(files.items()), start=1):
        stamp = (seized_at + dt.timedelta(seconds=7 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        manifest.append([f"{handle.upper()[:4]}-{n:03d}", path, _sha256(data), len(data), stamp])
    # Keys stay intact (their armor checksum would expose the edit at once), and so does the
    # wallet export: it starts the money trail of later assignments, and an edited txid there
    # would send a trainee down a false trail through no fault of their own.
    altered = rng.choice(
        sorted(p for p in files if not p.endswith(".asc") and not p.startswith("wallet/"))
    )
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
    case.truth["seized"] = Seized(
        photo_gps=photo_gps,
        altered=altered,
        altered_offset=offset,
        sha256_in_manifest=_sha256(original),
        sha256_now=_sha256(changed),
        wallet_edit=edit,
    )


def _understate_receipt(rows: list[list[str]], rng) -> WalletEdit:
    """Lower one receipt of the export in place (a quiet edit that hides income); say which.

    Only a positive row changes, and only its amount; the new amount stays positive, is at
    least 0.001 BTC lower, and is a float that ``int(btc * 100_000_000)`` truncates.
    """
    receipts = [k for k, row in enumerate(rows) if row[1].startswith("+")]
    rng.shuffle(receipts)
    fallback = None
    for k in receipts:
        sats = round(float(rows[k][1]) * COIN)
        digits = f"{sats:016d}"
        lead = len(digits) - len(digits.lstrip("0"))
        for position in rng.sample(range(lead, min(lead + 2, 16)), min(2, 16 - lead)):
            for new in rng.sample(range(10), 10):
                old = int(digits[position])
                if new >= old:
                    continue
                lowered = int(digits[:position] + str(new) + digits[position + 1 :])
                if lowered <= 0 or sats - lowered < 100_000:
                    continue
                text = f"{lowered / COIN:+.8f}"
                if fallback is None:
                    fallback = (k, sats, lowered, text)
                if int(float(text) * COIN) != lowered:
                    return _apply_edit(rows, k, sats, lowered, text)
    if fallback is None:
        raise AssertionError("the wallet export has no receipt to edit")
    k, sats, lowered, text = fallback
    # No digit edit cuts down under int(): lower the last digit too until one does.
    for last in range(1, 100):
        if int(float(f"{(lowered - last) / COIN:+.8f}") * COIN) != lowered - last:
            lowered -= last
            break
    return _apply_edit(rows, k, sats, lowered, f"{lowered / COIN:+.8f}")


def _apply_edit(rows: list[list[str]], k: int, sats: int, lowered: int, text: str) -> WalletEdit:
    rows[k][1] = text
    return WalletEdit(txid=rows[k][0], row=k, chain_sats=sats, export_sats=lowered)


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
    t = start + dt.timedelta(days=rng.randint(8, 15), minutes=rng.randint(0, 600))
    lines = []
    for sender, receiver, text in (
        (handle, courier, "new batch is in, same as last week. 20 drops, photos by tonight"),
        (courier, handle, "ok. same district?"),
        (handle, courier, f"yes, {suspect['city']}, north side. do not use the old phone"),
        (courier, handle, "done. 18 placed, 2 spots had snow, will redo tomorrow"),
    ):
        t += dt.timedelta(minutes=rng.randint(2, 240))
        lines.append(f"[{t:%Y-%m-%d %H:%M}] {sender} -> {receiver}: {text}")
    if "otc_time" in refs:
        # The OTC deal, timed around the transaction that paid the OTC desk.
        sent = dt.datetime.fromtimestamp(refs["otc_time"], dt.timezone.utc).replace(tzinfo=None)
        kzt = float(refs["otc_btc"]) * refs["otc_kzt_price"] * 0.96
        t = sent - dt.timedelta(hours=rng.randint(3, 8))
        deal = [
            (handle, otc, f"need to change coins to cash, around {round(kzt, -4):,.0f} tenge"),
            (otc, handle, "rate is market minus 4%. send btc to the address I give you"),
            (otc, handle, f"address: {refs['otc_address']}"),
        ]
        for sender, receiver, text in deal:
            t += dt.timedelta(minutes=rng.randint(2, 50))
            lines.append(f"[{t:%Y-%m-%d %H:%M}] {sender} -> {receiver}: {text}")
        t = sent + dt.timedelta(minutes=rng.randint(1, 20))
        for sender, receiver, text in (
            (handle, otc, f"sent {refs['otc_btc']} btc, txid {refs['otc_txid']}"),
            (otc, handle, "cash ready tomorrow 14:00, usual place"),
        ):
            t += dt.timedelta(minutes=rng.randint(2, 90))
            lines.append(f"[{t:%Y-%m-%d %H:%M}] {sender} -> {receiver}: {text}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _notes(case: Case, rng, suspect: dict) -> bytes:
    lines = ["TODO", "- renew market subscription", "- new keys? ask on forum", "links:"]
    markets = {a["market"] for a in suspect["accounts"]}
    for m in case.cast["markets"]:
        if m["slug"] in markets and case.cast.get("mirrors"):
            lines.append(f"  {m['name']}: http://{case.cast['mirrors'][m['slug']][0]}/")
    for clone in case.cast.get("clones", [])[:1]:
        name = next(m["name"] for m in case.cast["markets"] if m["slug"] == clone["market"])
        lines.append(f"  {name} (new mirror?): http://{clone['address']}/")
    lines.append(f"- rent {rng.randrange(150, 300) * 1000} by the 5th")
    for handle in [a["handle"] for a in suspect["accounts"]]:
        lines.append(f"account {handle}: pass in the safe")
    return ("\n".join(lines) + "\n").encode("utf-8")
