"""Expected answers of 01-darkweb-anonymity, computed from each trainee's frozen case.

Instructor-only: never released. For every graded cell: the wrong methods it must reject, and
what separates each from the right method -- in the grader's probes (function tasks, chosen
afresh for every run) or in EVERY trainee's evidence (value tasks; the world traps are planted
by ``darktrail.world.markets`` and asserted for 40 trainees by ``tests/test_traps_01.py``).

Function tasks (probed per run, so the same for every trainee by nature):

- seal: nonce after the ciphertext, a 16-byte nonce, a fixed nonce, no encryption -- the grader
  decrypts each handed-in box itself as ``box[:12]`` + ``box[12:]`` with the probe's key and
  compares two boxes of one plaintext (their nonces must differ); unseal that ignores the key
  or reads the nonce elsewhere -- grader-made boxes, one sealed with another key, one altered.
- build-onion: layers inside out, a layer naming its own relay, the globals REQUEST/DESTINATION
  instead of the arguments, two layers -- the grader peels each probe cell with the three
  relay keys and compares hop by hop, on requests and destinations chosen per run.
- peel: split at every newline, the hop keeping its newline, the hop left as bytes -- inner
  parts holding several newlines, an empty inner part.
- onion-checksum: SHA-256, no version byte, always version 3, ``str(version)`` -- probes with
  versions other than 3 and random keys (plus the RFC 8032 vector).
- classify-onion: v2 counted as valid, length measured with ``.onion``, length before v2,
  base32 before length, version byte never checked, ``rstrip(".onion")`` -- probes: 16-char
  labels ending in o/n/i, a 55-char label holding a 0, version 4 with its matching checksum,
  one changed last character, typos, deletions, insertions, digits 0/1/8/9.
- vanity: 16 ** n, 36 ** n, 32 ** n // 2, 32 * n -- probes 0 and random n up to 12.
- signed-mirrors: no signature check, the whole file instead of the signed text, any key, a
  sorted list, None instead of [] -- probes: the trainee's lists with their own and another
  market's key, a list edited after signing, a list with an address added under the
  signature, a list signed by an impostor key, a grader-signed list in reverse-sorted order.
- check-canary: ``>=`` for "more than", block checked before the date, the global TODAY, no
  signature check, Date read from the unsigned text (first or last line), block by height --
  probes at exactly 7 and 8 days, stale with an unknown block, other-key and altered canaries,
  fresh "Date:" lines before and after the signed block, a real height with a forged hash.

Value tasks (every trainee's answer differs, except the two concept tasks):

- relay-knows (shared: a concept): each relay's own IP added, only ``inner`` searched,
  ``str(view)`` searched -- the expected sets differ from each of these.
- onion-service-quiz (shared: a concept quiz).
- decode-address: a neighbour's bytes, ``raw[33:35]`` -- ``example`` (the first row of
  lookalikes.csv) differs per trainee; the slices are compared.
- tip-status: True/False instead of words, every failure "bad checksum", a wrong classifier --
  every trainee's tips hold valid ones, typos, a 55- and a 57-character address, one with a
  digit that is not base32 and two 16-character v2 addresses.
- shared-prefix (now ``longest_prefix``, a dict per claimed market): URLs instead of hosts
  (+7 everywhere); rows compared by position, so an address against itself -- every trainee
  has one address seen twice; comparing across markets -- a mislabelled lookalike shares
  ``lookalike_prefix + 3`` characters with another market's mirror; comparing sightings with
  the mirrors only -- a batch of two lookalikes shares ``lookalike_prefix + 2`` with each other
  but ``lookalike_prefix`` with the mirror; a hard-coded 5 -- wild lookalikes share 4-6.
- verified-mirrors: the whole file instead of the signed text (or no check) -- one market's
  list, reposted on a forum, has a lookalike "backup mirror" under the signature; one key for
  every market -- every other list fails; sorted -- checked in order.
- canary-status: ``dt.date.today()``, txids or heights for blocks, ``>=`` -- one canary is
  exactly 7 days old on TODAY and names a real block ("ok"); the order of the checks or no date
  check -- one is stale and names a forged block ("stale"); no block check -- one is fresh and
  names a forged hash at a real height ("unknown block").
- sightings-genuine: prefix match (every lookalike shares 4+ characters), the url column (all
  False), "valid checksum = genuine" (all True), the unsigned backup mirror (it is also
  sighted) -- all present for every trainee.
- bookmark-verdicts: the page title (the bookmarked phishing clone is crawled with the
  market's name), a 5-character prefix (the clone shares 5) -- every trainee's notes bookmark
  the clone. "invalid before phishing" can only be told where notes.txt was altered (see the
  report: seized.py would have to plant an invalid bookmark for everyone).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
from urllib.parse import urlsplit

import pandas as pd
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from darktrail import onion, pgp
from darktrail.course.judge import (
    Answers,
    FormError,
    Probe,
    _,
    any_text,
    list_of,
    whole_number,
)

answers = Answers()

# -- the notebook's constants (readonly cells), the same for every trainee --------------------

CLIENT_IP = "198.51.100.23"
RELAYS = {"guard": "203.0.113.10", "middle": "192.0.2.77", "exit": "203.0.113.200"}
RELAY_KEYS = {
    role: hashlib.sha256(f"saxaul circuit key: {role}".encode()).digest() for role in RELAYS
}
DESTINATION = "rates.example.com:443"
REQUEST = b"GET /btc-kzt HTTP/1.1\r\nHost: rates.example.com\r\n\r\n"
FACTS = {
    "client IP": CLIENT_IP.encode(),
    "guard IP": RELAYS["guard"].encode(),
    "middle IP": RELAYS["middle"].encode(),
    "exit IP": RELAYS["exit"].encode(),
    "destination": DESTINATION.encode(),
    "request": REQUEST,
}
TODAY = dt.date(2020, 3, 2)
MAX_CANARY_AGE_DAYS = 7
BASE32 = "abcdefghijklmnopqrstuvwxyz234567"

# -- reference methods, on a case's files -------------------------------------------------


def text_of(files: dict, path: str) -> str:
    """A file as ``Path.read_text`` gives it (universal newlines)."""
    return io.TextIOWrapper(io.BytesIO(files[path]), encoding="utf-8").read()


def sightings_of(files: dict) -> pd.DataFrame:
    table = pd.read_csv(io.BytesIO(files["markets/lookalikes.csv"]))
    table["host"] = table["url"].map(lambda u: urlsplit(u).hostname)
    return table


def market_slugs(files: dict) -> list[str]:
    return sorted(
        {p.split("/")[1] for p in files if p.startswith("markets/") and p.count("/") == 2}
    )


def seal(key: bytes, plaintext: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, None)


def classify(address: str) -> str:
    """classify_onion by the task's words."""
    label = address.removesuffix(".onion")
    if len(label) == 16:
        return "retired v2"
    if len(label) != 56:
        return "bad length"
    if not set(label) <= set(BASE32):
        return "not base32"
    raw = base64.b32decode(label.upper())
    if raw[32:34] != onion.checksum(raw[:32], raw[34]) or raw[34] != 3:
        return "bad checksum"
    return "valid"


