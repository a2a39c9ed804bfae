"""Bitcoin plumbing for the world's ledger: blocks, addresses, scripts, sizes and txids.

Transactions are serialised in Bitcoin's real wire format (BIP-144 for segwit), so the
``txid`` is the genuine double SHA-256 of the non-witness serialisation (byte-reversed hex),
and the Bitcoin Core samples carry a ``hex`` that decodes to the same transaction. Signatures,
public keys and scriptSigs are synthetic bytes of the right shape and size (no private keys
exist), so sizes, weights and fees are realistic, but nothing would validate on a real node.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
from typing import NamedTuple

from .. import addresses as btc
from ..bitcoin import SCRIPT_TYPES

__all__ = [
    "INPUT_SIZES",
    "Utxo",
    "block_hash",
    "esplora_asm",
    "new_address",
    "script_for",
    "script_type",
    "serialise",
    "tx_sizes",
    "varint",
]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

#: (non-witness bytes, witness bytes) of one input spending each script type.
INPUT_SIZES = {t.esplora: t.input_bytes for t in SCRIPT_TYPES if t.input_bytes}
# The types the world pays to: an address encoder of darktrail.addresses and a payload size.
_MAKERS = {t.esplora: getattr(btc, t.address) for t in SCRIPT_TYPES if t.address}
_PAYLOAD = {t.esplora: t.payload_bytes for t in SCRIPT_TYPES if t.address}


class Utxo(NamedTuple):
    """An unspent output: where it is, how much, and what script locks it."""

    txid: str
    vout: int
    address: str
    value: int
    stype: str
    script: bytes


def new_address(rng, stype: str) -> tuple[str, bytes]:
    """Return a fresh address of a script type and its scriptPubKey (payload from ``rng``).

    Examples
    --------
    >>> import random
    >>> address, script = new_address(random.Random(1), "v0_p2wpkh")
    >>> script == btc.scriptpubkey(address), script_type(script)
    (True, 'v0_p2wpkh')
    """
    payload = rng.randbytes(_PAYLOAD[stype])
    return _MAKERS[stype](payload), script_for(stype, payload)


def script_for(stype: str, payload: bytes) -> bytes:
    """The scriptPubKey of a standard script type for its payload (hash or key)."""
    if stype == "p2pkh":
        return b"\x76\xa9\x14" + payload + b"\x88\xac"
    if stype == "p2sh":
        return b"\xa9\x14" + payload + b"\x87"
    if stype == "v1_p2tr":
        return b"\x51\x20" + payload
    return bytes([0, len(payload)]) + payload


def script_type(script: bytes) -> str:
    """Esplora's ``scriptpubkey_type`` of a standard scriptPubKey."""
    if script[:1] == b"\x76":
        return "p2pkh"
    if script[:1] == b"\xa9":
        return "p2sh"
    if script[:1] == b"\x6a":
        return "op_return"
    if script[:1] == b"\x51":
        return "v1_p2tr"
    return "v0_p2wpkh" if len(script) == 22 else "v0_p2wsh"


def esplora_asm(script: bytes) -> str:
    """Esplora's disassembly of a standard scriptPubKey.

    Examples
    --------
    >>> esplora_asm(bytes.fromhex("0014" + "ab" * 20)).split()[:2]
    ['OP_0', 'OP_PUSHBYTES_20']
    """
    if script[:2] == b"\x76\xa9":
        return f"OP_DUP OP_HASH160 OP_PUSHBYTES_20 {script[3:23].hex()} OP_EQUALVERIFY OP_CHECKSIG"
    if script[:1] == b"\xa9":
        return f"OP_HASH160 OP_PUSHBYTES_20 {script[2:22].hex()} OP_EQUAL"
    if script[:1] == b"\x6a":
        return f"OP_RETURN OP_PUSHBYTES_{script[1]} {script[2:].hex()}"
    op = "OP_0" if script[0] == 0 else "OP_PUSHNUM_1"
    return f"{op} OP_PUSHBYTES_{script[1]} {script[2:].hex()}"


def varint(n: int) -> bytes:
    """Bitcoin's CompactSize integer."""
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + struct.pack("<H", n)
    return b"\xfe" + struct.pack("<I", n)


def serialise(
    inputs: list[tuple[str, int, bytes, int]],
    outputs: list[tuple[int, bytes]],
    witnesses: list[list[bytes]] | None = None,
    version: int = 2,
    locktime: int = 0,
) -> bytes:
    """Serialise a transaction; with ``witnesses`` in the BIP-144 segwit format.

    ``inputs`` are ``(prev_txid_hex, vout, script_sig, sequence)``; ``outputs`` are
    ``(value, script_pubkey)``.
    """
    parts = [struct.pack("<i", version)]
    segwit = witnesses is not None and any(witnesses)
    if segwit:
        parts.append(b"\x00\x01")
    parts.append(varint(len(inputs)))
    for txid, vout, script_sig, sequence in inputs:
        parts.append(bytes.fromhex(txid)[::-1] + struct.pack("<I", vout))
        parts.append(varint(len(script_sig)) + script_sig + struct.pack("<I", sequence))
    parts.append(varint(len(outputs)))
    for value, script in outputs:
        parts.append(struct.pack("<q", value) + varint(len(script)) + script)
    if segwit:
        for stack in witnesses:
            parts.append(varint(len(stack)) + b"".join(varint(len(x)) + x for x in stack))
    parts.append(struct.pack("<I", locktime))
    return b"".join(parts)


def txid_of(raw_without_witness: bytes) -> str:
    """Double SHA-256, byte-reversed hex: a txid (or wtxid for the full serialisation)."""
    return hashlib.sha256(hashlib.sha256(raw_without_witness).digest()).digest()[::-1].hex()


def tx_sizes(input_types: list[str], output_scripts: list[bytes]) -> tuple[int, int]:
    """Return ``(size, weight)`` of a transaction spending and creating these scripts."""
    base = 4 + 4 + len(varint(len(input_types))) + len(varint(len(output_scripts)))
    witness = 0
    for stype in input_types:
        b, w = INPUT_SIZES[stype]
        base += b
        witness += w
    base += sum(9 + len(s) for s in output_scripts)
    if witness:
        witness += 2 + sum(1 for s in input_types if INPUT_SIZES[s][1] == 0)
    return base + witness, 4 * base + witness


def block_hash(seed: int, height: int) -> str:
    """A block hash for a height of this world (with a mainnet-like run of leading zeros)."""
    digest = hashlib.sha256(f"darktrail-block/{seed}/{height}".encode()).hexdigest()
    return "0" * 19 + digest[19:]


def unix(when: dt.datetime) -> int:
    """Seconds since the epoch of an aware datetime."""
    return int((when - EPOCH).total_seconds())
