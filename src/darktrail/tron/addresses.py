"""TRON addresses: Base58Check with the 0x41 prefix, the hex and EVM forms, key derivation.

A TRON account address is 21 bytes: the prefix byte ``0x41`` and the last 20 bytes of
``Keccak-256(public key)``, where the public key is the 64-byte ``x | y`` of a secp256k1
point (the same curve and the same 20 bytes as an Ethereum address). It is written three
ways:

* **Base58Check** ``T...`` (34 characters), what wallets, explorers, chat messages and the
  TronGrid ``v1`` API show: ``base58(0x41 | 20 bytes | SHA256(SHA256(21 bytes))[:4])``,
  with Bitcoin's alphabet and checksum;
* **hex** ``41...`` (42 hex digits), what the node's HTTP API (``/wallet/...``) returns in
  ``owner_address`` and ``to_address``;
* **EVM form** ``0x...`` (40 hex digits, the 20 bytes without the prefix), what TRC-20
  contract calls and event logs carry: ``Transfer(address,address,uint256)`` topics hold
  the 20 bytes left-padded to 32.

Keccak-256 is the original Keccak submission (padding byte ``0x01``), not NIST SHA3-256
(padding ``0x06``): ``hashlib.sha3_256`` gives a different digest and a wrong address.
:func:`keccak256` is a plain implementation of Keccak-f[1600] (FIPS 202, section 3), tested
against the published Keccak-256 vectors.

Errors are :class:`TronAddressError`, a ``ValueError`` whose ``reason`` names what is
wrong: ``"bad length"``, ``"invalid character"``, ``"bad checksum"`` or ``"wrong prefix"``.
"""

from __future__ import annotations

import re

from darktrail.addresses import base58check_decode, base58check_encode

__all__ = [
    "PREFIX",
    "TRANSFER_TOPIC",
    "TronAddressError",
    "address_from_private_key",
    "address_from_public_key",
    "decode",
    "decompress_public_key",
    "encode",
    "evm_checksum",
    "find_addresses",
    "from_evm",
    "from_hex",
    "is_valid",
    "keccak256",
    "public_key_from_private",
    "to_evm",
    "to_hex",
]

#: The byte in front of every TRON mainnet account address (hex "41", Base58 "T...").
PREFIX = 0x41

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


