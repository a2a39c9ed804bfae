# %% [markdown]
# # 03 · Encryption for investigators: encodings, hashes, ciphers, signatures and PGP
#
# **Time:** about 120 minutes · **Graded:** 18 autograded points and 3 points marked by your
# instructor
#
# **Objectives.** By the end of this notebook you can
#
# 1. tell **encoding** (base64, hex, URL encoding), **encryption** and **hashing** apart, and
#    decode layered encodings yourself;
# 2. use hashes for evidence integrity: the avalanche effect, why SHA-256 and not MD5, and what
#    salted, slow password hashes cost an attacker (and an investigator);
# 3. decrypt with a modern authenticated cipher (AES-GCM) and show what tampering does to it;
# 4. explain public-key encryption and signatures with small numbers (toy RSA), and why key
#    size matters;
# 5. work with PGP as vendors do: fingerprints and key IDs, short-ID collisions, signed
#    messages, forged messages, and an encrypted message for a seized key;
# 6. link vendor accounts across markets by their keys, and say what that does and does not
#    prove.
#
# **The case.** The suspect's laptop and phone were seized. The laptop held a PGP secret key; the
# phone held an encrypted notes app and a wallet app with a PIN. Vendors on three markets
# publish PGP keys and sign their announcements; some announcements are forged. Your evidence
# (`evidence/`) holds the keys (`keys/`), the signed and encrypted messages (`messages/`) and
# the seized files (`seized/`); what the lab extracted from the phone is in
# `messages/phone_extraction.json`, read in the cell below the imports. Every trainee's exhibits
# are their own.

# %% [markdown]
# ## How to work
#
# Run the cells from top to bottom with **Shift + Enter**. Cells with `# YOUR CODE HERE` are
# yours: delete `raise NotImplementedError()` and write your answer. Run the check cell after
# each answer; if it fails, read its hint. The check cells only test the form of an answer; the
# grader tests the answer on *your* evidence. When done: **Kernel → Restart Kernel and Run All
# Cells**, **Validate**, **Submit**.

# %% role="readonly"
import base64
import hashlib
import json
import time
import urllib.parse

import pandas as pd
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from darktrail import pgp
from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls

evidence = my_evidence()
print(_("Your evidence folder:"), evidence)

# %% [markdown]
# ## The phone exhibits
#
# The forensic lab extracted these values from the suspect's phone into
# `messages/phone_extraction.json`. Run the cell: it reads them into variables you will use in the
# tasks below.

# %% role="readonly"
phone = json.loads((evidence / "messages" / "phone_extraction.json").read_text(encoding="utf-8"))
# A text the clipboard manager kept, exactly as stored.
phone_clipboard = phone["clipboard_manager"]["text"]
# The notes app's only note: 12 bytes of nonce, then the AES-256-GCM ciphertext and its tag.
vault_note = bytes.fromhex(phone["notes_app"]["note"])
# The wallet app stores its 4-digit PIN as PBKDF2-HMAC-SHA256(PIN, salt, iterations).
pin_salt = bytes.fromhex(phone["wallet_app"]["pin_salt"])
pin_hash = bytes.fromhex(phone["wallet_app"]["pin_hash"])
pin_iterations = phone["wallet_app"]["pin_iterations"]
# A vendor's home-made "RSA" public key posted in a chat, and a number sent to the vendor.
vendor_n = phone["chat"]["vendor_rsa_key"]["n"]
vendor_e = phone["chat"]["vendor_rsa_key"]["e"]
intercepted = phone["chat"]["number_sent_to_vendor"]
print(_("clipboard:"), phone_clipboard[:40], "...")
print(_("note:"), len(vault_note), _("bytes; PIN hash:"), pin_hash.hex()[:16], "...")
print(_("vendor key: n ="), vendor_n, " e =", vendor_e, _("; intercepted:"), intercepted)

# %% [markdown]
# ## Part 1 · Encoding is not encryption
#
# - **Encoding** changes how data is written so it survives a channel: **base64** (letters,
#   digits, `+`, `/`, ending in `=`), **hex** (digits and `a`-`f`, two per byte), **URL
#   encoding** (`%20` for a space). Anyone can decode it: there is **no key**.
# - **Encryption** hides data from everyone without the **key** (AES, ChaCha20, PGP).
# - **Hashing** makes a fixed-size fingerprint of data; it **cannot be reversed**, only
#   recomputed and compared (SHA-256).
#
# Criminals sometimes stack encodings to make text look secret. It is not.
#
# ## Task 1 · Peel the layers (1 point)
#
# The clipboard text `phone_clipboard` was made from a plain text in three steps: the text was
# **URL-encoded**, the result was written as **hex**, and that was written as **base64**.
# Write a function `decode_layers(blob)` that undoes the three steps **in reverse order** and
# returns the plain text (a `str`). Then decode the clipboard into `clipboard_text`.
#
# *Hint:* `base64.b64decode(blob)` gives bytes; `bytes.fromhex(text)` reads hex (turn bytes into
# text first with `.decode()`); `urllib.parse.unquote(text)` undoes URL encoding.


# %% role="solution" grade_id="decode-layers"
def decode_layers(blob):
    ### BEGIN SOLUTION
    hex_text = base64.b64decode(blob).decode("ascii")
    url_text = bytes.fromhex(hex_text).decode("ascii")
    return urllib.parse.unquote(url_text)
    ### END SOLUTION