def signed_mirrors(mirror_list: str, market_key: str) -> list[str]:
    result = pgp.verify_clearsigned(mirror_list, market_key)
    return onion.find_onions(result.text) if result.valid else []


def verified_mirrors(files: dict) -> dict[str, list[str]]:
    return {
        slug: signed_mirrors(
            text_of(files, f"markets/{slug}/mirrors.txt.asc"),
            text_of(files, f"markets/{slug}/market.asc"),
        )
        for slug in market_slugs(files)
    }


def check_canary(canary: str, market_key: str, today: dt.date, known_blocks: set) -> str:
    result = pgp.verify_clearsigned(canary, market_key)
    if not result.valid:
        return "bad signature"
    date, block = None, None
    for line in result.text.splitlines():
        if line.startswith("Date: "):
            date = dt.date.fromisoformat(line.split()[-1])
        if line.startswith("Latest bitcoin block: "):
            block = line.split()[-1]
    if date is None or (today - date).days > MAX_CANARY_AGE_DAYS:
        return "stale"
    if block not in known_blocks:
        return "unknown block"
    return "ok"


def known_blocks(files: dict) -> set[str]:
    return {tx["status"]["block_hash"] for tx in json.loads(files["ledger/transactions.json"])}


def canary_status(files: dict, today: dt.date = TODAY, blocks: set | None = None) -> dict:
    blocks = known_blocks(files) if blocks is None else blocks
    return {
        slug: check_canary(
            text_of(files, f"markets/{slug}/canary.txt.asc"),
            text_of(files, f"markets/{slug}/market.asc"),
            today,
            blocks,
        )
        for slug in market_slugs(files)
    }


