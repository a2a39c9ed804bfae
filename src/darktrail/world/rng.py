"""The world's one seed normaliser and its labelled sub-seeds.

Every random choice in :mod:`darktrail.world` comes from a :class:`random.Random` (or a numpy
``Generator`` for bulk filler) made here, never from global state. A world's root seed is
derived from the scenario seed and the trainee id; each provider then derives its own
generator by *label* (``"ledger"``, ``"sites"``...), so adding a draw to one provider never
changes what another one produces.

Derivation rule (written down once): ``derive_seed(seed, *labels)`` is the first 8 bytes,
big-endian, of ``SHA-256("darktrail/<seed>/<label1>/<label2>...")``. A trainee's root seed is
keyed: the first 8 bytes of ``HMAC-SHA256(course key, "darktrail/<seed>/trainee/<id>")``, so
nobody without the course's secret key can rebuild a trainee's world (or its answers).
"""

from __future__ import annotations

import hashlib
import hmac
import random

import numpy as np

__all__ = [
    "CourseKeyRequired",
    "derive_seed",
    "normalise_seed",
    "numpy_rng",
    "sub_rng",
    "world_seed",
]

_SEED_BITS = 64


def normalise_seed(seed: int | str | bytes | None) -> int:
    """Turn any accepted seed into a non-negative 64-bit integer.

    Parameters
    ----------
    seed : int, str, bytes or None
        ``None`` means 0 (worlds are never seeded from the clock); integers are reduced
        modulo 2**64; strings and bytes are hashed.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``seed`` is of another type (floats would make seeds ambiguous).

    Examples
    --------
    >>> normalise_seed(42)
    42
    >>> normalise_seed("42") == normalise_seed(b"42")
    True
    """
    if seed is None:
        return 0
    if isinstance(seed, bool):
        raise TypeError("a seed is an integer, a string or bytes, not a bool")
    if isinstance(seed, int):
        return seed % (1 << _SEED_BITS)
    if isinstance(seed, str):
        seed = seed.encode("utf-8")
    if isinstance(seed, (bytes, bytearray)):
        return int.from_bytes(hashlib.sha256(b"darktrail-seed/" + bytes(seed)).digest()[:8], "big")
    raise TypeError(f"a seed is an integer, a string or bytes, got {type(seed).__name__}")


def derive_seed(seed: int | str | bytes | None, *labels: str) -> int:
    """Return the sub-seed of ``seed`` for a path of labels.

    Examples
    --------
    >>> derive_seed(1, "ledger") == derive_seed(1, "ledger")
    True
    >>> derive_seed(1, "ledger") != derive_seed(1, "sites")
    True
    """
    text = "/".join(["darktrail", str(normalise_seed(seed)), *labels])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


class CourseKeyRequired(ValueError):
    """A trainee's world was asked for without the course key."""


def world_seed(
    scenario_seed: int | str | bytes | None, trainee: str | None, course_key: bytes | None = None
) -> int:
    """Return the root seed of one trainee's world (``trainee=None``: the shared world).

    Parameters
    ----------
    scenario_seed : int, str, bytes or None
    trainee : str or None
        ``None`` is the shared, public world (walkthroughs, ``datasets/``): no key needed.
    course_key : bytes, optional
        The course's secret key; required for a trainee's world.

    Raises
    ------
    CourseKeyRequired
        If ``trainee`` is given without ``course_key``.

    Examples
    --------
    >>> world_seed(2020, None) == world_seed(2020, None)
    True
    >>> world_seed(2020, "t01", b"k" * 32) != world_seed(2020, "t02", b"k" * 32)
    True
    >>> world_seed(2020, "t01", b"k" * 32) != world_seed(2020, "t01", b"j" * 32)
    True
    """
    if trainee is None:
        return derive_seed(scenario_seed, "trainee", "")
    if not course_key:
        raise CourseKeyRequired(
            f"trainee {trainee!r}'s world can only be made with the course key, which stays "
            "with the instructor (darktrail locker shows where it is); without it only the "
            "shared world (no trainee) can be generated"
        )
    message = f"darktrail/{normalise_seed(scenario_seed)}/trainee/{trainee}".encode()
    return int.from_bytes(hmac.new(bytes(course_key), message, hashlib.sha256).digest()[:8], "big")


def sub_rng(seed: int, *labels: str) -> random.Random:
    """Return an independent :class:`random.Random` for a provider.

    Examples
    --------
    >>> sub_rng(7, "names").random() == sub_rng(7, "names").random()
    True
    """
    return random.Random(derive_seed(seed, *labels))


def numpy_rng(seed: int, *labels: str) -> np.random.Generator:
    """Return an independent numpy ``Generator`` (PCG64) for bulk draws.

    Examples
    --------
    >>> int(numpy_rng(7, "filler").integers(10)) == int(numpy_rng(7, "filler").integers(10))
    True
    """
    return np.random.default_rng(derive_seed(seed, *labels))
