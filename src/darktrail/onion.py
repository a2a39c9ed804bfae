"""Tor v3 onion addresses: build, parse and validate them, and make vanity (lookalike) keys.

A v3 onion address is the service's ed25519 public key, written in base32 with a checksum
and a version byte (rend-spec-v3, "Encoding onion addresses [ONIONADDRESS]")::

    onion_address = base32(PUBKEY | CHECKSUM | VERSION) + ".onion"
    CHECKSUM = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2]
    VERSION = 0x03

That is 56 base32 characters, 62 with the ".onion" suffix. The old 16-character v2 addresses
(SHA-1 of an RSA key, no checksum) were retired by Tor in 2021 and no longer resolve.

The checksum catches typos, not fraud: a phishing mirror is a *valid* address whose first
characters were brute-forced to match the real one ("vanity" address). Only a signed mirror
list tells the two apart.
"""

from __future__ import annotations

import base64
import hashlib
import random
from functools import lru_cache
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = [
    "ONION_V3_LENGTH",
    "OnionAddress",
    "address_from_pubkey",
    "checksum",
    "expected_vanity_tries",
    "is_valid",
    "keypair_from_seed",
    "lookalike_pubkey",
    "parse",
    "vanity_keypair",
]

#: Length of a v3 onion address without the ".onion" suffix.
ONION_V3_LENGTH = 56
_ONION_V2_LENGTH = 16
_VERSION = 3
_CHECKSUM_PREFIX = b".onion checksum"
_BASE32_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz234567")


class OnionAddress(NamedTuple):
    """The three fields packed into a v3 onion address."""

    version: int
    pubkey: bytes
    checksum: bytes


def checksum(pubkey: bytes, version: int = _VERSION) -> bytes:
    """Return the 2-byte checksum that an onion address carries for ``pubkey``.

    Parameters
    ----------
    pubkey : bytes
        The 32-byte ed25519 public key of the onion service.
    version : int, default 3
        The address version byte.

    Returns
    -------
    bytes
        ``SHA3-256(".onion checksum" | pubkey | version)[:2]``.

    Examples
    --------
    >>> checksum(bytes.fromhex(
    ...     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")).hex()
    'bec9'
    """
    _check_pubkey_length(pubkey)
    digest = hashlib.sha3_256(_CHECKSUM_PREFIX + bytes(pubkey) + bytes([version])).digest()
    return digest[:2]


def address_from_pubkey(pubkey: bytes) -> str:
    """Return the v3 onion address (with ".onion") of an ed25519 public key.

    Parameters
    ----------
    pubkey : bytes
        The 32-byte ed25519 public key of the onion service.

    Returns
    -------
    str
        62 characters: 56 lower-case base32 characters and ".onion".

    Examples
    --------
    >>> address_from_pubkey(bytes.fromhex(
    ...     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
    '25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion'
    """
    _check_pubkey_length(pubkey)
    raw = bytes(pubkey) + checksum(pubkey) + bytes([_VERSION])
    return base64.b32encode(raw).decode("ascii").lower() + ".onion"