def longest_prefix(files: dict, column: str = "host", distinct: bool = True) -> dict[str, int]:
    """{claimed market: longest prefix two different addresses claiming it share}."""
    table = sightings_of(files)
    best = {}
    for market, group in table.groupby("claimed_market"):
        values = list(group[column])
        best[market] = max(
            len(os.path.commonprefix([a, b]))
            for i, a in enumerate(values)
            for j, b in enumerate(values)
            if (a != b if distinct else i != j)
        )
    return best


def tips_of(files: dict) -> list[str]:
    """The tips of the notebook's readonly cell (Task 9), from the same evidence."""
    notes = text_of(files, "seized/notes/notes.txt")
    table = pd.read_csv(io.BytesIO(files["markets/lookalikes.csv"]))
    rng = random.Random(notes)
    seen = list(dict.fromkeys(urlsplit(u).hostname for u in table["url"]))
    pick = rng.sample(seen, 8)
    at = []
    for address in pick[3:5]:
        where = rng.randrange(56)
        wrong = rng.choice([c for c in BASE32 if c != address[where]])
        at.append(address[:where] + wrong + address[where + 1 :])
    tips = pick[:3] + at
    tips += [pick[5][:20] + pick[5][21:], pick[6][:30] + pick[6][29:]]
    tips += [pick[7][:12] + rng.choice("0189") + pick[7][13:]]
    tips += [
        base64.b32encode(hashlib.sha1(f"{name} 2019".encode()).digest()[:10]).decode().lower()
        + ".onion"
        for name in sorted(set(table["claimed_market"]))[:2]
    ]
    rng.shuffle(tips)
    return tips


def bookmarks_of(files: dict) -> list[str]:
    return re.findall(r"http://([a-z0-9]+\.onion)/", text_of(files, "seized/notes/notes.txt"))


# -- forms ----------------------------------------------------------------------------------


def _bytes(value, message):
    if not isinstance(value, bytes):
        raise FormError(message)
    return value


def sealed_boxes(value):
    """A seal probe's result as what the boxes decrypt to, and whether their nonces differ."""
    if isinstance(value, (list, tuple)) and len(value) == 5 and value[0] == "sealed":
        _tag, key, plaintext, one, two = value
        _bytes(one, _("seal should return bytes: the nonce followed by the ciphertext"))
        _bytes(two, _("seal should return bytes: the nonce followed by the ciphertext"))
        opened = []
        for box in (one, two):
            try:
                opened.append(AESGCM(bytes.fromhex(key)).decrypt(box[:12], box[12:], None))
            except Exception:
                opened.append(None)
        return ("sealed", key, plaintext, tuple(opened), one[:12] != two[:12])
    return value


def peeled(cell):
    """An onion cell as the relays see it: each layer's next hop, then the request."""
    _bytes(cell, _("build_onion should return bytes"))
    hops = []
    for role in ("guard", "middle", "exit"):
        try:
            layer = AESGCM(RELAY_KEYS[role]).decrypt(cell[:12], cell[12:], None)
        except Exception:
            return (*hops, f"the {role} cannot remove its layer")
        hop, _sep, cell = layer.partition(b"\n")
        hops.append(hop)
    return (*hops, cell)


def hop_and_inner(value):
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise FormError(
            _("peel should return a pair: the next hop as text, the inner part as bytes")
        )
    return (value[0], value[1])


