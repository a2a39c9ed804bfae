# %% [markdown]
# # 01 · Darkweb anonymity: Tor relays, onion addresses and genuine mirrors
#
# **Time:** about 90 minutes · **Graded:** 21 autograded points and 2 points marked by your
# instructor
#
# **Objectives.** By the end of this notebook you can
#
# 1. explain what each Tor relay (guard, middle, exit) knows about a connection, from a small
#    onion-routing simulation with real encryption;
# 2. explain how an onion service is reached (descriptor, introduction points, rendezvous point)
#    without anyone learning its IP address;
# 3. read a v3 onion address by hand (base32, public key, checksum, version) and validate it;
# 4. tell a market's genuine mirror from a phishing lookalike with its PGP-signed mirror list,
#    and check a warrant canary.
#
# **Case briefing.** Operation Saxaul: a vendor of a darknet market is under investigation and a
# laptop was seized (your `briefing.md` names the vendor and the market). Prosecutors ask two
# questions this notebook answers on your evidence: *can Tor traffic be traced back to the suspect?* and *which market
# addresses in the suspect's notes are the real markets, and which are phishing traps?*

# %% [markdown]
# ## How to work
#
# Run the cells from top to bottom (**Shift + Enter**). Write your answer where a cell says
# `# YOUR CODE HERE` (delete `raise NotImplementedError()`), then run the check cell below it.
# A check cell that fails shows a hint about the *form* of your answer; one that prints
# "Answer handed in" has handed your answer to the grader, which checks the answer itself on
# *your* evidence (and calls your functions on inputs of its own) when you submit. When done:
# **Kernel → Restart Kernel and Run All Cells**, **Validate**, **Submit**.

# %% role="readonly"
import base64
import datetime as dt
import hashlib
import json
import os
import random
import re
from urllib.parse import urlsplit

import pandas as pd
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from darktrail import pgp
from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls
from darktrail.onion import find_onions

evidence = my_evidence()
print(_("Your evidence folder:"), evidence)

# %% [markdown]
# ## Part 1 · Onion routing: who knows what?
#
# Tor sends your traffic through a **circuit** of three relays: a **guard** (entry), a
# **middle** and an **exit**. The client shares one secret key with each relay and wraps the
# message in three layers of encryption, like an onion: the exit's layer inside, the guard's
# layer outside. Each relay removes *its* layer and learns only the address of the next hop.
#
# We rebuild this on a small scale. The cell below gives the circuit: the IP addresses of the
# suspect and of the three relays, one 32-byte key per relay, and the request the suspect sends
# to a clearnet website through Tor. (Real Tor agrees these keys with each relay by a
# Diffie-Hellman handshake; here they are simply derived from a name.)

# %% role="readonly"
CLIENT_IP = "198.51.100.23"  # the suspect's home connection
RELAYS = {"guard": "203.0.113.10", "middle": "192.0.2.77", "exit": "203.0.113.200"}
RELAY_KEYS = {
    role: hashlib.sha256(f"saxaul circuit key: {role}".encode()).digest() for role in RELAYS
}
DESTINATION = "rates.example.com:443"
REQUEST = b"GET /btc-kzt HTTP/1.1\r\nHost: rates.example.com\r\n\r\n"

# %% [markdown]
# ## Task 1 · One layer of encryption (1 point)
#
# Write two functions with **AES-GCM**, the cipher that protects most HTTPS connections:
#
# - `seal(key, plaintext)` returns a new random 12-byte *nonce* followed by the ciphertext:
#   `nonce + AESGCM(key).encrypt(nonce, plaintext, None)`;
# - `unseal(key, sealed)` splits the first 12 bytes off as the nonce and decrypts the rest
#   with `AESGCM(key).decrypt(nonce, ciphertext, None)`.
#
# *Hint:* `os.urandom(12)` gives 12 random bytes. Never reuse a nonce with the same key: use a
# new one on every call. `sealed[:12]` are the first 12 bytes, `sealed[12:]` the rest. AES-GCM
# also *authenticates*: decrypting with a wrong key or a modified ciphertext raises an error.


# %% role="solution" grade_id="seal"
def seal(key, plaintext):
    ### BEGIN SOLUTION
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, None)
    ### END SOLUTION


def unseal(key, sealed):
    ### BEGIN SOLUTION
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], None)
    ### END SOLUTION


seal(RELAY_KEYS["guard"], b"hello")

# %% role="tests" grade_id="seal-test" points=1 needs="seal"
"""seal encrypts with AES-GCM and a fresh nonce; unseal reverses it."""
_box = seal(RELAY_KEYS["exit"], b"meet at the usual place")
assert isinstance(_box, bytes), _("seal should return bytes: the nonce followed by the ciphertext")
assert b"usual place" not in _box, _("seal should encrypt the plaintext, not copy it")
assert unseal(RELAY_KEYS["exit"], _box) == b"meet at the usual place", _(
    "unseal(key, seal(key, data)) should give back data"
)


