"""Bitcoin addresses: parse, validate and build them, and find them in seized text.

Two encodings are in use (Bitcoin Core's ``key_io`` accepts exactly these):

* **Base58Check** (legacy): ``base58(version byte | 20-byte hash | 4-byte checksum)`` with
  the checksum ``SHA256(SHA256(...))[:4]``. Version 0x00 ("1...") is P2PKH and 0x05
  ("3...") P2SH on mainnet; 0x6f ("m"/"n") and 0xc4 ("2") on testnet, signet and regtest.
* **Bech32 / Bech32m** (segwit, BIP-173 and BIP-350): ``hrp "1" data checksum`` with hrp
  "bc" (mainnet), "tb" (testnet and signet) or "bcrt" (regtest). Witness version 0
  (P2WPKH "bc1q...", 20 bytes; P2WSH, 32 bytes) uses the Bech32 checksum, versions 1-16
  (P2TR "bc1p...", 32 bytes) use Bech32m.

An address is only an address once its checksum verifies: a pattern match is a candidate,
nothing more (:func:`find_addresses` keeps only candidates that verify).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from darktrail.bitcoin import SCRIPT_TYPES

__all__ = [
    "NETWORKS",
    "Address",
    "base58check_decode",
    "base58check_encode",
    "bech32_decode",
    "bech32_encode",
    "esplora_type",
    "find_addresses",
    "hash160",
    "is_valid",
    "p2pkh",
    "p2sh",
    "p2tr",
    "p2wpkh",
    "p2wsh",
    "parse",
    "ripemd160",
    "scriptpubkey",
]

NETWORKS = ("mainnet", "testnet", "regtest")

# Base58Check version bytes (Bitcoin Core chainparams.cpp, BIP-13 for P2SH).
_BASE58_VERSIONS = {
    0x00: ("p2pkh", "mainnet"),
    0x05: ("p2sh", "mainnet"),
    0x6F: ("p2pkh", "testnet"),
    0xC4: ("p2sh", "testnet"),
}
_VERSION_BYTES = {
    ("p2pkh", "mainnet"): 0x00,
    ("p2sh", "mainnet"): 0x05,
    ("p2pkh", "testnet"): 0x6F,
    ("p2sh", "testnet"): 0xC4,
    ("p2pkh", "regtest"): 0x6F,
    ("p2sh", "regtest"): 0xC4,
}
# Segwit human-readable parts (BIP-173; "tb" also serves signet).
_HRP_NETWORK = {"bc": "mainnet", "tb": "testnet", "bcrt": "regtest"}
_NETWORK_HRP = {network: hrp for hrp, network in _HRP_NETWORK.items()}

# Address kinds mapped to Esplora's script type names (darktrail.bitcoin.SCRIPT_TYPES).
_ESPLORA_TYPES = {t.address: t.esplora for t in SCRIPT_TYPES if t.address} | {
    "witness_unknown": "unknown"
}


@dataclass(frozen=True)
class Address:
    """What an address encodes.

    Attributes
    ----------
    type : str
        "p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr", or "witness_unknown" for a segwit
        version or program length that no soft fork defines yet (valid to send to per
        BIP-350, but the coins are anyone-can-spend).
    network : str
        "mainnet", "testnet" or "regtest". Base58 addresses cannot tell testnet, signet
        and regtest apart; they are reported as "testnet".
    payload : bytes
        The 20-byte hash160 (P2PKH, P2SH) or the witness program.
    witness_version : int or None
        0-16 for segwit addresses, None for Base58 ones.
    """

    type: str
    network: str
    payload: bytes
    witness_version: int | None = None


# --- hashing ----------------------------------------------------------------------------


def hash160(data: bytes) -> bytes:
    """Return RIPEMD160(SHA256(data)), the hash inside P2PKH and P2SH addresses.

    Examples
    --------
    >>> hash160(b"").hex()
    'b472a266d0bd89c13706a4132ccfb16f7c3b9fcb'
    """
    return ripemd160(hashlib.sha256(data).digest())


def ripemd160(data: bytes) -> bytes:
    """Return RIPEMD-160 of ``data``, from hashlib if OpenSSL offers it, else pure Python.

    OpenSSL 3 moved RIPEMD-160 to its "legacy" provider, so ``hashlib.new("ripemd160")``
    fails on some systems; the fallback follows Dobbertin, Bosselaers and Preneel (1996).

    Examples
    --------
    >>> ripemd160(b"abc").hex()
    '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc'
    """
    try:
        return hashlib.new("ripemd160", data).digest()
    except ValueError:
        return _ripemd160_python(data)


# RIPEMD-160 tables: message word order, rotation amounts, constants (left and right line).
# fmt: off
_RL = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
    3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
    1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
    4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
]
_RR = [
    5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
    6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
    15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
    8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
    12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
]
_SL = [
    11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
    7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
    11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
    11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
    9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
]
_SR = [
    8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
    9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
    9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
    15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
    8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
]
# fmt: on
_KL = [0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E]
_KR = [0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000]
_M32 = 0xFFFFFFFF


def _rmd_f(j: int, x: int, y: int, z: int) -> int:
    if j < 16:
        return x ^ y ^ z
    if j < 32:
        return (x & y) | (~x & z)
    if j < 48:
        return (x | ~y) ^ z
    if j < 64:
        return (x & z) | (y & ~z)
    return x ^ (y | ~z)


def _rol(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & _M32


def _ripemd160_python(data: bytes) -> bytes:
    message = bytes(data) + b"\x80"
    message += b"\x00" * ((56 - len(message)) % 64)
    message += (8 * len(data) % 2**64).to_bytes(8, "little")
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    for offset in range(0, len(message), 64):
        x = [
            int.from_bytes(message[offset + 4 * i : offset + 4 * i + 4], "little")
            for i in range(16)
        ]
        al, bl, cl, dl, el = h
        ar, br, cr, dr, er = h
        for j in range(80):
            r = j // 16
            t = _rol((al + _rmd_f(j, bl, cl, dl) + x[_RL[j]] + _KL[r]) & _M32, _SL[j]) + el
            al, el, dl, cl, bl = el, dl, _rol(cl, 10), bl, t & _M32
            t = _rol((ar + _rmd_f(79 - j, br, cr, dr) + x[_RR[j]] + _KR[r]) & _M32, _SR[j]) + er
            ar, er, dr, cr, br = er, dr, _rol(cr, 10), br, t & _M32
        t = (h[1] + cl + dr) & _M32
        h[1] = (h[2] + dl + er) & _M32
        h[2] = (h[3] + el + ar) & _M32
        h[3] = (h[4] + al + br) & _M32
        h[4] = (h[0] + bl + cr) & _M32
        h[0] = t
    return b"".join(word.to_bytes(4, "little") for word in h)


# --- Base58Check ------------------------------------------------------------------------

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: i for i, char in enumerate(_B58_ALPHABET)}


def base58check_encode(data: bytes) -> str:
    """Encode ``data`` (version byte and payload) with a 4-byte double-SHA256 checksum.

    Examples
    --------
    >>> base58check_encode(bytes(21))
    '1111111111111111111114oLvT2'
    """
    data = bytes(data)
    raw = data + hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4]
    number = int.from_bytes(raw, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_B58_ALPHABET[remainder])
    leading_zeros = len(raw) - len(raw.lstrip(b"\x00"))
    return "1" * leading_zeros + "".join(reversed(digits))


def base58check_decode(text: str) -> bytes:
    """Decode a Base58Check string and verify its checksum; return version byte and payload.

    Raises
    ------
    ValueError
        On an invalid character (Base58 has no 0, O, I or l), a string too short to hold a
        checksum, or a bad checksum.

    Examples
    --------
    >>> base58check_decode("1111111111111111111114oLvT2").hex()
    '000000000000000000000000000000000000000000'
    """
    for position, char in enumerate(text):
        if char not in _B58_INDEX:
            raise ValueError(
                f"{text!r}: invalid character {char!r} at position {position} "
                "(Base58 has no 0, O, I, l)"
            )
    number = 0
    for char in text:
        number = number * 58 + _B58_INDEX[char]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(text) - len(text.lstrip("1"))) + body
    if len(raw) < 5:
        raise ValueError(f"{text!r}: bad length: too short for a Base58Check checksum")
    data, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4] != check:
        raise ValueError(f"{text!r}: bad checksum (Base58Check)")
    return data


# --- Bech32 / Bech32m -------------------------------------------------------------------

_B32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_B32_INDEX = {char: i for i, char in enumerate(_B32_CHARSET)}
_BECH32_CONSTANTS = {"bech32": 1, "bech32m": 0x2BC830A3}
_CONSTANT_VARIANT = {value: name for name, value in _BECH32_CONSTANTS.items()}


def _polymod(values: Sequence[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                checksum ^= generator[i]
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_encode(hrp: str, data: Sequence[int], variant: str = "bech32") -> str:
    """Encode 5-bit ``data`` under ``hrp`` with a Bech32 or Bech32m checksum (lower case).

    Examples
    --------
    >>> bech32_encode("a", [])
    'a12uel5l'
    >>> bech32_encode("a", [], variant="bech32m")
    'a1lqfn3a'
    """
    if variant not in _BECH32_CONSTANTS:
        raise ValueError(f"unknown checksum variant {variant!r}: use 'bech32' or 'bech32m'")
    hrp = hrp.lower()
    values = _hrp_expand(hrp) + list(data) + [0] * 6
    polymod = _polymod(values) ^ _BECH32_CONSTANTS[variant]
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_B32_CHARSET[d] for d in list(data) + checksum)


def bech32_decode(text: str) -> tuple[str, list[int], str]:
    """Decode a Bech32 or Bech32m string into ``(hrp, data, variant)``.

    ``data`` is the list of 5-bit values without the 6-character checksum; ``variant`` is
    "bech32" or "bech32m", whichever checksum the string carries.

    Raises
    ------
    ValueError
        Naming the reason: character out of range, mixed case, overall length over 90, no
        separator, empty hrp, invalid data character, checksum too short, or bad checksum.

    Examples
    --------
    >>> bech32_decode("A12UEL5L")
    ('a', [], 'bech32')
    """
    for position, char in enumerate(text):
        if not 33 <= ord(char) <= 126:
            raise ValueError(
                f"{text!r}: invalid character {char!r} at position {position} "
                "(outside printable US-ASCII)"
            )
    if text.lower() != text and text.upper() != text:
        raise ValueError(f"{text!r}: mixed case (Bech32 is all lower or all upper case)")
    if len(text) > 90:
        raise ValueError(f"{text!r}: bad length: {len(text)} characters, Bech32 allows 90")
    text_lower = text.lower()
    separator = text_lower.rfind("1")
    if separator == -1:
        raise ValueError(f"{text!r}: no separator '1' between prefix and data")
    if separator == 0:
        raise ValueError(f"{text!r}: empty human-readable prefix before '1'")
    hrp, payload = text_lower[:separator], text_lower[separator + 1 :]
    for position, char in enumerate(payload, start=separator + 1):
        if char not in _B32_INDEX:
            raise ValueError(
                f"{text!r}: invalid character {char!r} at position {position} "
                "(Bech32 has no 1, b, i, o)"
            )
    if len(payload) < 6:
        raise ValueError(f"{text!r}: bad length: checksum too short (6 characters needed)")
    data = [_B32_INDEX[char] for char in payload]
    variant = _CONSTANT_VARIANT.get(_polymod(_hrp_expand(hrp) + data))
    if variant is None:
        raise ValueError(f"{text!r}: bad checksum (neither Bech32 nor Bech32m)")
    return hrp, data[:-6], variant


def _convert_bits(data: Sequence[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    """Regroup a list of ``from_bits``-bit values into ``to_bits``-bit values (BIP-173).

    Decoding (``pad=False``) refuses more than 4 bits of padding or non-zero padding bits.
    """
    accumulator, bits, out = 0, 0, []
    max_value = (1 << to_bits) - 1
    for value in data:
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((accumulator >> bits) & max_value)
    if pad:
        if bits:
            out.append((accumulator << (to_bits - bits)) & max_value)
    elif bits >= from_bits:
        raise ValueError("zero padding of more than 4 bits")
    elif (accumulator << (to_bits - bits)) & max_value:
        raise ValueError("non-zero padding")
    return out


def _segwit_encode(hrp: str, version: int, program: bytes) -> str:
    variant = "bech32" if version == 0 else "bech32m"
    return bech32_encode(hrp, [version] + _convert_bits(program, 8, 5, pad=True), variant)


# --- parsing ----------------------------------------------------------------------------


def parse(address: str) -> Address:
    """Decode a Bitcoin address and say what it is.

    Parameters
    ----------
    address : str
        A Base58Check (P2PKH, P2SH) or Bech32/Bech32m (segwit) address. Surrounding
        whitespace is ignored.

    Returns
    -------
    Address
        Type, network, payload (hash or witness program) and witness version.

    Raises
    ------
    ValueError
        Naming the reason: bad checksum, wrong checksum variant for the witness version
        (Bech32 vs Bech32m), bad length, mixed case, unknown prefix or hrp, invalid
        character, bad witness version, or bad witness program length.

    Examples
    --------
    >>> a = parse("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
    >>> a.type, a.network, a.witness_version, a.payload.hex()
    ('p2wpkh', 'mainnet', 0, '751e76e8199196d454941c45d1b3a323f1433bd6')
    >>> parse("1111111111111111111114oLvT2").type
    'p2pkh'
    """
    if not isinstance(address, str):
        raise ValueError(f"a Bitcoin address must be a string, got {type(address).__name__}")
    text = address.strip()
    if not text:
        raise ValueError("empty string is not a Bitcoin address")
    separator = text.lower().rfind("1")
    if separator > 0 and text[:separator].lower() in _HRP_NETWORK:
        return _parse_segwit(text)
    if text[0] in "123mn":
        return _parse_base58(text)
    if separator > 0:
        raise ValueError(
            f"{text!r}: unknown prefix {text[:separator]!r} "
            "(Bitcoin segwit addresses start with bc1, tb1 or bcrt1)"
        )
    raise ValueError(
        f"{text!r}: unknown prefix (Bitcoin addresses start with 1, 3, bc1; "
        "m, n, 2, tb1, bcrt1 on test networks)"
    )


def _parse_base58(text: str) -> Address:
    data = base58check_decode(text)
    if len(data) != 21:
        raise ValueError(
            f"{text!r}: bad length: {len(data) - 1}-byte payload, P2PKH and P2SH hold 20 bytes"
        )
    version = data[0]
    if version not in _BASE58_VERSIONS:
        raise ValueError(f"{text!r}: unknown prefix: version byte 0x{version:02x}")
    kind, network = _BASE58_VERSIONS[version]
    return Address(kind, network, data[1:], None)


def _parse_segwit(text: str) -> Address:
    hrp, data, variant = bech32_decode(text)
    network = _HRP_NETWORK[hrp]
    if not data:
        raise ValueError(f"{text!r}: bad length: empty data section (no witness version)")
    version = data[0]
    if version > 16:
        raise ValueError(f"{text!r}: bad witness version {version} (0-16 exist)")
    expected = "bech32" if version == 0 else "bech32m"
    if variant != expected:
        raise ValueError(
            f"{text!r}: bad checksum: wrong variant, witness version {version} needs "
            f"{expected.capitalize()}, this address uses {variant.capitalize()}"
        )
    try:
        program = bytes(_convert_bits(data[1:], 5, 8, pad=False))
    except ValueError as error:
        raise ValueError(f"{text!r}: bad witness program: {error}") from None
    if not 2 <= len(program) <= 40:
        raise ValueError(
            f"{text!r}: bad witness program length: {len(program)} byte(s), 2-40 allowed"
        )
    if version == 0 and len(program) not in (20, 32):
        raise ValueError(
            f"{text!r}: bad witness program length: {len(program)} bytes, "
            "version 0 needs 20 (P2WPKH) or 32 (P2WSH)"
        )
    if version == 0:
        kind = "p2wpkh" if len(program) == 20 else "p2wsh"
    elif version == 1 and len(program) == 32:
        kind = "p2tr"
    else:
        kind = "witness_unknown"
    return Address(kind, network, program, version)


def is_valid(address: str) -> bool:
    """Return True if ``address`` is a valid Bitcoin address (see :func:`parse`).

    Examples
    --------
    >>> is_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    True
    >>> is_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")
    False
    """
    try:
        parse(address)
    except ValueError:
        return False
    return True


# --- encoders ---------------------------------------------------------------------------


def _check_network(network: str) -> None:
    if network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}: use one of {', '.join(NETWORKS)}")


def _check_length(name: str, value: bytes, length: int) -> bytes:
    if not isinstance(value, (bytes, bytearray)) or len(value) != length:
        got = len(value) if isinstance(value, (bytes, bytearray)) else type(value).__name__
        raise ValueError(f"{name} must be {length} bytes, got {got}")
    return bytes(value)


def p2pkh(hash160: bytes, network: str = "mainnet") -> str:
    """Return the P2PKH address ("1...", or "m"/"n" on test networks) for a key's hash160.

    Examples
    --------
    >>> p2pkh(bytes.fromhex("a31c06bd463e3923bc1aadbde48b16976c080717"))
    '1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo'
    """
    _check_network(network)
    payload = _check_length("hash160", hash160, 20)
    return base58check_encode(bytes([_VERSION_BYTES["p2pkh", network]]) + payload)


def p2sh(hash160: bytes, network: str = "mainnet") -> str:
    """Return the P2SH address ("3...", or "2..." on test networks) for a script's hash160.

    Examples
    --------
    >>> p2sh(bytes.fromhex("373b819a068f32b7a6b38b6b38729647cfde01c2"))
    '36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm'
    """
    _check_network(network)
    payload = _check_length("hash160", hash160, 20)
    return base58check_encode(bytes([_VERSION_BYTES["p2sh", network]]) + payload)


def p2wpkh(hash160: bytes, network: str = "mainnet") -> str:
    """Return the P2WPKH address ("bc1q...", 42 characters) for a key's hash160.

    Examples
    --------
    >>> p2wpkh(bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6"))
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'
    """
    _check_network(network)
    return _segwit_encode(_NETWORK_HRP[network], 0, _check_length("hash160", hash160, 20))


def p2wsh(sha256: bytes, network: str = "mainnet") -> str:
    """Return the P2WSH address ("bc1q...", 62 characters) for a script's SHA256.

    Examples
    --------
    >>> p2wsh(bytes.fromhex(
    ...     "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"), "testnet")
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7'
    """
    _check_network(network)
    return _segwit_encode(_NETWORK_HRP[network], 0, _check_length("sha256", sha256, 32))


def p2tr(xonly: bytes, network: str = "mainnet") -> str:
    """Return the P2TR (taproot, "bc1p...") address for a 32-byte x-only output key.

    Examples
    --------
    >>> p2tr(bytes.fromhex(
    ...     "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'
    """
    _check_network(network)
    return _segwit_encode(_NETWORK_HRP[network], 1, _check_length("xonly", xonly, 32))


# --- scripts and explorer vocabulary ----------------------------------------------------


def scriptpubkey(address: str) -> bytes:
    """Return the locking script (scriptPubKey) that paying ``address`` creates.

    Examples
    --------
    >>> scriptpubkey("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo").hex()
    '76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac'
    >>> scriptpubkey("BC1SW50QGDZ25J").hex()
    '6002751e'
    """
    parsed = parse(address)
    if parsed.type == "p2pkh":
        # OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG
        return b"\x76\xa9\x14" + parsed.payload + b"\x88\xac"
    if parsed.type == "p2sh":
        # OP_HASH160 <20> OP_EQUAL
        return b"\xa9\x14" + parsed.payload + b"\x87"
    version = parsed.witness_version or 0
    opcode = 0 if version == 0 else 0x50 + version  # OP_0, or OP_1..OP_16
    return bytes([opcode, len(parsed.payload)]) + parsed.payload


def esplora_type(address: str) -> str:
    """Return Esplora's ``scriptpubkey_type`` name for ``address``.

    One of "p2pkh", "p2sh", "v0_p2wpkh", "v0_p2wsh", "v1_p2tr", or "unknown" for segwit
    versions and lengths no soft fork defines.

    Examples
    --------
    >>> esplora_type("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
    'v1_p2tr'
    """
    return _ESPLORA_TYPES[parse(address).type]


# --- finding addresses in text ----------------------------------------------------------

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?:bc|tb|bcrt)1[02-9ac-hj-np-z]{6,87}"
    r"|(?:BC|TB|BCRT)1[02-9AC-HJ-NP-Z]{6,87}"
    r"|[123mn][1-9A-HJ-NP-Za-km-z]{25,34}"
    r")(?![0-9A-Za-z])"
)


def find_addresses(text: str) -> list[str]:
    """Return the Bitcoin addresses in ``text`` whose checksums verify, in order, each once.

    Candidates are found by pattern and then validated with :func:`is_valid`; a string that
    merely looks like an address (a typo, a made-up one) is dropped.

    Examples
    --------
    >>> find_addresses(
    ...     "pay to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 or "
    ...     "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5, backup 36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm")
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', '36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm']
    """
    found: dict[str, None] = {}
    for match in _CANDIDATE.finditer(text):
        candidate = match.group(0)
        if candidate not in found and is_valid(candidate):
            found[candidate] = None
    return list(found)