def relay_sets(value):
    if not isinstance(value, dict) or set(value) != {"guard", "middle", "exit"}:
        raise FormError(_("relay_knows should have exactly the keys 'guard', 'middle' and 'exit'"))
    out = {}
    for role, names in value.items():
        if not isinstance(names, (frozenset, list, tuple)):
            raise FormError(_("each value should be a set of names taken from FACTS"))
        out[role] = frozenset(str(n) for n in names)
    return out


def quiz_marks(value):
    if not isinstance(value, dict):
        raise FormError(_("onion_service_quiz should have the six letters a to f as keys"))
    marks = {str(k).strip().lower(): v for k, v in value.items()}
    if set(marks) != set("abcdef") or not all(isinstance(v, bool) for v in marks.values()):
        raise FormError(_("each answer should be True or False (no quotes)"))
    return marks


def decoded_fields(value):
    if not isinstance(value, dict):
        raise FormError(_("hand in raw, pubkey, stored_checksum and version"))
    raw, pubkey, checksum = (
        _bytes(value.get(k), _("raw, pubkey and stored_checksum should be bytes"))
        for k in ("raw", "pubkey", "stored_checksum")
    )
    return (raw, pubkey, checksum, whole_number(value.get("version")))


def text_map(value):
    """A dict of text to text (or to whole numbers), keys and values stripped."""
    if not isinstance(value, dict):
        raise FormError(_("the answer should be a dict"))
    out = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise FormError(_("the keys should be text"))
        out[key.strip()] = item.strip() if isinstance(item, str) else item
    return out


def prefix_map(value):
    out = text_map(value)
    return {k: whole_number(v) for k, v in out.items()}


def mirror_map(value):
    out = text_map(value)
    return {k: tuple(list_of(any_text)(v)) for k, v in out.items()}


def genuine_rows(value):
    """A sightings table as the sorted (url, genuine) pairs of its rows."""
    if type(value).__name__ != "DataFrame" or not {"url", "genuine"} <= set(value.columns):
        raise FormError(_("sightings should have a column genuine of True/False values"))
    rows = []
    for url, flag in zip(value["url"], value["genuine"], strict=True):
        if not isinstance(flag, bool):
            raise FormError(_("sightings should have a column genuine of True/False values"))
        rows.append((str(url), flag))
    return tuple(sorted(rows))


# -- Part 1: onion routing ------------------------------------------------------------------


@answers.calls(
    "seal-test",
    form=sealed_boxes,
    hint=_(
        "seal should return the 12-byte nonce, then AESGCM(key).encrypt(nonce, plaintext, None)"
    ),
)
def seal_probes(case, folder, rng):
    probes = []
    for _n in range(3):
        key, data = rng.randbytes(32), rng.randbytes(rng.randint(0, 90))
        reference = ("sealed", key.hex(), data.hex(), seal(key, data), seal(key, data))
        probes.append(
            Probe(
                ("seal", key.hex(), data.hex()),
                reference,
                _("seal should return a new 12-byte nonce, then the AES-GCM ciphertext: "
                  "decrypting box[12:] with the nonce box[:12] must give the plaintext, and "
                  "two calls must use different nonces"),
            )
        )  # fmt: skip
    for kind in ("good", "good", "other key", "altered"):
        key, data = rng.randbytes(32), rng.randbytes(rng.randint(1, 90)) + b"\nend"
        box = seal(rng.randbytes(32) if kind == "other key" else key, data)
        if kind == "altered":
            box = box[:-1] + bytes([box[-1] ^ 1])
        want = data if kind == "good" else "error"
        hint = (
            _("unseal should read the first 12 bytes as the nonce and decrypt the rest")
            if kind == "good"
            else _(
                "unseal with the wrong key, or of an altered box, must fail: use AESGCM(key).decrypt"
            )
        )
        probes.append(Probe(("unseal", key.hex(), box.hex()), want, hint))
    rng.shuffle(probes)
    return probes