def _seal_probe(kind, key, data):
    """The grader's inputs are hex text: seal twice, or unseal once (an error counts as one)."""
    key, data = bytes.fromhex(key), bytes.fromhex(data)
    if kind == "seal":
        return ["sealed", key.hex(), data.hex(), seal(key, data), seal(key, data)]
    try:
        return unseal(key, data)
    except Exception:
        return "error"


hand_in_calls(_seal_probe, "seal-test")

# %% [markdown]
# ## Task 2 · Wrap the onion (1 point)
#
# Write `build_onion(request, destination)` that returns the cell the client sends to the guard.
# Each layer, before it is sealed, is *the next hop, a newline, then the inner part* (all bytes):
#
# 1. exit layer: `seal(RELAY_KEYS["exit"], destination.encode() + b"\n" + request)`
# 2. middle layer: `seal(RELAY_KEYS["middle"], RELAYS["exit"].encode() + b"\n" + exit_layer)`
# 3. guard layer: `seal(RELAY_KEYS["guard"], RELAYS["middle"].encode() + b"\n" + middle_layer)`
#
# Return the guard layer. *Hint:* build from the inside out: the exit's layer first.


# %% role="solution" grade_id="build-onion"
def build_onion(request, destination):
    ### BEGIN SOLUTION
    layer = seal(RELAY_KEYS["exit"], destination.encode() + b"\n" + request)
    layer = seal(RELAY_KEYS["middle"], RELAYS["exit"].encode() + b"\n" + layer)
    return seal(RELAY_KEYS["guard"], RELAYS["middle"].encode() + b"\n" + layer)
    ### END SOLUTION


onion_cell = build_onion(REQUEST, DESTINATION)
len(onion_cell)

# %% role="tests" grade_id="build-onion-test" points=1 needs="seal build-onion"
"""build_onion seals three layers: guard outside, exit inside, each naming the next hop."""
assert isinstance(onion_cell, bytes), _("build_onion should return bytes")
assert REQUEST not in onion_cell and b"rates.example.com" not in onion_cell, _(
    "the cell the guard receives must not show the request or the destination"
)


def _onion_probe(request, destination):
    """The grader's request comes as hex text."""
    return build_onion(bytes.fromhex(request), destination)


hand_in_calls(_onion_probe, "build-onion-test")

# %% [markdown]
# ## Task 3 · Peel one layer (1 point)
#
# A relay receives a cell, removes its own layer with its key and reads where to send the rest.
# Write `peel(key, cell)` that unseals the cell and returns a pair
# `(next_hop, inner)`: the text before the first newline (as a `str`) and the bytes after it.
#
# *Hint:* `layer.split(b"\n", 1)` splits bytes at the first newline only (the request itself
# contains newlines); `.decode()` turns bytes into text.


# %% role="solution" grade_id="peel"
def peel(key, cell):
    ### BEGIN SOLUTION
    next_hop, inner = unseal(key, cell).split(b"\n", 1)
    return next_hop.decode(), inner
    ### END SOLUTION


peel(RELAY_KEYS["guard"], onion_cell)[0]

# %% role="tests" grade_id="peel-test" points=1 needs="seal build-onion peel"
"""peel removes one layer and returns (next hop as text, inner bytes)."""
_hop, _inner = peel(RELAY_KEYS["guard"], onion_cell)
assert isinstance(_hop, str) and isinstance(_inner, bytes), _(
    "peel should return a pair: the next hop as text, the inner part as bytes"
)


def _peel_probe(key, cell):
    """The grader's key and cell come as hex text."""
    return peel(bytes.fromhex(key), bytes.fromhex(cell))


hand_in_calls(_peel_probe, "peel-test")

# %% [markdown]
# ### The circuit at work
#
# The cell below sends your onion through the circuit. Each relay records what it **sees**:
# who sent it the cell (`came from`), where it must forward it (`next hop`) and what it forwards
# (`inner`). Run it and read `seen`: only the exit can read the request.

# %% role="readonly"
seen = {}
cell, came_from = onion_cell, CLIENT_IP
for role in ["guard", "middle", "exit"]:
    next_hop, inner = peel(RELAY_KEYS[role], cell)
    seen[role] = {"came from": came_from, "next hop": next_hop, "inner": inner}
    cell, came_from = inner, RELAYS[role]
{role: {k: v[:40] for k, v in view.items()} for role, view in seen.items()}