def parse(address: str) -> OnionAddress:
    """Split a v3 onion address into version, public key and checksum, validating all three.

    Accepts what Tor accepts: with or without the ".onion" suffix, any letter case, and
    a leading subdomain ("www.<address>.onion" names the same service).

    Parameters
    ----------
    address : str
        The onion address as found in the evidence.

    Returns
    -------
    OnionAddress
        ``(version, pubkey, checksum)``.

    Raises
    ------
    ValueError
        If the address is a retired v2 address, has a bad length, is not base32, names an
        unknown version, fails its checksum, or holds a key that is not a valid ed25519 point
        of prime order. The message says which, and quotes the address.

    Notes
    -----
    Beyond length, base32, version and checksum, the public key is decoded as an ed25519
    point and must (a) be on the curve with a canonical y coordinate, (b) not be the neutral
    element, and (c) have no torsion component, i.e. ``L * P`` is the neutral element where
    ``L`` is the order of the prime subgroup. rend-spec-v3 section 2.2.7 asks clients for (c),
    because a key with a torsion component gives one service several addresses. The check
    costs about a millisecond (pure-Python scalar multiplication).

    Examples
    --------
    >>> a = parse("www.25NJQAMCWEFLPVKL73J4SZAHHIHOC4XT3KTCGJNPAINGR5YHKENL5SID.onion")
    >>> a.version, a.pubkey.hex()[:8], a.checksum.hex()
    (3, 'd75a9801', 'bec9')
    >>> parse("expyuzz4wqqyqhjn")
    Traceback (most recent call last):
    ...
    ValueError: 'expyuzz4wqqyqhjn': retired v2 onion address (16 characters, retired by Tor in 2021)
    """
    if not isinstance(address, str):
        raise ValueError(f"onion address must be a string, got {type(address).__name__}")
    if "/" in address or ":" in address:
        raise ValueError(
            f"{address!r}: looks like a URL, not an onion address: pass the host name only "
            "(urllib.parse.urlsplit(url).hostname)"
        )
    label = _service_label(address)
    if len(label) == _ONION_V2_LENGTH and set(label) <= _BASE32_ALPHABET:
        raise ValueError(
            f"{address!r}: retired v2 onion address (16 characters, retired by Tor in 2021)"
        )
    if len(label) != ONION_V3_LENGTH:
        raise ValueError(
            f"{address!r}: bad length: a v3 onion address has {ONION_V3_LENGTH} base32 "
            f"characters before '.onion', this one has {len(label)}"
        )
    bad = sorted(set(label) - _BASE32_ALPHABET)
    if bad:
        raise ValueError(
            f"{address!r}: not base32: characters {''.join(bad)!r} are not in a-z, 2-7"
        )
    raw = base64.b32decode(label.upper())
    pubkey, check, version = raw[:32], raw[32:34], raw[34]
    # Checksum first: a typo in the last character changes the version byte, and should
    # read as a typo rather than as a new kind of address.
    if check != checksum(pubkey, version):
        raise ValueError(f"{address!r}: bad checksum (a typo, or a made-up address)")
    if version != _VERSION:
        raise ValueError(f"{address!r}: unknown version {version} (only version 3 exists)")
    problem = _ed25519_problem(bytes(pubkey))
    if problem:
        raise ValueError(f"{address!r}: not a valid ed25519 public key: {problem}")
    return OnionAddress(version, pubkey, check)


def is_valid(address: str) -> bool:
    """Return True if ``address`` is a well-formed v3 onion address (see :func:`parse`).

    Examples
    --------
    >>> is_valid("25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion")
    True
    >>> is_valid("25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sie.onion")
    False
    """
    try:
        parse(address)
    except ValueError:
        return False
    return True


def keypair_from_seed(seed: bytes) -> tuple[bytes, bytes]:
    """Return ``(seed, public_key)`` for a 32-byte ed25519 seed (RFC 8032 private key).

    Examples
    --------
    >>> seed = bytes.fromhex(
    ...     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    >>> keypair_from_seed(seed)[1].hex()
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
    """
    if not isinstance(seed, (bytes, bytearray)) or len(seed) != 32:
        raise ValueError("an ed25519 seed is exactly 32 bytes")
    seed = bytes(seed)
    return seed, Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def expected_vanity_tries(n_chars: int) -> int:
    """Return the expected number of keys to try for an ``n_chars``-character vanity prefix.

    Each base32 character carries 5 bits, so the expected number is ``32 ** n_chars``.

    Examples
    --------
    >>> expected_vanity_tries(4)
    1048576
    """
    if n_chars < 0:
        raise ValueError("a prefix length cannot be negative")
    return 32**n_chars