def _build_onion(request: bytes, destination: str) -> bytes:
    layer = seal(RELAY_KEYS["exit"], destination.encode() + b"\n" + request)
    layer = seal(RELAY_KEYS["middle"], RELAYS["exit"].encode() + b"\n" + layer)
    return seal(RELAY_KEYS["guard"], RELAYS["middle"].encode() + b"\n" + layer)


@answers.calls(
    "build-onion-test",
    form=peeled,
    hint=_("the guard's layer is the outermost and the exit's the innermost; each layer starts "
           "with the next hop: middle, then exit, then the destination"),
)  # fmt: skip
def onion_probes(case, folder, rng):
    probes = []
    for _n in range(3):
        host = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9)))
        destination = (
            f"{host}.example.{rng.choice(['com', 'net', 'org'])}:{rng.choice([80, 443, 8080])}"
        )
        request = f"GET /{rng.randrange(10**6)} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
        probes.append(Probe((request.hex(), destination), _build_onion(request, destination)))
    return probes


@answers.calls("peel-test", form=hop_and_inner, hint=_("split the layer at the first newline only"))
def peel_probes(case, folder, rng):
    probes = []
    inners = [
        b"line one\nline two\nline three",
        b"",
        b"\n\nstarts with newlines",
        rng.randbytes(40),
    ]
    for inner in inners:
        key = rng.randbytes(32)
        hop = (
            f"192.0.2.{rng.randint(1, 254)}"
            if rng.random() < 0.5
            else f"h{rng.randrange(999)}.example:443"
        )
        box = seal(key, hop.encode() + b"\n" + inner)
        probes.append(
            Probe(
                (key.hex(), box.hex()),
                (hop, inner),
                _("return the text before the first newline (decoded to str) and all the bytes after it"),
            )
        )  # fmt: skip
    return probes


def _relay_knows(blob_of) -> dict:
    knows, came = {}, CLIENT_IP
    route = [RELAYS["middle"], RELAYS["exit"], DESTINATION]
    for role, hop in zip(("guard", "middle", "exit"), route, strict=True):
        inner = REQUEST if role == "exit" else b"<encrypted>"
        blob = blob_of(role, came, hop, inner)
        knows[role] = {name for name, value in FACTS.items() if value in blob}
        came = RELAYS[role]
    return knows


@answers.value(
    "relay-knows-test",
    form=relay_sets,
    hint=_(
        "for each relay, look in all three things it saw: who sent the cell, the next hop and "
        "the inner bytes; encrypted layers hide everything inside them"
    ),
    mistakes={
        _("count only what the relay sees in the cell, not its own address"): lambda case: {
            role: names | {f"{role} IP"}
            for role, names in _relay_knows(
                lambda r, c, h, i: c.encode() + b" " + h.encode() + b" " + i
            ).items()
        },
        _("the relay also sees who sent it the cell and where it forwards it"): lambda case: (
            _relay_knows(lambda r, c, h, i: i)
        ),
    },
    shared="what each relay of this fixed three-hop circuit can read is the concept taught, the "
    "same circuit for everyone",
)
def relay_knows(case):
    return _relay_knows(lambda r, c, h, i: c.encode() + b" " + h.encode() + b" " + i)


@answers.value(
    "onion-service-quiz-test",
    form=quiz_marks,
    hint=_("re-read Part 2: who learns which IP address, and where the traffic goes"),
    shared="a concept quiz about onion services",
)
def onion_service_quiz(case):
    return {"a": False, "b": True, "c": True, "d": False, "e": False, "f": True}


# -- Part 3: onion addresses ----------------------------------------------------------------


def _example_raw(case) -> bytes:
    example = sightings_of(case.files)["host"].iloc[0]
    return base64.b32decode(example.removesuffix(".onion").upper())


@answers.value(
    "decode-address-test",
    form=decoded_fields,
    hint=_("decode example (the first address of lookalikes.csv): pubkey is raw[:32], the "
           "checksum raw[32:34] and the version raw[34]"),
    mistakes={
        _("the checksum is bytes 32 and 33: raw[32:34]"): lambda case: {
            "raw": _example_raw(case),
            "pubkey": _example_raw(case)[:32],
            "stored_checksum": _example_raw(case)[33:35],
            "version": _example_raw(case)[34],
        }
    },
)  # fmt: skip
def decode_address(case):
    raw = _example_raw(case)
    return {"raw": raw, "pubkey": raw[:32], "stored_checksum": raw[32:34], "version": raw[34]}