### BEGIN SOLUTION
clipboard_text = decode_layers(phone_clipboard)
### END SOLUTION
clipboard_text

# %% role="tests" grade_id="decode-layers-test" points=1 needs="decode-layers"
"""decode_layers undoes base64, then hex, then URL encoding."""
_sample = base64.b64encode(urllib.parse.quote("a b").encode().hex().encode())
assert isinstance(decode_layers(_sample), str), _(
    "decode_layers should return text (a str): use .decode() on bytes"
)
assert decode_layers(_sample) == "a b", _(
    "undo the layers in reverse order: base64 first, then hex, then URL encoding"
)
assert isinstance(clipboard_text, str), _("clipboard_text should be decode_layers(phone_clipboard)")


def _answer(name, *args):
    """The grader calls decode_layers on texts of its own choosing, and reads clipboard_text."""
    return clipboard_text if name == "clipboard_text" else decode_layers(*args)


hand_in_calls(_answer, "decode-layers-test")

# %% [markdown]
# ## Task 2 · Encoding, encryption or hashing? (1 point)
#
# A defence lawyer asks whether the suspect "encrypted" things. Classify each technique: replace
# every `"?"` in the dictionary `kinds` by `"encoding"`, `"encryption"` or `"hashing"` (and
# delete the line `raise NotImplementedError()` below it).
#
# *Hint:* ask two questions. Does getting the data back need a secret key? (encryption) Can the
# data be got back at all? (if not: hashing)

# %% role="solution" grade_id="kinds"
kinds = {
    "base64": "?",
    "hex": "?",
    "URL encoding": "?",
    "SHA-256": "?",
    "PBKDF2 password hash": "?",
    "AES-GCM": "?",
    "PGP encrypted message": "?",
}
### BEGIN SOLUTION
kinds = {
    "base64": "encoding",
    "hex": "encoding",
    "URL encoding": "encoding",
    "SHA-256": "hashing",
    "PBKDF2 password hash": "hashing",
    "AES-GCM": "encryption",
    "PGP encrypted message": "encryption",
}
### END SOLUTION

# %% role="tests" grade_id="kinds-test" points=1 needs="kinds"
"""kinds tells encoding, encryption and hashing apart."""
assert isinstance(kinds, dict), _("kinds should stay a dictionary")
assert set(kinds) == {
    "base64",
    "hex",
    "URL encoding",
    "SHA-256",
    "PBKDF2 password hash",
    "AES-GCM",
    "PGP encrypted message",
}, _("keep the seven names of kinds as they are; change only the values")
assert all(isinstance(v, str) for v in kinds.values()) and {
    v.strip().lower() for v in kinds.values()
} <= {"encoding", "encryption", "hashing"}, _(
    "each value should be 'encoding', 'encryption' or 'hashing'"
)
hand_in(kinds)

# %% [markdown]
# ## Part 2 · Hashes as evidence
#
# ## Task 3 · The avalanche effect (1 point)
#
# A good hash changes completely when one bit of the input changes: about half of its 256 bits
# flip. Write `bit_difference(a, b)` that returns how many **bits** differ between two byte
# strings of equal length. Then flip the lowest bit of the first byte of your seized notes
# (`seized/notes/notes.txt`) and store in `avalanche_bits` how many bits of the SHA-256 digest
# changed.
#
# *Hint:* for two bytes `x` and `y`, `x ^ y` has a 1 wherever they differ and
# `bin(x ^ y).count("1")` counts them; `zip(a, b)` walks two byte strings together. Compare the
# raw digests (`.digest()`), not the hex text. `bytes([data[0] ^ 1]) + data[1:]` flips one bit.


# %% role="solution" grade_id="avalanche"
def bit_difference(a, b):
    ### BEGIN SOLUTION
    return sum(bin(x ^ y).count("1") for x, y in zip(a, b))
    ### END SOLUTION


### BEGIN SOLUTION
notes = (evidence / "seized" / "notes" / "notes.txt").read_bytes()
flipped = bytes([notes[0] ^ 1]) + notes[1:]
avalanche_bits = bit_difference(hashlib.sha256(notes).digest(), hashlib.sha256(flipped).digest())
### END SOLUTION
avalanche_bits

# %% role="tests" grade_id="avalanche-test" points=1 needs="avalanche"
"""bit_difference counts differing bits; avalanche_bits is measured on the seized notes."""
import numbers

assert bit_difference(b"\x00", b"\xff") == 8, _("bit_difference should count bits, not bytes")
assert bit_difference(b"\x0f\x00", b"\x0e\x00") == 1, _(
    "bytes that are equal add nothing; one flipped bit adds 1"
)
assert isinstance(avalanche_bits, numbers.Integral) and 0 < avalanche_bits <= 256, _(
    "avalanche_bits should be a whole number of bits between 1 and 256"
)


def _answer(name, *args):
    """The grader calls bit_difference on bytes of its own choosing, and reads avalanche_bits."""
    if name == "avalanche_bits":
        return avalanche_bits
    return bit_difference(*(bytes.fromhex(a) for a in args))


hand_in_calls(_answer, "avalanche-test")

