"""``ledger/``: the world's bitcoin ledger, built as a story of wallets spending real UTXOs.

Money enters through coinbase transactions of a mining pool and moves through exchanges
(deposit addresses swept to hot wallets, batched withdrawals), buyers paying orders into
market escrow, markets paying vendors, and vendors cashing out: a peel chain toward exchange
deposit addresses, a CoinJoin, an OTC exchanger. Every transaction is in Esplora's JSON shape
with integer satoshis; every input spends an output that exists and is spent once; fees are
positive; change goes to a fresh address of the spending wallet's script type.

Serialisation and txids: see :mod:`darktrail.world.chain`. The story told on the ledger
(who pays whom) is :mod:`darktrail.world.story`, which imports this module (never the reverse).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ..bitcoin import COIN, DUST, SCRIPT_TYPES, esplora_to_core
from .case import Case, csv_bytes
from .chain import (
    Utxo,
    block_hash,
    esplora_asm,
    new_address,
    script_for,
    script_type,
    serialise,
    tx_sizes,
    txid_of,
    unix,
)

__all__ = ["Ledger", "add_files"]

_SEQ_RBF = 0xFFFFFFFD
_SEQ_FINAL = 0xFFFFFFFF
# Zero scripts of each type's length, to measure a transaction before its addresses exist.
_PROBE_SCRIPT = {
    t.esplora: bytes(len(script_for(t.esplora, bytes(t.payload_bytes))))
    for t in SCRIPT_TYPES
    if t.address
}


def _fake_input_data(stype: str, seedbytes: bytes) -> tuple[bytes, list[bytes]]:
    """Synthetic scriptSig and witness of the right shape for spending a script type."""
    h1 = hashlib.sha256(seedbytes).digest()
    h2 = hashlib.sha256(h1).digest()
    sig = b"\x30\x45\x02\x21\x00" + h1 + b"\x02\x20" + h2 + b"\x01"
    pub = b"\x02" + hashlib.sha256(h2).digest()
    if stype == "p2pkh":
        return bytes([len(sig)]) + sig + bytes([len(pub)]) + pub, []
    if stype == "p2sh":
        return b"\x16\x00\x14" + hashlib.new("sha256", pub).digest()[:20], [sig, pub]
    if stype == "v0_p2wpkh":
        return b"", [sig, pub]
    if stype == "v0_p2wsh":
        script = b"\x52" + (b"\x21" + pub) * 3 + b"\x53\xae"
        return b"", [b"", sig, sig, script]
    return b"", [h1 + h2]  # taproot key path: one 64-byte Schnorr signature


class Ledger:
    """Wallet-level transaction builder with ground truth for every address."""

    def __init__(self, case: Case, rng) -> None:
        self.case = case
        self.rng = rng
        self.txs: list[dict[str, Any]] = []
        self.raw: dict[str, bytes] = {}
        self.heights: dict[str, int] = {}
        self.addresses: dict[str, dict[str, str]] = {}
        self.wallets: dict[str, list[Utxo]] = {}
        self.entities: dict[str, dict[str, str]] = {}
        self.wallet_types: dict[str, str] = {}
        self.wallet_owner: dict[str, str] = {}
        params = case.scenario["ledger"]
        self.start_height = params["start_height"]
        self.start = dt.datetime.combine(case.scenario.start, dt.time(0), dt.timezone.utc)

    # --- entities and addresses -------------------------------------------------------
    def entity(self, entity_id: str, kind: str, name: str, stype: str) -> str:
        """Register an entity with its main wallet (same id) and script type."""
        self.entities[entity_id] = {"kind": kind, "name": name}
        return self.wallet(entity_id, entity_id, stype)

    def wallet(self, wallet_id: str, entity_id: str, stype: str) -> str:
        """Register a wallet of an entity (e.g. an exchange's deposit addresses)."""
        self.wallet_types[wallet_id] = stype
        self.wallet_owner[wallet_id] = entity_id
        self.wallets.setdefault(wallet_id, [])
        return wallet_id

    def address(self, wallet_id: str, role: str, stype: str | None = None) -> tuple[str, bytes]:
        """A fresh address of a wallet (of the wallet's script type unless given)."""
        entity_id = self.wallet_owner[wallet_id]
        address, script = new_address(self.rng, stype or self.wallet_types[wallet_id])
        self.addresses[address] = {
            "entity": entity_id,
            "kind": self.entities[entity_id]["kind"],
            "wallet": wallet_id,
            "role": role,
        }
        return address, script

    def balance(self, entity_id: str) -> int:
        return sum(u.value for u in self.wallets[entity_id])

    # --- time -------------------------------------------------------------------------
    def height_at(self, when: dt.datetime) -> int:
        return self.start_height + int((when - self.start).total_seconds()) // 600

    def block_time(self, height: int) -> int:
        offset = int(block_hash(self.case.seed, height)[-4:], 16) % 400
        return unix(self.start) + (height - self.start_height) * 600 + offset

    # --- transactions -----------------------------------------------------------------
    def coinbase(self, entity_id: str, when: dt.datetime, fees: int) -> dict[str, Any]:
        """A block reward (12.5 BTC in early 2020 plus fees) to the entity."""
        height = self.height_at(when)
        address, script = self.address(entity_id, "coinbase")
        commitment = b"\x6a\x24\xaa\x21\xa9\xed" + hashlib.sha256(address.encode()).digest()
        script_sig = b"\x03" + height.to_bytes(3, "little") + self.rng.randbytes(8)
        outputs = [(1250_000_000 + fees, script, address), (0, commitment, None)]
        return self._emit([], outputs, when, coinbase_sig=script_sig, fee=0, height=height)

    def spend(
        self,
        entity_id: str,
        payments: list[tuple[str, bytes, int]],
        when: dt.datetime,
        *,
        feerate: int | None = None,
        coins: list[Utxo] | None = None,
        change: bool = True,
        sweep: bool = False,
        change_at: int | None = None,
        change_to: tuple[str, bytes] | None = None,
    ) -> dict[str, Any]:
        """Pay ``payments`` (address, script, value) from the entity's wallet.

        ``coins`` forces the inputs (all of them are spent), in the order given; otherwise
        coins are chosen largest first. ``sweep`` sends everything, minus the fee, to the
        single payment. ``change_at`` fixes the change output's position (else random);
        ``change_to`` sends the change to an address the wallet already has (address reuse).
        """
        feerate = feerate or self.rng.randint(3, 25)
        wallet = self.wallets[entity_id]
        stype = self.wallet_types[entity_id]
        chosen = list(coins) if coins is not None else []
        pool = [] if coins is not None else sorted(wallet, key=lambda u: (-u.value, u.txid, u.vout))
        target = sum(v for *_, v in payments)
        while True:
            scripts = [s for _, s, _ in payments]
            if change and not sweep:
                scripts.append(_PROBE_SCRIPT[stype])
            size, weight = tx_sizes([u.stype for u in chosen] or [stype], scripts)
            fee = feerate * ((weight + 3) // 4)
            have = sum(u.value for u in chosen)
            if sweep and chosen:
                break
            if have >= target + fee + (DUST if change else 0) and chosen:
                break
            if not pool:
                raise RuntimeError(
                    f"{entity_id} cannot pay {target} sat (+{fee} fee), has {have} sat"
                )
            chosen.append(pool.pop(0))
        have = sum(u.value for u in chosen)
        outputs = []
        if sweep:
            ((address, script, _),) = payments
            if have - fee < DUST:
                raise RuntimeError(f"{entity_id} cannot sweep {have} sat with a {fee} sat fee")
            outputs.append((have - fee, script, address))
        else:
            outputs.extend((value, script, address) for address, script, value in payments)
            rest = have - target - fee
            if change and rest >= DUST:
                address, script = change_to or self.address(entity_id, "change", chosen[0].stype)
                # Wallets place change at a random position (BIP-69 or shuffling).
                at = self.rng.randrange(len(outputs) + 1) if change_at is None else change_at
                outputs.insert(at, (rest, script, address))
            else:
                fee = have - target
        spent = {(u.txid, u.vout) for u in chosen}
        for wallet_id in {self.addresses[u.address]["wallet"] for u in chosen}:
            self.wallets[wallet_id] = [
                u for u in self.wallets[wallet_id] if (u.txid, u.vout) not in spent
            ]
        return self._emit(chosen, outputs, when, fee=fee)

    def _emit(
        self,
        inputs: list[Utxo],
        outputs: list[tuple[int, bytes, str | None]],
        when: dt.datetime,
        *,
        fee: int,
        coinbase_sig: bytes | None = None,
        height: int | None = None,
    ) -> dict[str, Any]:
        height = max([height or self.height_at(when)] + [self.heights[u.txid] for u in inputs])
        if coinbase_sig is not None:
            wire_in = [("00" * 32, 0xFFFFFFFF, coinbase_sig, _SEQ_FINAL)]
            witnesses = [[b"\x00" * 32]]
            vin = [
                {
                    "txid": "0" * 64,
                    "vout": 0xFFFFFFFF,
                    "prevout": None,
                    "scriptsig": coinbase_sig.hex(),
                    "scriptsig_asm": f"OP_PUSHBYTES_3 {coinbase_sig[1:4].hex()} "
                    f"OP_PUSHBYTES_8 {coinbase_sig[4:].hex()}",
                    "witness": ["00" * 32],
                    "is_coinbase": True,
                    "sequence": _SEQ_FINAL,
                }
            ]
        else:
            wire_in, witnesses, vin = [], [], []
            for u in inputs:
                script_sig, witness = _fake_input_data(
                    u.stype, bytes.fromhex(u.txid) + u.vout.to_bytes(4, "little")
                )
                wire_in.append((u.txid, u.vout, script_sig, _SEQ_RBF))
                witnesses.append(witness)
                entry = {
                    "txid": u.txid,
                    "vout": u.vout,
                    "prevout": _vout(u.script, u.address, u.value),
                    "scriptsig": script_sig.hex(),
                    "scriptsig_asm": _scriptsig_asm(script_sig),
                }
                if witness:
                    entry["witness"] = [w.hex() for w in witness]
                entry["is_coinbase"] = False
                entry["sequence"] = _SEQ_RBF
                if u.stype == "p2sh":
                    entry["inner_redeemscript_asm"] = esplora_asm(script_sig[1:])
                vin.append(entry)
        wire_out = [(value, script) for value, script, _ in outputs]
        stripped = serialise(wire_in, wire_out)
        full = serialise(wire_in, wire_out, witnesses)
        txid = txid_of(stripped)
        weight = 3 * len(stripped) + len(full)
        tx = {
            "txid": txid,
            "version": 2,
            "locktime": 0,
            "vin": vin,
            "vout": [_vout(script, address, value) for value, script, address in outputs],
            "size": len(full),
            "weight": weight,
            "fee": fee,
            "status": {
                "confirmed": True,
                "block_height": height,
                "block_hash": block_hash(self.case.seed, height),
                "block_time": self.block_time(height),
            },
        }
        self.txs.append(tx)
        self.raw[txid] = full
        self.heights[txid] = height
        for n, (value, script, address) in enumerate(outputs):
            if address is None:
                continue
            owner = self.addresses[address]["wallet"]
            stype = tx["vout"][n]["scriptpubkey_type"]
            self.wallets.setdefault(owner, []).append(Utxo(txid, n, address, value, stype, script))
        return tx

    def take(self, wallet_id: str, txid: str, address: str | None = None) -> Utxo:
        """Return a specific output of the wallet (by txid and address)."""
        for u in self.wallets[wallet_id]:
            if u.txid == txid and (address is None or u.address == address):
                return u
        raise KeyError(f"{wallet_id} has no output {txid}:{address}")


def json_lines_list(items: list) -> bytes:
    """A JSON list with one compact item per line (fast to write, easy to read and diff)."""
    body = ",\n".join(json.dumps(item, separators=(", ", ": ")) for item in items)
    return ("[\n" + body + "\n]\n").encode("utf-8")


def _vout(script: bytes, address: str | None, value: int) -> dict[str, Any]:
    out: dict[str, Any] = {"scriptpubkey": script.hex(), "scriptpubkey_asm": esplora_asm(script)}
    if address is None:
        out["scriptpubkey_type"] = "op_return"
    else:
        out["scriptpubkey_type"] = script_type(script)
        out["scriptpubkey_address"] = address
    out["value"] = value
    return out


def _scriptsig_asm(script_sig: bytes) -> str:
    parts, i = [], 0
    while i < len(script_sig):
        n = script_sig[i]
        parts.append(f"OP_PUSHBYTES_{n} {script_sig[i + 1 : i + 1 + n].hex()}")
        i += 1 + n
    return " ".join(parts)


def add_files(case: Case, ledger: Ledger, core_samples: list[str]) -> None:
    """Add the ``ledger/`` files of a told ledger (``core_samples``: txids also given in
    Bitcoin Core's shape).

    :func:`darktrail.world.story.build` tells the story on the ledger, then calls this.
    """
    txs = sorted(ledger.txs, key=lambda t: t["status"]["block_height"])
    case.add("ledger/transactions.json", json_lines_list(txs), "ledger",
             "bitcoin transactions in Esplora JSON (GET /tx/:txid shape)", len(txs))  # fmt: skip
    for txid in core_samples:
        tx = next(t for t in txs if t["txid"] == txid)
        case.add(f"ledger/getrawtransaction_{txid}.json", _core_json(tx, ledger), "ledger",
                 "Bitcoin Core getrawtransaction <txid> 2 output", 1)  # fmt: skip
    _add_tags(case, ledger, txs)


#: Kinds of entity whose addresses an analytics provider attributes (services, not people).
TAGGED_KINDS = ("exchange", "market")


def _add_tags(case: Case, ledger: Ledger, txs: list[dict[str, Any]]) -> None:
    """``ledger/tags.csv``: the attribution list a blockchain-analytics provider would give.

    Every address of an exchange (deposit addresses, hot wallet) or a market (escrow, hot
    wallet) that appears in the ledger, with the service's name and kind. People (vendors,
    buyers, the OTC desk, mixers) are not in it: that is what an investigator has to find.
    """
    seen = {o.get("scriptpubkey_address") for tx in txs for o in tx["vout"]}
    rows = []
    for address, info in sorted(ledger.addresses.items()):
        if info["kind"] in TAGGED_KINDS and address in seen:
            rows.append([address, ledger.entities[info["entity"]]["name"], info["kind"]])
    case.add("ledger/tags.csv", csv_bytes(["address", "name", "category"], rows), "ledger",
             "attribution tags of known service addresses (exchanges, markets) from a "
             "blockchain-analytics provider", len(rows))  # fmt: skip


_CORE_TYPES = esplora_to_core()


def _core_asm(script: bytes) -> str:
    esplora = esplora_asm(script).split()
    words = []
    for w in esplora:
        if w.startswith("OP_PUSHBYTES_"):
            continue
        words.append({"OP_0": "0", "OP_PUSHNUM_1": "1"}.get(w, w))
    return " ".join(words)


def _core_pushes(script_sig_hex: str) -> str:
    script, words, i = bytes.fromhex(script_sig_hex), [], 0
    while i < len(script):
        n = script[i]
        words.append(script[i + 1 : i + 1 + n].hex())
        i += 1 + n
    return " ".join(words)


def _btc(sats: int) -> str:
    return f"@@{sats // COIN}.{sats % COIN:08d}@@"


def _core_json(tx: dict[str, Any], ledger: Ledger) -> bytes:
    """Bitcoin Core 25+ ``getrawtransaction <txid> 2`` output for a transaction."""
    raw = ledger.raw[tx["txid"]]

    def spk(out: dict[str, Any]) -> dict[str, Any]:
        script = bytes.fromhex(out["scriptpubkey"])
        entry = {"asm": _core_asm(script), "hex": out["scriptpubkey"]}
        if "scriptpubkey_address" in out:
            entry["address"] = out["scriptpubkey_address"]
        entry["type"] = _CORE_TYPES[out["scriptpubkey_type"]]
        return entry

    vin = []
    for inp in tx["vin"]:
        parent_height = ledger.heights.get(inp["txid"], tx["status"]["block_height"])
        entry = {
            "txid": inp["txid"],
            "vout": inp["vout"],
            "scriptSig": {"asm": _core_pushes(inp["scriptsig"]), "hex": inp["scriptsig"]},
        }
        if "witness" in inp:
            entry["txinwitness"] = inp["witness"]
        prev = inp["prevout"]
        entry["prevout"] = {
            "generated": False,
            "height": parent_height,
            "value": _btc(prev["value"]),
            "scriptPubKey": spk(prev),
        }
        entry["sequence"] = inp["sequence"]
        vin.append(entry)
    height = tx["status"]["block_height"]
    tip = (
        ledger.start_height
        + ((ledger.case.scenario.end - ledger.case.scenario.start).days + 1) * 144
    )
    core = {
        "txid": tx["txid"],
        "hash": txid_of(raw),
        "version": tx["version"],
        "size": tx["size"],
        "vsize": (tx["weight"] + 3) // 4,
        "weight": tx["weight"],
        "locktime": tx["locktime"],
        "vin": vin,
        "vout": [
            {"value": _btc(out["value"]), "n": n, "scriptPubKey": spk(out)}
            for n, out in enumerate(tx["vout"])
        ],
        "fee": _btc(tx["fee"]),
        "hex": raw.hex(),
        "blockhash": tx["status"]["block_hash"],
        "confirmations": tip - height + 1,
        "time": tx["status"]["block_time"],
        "blocktime": tx["status"]["block_time"],
    }
    text = json.dumps(core, indent=2)
    return (text.replace('"@@', "").replace('@@"', "") + "\n").encode()