class TronAddressError(ValueError):
    """A string is not a TRON address; ``reason`` says why, ``text`` is what was given.

    ``reason`` is one of ``"not a string"``, ``"bad length"``, ``"invalid character"``,
    ``"bad checksum"``, ``"wrong prefix"``.
    """

    def __init__(self, text: object, reason: str, detail: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{text!r}: {reason}: {detail}")


# --------------------------------------------------------------------------- Keccak-256


def _keccak_constants() -> tuple[list[int], list[int]]:
    """Round constants and rotation offsets of Keccak-f[1600], computed as FIPS 202 defines them."""
    rotations = [0] * 25
    x, y = 1, 0
    for t in range(24):  # rho: offsets (t+1)(t+2)/2 along the walk (x, y) -> (y, 2x+3y)
        rotations[x + 5 * y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    lfsr = 1  # iota: rc(t) from the LFSR x^8 + x^6 + x^5 + x^4 + 1
    round_constants = []
    for _ in range(24):
        constant = 0
        for j in range(7):
            if lfsr & 1:
                constant |= 1 << ((1 << j) - 1)
            lfsr = ((lfsr << 1) ^ (0x71 if lfsr & 0x80 else 0)) & 0xFF
        round_constants.append(constant)
    return round_constants, rotations


_ROUND_CONSTANTS, _ROTATIONS = _keccak_constants()
_M64 = (1 << 64) - 1


def _rotate(lane: int, r: int) -> int:
    return ((lane << r) | (lane >> (64 - r))) & _M64


def _keccak_f(lanes: list[int]) -> list[int]:
    a = lanes
    for constant in _ROUND_CONSTANTS:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotate(c[(x + 1) % 5], 1) for x in range(5)]
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                lane, r = a[x + 5 * y] ^ d[x], _ROTATIONS[x + 5 * y]
                b[y + 5 * ((2 * x + 3 * y) % 5)] = _rotate(lane, r)
        a = [b[i] ^ (~b[(i + 1) % 5 + i - i % 5] & b[(i + 2) % 5 + i - i % 5]) for i in range(25)]
        a[0] ^= constant
    return a


def _sponge(data: bytes, rate: int, pad: int, size: int) -> bytes:
    message = bytearray(data)
    message.append(pad)
    message.extend(b"\x00" * (-len(message) % rate))
    message[-1] |= 0x80
    lanes = [0] * 25
    for offset in range(0, len(message), rate):
        block = message[offset : offset + rate]
        for i in range(rate // 8):
            lanes[i] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        lanes = _keccak_f(lanes)
    return b"".join(lane.to_bytes(8, "little") for lane in lanes)[:size]


def keccak256(data: bytes) -> bytes:
    """Return the Keccak-256 digest of ``data`` (Ethereum's and TRON's hash, not SHA3-256).

    Parameters
    ----------
    data : bytes
        The message.

    Returns
    -------
    bytes
        The 32-byte digest.

    Notes
    -----
    Keccak-256 and NIST SHA3-256 share the permutation and the rate (136 bytes) and differ
    only in the padding byte (``0x01`` against ``0x06``), so their digests differ for every
    input. Python's ``hashlib.sha3_256`` is SHA3-256.

    Examples
    --------
    >>> keccak256(b"").hex()
    'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
    >>> import hashlib
    >>> keccak256(b"").hex() == hashlib.sha3_256(b"").hexdigest()
    False
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"keccak256 needs bytes, got {type(data).__name__}")
    return _sponge(bytes(data), 136, 0x01, 32)


#: Topic 0 of a TRC-20 (and ERC-20) ``Transfer`` event: Keccak-256 of its signature.
TRANSFER_TOPIC = keccak256(b"Transfer(address,address,uint256)").hex()


# --------------------------------------------------------------------------- secp256k1

# SEC 2, section 2.4.1: y^2 = x^3 + 7 over F_p, base point G of order N.
_P = 2**256 - 2**32 - 977
_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)


# Points in Jacobian coordinates (X, Y, Z) stand for (X / Z^2, Y / Z^3): adding and doubling
# need no modular inverse, and one inverse at the end returns to (x, y).
_Jacobian = tuple[int, int, int]
_INFINITY: _Jacobian = (0, 1, 0)


def _double(p: _Jacobian) -> _Jacobian:
    x, y, z = p
    if not y or not z:
        return _INFINITY
    yy = y * y % _P
    s = 4 * x * yy % _P
    m = 3 * x * x % _P  # the curve's a is 0
    x3 = (m * m - 2 * s) % _P
    return x3, (m * (s - x3) - 8 * yy * yy) % _P, 2 * y * z % _P


def _add(p: _Jacobian, q: _Jacobian) -> _Jacobian:
    if not p[2]:
        return q
    if not q[2]:
        return p
    z1z1, z2z2 = p[2] * p[2] % _P, q[2] * q[2] % _P
    u1, u2 = p[0] * z2z2 % _P, q[0] * z1z1 % _P
    s1, s2 = p[1] * z2z2 * q[2] % _P, q[1] * z1z1 * p[2] % _P
    if u1 == u2:
        return _double(p) if s1 == s2 else _INFINITY
    h, r = (u2 - u1) % _P, (s2 - s1) % _P
    hh = h * h % _P
    hhh, v = h * hh % _P, u1 * hh % _P
    x3 = (r * r - hhh - 2 * v) % _P
    return x3, (r * (v - x3) - s1 * hhh) % _P, h * p[2] * q[2] % _P


def _scalar_mult(k: int, point: tuple[int, int]) -> tuple[int, int]:
    result, addend = _INFINITY, (point[0], point[1], 1)
    while k:
        if k & 1:
            result = _add(result, addend)
        addend = _double(addend)
        k >>= 1
    x, y, z = result
    if not z:
        raise ValueError("the point at infinity has no public key")
    z_inverse = pow(z, -1, _P)
    zz = z_inverse * z_inverse % _P
    return x * zz % _P, y * zz * z_inverse % _P


def _on_curve(x: int, y: int) -> bool:
    return x < _P and y < _P and (y * y - x * x * x - 7) % _P == 0


def public_key_from_private(private_key: bytes | int, *, compressed: bool = False) -> bytes:
    """Return the secp256k1 public key of a private key.

    Parameters
    ----------
    private_key : bytes or int
        32 bytes (big-endian) or an integer, in ``1 .. n-1``.
    compressed : bool, default False
        Return the 33-byte compressed form (``02``/``03`` and x) instead of the 65-byte
        uncompressed form (``04``, x, y).

    Returns
    -------
    bytes
        The public key.

    Raises
    ------
    ValueError
        If the key is not 32 bytes or is outside ``1 .. n-1``.

    Examples
    --------
    >>> public_key_from_private(1, compressed=True).hex()
    '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'
    """
    if isinstance(private_key, (bytes, bytearray)):
        if len(private_key) != 32:
            raise ValueError(f"a private key is 32 bytes, got {len(private_key)}")
        k = int.from_bytes(private_key, "big")
    elif isinstance(private_key, int) and not isinstance(private_key, bool):
        k = private_key
    else:
        raise ValueError(f"a private key is 32 bytes or an int, got {type(private_key).__name__}")
    if not 1 <= k < _N:
        raise ValueError("private key out of range: it must be between 1 and n-1 (SEC 2)")
    x, y = _scalar_mult(k, _G)
    if compressed:
        return bytes([2 + (y & 1)]) + x.to_bytes(32, "big")
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def decompress_public_key(public_key: bytes) -> bytes:
    """Return the 65-byte uncompressed form of a 33-byte compressed secp256k1 public key.

    The prefix ``02`` or ``03`` says whether y is even or odd; y is the square root of
    ``x^3 + 7`` modulo p, which is ``(x^3 + 7)^((p+1)/4)`` because ``p = 3 (mod 4)``.

    Parameters
    ----------
    public_key : bytes
        ``02`` or ``03`` followed by the 32-byte x coordinate.

    Returns
    -------
    bytes
        ``04 | x | y``.

    Raises
    ------
    ValueError
        If the key is not 33 bytes, has another prefix, or x is not on the curve.

    Examples
    --------
    >>> decompress_public_key(bytes.fromhex(
    ...     "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))[33:].hex()
    '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'
    """
    if len(public_key) != 33 or public_key[0] not in (2, 3):
        raise ValueError(
            f"a compressed public key is 33 bytes starting 02 or 03, got {len(public_key)} "
            f"byte(s) starting {public_key[:1].hex() or 'nothing'}"
        )
    x = int.from_bytes(public_key[1:], "big")
    y_squared = (pow(x, 3, _P) + 7) % _P
    y = pow(y_squared, (_P + 1) // 4, _P)
    if x >= _P or y * y % _P != y_squared:
        raise ValueError(f"public key {public_key.hex()}: x is not on the secp256k1 curve")
    if y & 1 != public_key[0] & 1:
        y = _P - y
    return b"\x04" + public_key[1:] + y.to_bytes(32, "big")


def _uncompressed_xy(public_key: bytes) -> bytes:
    """Return the 64 bytes ``x | y`` of a public key given in any of its three forms."""
    key = bytes(public_key)
    if len(key) == 33:
        key = decompress_public_key(key)
    if len(key) == 65:
        if key[0] != 4:
            raise ValueError(
                f"a 65-byte public key starts with 04 (uncompressed), got {key[:1].hex()}"
            )
        key = key[1:]
    if len(key) != 64:
        raise ValueError(
            f"a public key is 33 (compressed), 64 (x | y) or 65 (04 | x | y) bytes, got {len(key)}"
        )
    if not _on_curve(int.from_bytes(key[:32], "big"), int.from_bytes(key[32:], "big")):
        raise ValueError(f"public key {key.hex()}: the point is not on the secp256k1 curve")
    return key


def address_from_public_key(public_key: bytes) -> str:
    """Return the TRON address (``T...``) of a secp256k1 public key.

    Parameters
    ----------
    public_key : bytes
        Uncompressed (65 bytes ``04 | x | y``, or the 64 bytes ``x | y`` as TRON tools print
        them) or compressed (33 bytes, decompressed first).

    Returns
    -------
    str
        ``Base58Check(0x41 | Keccak-256(x | y)[12:])``.

    Raises
    ------
    ValueError
        If the key has another length or prefix, or is not a point on the curve.

    Examples
    --------
    The public key of private key 1 is the curve's base point G:

    >>> address_from_public_key(public_key_from_private(1, compressed=True))
    'TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC'
    """
    return encode(keccak256(_uncompressed_xy(public_key))[12:])


def address_from_private_key(private_key: bytes | int) -> str:
    """Return the TRON address of a private key (see :func:`address_from_public_key`).

    Examples
    --------
    >>> address_from_private_key(1)
    'TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC'
    """
    return address_from_public_key(public_key_from_private(private_key))


# --------------------------------------------------------------------------- encodings


def encode(payload: bytes) -> str:
    """Return the Base58Check address (``T...``) of 20 address bytes, or of 21 with the prefix.

    Raises
    ------
    ValueError
        If ``payload`` is neither 20 bytes nor 21 bytes starting with 0x41.

    Examples
    --------
    >>> encode(bytes.fromhex("41a614f803b6fd780986a42c78ec9c7f77e6ded13c"))
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'
    """
    raw = bytes(payload)
    if len(raw) == 20:
        raw = bytes([PREFIX]) + raw
    if len(raw) != 21 or raw[0] != PREFIX:
        raise ValueError(
            f"a TRON address encodes 20 bytes, or 21 starting 0x41; got {len(raw)} byte(s)"
            + (f" starting 0x{raw[0]:02x}" if raw else "")
        )
    return base58check_encode(raw)


def decode(address: str) -> bytes:
    """Check a Base58Check TRON address and return its 21 bytes (0x41 and the 20-byte hash).

    The checks run in this order, and the first that fails names the reason: a string of
    34 characters (``"bad length"``), only Base58 characters (``"invalid character"``), the
    4-byte double-SHA256 checksum (``"bad checksum"``), the prefix byte 0x41
    (``"wrong prefix"``). Whitespace around the address is ignored.

    Parameters
    ----------
    address : str
        A ``T...`` address.

    Returns
    -------
    bytes
        21 bytes.

    Raises
    ------
    TronAddressError
        With ``reason`` set to the check that failed.

    Examples
    --------
    >>> decode("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").hex()
    '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'
    >>> try:
    ...     decode("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u")  # last character mistyped
    ... except TronAddressError as error:
    ...     print(error.reason)
    bad checksum
    """
    if not isinstance(address, str):
        raise TronAddressError(address, "not a string", f"got {type(address).__name__}")
    text = address.strip()
    if len(text) != 34:
        hint = ""
        if len(text) == 42 and text[:2] == "41":
            hint = " (this looks like the hex form: use from_hex)"
        elif len(text) == 42 and text[:2].lower() == "0x":
            hint = " (this looks like the EVM form: use from_evm)"
        raise TronAddressError(
            address,
            "bad length",
            f"{len(text)} characters, a Base58Check TRON address has 34{hint}",
        )
    for position, char in enumerate(text):
        if char not in _B58_ALPHABET:
            raise TronAddressError(
                address,
                "invalid character",
                f"{char!r} at position {position} (Base58 has no 0, O, I, l)",
            )
    try:
        raw = base58check_decode(text)
    except ValueError:
        raise TronAddressError(
            address, "bad checksum", "the last 4 bytes are not SHA256(SHA256(...))[:4] (a typo?)"
        ) from None
    if len(raw) != 21:
        raise TronAddressError(address, "bad length", f"{len(raw)} bytes, a TRON address has 21")
    if raw[0] != PREFIX:
        hint = " (a Bitcoin P2PKH address?)" if raw[0] == 0 else ""
        raise TronAddressError(
            address,
            "wrong prefix",
            f"version byte 0x{raw[0]:02x}{hint}, TRON addresses use 0x41",
        )
    return raw


def is_valid(address: str) -> bool:
    """Return True if ``address`` is a valid Base58Check TRON address (see :func:`decode`).

    Examples
    --------
    >>> is_valid("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    True
    >>> is_valid("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6")
    False
    """
    try:
        decode(address)
    except TronAddressError:
        return False
    return True


def to_hex(address: str) -> str:
    """Return the hex form (``41...``, lower case) of a ``T...`` address.

    Examples
    --------
    >>> to_hex("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'
    """
    return decode(address).hex()


def _hex_bytes(text: str, original: object, digits: int, form: str) -> bytes:
    for position, char in enumerate(text):
        if char not in _HEX_DIGITS:
            raise TronAddressError(
                original, "invalid character", f"{char!r} at position {position} is not hex"
            )
    if len(text) != digits:
        raise TronAddressError(
            original, "bad length", f"{len(text)} hex digits, the {form} has {digits}"
        )
    return bytes.fromhex(text)


def from_hex(hex_address: str) -> str:
    """Return the ``T...`` address of a hex-form address (``41...``, optionally ``0x41...``).

    Raises
    ------
    TronAddressError
        ``"invalid character"`` (not hex), ``"bad length"`` (not 42 digits) or
        ``"wrong prefix"`` (not starting 41).

    Examples
    --------
    >>> from_hex("41A614F803B6FD780986A42C78EC9C7F77E6DED13C")
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'
    """
    if not isinstance(hex_address, str):
        raise TronAddressError(hex_address, "not a string", f"got {type(hex_address).__name__}")
    text = hex_address.strip()
    if text[:2].lower() == "0x":
        text = text[2:]
    if len(text) == 40:
        raise TronAddressError(
            hex_address,
            "bad length",
            "40 hex digits is the EVM form without the 41 prefix: use from_evm",
        )
    raw = _hex_bytes(text, hex_address, 42, "hex form")
    if raw[0] != PREFIX:
        raise TronAddressError(
            hex_address, "wrong prefix", f"starts {text[:2]}, the hex form starts 41"
        )
    return encode(raw)


def to_evm(address: str, *, checksum: bool = False) -> str:
    """Return the EVM form (``0x`` and 40 hex digits) of a ``T...`` address.

    Parameters
    ----------
    address : str
        A ``T...`` address.
    checksum : bool, default False
        Write it with the EIP-55 mixed-case checksum (as Ethereum tools do) instead of in
        lower case (as TronGrid's event API does).

    Examples
    --------
    >>> to_evm("TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC", checksum=True)
    '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf'
    """
    text = "0x" + decode(address)[1:].hex()
    return evm_checksum(text) if checksum else text


def evm_checksum(evm_address: str) -> str:
    """Return a 20-byte ``0x...`` address in EIP-55 mixed case.

    A hex letter is upper case when the matching nibble of Keccak-256 of the lower-case
    hex digits is 8 or more.

    Examples
    --------
    >>> evm_checksum("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
    """
    text = evm_address.strip()
    if text[:2].lower() == "0x":
        text = text[2:]
    digits = _hex_bytes(text, evm_address, 40, "EVM form").hex()
    mask = keccak256(digits.encode("ascii")).hex()
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(m, 16) >= 8 else c
        for c, m in zip(digits, mask[:40], strict=True)
    )


def from_evm(evm_address: str) -> str:
    """Return the ``T...`` address of an EVM-form address or of an event-log topic.

    Accepts ``0x`` and 40 hex digits (any case; an EIP-55 checksum is not checked, since
    TRON tools write lower case), or a 32-byte log topic (64 hex digits) whose first 12
    bytes are zero.

    Raises
    ------
    TronAddressError
        ``"invalid character"``, ``"bad length"``, or ``"wrong prefix"`` for a 32-byte word
        whose first 12 bytes are not zero (it is not an address).

    Examples
    --------
    >>> from_evm("0xa614f803b6fd780986a42c78ec9c7f77e6ded13c")
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'
    >>> from_evm("000000000000000000000000a614f803b6fd780986a42c78ec9c7f77e6ded13c")
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'
    """
    if not isinstance(evm_address, str):
        raise TronAddressError(evm_address, "not a string", f"got {type(evm_address).__name__}")
    text = evm_address.strip()
    if text[:2].lower() == "0x":
        text = text[2:]
    if len(text) == 64:
        word = _hex_bytes(text, evm_address, 64, "32-byte topic")
        if any(word[:12]):
            raise TronAddressError(
                evm_address,
                "wrong prefix",
                "a 32-byte topic holding an address starts 12 zero bytes",
            )
        return encode(word[12:])
    if len(text) == 42 and text[:2] == "41":
        raise TronAddressError(
            evm_address, "bad length", "42 hex digits starting 41 is the hex form: use from_hex"
        )
    return encode(_hex_bytes(text, evm_address, 40, "EVM form"))


# --------------------------------------------------------------------------- in text

# T and 25-40 letters or digits: wider than Base58, so that a typo with 0, O, I or l is
# reported as an invalid character instead of being missed.
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])T[0-9A-Za-z]{25,40}(?![0-9A-Za-z])")


def find_addresses(text: str, *, invalid: bool = False) -> list[str] | list[tuple[str, str]]:
    """Find TRON addresses in seized text (chat messages, notes), each once, in order.

    Parameters
    ----------
    text : str
        The text to search.
    invalid : bool, default False
        Return the candidates that look like TRON addresses (a ``T`` and 25-40 letters
        and digits) but fail :func:`decode`, as ``(candidate, reason)`` pairs, instead of
        the valid addresses. A typo in a pasted address shows up here as ``"bad checksum"``
        or ``"bad length"``.

    Returns
    -------
    list of str, or list of (str, str)
        Valid addresses, or invalid candidates with the reason.

    Examples
    --------
    >>> msg = ("USDT TRC20 only: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t "
    ...        "(not TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u)")
    >>> find_addresses(msg)
    ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t']
    >>> find_addresses(msg, invalid=True)
    [('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', 'bad checksum')]
    """
    valid: dict[str, None] = {}
    failed: dict[str, str] = {}
    for match in _CANDIDATE.finditer(text):
        candidate = match.group(0)
        try:
            decode(candidate)
        except TronAddressError as error:
            failed.setdefault(candidate, error.reason)
        else:
            valid.setdefault(candidate, None)
    if invalid:
        return list(failed.items())
    return list(valid)