RFC_KEY = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")


@answers.calls(
    "onion-checksum-test",
    form=lambda v: _bytes(v, _("return the first 2 bytes of the digest, as bytes")).hex(),
    hint=_("hash '.onion checksum', then the key, then the version byte you are given, with "
           "hashlib.sha3_256, and keep the first 2 bytes"),
)  # fmt: skip
def checksum_probes(case, folder, rng):
    probes = [Probe((RFC_KEY.hex(), 3), onion.checksum(RFC_KEY, 3))]
    versions = [3, 3, 4, rng.choice([0, 1, 2]), rng.randint(5, 255)]
    for version in versions:
        key = rng.randbytes(32)
        hint = None if version == 3 else _("include the version byte you are given, not always 3")
        probes.append(Probe((key.hex(), version), onion.checksum(key, version), hint))
    return probes


def _address(raw: bytes) -> str:
    return base64.b32encode(raw).decode().lower() + ".onion"


@answers.calls(
    "classify-onion-test",
    form=any_text,
    hint=_("check in the task's order: 16 characters, then 56, then base32, then checksum and "
           "version"),
)  # fmt: skip
def classify_probes(case, folder, rng):
    hosts = list(dict.fromkeys(sightings_of(case.files)["host"]))
    valid = rng.sample(hosts, 3) + [
        onion.address_from_pubkey(onion.lookalike_pubkey("", rng)) for _ in range(2)
    ]
    a, b, c = valid[0], valid[1], valid[3]
    at = rng.randrange(1, 50)
    typo = a[:at] + rng.choice([x for x in BASE32 if x != a[at]]) + a[at + 1 :]
    pub = onion.lookalike_pubkey("", rng)
    v4 = _address(pub + onion.checksum(pub, 4) + bytes([4]))
    v0 = _address(pub + onion.checksum(pub, 0) + bytes([0]))
    v3_sum = _address(pub + onion.checksum(pub, 3) + bytes([4]))
    last = c[:55] + rng.choice("abcefgh") + ".onion"  # version byte changed, checksum kept
    v2 = [
        "".join(rng.choice(BASE32) for _ in range(15)) + end + ".onion"
        for end in (rng.choice("oni"), rng.choice("abcdefgh"))
    ]
    cases = {
        typo: _("one character typed wrong must give 'bad checksum'"),
        b[:-7] + ".onion": _("an address of 55 characters has a bad length"),
        b[:30] + b[29:]: _("an address of 57 characters has a bad length"),
        c[:7] + rng.choice("0189") + c[8:]: _("0, 1, 8 and 9 are not base32 characters"),
        a[:20] + "0" + a[22:]: _(
            "check the length before the alphabet: 55 characters is a bad length"
        ),
        v4: _("the version byte must be 3, even when the checksum matches it"),
        v0: _("the version byte must be 3, even when the checksum matches it"),
        v3_sum: _("compute the checksum with the version byte read from the address"),
        last: _("the checksum covers the version byte read from the address"),
        v2[0]: _("16-character addresses are retired v2; remove the suffix with removesuffix"),
        v2[1]: _("16-character addresses are retired v2, whatever else is wrong with them"),
    }
    probes = [Probe((x,), "valid", _("a well-formed v3 address should be 'valid'")) for x in valid]
    probes += [Probe((x,), classify(x), hint) for x, hint in cases.items()]
    rng.shuffle(probes)
    return probes


@answers.value(
    "tip-status-test",
    form=text_map,
    hint=_("classify each tip with classify_onion: one of its five answers per tip"),
)
def tip_status(case):
    return {tip: classify(tip) for tip in tips_of(case.files)}


# -- Part 4: lookalikes ---------------------------------------------------------------------


