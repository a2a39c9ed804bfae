"""Bitcoin ledgers in the Esplora REST shape: tables, graphs, balances and sanity checks.

A *ledger* here is a list of transactions exactly as an Esplora server (Blockstream's and
mempool.space's block explorer API) returns them from ``GET /tx/:txid``::

    {"txid": "...", "version": 2, "locktime": 0,
     "vin": [{"txid": "...", "vout": 0, "is_coinbase": false, "sequence": 4294967293,
              "scriptsig": "", "witness": ["..."],
              "prevout": {"scriptpubkey": "...", "scriptpubkey_type": "v0_p2wpkh",
                          "scriptpubkey_address": "bc1q...", "value": 150000}}],
     "vout": [{"scriptpubkey": "...", "scriptpubkey_type": "v0_p2wpkh",
               "scriptpubkey_address": "bc1q...", "value": 120000}],
     "size": 222, "weight": 561, "fee": 30000,
     "status": {"confirmed": true, "block_height": 800000, "block_hash": "...",
                "block_time": 1690168629}}

Amounts are integer satoshis (1 BTC = 100,000,000 sat) everywhere in this module; a float
never touches an amount. Bitcoin Core's ``getrawtransaction <txid> 2`` output, which writes
amounts in BTC, is converted with :func:`from_bitcoin_core`.

:class:`LedgerIndex` packs a ledger into flat integer arrays once (who spends which
output, values, addresses as numbers) so that the tracing tools in :mod:`darktrail.trace`
run over a million transactions in seconds. Every function that takes ``txs`` also
accepts a prebuilt index.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from darktrail.bitcoin import COIN, core_to_esplora

__all__ = [
    "COIN",
    "CORE_SCRIPT_TYPES",
    "LedgerError",
    "LedgerIndex",
    "address_graph",
    "address_history",
    "as_index",
    "balances",
    "btc_to_sats",
    "from_bitcoin_core",
    "inputs_frame",
    "outputs_frame",
    "sats_to_btc",
    "script_asm",
    "transaction_graph",
    "transactions_frame",
    "validate",
]

#: Bitcoin Core ``scriptPubKey.type`` names mapped to Esplora ``scriptpubkey_type`` names.
#: Core: ``src/script/solver.cpp`` (GetTxnOutputType); Esplora: electrs ``rest.rs``.
#: Anything else (``nonstandard``, ``witness_unknown``, ...) becomes ``"unknown"``.
#: (:data:`darktrail.bitcoin.SCRIPT_TYPES`; ``COIN`` is :data:`darktrail.bitcoin.COIN`.)
CORE_SCRIPT_TYPES: dict[str, str] = core_to_esplora()

_COINBASE_TXID = "0" * 64
_COINBASE_VOUT = 0xFFFFFFFF
_UNCONFIRMED_HEIGHT = np.iinfo(np.int64).max


class LedgerError(ValueError):
    """A ledger is inconsistent; ``problems`` lists every problem found, each naming its txid."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} ledger problem(s):\n  {shown}{more}")


# --------------------------------------------------------------------------- amounts


def sats_to_btc(sats: int) -> Decimal:
    """Return an amount of satoshis as an exact number of bitcoins.

    Parameters
    ----------
    sats : int
        Amount in satoshis.

    Returns
    -------
    decimal.Decimal
        The amount in BTC with eight decimal places.

    Raises
    ------
    ValueError
        If ``sats`` is not an integer (a float would hide rounding errors).

    Examples
    --------
    >>> sats_to_btc(12345)
    Decimal('0.00012345')
    >>> sats_to_btc(150_000_000)
    Decimal('1.50000000')
    """
    if isinstance(sats, bool) or not isinstance(sats, int | np.integer):
        raise ValueError(f"sats_to_btc needs an integer number of satoshis, got {sats!r}")
    return (Decimal(int(sats)) / COIN).quantize(Decimal("0.00000001"))


def btc_to_sats(btc: Decimal | str | int | float, *, where: str = "amount") -> int:
    """Return a BTC amount (as Bitcoin Core writes it) as an exact integer of satoshis.

    The conversion goes through :class:`decimal.Decimal`. A float is read through its
    shortest text form (``repr``), which is the number as it was written in the JSON.

    Parameters
    ----------
    btc : Decimal, str, int or float
        Amount in bitcoins, e.g. ``Decimal("0.00012345")``.
    where : str, default "amount"
        Where the amount came from, for the error message.

    Returns
    -------
    int
        The amount in satoshis.

    Raises
    ------
    ValueError
        If the amount is not a number, is negative, or has more than 8 decimal places.

    Examples
    --------
    >>> btc_to_sats(Decimal("0.00012345"))
    12345
    >>> btc_to_sats("1.5")
    150000000
    >>> btc_to_sats(0.1)  # the float 0.1 is read as written, not as 0.1000000000000000055...
    10000000
    """
    if isinstance(btc, bool) or not isinstance(btc, Decimal | str | int | float):
        raise ValueError(f"{where}: expected a BTC amount, got {btc!r}")
    try:
        amount = Decimal(repr(btc)) if isinstance(btc, float) else Decimal(btc)
    except InvalidOperation:
        raise ValueError(f"{where}: {btc!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{where}: {btc!r} is not a non-negative amount")
    sats = amount * COIN
    if sats != sats.to_integral_value():
        raise ValueError(f"{where}: {btc!r} BTC is not a whole number of satoshis")
    return int(sats)


# --------------------------------------------------------------------------- scripts