def vanity_keypair(
    prefix: str, rng: random.Random, max_tries: int = 1_000_000
) -> tuple[bytes, bytes]:
    """Brute-force an ed25519 key whose onion address starts with ``prefix``.

    This is what a phishing operator does with tools such as mkp224o: generate keys until
    the address looks like the real mirror's. The search is deterministic for a given
    ``rng`` state.

    Parameters
    ----------
    prefix : str
        Base32 characters (a-z, 2-7) the address must start with.
    rng : random.Random
        Source of the starting seed; candidate seeds are that seed plus a counter.
    max_tries : int, default 1_000_000
        Give up after this many keys.

    Returns
    -------
    tuple of bytes
        ``(seed, public_key)``, as :func:`keypair_from_seed` returns.

    Raises
    ------
    ValueError
        If ``prefix`` is not base32, or no key was found within ``max_tries``.

    Notes
    -----
    Expected cost is :func:`expected_vanity_tries` keys: 32 for one character, 1 024 for
    two, 32 768 for three, about a million for four. Key generation runs in OpenSSL through
    ``cryptography`` at about 16 000 keys/second on one core of the lab machine, so two
    characters take under 0.1 s, three about 2 s, four about a minute. When no one needs
    the private key (a lookalike address in synthetic evidence), :func:`lookalike_pubkey`
    makes an address with any prefix in milliseconds.

    Examples
    --------
    >>> seed, pub = vanity_keypair("ab", random.Random(7))
    >>> address_from_pubkey(pub)[:2]
    'ab'
    """
    prefix = _check_prefix(prefix)
    nbits = 5 * len(prefix)
    nbytes = (nbits + 7) // 8
    shift = 8 * nbytes - nbits
    target = _prefix_bits(prefix)
    start = rng.getrandbits(256)
    make_key = Ed25519PrivateKey.from_private_bytes
    for i in range(max_tries):
        seed = ((start + i) & _MASK_256).to_bytes(32, "little")
        pub = make_key(seed).public_key().public_bytes_raw()
        if int.from_bytes(pub[:nbytes], "big") >> shift == target:
            return seed, pub
    raise ValueError(
        f"no key with onion prefix {prefix!r} in {max_tries} tries "
        f"(expected about {expected_vanity_tries(len(prefix))})"
    )


def lookalike_pubkey(prefix: str, rng: random.Random, max_tries: int = 10_000) -> bytes:
    """Return a valid ed25519 public key whose onion address starts with ``prefix``.

    Instead of searching private keys, this picks the public key directly: its first
    ``5 * len(prefix)`` bits are the prefix, the rest come from ``rng``, and candidates are
    kept only if they are a valid point of prime order (about 1 in 16 is). The result passes
    every check :func:`parse` (and Tor) makes, and is distributed like a brute-forced vanity
    key, but nobody knows its private key: use it for lookalike mirrors in synthetic
    evidence, not for anything that must sign.

    Parameters
    ----------
    prefix : str
        Base32 characters (a-z, 2-7), at most 50.
    rng : random.Random
        Source of the remaining bits.
    max_tries : int, default 10_000
        Give up after this many candidate points (the expected number is about 16).

    Returns
    -------
    bytes
        The 32-byte public key.

    Notes
    -----
    Cost does not grow with the prefix: about 16 candidates, half needing a square root and
    an eighth of those a prime-order check; typically 5-20 ms in total.

    Examples
    --------
    >>> pub = lookalike_pubkey("dread", random.Random(1))
    >>> address = address_from_pubkey(pub)
    >>> address[:5], is_valid(address)
    ('dread', True)
    """
    prefix = _check_prefix(prefix)
    if len(prefix) > 50:
        raise ValueError("a lookalike prefix can have at most 50 characters")
    nbits = 5 * len(prefix)
    # The address reads the key's bytes in order, most significant bit first.
    fixed = _prefix_bits(prefix) << (256 - nbits) if nbits else 0
    for _ in range(max_tries):
        free = rng.getrandbits(256 - nbits) if nbits < 256 else 0
        pub = (fixed | free).to_bytes(32, "big")
        if not _ed25519_problem(pub):
            return pub
    raise ValueError(f"no lookalike key for prefix {prefix!r} in {max_tries} tries")