# %% [markdown]
# ## Task 4 · What does each relay learn? (2 points)
#
# `FACTS` below names six things an investigator would like to know. From `seen`, build
# `relay_knows`: a dict from each role (`"guard"`, `"middle"`, `"exit"`) to the **set of fact
# names** that relay can read, i.e. whose value appears in its `came from`, its `next hop` or
# its `inner` bytes.
#
# *Hint:* for one relay, join what it saw into one bytes value:
# `view["came from"].encode() + b" " + view["next hop"].encode() + b" " + view["inner"]`, then
# keep `{name for name, value in FACTS.items() if value in blob}`. Encrypted bytes hide
# everything inside them.

# %% role="readonly"
FACTS = {
    "client IP": CLIENT_IP.encode(),
    "guard IP": RELAYS["guard"].encode(),
    "middle IP": RELAYS["middle"].encode(),
    "exit IP": RELAYS["exit"].encode(),
    "destination": DESTINATION.encode(),
    "request": REQUEST,
}

# %% role="solution" grade_id="relay-knows"
### BEGIN SOLUTION
relay_knows = {}
for role, view in seen.items():
    blob = view["came from"].encode() + b" " + view["next hop"].encode() + b" " + view["inner"]
    relay_knows[role] = {name for name, value in FACTS.items() if value in blob}
### END SOLUTION
relay_knows

# %% role="tests" grade_id="relay-knows-test" points=2 needs="seal build-onion peel relay-knows"
"""relay_knows maps each relay to the facts it can read in the simulation."""
assert isinstance(relay_knows, dict) and set(relay_knows) == {"guard", "middle", "exit"}, _(
    "relay_knows should have exactly the keys 'guard', 'middle' and 'exit'"
)
assert all(
    isinstance(v, (set, frozenset, list, tuple)) and set(v) <= set(FACTS)
    for v in relay_knows.values()
), _("each value should be a set of names taken from FACTS")
assert not any({"client IP", "destination"} <= set(v) for v in relay_knows.values()), _(
    "look again: that is the whole point of three relays"
)
hand_in(relay_knows)

# %% [markdown]
# ## Part 2 · Onion services: a meeting point instead of an exit
#
# A darknet market is an **onion service**: it hides its own IP address too. No exit relay is
# involved; client and service each build circuits and meet in the middle.
#
# 1. The service picks a few relays as **introduction points** and keeps circuits open to them.
# 2. It publishes a signed **descriptor** (its introduction points, encrypted with a key derived
#    from the onion address) on **HSDir** relays of the Tor network. Only someone who knows the
#    address can find and read the descriptor.
# 3. The client fetches the descriptor, picks a **rendezvous point** (any relay), builds a
#    circuit to it and tells the service, through an introduction point, where to meet.
# 4. The service builds its own circuit to the rendezvous point. The rendezvous point joins the
#    two circuits: six relays in all, and the traffic stays encrypted end to end.
#
# Neither side learns the other's IP address, and the rendezvous point learns neither. Onion
# services are de-anonymised by their operators' mistakes (OPSEC leaks), not by breaking Tor.
#
# ## Task 5 · True or false? (1 point)
#
# - **a.** The introduction point learns the IP address of the onion service.
# - **b.** The client chooses the rendezvous point.
# - **c.** The descriptor tells clients which introduction points to contact.
# - **d.** The rendezvous point can read the traffic between client and service.
# - **e.** Traffic to an onion service leaves the Tor network through an exit relay.
# - **f.** An onion address is derived from the service's public key.
#
# Write your answers in a dict `onion_service_quiz` from each letter to `True` or `False`, for
# example `onion_service_quiz = {"a": True, "b": False, ...}` with all six letters.

# %% role="solution" grade_id="onion-service-quiz"
### BEGIN SOLUTION
onion_service_quiz = {"a": False, "b": True, "c": True, "d": False, "e": False, "f": True}
### END SOLUTION

# %% role="tests" grade_id="onion-service-quiz-test" points=1 needs="onion-service-quiz"
"""Each statement about onion services is marked True or False correctly."""
assert isinstance(onion_service_quiz, dict) and set(onion_service_quiz) == set("abcdef"), _(
    "onion_service_quiz should have the six letters a to f as keys"
)
assert all(isinstance(v, bool) for v in onion_service_quiz.values()), _(
    "each answer should be True or False (no quotes)"
)
hand_in(onion_service_quiz)

# %% [markdown]
# ## Part 3 · Reading an onion address
#
# A v3 onion address such as `xxxx…xxxd.onion` is 56 **base32** characters (`a`–`z`, `2`–`7`;
# 5 bits each, so 35 bytes) that pack three fields:
#
# | bytes | field |
# |---|---|
# | 0–31 | the service's ed25519 **public key** |
# | 32–33 | **checksum** = the first 2 bytes of SHA3-256(`".onion checksum"` + public key + version) |
# | 34 | **version**, always 3 |
#
# The old 16-character **v2** addresses (no checksum) were retired by Tor in 2021 and no longer
# work. Below: `example`, the first address of `markets/lookalikes.csv` (addresses seen on
# forums), and `bookmarks`, the market links in the suspect's notes.

