"""Make the fixed phone exhibits of 03-encryption (run once; paste the output into the notebook).

The exhibits are the same for every trainee; the graded functions are tested on each trainee's
own evidence by the hidden tests. Run: ``.venv/bin/python exercises/03-encryption/instructor/make_exhibits.py``
"""

import base64
import hashlib
import random
import urllib.parse

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

rng = random.Random(20200303)

# Layered encoding: URL encoding, then hex, then base64 (decode in the reverse order).
vault_key = rng.randbytes(32)
clipboard = f"StashNotes backup key: {vault_key.hex()}"
layered = base64.b64encode(urllib.parse.quote(clipboard).encode().hex().encode()).decode()

# The app's sealed note: nonce (12 bytes) + AES-256-GCM ciphertext and tag.
note = (
    "Drop list 20.02: twelve spots, north side. Photos go to the courier, not to the market. "
    "Cash desk on Tuesday 14:00, usual place."
)
nonce = rng.randbytes(12)
sealed = nonce + AESGCM(vault_key).encrypt(nonce, note.encode(), None)

# The wallet app's PIN: PBKDF2-HMAC-SHA256 with a salt and few iterations.
pin = "2718"
salt = rng.randbytes(16)
pin_hash = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, 100)


def is_prime(n: int) -> bool:
    return n > 1 and all(n % f for f in range(2, int(n**0.5) + 1))


def prime_near(x: int) -> int:
    while not is_prime(x):
        x += 1
    return x


# A toy RSA key a vendor might brag about: two primes near 2**20, e = 65537.
p, q = prime_near(rng.randrange(600_000, 800_000)), prime_near(rng.randrange(800_000, 1_000_000))
e = 65537
phi = (p - 1) * (q - 1)
assert phi % e
d = pow(e, -1, phi)
message = int.from_bytes(b"K-17", "big")
cipher = pow(message, e, p * q)

print(f"phone_clipboard = {layered!r}")
print(f"vault_note = bytes.fromhex({sealed.hex()!r})")
print(f"pin_salt = bytes.fromhex({salt.hex()!r})")
print(f"pin_hash = bytes.fromhex({pin_hash.hex()!r})")
print(f"vendor_n, vendor_e = {p * q}, {e}")
print(f"intercepted = {cipher}")
print(f"# answers: key {vault_key.hex()}, pin {pin}, p {p}, q {q}, d {d}")