# %% [markdown]
# ## Task 4 · Why SHA-256 and not MD5 (1 point)
#
# Below are two **different** 128-byte files published by researchers in 2004. Run the cell:
# they have the **same MD5** but different SHA-256. Anyone can now make such pairs in seconds,
# so a matching MD5 no longer proves that a file is the one that was seized.
#
# Write `same_evidence(a, b)` that returns `True` when the byte strings `a` and `b` have the same
# hash **of the kind a court can rely on today**, and `False` otherwise.

# %% role="readonly"
collision_a = bytes.fromhex(
    "d131dd02c5e6eec4693d9a0698aff95c2fcab58712467eab4004583eb8fb7f8955ad340609f4b30283e48883"
    "2571415a085125e8f7cdc99fd91dbdf280373c5bd8823e3156348f5bae6dacd436c919c6dd53e2b487da03fd"
    "02396306d248cda0e99f33420f577ee8ce54b67080a80d1ec69821bcb6a8839396f9652b6ff72a70"
)
collision_b = bytes.fromhex(
    "d131dd02c5e6eec4693d9a0698aff95c2fcab50712467eab4004583eb8fb7f8955ad340609f4b30283e48883"
    "25f1415a085125e8f7cdc99fd91dbd7280373c5bd8823e3156348f5bae6dacd436c919c6dd53e23487da03fd"
    "02396306d248cda0e99f33420f577ee8ce54b67080280d1ec69821bcb6a8839396f965ab6ff72a70"
)
print(_("different files:"), collision_a != collision_b)
print("MD5     a:", hashlib.md5(collision_a).hexdigest())
print("MD5     b:", hashlib.md5(collision_b).hexdigest())
print("SHA-256 a:", hashlib.sha256(collision_a).hexdigest())
print("SHA-256 b:", hashlib.sha256(collision_b).hexdigest())


# %% role="solution" grade_id="same-evidence"
def same_evidence(a, b):
    ### BEGIN SOLUTION
    return hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
    ### END SOLUTION


same_evidence(collision_a, collision_b)

# %% role="tests" grade_id="same-evidence-test" points=1 needs="same-evidence"
"""same_evidence compares reliable hashes: equal files match, the MD5 collision pair does not."""
assert same_evidence(b"abc", b"abc") is True, _("identical bytes should give True")
assert same_evidence(b"abc", b"abd") is False, _("different bytes should give False")


def _answer(name, a, b):
    """The grader calls same_evidence on byte strings of its own choosing."""
    return same_evidence(bytes.fromhex(a), bytes.fromhex(b))


hand_in_calls(_answer, "same-evidence-test")

# %% [markdown]
# ## Task 5 · A salted PIN hash, and the cost of guessing (1 point)
#
# Apps do not store a PIN or password, only a **salted, slow hash**: PBKDF2 repeats HMAC-SHA256
# many times (`iterations`) over the PIN and a random **salt**. The salt makes the same PIN hash
# differently on every phone, so precomputed tables are useless; the iterations make every guess
# slow. But a 4-digit PIN has only 10,000 possibilities: an investigator can try them all.
#
# Write `crack_pin(salt, stored_hash, iterations)` that tries every PIN from `"0000"` to
# `"9999"` and returns the one (as 4-character text) whose hash equals `stored_hash`, or `None`
# if none does. Then crack the wallet app's PIN into `wallet_pin`.
#
# *Hint:* `hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)` hashes one guess.
# `f"{number:04d}"` writes 7 as `"0007"`: PINs may start with zeros.


# %% role="solution" grade_id="crack-pin"
def crack_pin(salt, stored_hash, iterations):
    ### BEGIN SOLUTION
    for number in range(10_000):
        pin = f"{number:04d}"
        if hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations) == stored_hash:
            return pin
    return None
    ### END SOLUTION


### BEGIN SOLUTION
wallet_pin = crack_pin(pin_salt, pin_hash, pin_iterations)
### END SOLUTION
wallet_pin

# %% role="tests" grade_id="crack-pin-test" points=1 needs="crack-pin"
"""crack_pin finds any 4-digit PIN, leading zeros included, and returns None when none fits."""
assert isinstance(wallet_pin, str) and len(wallet_pin) == 4 and wallet_pin.isdigit(), _(
    "wallet_pin should be 4 digits written as text, e.g. '0042'"
)
assert hashlib.pbkdf2_hmac("sha256", wallet_pin.encode(), pin_salt, pin_iterations) == pin_hash, _(
    "wallet_pin does not hash to pin_hash with pin_salt"
)


def _answer(name, *args):
    """The grader calls crack_pin on PIN hashes of its own choosing, and reads wallet_pin."""
    if name == "wallet_pin":
        return wallet_pin
    salt, stored_hash, iterations = args
    return crack_pin(bytes.fromhex(salt), bytes.fromhex(stored_hash), iterations)


hand_in_calls(_answer, "crack-pin-test")

# %% [markdown]
# How long does one guess take, and what would a recommended setting cost? Run the cell: with
# 600,000 iterations (today's recommendation for PBKDF2-SHA256) each guess takes thousands of
# times longer. For a 4-digit PIN that is still minutes; for a long passphrase it is centuries.