# %% role="readonly"
example = urlsplit(pd.read_csv(evidence / "markets" / "lookalikes.csv")["url"][0]).hostname
notes = (evidence / "seized" / "notes" / "notes.txt").read_text(encoding="utf-8")
bookmarks = re.findall(r"http://([a-z0-9]+\.onion)/", notes)
example, bookmarks

# %% [markdown]
# ## Task 6 · Decode an address by hand (1 point)
#
# Decode `example`:
#
# 1. remove the `.onion` suffix and decode the rest into 35 bytes `raw`;
# 2. split `raw` into `pubkey` (bytes 0–31), `stored_checksum` (bytes 32–33) and `version`
#    (byte 34, a whole number).
#
# *Hint:* `address.removesuffix(".onion")`; `base64.b32decode(label.upper())` (base32 is written
# in capitals); `raw[:32]`, `raw[32:34]`, `raw[34]`.

# %% role="solution" grade_id="decode-address"
### BEGIN SOLUTION
label = example.removesuffix(".onion")
raw = base64.b32decode(label.upper())
pubkey, stored_checksum, version = raw[:32], raw[32:34], raw[34]
### END SOLUTION
pubkey.hex(), stored_checksum.hex(), version

# %% role="tests" grade_id="decode-address-test" points=1 needs="decode-address"
"""raw, pubkey, stored_checksum and version decode the example address."""
import numbers

assert isinstance(raw, bytes) and len(raw) == 35, _("raw should be the 35 decoded bytes")
assert isinstance(pubkey, bytes) and len(pubkey) == 32, _("pubkey should be the first 32 bytes")
assert isinstance(stored_checksum, bytes) and len(stored_checksum) == 2, _(
    "stored_checksum should be bytes 32 and 33"
)
assert isinstance(version, numbers.Integral), _("version should be a whole number: raw[34]")
hand_in({"raw": raw, "pubkey": pubkey, "stored_checksum": stored_checksum, "version": version})

# %% [markdown]
# ## Task 7 · Compute the checksum (2 points)
#
# Write `onion_checksum(pubkey, version=3)` that returns the 2-byte checksum of a public key:
# the first 2 bytes of the **SHA3-256** hash of `b".onion checksum" + pubkey + bytes([version])`.
# Then compare it with the checksum stored in `example`.
#
# *Hint:* `hashlib.sha3_256(data).digest()` hashes bytes (SHA3-256 is not SHA-256);
# `digest[:2]` keeps the first two bytes; `bytes([3])` is the single byte 3.


# %% role="solution" grade_id="onion-checksum"
def onion_checksum(pubkey, version=3):
    ### BEGIN SOLUTION
    data = b".onion checksum" + pubkey + bytes([version])
    return hashlib.sha3_256(data).digest()[:2]
    ### END SOLUTION


checksum_matches = onion_checksum(pubkey) == stored_checksum
checksum_matches

# %% role="tests" grade_id="onion-checksum-test" points=2 needs="decode-address onion-checksum"
"""onion_checksum is SHA3-256('.onion checksum' | pubkey | version)[:2]."""
_c = onion_checksum(pubkey)
assert isinstance(_c, bytes) and len(_c) == 2, _("return the first 2 bytes of the digest")
# The RFC 8032 test key 1 and its onion address, a published test vector.
_test_key = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
assert onion_checksum(_test_key).hex() == "bec9", _(
    "hash '.onion checksum', then the key, then the version byte, with hashlib.sha3_256"
)


def _checksum_probe(pubkey, version):
    """The grader's key comes as hex text."""
    return onion_checksum(bytes.fromhex(pubkey), version)


hand_in_calls(_checksum_probe, "onion-checksum-test")

# %% [markdown]
# ## Task 8 · Classify an address (2 points)
#
# Write `classify_onion(address)` that takes an address written `<label>.onion` and returns one
# of five answers, checking in this order:
#
# - `"retired v2"` if the label has 16 characters;
# - `"bad length"` if it does not have 56 characters (and is not v2);
# - `"not base32"` if it holds a character outside `a`–`z`, `2`–`7` (such as `0`, `1`, `8`, `9`);
# - `"bad checksum"` if the checksum stored in the address differs from `onion_checksum` of its
#   public key and version, or if the version is not 3;
# - `"valid"` otherwise.
#
# *Hint:* reuse your decoding from Task 6 inside the function; `len(label)` counts characters;
# `set(label) <= set("abcdefghijklmnopqrstuvwxyz234567")` is `True` if every character is base32.