# --- helpers ----------------------------------------------------------------------------

_MASK_256 = (1 << 256) - 1


def _check_pubkey_length(pubkey: bytes) -> None:
    if not isinstance(pubkey, (bytes, bytearray)) or len(pubkey) != 32:
        raise ValueError("an ed25519 public key is exactly 32 bytes")


def _check_prefix(prefix: str) -> str:
    prefix = prefix.lower()
    bad = sorted(set(prefix) - _BASE32_ALPHABET)
    if bad:
        raise ValueError(
            f"vanity prefix {prefix!r} cannot occur in an onion address: "
            f"{''.join(bad)!r} not in a-z, 2-7"
        )
    return prefix


def _prefix_bits(prefix: str) -> int:
    """The prefix as an integer of ``5 * len(prefix)`` bits."""
    value = 0
    for char in prefix:
        value = (value << 5) | "abcdefghijklmnopqrstuvwxyz234567".index(char)
    return value


def _service_label(address: str) -> str:
    """The label that names the service: last label before ".onion", lower-cased."""
    name = address.strip().lower().rstrip(".")
    if name.endswith(".onion"):
        name = name[: -len(".onion")]
    return name.rsplit(".", 1)[-1]


# --- ed25519 point checks (RFC 8032 section 5.1.3) --------------------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _decode_point(pub: bytes) -> tuple[int, int] | None:
    """Affine (x, y) of an encoded point, or None if it is not on the curve or not canonical."""
    value = int.from_bytes(pub, "little")
    sign, y = value >> 255, value & ((1 << 255) - 1)
    if y >= _P:
        return None
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    v3 = v * v * v % _P
    x = u * v3 * pow(u * v3 * v3 * v % _P, (_P - 5) // 8, _P) % _P
    vxx = v * x * x % _P
    if vxx == u:
        pass
    elif vxx == (-u) % _P:
        x = x * _SQRT_M1 % _P
    else:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _P - x
    return x, y


def _scalar_mult_is_neutral(scalar: int, x: int, y: int) -> bool:
    """True if ``scalar * (x, y)`` is the neutral element, in extended coordinates."""
    d2 = 2 * _D % _P
    px, py, pz, pt = x, y, 1, x * y % _P
    qx, qy, qz, qt = 0, 1, 1, 0  # neutral element
    for bit in bin(scalar)[2:]:
        # q = 2q (RFC 8032 doubling formula)
        a = qx * qx % _P
        b = qy * qy % _P
        c = 2 * qz * qz % _P
        h = a + b
        e = (h - (qx + qy) * (qx + qy)) % _P
        g = a - b
        f = c + g
        qx, qy, qz, qt = e * f % _P, g * h % _P, f * g % _P, e * h % _P
        if bit == "1":
            # q = q + p (RFC 8032 addition formula)
            a = (qy - qx) * (py - px) % _P
            b = (qy + qx) * (py + px) % _P
            c = qt * d2 * pt % _P
            dd = 2 * qz * pz % _P
            e, f, g, h = b - a, dd - c, dd + c, b + a
            qx, qy, qz, qt = e * f % _P, g * h % _P, f * g % _P, e * h % _P
    return qx % _P == 0 and (qy - qz) % _P == 0


@lru_cache(maxsize=4096)
def _ed25519_problem(pub: bytes) -> str | None:
    """Why ``pub`` is not an acceptable onion service key, or None if it is."""
    point = _decode_point(pub)
    if point is None:
        return "not a point on the curve"
    x, y = point
    if x == 0 and y == 1:
        return "the neutral element"
    if not _scalar_mult_is_neutral(_L, x, y):
        return "has a torsion component (not in the prime-order subgroup)"
    return None
