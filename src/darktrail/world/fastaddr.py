"""Vectorised address encoding for bulk filler: many payloads at once with numpy.

The scale world needs over a million fresh addresses; encoding them one by one in Python
(bech32 checksum loops, Base58 big-integer division) would take most of the time budget.
These functions compute the same strings as :mod:`darktrail.addresses` (the tests check
that), column by column over all payloads at once.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["base58check", "bech32_segwit_v0"]

_BECH32 = np.frombuffer(b"qpzry9x8gf2tvdw0s3jn54khce6mua7l", dtype=np.uint8)
_BASE58 = np.frombuffer(b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", np.uint8)
_B58_5 = 58**5
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(columns: np.ndarray) -> np.ndarray:
    chk = np.ones(columns.shape[0], dtype=np.uint32)
    for k in range(columns.shape[1]):
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ columns[:, k].astype(np.uint32)
        for i, g in enumerate(_GEN):
            chk ^= np.where((top >> i) & 1, np.uint32(g), np.uint32(0))
    return chk


def bech32_segwit_v0(programs: np.ndarray, hrp: str = "bc") -> list[str]:
    """Encode witness-v0 programs (an ``(n, 20)`` or ``(n, 32)`` uint8 array) as bech32.

    Examples
    --------
    >>> from darktrail import addresses
    >>> programs = np.arange(40, dtype=np.uint8).reshape(2, 20)
    >>> bech32_segwit_v0(programs) == [addresses.p2wpkh(bytes(p)) for p in programs]
    True
    """
    n, length = programs.shape
    bits = np.unpackbits(programs, axis=1)
    pad = (-bits.shape[1]) % 5
    if pad:
        bits = np.concatenate([bits, np.zeros((n, pad), np.uint8)], axis=1)
    groups = bits.reshape(n, -1, 5) @ np.array([16, 8, 4, 2, 1], dtype=np.uint8)
    data = np.concatenate([np.zeros((n, 1), np.uint8), groups.astype(np.uint8)], axis=1)
    expand = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    columns = np.concatenate(
        [np.tile(np.array(expand, np.uint8), (n, 1)), data, np.zeros((n, 6), np.uint8)], axis=1
    )
    chk = _polymod(columns) ^ 1
    checksum = np.stack([(chk >> (5 * (5 - i))) & 31 for i in range(6)], axis=1)
    chars = _BECH32[np.concatenate([data, checksum.astype(np.uint8)], axis=1)]
    prefix = (hrp + "1").encode()
    width = chars.shape[1]
    raw = np.ascontiguousarray(chars).view(f"S{width}").ravel()
    return [(prefix + r).decode("ascii") for r in raw.tolist()]


def base58check(version: int, hashes: np.ndarray) -> list[str]:
    """Encode 20-byte hashes (an ``(n, 20)`` uint8 array) with a version byte in Base58Check.

    Examples
    --------
    >>> from darktrail import addresses
    >>> hashes = np.arange(60, dtype=np.uint8).reshape(3, 20)
    >>> base58check(0, hashes) == [addresses.p2pkh(bytes(h)) for h in hashes]
    True
    """
    n = hashes.shape[0]
    body = np.concatenate([np.full((n, 1), version, np.uint8), hashes], axis=1)
    sums = np.frombuffer(
        b"".join(
            hashlib.sha256(hashlib.sha256(body[i].tobytes()).digest()).digest()[:4]
            for i in range(n)
        ),
        np.uint8,
    ).reshape(n, 4)
    full = np.concatenate([np.zeros((n, 1), np.uint8), body, sums], axis=1)  # 26 bytes
    limbs = full.reshape(n, 13, 2).astype(np.int64) @ np.array([256, 1], np.int64)
    # Long division by 58**5 over 16-bit limbs: 7 passes give 35 base-58 digits.
    digits = np.zeros((n, 35), np.uint8)
    for p in range(6, -1, -1):
        rem = np.zeros(n, np.int64)
        for i in range(13):
            cur = (rem << 16) + limbs[:, i]
            limbs[:, i] = cur // _B58_5
            rem = cur % _B58_5
        for d in range(4, -1, -1):
            digits[:, 5 * p + d] = rem % 58
            rem //= 58
    chars = np.ascontiguousarray(_BASE58[digits]).view("S35").ravel().tolist()
    zeros = (np.cumprod(body == 0, axis=1)).sum(axis=1).tolist()
    return ["1" * z + c.decode("ascii").lstrip("1") for z, c in zip(zeros, chars, strict=True)]
