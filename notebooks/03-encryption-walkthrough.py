# %% [markdown]
# # Walkthrough 03 · Encryption for investigators
#
# Instructor demonstration before assignment `03-encryption` (about 30 minutes). Everyone in the
# room sees the same shared case (`case_evidence()`); the trainees then practise on their own.
#
# 1. Encoding, encryption, hashing: three different things.
# 2. Hashes as evidence: avalanche, MD5 collisions, salted slow password hashes.
# 3. AES-GCM: one key, and tampering is detected.
# 4. Toy RSA: public and private keys, signatures, why key size matters.
# 5. PGP as vendors use it: armor is base64, fingerprints, key IDs, collisions, signatures.

# %%
import base64
import hashlib
import json
import time
import urllib.parse

import pandas as pd
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from darktrail import pgp
from darktrail.evidence import case_evidence

evidence = case_evidence()
chat = (evidence / "seized" / "chats" / "messenger_export.txt").read_text(encoding="utf-8")
line = chat.splitlines()[0]
line

# %% [markdown]
# What the lab extracted from the suspect's phone is evidence too:
# `messages/phone_extraction.json`. In the assignment the trainees peel its clipboard text, open
# its notes app and crack its wallet PIN, each on their own copy; here we only look at its parts.

# %%
phone = json.loads((evidence / "messages" / "phone_extraction.json").read_text(encoding="utf-8"))
{part: sorted(fields) if isinstance(fields, dict) else fields for part, fields in phone.items()}

# %% [markdown]
# ## 1 · Encoding is reversible by anyone
#
# Each encoding has a look: URL encoding has `%XX`, hex only `0-9a-f`, base64 letters, digits,
# `+` `/` and trailing `=`. None needs a key.

# %%
url = urllib.parse.quote(line)
as_hex = line.encode("utf-8").hex()
as_b64 = base64.b64encode(line.encode("utf-8")).decode("ascii")
for name, text in (("URL", url), ("hex", as_hex), ("base64", as_b64)):
    print(f"{name:>6}: {text[:70]}")
print(base64.b64decode(as_b64).decode("utf-8") == line)

# %% [markdown]
# Stacked encodings only look secret. Recognise each layer by its alphabet and peel it.

# %%
stacked = base64.b64encode(as_hex.encode("ascii")).decode("ascii")
print(stacked[:60], "...")
layer_1 = base64.b64decode(stacked).decode("ascii")  # looks like hex now
print(layer_1[:60], "...")
print(bytes.fromhex(layer_1).decode("utf-8"))

# %% [markdown]
# ## 2 · Hashes as evidence
#
# One flipped bit in the input flips about half of the 256 output bits (the avalanche effect).

# %%
briefing = (evidence / "briefing.md").read_bytes()
changed = briefing[:-1] + bytes([briefing[-1] ^ 0x01])
print(hashlib.sha256(briefing).hexdigest())
print(hashlib.sha256(changed).hexdigest())
digest_a, digest_b = hashlib.sha256(briefing).digest(), hashlib.sha256(changed).digest()
xor = int.from_bytes(digest_a, "big") ^ int.from_bytes(digest_b, "big")
print("XOR of the two digests, 1 where a bit differs:")
print(f"{xor:0256b}")

# %% [markdown]
# Counting the 1 bits of that XOR is the trainees' task. MD5 is 128 bits and broken: researchers
# publish pairs of different files with one MD5. Record SHA-256 in every chain-of-custody form.
#
# Password and PIN hashes are **salted** and **slow**. The salt defeats precomputed tables; the
# iterations multiply the cost of every guess, for criminals and for investigators alike.

# %%
salt = hashlib.sha256(b"walkthrough salt").digest()[:16]
stored = hashlib.pbkdf2_hmac("sha256", b"731", salt, 200)  # a 3-digit code
started = time.perf_counter()
found = next(
    code
    for code in (f"{n:03d}" for n in range(1_000))
    if hashlib.pbkdf2_hmac("sha256", code.encode(), salt, 200) == stored
)
print("code", found, f"found in {time.perf_counter() - started:.2f} s")

# %% [markdown]
# ## 3 · AES-GCM: the key decrypts, and tampering is refused
#
# The nonce must be new for every message under one key; it is stored with the ciphertext.

# %%
key = hashlib.sha256(b"walkthrough key").digest()  # 32 bytes: AES-256
nonce = hashlib.sha256(b"walkthrough nonce").digest()[:12]
sealed = AESGCM(key).encrypt(nonce, line.encode("utf-8"), None)
print(len(line), "bytes of text ->", len(sealed), "bytes (ciphertext + 16-byte tag)")
print(AESGCM(key).decrypt(nonce, sealed, None).decode("utf-8"))