# %% role="readonly"
for rounds in (100, 100_000):
    started = time.perf_counter()
    hashlib.pbkdf2_hmac("sha256", b"0000", pin_salt, rounds)
    per_guess = time.perf_counter() - started
    print(
        _(
            "{rounds:>7} iterations: {ms:8.2f} ms per guess; all 10,000 PINs in {pins:8.1f} s; all 8-letter lower-case passwords in {years:,.0f} years"
        ).format(
            rounds=rounds,
            ms=per_guess * 1000,
            pins=per_guess * 10_000,
            years=per_guess * 26**8 / 86_400 / 365,
        )
    )

# %% [markdown]
# ## Part 3 · Symmetric encryption: one key locks and unlocks
#
# **AES-GCM** is what phones, messengers and HTTPS use today. One secret key both encrypts and
# decrypts. Each message gets a fresh 12-byte **nonce** (stored next to the ciphertext, not
# secret), and GCM adds a 16-byte **authentication tag**: if anyone changes even one bit of the
# ciphertext, decryption refuses with `InvalidTag` instead of giving a wrong text.
#
# ## Task 6 · Open the notes app (1 point)
#
# The clipboard text you decoded in Task 1 holds the notes app's key, as 64 hex digits. Store the
# key as 32 bytes in `vault_key`. Write `open_vault(key, sealed)` that splits `sealed` into the
# nonce (first 12 bytes) and the ciphertext (the rest), decrypts it with AES-GCM and returns the
# text (`str`). Then open `vault_note` into `vault_text`.
#
# *Hint:* `clipboard_text.split(": ")[1]` takes the text after `": "`; `bytes.fromhex(...)` turns
# hex into bytes. `AESGCM(key).decrypt(nonce, ciphertext, None)` decrypts (the `None`: no extra
# authenticated data). `sealed[:12]` and `sealed[12:]` split bytes.


# %% role="solution" grade_id="open-vault"
def open_vault(key, sealed):
    ### BEGIN SOLUTION
    nonce, ciphertext = sealed[:12], sealed[12:]
    return AESGCM(key).decrypt(nonce, ciphertext, None).decode("utf-8")
    ### END SOLUTION


### BEGIN SOLUTION
vault_key = bytes.fromhex(clipboard_text.split(": ")[1])
vault_text = open_vault(vault_key, vault_note)
### END SOLUTION
vault_text

# %% role="tests" grade_id="open-vault-test" points=1 needs="decode-layers open-vault"
"""open_vault decrypts nonce + AES-GCM ciphertext with the recovered key."""
assert isinstance(vault_key, bytes) and len(vault_key) == 32, _(
    "vault_key should be 32 bytes: bytes.fromhex of the 64 hex digits"
)
assert isinstance(vault_text, str), _("open_vault should return text: .decode() the bytes")


def _answer(name, *args):
    """The grader calls open_vault on notes of its own choosing, and reads your two values."""
    if name == "vault_key":
        return vault_key
    if name == "vault_text":
        return vault_text
    return open_vault(*(bytes.fromhex(a) for a in args))


hand_in_calls(_answer, "open-vault-test")

# %% [markdown]
# ## Task 7 · What tampering does (1 point)
#
# Write `is_authentic(key, sealed)` that returns `True` if `sealed` decrypts with `key`, and
# `False` if AES-GCM refuses it (`InvalidTag`). Then flip one bit in the last byte of
# `vault_note` and store the answer for the changed note in `tampered_ok`.
#
# *Hint:* `try: ... except InvalidTag: return False`. Change a byte with
# `vault_note[:-1] + bytes([vault_note[-1] ^ 1])`.


# %% role="solution" grade_id="tamper"
def is_authentic(key, sealed):
    ### BEGIN SOLUTION
    try:
        AESGCM(key).decrypt(sealed[:12], sealed[12:], None)
    except InvalidTag:
        return False
    return True
    ### END SOLUTION


### BEGIN SOLUTION
tampered_ok = is_authentic(vault_key, vault_note[:-1] + bytes([vault_note[-1] ^ 1]))
### END SOLUTION
tampered_ok

# %% role="tests" grade_id="tamper-test" points=1 needs="decode-layers open-vault tamper"
"""is_authentic accepts the genuine note and refuses any changed byte or wrong key."""
assert is_authentic(vault_key, vault_note) is True, _("the genuine note should give True")
assert tampered_ok is False, _("a changed ciphertext should give False")


def _answer(name, *args):
    """The grader calls is_authentic on notes of its own choosing, and reads tampered_ok."""
    if name == "tampered_ok":
        return tampered_ok
    return is_authentic(*(bytes.fromhex(a) for a in args))


hand_in_calls(_answer, "tamper-test")

# %% [markdown]
# ## Part 4 · Public-key encryption and signatures, with small numbers
#
# With **public-key** cryptography each person has two keys: a **public** key everybody may
# know and a **private** key only they hold. RSA works with whole numbers:
#
# 1. choose two secret primes `p` and `q`; the **modulus** is `n = p * q`;
# 2. the public key is `(n, e)`, usually `e = 65537`;
# 3. the private exponent `d` is the inverse of `e` modulo `(p - 1) * (q - 1)`;
# 4. **encrypt** a number `m` for the owner: `c = m**e mod n`; only `d` undoes it:
#    `m = c**d mod n`;
# 5. **sign** with the private key: `s = m**d mod n`; anyone **verifies** with the public key:
#    `s**e mod n == m`.
#
# Real keys use primes of 300 digits (1,024 bits) and more, and pad messages; these toy keys
# are only for understanding. In Python, `pow(m, e, n)` computes `m**e mod n` fast and
# `pow(e, -1, phi)` the inverse.
#
# ## Task 8 · A toy RSA key pair (1 point)
#
# Write `rsa_keypair(p, q, e)` that returns the tuple `(n, d)`, with `d` computed as in step 3
# above: the inverse of `e` modulo `(p - 1) * (q - 1)`.


