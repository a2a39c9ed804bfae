"""``messages/``: vendor announcements, clearsigned (genuine and forged), and one encrypted message.

Forgeries come in two kinds: a genuine signed message whose text was edited afterwards (the
signature no longer verifies), and a message signed by an impostor key carrying the same user
id as the vendor (it verifies only against the impostor's key). The encrypted message is
addressed to the suspect's key, whose secret key lies in ``seized/``.

``messages/phone_extraction.json`` holds what the forensic lab extracted from the suspect's
phone, different for every trainee: a clipboard text (the notes app's key, URL-encoded, then
hex, then base64), the notes app's AES-256-GCM note (nonce + ciphertext + tag; its text has a
tenge sign, so decoding it as anything but UTF-8 shows), the wallet app's PBKDF2 PIN hash, and
a vendor's home-made toy RSA key with a number sent to it (``truth.phone``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import urllib.parse

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .. import pgp
from .case import Case, json_bytes, unix_time
from .truth import EncryptedMessage, Phone, SignedMessage, ToyRsa

__all__ = ["build"]


def _announcements(case: Case, rng, vendor: dict) -> list[str]:
    account = vendor["accounts"][0]
    market = next(m["name"] for m in case.cast["markets"] if m["slug"] == account["market"])
    texts = [
        f"{account['handle']} here. Restock done: deliveries in {vendor['city']} resume "
        f"tomorrow. Orders through {market} only, never by private message.",
        f"{account['handle']}: no deliveries for the next five days. Orders placed now ship "
        "after that, escrow as usual.",
    ]
    if len(vendor["accounts"]) > 1:
        other = vendor["accounts"][1]
        other_market = next(m["name"] for m in case.cast["markets"] if m["slug"] == other["market"])
        texts.append(
            f"{account['handle']}: we also trade on {other_market} as {other['handle']}. "
            "Same team, same quality."
        )
    shop = case.cast.get("shop_addresses", {}).get(vendor["id"])
    if shop:
        texts.append(
            f"{account['handle']}: for direct orders from our shop pay only to {shop}. "
            "Any other address is not ours."
        )
    return texts


def build(case: Case) -> None:
    """Add the signed and encrypted messages; record which are genuine in the truth."""
    rng = case.rng("messages")
    params = case.scenario["messages"]
    sc = case.scenario
    vendors = case.cast["vendors"]
    keys = case.cast["keys"]
    truth: dict[str, SignedMessage | EncryptedMessage] = {}
    days = (sc.end - sc.start).days
    plan = (
        ["genuine"] * params["signed"]
        + ["edited"] * params["forged_edited"]
        + ["impostor"] * params["forged_impostor"]
    )
    rng.shuffle(plan)
    impostors = sorted(k for k in keys if k.startswith("impostor:"))
    phishing_address = case.cast.get("phishing_address", "")
    said: set[str] = set()
    for n, kind in enumerate(plan, start=1):
        when = unix_time(sc.start + dt.timedelta(days=rng.randrange(days)), rng.randrange(86_400))
        if kind == "impostor" and impostors:
            slot = impostors.pop(0)
            vendor_id = slot.split(":")[1]
            vendor = next(v for v in vendors if v["id"] == vendor_id)
            key = keys[slot]["key"]
            handle = key.public.user_ids[0].split(" ")[0]
            text = (
                f"{handle}: our old key was compromised. From today we sign with our new key "
                f"(posted on the forum) and take direct orders at {phishing_address}."
            )
        else:
            vendor = rng.choice(vendors)
            key = keys[vendor["id"]]["main"]
            handle = key.public.user_ids[0].split(" ")[0]
            fresh = [t for t in _announcements(case, rng, vendor) if t not in said]
            text = rng.choice(fresh or _announcements(case, rng, vendor))
            said.add(text)
            kind = "genuine" if kind == "impostor" else kind
        signed = pgp.clearsign(key, text + "\n", when)
        if kind == "edited":
            signed = _edit(signed, text, phishing_address, rng)
        path = f"messages/{n:02d}_{handle}.txt.asc"
        case.add(path, signed, "messages", f"signed message attributed to {handle}")
        truth[path] = SignedMessage(
            claimed_vendor=vendor["id"],
            genuine=kind == "genuine",
            kind=kind,
            signer_fingerprint=key.fingerprint,
        )
    # One message for the suspect, encrypted to the suspect's key.
    suspect = next(v for v in vendors if v["id"] == case.cast["suspect"])
    secret = keys[suspect["id"]]["main"]
    refs = case.cast.setdefault("seized_refs", {})
    plain = (
        f"From: {case.cast['courier']}\n"
        f"Next batch arrives in {suspect['city']} on "
        f"{sc.end - dt.timedelta(days=rng.randint(3, 9)):%d.%m}. Payment as agreed to "
        f"{refs.get('otc_address', 'the usual address')}. Delete after reading.\n"
    )
    encrypted = pgp.encrypt(plain, secret, seed=rng.randbytes(32), filename="note.txt")
    path = "messages/encrypted_01.msg.asc"
    case.add(path, encrypted, "messages", "PGP-encrypted message found with the vendor messages")
    files = refs.setdefault("files", {})
    handle = suspect["accounts"][0]["handle"]
    files[f"keys/{handle}_secret.asc"] = (
        pgp.armor_secret_key(secret).encode(),
        "PGP secret key (unprotected)",
    )
    truth[path] = EncryptedMessage(
        encrypted_to=secret.fingerprint, recipient_vendor=suspect["id"], plaintext=plain
    )
    case.truth["messages"] = truth
    _phone(case, suspect)


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % f for f in range(2, int(n**0.5) + 1))


def _prime_from(n: int) -> int:
    while not _is_prime(n):
        n += 1
    return n


def _phone(case: Case, suspect: dict) -> None:
    """The phone exhibits: clipboard, sealed note, PIN hash, toy RSA key and an intercept."""
    rng = case.rng("phone")
    sc = case.scenario
    vault_key = rng.randbytes(32)
    clipboard = f"StashNotes backup key: {vault_key.hex()}"
    layered = base64.b64encode(urllib.parse.quote(clipboard).encode().hex().encode()).decode()
    day = sc.end - dt.timedelta(days=rng.randint(2, 12))
    note = (
        f"Drop list {day:%d.%m}: {rng.randint(8, 30)} spots, {rng.choice(_SIDES)} side of "
        f"{suspect['city']}. Photos go to the courier, not to the market. Cash desk on "
        f"{rng.choice(_DAYS)} {rng.randint(10, 19)}:{rng.choice(('00', '30'))}, "
        f"{rng.randrange(150, 900) * 1000} ₸ — usual place."
    )
    nonce = rng.randbytes(12)
    sealed = nonce + AESGCM(vault_key).encrypt(nonce, note.encode("utf-8"), None)
    pin = f"{rng.randrange(10_000):04d}"
    salt = rng.randbytes(16)
    iterations = 100
    pin_hash = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    # A toy RSA key a vendor bragged about: two primes near 2**19..2**20, e = 65537.
    e = 65537
    while True:
        p = _prime_from(rng.randrange(600_000, 800_000))
        q = _prime_from(rng.randrange(800_000, 1_000_000))
        if ((p - 1) * (q - 1)) % e:
            break
    d = pow(e, -1, (p - 1) * (q - 1))
    code = f"{rng.choice('ABCDEFGHKMNPRSTXZ')}-{rng.randint(10, 99)}"
    intercepted = pow(int.from_bytes(code.encode(), "big"), e, p * q)
    extraction = {
        "device": "suspect's phone (logical extraction)",
        "clipboard_manager": {"text": layered},
        "notes_app": {
            "app": "StashNotes",
            "note": sealed.hex(),
            "format": "12-byte nonce, then AES-256-GCM ciphertext and 16-byte tag",
        },
        "wallet_app": {
            "pin_scheme": "PBKDF2-HMAC-SHA256, 4-digit PIN",
            "pin_salt": salt.hex(),
            "pin_hash": pin_hash.hex(),
            "pin_iterations": iterations,
        },
        "chat": {
            "vendor_rsa_key": {"n": p * q, "e": e},
            "number_sent_to_vendor": intercepted,
        },
    }
    case.add(
        "messages/phone_extraction.json",
        json_bytes(extraction),
        "messages",
        "values extracted from the suspect's phone: clipboard, notes app, wallet app, chat",
    )
    case.truth["phone"] = Phone(
        clipboard=clipboard,
        vault_key=vault_key.hex(),
        note=note,
        pin=pin,
        rsa=ToyRsa(p=p, q=q, d=d),
        intercepted_text=code,
    )


_SIDES = ("north", "south", "east", "west")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _edit(signed: str, text: str, phishing_address: str, rng) -> str:
    """Change the signed text after signing: swap an address, or a word, keep the signature."""
    for word in text.split():
        if word.startswith(("bc1", "1", "3")) and len(word) > 25 and phishing_address:
            return signed.replace(word.rstrip("."), phishing_address, 1)
    for old, new in (("five", "three"), ("tomorrow", "next week"), ("only", "also")):
        if f" {old}" in text:
            return signed.replace(f" {old}", f" {new}", 1)
    return signed.replace(text.split()[1], text.split()[1].upper(), 1)
