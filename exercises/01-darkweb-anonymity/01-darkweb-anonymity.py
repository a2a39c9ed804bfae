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
# A check cell that prints nothing means your answer has the right form; the grader checks the
# answer itself on *your* evidence. When done: **Kernel → Restart Kernel and Run All Cells**,
# **Validate**, **Submit**.

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
from darktrail.onion import find_onions

evidence = my_evidence()
print("Your evidence folder:", evidence)

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

# %% role="tests" grade_id="seal-test" points=1
"""seal encrypts with AES-GCM and a fresh nonce; unseal reverses it."""
_box = seal(RELAY_KEYS["exit"], b"meet at the usual place")
assert isinstance(_box, bytes), _("seal should return bytes: the nonce followed by the ciphertext")
assert b"usual place" not in _box, _("seal should encrypt the plaintext, not copy it")
assert unseal(RELAY_KEYS["exit"], _box) == b"meet at the usual place", _(
    "unseal(key, seal(key, data)) should give back data"
)
### BEGIN HIDDEN TESTS
from cryptography.exceptions import InvalidTag as _InvalidTag

_data = b"x" * 40
_one, _two = seal(RELAY_KEYS["middle"], _data), seal(RELAY_KEYS["middle"], _data)
assert len(_one) == 12 + len(_data) + 16, _(
    "seal should return the 12-byte nonce, then the AES-GCM ciphertext with its 16-byte tag"
)
assert _one[:12] != _two[:12], _("use a new random nonce on every call (os.urandom(12))")
assert AESGCM(RELAY_KEYS["middle"]).decrypt(_one[:12], _one[12:], None) == _data, _(
    "seal should put the nonce first, then AESGCM(key).encrypt(nonce, plaintext, None)"
)
_nonce = os.urandom(12)
assert (
    unseal(RELAY_KEYS["guard"], _nonce + AESGCM(RELAY_KEYS["guard"]).encrypt(_nonce, _data, None))
    == _data
), _("unseal should read the first 12 bytes as the nonce")
try:
    unseal(RELAY_KEYS["guard"], _one)
except _InvalidTag:
    pass
else:
    raise AssertionError(_("unseal with the wrong key must fail: use AESGCM(key).decrypt"))
### END HIDDEN TESTS

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

# %% role="tests" grade_id="build-onion-test" points=1
"""build_onion seals three layers: guard outside, exit inside, each naming the next hop."""
assert isinstance(onion_cell, bytes), _("build_onion should return bytes")
assert REQUEST not in onion_cell and b"rates.example.com" not in onion_cell, _(
    "the cell the guard receives must not show the request or the destination"
)


### BEGIN HIDDEN TESTS
def _peel_ref(_role, _cell):
    _layer = AESGCM(RELAY_KEYS[_role]).decrypt(_cell[:12], _cell[12:], None)
    return _layer.split(b"\n", 1)


_cell = build_onion(b"ping", "shop.example.net:80")
assert (
    len(_cell)
    == 3 * 28
    + len(b"ping")
    + len("shop.example.net:80")
    + 1
    + len(RELAYS["exit"] + RELAYS["middle"])
    + 2
), _("wrap exactly three layers, one per relay")
_hops = []
for _role in ("guard", "middle", "exit"):
    try:
        _hop, _cell = _peel_ref(_role, _cell)
    except Exception:
        raise AssertionError(
            _("the guard's layer is the outermost and the exit's the innermost")
        ) from None
    _hops.append(_hop)
assert _hops == [RELAYS["middle"].encode(), RELAYS["exit"].encode(), b"shop.example.net:80"], _(
    "each layer should start with the next hop: middle, then exit, then the destination"
)
assert _cell == b"ping", _("the exit's layer should hold the request itself")
### END HIDDEN TESTS

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

# %% role="tests" grade_id="peel-test" points=1
"""peel removes one layer and returns (next hop as text, inner bytes)."""
_hop, _inner = peel(RELAY_KEYS["guard"], onion_cell)
assert isinstance(_hop, str) and isinstance(_inner, bytes), _(
    "peel should return a pair: the next hop as text, the inner part as bytes"
)
### BEGIN HIDDEN TESTS
_n = os.urandom(12)
_box = _n + AESGCM(RELAY_KEYS["exit"]).encrypt(_n, b"a.example:1\nline one\nline two", None)
assert peel(RELAY_KEYS["exit"], _box) == ("a.example:1", b"line one\nline two"), _(
    "split the layer at the first newline only"
)
### END HIDDEN TESTS

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

