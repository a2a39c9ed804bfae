"""Bitcoin facts the toolkit and the synthetic world share: units, dust, output script types.

One definition of each, so the world's ledger and the tools that read it cannot disagree:
:data:`COIN` (satoshis per bitcoin), :data:`DUST` (the relay dust limit) and
:data:`SCRIPT_TYPES`, one row per standard output script type with its Esplora name, its
Bitcoin Core name, the address kind that encodes it and the size of an input spending it.
:mod:`darktrail.ledger`, :mod:`darktrail.trace` and :mod:`darktrail.addresses` re-export or
derive from these; the world generator (:mod:`darktrail.world`) imports them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COIN",
    "DUST",
    "SCRIPT_TYPES",
    "ScriptType",
    "core_to_esplora",
    "esplora_to_core",
    "input_vsize",
]

#: Satoshis in one bitcoin.
COIN = 100_000_000

#: Dust limit in satoshis: Bitcoin Core's relay limit for a P2PKH output at 3 sat/vB.
DUST = 546


@dataclass(frozen=True)
class ScriptType:
    """One standard output script type, as each tool names it.

    Attributes
    ----------
    esplora : str
        Esplora's ``scriptpubkey_type`` (electrs ``rest.rs``), e.g. ``"v0_p2wpkh"``.
    core : str
        Bitcoin Core's ``scriptPubKey.type`` (``src/script/solver.cpp``), e.g.
        ``"witness_v0_keyhash"``.
    address : str or None
        :attr:`darktrail.addresses.Address.type` of the addresses that encode it, e.g.
        ``"p2wpkh"``; None for scripts without an address (bare keys, multisig, OP_RETURN).
    payload_bytes : int or None
        Length of what the script commits to (a hash, a key); None for scripts that have
        no fixed payload.
    input_bytes : tuple of int, or None
        (non-witness bytes, witness bytes) of a typical input spending it; None where the
        course never spends one.
    """

    esplora: str
    core: str
    address: str | None
    payload_bytes: int | None
    input_bytes: tuple[int, int] | None


#: The standard output script types.
SCRIPT_TYPES: tuple[ScriptType, ...] = (
    ScriptType("p2pk", "pubkey", None, 33, None),
    ScriptType("p2pkh", "pubkeyhash", "p2pkh", 20, (148, 0)),
    # P2SH inputs: P2SH-wrapped P2WPKH, what exchanges used in 2020.
    ScriptType("p2sh", "scripthash", "p2sh", 20, (64, 108)),
    ScriptType("multisig", "multisig", None, None, None),
    ScriptType("op_return", "nulldata", None, None, None),
    ScriptType("v0_p2wpkh", "witness_v0_keyhash", "p2wpkh", 20, (41, 108)),
    # P2WSH inputs: 2-of-3 multisig, e.g. a market's escrow.
    ScriptType("v0_p2wsh", "witness_v0_scripthash", "p2wsh", 32, (41, 254)),
    ScriptType("v1_p2tr", "witness_v1_taproot", "p2tr", 32, (41, 66)),
)

_BY_ESPLORA = {t.esplora: t for t in SCRIPT_TYPES}


def core_to_esplora() -> dict[str, str]:
    """Bitcoin Core type names mapped to Esplora's.

    Examples
    --------
    >>> core_to_esplora()["witness_v0_keyhash"]
    'v0_p2wpkh'
    """
    return {t.core: t.esplora for t in SCRIPT_TYPES}


def esplora_to_core() -> dict[str, str]:
    """Esplora type names mapped to Bitcoin Core's.

    Examples
    --------
    >>> esplora_to_core()["op_return"]
    'nulldata'
    """
    return {t.esplora: t.core for t in SCRIPT_TYPES}


def input_vsize(esplora: str) -> int:
    """Virtual size (vbytes, rounded up) of a typical input spending a script type.

    Parameters
    ----------
    esplora : str
        Esplora's name of the script type spent.

    Raises
    ------
    ValueError
        If the type is unknown or has no input size.

    Examples
    --------
    >>> [input_vsize(t) for t in ("p2pkh", "p2sh", "v0_p2wpkh", "v0_p2wsh", "v1_p2tr")]
    [148, 91, 68, 105, 58]
    """
    kind = _BY_ESPLORA.get(esplora)
    if kind is None or kind.input_bytes is None:
        known = [t.esplora for t in SCRIPT_TYPES if t.input_bytes]
        raise ValueError(f"no input size for script type {esplora!r} (known: {known})")
    base, witness = kind.input_bytes
    return -(-(4 * base + witness) // 4)