# %% role="solution" grade_id="rsa-keypair"
def rsa_keypair(p, q, e):
    ### BEGIN SOLUTION
    phi = (p - 1) * (q - 1)
    return p * q, pow(e, -1, phi)
    ### END SOLUTION


n, d = rsa_keypair(61, 53, 17)
print("n =", n, " d =", d, " decrypts?", pow(pow(42, 17, n), d, n) == 42)

# %% role="tests" grade_id="rsa-keypair-test" points=1 needs="rsa-keypair"
"""rsa_keypair returns the modulus and the private exponent that undoes e."""
_pair = rsa_keypair(61, 53, 17)
assert isinstance(_pair, (tuple, list)) and len(_pair) == 2, _("return a tuple (n, d)")
assert _pair[0] == 61 * 53, _("n is p * q")
hand_in_calls(rsa_keypair, "rsa-keypair-test")

# %% [markdown]
# ## Task 9 · Sign and verify (1 point)
#
# Write `rsa_sign(m, d, n)` that returns the signature of the number `m`, and
# `rsa_verify(m, signature, e, n)` that returns `True` only if the signature fits `m`.
# A signature proves the holder of the private key signed exactly this `m`: change `m` or the
# signature and verification fails.


# %% role="solution" grade_id="rsa-sign"
def rsa_sign(m, d, n):
    ### BEGIN SOLUTION
    return pow(m, d, n)
    ### END SOLUTION


def rsa_verify(m, signature, e, n):
    ### BEGIN SOLUTION
    return pow(signature, e, n) == m % n
    ### END SOLUTION


signature = rsa_sign(1234, d, n)
print(
    "signature:", signature, rsa_verify(1234, signature, 17, n), rsa_verify(1235, signature, 17, n)
)

# %% role="tests" grade_id="rsa-sign-test" points=1 needs="rsa-sign"
"""rsa_sign uses the private exponent; rsa_verify accepts only the matching number."""
import numbers

assert isinstance(rsa_sign(65, 2753, 3233), numbers.Integral), _(
    "rsa_sign should return a whole number"
)
assert rsa_verify(65, rsa_sign(65, 2753, 3233), 17, 3233) is True, _(
    "a signature made with d should verify with e"
)


def _answer(name, *args):
    """The grader calls rsa_sign and rsa_verify on numbers of its own choosing."""
    return rsa_sign(*args) if name == "rsa_sign" else rsa_verify(*args)


hand_in_calls(_answer, "rsa-sign-test")

# %% [markdown]
# ## Task 10 · Why key size matters: break the vendor's toy key (1 point)
#
# RSA is safe only because nobody can find `p` and `q` from `n`. For a small `n` it is easy: try
# every divisor up to the square root of `n`. Write `factor_modulus(n)` that returns the tuple
# `(p, q)` with `p <= q` and `p * q == n`. Then factor the vendor's public key `vendor_n`,
# compute its private exponent with your `rsa_keypair`, decrypt `intercepted` into the number
# `intercepted_m` and turn it into 4 letters in `intercepted_text`.
#
# *Hint:* a loop `candidate = 2, 3, 4, ...` while `candidate * candidate <= n`; `n % candidate ==
# 0` means it divides. `intercepted_m.to_bytes(4, "big").decode()` turns the number into text.


# %% role="solution" grade_id="factor"
def factor_modulus(n):
    ### BEGIN SOLUTION
    candidate = 2
    while candidate * candidate <= n:
        if n % candidate == 0:
            return candidate, n // candidate
        candidate += 1
    raise ValueError(f"{n} is prime")
    ### END SOLUTION


### BEGIN SOLUTION
vendor_p, vendor_q = factor_modulus(vendor_n)
vendor_d = rsa_keypair(vendor_p, vendor_q, vendor_e)[1]
intercepted_m = pow(intercepted, vendor_d, vendor_n)
intercepted_text = intercepted_m.to_bytes(4, "big").decode()
### END SOLUTION
intercepted_text

# %% role="tests" grade_id="factor-test" points=1 needs="rsa-keypair factor"
"""factor_modulus splits a small modulus; the intercepted number is decrypted with it."""
assert tuple(factor_modulus(3233)) == (53, 61), _("return (p, q) with the smaller factor first")
assert isinstance(intercepted_text, str) and len(intercepted_text) == 4, _(
    "intercepted_text should be 4 characters"
)


def _answer(name, *args):
    """The grader calls factor_modulus on numbers of its own choosing, and reads your values."""
    if name == "intercepted_m":
        return intercepted_m
    if name == "intercepted_text":
        return intercepted_text
    return factor_modulus(*args)


hand_in_calls(_answer, "factor-test")

# %% [markdown]
# Run the cell: every 2 more bits of the modulus double the work of this method. Real RSA keys
# have 2,048 bits or more; the largest RSA number ever factored (RSA-250, 829 bits, in 2020)
# took about 2,700 processor-core years with far better methods. That is why key size matters,
# and why investigators get keys from seized devices, not by breaking them.