# %% role="tests" grade_id="relay-knows-test" points=2
"""relay_knows maps each relay to the facts it can read in the simulation."""
assert isinstance(relay_knows, dict) and set(relay_knows) == {"guard", "middle", "exit"}, _(
    "relay_knows should have exactly the keys 'guard', 'middle' and 'exit'"
)
assert all(isinstance(v, set) and v <= set(FACTS) for v in relay_knows.values()), _(
    "each value should be a set of names taken from FACTS"
)
assert not any({"client IP", "destination"} <= v for v in relay_knows.values()), _(
    "look again: that is the whole point of three relays"
)
### BEGIN HIDDEN TESTS
_expected = {}
_came = CLIENT_IP
_route = [RELAYS["middle"], RELAYS["exit"], DESTINATION]
for _role, _next in zip(("guard", "middle", "exit"), _route):
    _blob = (_came + " " + _next).encode() + (REQUEST if _role == "exit" else b"")
    _expected[_role] = {_name for _name, _value in FACTS.items() if _value in _blob}
    _came = RELAYS[_role]
assert relay_knows["guard"] == _expected["guard"], _(
    "the guard sees who connects to it and the next relay, nothing inside the layers"
)
assert relay_knows["middle"] == _expected["middle"], _(
    "the middle relay sees only its two neighbours"
)
assert relay_knows["exit"] == _expected["exit"], _(
    "the exit sees the previous relay, the destination and the request"
)
### END HIDDEN TESTS

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

# %% role="tests" grade_id="onion-service-quiz-test" points=1
"""Each statement about onion services is marked True or False correctly."""
assert isinstance(onion_service_quiz, dict) and set(onion_service_quiz) == set("abcdef"), _(
    "onion_service_quiz should have the six letters a to f as keys"
)
assert all(isinstance(v, bool) for v in onion_service_quiz.values()), _(
    "each answer should be True or False (no quotes)"
)
### BEGIN HIDDEN TESTS
_marks = [onion_service_quiz[_k] for _k in "abcdef"]
assert _marks == [False, True, True, False, False, True], _(
    "re-read Part 2: who learns which IP address, and where the traffic goes"
)
### END HIDDEN TESTS

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

# %% role="tests" grade_id="decode-address-test" points=1
"""raw, pubkey, stored_checksum and version decode the example address."""
assert isinstance(raw, bytes) and len(raw) == 35, _("raw should be the 35 decoded bytes")
assert isinstance(pubkey, bytes) and len(pubkey) == 32, _("pubkey should be the first 32 bytes")
assert isinstance(stored_checksum, bytes) and len(stored_checksum) == 2, _(
    "stored_checksum should be bytes 32 and 33"
)
assert isinstance(version, int), _("version should be a whole number: raw[34]")
### BEGIN HIDDEN TESTS
from darktrail import onion as _onion
from darktrail.evidence import my_world

_rows = my_world().files["markets/lookalikes.csv"].decode().splitlines()
_first = _onion.parse(urlsplit(_rows[1].split(",")[0]).hostname)
assert pubkey == _first.pubkey, _("decode example; pubkey is raw[:32]")
assert stored_checksum == _first.checksum and version == _first.version, _(
    "the checksum is raw[32:34] and the version raw[34]"
)
### END HIDDEN TESTS

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

# %% role="tests" grade_id="onion-checksum-test" points=2
"""onion_checksum is SHA3-256('.onion checksum' | pubkey | version)[:2]."""
_c = onion_checksum(pubkey)
assert isinstance(_c, bytes) and len(_c) == 2, _("return the first 2 bytes of the digest")
# The RFC 8032 test key 1 and its onion address, a published test vector.
_test_key = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
assert onion_checksum(_test_key).hex() == "bec9", _(
    "hash '.onion checksum', then the key, then the version byte, with hashlib.sha3_256"
)
### BEGIN HIDDEN TESTS
from darktrail import onion as _onion

_rng = random.Random(101)
for _ in range(5):
    _key = _onion.lookalike_pubkey("", _rng)
    for _v in (3, 4):
        assert onion_checksum(_key, _v) == _onion.checksum(_key, _v), _(
            "include the version byte you are given"
        )
### END HIDDEN TESTS

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