@answers.calls(
    "vanity-test",
    form=whole_number,
    hint=_("each base32 character has 32 possible values, independently"),
)
def vanity_probes(case, folder, rng):
    ns = [0, 1, *rng.sample(range(2, 13), 5)]
    return [Probe((n,), onion.expected_vanity_tries(n)) for n in ns]


@answers.value(
    "shared-prefix-test",
    form=prefix_map,
    hint=_("per claimed market, compare the hosts of two different addresses at a time, each "
           "with every other one"),
    mistakes={
        _("compare the host names, not the URLs with their http://"): lambda case: (
            longest_prefix(case.files, "url")
        ),
        _("compare two *different* addresses: an address seen twice is still one address"): (
            lambda case: longest_prefix(case.files, distinct=False)
        ),
    },
)  # fmt: skip
def shared_prefix(case):
    return longest_prefix(case.files)


# -- Part 5: signed lists and canaries ------------------------------------------------------


def _impostor(rng, name="Impostor"):
    return pgp.generate_key(
        rng.randbytes(32), f"{name} <admin@{name.lower()}.invalid>", 1_500_000_000 + rng.randrange(10**7)
    )  # fmt: skip


@answers.calls(
    "signed-mirrors-test",
    form=list_of(any_text),
    hint=_("trust only a valid signature by the market's own key, and read the addresses from "
           "the signed text (result.text), in order"),
)  # fmt: skip
def mirrors_probes(case, folder, rng):
    files = case.files
    slugs = market_slugs(files)
    lists = {s: text_of(files, f"markets/{s}/mirrors.txt.asc") for s in slugs}
    keys = {s: text_of(files, f"markets/{s}/market.asc") for s in slugs}
    probes = []
    for s in slugs:
        probes.append(Probe((lists[s], keys[s]), signed_mirrors(lists[s], keys[s])))
    one, other = rng.sample(slugs, 2)
    probes.append(
        Probe((lists[one], keys[other]), [], _("a list not signed by the market's own key must give no mirrors"))
    )  # fmt: skip
    mirrors = signed_mirrors(lists[one], keys[one])
    lookalike = onion.address_from_pubkey(onion.lookalike_pubkey(mirrors[0][:5], rng))
    swapped = lists[one].replace(mirrors[0], lookalike)
    probes.append(
        Probe((swapped, keys[one]), [],
              _("a list edited after signing (a mirror swapped for a lookalike) must give no mirrors"))
    )  # fmt: skip
    added = lists[one] + f"\nnew mirror: http://{lookalike}/\n"
    probes.append(
        Probe((added, keys[one]), mirrors,
              _("an address outside the signed text is not signed: read result.text only"))
    )  # fmt: skip
    key = _impostor(rng)
    addresses = sorted(
        (onion.address_from_pubkey(onion.lookalike_pubkey("", rng)) for _ in range(4)), reverse=True
    )
    text = "Test Market: official mirrors\n\n" + "".join(f"http://{a}/\n" for a in addresses)
    signed = pgp.clearsign(key, text, 1_600_000_000)
    probes.append(
        Probe((signed, pgp.armor_public_key(key)), addresses,
              _("keep the addresses in the order of the signed text"))
    )  # fmt: skip
    probes.append(
        Probe((signed, keys[one]), [], _("a list signed by another key must give no mirrors"))
    )
    return probes


@answers.value(
    "verified-mirrors-test",
    form=mirror_map,
    hint=_("for each market folder, call signed_mirrors on its own mirrors.txt.asc and market.asc"),
    mistakes={
        _("an address under the signature is not signed: read the signed text only"): lambda case: {
            s: onion.find_onions(text_of(case.files, f"markets/{s}/mirrors.txt.asc"))
            for s in market_slugs(case.files)
        }
    },
)
def verified(case):
    return verified_mirrors(case.files)


def _canary(key, name, day, height, block, at, before="", after=""):
    text = (
        f"{name} warrant canary\nDate: {day.isoformat()}\nLatest bitcoin block: {height} {block}\n\n"
        "As of this date we have not been served any warrant, subpoena or seizure order,\n"
        "and our servers and keys are under our sole control.\n"
    )
    return before + pgp.clearsign(key, text, at) + after


