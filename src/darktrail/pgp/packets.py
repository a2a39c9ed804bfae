"""OpenPGP wire format: packet framing, MPI/SOS integers, subpackets and ASCII armor.

Everything here is byte plumbing from RFC 9580 (which obsoletes RFC 4880); the section
numbers in comments refer to RFC 9580. Nothing in this module knows about keys or signatures.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from typing import NamedTuple

__all__ = [
    "ARMOR_MESSAGE",
    "ARMOR_PUBLIC_KEY",
    "ARMOR_SECRET_KEY",
    "ARMOR_SIGNATURE",
    "Packet",
    "Reader",
    "armor",
    "crc24",
    "dearmor",
    "dearmor_all",
    "encode_length",
    "mpi",
    "packet",
    "read_packets",
    "subpacket",
]

ARMOR_PUBLIC_KEY = "PGP PUBLIC KEY BLOCK"
ARMOR_SECRET_KEY = "PGP PRIVATE KEY BLOCK"
ARMOR_SIGNATURE = "PGP SIGNATURE"
ARMOR_MESSAGE = "PGP MESSAGE"

# Section 6.1: CRC-24 with generator 0x864CFB, initialised to 0xB704CE.
_CRC24_INIT = 0xB704CE
_CRC24_POLY = 0x1864CFB


class Packet(NamedTuple):
    """One OpenPGP packet: its tag (section 5) and its body."""

    tag: int
    body: bytes


def _crc24_table() -> tuple[int, ...]:
    """CRC-24 of every byte value shifted to the top, for byte-at-a-time updates."""
    table = []
    for byte in range(256):
        crc = byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= _CRC24_POLY
        table.append(crc & 0xFFFFFF)
    return tuple(table)


_CRC24_TABLE = _crc24_table()


def crc24(data: bytes) -> int:
    """Return the CRC-24 checksum that ASCII armor appends (RFC 9580, section 6.1).

    Examples
    --------
    >>> hex(crc24(b""))
    '0xb704ce'
    >>> hex(crc24(b"hi"))
    '0x526e1c'
    """
    crc = _CRC24_INIT
    table = _CRC24_TABLE
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFF) ^ table[(crc >> 16) ^ byte]
    return crc


# --- writing ------------------------------------------------------------------------------


def encode_length(length: int) -> bytes:
    """Encode a body length the way new-format packets and subpackets do (section 4.2.1).

    Examples
    --------
    >>> encode_length(100).hex(), encode_length(1000).hex(), encode_length(10000).hex()
    ('64', 'c328', 'ff00002710')
    """
    if length < 0:
        raise ValueError(f"packet length must be non-negative, got {length}")
    if length < 192:
        return bytes([length])
    if length < 8384:
        length -= 192
        return bytes([(length >> 8) + 192, length & 0xFF])
    return b"\xff" + length.to_bytes(4, "big")


def packet(tag: int, body: bytes) -> bytes:
    """Frame ``body`` as a packet with ``tag``, choosing the header as GnuPG 2.2 does.

    GnuPG 2.2 still writes legacy-format headers (section 4.2.2) for tags below 16 and
    new-format headers (section 4.2.1) only for higher tags, which the legacy format cannot
    express. Doing the same makes our keys and signatures byte-identical to gpg's.

    Examples
    --------
    >>> packet(13, b"Alice").hex()
    'b405416c696365'
    >>> packet(18, b"x").hex()
    'd20178'
    """
    if tag >= 16:
        return bytes([0xC0 | tag]) + encode_length(len(body)) + body
    size = len(body)
    length_type = 0 if size < 0x100 else 1 if size < 0x10000 else 2
    width = 1 << length_type
    return bytes([0x80 | tag << 2 | length_type]) + size.to_bytes(width, "big") + body


def mpi(value: bytes | int) -> bytes:
    """Encode a multiprecision integer: 2-byte bit count, then big-endian octets (section 3.2).

    Leading zero octets are stripped, as the bit count requires. The same encoding carries
    the "SOS" strings of EdDSA and ECDH keys (prefix 0x40 + native point).

    Examples
    --------
    >>> mpi(b"\\x00\\x01").hex(), mpi(511).hex()
    ('000101', '000901ff')
    """
    if isinstance(value, int):
        value = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    value = value.lstrip(b"\x00")
    bits = len(value) * 8 - (8 - value[0].bit_length()) if value else 0
    return bits.to_bytes(2, "big") + value


def subpacket(kind: int, data: bytes, *, critical: bool = False) -> bytes:
    """Encode one signature subpacket: length, type (bit 7 = critical), data (section 5.2.3.7)."""
    return encode_length(len(data) + 1) + bytes([kind | (0x80 if critical else 0)]) + data


# --- reading ------------------------------------------------------------------------------


class Reader:
    """A cursor over packet bytes; every short read raises ValueError naming ``what``."""

    def __init__(self, data: bytes, what: str = "packet") -> None:
        self.data = data
        self.pos = 0
        self.what = what

    def remaining(self) -> int:
        """Number of unread octets."""
        return len(self.data) - self.pos

    def take(self, count: int) -> bytes:
        """Return the next ``count`` octets."""
        if count < 0 or self.pos + count > len(self.data):
            raise ValueError(
                f"truncated {self.what}: wanted {count} more bytes at offset {self.pos}"
            )
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def byte(self) -> int:
        """Return the next octet as an integer."""
        return self.take(1)[0]

    def uint(self, size: int) -> int:
        """Return the next ``size`` octets as a big-endian unsigned integer."""
        return int.from_bytes(self.take(size), "big")

    def mpi(self) -> bytes:
        """Return the octets of the next MPI (or SOS) value, without its bit count."""
        bits = self.uint(2)
        return self.take((bits + 7) // 8)

    def rest(self) -> bytes:
        """Return all unread octets."""
        return self.take(self.remaining())


def _new_format_length(reader: Reader) -> tuple[int, bool]:
    """Read a new-format length; return (length, is_partial) (section 4.2.1)."""
    first = reader.byte()
    if first < 192:
        return first, False
    if first < 224:
        return ((first - 192) << 8) + reader.byte() + 192, False
    if first == 255:
        return reader.uint(4), False
    return 1 << (first & 0x1F), True


def read_packets(data: bytes) -> Iterator[Packet]:
    """Split binary OpenPGP data into packets, old or new format, partial lengths joined.

    Raises
    ------
    ValueError
        If a packet header is invalid or a body is truncated.

    Examples
    --------
    >>> list(read_packets(packet(13, b"Alice")))
    [Packet(tag=13, body=b'Alice')]
    """
    reader = Reader(data)
    while reader.remaining():
        start = reader.pos
        header = reader.byte()
        if not header & 0x80:
            raise ValueError(f"not an OpenPGP packet header at offset {start}: 0x{header:02x}")
        if header & 0x40:  # new format (section 4.2.1)
            tag = header & 0x3F
            length, partial = _new_format_length(reader)
            chunks = [reader.take(length)]
            while partial:
                length, partial = _new_format_length(reader)
                chunks.append(reader.take(length))
            body = b"".join(chunks)
        else:  # legacy format (section 4.2.2)
            tag = (header >> 2) & 0x0F
            length_type = header & 0x03
            if length_type == 3:  # indeterminate: runs to the end of the data
                body = reader.rest()
            else:
                body = reader.take(reader.uint(1 << length_type))
        yield Packet(tag, body)


# --- ASCII armor (section 6.2) ------------------------------------------------------------

_ARMOR_RE = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ,/]+)-----[ \t]*\r?\n"
    r"(?P<content>.*?)"
    r"-----END (?P=label)-----",
    re.DOTALL,
)


def armor(label: str, data: bytes, headers: dict[str, str] | None = None) -> str:
    """Wrap binary OpenPGP data in ASCII armor with a CRC-24 line, as gpg writes it.

    Examples
    --------
    >>> print(armor(ARMOR_MESSAGE, b"hi"), end="")
    -----BEGIN PGP MESSAGE-----
    <BLANKLINE>
    aGk=
    =Um4c
    -----END PGP MESSAGE-----
    """
    encoded = base64.b64encode(data).decode("ascii")
    lines = [f"-----BEGIN {label}-----"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append("")
    lines += [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    lines.append("=" + base64.b64encode(crc24(data).to_bytes(3, "big")).decode("ascii"))
    lines.append(f"-----END {label}-----")
    return "\n".join(lines) + "\n"


def dearmor(text: str, label: str | tuple[str, ...] | None = None) -> tuple[str, bytes]:
    """Decode the first ASCII-armored block in ``text``; return (label, binary data).

    Parameters
    ----------
    text : str
        Text containing an armored block; anything around it is ignored.
    label : str or tuple of str, optional
        Accepted block label(s), e.g. ``"PGP SIGNATURE"``; any label when omitted.

    Raises
    ------
    ValueError
        If no such block is found, its base64 is invalid or its CRC-24 does not match.

    Examples
    --------
    >>> dearmor(armor(ARMOR_MESSAGE, b"hi"))
    ('PGP MESSAGE', b'hi')
    """
    blocks = dearmor_all(text, label)
    if not blocks:
        labels = (label,) if isinstance(label, str) else label
        wanted = " or ".join(f"'-----BEGIN {name}-----'" for name in labels or ())
        raise ValueError(
            f"no {wanted or 'ASCII-armored OpenPGP'} block found (with its matching END line)"
        )
    return blocks[0]


def dearmor_all(text: str, label: str | tuple[str, ...] | None = None) -> list[tuple[str, bytes]]:
    """Decode every ASCII-armored block in ``text`` (e.g. a web page listing several keys).

    Raises
    ------
    ValueError
        If a matching block has invalid base64 or a wrong CRC-24.
    """
    if not isinstance(text, str):
        raise ValueError(f"armored OpenPGP data must be text, got {type(text).__name__}")
    labels = (label,) if isinstance(label, str) else label
    return [
        (match["label"], _decode_armor(match["label"], match["content"]))
        for match in _ARMOR_RE.finditer(text)
        if labels is None or match["label"] in labels
    ]


def _decode_armor(found: str, content: str) -> bytes:
    """Decode the inside of one armored block: optional headers, base64, optional CRC."""
    lines = content.replace("\r", "").split("\n")
    # Armor headers ("Key: value") end at the first blank line.
    if "" in lines and all(":" in line for line in lines[: lines.index("")]):
        lines = lines[lines.index("") + 1 :]
    lines = [line.strip() for line in lines if line.strip()]
    checksum = None
    if lines and lines[-1].startswith("=") and len(lines[-1]) == 5:
        checksum = lines.pop()[1:]
    try:
        data = base64.b64decode("".join(lines), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"invalid base64 in armored {found}: {error}") from None
    if checksum is not None:
        try:
            expected = int.from_bytes(base64.b64decode(checksum, validate=True), "big")
        except (binascii.Error, ValueError):
            raise ValueError(f"invalid armor checksum line '={checksum}' in {found}") from None
        if crc24(data) != expected:
            raise ValueError(f"armor checksum (CRC-24) mismatch in {found}: the block is corrupted")
    return data
