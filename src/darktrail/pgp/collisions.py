"""Two different keys with the same short key ID (the "evil32" effect).

A short key ID is only the last 32 bits of the fingerprint, so a birthday search finds two
keys sharing one after about 2**16 tries each. Impostors used this to publish look-alike keys
whose 8-hex-digit ID matched a real one; that is why investigators compare full fingerprints.

The search here varies the creation time, which the v4 fingerprint hashes, of two fixed key
seeds: each candidate costs one SHA-1, no key generation, so it takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import NamedTuple

from darktrail.pgp.keys import SecretKey, generate_key, primary_body_suffix, to_timestamp

__all__ = ["ShortIdCollision", "colliding_short_ids", "find_short_id_collision"]

#: Candidates per key: 2**17 times 2**17 pairs make about four expected collisions.
_MAX_CANDIDATES = 2**17
#: Seed pairs to try before giving up (each try is independent and deterministic).
_MAX_ATTEMPTS = 32


class ShortIdCollision(NamedTuple):
    """Two key seeds and creation times whose keys share a short key ID.

    The User ID is not part of the fingerprint, so one search serves any User IDs:
    compute it once (per scenario) and call :meth:`keys` for each pair of User IDs.
    """

    seeds: tuple[bytes, bytes]
    created: tuple[int, int]
    short_key_id: str

    def keys(self, user_ids: tuple[str, str]) -> tuple[SecretKey, SecretKey]:
        """Generate the two colliding keys with the given User IDs."""
        if len(user_ids) != 2:
            raise ValueError(f"user_ids must hold two User IDs, got {len(user_ids)}")
        return (
            generate_key(self.seeds[0], user_ids[0], self.created[0]),
            generate_key(self.seeds[1], user_ids[1], self.created[1]),
        )


def find_short_id_collision(
    seed: bytes, created_range: tuple[int | datetime, int | datetime]
) -> ShortIdCollision:
    """Find two key seeds and creation times giving equal short key IDs.

    Parameters
    ----------
    seed : bytes
        Secret seed (at least 16 bytes); the two key seeds are derived from it.
    created_range : tuple of two int or datetime
        ``(start, end)``: both creation times are chosen in ``[start, end)``. The range should
        span at least 2**16 seconds (about 18 hours); with 2**17 (36 hours) one seed pair
        fails only 2% of the time, and further seed pairs are tried deterministically.

    Returns
    -------
    ShortIdCollision
        The same for the same arguments.

    Raises
    ------
    ValueError
        For a bad seed or range, or when no collision exists in the range (widen it).

    Examples
    --------
    >>> found = find_short_id_collision(b"collision-demo-1" * 2, (1704067200, 1704067200 + 2**17))
    >>> real, fake = found.keys(("Vendor <v@example.invalid>", "Vendor <v@example.invalid>"))
    >>> real.short_key_id == fake.short_key_id == found.short_key_id
    True
    """
    if not isinstance(seed, bytes) or len(seed) < 16:
        raise ValueError("seed must be at least 16 bytes")
    start = to_timestamp(created_range[0], "created_range start")
    end = to_timestamp(created_range[1], "created_range end")
    if end <= start:
        raise ValueError(f"created_range is empty: end {end} is not after start {start}")
    for attempt in range(_MAX_ATTEMPTS):
        found = _search(seed, attempt, start, end)
        if found is not None:
            return found
    raise ValueError(
        f"no short key ID collision for created times in [{start}, {end}) after "
        f"{_MAX_ATTEMPTS} seed pairs; widen created_range to at least 2**16 seconds"
    )


def colliding_short_ids(
    seed: bytes,
    user_ids: tuple[str, str],
    created_range: tuple[int | datetime, int | datetime],
) -> tuple[SecretKey, SecretKey]:
    """Generate two different keys whose short key IDs (last 8 hex digits) are equal.

    Shorthand for ``find_short_id_collision(seed, created_range).keys(user_ids)``; takes
    0.2-0.9 s (one birthday search), so cache the search when making many pairs.

    Parameters
    ----------
    seed : bytes
        Secret seed (at least 16 bytes); the two key seeds are derived from it.
    user_ids : tuple of two str
        User IDs of the first (e.g. genuine) and second (e.g. impostor) key; they may be equal.
    created_range : tuple of two int or datetime
        ``(start, end)``: both creation times are chosen in ``[start, end)``; see
        :func:`find_short_id_collision`.

    Returns
    -------
    tuple of SecretKey
        Two keys with different fingerprints and equal ``short_key_id``; the same for the
        same arguments.

    Raises
    ------
    ValueError
        For bad arguments, or when no collision exists in the range (widen it).

    Examples
    --------
    >>> real, fake = colliding_short_ids(
    ...     b"collision-demo-1" * 2,
    ...     ("Vendor <vendor@example.invalid>", "Vendor <vendor@example.invalid>"),
    ...     (1704067200, 1704067200 + 2**17),
    ... )
    >>> real.short_key_id == fake.short_key_id, real.fingerprint == fake.fingerprint
    (True, False)
    """
    if len(user_ids) != 2:
        raise ValueError(f"user_ids must hold two User IDs, got {len(user_ids)}")
    return find_short_id_collision(seed, created_range).keys(user_ids)


def _search(seed: bytes, attempt: int, start: int, end: int) -> ShortIdCollision | None:
    """Birthday search over creation times for one pair of key seeds; None if no match."""
    seeds = tuple(
        hashlib.sha256(
            b"darktrail.pgp/collision/" + label + b"\0" + attempt.to_bytes(4, "big") + seed
        ).digest()
        for label in (b"first", b"second")
    )
    # A v4 fingerprint is SHA-1(0x99 | length | 0x04 | created | rest of body): only the
    # creation time varies, so hash the fixed head once and copy its state per candidate.
    heads, tails = [], []
    for key_seed in seeds:
        tail = primary_body_suffix(key_seed)
        heads.append(hashlib.sha1(b"\x99" + (5 + len(tail)).to_bytes(2, "big") + b"\x04"))
        tails.append(tail)

    def short_id(which: int, created: int) -> bytes:
        state = heads[which].copy()
        state.update(created.to_bytes(4, "big") + tails[which])
        return state.digest()[-4:]

    times = range(start, min(end, start + _MAX_CANDIDATES))
    first_by_id = {short_id(0, created): created for created in times}
    for created in range(start, min(end, start + 4 * _MAX_CANDIDATES)):
        short = short_id(1, created)
        match = first_by_id.get(short)
        if match is not None:
            return ShortIdCollision(seeds, (match, created), short.hex().upper())
    return None