# %% role="tests" grade_id="classify-onion-test" points=2
"""classify_onion tells valid, bad-checksum, bad-length and retired v2 addresses apart."""
_words = {"valid", "bad checksum", "bad length", "not base32", "retired v2"}
assert classify_onion(example) in _words, _(
    "return one of: valid, bad checksum, bad length, not base32, retired v2"
)
### BEGIN HIDDEN TESTS
from darktrail import onion as _onion
from darktrail.evidence import my_world

_world = my_world()
_sample = pd.read_csv(my_evidence() / "markets" / "lookalikes.csv")["url"].map(
    lambda u: urlsplit(u).hostname
)
for _a in list(_sample)[:6]:
    assert classify_onion(_a) == "valid", _("a well-formed v3 address should be 'valid'")
    _typo = _a[:10] + ("a" if _a[10] != "a" else "b") + _a[11:]
    assert classify_onion(_typo) == "bad checksum", _(
        "one character typed wrong must give 'bad checksum'"
    )
    assert classify_onion(_a[:-7] + ".onion") == "bad length", _(
        "an address of 55 characters has a bad length"
    )
    assert classify_onion(_a[:7] + "0" + _a[8:]) == "not base32", _(
        "0, 1, 8 and 9 are not base32 characters"
    )
_last = _sample.iloc[0][:55] + "e.onion"  # version byte changed by the last character
assert classify_onion(_last) == "bad checksum", _(
    "the checksum covers the version byte read from the address"
)
for _v2 in ("trailv2xmpl4test.onion", "saxaulv2oldmkt7q.onion"):
    assert classify_onion(_v2) == "retired v2", _("16-character addresses are retired v2")
### END HIDDEN TESTS

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
_seen = [urlsplit(u).hostname for u in pd.read_csv(evidence / "markets" / "lookalikes.csv")["url"]]
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

# %% role="tests" grade_id="tip-status-test" points=1
"""tip_status classifies every tip as parse() does."""
assert isinstance(tip_status, dict) and set(tip_status) == set(tips), _(
    "tip_status should have one entry per tip"
)
### BEGIN HIDDEN TESTS
from darktrail import onion as _onion


def _category(_address):
    try:
        _onion.parse(_address)
    except ValueError as _error:
        for _word in ("retired v2", "bad length", "not base32", "bad checksum"):
            if _word in str(_error):
                return _word
        return None
    return "valid"


for _tip in tips:
    _want = _category(_tip)
    if _want is not None:
        assert tip_status[_tip] == _want, _("classify each tip with your classify_onion")
### END HIDDEN TESTS

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

# %% role="tests" grade_id="vanity-test" points=1
"""vanity_tries(n) is the expected number of keys for an n-character prefix."""
assert isinstance(vanity_tries(1), int), _("vanity_tries should return a whole number")
assert vanity_tries(0) == 1, _("an empty prefix matches the first key")
### BEGIN HIDDEN TESTS
from darktrail import onion as _onion