# Opcode names as Esplora prints them (rust-bitcoin's ``opcodes.rs``); pushes are handled
# apart. Codes not listed (0xbb-0xfe) print as OP_RETURN_<code>, as rust-bitcoin does.
_OPCODES = {
    0x00: "OP_0", 0x4F: "OP_PUSHNUM_NEG1", 0x50: "OP_RESERVED", 0x61: "OP_NOP", 0x62: "OP_VER",
    0x63: "OP_IF", 0x64: "OP_NOTIF", 0x65: "OP_VERIF", 0x66: "OP_VERNOTIF", 0x67: "OP_ELSE",
    0x68: "OP_ENDIF", 0x69: "OP_VERIFY", 0x6A: "OP_RETURN", 0x6B: "OP_TOALTSTACK",
    0x6C: "OP_FROMALTSTACK", 0x6D: "OP_2DROP", 0x6E: "OP_2DUP", 0x6F: "OP_3DUP",
    0x70: "OP_2OVER", 0x71: "OP_2ROT", 0x72: "OP_2SWAP", 0x73: "OP_IFDUP", 0x74: "OP_DEPTH",
    0x75: "OP_DROP", 0x76: "OP_DUP", 0x77: "OP_NIP", 0x78: "OP_OVER", 0x79: "OP_PICK",
    0x7A: "OP_ROLL", 0x7B: "OP_ROT", 0x7C: "OP_SWAP", 0x7D: "OP_TUCK", 0x7E: "OP_CAT",
    0x7F: "OP_SUBSTR", 0x80: "OP_LEFT", 0x81: "OP_RIGHT", 0x82: "OP_SIZE", 0x83: "OP_INVERT",
    0x84: "OP_AND", 0x85: "OP_OR", 0x86: "OP_XOR", 0x87: "OP_EQUAL", 0x88: "OP_EQUALVERIFY",
    0x89: "OP_RESERVED1", 0x8A: "OP_RESERVED2", 0x8B: "OP_1ADD", 0x8C: "OP_1SUB",
    0x8D: "OP_2MUL", 0x8E: "OP_2DIV", 0x8F: "OP_NEGATE", 0x90: "OP_ABS", 0x91: "OP_NOT",
    0x92: "OP_0NOTEQUAL", 0x93: "OP_ADD", 0x94: "OP_SUB", 0x95: "OP_MUL", 0x96: "OP_DIV",
    0x97: "OP_MOD", 0x98: "OP_LSHIFT", 0x99: "OP_RSHIFT", 0x9A: "OP_BOOLAND",
    0x9B: "OP_BOOLOR", 0x9C: "OP_NUMEQUAL", 0x9D: "OP_NUMEQUALVERIFY", 0x9E: "OP_NUMNOTEQUAL",
    0x9F: "OP_LESSTHAN", 0xA0: "OP_GREATERTHAN", 0xA1: "OP_LESSTHANOREQUAL",
    0xA2: "OP_GREATERTHANOREQUAL", 0xA3: "OP_MIN", 0xA4: "OP_MAX", 0xA5: "OP_WITHIN",
    0xA6: "OP_RIPEMD160", 0xA7: "OP_SHA1", 0xA8: "OP_SHA256", 0xA9: "OP_HASH160",
    0xAA: "OP_HASH256", 0xAB: "OP_CODESEPARATOR", 0xAC: "OP_CHECKSIG",
    0xAD: "OP_CHECKSIGVERIFY", 0xAE: "OP_CHECKMULTISIG", 0xAF: "OP_CHECKMULTISIGVERIFY",
    0xB0: "OP_NOP1", 0xB1: "OP_CLTV", 0xB2: "OP_CSV", 0xB3: "OP_NOP4", 0xB4: "OP_NOP5",
    0xB5: "OP_NOP6", 0xB6: "OP_NOP7", 0xB7: "OP_NOP8", 0xB8: "OP_NOP9", 0xB9: "OP_NOP10",
    0xBA: "OP_CHECKSIGADD", 0xFF: "OP_INVALIDOPCODE",
}  # fmt: skip
_OPCODES.update({0x50 + n: f"OP_PUSHNUM_{n}" for n in range(1, 17)})


def script_asm(script_hex: str) -> str:
    """Disassemble a script the way Esplora writes ``scriptpubkey_asm`` and ``scriptsig_asm``.

    Parameters
    ----------
    script_hex : str
        The script in hex, as in ``scriptpubkey`` or ``scriptsig``.

    Returns
    -------
    str
        Space-separated opcodes; pushes are ``OP_PUSHBYTES_<n> <hex>`` (or
        ``OP_PUSHDATA1/2/4 <hex>``). A push running past the end ends the text with
        ``<push past end>``.

    Raises
    ------
    ValueError
        If ``script_hex`` is not hex.

    Examples
    --------
    >>> script_asm("76a914" + "ab" * 20 + "88ac")  # P2PKH
    'OP_DUP OP_HASH160 OP_PUSHBYTES_20 abababababababababababababababababababab OP_EQUALVERIFY OP_CHECKSIG'
    >>> script_asm("5120" + "cd" * 32).split()[:2]  # P2TR
    ['OP_PUSHNUM_1', 'OP_PUSHBYTES_32']
    >>> script_asm("6a046461726b")
    'OP_RETURN OP_PUSHBYTES_4 6461726b'
    """
    try:
        script = bytes.fromhex(script_hex)
    except (TypeError, ValueError):
        raise ValueError(f"script {script_hex!r} is not hex") from None
    words: list[str] = []
    k = 0
    while k < len(script):
        op = script[k]
        k += 1
        if 0x01 <= op <= 0x4E:
            if op <= 0x4B:
                name, size = f"OP_PUSHBYTES_{op}", op
            else:
                width = {0x4C: 1, 0x4D: 2, 0x4E: 4}[op]
                name = f"OP_PUSHDATA{width}"
                if k + width > len(script):
                    words += [name, "<push past end>"]
                    break
                size = int.from_bytes(script[k : k + width], "little")
                k += width
            if k + size > len(script):
                words += [name, "<push past end>"]
                break
            words += [name, script[k : k + size].hex()]
            k += size
        else:
            words.append(_OPCODES.get(op, f"OP_RETURN_{op}"))
    return " ".join(words)


# --------------------------------------------------------------------------- Bitcoin Core