# %% role="solution" grade_id="classify-onion"
def classify_onion(address):
    ### BEGIN SOLUTION
    label = address.removesuffix(".onion")
    if len(label) == 16:
        return "retired v2"
    if len(label) != 56:
        return "bad length"
    if not set(label) <= set("abcdefghijklmnopqrstuvwxyz234567"):
        return "not base32"
    raw = base64.b32decode(label.upper())
    key, check, ver = raw[:32], raw[32:34], raw[34]
    if check != onion_checksum(key, ver) or ver != 3:
        return "bad checksum"
    return "valid"
    ### END SOLUTION


[classify_onion(b) for b in bookmarks]

# %% role="tests" grade_id="classify-onion-test" points=2 needs="onion-checksum classify-onion"
"""classify_onion tells valid, bad-checksum, bad-length and retired v2 addresses apart."""
_words = {"valid", "bad checksum", "bad length", "not base32", "retired v2"}
assert classify_onion(example) in _words, _(
    "return one of: valid, bad checksum, bad length, not base32, retired v2"
)
hand_in_calls(classify_onion, "classify-onion-test")

# %% [markdown]
# ## Task 9 · Check the tip list (1 point)
#
# A partner agency sent `tips`: addresses typed from screenshots, read out over the phone, or
# copied from a 2019 case file. Build `tip_status`, a dict from each tip to
# `classify_onion(tip)`, and look at which ones are worth following up.
#
# *Hint:* a dict comprehension: `{tip: classify_onion(tip) for tip in tips}`.


# %% role="readonly"
def _typed_by_hand(address, rng):
    """One character typed wrong, as happens when copying from a screenshot."""
    at = rng.randrange(56)
    wrong = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz234567" if c != address[at]])
    return address[:at] + wrong + address[at + 1 :]


_rng = random.Random(notes)
_urls = pd.read_csv(evidence / "markets" / "lookalikes.csv")["url"]
_seen = list(dict.fromkeys(urlsplit(u).hostname for u in _urls))  # each address once
_pick = _rng.sample(_seen, 8)
tips = _pick[:3] + [_typed_by_hand(a, _rng) for a in _pick[3:5]]
tips += [_pick[5][:20] + _pick[5][21:], _pick[6][:30] + _pick[6][29:]]
tips += [_pick[7][:12] + _rng.choice("0189") + _pick[7][13:]]
tips += [
    base64.b32encode(hashlib.sha1(f"{name} 2019".encode()).digest()[:10]).decode().lower()
    + ".onion"
    for name in sorted(set(pd.read_csv(evidence / "markets" / "lookalikes.csv")["claimed_market"]))[
        :2
    ]
]
_rng.shuffle(tips)
tips

# %% role="solution" grade_id="tip-status"
### BEGIN SOLUTION
tip_status = {tip: classify_onion(tip) for tip in tips}
### END SOLUTION
tip_status

# %% role="tests" grade_id="tip-status-test" points=1 needs="onion-checksum classify-onion tip-status"
"""tip_status gives classify_onion's answer for every tip."""
assert isinstance(tip_status, dict) and set(tip_status) == set(tips), _(
    "tip_status should have one entry per tip"
)
assert all(isinstance(v, str) for v in tip_status.values()), _(
    "each tip's status should be one of classify_onion's five answers, as text"
)
hand_in(tip_status)

# %% [markdown]
# ## Part 4 · Lookalike addresses: why the checksum is not enough
#
# Nobody chooses an onion address: it comes from a randomly generated key. But a phisher can
# generate keys by the million (tools such as *mkp224o*) until one gives an address that
# **starts** like the market's real mirror. Such a *vanity* address is a perfectly valid
# address with a correct checksum: the checksum catches typing errors, not impostors.
#
# ## Task 10 · The cost of a vanity prefix (1 point)
#
# Each base32 character is one of 32 values, and a new key gives a random address. Write
# `vanity_tries(n)`: the expected number of keys to generate before the address starts with a
# chosen `n`-character prefix.
#
# *Hint:* one character: 1 try in 32; two characters: 32 × 32; `32 ** n` in Python.


# %% role="solution" grade_id="vanity"
def vanity_tries(n):
    ### BEGIN SOLUTION
    return 32**n
    ### END SOLUTION


{n: vanity_tries(n) for n in range(1, 9)}

# %% role="tests" grade_id="vanity-test" points=1 needs="vanity"
"""vanity_tries(n) is the expected number of keys for an n-character prefix."""
import numbers

assert isinstance(vanity_tries(1), (numbers.Integral, float)), _(
    "vanity_tries should return a whole number"
)
assert vanity_tries(0) == 1, _("an empty prefix matches the first key")
hand_in_calls(vanity_tries, "vanity-test")