tampered = bytearray(sealed)
tampered[5] ^= 0x01
try:
    AESGCM(key).decrypt(nonce, bytes(tampered), None)
except InvalidTag:
    print("tampered ciphertext: InvalidTag, no text at all")

# %% [markdown]
# ## 4 · Toy RSA with the textbook numbers
#
# `p = 61`, `q = 53`, `n = 3233`, `e = 17`, `d = 2753`: encrypt with the public key, decrypt with
# the private one; sign with the private key, verify with the public one.

# %%
p, q, e = 61, 53, 17
n, phi = p * q, (p - 1) * (q - 1)
d = pow(e, -1, phi)
m = 65
c = pow(m, e, n)
print("n", n, "d", d, "cipher", c, "decrypted", pow(c, d, n))
s = pow(m, d, n)
print("signature", s, "verifies", pow(s, e, n) == m, "for 66?", pow(s, e, n) == 66)

# %% [markdown]
# Anyone who factors `n` can compute `d`. For 3233 that takes a moment by hand; for a 2,048-bit
# modulus no known method finishes.

# %%
divisor = next(k for k in range(2, n) if n % k == 0)
print(
    "3233 =", divisor, "x", n // divisor, "-> d =", pow(e, -1, (divisor - 1) * (n // divisor - 1))
)

# %% [markdown]
# ## 5 · PGP as vendors use it
#
# An armored key is base64 around binary OpenPGP packets (with a CRC-24 checksum line).

# %%
market_files = sorted(evidence.glob("markets/*/market.asc"))
armored = market_files[0].read_text()
print(armored[:200])
key = pgp.read_key(armored)
key

# %% [markdown]
# The v4 fingerprint is SHA-1 over `0x99`, the two-byte length and the public-key packet body
# (RFC 9580, section 5.5.4). Long ID: last 16 hex digits; short ID: last 8.

# %%
body = key.primary.body
by_hand = hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).hexdigest().upper()
print(by_hand == key.fingerprint, key.fingerprint, key.key_id, key.short_key_id)

# %% [markdown]
# Short IDs collide on purpose: `darktrail.pgp` makes two different keys with one short ID in
# about a second. A user ID is only text; anyone can put any name into a key.

# %%
real, fake = pgp.colliding_short_ids(
    b"walkthrough-collision-seed-01",
    ("Vendor <vendor@example.invalid>", "Vendor <vendor@example.invalid>"),
    (1577836800, 1577836800 + 2**17),
)
pd.DataFrame(
    [
        {"key": name, "user_id": k.user_ids[0], "short_id": k.short_key_id, "fpr": k.fingerprint}
        for name, k in (("real", real), ("fake", fake))
    ]
)

# %% [markdown]
# A clearsigned mirror list verifies only against the market's own key, and only unchanged.
# GnuPG agrees: `gpg --import markets/<market>/market.asc`, then
# `gpg --verify markets/<market>/mirrors.txt.asc`.

# %%
mirrors = (market_files[0].parent / "mirrors.txt.asc").read_text()
print(pgp.verify_clearsigned(mirrors, key).reason)
print(pgp.verify_clearsigned(mirrors.replace(".onion", ".0nion", 1), key).reason)
print(pgp.verify_clearsigned(mirrors, pgp.armor_public_key(fake)).reason)

# %% [markdown]
# Encryption goes to the recipient's public key; only the secret key opens it. A secret key
# found unprotected on a seized device opens every message sent to it.

# %%
buyer = pgp.generate_key(
    b"walkthrough-buyer-seed-000000001", "Buyer <b@example.invalid>", 1577836800
)
message = pgp.encrypt(b"meet at the usual place", buyer, seed=b"walkthrough-message-seed-0000001")
print(message[:120], "...")
print(pgp.decrypt(message, pgp.armor_secret_key(buyer)))

# %% [markdown]
# Accounts that publish the same fingerprint share one key holder. Compare fingerprints, never
# names or short IDs; and remember that the key links accounts to a key, not yet to a person.

# %%
rows = []
for path in sorted(evidence.glob("keys/*/*.asc"))[:6]:
    k = pgp.read_key(path.read_text())
    rows.append({"file": path.relative_to(evidence).as_posix(), "fingerprint": k.fingerprint})
pd.DataFrame(rows)