def from_bitcoin_core(
    raw: Mapping[str, Any] | str,
    prevouts: Mapping[tuple[str, int], Mapping[str, Any]] | Iterable[Any] | None = None,
    *,
    block_height: int | None = None,
) -> dict[str, Any]:
    """Convert Bitcoin Core ``getrawtransaction <txid> 2`` output to the Esplora shape.

    Parameters
    ----------
    raw : dict or str
        The verbose transaction, as a dict or as JSON text. Text is parsed with
        ``parse_float=Decimal`` so amounts stay exact.
    prevouts : mapping or iterable, optional
        Where to find the spent outputs when ``raw`` has no ``vin[].prevout`` (Core before
        version 25, or verbosity 1): either a mapping ``(txid, vout) -> vout entry`` (a
        ``vout`` element of the parent's ``getrawtransaction`` output) or an iterable of the
        parent transactions themselves (dicts or JSON text).
    block_height : int, optional
        ``getrawtransaction`` does not report the block height; pass it (from
        ``getblockheader <blockhash>``) to fill ``status.block_height``.

    Returns
    -------
    dict
        The transaction in Esplora's ``GET /tx/:txid`` shape, amounts in integer satoshis.
        The ``*_asm`` fields are recomputed from the script hex in Esplora's notation
        (:func:`script_asm`), since Core's ``asm`` is written differently. Esplora's
        ``inner_redeemscript_asm``/``inner_witnessscript_asm`` are not produced.

    Raises
    ------
    ValueError
        If a needed field is missing or malformed; the message names the field, e.g.
        ``vin[1].prevout``.

    Notes
    -----
    Type names are mapped with :data:`CORE_SCRIPT_TYPES` (``witness_v0_keyhash`` becomes
    ``v0_p2wpkh``). The fee is Core's ``fee`` field when present, else inputs minus outputs.
    ``status.confirmed`` is true when the transaction has a ``blockhash``.

    Examples
    --------
    >>> core = '''{"txid": "aa", "version": 2, "locktime": 0, "size": 110, "weight": 440,
    ...   "vin": [{"txid": "bb", "vout": 1, "sequence": 4294967293,
    ...            "scriptSig": {"asm": "", "hex": ""}, "txinwitness": ["30", "02"],
    ...            "prevout": {"generated": false, "height": 7, "value": 0.00012345,
    ...                        "scriptPubKey": {"hex": "0014", "address": "bc1qpayer",
    ...                                         "type": "witness_v0_keyhash"}}}],
    ...   "vout": [{"value": 0.00012000, "n": 0,
    ...             "scriptPubKey": {"hex": "0014", "address": "bc1qpayee",
    ...                              "type": "witness_v0_keyhash"}}],
    ...   "fee": 0.00000345}'''
    >>> tx = from_bitcoin_core(core)
    >>> tx["vin"][0]["prevout"]["value"], tx["vout"][0]["value"], tx["fee"]
    (12345, 12000, 345)
    >>> tx["vout"][0]["scriptpubkey_type"], tx["status"]
    ('v0_p2wpkh', {'confirmed': False})
    """
    tx = _parse_core(raw, "raw")
    txid = _need(tx, "txid", "transaction")
    label = f"transaction {txid}"
    lookup = _prevout_lookup(prevouts)

    vin = []
    total_in = 0
    for i, core_in in enumerate(_need(tx, "vin", label)):
        where = f"{label}: vin[{i}]"
        if "coinbase" in core_in:
            vin.append(
                {
                    "txid": _COINBASE_TXID,
                    "vout": _COINBASE_VOUT,
                    "prevout": None,
                    "scriptsig": core_in["coinbase"],
                    "scriptsig_asm": script_asm(core_in["coinbase"]),
                    "witness": list(core_in.get("txinwitness", [])),
                    "is_coinbase": True,
                    "sequence": core_in.get("sequence", 0xFFFFFFFF),
                }
            )
            continue
        prev_txid = _need(core_in, "txid", where)
        prev_vout = _need(core_in, "vout", where)
        core_prev = core_in.get("prevout")
        if core_prev is None:
            core_prev = lookup.get((prev_txid, prev_vout))
        if core_prev is None:
            raise ValueError(
                f"{where}.prevout is missing: call getrawtransaction with verbosity 2 "
                f"(Bitcoin Core 25 or later) or pass the parent {prev_txid} in prevouts"
            )
        prevout = _core_output(core_prev, f"{where}.prevout")
        total_in += prevout["value"]
        scriptsig = _need(core_in, "scriptSig", where).get("hex", "")
        entry = {
            "txid": prev_txid,
            "vout": prev_vout,
            "prevout": prevout,
            "scriptsig": scriptsig,
            "scriptsig_asm": script_asm(scriptsig),
            "is_coinbase": False,
            "sequence": _need(core_in, "sequence", where),
        }
        if core_in.get("txinwitness"):
            entry["witness"] = list(core_in["txinwitness"])
        vin.append(entry)

    vout = [_core_output(o, f"{label}: vout[{n}]") for n, o in enumerate(_need(tx, "vout", label))]
    total_out = sum(o["value"] for o in vout)
    if "fee" in tx:
        fee = btc_to_sats(tx["fee"], where=f"{label}: fee")
    elif all(entry["is_coinbase"] for entry in vin):
        fee = 0
    else:
        fee = total_in - total_out

    status: dict[str, Any] = {"confirmed": bool(tx.get("blockhash"))}
    if status["confirmed"]:
        status.update(
            block_height=block_height,
            block_hash=tx["blockhash"],
            block_time=tx.get("blocktime", tx.get("time")),
        )
    return {
        "txid": txid,
        "version": _need(tx, "version", label),
        "locktime": _need(tx, "locktime", label),
        "vin": vin,
        "vout": vout,
        "size": _need(tx, "size", label),
        "weight": _need(tx, "weight", label),
        "fee": fee,
        "status": status,
    }


def _parse_core(raw: Any, where: str) -> Mapping[str, Any]:
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw, parse_float=Decimal)
        except json.JSONDecodeError as err:
            raise ValueError(f"{where} is not valid JSON: {err}") from None
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a getrawtransaction JSON object, got {type(raw)}")
    return raw


def _need(obj: Mapping[str, Any], field: str, where: str) -> Any:
    if not isinstance(obj, Mapping):
        raise ValueError(f"{where}: expected a JSON object, got {obj!r}")
    if field not in obj or obj[field] is None:
        raise ValueError(f"{where}: field {field!r} is missing")
    return obj[field]


def _core_output(core_out: Mapping[str, Any], where: str) -> dict[str, Any]:
    spk = _need(core_out, "scriptPubKey", where)
    core_type = _need(spk, "type", f"{where}.scriptPubKey")
    script = _need(spk, "hex", f"{where}.scriptPubKey")
    out = {
        "scriptpubkey": script,
        "scriptpubkey_asm": script_asm(script),
        "scriptpubkey_type": CORE_SCRIPT_TYPES.get(core_type, "unknown"),
    }
    if spk.get("address"):
        out["scriptpubkey_address"] = spk["address"]
    out["value"] = btc_to_sats(_need(core_out, "value", where), where=f"{where}.value")
    return out


def _prevout_lookup(prevouts: Any) -> Mapping[tuple[str, int], Mapping[str, Any]]:
    if prevouts is None:
        return {}
    if isinstance(prevouts, Mapping):
        return prevouts
    lookup = {}
    for k, parent in enumerate(prevouts):
        parent = _parse_core(parent, f"prevouts[{k}]")
        ptxid = _need(parent, "txid", f"prevouts[{k}]")
        for n, out in enumerate(_need(parent, "vout", f"prevouts[{k}]")):
            lookup[(ptxid, out.get("n", n))] = out
    return lookup


# --------------------------------------------------------------------------- the index