# %% [markdown]
# ## Task 11 · How long were the phishers' prefixes? (1 point)
#
# `markets/lookalikes.csv` lists onion addresses seen on forums, link lists and paste sites,
# each claiming to be a market (the same address may be seen more than once). Read it into
# `sightings` and add a column `host` with the address (the URL's host name). Then build
# `longest_prefix`: a dict from each `claimed_market` name (e.g. `"Kovyl Market"`) to the
# **largest number of leading characters** that two *different* addresses claiming **that
# market** have in common. The cell then keeps the longest of all in `shared_prefix`.
#
# *Hint:* `sightings["url"].map(lambda u: urlsplit(u).hostname)` gives the host of each URL;
# `os.path.commonprefix([a, b])` is the common start of two texts. Loop over the markets with
# `for market, group in sightings.groupby("claimed_market"):` and, inside, two loops over
# `group["host"]` that skip a pair when `a == b`.

# %% role="solution" grade_id="shared-prefix"
### BEGIN SOLUTION
sightings = pd.read_csv(evidence / "markets" / "lookalikes.csv")
sightings["host"] = sightings["url"].map(lambda u: urlsplit(u).hostname)
longest_prefix = {}
for market, group in sightings.groupby("claimed_market"):
    longest_prefix[market] = 0
    for a in group["host"]:
        for b in group["host"]:
            if a != b:
                longest_prefix[market] = max(
                    longest_prefix[market], len(os.path.commonprefix([a, b]))
                )
### END SOLUTION
shared_prefix = max(longest_prefix.values())
longest_prefix, shared_prefix, vanity_tries(shared_prefix)

# %% role="tests" grade_id="shared-prefix-test" points=1 needs="shared-prefix"
"""longest_prefix gives, per claimed market, the longest prefix two of its addresses share."""
import numbers

assert isinstance(sightings, pd.DataFrame) and "host" in sightings.columns, _(
    "sightings should be lookalikes.csv with a column host"
)
assert isinstance(longest_prefix, dict) and set(longest_prefix) == set(
    sightings["claimed_market"]
), _("longest_prefix should have one entry per claimed_market name")
assert all(isinstance(n, numbers.Integral) and 0 <= n <= 62 for n in longest_prefix.values()), _(
    "each value should be a whole number of characters"
)
hand_in(longest_prefix)

# %% [markdown]
# At about 10 million keys per second (a good graphics card), `vanity_tries(shared_prefix)`
# keys take from a fraction of a second (4 characters) to a day or two (8 characters): cheap for
# a phisher. Every lookalike passes `classify_onion`.
# What a phisher **cannot** do is sign with the market's PGP key.
#
# ## Part 5 · The signed mirror list and the warrant canary
#
# Each market publishes a **clearsigned** list of its genuine mirrors
# (`markets/<market>/mirrors.txt.asc`) and a **warrant canary** (`canary.txt.asc`): a signed
# statement that it has not been seized, dated and carrying a recent bitcoin block hash, which
# proves it was written *after* that block. The market's public key is `market.asc`.
#
# `pgp.verify_clearsigned(signed_text, key_text)` returns a result `r`: `r.valid` is `True`
# only if the text is unchanged and signed by that key; `r.text` is the **signed** text
# (read your facts from it, never from the unsigned file around it); `r.reason` says why.

# %% role="readonly"
market_folders = sorted(p for p in (evidence / "markets").iterdir() if p.is_dir())
[p.name for p in market_folders]

# %% [markdown]
# ## Task 12 · Read the mirrors from a verified list (2 points)
#
# Write `signed_mirrors(mirror_list, market_key)`: both arguments are texts (the contents of
# `mirrors.txt.asc` and `market.asc`). If the signature is valid, return the list of onion
# addresses in the **signed text**, in order, written `<label>.onion`; otherwise return an
# empty list. Then build `verified_mirrors`, a dict from each market folder name
# (e.g. `"kovyl-market"`) to its verified mirrors.
#
# *Hint:* `find_onions(text)` (imported above) returns the valid onion addresses in a text;
# `(folder / "mirrors.txt.asc").read_text()` reads a file. Some lists were saved from forum
# threads, where someone may have added a line under the signature.


# %% role="solution" grade_id="signed-mirrors"
def signed_mirrors(mirror_list, market_key):
    ### BEGIN SOLUTION
    result = pgp.verify_clearsigned(mirror_list, market_key)
    if not result.valid:
        return []
    return find_onions(result.text)
    ### END SOLUTION


signed_mirrors(
    (market_folders[0] / "mirrors.txt.asc").read_text(),
    (market_folders[0] / "market.asc").read_text(),
)