# %% role="readonly"
for bits in (24, 32, 40):
    # The largest prime below 2**(bits/2), squared: the hardest case for trial division.
    p_small = next(
        x
        for x in range(2 ** (bits // 2) - 1, 2, -1)
        if all(x % f for f in range(2, int(x**0.5) + 1))
    )
    started = time.perf_counter()
    factor_modulus(p_small * p_small)
    _seconds = time.perf_counter() - started
    print(_("{bits}-bit modulus factored in {seconds:.4f} s").format(bits=bits, seconds=_seconds))

# %% [markdown]
# ## Part 5 · PGP, as vendors use it
#
# Vendors publish a PGP **public key** on each market and sign announcements with their private
# key; buyers encrypt orders to the vendor's key. A key is identified by its **fingerprint**: the
# SHA-1 hash of the key's public-key packet, 40 hex digits. The **long key ID** is its last 16
# digits, the **short key ID** its last 8. The user ID (`name <e-mail>`) inside a key is just
# text: anyone can write any name into a key.
#
# `darktrail.pgp` reads real OpenPGP data, exactly as the `gpg` program does:
#
# ```python
# key = pgp.read_key(path.read_text())   # a public key block
# key.user_ids, key.fingerprint, key.key_id, key.short_key_id
# key.primary.body                       # the bytes of the public-key packet
# ```
#
# ## Task 11 · A fingerprint is a hash (1 point)
#
# OpenPGP (RFC 9580, section 5.5.4) defines the v4 fingerprint as the SHA-1 of: the byte
# `0x99`, then the length of the key packet body in 2 bytes (big-endian), then the body. Write
# `fingerprint_of(body)` that returns it as 40 hex digits (gpg writes them in upper case; the
# grader accepts either case).
#
# *Hint:* `b"\x99" + len(body).to_bytes(2, "big") + body`; `hashlib.sha1(...).hexdigest().upper()`.


# %% role="solution" grade_id="fingerprint-of"
def fingerprint_of(body):
    ### BEGIN SOLUTION
    return hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).hexdigest().upper()
    ### END SOLUTION


some_key = pgp.read_key(sorted(evidence.glob("keys/*/*.asc"))[0].read_text())
fingerprint_of(some_key.primary.body), some_key.fingerprint

# %% role="tests" grade_id="fingerprint-of-test" points=1 needs="fingerprint-of"
"""fingerprint_of computes the v4 fingerprint from the key packet body."""
_printed = fingerprint_of(some_key.primary.body)
assert isinstance(_printed, str) and len(_printed) == 40, _(
    "return the 40 hex digits of the SHA-1 digest"
)


def _answer(name, body):
    """The grader calls fingerprint_of on key packet bodies of its own choosing."""
    return fingerprint_of(bytes.fromhex(body))


hand_in_calls(_answer, "fingerprint-of-test")

# %% [markdown]
# ## Task 12 · The key table (1 point)
#
# Read **every** key file under `evidence/keys/` (one folder per market, plus `forum/` for keys
# posted on a forum) into a DataFrame `key_table` with one row per file and the columns
#
# | column | what |
# | --- | --- |
# | `file` | path relative to the evidence folder, e.g. `keys/kovyl-market/whitemanul69.asc` |
# | `market` | the folder name (`forum` for the forum) |
# | `handle` | the file name without `.asc` |
# | `user_id` | the key's first user ID |
# | `fingerprint`, `long_id`, `short_id` | as `pgp` computes them |
#
# *Hint:* `sorted(evidence.glob("keys/*/*.asc"))` lists the files; for each `path`,
# `path.parent.name` is the folder, `path.stem` the name without `.asc`,
# `path.relative_to(evidence).as_posix()` the relative path. Collect one dictionary per file in
# a list and call `pd.DataFrame(rows)`.

# %% role="solution" grade_id="key-table"
### BEGIN SOLUTION
rows = []
for path in sorted(evidence.glob("keys/*/*.asc")):
    key = pgp.read_key(path.read_text())
    rows.append(
        {
            "file": path.relative_to(evidence).as_posix(),
            "market": path.parent.name,
            "handle": path.stem,
            "user_id": key.user_ids[0],
            "fingerprint": key.fingerprint,
            "long_id": key.key_id,
            "short_id": key.short_key_id,
        }
    )
key_table = pd.DataFrame(rows)
### END SOLUTION
key_table

# %% role="tests" grade_id="key-table-test" points=1 needs="key-table"
"""key_table has one row per key file with its fingerprint and key IDs."""
assert isinstance(key_table, pd.DataFrame), _("key_table should be a DataFrame")
assert {"file", "market", "handle", "user_id", "fingerprint", "long_id", "short_id"} <= set(
    key_table.columns
), _("key_table lacks some of the columns asked for")
assert len(key_table) == len(list(evidence.glob("keys/*/*.asc"))), _(
    "key_table should have one row per key file, forum keys included"
)
assert (key_table["long_id"].str.len() == 16).all() and (
    key_table["short_id"].str.len() == 8
).all(), _("a long key ID has 16 hex digits, a short one 8")
assert set(key_table["file"]) <= {
    p.relative_to(evidence).as_posix() for p in evidence.glob("keys/*/*.asc")
}, _("write file as the path relative to the evidence folder, e.g. keys/<market>/<handle>.asc")
hand_in(key_table)

# %% [markdown]
# ## Task 13 · Same short ID, different keys (1 point)
#
# Making a key whose **short** key ID equals somebody else's takes a laptop a second; a matching
# fingerprint is out of reach. Find the key files whose short ID is shared with a key of a
# **different** fingerprint, and store their `file` values as a sorted list in `short_id_clash`.
# (Accounts that reuse one key share a short ID too, but with the same fingerprint: they are not
# a clash.)
#
# *Hint:* `key_table.groupby("short_id")["fingerprint"].transform("nunique")` gives, on every
# row, how many different fingerprints share that row's short ID.

# %% role="solution" grade_id="short-id-clash"
### BEGIN SOLUTION
fingerprints_per_short_id = key_table.groupby("short_id")["fingerprint"].transform("nunique")
short_id_clash = sorted(key_table.loc[fingerprints_per_short_id > 1, "file"])
### END SOLUTION
short_id_clash

# %% role="tests" grade_id="short-id-clash-test" points=1 needs="key-table short-id-clash"
"""short_id_clash lists the key files whose short ID collides with a different key."""
assert isinstance(short_id_clash, list), _("short_id_clash should be a list of file paths")
assert all(f in set(key_table["file"]) for f in short_id_clash), _(
    "write each key as its file value in key_table"
)
assert short_id_clash == sorted(short_id_clash), _("sort the list")
hand_in(short_id_clash)

# %% [markdown]
# ## Task 14 · Which signed messages are genuine? (2 points)
#
# Each file `messages/NN_<handle>.txt.asc` is a clearsigned announcement claiming to come from
# the vendor `<handle>`. Check every one against **the key that vendor published on their
# market** (`keys/<market>/<handle>.asc`, not the forum). Store a dictionary `verdicts` from file
# name (e.g. `"01_somevendor.txt.asc"`) to `True` (good signature) or `False`, and the sorted
# file names of the forged ones in `forged`.
#
# *Hint:* `pgp.verify_clearsigned(text, key)` returns a result with `.valid` and a `.reason` you
# can quote in a report. `path.name.split("_", 1)[1].removesuffix(".txt.asc")` gives the handle.
# `key_table.loc[(key_table["handle"] == handle) & (key_table["market"] != "forum"), "file"]`
# finds the market key file.
#
# *In a terminal,* GnuPG gives the same verdicts: `gpg --import keys/<market>/<handle>.asc`,
# then `gpg --verify messages/<file>` prints `Good signature` or `BAD signature`, or says it
# lacks the signer's key.

# %% role="solution" grade_id="verify-messages"
### BEGIN SOLUTION
market_keys = key_table[key_table["market"] != "forum"].set_index("handle")["file"]
verdicts = {}
for path in sorted(evidence.glob("messages/*.txt.asc")):
    handle = path.name.split("_", 1)[1].removesuffix(".txt.asc")
    key = pgp.read_key((evidence / market_keys[handle]).read_text())
    result = pgp.verify_clearsigned(path.read_text(), key)
    verdicts[path.name] = result.valid
    print(path.name, "->", result.reason)
forged = sorted(name for name, good in verdicts.items() if not good)
### END SOLUTION
forged

# %% role="tests" grade_id="verify-messages-test" points=2 needs="key-table verify-messages"
"""verdicts checks each message against the claimed vendor's market key; forged lists failures."""
assert isinstance(verdicts, dict), _("verdicts should be a dictionary: file name -> True/False")
assert sorted(verdicts) == sorted(p.name for p in evidence.glob("messages/*.txt.asc")), _(
    "verdicts should have one entry per signed message, keyed by file name"
)
assert all(v is True or v is False for v in verdicts.values()), _(
    "each verdict should be True or False (use result.valid)"
)
assert isinstance(forged, list) and set(forged) <= set(verdicts), _(
    "forged should be a list of file names from verdicts"
)
assert forged == sorted(n for n, good in verdicts.items() if not good), _(
    "forged should list, sorted, the messages whose verdict is False"
)
hand_in([verdicts, forged])

# %% [markdown]
# ## Task 15 · Read the message for the seized key (1 point)
#
# `messages/encrypted_01.msg.asc` is encrypted. The suspect's laptop held an **unprotected
# secret key** in `seized/keys/`. Read it with `pgp.read_secret_key(...)` into `seized_key`,
# decrypt the message with `pgp.decrypt(message_text, seized_key)` and store the plain text
# (a `str`) in `secret_message`.
#
# *Hint:* `sorted(evidence.glob("seized/keys/*.asc"))[0]` finds the key file;
# `pgp.decrypt` returns bytes: `.decode("utf-8")` makes text.

# %% role="solution" grade_id="decrypt-message"
### BEGIN SOLUTION
seized_key = pgp.read_secret_key(sorted(evidence.glob("seized/keys/*.asc"))[0].read_text())
message_text = (evidence / "messages" / "encrypted_01.msg.asc").read_text()
secret_message = pgp.decrypt(message_text, seized_key).decode("utf-8")
### END SOLUTION
print(secret_message)

# %% role="tests" grade_id="decrypt-message-test" points=1 needs="decrypt-message"
"""secret_message is the plain text of the message encrypted to the seized key."""
assert isinstance(seized_key, pgp.SecretKey), _("seized_key should come from pgp.read_secret_key")
assert isinstance(secret_message, str), _("secret_message should be text: .decode('utf-8')")
assert "BEGIN PGP" not in secret_message, _("decrypt the message, do not just read the file")
hand_in(secret_message)

# %% [markdown]
# ## Part 6 · Linking vendor accounts by their keys
#
# A vendor who moves between markets often keeps the same key, because buyers trust it. The
# same **fingerprint** under different handles links the accounts.
#
# ## Task 16 · Account to vendor (1 point)
#
# Make a DataFrame `accounts` from `key_table` with the columns `market`, `handle`,
# `fingerprint` and a new column `vendor`: for every row, the alphabetically first `handle` among
# all rows with the **same fingerprint** (whether capital letters sort first, as `min` does, or
# not, does not matter). Rows with the same vendor are then accounts linked by
# one key.
#
# *Hint:* `key_table.groupby("fingerprint")["handle"].transform("min")` gives, on every row, the
# smallest handle of its fingerprint group. Which column you group by is the whole question.

# %% role="solution" grade_id="link-accounts"
### BEGIN SOLUTION
accounts = key_table[["market", "handle", "fingerprint"]].copy()
accounts["vendor"] = key_table.groupby("fingerprint")["handle"].transform("min")
### END SOLUTION
accounts.sort_values(["vendor", "market"])

# %% role="tests" grade_id="link-accounts-test" points=1 needs="key-table link-accounts"
"""accounts names one vendor per fingerprint: linked accounts share a key, nothing else."""
assert isinstance(accounts, pd.DataFrame), _("accounts should be a DataFrame")
assert {"market", "handle", "fingerprint", "vendor"} <= set(accounts.columns), _(
    "accounts needs the columns market, handle, fingerprint and vendor"
)
assert len(accounts) == len(key_table), _("accounts should have one row per key file")
hand_in(accounts)

# %% [markdown]
# ## Task 17 · The suspect's accounts (1 point)
#
# The seized secret key belongs to the suspect. Store in `suspect_accounts` the sorted list of
# `"market/handle"` texts of every account whose published key has the **same fingerprint** as
# `seized_key`.
#
# *Hint:* `accounts.loc[accounts["fingerprint"].str.upper() == seized_key.fingerprint.upper()]`
# selects the rows (`.upper()` on both sides: hex digits may be written in either case);
# `market + "/" + handle` joins two text columns.

# %% role="solution" grade_id="suspect-accounts"
### BEGIN SOLUTION
mine = accounts.loc[accounts["fingerprint"].str.upper() == seized_key.fingerprint.upper()]
suspect_accounts = sorted(mine["market"] + "/" + mine["handle"])
### END SOLUTION
suspect_accounts

# %% role="tests" grade_id="suspect-accounts-test" points=1 needs="key-table decrypt-message link-accounts suspect-accounts"
"""suspect_accounts lists every market account published with the seized key."""
assert isinstance(suspect_accounts, list) and suspect_accounts, _(
    "suspect_accounts should be a non-empty list such as ['market/handle']"
)
assert all(isinstance(a, str) and a.count("/") == 1 for a in suspect_accounts), _(
    "write each account as 'market/handle'"
)
assert suspect_accounts == sorted(suspect_accounts), _("sort the list")
hand_in(suspect_accounts)

# %% [markdown]
# ## Task 18 · In your own words (3 points, marked by your instructor)
#
# Your report says the accounts in `suspect_accounts` are "the same vendor" because they publish
# the same PGP key. In four to six sentences for a prosecutor: what does a shared key
# fingerprint show, what does it **not** prove, and what would you look for to strengthen
# or weaken the link? Mention the forum key of Task 13 and the forged messages of Task 14.

# %% [markdown] role="answer" grade_id="shared-key-meaning" points=3
# A shared fingerprint shows that the same key pair was published by all these accounts, and a
# valid signature shows the text was signed by whoever holds its private key: the accounts are
# controlled by the holder(s) of one private key, which strongly links them. It does not prove who
# that person is, that only one person holds the key (a team or a successor may share it), or
# that an account owner wrote every post: anyone can copy a public key onto a page or put a
# vendor's name in a user ID, and short key IDs can be made to collide, as the forum key of Task
# 13 shows; only a valid signature by the full fingerprint counts, which exposed the forged
# messages of Task 14. Here the secret key on the seized laptop ties the suspect's device to the
# key; to strengthen the link I would look for signatures made with it, matching bitcoin
# addresses, writing style, and timing; an older public copy of the key elsewhere, or other
# people with access to the laptop, would weaken it.

# %% [markdown]
# ## Key points
#
# - Base64, hex and URL encoding are **not** encryption: no key, anyone decodes them.
# - Hash evidence with **SHA-256**; MD5 collisions are made on purpose. One changed bit changes
#   about half of the digest's bits.
# - Passwords and PINs are stored as **salted, slow hashes**; short PINs still fall to trying all
#   of them, long passphrases do not.
# - **AES-GCM** needs the key to decrypt and refuses tampered data (`InvalidTag`).
# - Public-key crypto: encrypt to the public key, sign with the private key; security rests on
#   key size, which is why small keys fall.
# - Identify PGP keys by the **full fingerprint**, never by a short ID or a user-ID name; check
#   a signature against the key the vendor published.
# - A shared key links accounts to one key holder, not to a person: corroborate.