class LedgerIndex:
    """A ledger packed into flat arrays for fast tracing; build it once, reuse it.

    Transactions, inputs and outputs are numbered. Inputs of transaction ``t`` are rows
    ``in_ptr[t]:in_ptr[t+1]`` of the ``in_*`` arrays, outputs are rows
    ``out_ptr[t]:out_ptr[t+1]`` of the ``out_*`` arrays (output ``vout`` of ``t`` is row
    ``out_ptr[t] + vout``).

    Parameters
    ----------
    txs : iterable of dict
        Transactions in the Esplora shape, in any order.

    Raises
    ------
    ValueError
        If a transaction misses a field, an amount is not a non-negative integer, a txid
        repeats, an input spends an output number its parent does not have, or two inputs
        spend the same output. Use :func:`validate` for a full report.

    Attributes
    ----------
    txs : list of dict
        The transactions, in the order given.
    txids : list of str
        ``txids[t]`` is the txid of transaction ``t``.
    addresses : list of str
        ``addresses[a]`` is address number ``a``; ``in_addr`` and ``out_addr`` hold these
        numbers (-1 for no address: coinbase inputs, OP_RETURN outputs).
    in_prev_out : numpy.ndarray
        For each input, the output row it spends, or -1 (coinbase, or parent not in ledger).
    out_spent_by : numpy.ndarray
        For each output, the transaction that spends it, or -1 (unspent in this ledger).
    rank : numpy.ndarray
        Chronological position of each transaction: by block height (unconfirmed last),
        then ledger order, adjusted so that a parent always comes before its child.
    order : numpy.ndarray
        The transactions in that order (``order[rank[t]] == t``).

    Examples
    --------
    >>> txs = [
    ...     {"txid": "a", "vin": [{"is_coinbase": True, "prevout": None}],
    ...      "vout": [{"scriptpubkey_address": "miner", "scriptpubkey_type": "p2pkh",
    ...                "value": 5000}]},
    ...     {"txid": "b", "vin": [{"txid": "a", "vout": 0, "is_coinbase": False,
    ...                            "prevout": {"scriptpubkey_address": "miner",
    ...                                        "scriptpubkey_type": "p2pkh", "value": 5000}}],
    ...      "vout": [{"scriptpubkey_address": "shop", "scriptpubkey_type": "p2pkh",
    ...                "value": 4000}]},
    ... ]
    >>> index = LedgerIndex(txs)
    >>> index.n_tx, index.spender("a", 0), index.spender("b", 0)
    (2, 'b', None)
    """

    def __init__(self, txs: Iterable[Mapping[str, Any]]) -> None:
        self.txs: list[Mapping[str, Any]] = list(txs)
        txids: list[str] = []
        tx_pos: dict[str, int] = {}
        n_in: list[int] = []
        n_out: list[int] = []
        heights: list[int | None] = []
        times: list[int | None] = []
        in_prev_txid: list[str | None] = []
        in_prev_vout: list[int] = []
        in_addr: list[str | None] = []
        in_type: list[str | None] = []
        in_value: list[Any] = []
        out_addr: list[str | None] = []
        out_type: list[str | None] = []
        out_value: list[Any] = []
        # Bound methods: this loop runs once per input and output of the whole ledger.
        add_prev_txid, add_prev_vout = in_prev_txid.append, in_prev_vout.append
        add_in_addr, add_in_type, add_in_value = in_addr.append, in_type.append, in_value.append
        add_out_addr, add_out_type = out_addr.append, out_type.append
        add_out_value = out_value.append
        no_status: dict[str, Any] = {}

        for t, tx in enumerate(self.txs):
            try:
                txid = tx["txid"]
                vin = tx["vin"]
                vout = tx["vout"]
            except (KeyError, TypeError):
                raise ValueError(
                    f"transaction #{t} lacks txid/vin/vout: not an Esplora transaction"
                ) from None
            if txid in tx_pos:
                raise ValueError(f"transaction {txid} appears twice in the ledger")
            tx_pos[txid] = t
            txids.append(txid)
            status = tx.get("status") or no_status
            heights.append(status.get("block_height"))
            times.append(status.get("block_time"))
            n_in.append(len(vin))
            n_out.append(len(vout))
            try:
                for inp in vin:
                    if inp.get("is_coinbase"):
                        add_prev_txid(None)
                        add_prev_vout(-1)
                        add_in_addr(None)
                        add_in_type(None)
                        add_in_value(0)
                        continue
                    prevout = inp["prevout"]
                    add_in_value(prevout["value"])
                    add_in_addr(prevout.get("scriptpubkey_address"))
                    add_in_type(prevout.get("scriptpubkey_type"))
                    add_prev_txid(inp["txid"])
                    add_prev_vout(inp["vout"])
                for out in vout:
                    add_out_value(out["value"])
                    add_out_addr(out.get("scriptpubkey_address"))
                    add_out_type(out.get("scriptpubkey_type"))
            except (KeyError, TypeError, AttributeError):
                raise ValueError(_malformed(tx)) from None

        # Number addresses and script types (pandas.factorize: C speed, None -> -1).
        n_in_rows = len(in_addr)
        codes, uniques = pd.factorize(np.array(in_addr + out_addr, dtype=object))
        self.addresses: list[str] = uniques.tolist()
        self.in_addr = codes[:n_in_rows].astype(np.int64)
        self.out_addr = codes[n_in_rows:].astype(np.int64)
        codes, uniques = pd.factorize(np.array(in_type + out_type, dtype=object))
        self.types: list[str] = uniques.tolist()
        self.in_type = codes[:n_in_rows].astype(np.int64)
        self.out_type = codes[n_in_rows:].astype(np.int64)
        self._address_id: dict[str, int] | None = None
        self.txids = txids
        self.tx_pos = tx_pos
        n = len(txids)
        self.n_tx = n
        self.n_in = np.array(n_in, dtype=np.int64)
        self.n_out = np.array(n_out, dtype=np.int64)
        self.in_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(self.n_in, out=self.in_ptr[1:])
        self.out_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(self.n_out, out=self.out_ptr[1:])
        unconfirmed = int(_UNCONFIRMED_HEIGHT)
        self.height = np.array([unconfirmed if h is None else h for h in heights], dtype=np.int64)
        self.block_time = np.array([-1 if b is None else b for b in times], dtype=np.int64)
        self.in_tx = np.repeat(np.arange(n, dtype=np.int64), self.n_in)
        self.out_tx = np.repeat(np.arange(n, dtype=np.int64), self.n_out)
        self.in_value = self._amounts(in_value, self.in_tx, "vin prevout value")
        self.out_value = self._amounts(out_value, self.out_tx, "vout value")
        self.in_coinbase = np.array([p is None for p in in_prev_txid], dtype=bool)

        # Resolve each input to the output row it spends (-1 if outside the ledger).
        prev_tx = np.array([-1 if p is None else tx_pos.get(p, -1) for p in in_prev_txid])
        prev_tx = prev_tx.astype(np.int64, copy=False)
        prev_vout = np.array(in_prev_vout, dtype=np.int64)
        inside = prev_tx >= 0
        bad = inside & ((prev_vout < 0) | (prev_vout >= self.n_out[np.where(inside, prev_tx, 0)]))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"transaction {txids[self.in_tx[row]]} spends {in_prev_txid[row]}:"
                f"{in_prev_vout[row]}, an output that transaction does not have"
            )
        self.in_prev_out = np.where(
            inside, self.out_ptr[np.where(inside, prev_tx, 0)] + prev_vout, -1
        )
        spent_rows = self.in_prev_out[inside]
        self.out_spent_by = np.full(len(self.out_value), -1, dtype=np.int64)
        self.out_spent_by[spent_rows] = self.in_tx[inside]
        ordered = np.sort(spent_rows)
        twice = ordered[1:][ordered[1:] == ordered[:-1]]
        if len(twice):
            row = int(twice[0])
            spenders = sorted({txids[t] for t in self.in_tx[self.in_prev_out == row]})
            raise ValueError(
                f"double spend: output {txids[self.out_tx[row]]}:{row - self.out_ptr[self.out_tx[row]]}"
                f" is spent by {', '.join(spenders)}"
            )
        # Inputs whose parent is not in the ledger, by outpoint (used for taint sources).
        self.external = {
            (in_prev_txid[row], in_prev_vout[row]): row
            for row in np.flatnonzero(~inside & ~self.in_coinbase).tolist()
        }
        self.rank = self._chronological_rank(prev_tx)
        self.order = np.argsort(self.rank)
        self._first_seen: np.ndarray | None = None

    def _amounts(self, values: list[Any], owner: np.ndarray, what: str) -> np.ndarray:
        array = np.array(values) if values else np.zeros(0, dtype=np.int64)
        if array.dtype.kind not in "iu":
            for k, v in enumerate(values):
                if isinstance(v, bool) or not isinstance(v, int):
                    raise ValueError(
                        f"transaction {self.txids[owner[k]]}: {what} {v!r} is not an integer "
                        "number of satoshis"
                    )
        array = array.astype(np.int64, copy=False)
        if (array < 0).any():
            k = int(np.flatnonzero(array < 0)[0])
            raise ValueError(f"transaction {self.txids[owner[k]]}: {what} {values[k]} is negative")
        return array

    def _chronological_rank(self, prev_tx: np.ndarray) -> np.ndarray:
        n = self.n_tx
        order = np.lexsort((np.arange(n), self.height))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        inside = prev_tx >= 0
        if (rank[prev_tx[inside]] < rank[self.in_tx[inside]]).all():
            return rank
        # Some child comes before its parent: topological sort, ties by (height, position).
        children: dict[int, list[int]] = defaultdict(list)
        waiting = np.zeros(n, dtype=np.int64)
        for parent, child in zip(
            prev_tx[inside].tolist(), self.in_tx[inside].tolist(), strict=True
        ):
            if parent == child:
                raise ValueError(f"transaction {self.txids[child]} spends its own output")
            children[parent].append(child)
            waiting[child] += 1
        heights = self.height.tolist()
        ready = [(heights[t], t) for t in np.flatnonzero(waiting == 0).tolist()]
        heapq.heapify(ready)
        waiting_list = waiting.tolist()
        position = 0
        while ready:
            _, t = heapq.heappop(ready)
            rank[t] = position
            position += 1
            for child in children.get(t, ()):
                waiting_list[child] -= 1
                if waiting_list[child] == 0:
                    heapq.heappush(ready, (heights[child], child))
        if position != n:
            raise ValueError("the ledger has a spending cycle: it cannot be a real blockchain")
        return rank

    @property
    def address_id(self) -> dict[str, int]:
        """Mapping address -> address number (built on first use)."""
        if self._address_id is None:
            self._address_id = {a: k for k, a in enumerate(self.addresses)}
        return self._address_id

    def __len__(self) -> int:
        return self.n_tx

    def __repr__(self) -> str:
        return (
            f"<LedgerIndex: {self.n_tx} transactions, {len(self.in_value)} inputs, "
            f"{len(self.out_value)} outputs, {len(self.addresses)} addresses>"
        )

    def position(self, txid: str) -> int:
        """Return the number of transaction ``txid``; ValueError if it is not in the ledger."""
        try:
            return self.tx_pos[txid]
        except (KeyError, TypeError):
            raise ValueError(f"transaction {txid!r} is not in the ledger") from None

    def output_row(self, txid: str, vout: int) -> int:
        """Return the output row of outpoint ``txid:vout``; ValueError if it does not exist."""
        t = self.position(txid)
        if isinstance(vout, bool) or not isinstance(vout, int | np.integer):
            raise ValueError(f"output number {vout!r} of {txid} is not an integer")
        if not 0 <= vout < self.n_out[t]:
            raise ValueError(f"transaction {txid} has no output {vout} (it has {self.n_out[t]})")
        return int(self.out_ptr[t] + vout)

    def spender(self, txid: str, vout: int) -> str | None:
        """Return the txid that spends ``txid:vout`` in this ledger, or None if unspent."""
        t = self.out_spent_by[self.output_row(txid, vout)]
        return None if t < 0 else self.txids[t]

    def tx(self, txid: str) -> Mapping[str, Any]:
        """Return the transaction dict with this txid."""
        return self.txs[self.position(txid)]

    def first_seen_rank(self) -> np.ndarray:
        """Return, for each address, the :attr:`rank` of the first transaction that uses it.

        An address is used by a transaction that pays it or spends from it. Computed once
        and cached.
        """
        if self._first_seen is None:
            first = np.full(len(self.addresses), np.iinfo(np.int64).max, dtype=np.int64)
            for addr, owner in ((self.in_addr, self.in_tx), (self.out_addr, self.out_tx)):
                known = addr >= 0
                np.minimum.at(first, addr[known], self.rank[owner[known]])
            self._first_seen = first
        return self._first_seen