# %% role="tests" grade_id="signed-mirrors-test" points=1 needs="signed-mirrors"
"""signed_mirrors trusts only a valid signature by the key, and only the signed text."""
_folder = market_folders[0]
_found = signed_mirrors(
    (_folder / "mirrors.txt.asc").read_text(), (_folder / "market.asc").read_text()
)
assert isinstance(_found, (list, tuple)), _(
    "signed_mirrors should return a list of addresses (an empty list if the signature is bad)"
)
assert all(isinstance(a, str) and a.endswith(".onion") for a in _found), _(
    "write each address as <label>.onion"
)
hand_in_calls(signed_mirrors, "signed-mirrors-test")

# %% role="solution" grade_id="verified-mirrors"
### BEGIN SOLUTION
verified_mirrors = {
    folder.name: signed_mirrors(
        (folder / "mirrors.txt.asc").read_text(), (folder / "market.asc").read_text()
    )
    for folder in market_folders
}
### END SOLUTION
verified_mirrors

# %% role="tests" grade_id="verified-mirrors-test" points=1 needs="signed-mirrors verified-mirrors"
"""verified_mirrors lists each market's mirrors, from its own signed list."""
assert isinstance(verified_mirrors, dict) and set(verified_mirrors) == {
    p.name for p in market_folders
}, _("verified_mirrors should have one entry per market folder")
assert all(isinstance(v, (list, tuple)) for v in verified_mirrors.values()), _(
    "each value should be a list of addresses"
)
hand_in(verified_mirrors)

# %% [markdown]
# ## Task 13 · Check a warrant canary (2 points)
#
# A canary's signed text has a line `Date: YYYY-MM-DD` and a line
# `Latest bitcoin block: <height> <block hash>`. Write
# `check_canary(canary, market_key, today, known_blocks)` that returns:
#
# - `"bad signature"` if the canary is not validly signed by `market_key`;
# - `"stale"` if its date is more than `MAX_CANARY_AGE_DAYS` days before `today` (a `datetime.date`);
# - `"unknown block"` if its block hash is not in the set `known_blocks`;
# - `"ok"` otherwise.
#
# *Hint:* loop over `result.text.splitlines()`; `line.startswith("Date: ")`,
# `line.split()[-1]` is the last word of a line; `dt.date.fromisoformat("2020-02-24")` reads a
# date and `(today - date).days` counts days. Read the date and the block from the signed text
# only: a line outside it may say anything.

# %% role="readonly"
TODAY = dt.date(2020, 3, 2)  # the day you write your report
MAX_CANARY_AGE_DAYS = 7  # the markets promise a new canary every week


# %% role="solution" grade_id="check-canary"
def check_canary(canary, market_key, today, known_blocks):
    ### BEGIN SOLUTION
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
    ### END SOLUTION


# %% role="tests" grade_id="check-canary-test" points=2 needs="check-canary"
"""check_canary checks signer, freshness and block hash, in that order."""
_folder = market_folders[0]
_status = check_canary(
    (_folder / "canary.txt.asc").read_text(), (_folder / "market.asc").read_text(), TODAY, set()
)
assert _status in {"ok", "bad signature", "stale", "unknown block"}, _(
    "return one of: ok, bad signature, stale, unknown block"
)


def _canary_probe(canary, market_key, today, known_blocks):
    """The grader's date comes as text (YYYY-MM-DD) and its blocks as a list."""
    return check_canary(canary, market_key, dt.date.fromisoformat(today), set(known_blocks))


hand_in_calls(_canary_probe, "check-canary-test")

# %% [markdown]
# ## Task 14 · The canaries of your markets (1 point)
#
# Build `known_blocks`, the set of every `block_hash` in `ledger/transactions.json` (each
# transaction has `tx["status"]["block_hash"]`), then `canary_status`: a dict from each market
# folder name to `check_canary(...)` of its canary with its own key, `TODAY` and `known_blocks`.
#
# *Hint:* `json.loads((evidence / "ledger" / "transactions.json").read_text())` gives the list of
# transactions.

# %% role="solution" grade_id="canary-status"
### BEGIN SOLUTION
transactions = json.loads((evidence / "ledger" / "transactions.json").read_text())
known_blocks = {tx["status"]["block_hash"] for tx in transactions}
canary_status = {
    folder.name: check_canary(
        (folder / "canary.txt.asc").read_text(),
        (folder / "market.asc").read_text(),
        TODAY,
        known_blocks,
    )
    for folder in market_folders
}
### END SOLUTION
canary_status

# %% role="tests" grade_id="canary-status-test" points=1 needs="check-canary canary-status"
"""canary_status gives each market's canary status on TODAY."""
assert isinstance(canary_status, dict) and set(canary_status) == {p.name for p in market_folders}, (
    _("canary_status should have one entry per market folder")
)
assert isinstance(known_blocks, (set, frozenset)) and all(len(h) == 64 for h in known_blocks), _(
    "known_blocks should be a set of 64-character block hashes"
)
hand_in(canary_status)

