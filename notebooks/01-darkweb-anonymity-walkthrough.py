# %% [markdown]
# # Walkthrough 01 · Darkweb anonymity: Tor relays, onion addresses, genuine mirrors
#
# *Instructor demonstration before assignment 01 (about 25 minutes). Runs on the shared case
# world, so everyone in the room sees the same numbers.*
#
# 1. Onion routing with real encryption: layers, and what each relay can read.
# 2. Onion services: descriptor, introduction points, rendezvous point.
# 3. Anatomy of a v3 onion address, and what its checksum does and does not prove.
# 4. Vanity lookalikes and the signed mirror list that exposes them.

# %%
import base64
import hashlib
import os
import random
from urllib.parse import urlsplit

import pandas as pd
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from darktrail import onion, pgp
from darktrail.evidence import case_evidence

evidence = case_evidence()
sorted(p.name for p in (evidence / "markets").iterdir())

# %% [markdown]
# ## 1 · One layer of authenticated encryption
#
# Tor protects each hop with a symmetric key shared between the client and that relay. Here we
# use **ChaCha20-Poly1305** (the assignment uses AES-GCM; both are *authenticated* ciphers from
# the `cryptography` package). A nonce must never repeat under one key, so each message gets a
# fresh random one, sent in clear in front of the ciphertext.

# %%
key = hashlib.sha256(b"walkthrough relay key").digest()
nonce = os.urandom(12)
box = nonce + ChaCha20Poly1305(key).encrypt(nonce, b"meet at the usual place", None)
print(len(box), "bytes:", box.hex()[:48], "...")
print(ChaCha20Poly1305(key).decrypt(box[:12], box[12:], None))

# %% [markdown]
# Change one bit, or use another key, and decryption **fails** instead of returning garbage:
# a relay knows at once that a cell was not meant for it or was tampered with.

# %%
tampered = box[:-1] + bytes([box[-1] ^ 1])
for label, k, b in [("tampered", key, tampered), ("wrong key", os.urandom(32), box)]:
    try:
        ChaCha20Poly1305(k).decrypt(b[:12], b[12:], None)
    except InvalidTag:
        print(label, "-> InvalidTag")

# %% [markdown]
# ## 2 · Layers: a two-relay toy circuit
#
# The client encrypts for the **last** relay first and for the **first** relay last. Each
# relay removes one layer and learns only the next hop. (The assignment builds the real
# three-relay version and asks what each relay learns.)


# %%
def lock(k, data):
    n = os.urandom(12)
    return n + ChaCha20Poly1305(k).encrypt(n, data, None)


def unlock(k, data):
    return ChaCha20Poly1305(k).decrypt(data[:12], data[12:], None)


hops = [("relay A", "192.0.2.1", os.urandom(32)), ("relay B", "192.0.2.2", os.urandom(32))]
message = b"forum.example.org\nGET / HTTP/1.1"
packet = message
for name, _ip, k in reversed(hops):
    packet = lock(k, packet)
    print(f"after {name}'s layer: {len(packet)} bytes")

for name, _ip, k in hops:
    packet = unlock(k, packet)
    readable = b"forum.example.org" in packet
    print(f"{name} peels its layer; can read the destination: {readable}")

# %% [markdown]
# **Who knows what** in a real three-relay circuit: the guard sees the client's IP and the
# middle relay; the middle sees only its neighbours; the exit sees the middle relay, the
# destination and (unless HTTPS protects it) the content. No one relay links the two ends.
#
# ## 3 · Onion services
#
# ```
#  client ── guard ── middle ── RENDEZVOUS POINT ── middle ── middle ── guard ── service
#                                        ▲
#  client ── ... ── INTRODUCTION POINT ── ... ── service      (the client's request to meet)
#  HSDir relays hold the service's signed, encrypted DESCRIPTOR: its introduction points
# ```
#
# The client learns the introduction points from the descriptor, chooses a rendezvous point and
# asks the service (through an introduction point) to meet there. No exit relay is used, and
# nobody in the path learns both IP addresses. Services fall through OPSEC mistakes.
#
# ## 4 · Anatomy of a v3 onion address
#
# 56 base32 characters = 35 bytes = public key (32) + checksum (2) + version (1).