def _malformed(tx: Mapping[str, Any]) -> str:
    """Say what is wrong with a transaction the index could not read."""
    txid = tx.get("txid")
    for i, inp in enumerate(tx["vin"]):
        if not isinstance(inp, Mapping):
            return f"transaction {txid}: vin[{i}] is not an object"
        if inp.get("is_coinbase"):
            continue
        if not isinstance(inp.get("prevout"), Mapping):
            return f"transaction {txid}: vin[{i}] has no prevout"
        for field in ("txid", "vout"):
            if field not in inp:
                return f"transaction {txid}: vin[{i}] has no {field!r}"
        if "value" not in inp["prevout"]:
            return f"transaction {txid}: vin[{i}].prevout has no 'value'"
    for n, out in enumerate(tx["vout"]):
        if not isinstance(out, Mapping) or "value" not in out:
            return f"transaction {txid}: vout[{n}] has no 'value'"
    return f"transaction {txid} is malformed"


def as_index(txs: Iterable[Mapping[str, Any]] | LedgerIndex) -> LedgerIndex:
    """Return ``txs`` if it is already a :class:`LedgerIndex`, else build one.

    Examples
    --------
    >>> index = as_index([])
    >>> as_index(index) is index
    True
    """
    return txs if isinstance(txs, LedgerIndex) else LedgerIndex(txs)


def _tx_list(txs: Iterable[Mapping[str, Any]] | LedgerIndex) -> list[Mapping[str, Any]]:
    return txs.txs if isinstance(txs, LedgerIndex) else list(txs)


# --------------------------------------------------------------------------- tables


def _utc(seconds: Sequence[int | None]) -> pd.Series:
    return pd.to_datetime(pd.Series(seconds, dtype="Int64"), unit="s", utc=True)


def _status(tx: Mapping[str, Any]) -> Mapping[str, Any]:
    return tx.get("status") or {}


def inputs_frame(txs: Iterable[Mapping[str, Any]] | LedgerIndex) -> pd.DataFrame:
    """Return one row per transaction input.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.

    Returns
    -------
    pandas.DataFrame
        Columns ``txid, index, prev_txid, prev_vout, address, type, value, block_time,
        is_coinbase``. ``value`` is int64 satoshis; ``block_time`` is a UTC datetime (NaT when
        unconfirmed). A coinbase input has no previous output: value 0, address missing.

    Examples
    --------
    >>> tx = {"txid": "b", "vin": [{"txid": "a", "vout": 1, "is_coinbase": False,
    ...        "prevout": {"scriptpubkey_address": "alice", "scriptpubkey_type": "p2pkh",
    ...                    "value": 5000}}], "vout": [],
    ...       "status": {"confirmed": True, "block_time": 1700000000}}
    >>> print(inputs_frame([tx])[["prev_txid", "prev_vout", "address", "value"]].to_string())
      prev_txid  prev_vout address  value
    0         a          1   alice   5000
    """
    rows = []
    for tx in _tx_list(txs):
        block_time = _status(tx).get("block_time")
        for i, inp in enumerate(tx["vin"]):
            prevout = inp.get("prevout") or {}
            coinbase = bool(inp.get("is_coinbase"))
            rows.append(
                (
                    tx["txid"],
                    i,
                    None if coinbase else inp.get("txid"),
                    None if coinbase else inp.get("vout"),
                    prevout.get("scriptpubkey_address"),
                    prevout.get("scriptpubkey_type"),
                    prevout.get("value", 0),
                    block_time,
                    coinbase,
                )
            )
    columns = ["txid", "index", "prev_txid", "prev_vout", "address", "type", "value"]
    frame = pd.DataFrame([r[:7] for r in rows], columns=columns)
    frame["prev_vout"] = frame["prev_vout"].astype("Int64")
    frame["value"] = frame["value"].astype(np.int64)
    frame["block_time"] = _utc([r[7] for r in rows])
    frame["is_coinbase"] = pd.Series([r[8] for r in rows], dtype=bool)
    return frame


