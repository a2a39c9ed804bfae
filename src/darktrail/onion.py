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

What is here:

* read addresses: :func:`parse`, :func:`is_valid`, :func:`find_onions`;
* build them: :func:`address_from_pubkey`, :func:`checksum`, :func:`keypair_from_seed`;
* seized servers: :func:`hidden_service_files`, :func:`address_from_secret_key_file`,
  :func:`expanded_secret_key`, :func:`pubkey_from_expanded_key`;
* phishing mirrors: :func:`vanity_keypair`, :func:`vanity_expanded_keypair`,
  :func:`lookalike_pubkey`, :func:`expected_vanity_tries`.

The ed25519 point checks and the vanity search are pure Python; key derivation from a seed
uses ``cryptography``.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
from functools import lru_cache
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = [
    "ONION_V3_LENGTH",
    "OnionAddress",
    "address_from_pubkey",
    "address_from_secret_key_file",
    "checksum",
    "expanded_secret_key",
    "expected_vanity_tries",
    "find_onions",
    "hidden_service_files",
    "is_valid",
    "keypair_from_seed",
    "lookalike_pubkey",
    "parse",
    "pubkey_from_expanded_key",
    "vanity_expanded_keypair",
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
    is a pure-Python scalar multiplication, about 3 ms per new key; results are cached.

    Examples
    --------
    >>> a = parse("www.25NJQAMCWEFLPVKL73J4SZAHHIHOC4XT3KTCGJNPAINGR5YHKENL5SID.onion")
    >>> a.version, a.pubkey.hex()[:8], a.checksum.hex()
    (3, 'd75a9801', 'bec9')
    >>> parse("trailv2xmpl4test")
    Traceback (most recent call last):
    ...
    ValueError: 'trailv2xmpl4test': retired v2 onion address (16 characters, retired by Tor in 2021)
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


_ONION_CANDIDATE = re.compile(r"(?<![a-z2-7])[a-z2-7]{56}(?:\.onion)?(?![a-z0-9])", re.IGNORECASE)


def find_onions(text: str) -> list[str]:
    """Return the valid v3 onion addresses in ``text``, normalised, in order, each once.

    Candidates are 56 base32 characters (with or without ".onion", in URLs or not); only
    those that pass :func:`parse` are kept, written lower case with ".onion".

    Examples
    --------
    >>> find_onions(
    ...     "mirror: http://25NJQAMCWEFLPVKL73J4SZAHHIHOC4XT3KTCGJNPAINGR5YHKENL5SID.onion/login "
    ...     "typo: 25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sie.onion")
    ['25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion']
    """
    found: dict[str, None] = {}
    for match in _ONION_CANDIDATE.finditer(text):
        label = match.group(0).lower().removesuffix(".onion")
        if is_valid(label):
            found.setdefault(label + ".onion", None)
    return list(found)


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
    characters take under 0.1 s, three about 2 s, four about a minute.
    :func:`vanity_expanded_keypair` searches about 5 times faster (Tor's own expanded key
    format, no seed). When no one needs the private key (a lookalike address in synthetic
    evidence), :func:`lookalike_pubkey` makes an address with any prefix in about 25 ms.

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
    Cost does not grow with the prefix: about 16 candidates, each needing a square root,
    and about 8 of them a prime-order check; about 25 ms in total on the lab machine.

    Examples
    --------
    >>> pub = lookalike_pubkey("trail", random.Random(1))
    >>> address = address_from_pubkey(pub)
    >>> address[:5], is_valid(address)
    ('trail', True)
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


def expanded_secret_key(seed: bytes) -> bytes:
    """Return the 64-byte expanded ed25519 secret key that Tor stores for a 32-byte seed.

    RFC 8032 section 5.1.5: ``h = SHA-512(seed)``; the first half, clamped, is the secret
    scalar, the second half the signing nonce prefix. Tor keeps this form (not the seed)
    in the service's ``hs_ed25519_secret_key`` file and in ``ADD_ONION ED25519-V3:`` keys.

    Examples
    --------
    >>> seed = bytes.fromhex(
    ...     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    >>> pubkey_from_expanded_key(expanded_secret_key(seed)) == keypair_from_seed(seed)[1]
    True
    """
    if not isinstance(seed, (bytes, bytearray)) or len(seed) != 32:
        raise ValueError("an ed25519 seed is exactly 32 bytes")
    digest = bytearray(hashlib.sha512(bytes(seed)).digest())
    digest[0] &= 248
    digest[31] &= 127
    digest[31] |= 64
    return bytes(digest)


def pubkey_from_expanded_key(expanded_key: bytes) -> bytes:
    """Return the public key of a 64-byte expanded secret key (pure Python, about 3 ms).

    Examples
    --------
    >>> expanded, pub = vanity_expanded_keypair("a", random.Random(1))
    >>> pubkey_from_expanded_key(expanded) == pub
    True
    """
    scalar = _expanded_scalar(expanded_key)
    return _encode_point(_scalar_mult(scalar, _BASE))


def vanity_expanded_keypair(
    prefix: str, rng: random.Random, max_tries: int = 10_000_000
) -> tuple[bytes, bytes]:
    """Brute-force a key pair whose onion address starts with ``prefix``, the way mkp224o does.

    Instead of hashing a fresh seed per candidate, the search starts from a random secret
    scalar ``a`` with public key ``A = a*B`` and walks ``A + 8k*B`` (secret ``a + 8k``), one
    point addition per candidate. The secret is therefore an expanded key (see
    :func:`expanded_secret_key`), which is exactly what Tor stores, not a seed.

    Parameters
    ----------
    prefix : str
        Base32 characters (a-z, 2-7), at most 49.
    rng : random.Random
        Source of the starting scalar and the nonce prefix.
    max_tries : int, default 10_000_000
        Give up after this many candidates.

    Returns
    -------
    tuple of bytes
        ``(expanded_secret_key, public_key)``: 64 and 32 bytes.

    Raises
    ------
    ValueError
        If ``prefix`` is not base32 or too long, or no key was found within ``max_tries``.

    Notes
    -----
    About 80 000 candidates/second in pure Python on one core of the lab machine (a
    256-bit modular product costs about 0.7 us there; each candidate needs 11), against
    16 000/second for :func:`vanity_keypair`: on average 0.01 s for 2 characters, 0.4 s for
    3, 13 s for 4. For lookalike addresses whose private key nobody needs,
    :func:`lookalike_pubkey` takes about 25 ms whatever the prefix length.

    Examples
    --------
    >>> expanded, pub = vanity_expanded_keypair("dt", random.Random(3))
    >>> address_from_pubkey(pub)[:2], len(expanded)
    ('dt', 64)
    """
    prefix = _check_prefix(prefix)
    if len(prefix) > 49:
        raise ValueError("a vanity prefix can have at most 49 characters")
    nbits = 5 * len(prefix)
    nbytes = (nbits + 7) // 8
    pad = 8 * nbytes - nbits
    # The address reads y's little-endian bytes in order, each most significant bit first.
    target = int.from_bytes((_prefix_bits(prefix) << pad).to_bytes(nbytes, "big"), "little")
    mask = int.from_bytes((((1 << nbits) - 1) << pad).to_bytes(nbytes, "big"), "little")

    start = rng.getrandbits(256)
    start = (start & ~7 & ((1 << 254) - 1)) | (1 << 254)  # RFC 8032 clamping
    nonce_prefix = rng.getrandbits(256).to_bytes(32, "little")
    # 8*B in "Niels" form (y+x, y-x, 2d*x*y), for mixed addition.
    ex, ey, ez, _ = _scalar_mult(8, _BASE)
    ez_inv = pow(ez, _P - 2, _P)
    ex, ey = ex * ez_inv % _P, ey * ez_inv % _P
    step_sum, step_diff, step_t = (ey + ex) % _P, (ey - ex) % _P, _D2 * ex * ey % _P

    x, y, z, t = _scalar_mult(start, _BASE)
    p = _P
    batch = 256
    tried = 0
    while tried < max_tries:
        count = min(batch, max_tries - tried)
        ys, zs = [], []
        for _ in range(count):
            ys.append(y)
            zs.append(z)
            # (x, y, z, t) += 8B, mixed addition (add-2008-hwcd-3 with Z2 = 1): 7 products.
            a = (y - x) * step_diff % p
            b = (y + x) * step_sum % p
            c = t * step_t % p
            d = 2 * z
            e, f, g, h = b - a, d - c, d + c, b + a
            x, y, z, t = e * f % p, g * h % p, f * g % p, e * h % p
        # Montgomery's trick: one inversion for the whole batch.
        running = [1] * count
        acc = 1
        for i, zi in enumerate(zs):
            running[i] = acc
            acc = acc * zi % p
        inv = pow(acc, p - 2, p)
        for i in range(count - 1, -1, -1):
            if (ys[i] * (inv * running[i]) % p) & mask == target:
                scalar = start + 8 * (tried + i)
                if scalar >> 254 != 1:  # overflowed the clamped range; never in practice
                    break
                expanded = scalar.to_bytes(32, "little") + nonce_prefix
                return expanded, pubkey_from_expanded_key(expanded)
            inv = inv * zs[i] % p
        tried += count
    raise ValueError(
        f"no key with onion prefix {prefix!r} in {max_tries} tries "
        f"(expected about {expected_vanity_tries(len(prefix))})"
    )


_SECRET_KEY_HEADER = b"== ed25519v1-secret: type0 ==\x00\x00\x00"
_PUBLIC_KEY_HEADER = b"== ed25519v1-public: type0 ==\x00\x00\x00"


def hidden_service_files(expanded_key: bytes) -> dict[str, bytes]:
    """Return the files Tor keeps in an onion service's directory, as a seized server holds.

    Parameters
    ----------
    expanded_key : bytes
        The 64-byte expanded secret key (see :func:`expanded_secret_key`).

    Returns
    -------
    dict of str to bytes
        ``hostname`` (the address and a newline), ``hs_ed25519_public_key`` and
        ``hs_ed25519_secret_key`` (a 32-byte header, then the key), byte for byte as Tor
        writes them.

    Examples
    --------
    >>> seed = bytes.fromhex(
    ...     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    >>> files = hidden_service_files(expanded_secret_key(seed))
    >>> files["hostname"]
    b'25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion\\n'
    >>> address_from_secret_key_file(files["hs_ed25519_secret_key"])
    '25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion'
    """
    pubkey = pubkey_from_expanded_key(expanded_key)
    return {
        "hostname": (address_from_pubkey(pubkey) + "\n").encode("ascii"),
        "hs_ed25519_public_key": _PUBLIC_KEY_HEADER + pubkey,
        "hs_ed25519_secret_key": _SECRET_KEY_HEADER + bytes(expanded_key),
    }


def address_from_secret_key_file(data: bytes) -> str:
    """Return the onion address that a Tor ``hs_ed25519_secret_key`` file belongs to.

    This is how a seized server is tied to a service: the key file, not the (editable)
    ``hostname`` file, proves which address the server could host.

    Raises
    ------
    ValueError
        If ``data`` is not 96 bytes starting with Tor's ed25519 secret key header.
    """
    if not isinstance(data, (bytes, bytearray)) or len(data) != 96:
        raise ValueError("an hs_ed25519_secret_key file is 96 bytes (32-byte header, 64-byte key)")
    if not bytes(data).startswith(_SECRET_KEY_HEADER):
        raise ValueError("not an hs_ed25519_secret_key file: missing '== ed25519v1-secret' header")
    return address_from_pubkey(pubkey_from_expanded_key(bytes(data[32:])))


# --- helpers ----------------------------------------------------------------------------

_MASK_256 = (1 << 256) - 1


def _expanded_scalar(expanded_key: bytes) -> int:
    if not isinstance(expanded_key, (bytes, bytearray)) or len(expanded_key) != 64:
        raise ValueError("an expanded ed25519 secret key is exactly 64 bytes")
    return int.from_bytes(expanded_key[:32], "little")


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


_D2 = 2 * _D % _P
_NEUTRAL = (0, 1, 1, 0)

# Points below are in extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, x*y = T/Z.


def _point_add(q: tuple[int, int, int, int], p: tuple[int, int, int, int]):
    """q + p (RFC 8032 section 5.1.4 addition formula)."""
    qx, qy, qz, qt = q
    px, py, pz, pt = p
    a = (qy - qx) * (py - px) % _P
    b = (qy + qx) * (py + px) % _P
    c = qt * _D2 * pt % _P
    dd = 2 * qz * pz % _P
    e, f, g, h = b - a, dd - c, dd + c, b + a
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _point_double(q: tuple[int, int, int, int]):
    """2q (RFC 8032 section 5.1.4 doubling formula)."""
    qx, qy, qz, _ = q
    a = qx * qx % _P
    b = qy * qy % _P
    c = 2 * qz * qz % _P
    h = a + b
    e = (h - (qx + qy) * (qx + qy)) % _P
    g = a - b
    f = c + g
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _scalar_mult(scalar: int, point: tuple[int, int, int, int]):
    """scalar * point, double-and-add from the most significant bit."""
    q = _NEUTRAL
    for bit in bin(scalar)[2:]:
        q = _point_double(q)
        if bit == "1":
            q = _point_add(q, point)
    return q


def _is_neutral(point: tuple[int, int, int, int]) -> bool:
    x, y, z, _ = point
    return x % _P == 0 and (y - z) % _P == 0


def _encode_point(point: tuple[int, int, int, int]) -> bytes:
    """RFC 8032 encoding: y little-endian, with the parity of x in the top bit."""
    x, y, z, _ = point
    z_inv = pow(z, _P - 2, _P)
    x, y = x * z_inv % _P, y * z_inv % _P
    return (y | (x & 1) << 255).to_bytes(32, "little")


_BASE_Y = 4 * pow(5, _P - 2, _P) % _P
_BASE_X = _decode_point(_BASE_Y.to_bytes(32, "little"))[0]  # type: ignore[index]
_BASE = (_BASE_X, _BASE_Y, 1, _BASE_X * _BASE_Y % _P)


@lru_cache(maxsize=4096)
def _ed25519_problem(pub: bytes) -> str | None:
    """Why ``pub`` is not an acceptable onion service key, or None if it is."""
    point = _decode_point(pub)
    if point is None:
        return "not a point on the curve"
    x, y = point
    if x == 0 and y == 1:
        return "the neutral element"
    if not _is_neutral(_scalar_mult(_L, (x, y, 1, x * y % _P))):
        return "has a torsion component (not in the prime-order subgroup)"
    return None