for _n in range(1, 12):
    assert vanity_tries(_n) == _onion.expected_vanity_tries(_n), _(
        "each base32 character has 32 possible values, independently"
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Task 11 · How long were the phishers' prefixes? (1 point)
#
# `markets/lookalikes.csv` lists onion addresses seen on forums, link lists and paste sites,
# each claiming to be a market. Read it into `sightings`, add a column `host` with the address
# (the URL's host name), and find `shared_prefix`: the **largest number of leading characters**
# that two *different* addresses claiming the **same market** have in common.
#
# *Hint:* `sightings["url"].map(lambda u: urlsplit(u).hostname)` gives the host of each URL;
# `os.path.commonprefix([a, b])` is the common start of two texts. Loop over pairs with
# `for market, group in sightings.groupby("claimed_market"):` and two loops over
# `group["host"]`.

# %% role="solution" grade_id="shared-prefix"
### BEGIN SOLUTION
sightings = pd.read_csv(evidence / "markets" / "lookalikes.csv")
sightings["host"] = sightings["url"].map(lambda u: urlsplit(u).hostname)
shared_prefix = 0
for _market, group in sightings.groupby("claimed_market"):
    hosts = list(group["host"])
    for a in hosts:
        for b in hosts:
            if a != b:
                shared_prefix = max(shared_prefix, len(os.path.commonprefix([a, b])))
### END SOLUTION
shared_prefix, vanity_tries(shared_prefix)

# %% role="tests" grade_id="shared-prefix-test" points=1
"""shared_prefix is the longest prefix shared by two addresses claiming one market."""
assert isinstance(sightings, pd.DataFrame) and "host" in sightings.columns, _(
    "sightings should be lookalikes.csv with a column host"
)
assert isinstance(shared_prefix, int) and 0 < shared_prefix < 56, _(
    "shared_prefix should be a whole number of characters"
)
### BEGIN HIDDEN TESTS
from darktrail.evidence import my_world

_markets = my_world().truth["markets"]
_best = 0
for _m in _markets.values():
    _all = _m["mirrors"] + _m["phishing"] + _m["lookalikes"]
    for _a in _all:
        for _b in _all:
            if _a != _b:
                _best = max(_best, len(os.path.commonprefix([_a, _b])))
assert shared_prefix == _best, _(
    "compare addresses of the same claimed market, two different addresses at a time"
)
### END HIDDEN TESTS

# %% [markdown]
# At about 10 million keys per second (a good graphics card), `vanity_tries(shared_prefix)`
# keys take seconds to minutes: cheap for a phisher. Every lookalike passes `classify_onion`.
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
# `(folder / "mirrors.txt.asc").read_text()` reads a file.


# %% role="solution" grade_id="signed-mirrors"
def signed_mirrors(mirror_list, market_key):
    ### BEGIN SOLUTION
    result = pgp.verify_clearsigned(mirror_list, market_key)
    if not result.valid:
        return []
    return find_onions(result.text)
    ### END SOLUTION


### BEGIN SOLUTION
verified_mirrors = {
    folder.name: signed_mirrors(
        (folder / "mirrors.txt.asc").read_text(), (folder / "market.asc").read_text()
    )
    for folder in market_folders
}
### END SOLUTION
verified_mirrors

# %% role="tests" grade_id="signed-mirrors-test" points=2
"""signed_mirrors trusts only a valid signature; verified_mirrors lists each market's mirrors."""
assert isinstance(verified_mirrors, dict) and set(verified_mirrors) == {
    p.name for p in market_folders
}, _("verified_mirrors should have one entry per market folder")
assert all(isinstance(v, list) for v in verified_mirrors.values()), _(
    "each value should be a list of addresses"
)
### BEGIN HIDDEN TESTS
from darktrail.evidence import my_world

_world = my_world()
_truth = _world.truth["markets"]
for _slug, _m in _truth.items():
    assert sorted(verified_mirrors[_slug]) == sorted(_m["mirrors"]), _(
        "take the addresses of the signed text of each market's mirror list"
    )
_slugs = sorted(_truth)
_list = _world.files[f"markets/{_slugs[0]}/mirrors.txt.asc"].decode()
_own = _world.files[f"markets/{_slugs[0]}/market.asc"].decode()
_other = _world.files[f"markets/{_slugs[1]}/market.asc"].decode()
assert signed_mirrors(_list, _own), _("a list with a good signature should give its mirrors")
assert signed_mirrors(_list, _other) == [], _(
    "a list not signed by the market's own key must give no mirrors"
)
_swapped = _list.replace(_truth[_slugs[0]]["mirrors"][0], _truth[_slugs[1]]["mirrors"][0])
assert signed_mirrors(_swapped, _own) == [], _(
    "a list edited after signing (a mirror swapped for a lookalike) must give no mirrors"
)
### END HIDDEN TESTS

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
# date and `(today - date).days` counts days.

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


# %% role="tests" grade_id="check-canary-test" points=2
"""check_canary checks signer, freshness and block hash, in that order."""
_folder = market_folders[0]
_status = check_canary(
    (_folder / "canary.txt.asc").read_text(), (_folder / "market.asc").read_text(), TODAY, set()
)
assert _status in {"ok", "bad signature", "stale", "unknown block"}, _(
    "return one of: ok, bad signature, stale, unknown block"
)
### BEGIN HIDDEN TESTS
from darktrail import pgp as _pgp
from darktrail.evidence import my_world

_world = my_world()
_truth = _world.truth["markets"]
_slugs = sorted(_truth)
_canary = _world.files[f"markets/{_slugs[0]}/canary.txt.asc"].decode()
_own = _world.files[f"markets/{_slugs[0]}/market.asc"].decode()
_other = _world.files[f"markets/{_slugs[1]}/market.asc"].decode()
_c = _truth[_slugs[0]]["canary"]
_day = dt.date.fromisoformat(_c["date"])
_blocks = {_c["block_hash"]}
assert check_canary(_canary, _own, _day, _blocks) == "ok", _(
    "a fresh canary, signed by the market, naming a known block is ok"
)
assert check_canary(_canary, _other, _day, _blocks) == "bad signature", _(
    "a canary not signed by the market's own key is a bad signature"
)
_impostor = _pgp.generate_key(
    b"impostor canary key 0001" + b"\0" * 8, "Impostor <x@example.invalid>", 1500000000
)
_forged = _pgp.clearsign(_impostor, _pgp.verify_clearsigned(_canary, _own).text, 1582000000)
assert check_canary(_forged, _own, _day, _blocks) == "bad signature", _(
    "a canary signed by another key is a bad signature, whatever it says"
)
_late = _day + dt.timedelta(days=MAX_CANARY_AGE_DAYS + 1)
assert check_canary(_canary, _own, _late, _blocks) == "stale", _(
    "a canary older than MAX_CANARY_AGE_DAYS is stale"
)
assert (
    check_canary(_canary, _own, _day + dt.timedelta(days=MAX_CANARY_AGE_DAYS), _blocks) == "ok"
), _("a canary exactly MAX_CANARY_AGE_DAYS old is still fresh")
assert check_canary(_canary, _own, _day, {"00" * 32}) == "unknown block", _(
    "the block hash must be one of known_blocks"
)
### END HIDDEN TESTS

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

# %% role="tests" grade_id="canary-status-test" points=1
"""canary_status gives each market's canary status on TODAY."""
assert isinstance(canary_status, dict) and set(canary_status) == {p.name for p in market_folders}, (
    _("canary_status should have one entry per market folder")
)
assert isinstance(known_blocks, set) and all(len(h) == 64 for h in known_blocks), _(
    "known_blocks should be a set of 64-character block hashes"
)
### BEGIN HIDDEN TESTS
from darktrail.evidence import my_world

for _slug, _m in my_world().truth["markets"].items():
    _age = (TODAY - dt.date.fromisoformat(_m["canary"]["date"])).days
    _want = "stale" if _age > MAX_CANARY_AGE_DAYS else "ok"
    assert canary_status[_slug] == _want, _(
        "check each market's canary against its own key, on TODAY, with the ledger's blocks"
    )
### END HIDDEN TESTS

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

# %% role="tests" grade_id="sightings-genuine-test" points=1
"""sightings.genuine is True exactly for the mirrors on a verified signed list."""
assert "genuine" in sightings.columns and sightings["genuine"].dtype == bool, _(
    "sightings should have a column genuine of True/False values"
)
assert len(sightings) == len(pd.read_csv(evidence / "markets" / "lookalikes.csv")), _(
    "keep every row of lookalikes.csv"
)
### BEGIN HIDDEN TESTS
from darktrail.evidence import my_world

_real = {_a for _m in my_world().truth["markets"].values() for _a in _m["mirrors"]}
for _host, _flag in zip(sightings["host"], sightings["genuine"]):
    assert _flag == (_host in _real), _(
        "only an address on a signed mirror list is genuine; a similar start proves nothing"
    )
### END HIDDEN TESTS

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
bookmark_verdicts = {}
for address in bookmarks:
    if address in all_mirrors:
        bookmark_verdicts[address] = "genuine mirror"
    elif classify_onion(address) != "valid":
        bookmark_verdicts[address] = "invalid"
    else:
        bookmark_verdicts[address] = "phishing"
### END SOLUTION
bookmark_verdicts

# %% role="tests" grade_id="bookmark-verdicts-test" points=1
"""bookmark_verdicts tells each bookmarked address's verdict from the signed lists."""
assert isinstance(bookmark_verdicts, dict) and set(bookmark_verdicts) == set(bookmarks), _(
    "bookmark_verdicts should have one entry per bookmark"
)
assert set(bookmark_verdicts.values()) <= {"genuine mirror", "phishing", "invalid"}, _(
    "each verdict should be 'genuine mirror', 'phishing' or 'invalid'"
)
### BEGIN HIDDEN TESTS
from darktrail.evidence import my_world

_real = {_a for _m in my_world().truth["markets"].values() for _a in _m["mirrors"]}
from darktrail import onion as _onion

for _address, _verdict in bookmark_verdicts.items():
    _want = "genuine mirror" if _address in _real else "phishing"
    if _want == "phishing" and not _onion.is_valid(_address):
        _want = "invalid"
    assert _verdict == _want, _("decide by the signed mirror lists, not by the page or its title")
### END HIDDEN TESTS

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