def _spenders(tx_list: Sequence[Mapping[str, Any]]) -> dict[tuple[str, int], str]:
    spent_by = {}
    for tx in tx_list:
        for inp in tx["vin"]:
            if not inp.get("is_coinbase"):
                spent_by[(inp["txid"], inp["vout"])] = tx["txid"]
    return spent_by


def outputs_frame(txs: Iterable[Mapping[str, Any]] | LedgerIndex) -> pd.DataFrame:
    """Return one row per transaction output, with the transaction that spends it.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.

    Returns
    -------
    pandas.DataFrame
        Columns ``txid, vout, address, type, value, spent_by, block_time``. ``spent_by`` is
        the spending txid within this ledger, missing (NA) when unspent here. ``value`` is
        int64 satoshis.

    Examples
    --------
    >>> txs = [
    ...     {"txid": "a", "vin": [], "vout": [
    ...         {"scriptpubkey_address": "alice", "scriptpubkey_type": "p2pkh", "value": 700},
    ...         {"scriptpubkey_address": "bob", "scriptpubkey_type": "p2pkh", "value": 300}]},
    ...     {"txid": "b", "vin": [{"txid": "a", "vout": 1, "is_coinbase": False,
    ...        "prevout": {"scriptpubkey_address": "bob", "value": 300}}], "vout": []},
    ... ]
    >>> frame = outputs_frame(txs)
    >>> frame["spent_by"].isna().tolist(), frame.loc[1, "spent_by"]
    ([True, False], 'b')
    """
    tx_list = _tx_list(txs)
    spent_by = _spenders(tx_list)
    rows = []
    times = []
    for tx in tx_list:
        block_time = _status(tx).get("block_time")
        for n, out in enumerate(tx["vout"]):
            rows.append(
                (
                    tx["txid"],
                    n,
                    out.get("scriptpubkey_address"),
                    out.get("scriptpubkey_type"),
                    out["value"],
                    spent_by.get((tx["txid"], n)),
                )
            )
            times.append(block_time)
    frame = pd.DataFrame(rows, columns=["txid", "vout", "address", "type", "value", "spent_by"])
    frame["vout"] = frame["vout"].astype(np.int64)
    frame["value"] = frame["value"].astype(np.int64)
    frame["block_time"] = _utc(times)
    return frame


def transactions_frame(txs: Iterable[Mapping[str, Any]] | LedgerIndex) -> pd.DataFrame:
    """Return one row per transaction with its totals.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.

    Returns
    -------
    pandas.DataFrame
        Columns ``txid, n_in, n_out, in_value, out_value, fee, is_coinbase, block_height,
        block_time, size, weight``. Amounts are int64 satoshis; ``fee`` is the transaction's
        ``fee`` field, or ``in_value - out_value`` when it has none (0 for a coinbase).

    Examples
    --------
    >>> tx = {"txid": "b", "vin": [{"txid": "a", "vout": 0, "is_coinbase": False,
    ...        "prevout": {"value": 1000}}], "vout": [{"value": 900}, {"value": 50}]}
    >>> transactions_frame([tx]).loc[0, ["n_in", "n_out", "in_value", "out_value", "fee"]].tolist()
    [1, 2, 1000, 950, 50]
    """
    rows = []
    for tx in _tx_list(txs):
        coinbase = any(inp.get("is_coinbase") for inp in tx["vin"])
        in_value = sum((inp.get("prevout") or {}).get("value", 0) for inp in tx["vin"])
        out_value = sum(out["value"] for out in tx["vout"])
        fee = tx.get("fee")
        if fee is None:
            fee = 0 if coinbase else in_value - out_value
        status = _status(tx)
        rows.append(
            (
                tx["txid"],
                len(tx["vin"]),
                len(tx["vout"]),
                in_value,
                out_value,
                fee,
                coinbase,
                status.get("block_height"),
                status.get("block_time"),
                tx.get("size"),
                tx.get("weight"),
            )
        )
    columns = ["txid", "n_in", "n_out", "in_value", "out_value", "fee", "is_coinbase"]
    frame = pd.DataFrame([r[:7] for r in rows], columns=columns)
    for column in ["n_in", "n_out", "in_value", "out_value", "fee"]:
        frame[column] = frame[column].astype(np.int64)
    frame["is_coinbase"] = frame["is_coinbase"].astype(bool)
    frame["block_height"] = pd.Series([r[7] for r in rows], dtype="Int64")
    frame["block_time"] = _utc([r[8] for r in rows])
    frame["size"] = pd.Series([r[9] for r in rows], dtype="Int64")
    frame["weight"] = pd.Series([r[10] for r in rows], dtype="Int64")
    return frame


# --------------------------------------------------------------------------- graphs


def transaction_graph(txs: Iterable[Mapping[str, Any]] | LedgerIndex) -> nx.DiGraph:
    """Return the graph of transactions linked by the outputs they spend.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.

    Returns
    -------
    networkx.DiGraph
        One node per txid (attributes ``block_height``, ``block_time``); an edge
        ``parent -> child`` when ``child`` spends outputs of ``parent``, with attributes
        ``value`` (satoshis moved along the edge) and ``vouts`` (the parent's output numbers).
        Parents outside the ledger are not added.

    Examples
    --------
    >>> txs = [
    ...     {"txid": "a", "vin": [], "vout": [{"value": 700}, {"value": 300}]},
    ...     {"txid": "b", "vin": [
    ...         {"txid": "a", "vout": 0, "is_coinbase": False, "prevout": {"value": 700}},
    ...         {"txid": "a", "vout": 1, "is_coinbase": False, "prevout": {"value": 300}}],
    ...      "vout": [{"value": 990}]},
    ... ]
    >>> graph = transaction_graph(txs)
    >>> graph.edges["a", "b"]
    {'value': 1000, 'vouts': [0, 1]}
    """
    tx_list = _tx_list(txs)
    graph = nx.DiGraph()
    values = {}
    for tx in tx_list:
        status = _status(tx)
        graph.add_node(
            tx["txid"], block_height=status.get("block_height"), block_time=status.get("block_time")
        )
        for n, out in enumerate(tx["vout"]):
            values[(tx["txid"], n)] = out["value"]
    for tx in tx_list:
        for inp in tx["vin"]:
            outpoint = (inp.get("txid"), inp.get("vout"))
            if inp.get("is_coinbase") or outpoint not in values:
                continue
            if graph.has_edge(outpoint[0], tx["txid"]):
                edge = graph.edges[outpoint[0], tx["txid"]]
                edge["value"] += values[outpoint]
                edge["vouts"].append(outpoint[1])
            else:
                graph.add_edge(outpoint[0], tx["txid"], value=values[outpoint], vouts=[outpoint[1]])
    return graph


