"""Expected answers of 03-encryption, computed from each trainee's frozen case.

Instructor-only: never released. The phone exhibits (clipboard, sealed note, PIN hash, toy RSA
key and intercept) are evidence: ``messages/phone_extraction.json``, different per trainee
(:mod:`darktrail.world.messages`). Function tasks are probed with inputs the grader picks for
every run; check cells that also store a value hand it in through the same call (a probe named
after the variable). What each check must reject, and what separates it from the right method:

- decode-layers: the layers in the wrong order, no URL step, ``.strip()``, Latin-1/ASCII instead
  of UTF-8, ``unquote_to_bytes(...).decode("latin-1")`` -- probes hold Cyrillic, ``₸``, ``%``,
  ``+``, leading/trailing white space, the trainee's own notes and chat (end in a newline) and
  their own clipboard.
- kinds: a concept quiz (shared); base64/hex as encryption, PBKDF2 as encryption.
- avalanche: counting differing bytes or hex characters, the wrong bit flipped -- probes of
  ``bit_difference`` have bytes differing in several bits; ``avalanche_bits`` is measured on the
  trainee's notes. Hex characters: at most 64, where the bit count is ~128 for every trainee;
  flipping another bit of the notes gives the same count for about 5% of trainees only.
- same-evidence: MD5 (the 2004 collision pair), comparing lengths and headers (a one-bit change
  keeps both), hashing only the first kilobyte (a change in the last byte of 3-6 kB).
- crack-pin: ``str(number)`` (misses ``0000``, ``0042``), ``range(9999)`` (misses ``9999``),
  ``range(1, 10_000)`` (misses ``0000``), a fixed 100 iterations (probes use 1-9), returning an
  int, never returning None (a hash that matches no PIN).
- open-vault: nonce taken from the end, the tag cut off, the key's hex text used as the key, Latin-1
  decoding (every note has ``₸`` and an em dash).
- tamper: a check that never fails (changes in nonce, ciphertext and tag), a wrong key.
- rsa-keypair: d modulo n or lcm(p-1, q-1), phi as (p+1)(q+1) -- several probes with other e.
- rsa-sign: signing with pow(d, m, n), verifying by re-encrypting m, an always-True verify.
- factor: the square-root bound excluded (probe n = p*p), starting at 3 (probe n = 2*q), the
  factors in the wrong order; the trainee's own vendor key and intercept.
- fingerprint-of: no 0x99 prefix, a 1-byte or little-endian length (probes of 300+ bytes), SHA-256;
  either letter case is accepted.
- key-table: forum keys left out, short ID as the first 8 digits, absolute paths -- forms compare
  per file; hex in any case.
- short-id-clash: every duplicated short ID (the suspect's and another vendor's reused keys share
  short IDs in every world), only the forum key. The suspect's key collides with a forum key in
  every world (:mod:`darktrail.world.vendors`).
- verify-messages: trusting any key with the vendor's user id or any key that verifies (the
  impostor's forum key verifies the impostor message), not verifying (the edited message).
  Every world has one edited and one impostor message.
- decrypt-message: the per-trainee plain text.
- link-accounts: grouping by short ID (the forum key joins the suspect), by user ID (same),
  by handle (reused keys) -- compared as the partition of accounts into vendors; the vendor
  must be the group's first handle by ``min`` or case-insensitively (file order is not).
- suspect-accounts: matching by short ID or by user id picks up the forum impostor key; only the
  first account misses the reused ones. Fingerprint case is free.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import urllib.parse

import pandas as pd
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from darktrail import pgp
from darktrail.course.judge import (
    Answers,
    FormError,
    Probe,
    _,
    any_text,
    decode,
    hex_text,
    set_of,
)
from darktrail.handin import plain
from darktrail.world.truth import SignedMessage

answers = Answers()


# -- helpers ------------------------------------------------------------------------------


def _phone(case) -> dict:
    return json.loads(case.files["messages/phone_extraction.json"])


def _plainly(value):
    """Both sides as the judge sees handed-in data (tuples become lists, bytes stay bytes)."""
    return decode(plain(value))


def _keys(case) -> dict[str, pgp.PublicKey]:
    return {
        path: pgp.read_key(data.decode("ascii"))
        for path, data in sorted(case.files.items())
        if path.startswith("keys/") and path.endswith(".asc")
    }


def _layered(text: str) -> str:
    return base64.b64encode(urllib.parse.quote(text).encode().hex().encode()).decode()


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % f for f in range(2, int(n**0.5) + 1))


_PRIMES = [x for x in range(1_000, 3_000) if _is_prime(x)]


def _seized_fingerprint(case) -> str:
    secret = next(d for p, d in case.files.items() if p.startswith("seized/keys/"))
    return pgp.read_secret_key(secret.decode("ascii")).fingerprint


# -- Part 1 -------------------------------------------------------------------------------


@answers.calls(
    "decode-layers-test",
    form=_plainly,
    hint=_("decode_layers should give back the exact original text, for any text"),
)
def decode_layers_probes(case, folder, rng):
    texts = [
        case.files["seized/notes/notes.txt"].decode("utf-8"),
        case.files["seized/chats/messenger_export.txt"].decode("utf-8"),
        f"  Оплата {rng.randrange(100, 999)} 000 ₸ + 100% предоплата?  ",
        f"a+b=c & d%{rng.randrange(10, 99)} / é\n",
        "",
    ]
    rng.shuffle(texts)
    probes = [
        Probe(
            ("decode_layers", _layered(t)),
            t,
            _("decode_layers should give back the exact text: spaces, new lines and every letter"),
        )
        for t in texts
    ]
    clip = _phone(case)["clipboard_manager"]["text"]
    text = urllib.parse.unquote(bytes.fromhex(base64.b64decode(clip).decode()).decode())
    probes.append(Probe(("decode_layers", clip), text))
    probes.append(
        Probe(
            ("clipboard_text",), text, _("clipboard_text should be decode_layers(phone_clipboard)")
        )
    )
    return probes


KINDS = {
    "base64": "encoding",
    "hex": "encoding",
    "URL encoding": "encoding",
    "SHA-256": "hashing",
    "PBKDF2 password hash": "hashing",
    "AES-GCM": "encryption",
    "PGP encrypted message": "encryption",
}


def kinds_form(value):
    if not isinstance(value, dict):
        raise FormError(_("kinds should stay a dictionary"))
    return {str(k): any_text(v).lower() for k, v in value.items()}


@answers.value(
    "kinds-test",
    form=kinds_form,
    hint=_("ask for each: is a key needed to get the data back, and can it be got back at all?"),
    mistakes={
        _("base64, hex and URL encoding need no key: anyone can decode them"): lambda c: (
            KINDS | {"base64": "encryption", "hex": "encryption"}
        ),
        _("a hash cannot be turned back into its input, with or without a key"): lambda c: (
            KINDS | {"PBKDF2 password hash": "encryption"}
        ),
    },
    shared="a concept quiz: which technique is which is the same for everyone",
)
def kinds(case):
    return KINDS


# -- Part 2 -------------------------------------------------------------------------------


def _bits(a: bytes, b: bytes) -> int:
    return sum(bin(x ^ y).count("1") for x, y in zip(a, b, strict=True))


@answers.calls(
    "avalanche-test",
    form=_plainly,
    hint=_("count every differing bit of every byte"),
)
def avalanche_probes(case, folder, rng):
    probes = []
    pairs = [(rng.randbytes(32), rng.randbytes(32)) for _ in range(3)]
    same = rng.randbytes(16)
    pairs.append((same, same))
    pairs.append((b"\x00" * 8, b"\xff" * 8))
    pairs.append((bytes([0x0F, 0xF0, 0x81]), bytes([0xF0, 0x0F, 0x18])))
    for a, b in pairs:
        probes.append(Probe(("bit_difference", a.hex(), b.hex()), _bits(a, b)))
    notes = case.files["seized/notes/notes.txt"]
    flipped = bytes([notes[0] ^ 1]) + notes[1:]
    probes.append(
        Probe(
            ("avalanche_bits",),
            _bits(hashlib.sha256(notes).digest(), hashlib.sha256(flipped).digest()),
            _(
                "flip the lowest bit of the first byte of the seized notes; "
                "compare the two raw SHA-256 digests bit by bit"
            ),
        )
    )
    return probes


COLLISION = [
    bytes.fromhex(
        "d131dd02c5e6eec4693d9a0698aff95c2fcab5" + m + "12467eab4004583eb8fb7f8955ad340609"
        "f4b30283e48883" + x + "415a085125e8f7cdc99fd91dbd" + y + "80373c5bd8823e3156348f5ba"
        "e6dacd436c919c6dd53e2" + z + "87da03fd02396306d248cda0e99f33420f577ee8ce54b67080"
        + w + "0d1ec69821bcb6a8839396f965" + v + "6ff72a70"
    )
    for m, x, y, z, w, v in (("87", "2571", "f2", "b4", "a8", "2b"), ("07", "25f1", "72", "34", "28", "ab"))
]  # fmt: skip


@answers.calls(
    "same-evidence-test",
    form=_plainly,
    hint=_("compare the SHA-256 digests of the two byte strings"),
)
def same_evidence_probes(case, folder, rng):
    assert hashlib.md5(COLLISION[0]).digest() == hashlib.md5(COLLISION[1]).digest()
    md5 = _("two different files with the same MD5 must not count as the same evidence")
    probes = [Probe(("same_evidence", COLLISION[0].hex(), COLLISION[1].hex()), False, md5)]
    small = sorted(p for p, d in case.files.items() if p.startswith("seized/") and len(d) < 20_000)
    for path in rng.sample(small, 2):
        data = case.files[path]
        probes.append(Probe(("same_evidence", data.hex(), data.hex()), True))
        end = bytearray(data)
        end[-1] ^= 1
        probes.append(
            Probe(
                ("same_evidence", data.hex(), bytes(end).hex()),
                False,
                _("one changed bit anywhere, even in the last byte, must give False"),
            )
        )
    probes.append(Probe(("same_evidence", "", ""), True))
    big = rng.randbytes(rng.randint(3_000, 6_000))
    probes.append(
        Probe(
            ("same_evidence", big.hex(), (big[:-1] + bytes([big[-1] ^ 1])).hex()),
            False,
            _("hash the whole of both byte strings: the change may be anywhere"),
        )
    )
    a = rng.randbytes(40)
    probes.append(Probe(("same_evidence", a.hex(), (a + b"\x00").hex()), False))
    rng.shuffle(probes)
    return probes


@answers.calls(
    "crack-pin-test",
    form=_plainly,
    hint=_(
        "try all 10,000 PINs as 4 digits (leading zeros too), with the given salt and iterations"
    ),
)
def crack_pin_probes(case, folder, rng):
    pins = ["0000", "9999", f"{rng.randrange(10, 100):04d}", f"{rng.randrange(1000, 9999):04d}"]
    probes = []
    for pin in pins:
        salt, iterations = rng.randbytes(16), rng.randint(1, 9)
        stored = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
        hint = {
            "0000": _("the range of PINs starts at 0000: write every number with 4 digits"),
            "9999": _("the range of PINs ends at 9999: range(10_000) includes it"),
        }.get(pin, _("try every PIN as 4 digits (leading zeros too), with the given iterations"))
        probes.append(Probe(("crack_pin", salt.hex(), stored.hex(), iterations), pin, hint))
    salt = rng.randbytes(16)
    probes.append(
        Probe(
            ("crack_pin", salt.hex(), rng.randbytes(32).hex(), 2),
            None,
            _("return None when no PIN matches"),
        )
    )
    rng.shuffle(probes)
    wallet = _phone(case)["wallet_app"]
    pin = case.truth.phone.pin
    args = (wallet["pin_salt"], wallet["pin_hash"], wallet["pin_iterations"])
    probes.append(Probe(("crack_pin", *args), pin))
    probes.append(
        Probe(("wallet_pin",), pin, _("wallet_pin should be crack_pin of the wallet app"))
    )
    return probes


# -- Part 3 -------------------------------------------------------------------------------


@answers.calls(
    "open-vault-test",
    form=_plainly,
    hint=_("the first 12 bytes are the nonce, the rest is the ciphertext with its tag"),
)
def open_vault_probes(case, folder, rng):
    texts = [
        f"Касса {rng.randint(10, 19)}:00 — {rng.randrange(100, 999)} 000 ₸\nsecond line",
        case.files["seized/notes/notes.txt"].decode("utf-8"),
        "",
    ]
    probes = []
    for text in texts:
        key, nonce = rng.randbytes(32), rng.randbytes(12)
        sealed = nonce + AESGCM(key).encrypt(nonce, text.encode("utf-8"), None)
        probes.append(
            Probe(
                ("open_vault", key.hex(), sealed.hex()),
                text,
                _("decrypt, then decode the bytes as UTF-8, and return the whole text"),
            )
        )
    phone = _phone(case)
    key = bytes.fromhex(case.truth.phone.vault_key)
    note = case.truth.phone.note
    probes.append(Probe(("open_vault", key.hex(), phone["notes_app"]["note"]), note))
    probes.append(
        Probe(
            ("vault_key",),
            key,
            _("vault_key should be the 32 bytes of the 64 hex digits in the clipboard text"),
        )
    )
    probes.append(
        Probe(("vault_text",), note, _("open vault_note with the key from the clipboard"))
    )
    return probes


@answers.calls(
    "tamper-test",
    form=_plainly,
    hint=_("a change anywhere (nonce, ciphertext or tag) or a wrong key should give False"),
)
def tamper_probes(case, folder, rng):
    key, nonce = rng.randbytes(32), rng.randbytes(12)
    sealed = nonce + AESGCM(key).encrypt(nonce, case.files["seized/manifest.csv"][:400], None)
    probes = [Probe(("is_authentic", key.hex(), sealed.hex()), True)]
    for position in (0, 12, rng.randrange(13, len(sealed) - 16), len(sealed) - 1):
        changed = bytearray(sealed)
        changed[position] ^= 1 << rng.randrange(8)
        probes.append(Probe(("is_authentic", key.hex(), bytes(changed).hex()), False))
    probes.append(
        Probe(
            ("is_authentic", rng.randbytes(32).hex(), sealed.hex()),
            False,
            _("a wrong key should give False"),
        )
    )
    rng.shuffle(probes)
    phone = _phone(case)
    own = case.truth.phone.vault_key
    probes.append(Probe(("is_authentic", own, phone["notes_app"]["note"]), True))
    probes.append(
        Probe(
            ("tampered_ok",),
            False,
            _(
                "tampered_ok should be is_authentic of the note with one bit of its last byte flipped"
            ),
        )
    )
    return probes


# -- Part 4 -------------------------------------------------------------------------------


def _toy_key(rng, e: int) -> tuple[int, int]:
    while True:
        p, q = rng.sample(_PRIMES, 2)
        if math.gcd(e, (p - 1) * (q - 1)) == 1:
            return p, q


@answers.calls(
    "rsa-keypair-test",
    form=_plainly,
    hint=_("d is the inverse of e modulo (p - 1) * (q - 1): pow(e, -1, phi)"),
)
def rsa_keypair_probes(case, folder, rng):
    probes = []
    for e in (65537, 65537, 17, 3, 7):
        p, q = _toy_key(rng, e)
        probes.append(Probe((p, q, e), [p * q, pow(e, -1, (p - 1) * (q - 1))]))
    return probes


@answers.calls(
    "rsa-sign-test",
    form=_plainly,
    hint=_("sign with pow(m, d, n); verify with pow(signature, e, n) == m"),
)
def rsa_sign_probes(case, folder, rng):
    probes = []
    for e in (65537, 17):
        p, q = _toy_key(rng, e)
        n = p * q
        d = pow(e, -1, (p - 1) * (q - 1))
        for _round in range(2):
            m = rng.randrange(2, n)
            s = pow(m, d, n)
            probes.append(
                Probe(("rsa_sign", m, d, n), s, _("sign with the private exponent: pow(m, d, n)"))
            )
            probes.append(Probe(("rsa_verify", m, s, e, n), True, _("verify with pow(s, e, n)")))
            other = m + 1 if m + 1 < n else m - 1
            probes.append(
                Probe(
                    ("rsa_verify", other, s, e, n),
                    False,
                    _("a signature must not verify for another number"),
                )
            )
            probes.append(
                Probe(
                    ("rsa_verify", m, (s + 1) % n, e, n),
                    False,
                    _("a changed signature must not verify"),
                )
            )
    rng.shuffle(probes)
    return probes


@answers.calls(
    "factor-test",
    form=_plainly,
    hint=_("factor_modulus should return (p, q), smaller first, for any small modulus"),
)
def factor_probes(case, folder, rng):
    p, q = sorted(rng.sample(_PRIMES, 2))
    square = rng.choice(_PRIMES)
    other = rng.choice(_PRIMES)
    probes = [
        Probe(("factor_modulus", p * q), [p, q]),
        Probe(
            ("factor_modulus", square * square),
            [square, square],
            _("try divisors up to and including the square root: n may be p * p"),
        ),
        Probe(("factor_modulus", 2 * other), [2, other], _("start trying divisors at 2")),
        Probe(("factor_modulus", 3 * other), [3, other]),
    ]
    rng.shuffle(probes)
    phone = _phone(case)
    rsa = case.truth.phone.rsa
    probes.append(Probe(("factor_modulus", phone["chat"]["vendor_rsa_key"]["n"]), [rsa.p, rsa.q]))
    text = case.truth.phone.intercepted_text
    probes.append(
        Probe(
            ("intercepted_m",),
            int.from_bytes(text.encode(), "big"),
            _("decrypt with the private exponent: pow(intercepted, d, vendor_n)"),
        )
    )
    probes.append(
        Probe(
            ("intercepted_text",),
            text,
            _("turn intercepted_m into text with .to_bytes(4, 'big').decode()"),
        )
    )
    return probes


# -- Part 5 -------------------------------------------------------------------------------


def _fingerprint(body: bytes) -> str:
    return hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).hexdigest().upper()


@answers.calls(
    "fingerprint-of-test",
    form=hex_text,
    hint=_("hash 0x99, the 2-byte length (big-endian) and the body, in that order, with SHA-1"),
)
def fingerprint_probes(case, folder, rng):
    bodies = [k.primary.body for k in rng.sample(list(_keys(case).values()), 3)]
    bodies += [rng.randbytes(rng.randint(260, 700)), rng.randbytes(rng.randint(1, 40))]
    rng.shuffle(bodies)
    probes = [Probe(("fingerprint_of", b.hex()), _fingerprint(b)) for b in bodies]
    for probe in probes:
        assert probe.expected  # a fingerprint is never empty
    return probes


def key_rows(value):
    """A key table as {file: (market, handle, user_id, fingerprint, long_id, short_id)}."""
    columns = ["file", "market", "handle", "user_id", "fingerprint", "long_id", "short_id"]
    if type(value).__name__ != "DataFrame":
        raise FormError(_("key_table should be a DataFrame"))
    if not set(columns) <= set(value.columns):
        raise FormError(_("key_table lacks some of the columns asked for"))
    rows = {}
    for row in zip(*(value[c] for c in columns), strict=True):
        file, market, handle, user_id, fpr, long_id, short_id = (str(v) for v in row)
        rows[file] = (market, handle, user_id, fpr.upper(), long_id.upper(), short_id.upper())
    return rows


@answers.value(
    "key-table-test",
    form=key_rows,
    hint=_("one row per key file: take fingerprint, key_id and short_key_id of the key read"),
    mistakes={
        _("a key ID is the end of the fingerprint, not its start"): lambda c: _key_table(
            c, short=lambda k: k.fingerprint[:8]
        ),
    },
)
def key_table(case):
    return _key_table(case)


def _key_table(case, short=lambda k: k.short_key_id) -> pd.DataFrame:
    rows = []
    for path, key in _keys(case).items():
        market, handle = path[5:-4].split("/")
        rows.append(
            {
                "file": path,
                "market": market,
                "handle": handle,
                "user_id": key.user_ids[0],
                "fingerprint": key.fingerprint,
                "long_id": key.key_id,
                "short_id": short(key),
            }
        )
    return pd.DataFrame(rows)


@answers.value(
    "short-id-clash-test",
    form=set_of(any_text),
    hint=_(
        "keep only short IDs shared by keys with different fingerprints; reused keys are not a clash"
    ),
)
def short_id_clash(case):
    keys = _keys(case)
    by_short: dict[str, set] = {}
    for key in keys.values():
        by_short.setdefault(key.short_key_id, set()).add(key.fingerprint)
    return sorted(p for p, k in keys.items() if len(by_short[k.short_key_id]) > 1)


def verdicts_form(value):
    """(verdicts, forged) as ({file name: bool}, sorted names)."""
    if not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], dict):
        raise FormError(_("hand in verdicts (a dictionary) and forged (a list)"))
    verdicts, forged = value
    if not all(isinstance(v, bool) for v in verdicts.values()):
        raise FormError(_("each verdict should be True or False (use result.valid)"))
    if not isinstance(forged, list):
        raise FormError(_("forged should be a list of file names from verdicts"))
    return (frozenset(verdicts.items()), tuple(sorted(map(str, forged))))


@answers.value(
    "verify-messages-test",
    form=verdicts_form,
    hint=_(
        "only the vendor's own market key counts; a key carrying the vendor's name proves nothing"
    ),
)
def verify_messages(case):
    verdicts = {
        path.removeprefix("messages/"): fact.genuine
        for path, fact in case.truth.messages.items()
        if isinstance(fact, SignedMessage)
    }
    return [verdicts, sorted(n for n, good in verdicts.items() if not good)]


@answers.value(
    "decrypt-message-test",
    form=any_text,
    hint=_("decrypt messages/encrypted_01.msg.asc with the seized secret key"),
)
def decrypt_message(case):
    return case.truth.messages["messages/encrypted_01.msg.asc"].plaintext


# -- Part 6 -------------------------------------------------------------------------------


def vendor_groups(value):
    """accounts as (the partition of (market, handle) into vendors, every vendor well named).

    A vendor is well named when it is the alphabetically first handle of its group, capitals
    sorting first (``min``) or not (``str.casefold``): the task's words allow both.
    """
    if type(value).__name__ != "DataFrame":
        raise FormError(_("accounts should be a DataFrame"))
    if not {"market", "handle", "vendor"} <= set(value.columns):
        raise FormError(_("accounts needs the columns market, handle, fingerprint and vendor"))
    groups: dict[str, set] = {}
    for market, handle, vendor in zip(
        value["market"], value["handle"], value["vendor"], strict=True
    ):
        groups.setdefault(str(vendor), set()).add((str(market), str(handle)))
    named = all(
        vendor in (min(handles), min(handles, key=str.casefold))
        for vendor, handles in ((v, [h for _m, h in g]) for v, g in groups.items())
    )
    return (frozenset(frozenset(members) for members in groups.values()), named)


@answers.value(
    "link-accounts-test",
    form=vendor_groups,
    hint=_("link accounts only by equal full fingerprints; short IDs and user IDs can be faked"),
)
def link_accounts(case):
    table = _key_table(case)
    table["vendor"] = table.groupby("fingerprint")["handle"].transform("min")
    return table[["market", "handle", "fingerprint", "vendor"]]


@answers.value(
    "suspect-accounts-test",
    form=set_of(any_text),
    hint=_("compare full fingerprints with the seized key's fingerprint"),
    mistakes={
        _("a short key ID can be made to match another key: compare full fingerprints"): lambda c: [
            p[5:-4] for p, k in _keys(c).items() if k.short_key_id == _seized_fingerprint(c)[-8:]
        ],
    },
)
def suspect_accounts(case):
    fpr = _seized_fingerprint(case)
    return sorted(p[5:-4] for p, k in _keys(case).items() if k.fingerprint == fpr)