# %%
sightings = pd.read_csv(evidence / "markets" / "lookalikes.csv")
sightings["host"] = sightings["url"].map(lambda u: urlsplit(u).hostname)
address = sightings["host"].iloc[-1]
raw = base64.b32decode(address.removesuffix(".onion").upper())
print(address)
print("public key:", raw[:32].hex())
print("checksum  :", raw[32:34].hex())
print("version   :", raw[34])

# %% [markdown]
# The checksum is computed with **SHA3-256** (Keccak), not SHA-256; `hashlib.sha3_256` has it.
# The toolkit's `onion.checksum` recomputes it, and `onion.parse` checks everything and says
# what is wrong:

# %%
print(onion.checksum(raw[:32]).hex() == raw[32:34].hex())
for candidate in [
    address,
    address[:10] + ("b" if address[10] == "a" else "a") + address[11:],  # one typo
    address[:-7] + ".onion",  # one character lost
    address[:5] + "0" + address[6:],  # a zero for an "o"
    "trailv2xmpl4test.onion",  # an old v2 address
]:
    try:
        onion.parse(candidate)
        print("valid       ", candidate)
    except ValueError as error:
        print("refused     ", str(error)[:90])

# %% [markdown]
# ## 5 · Vanity lookalikes pass the checksum
#
# A phisher generates keys until the address starts like the real one. Each base32 character
# has 32 values, so a prefix of n characters costs about 32 ** n keys on average.

# %%
rate = 10_000_000  # keys per second on one good graphics card (order of magnitude)
pd.DataFrame(
    {
        "prefix characters": range(1, 11),
        "expected keys": [onion.expected_vanity_tries(n) for n in range(1, 11)],
    }
).assign(hours=lambda t: (t["expected keys"] / rate / 3600).round(3))

# %%
target = sightings["host"].iloc[0]
expanded, pub = onion.vanity_expanded_keypair(target[:3], random.Random(1))  # ~32 000 keys
fake = onion.address_from_pubkey(pub)
print(target, fake, sep="\n")
print("shared start:", repr(os.path.commonprefix([target, fake])), "| valid:", onion.is_valid(fake))

# %% [markdown]
# Real phishers go further (five or more characters, see the table); the evidence's
# `lookalikes.csv` mixes such lookalikes with the genuine mirrors, unlabelled.

# %% [markdown]
# ## 6 · The signed mirror list
#
# What a phisher cannot fake is the market's PGP signature. `pgp.verify_clearsigned` checks a
# clearsigned text against one public key; read facts only from `result.text`, the signed part.

# %%
folders = sorted(p for p in (evidence / "markets").iterdir() if p.is_dir())
mirror_list = (folders[0] / "mirrors.txt.asc").read_text()
result = pgp.verify_clearsigned(mirror_list, (folders[0] / "market.asc").read_text())
print(result.valid, "|", result.reason)
print(result.text)

# %% [markdown]
# The same list checked against **another** market's key is refused, and so is a list where
# someone swapped one address after signing:

# %%
other = pgp.verify_clearsigned(mirror_list, (folders[1] / "market.asc").read_text())
print(other.valid, "|", other.reason)
first = onion.find_onions(result.text)[0]
swapped = mirror_list.replace(first, fake)
print(pgp.verify_clearsigned(swapped, (folders[0] / "market.asc").read_text()).reason)

# %% [markdown]
# Text *around* the signed block is not covered by the signature. A list saved from a forum
# thread may carry a line someone added under it: compare what the whole file and the signed
# text name.

# %%
for folder in folders:
    whole_file = (folder / "mirrors.txt.asc").read_text()
    checked = pgp.verify_clearsigned(whole_file, (folder / "market.asc").read_text())
    unsigned = set(onion.find_onions(whole_file)) - set(onion.find_onions(checked.text))
    print(f"{folder.name}: {len(onion.find_onions(checked.text))} signed mirrors;",
          f"not signed: {sorted(unsigned) or 'nothing'}")  # fmt: skip

# %% [markdown]
# A line of the signed text is read like any text: split it into lines and look for the one you
# need. The assignment does the same for the warrant canary (date and bitcoin block hash).

# %%
[line for line in result.text.splitlines() if line.startswith("Updated")]

# %% [markdown]
# **Take-aways.** Three relays, no single one links client and destination. Onion services meet
# clients at a rendezvous point. A checksum catches typos, not impostors; only the market's
# signature tells a genuine mirror from a lookalike.