def address_graph(txs: Iterable[Mapping[str, Any]] | LedgerIndex) -> nx.DiGraph:
    """Return the graph of payments from input addresses to output addresses.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.

    Returns
    -------
    networkx.DiGraph
        One node per address. An edge ``a -> b`` aggregates every transaction in which
        ``a`` is an input address and ``b`` an output address, with attributes ``value``
        (satoshis, see Notes), ``n_tx`` (number of such transactions) and ``txids``.

    Notes
    -----
    A plain :class:`~networkx.DiGraph` (one edge per address pair, totals on the edge) is
    used rather than a MultiDiGraph: investigators ask "how much went from a to b", and
    per-transaction detail stays available in ``txids``.

    A transaction does not say which input paid which output. When it has several inputs,
    each output's value is shared among the input addresses in proportion to what each
    contributed (rounded down), so the edge values of a transaction add up to at most its
    output total. With a single input address (most payments) the value is exact.
    Change paid back to an input address shows as a self-loop. Coinbase inputs and
    outputs without an address (OP_RETURN) are left out.

    Examples
    --------
    >>> tx = {"txid": "t", "vin": [
    ...     {"txid": "p", "vout": 0, "is_coinbase": False,
    ...      "prevout": {"scriptpubkey_address": "alice", "value": 600}},
    ...     {"txid": "p", "vout": 1, "is_coinbase": False,
    ...      "prevout": {"scriptpubkey_address": "carol", "value": 400}}],
    ...     "vout": [{"scriptpubkey_address": "bob", "value": 900}]}
    >>> graph = address_graph([tx])
    >>> graph.edges["alice", "bob"]["value"], graph.edges["carol", "bob"]["value"]
    (540, 360)
    """
    graph = nx.DiGraph()
    for tx in _tx_list(txs):
        contributed: Counter[str] = Counter()
        total_in = 0
        for inp in tx["vin"]:
            prevout = inp.get("prevout") or {}
            total_in += prevout.get("value", 0)
            if not inp.get("is_coinbase") and prevout.get("scriptpubkey_address"):
                contributed[prevout["scriptpubkey_address"]] += prevout.get("value", 0)
        received: Counter[str] = Counter()
        for out in tx["vout"]:
            if out.get("scriptpubkey_address"):
                received[out["scriptpubkey_address"]] += out["value"]
        graph.add_nodes_from(contributed)
        graph.add_nodes_from(received)
        for source, paid_in in contributed.items():
            for target, value in received.items():
                share = value * paid_in // total_in if total_in else 0
                if graph.has_edge(source, target):
                    edge = graph.edges[source, target]
                    edge["value"] += share
                    edge["n_tx"] += 1
                    edge["txids"].append(tx["txid"])
                else:
                    graph.add_edge(source, target, value=share, n_tx=1, txids=[tx["txid"]])
    return graph


# --------------------------------------------------------------------------- balances


def _address_set(addresses: str | Iterable[str]) -> list[str]:
    if isinstance(addresses, str):
        return [addresses]
    wanted = list(dict.fromkeys(addresses))
    if not all(isinstance(a, str) for a in wanted):
        raise ValueError("addresses must be strings")
    return wanted


def address_history(
    txs: Iterable[Mapping[str, Any]] | LedgerIndex, addresses: str | Iterable[str]
) -> pd.DataFrame:
    """Return the transaction history of addresses: what each received, sent and held.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.
    addresses : str or iterable of str
        One address, or the addresses of a wallet (e.g. a market's cluster).

    Returns
    -------
    pandas.DataFrame
        One row per (address, transaction touching it), in chronological order:
        ``address, txid, block_height, block_time, received, sent, delta, balance``.
        ``received`` sums the transaction's outputs to the address, ``sent`` its inputs
        spending from it, ``delta = received - sent`` and ``balance`` is the running total
        per address. Amounts are int64 satoshis.

    Raises
    ------
    ValueError
        If an address never appears in the ledger (often a typo).

    Examples
    --------
    >>> pay = lambda a, v: {"scriptpubkey_address": a, "value": v}
    >>> txs = [
    ...     {"txid": "t1", "vin": [], "vout": [pay("shop", 5000)],
    ...      "status": {"block_height": 1, "block_time": 1700000000}},
    ...     {"txid": "t2", "vin": [{"txid": "t1", "vout": 0, "is_coinbase": False,
    ...        "prevout": pay("shop", 5000)}], "vout": [pay("vendor", 3000), pay("shop", 1900)],
    ...      "status": {"block_height": 2, "block_time": 1700000600}},
    ... ]
    >>> address_history(txs, "shop")[["txid", "received", "sent", "balance"]].values.tolist()
    [['t1', 5000, 0, 5000], ['t2', 1900, 5000, 1900]]
    """
    index = as_index(txs)
    wanted = _address_set(addresses)
    ids = []
    for address in wanted:
        if address not in index.address_id:
            raise ValueError(f"address {address!r} does not appear in the ledger")
        ids.append(index.address_id[address])
    ids_array = np.array(ids, dtype=np.int64)
    in_rows = np.flatnonzero(np.isin(index.in_addr, ids_array))
    out_rows = np.flatnonzero(np.isin(index.out_addr, ids_array))
    parts = pd.concat(
        [
            pd.DataFrame(
                {
                    "addr": index.out_addr[out_rows],
                    "tx": index.out_tx[out_rows],
                    "received": index.out_value[out_rows],
                    "sent": np.zeros(len(out_rows), dtype=np.int64),
                }
            ),
            pd.DataFrame(
                {
                    "addr": index.in_addr[in_rows],
                    "tx": index.in_tx[in_rows],
                    "received": np.zeros(len(in_rows), dtype=np.int64),
                    "sent": index.in_value[in_rows],
                }
            ),
        ],
        ignore_index=True,
    )
    history = parts.groupby(["addr", "tx"], as_index=False)[["received", "sent"]].sum()
    history["rank"] = index.rank[history["tx"].to_numpy()]
    order = {a: k for k, a in enumerate(ids)}
    history["order"] = history["addr"].map(order)
    history = history.sort_values(["order", "rank"], kind="stable").reset_index(drop=True)
    tx_rows = history["tx"].to_numpy()
    heights = index.height[tx_rows]
    times = index.block_time[tx_rows]
    frame = pd.DataFrame(
        {
            "address": [index.addresses[a] for a in history["addr"].tolist()],
            "txid": [index.txids[t] for t in tx_rows.tolist()],
            "block_height": pd.array(
                [None if h == _UNCONFIRMED_HEIGHT else h for h in heights.tolist()],
                dtype="Int64",
            ),
            "block_time": _utc([None if s < 0 else s for s in times.tolist()]),
            "received": history["received"].astype(np.int64),
            "sent": history["sent"].astype(np.int64),
        }
    )
    frame["delta"] = frame["received"] - frame["sent"]
    frame["balance"] = frame.groupby("address", sort=False)["delta"].cumsum().astype(np.int64)
    return frame