@answers.calls(
    "check-canary-test",
    form=any_text,
    hint=_("check the signer first, then the date (more than MAX_CANARY_AGE_DAYS before today), "
           "then the block hash, reading only the signed text"),
)  # fmt: skip
def canary_probes(case, folder, rng):
    key, other = _impostor(rng, "Market"), _impostor(rng, "Impostor")
    public = pgp.armor_public_key(key)
    today = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(700))
    blocks = ["0" * 19 + rng.randbytes(23).hex()[:45] for _ in range(6)]
    unknown = "0" * 19 + rng.randbytes(23).hex()[:45]
    height = rng.randint(600_000, 650_000)
    at = 1_600_000_000

    def day(age):
        return today - dt.timedelta(days=age)

    fresh = rng.randint(0, MAX_CANARY_AGE_DAYS - 1)
    stale = rng.randint(MAX_CANARY_AGE_DAYS + 1, 40)
    specs = [
        (key, fresh, blocks[0], "", "", _("a fresh canary, signed by the market, naming a known block is ok")),
        (key, MAX_CANARY_AGE_DAYS, blocks[1], "", "", _("a canary exactly MAX_CANARY_AGE_DAYS old is still fresh")),
        (key, MAX_CANARY_AGE_DAYS + 1, blocks[2], "", "", _("a canary older than MAX_CANARY_AGE_DAYS is stale")),
        (key, fresh, unknown, "", "", _("the block hash must be one of known_blocks")),
        (key, stale, unknown, "", "", _("check the date before the block: a stale canary is stale")),
        (other, fresh, blocks[3], "", "", _("a canary signed by another key is a bad signature, whatever it says")),
        (other, stale, unknown, "", "", _("check the signature first: a canary signed by another key is a bad signature")),
        (key, stale, blocks[4], f"Date: {today.isoformat()}\n\n", "",
         _("read the date from the signed text (result.text), not from the lines around it")),
        (key, stale, blocks[5], "", f"\nDate: {today.isoformat()}\n",
         _("read the date from the signed text (result.text), not from the lines around it")),
    ]  # fmt: skip
    probes = []
    for signer, age, block, before, after, hint in specs:
        text = _canary(signer, "Test Market", day(age), height, block, at, before, after)
        want = check_canary(text, public, today, set(blocks))
        probes.append(Probe((text, public, today.isoformat(), blocks), want, hint))
    altered = _canary(key, "Test Market", day(stale), height, blocks[0], at)
    altered = altered.replace(f"Date: {day(stale).isoformat()}", f"Date: {day(fresh).isoformat()}")
    probes.append(
        Probe((altered, public, today.isoformat(), blocks), "bad signature",
              _("a canary edited after signing is a bad signature"))
    )  # fmt: skip
    rng.shuffle(probes)
    return probes


@answers.value(
    "canary-status-test",
    form=text_map,
    hint=_("check each market's canary against its own key, on TODAY, with the block hashes of "
           "the ledger's transactions"),
)  # fmt: skip
def canary_status_answer(case):
    return canary_status(case.files)


@answers.value(
    "sightings-genuine-test",
    form=genuine_rows,
    hint=_("only an address on a signed mirror list is genuine; a similar start proves nothing"),
)
def sightings_genuine(case):
    table = sightings_of(case.files)
    genuine = set().union(*verified_mirrors(case.files).values())
    table["genuine"] = table["host"].isin(genuine)
    return table[["url", "genuine"]]


@answers.value(
    "bookmark-verdicts-test",
    form=text_map,
    hint=_("decide by the signed mirror lists, not by the page or its title"),
)
def bookmark_verdicts(case):
    genuine = set().union(*verified_mirrors(case.files).values())
    verdicts = {}
    for address in bookmarks_of(case.files):
        if address in genuine:
            verdicts[address] = "genuine mirror"
        elif classify(address) != "valid":
            verdicts[address] = "invalid"
        else:
            verdicts[address] = "phishing"
    return verdicts