# %% [markdown]
# ## Task 15 · Genuine mirrors among the sightings (1 point)
#
# Add a column `genuine` to `sightings`: `True` if the row's `host` is in one of the verified
# mirror lists, `False` otherwise. Look at the lookalikes: same first characters, valid
# checksum, not genuine.
#
# *Hint:* `set().union(*verified_mirrors.values())` joins all lists into one set;
# `sightings["host"].isin(...)` tests each row.

# %% role="solution" grade_id="sightings-genuine"
### BEGIN SOLUTION
all_mirrors = set().union(*verified_mirrors.values())
sightings["genuine"] = sightings["host"].isin(all_mirrors)
### END SOLUTION
sightings.sort_values("host")[["host", "claimed_market", "genuine"]]

# %% role="tests" grade_id="sightings-genuine-test" points=1 needs="shared-prefix signed-mirrors verified-mirrors sightings-genuine"
"""sightings.genuine is True exactly for the mirrors on a verified signed list."""
assert "genuine" in sightings.columns and sightings["genuine"].dtype == bool, _(
    "sightings should have a column genuine of True/False values"
)
assert len(sightings) == len(pd.read_csv(evidence / "markets" / "lookalikes.csv")), _(
    "keep every row of lookalikes.csv"
)
hand_in(sightings[["url", "genuine"]])

# %% [markdown]
# ## Task 16 · Did the suspect bookmark a phishing site? (1 point)
#
# Build `bookmark_verdicts`: a dict from each address in `bookmarks` to
#
# - `"genuine mirror"` if it is on a verified mirror list;
# - `"invalid"` if it is not, and `classify_onion` does not find it `"valid"`;
# - `"phishing"` otherwise (a valid address that no market signed).
#
# The crawl in `sites/` shows that some of these addresses serve a page titled with the market's
# name: a phishing clone copies the page, so the title proves nothing. If one of your bookmarks
# is invalid, remember the chain-of-custody check of 00-orientation: was `notes.txt` altered
# after the seizure?

# %% role="solution" grade_id="bookmark-verdicts"
### BEGIN SOLUTION
signed = set().union(*verified_mirrors.values())
bookmark_verdicts = {}
for address in bookmarks:
    if address in signed:
        bookmark_verdicts[address] = "genuine mirror"
    elif classify_onion(address) != "valid":
        bookmark_verdicts[address] = "invalid"
    else:
        bookmark_verdicts[address] = "phishing"
### END SOLUTION
bookmark_verdicts

# %% role="tests" grade_id="bookmark-verdicts-test" points=1 needs="onion-checksum classify-onion signed-mirrors verified-mirrors bookmark-verdicts"
"""bookmark_verdicts tells each bookmarked address's verdict from the signed lists."""
assert isinstance(bookmark_verdicts, dict) and set(bookmark_verdicts) == set(bookmarks), _(
    "bookmark_verdicts should have one entry per bookmark"
)
assert set(bookmark_verdicts.values()) <= {"genuine mirror", "phishing", "invalid"}, _(
    "each verdict should be 'genuine mirror', 'phishing' or 'invalid'"
)
hand_in(bookmark_verdicts)

# %% [markdown]
# ## Task 17 · In your own words (2 points, marked by your instructor)
#
# A court order lets you see the logs of the suspect's **guard** relay. In three or four
# sentences: what can the guard tell you about the suspect's activity, what can it not, and what
# would you need in addition to tie the suspect to the market?

# %% [markdown] role="answer" grade_id="guard-relay" points=2
# The guard sees the suspect's IP address and when and how much traffic went through the
# circuit, and the IP of the next (middle) relay; so it can confirm that this connection used
# Tor at given times. It cannot see the destination or the content: the middle and exit layers
# (or, for an onion service, the rendezvous circuit) are encrypted inside its layer. To tie the
# suspect to the market we need evidence from outside Tor: the seized laptop (bookmarks,
# account passwords, keys), the vendor's PGP key, OPSEC leaks of the site, or payments traced
# on the blockchain; at best, matching traffic timing with activity on the market.

# %% [markdown]
# ## Key points
#
# - In a Tor circuit the guard knows the client, the middle knows neither end, the exit knows
#   the destination (and the content, unless it is encrypted end to end). No single relay links
#   the suspect to the site.
# - Onion services meet clients at a rendezvous point through introduction points found in a
#   descriptor: neither side learns the other's IP address. They are exposed by OPSEC leaks.
# - A v3 onion address is base32 of public key, checksum (SHA3-256, with the version byte) and
#   version 3; 16-character v2 addresses are retired.
# - A valid checksum only rules out typos. Vanity lookalikes cost about `32 ** n` keys for an
#   `n`-character prefix and pass every format check.
# - Trust a mirror only if it is on the market's list **signed by the market's key**; read
#   facts from the signed text; check a canary's signer, date and block hash.