def balances(
    txs: Iterable[Mapping[str, Any]] | LedgerIndex, addresses: str | Iterable[str]
) -> pd.DataFrame:
    """Return each address's totals: received, sent, final balance and activity window.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.
    addresses : str or iterable of str
        One address, or the addresses of a wallet.

    Returns
    -------
    pandas.DataFrame
        Indexed by address: ``received, sent, balance, n_tx, first_seen, last_seen``
        (amounts in int64 satoshis). Sum the ``balance`` column for a wallet's holdings.

    Raises
    ------
    ValueError
        If an address never appears in the ledger.

    Examples
    --------
    >>> pay = lambda a, v: {"scriptpubkey_address": a, "value": v}
    >>> txs = [
    ...     {"txid": "t1", "vin": [], "vout": [pay("shop", 5000)]},
    ...     {"txid": "t2", "vin": [{"txid": "t1", "vout": 0, "is_coinbase": False,
    ...        "prevout": pay("shop", 5000)}], "vout": [pay("vendor", 3000), pay("shop", 1900)]},
    ... ]
    >>> balances(txs, ["shop", "vendor"])[["received", "sent", "balance", "n_tx"]].values.tolist()
    [[6900, 5000, 1900, 2], [3000, 0, 3000, 1]]
    """
    history = address_history(txs, addresses)
    grouped = history.groupby("address", sort=False)
    frame = pd.DataFrame(
        {
            "received": grouped["received"].sum(),
            "sent": grouped["sent"].sum(),
            "n_tx": grouped["txid"].count(),
            "first_seen": grouped["block_time"].min(),
            "last_seen": grouped["block_time"].max(),
        }
    )
    frame.insert(2, "balance", frame["received"] - frame["sent"])
    frame = frame.reindex(_address_set(addresses))
    frame.index.name = "address"
    return frame.astype({"received": np.int64, "sent": np.int64, "balance": np.int64})


# --------------------------------------------------------------------------- validation


def validate(
    txs: Iterable[Mapping[str, Any]] | LedgerIndex,
    *,
    require_parents: bool = False,
    raise_errors: bool = False,
) -> list[str]:
    """Check that a ledger is sane and return every problem found.

    Checks, for every transaction: the fields a tracer needs are present; amounts are
    non-negative integers; inputs = outputs + fee (when ``fee`` is given) and outputs do not
    exceed inputs; no outpoint is spent twice; an input spending an output of a transaction
    in the ledger refers to an output that exists, with the same value and address.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        Transactions in the Esplora shape.
    require_parents : bool, default False
        Also report inputs whose parent transaction is not in the ledger (for a ledger
        that should be closed, such as a whole synthetic world).
    raise_errors : bool, default False
        Raise :class:`LedgerError` listing all problems instead of returning them.

    Returns
    -------
    list of str
        One message per problem, each starting with ``tx <txid>:``; empty when sane.

    Examples
    --------
    >>> spend = {"txid": "a", "vout": 0, "is_coinbase": False, "prevout": {"value": 1000}}
    >>> txs = [{"txid": "b", "vin": [spend], "vout": [{"value": 900}], "fee": 50},
    ...        {"txid": "c", "vin": [spend], "vout": [{"value": 900}], "fee": 100}]
    >>> for problem in validate(txs):
    ...     print(problem)
    tx b: inputs 1000 sat != outputs 900 + fee 50
    tx c: spends a:0, already spent by b (double spend)
    """
    tx_list = _tx_list(txs)
    problems: list[str] = []
    outputs: dict[tuple[str, int], Mapping[str, Any]] = {}
    txid_seen: set[str] = set()
    for k, tx in enumerate(tx_list):
        txid = tx.get("txid") if isinstance(tx, Mapping) else None
        if not isinstance(txid, str):
            problems.append(f"tx #{k}: no txid")
            continue
        if txid in txid_seen:
            problems.append(f"tx {txid}: appears twice")
        txid_seen.add(txid)
        for n, out in enumerate(tx.get("vout") or []):
            outputs[(txid, n)] = out

    spent: dict[tuple[str, int], str] = {}
    for tx in tx_list:
        if not isinstance(tx, Mapping) or not isinstance(tx.get("txid"), str):
            continue
        txid = tx["txid"]
        vin, vout = tx.get("vin"), tx.get("vout")
        if not isinstance(vin, list) or not isinstance(vout, list):
            problems.append(f"tx {txid}: vin and vout must be lists")
            continue
        if not vin or not vout:
            problems.append(f"tx {txid}: has no {'inputs' if not vin else 'outputs'}")
        coinbase = False
        total_in = 0
        for i, inp in enumerate(vin):
            if inp.get("is_coinbase"):
                coinbase = True
                continue
            outpoint = (inp.get("txid"), inp.get("vout"))
            prevout = inp.get("prevout")
            if not isinstance(prevout, Mapping):
                problems.append(f"tx {txid}: vin[{i}] has no prevout")
                continue
            value = prevout.get("value")
            if not _is_amount(value):
                problems.append(f"tx {txid}: vin[{i}] prevout value {value!r} is not a sat amount")
                continue
            total_in += value
            if outpoint in spent:
                problems.append(
                    f"tx {txid}: spends {outpoint[0]}:{outpoint[1]}, already spent by "
                    f"{spent[outpoint]} (double spend)"
                )
            else:
                spent[outpoint] = txid
            if outpoint[0] in txid_seen:
                parent_out = outputs.get(outpoint)
                if parent_out is None:
                    problems.append(
                        f"tx {txid}: vin[{i}] spends {outpoint[0]}:{outpoint[1]}, "
                        "an output that does not exist"
                    )
                elif parent_out.get("value") != value or parent_out.get(
                    "scriptpubkey_address"
                ) != prevout.get("scriptpubkey_address"):
                    problems.append(
                        f"tx {txid}: vin[{i}] prevout does not match output "
                        f"{outpoint[0]}:{outpoint[1]} (value or address differs)"
                    )
            elif require_parents:
                problems.append(
                    f"tx {txid}: vin[{i}] spends {outpoint[0]}:{outpoint[1]}, "
                    "whose transaction is not in the ledger"
                )
        total_out = 0
        for n, out in enumerate(vout):
            value = out.get("value") if isinstance(out, Mapping) else None
            if not _is_amount(value):
                problems.append(f"tx {txid}: vout[{n}] value {value!r} is not a sat amount")
            else:
                total_out += value
        if coinbase:
            continue
        fee = tx.get("fee")
        if fee is not None and not _is_amount(fee):
            problems.append(f"tx {txid}: fee {fee!r} is not a sat amount")
        elif fee is not None and total_in != total_out + fee:
            problems.append(f"tx {txid}: inputs {total_in} sat != outputs {total_out} + fee {fee}")
        elif total_in < total_out:
            problems.append(f"tx {txid}: outputs {total_out} sat exceed inputs {total_in}")
    if raise_errors and problems:
        raise LedgerError(problems)
    return problems


def _is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
