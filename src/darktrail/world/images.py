"""Minimal valid JPEG photos carrying EXIF metadata (camera, time, GPS), written byte by byte.

The world needs photos whose metadata leaks (a shop's product photo still holding the
phone's GPS fix). A full encoder is not needed: each 8x8 block of the greyscale image is one
flat shade (DC coefficient only), coded with the standard luminance Huffman tables of
ITU-T T.81 Annex K, so any JPEG decoder and any EXIF tool (exiftool, Pillow) reads it.
The EXIF segment follows the Exif 2.3 / TIFF 6.0 layout: IFD0 (Make, Model, DateTime,
Software), an Exif IFD (DateTimeOriginal) and a GPS IFD (latitude, longitude, their refs).
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence

__all__ = ["exif_segment", "jpeg_with_exif"]

# ITU-T T.81 Annex K.3: luminance DC table (code lengths 1..16, then symbols).
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALS = tuple(range(12))
# A one-symbol AC table is legal and enough: every block ends at once with EOB (0x00).
_AC_BITS = (1,) + (0,) * 15
_AC_VALS = (0x00,)


def _huffman_codes(bits: Sequence[int], vals: Sequence[int]) -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


_DC_CODES = _huffman_codes(_DC_BITS, _DC_VALS)
_EOB = _huffman_codes(_AC_BITS, _AC_VALS)[0]


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def _ifd(entries: list[tuple[int, int, int, bytes]], offset: int) -> tuple[bytes, bytes]:
    """Pack one big-endian IFD placed at ``offset``; return (directory, data area)."""
    directory = struct.pack(">H", len(entries))
    data = b""
    data_offset = offset + 2 + 12 * len(entries) + 4
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            directory += struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            directory += struct.pack(">HHII", tag, kind, count, data_offset + len(data))
            data += value + (b"\0" if len(value) % 2 else b"")
    return directory + b"\0\0\0\0", data


def _ascii(text: str) -> tuple[int, int, bytes]:
    raw = text.encode("ascii") + b"\0"
    return 2, len(raw), raw


def _dms(value: float) -> bytes:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return struct.pack(">IIIIII", degrees, 1, minutes, 1, seconds, 100)


def exif_segment(
    make: str,
    model: str,
    taken_at: dt.datetime,
    gps: tuple[float, float] | None = None,
    software: str | None = None,
) -> bytes:
    """Return the payload of an APP1 ``Exif`` segment.

    Examples
    --------
    >>> seg = exif_segment("Maker", "Phone 7", dt.datetime(2020, 1, 2, 3, 4, 5), (43.25, 76.9))
    >>> seg[:8]
    b'Exif\\x00\\x00MM'
    """
    stamp = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    ifd0 = [(0x010F, *_ascii(make)), (0x0110, *_ascii(model)), (0x0132, *_ascii(stamp))]
    if software:
        ifd0.append((0x0131, *_ascii(software)))
    n0 = len(ifd0) + 1 + (gps is not None)
    # Lay out: header (8) | IFD0 | IFD0 data | Exif IFD | Exif data | GPS IFD | GPS data.
    probe_dir, probe_data = _ifd(ifd0 + [(0x8769, 4, 1, b"\0" * 4)] * 1, 8)
    size0 = 2 + 12 * n0 + 4 + len(probe_data)
    exif_offset = 8 + size0
    exif_entries = [(0x9003, *_ascii(stamp))]
    exif_dir, exif_data = _ifd(exif_entries, exif_offset)
    gps_offset = exif_offset + len(exif_dir) + len(exif_data)
    ifd0.append((0x8769, 4, 1, struct.pack(">I", exif_offset)))
    parts_after = exif_dir + exif_data
    if gps is not None:
        lat, lon = gps
        ifd0.append((0x8825, 4, 1, struct.pack(">I", gps_offset)))
        gps_entries = [
            (0x0000, 1, 4, bytes((2, 3, 0, 0))),
            (0x0001, 2, 2, b"N\0" if lat >= 0 else b"S\0"),
            (0x0002, 5, 3, _dms(lat)),
            (0x0003, 2, 2, b"E\0" if lon >= 0 else b"W\0"),
            (0x0004, 5, 3, _dms(lon)),
        ]
        gps_dir, gps_data = _ifd(gps_entries, gps_offset)
        parts_after += gps_dir + gps_data
    dir0, data0 = _ifd(ifd0, 8)
    assert 8 + len(dir0) + len(data0) == exif_offset
    return b"Exif\0\0" + b"MM\0\x2a\0\0\0\x08" + dir0 + data0 + parts_after


def jpeg_with_exif(
    shades: Sequence[Sequence[int]],
    make: str,
    model: str,
    taken_at: dt.datetime,
    gps: tuple[float, float] | None = None,
    software: str | None = None,
) -> bytes:
    """Return a baseline greyscale JPEG whose 8x8 blocks have the given shades, with EXIF.

    Parameters
    ----------
    shades : sequence of sequences of int
        Rows of block shades, 0 (black) to 255 (white); the image is ``8*cols`` by ``8*rows``.
    make, model : str
        Camera maker and model (EXIF Make, Model).
    taken_at : datetime
        When the photo was taken (EXIF DateTime and DateTimeOriginal, local time, no zone).
    gps : (latitude, longitude) or None
        Decimal degrees written to the GPS IFD.
    software : str, optional
        EXIF Software.

    Examples
    --------
    >>> photo = jpeg_with_exif([[0, 128], [255, 64]], "Maker", "Phone 7",
    ...                        dt.datetime(2020, 1, 2, 3, 4, 5), gps=(43.25, 76.9))
    >>> photo[:2].hex(), photo[-2:].hex()
    ('ffd8', 'ffd9')
    """
    rows, cols = len(shades), len(shades[0])
    out = b"\xff\xd8" + _segment(0xE1, exif_segment(make, model, taken_at, gps, software))
    out += _segment(0xDB, b"\x00" + bytes([1] * 64))  # quantiser 1: DC = level-shifted mean * 8
    out += _segment(0xC0, struct.pack(">BHHB", 8, 8 * rows, 8 * cols, 1) + b"\x01\x11\x00")
    out += _segment(0xC4, b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALS))
    out += _segment(0xC4, b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALS))
    out += _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    acc, nbits, prev, scan = 0, 0, 0, bytearray()

    def put(value: int, length: int) -> None:
        nonlocal acc, nbits
        acc = (acc << length) | (value & ((1 << length) - 1))
        nbits += length
        while nbits >= 8:
            nbits -= 8
            byte = (acc >> nbits) & 0xFF
            scan.append(byte)
            if byte == 0xFF:
                scan.append(0)

    for row in shades:
        for shade in row:
            dc = (max(0, min(255, int(shade))) - 128) * 8
            diff, prev = dc - prev, dc
            size = abs(diff).bit_length()
            put(*_DC_CODES[size])
            if size:
                put(diff if diff > 0 else diff - 1, size)
            put(*_EOB)
    if nbits:
        put((1 << (8 - nbits)) - 1, 8 - nbits)
    return out + bytes(scan) + b"\xff\xd9"
