"""Background transactions for scale worlds, generated with numpy and streamed as JSON lines.

A scale world (``[ledger] filler_transactions`` > 0) hides the planted case inside a large
ledger. The filler is ``C`` independent wallet chains of about ``sqrt(n)`` transactions: each
chain starts from a coinbase in the week before the period, then every transaction spends the
previous change into one to three payments (to a shared pool of addresses, so some are
reused, some amounts round) plus change to a fresh address of the chain's script type, with
fees from 2 to 30 sat/vB. Values, fees, heights and addresses are computed for all
transactions at once (:mod:`darktrail.world.fastaddr`); only serialisation, hashing (real
txids, as in :mod:`darktrail.world.chain`) and writing go one transaction at a time, straight
to the file, so memory stays flat. Synthetic signatures come from a small fixed pool.

``ledger/transactions.jsonl`` holds every transaction, planted and filler, one compact JSON
object per line, in block order; the planted case alone stays in ``transactions.json``.
Filler addresses belong to anonymous users: the truth records only their count.
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
from typing import IO

import numpy as np

from .case import Case
from .chain import block_hash, unix
from .fastaddr import base58check, bech32_segwit_v0

__all__ = ["build", "plan"]

_TYPES = ("v0_p2wpkh", "p2sh", "p2pkh")
_SPK_PREFIX = ("0014", "a914", "76a914")
_SPK_SUFFIX = ("", "87", "88ac")
_ASM = (
    "OP_0 OP_PUSHBYTES_20 {}",
    "OP_HASH160 OP_PUSHBYTES_20 {} OP_EQUAL",
    "OP_DUP OP_HASH160 OP_PUSHBYTES_20 {} OP_EQUALVERIFY OP_CHECKSIG",
)
_SPK_LEN = (22, 23, 25)
# (non-witness bytes, witness bytes) of one input of each type, as in chain.INPUT_SIZES.
_IN_BASE = (41, 64, 148)
_IN_WIT = (108, 108, 0)


def _encode(types: np.ndarray, payloads: np.ndarray) -> list[str]:
    out: list[str] = [""] * len(types)
    for t, encode in enumerate(
        (bech32_segwit_v0, lambda p: base58check(5, p), lambda p: base58check(0, p))
    ):
        idx = np.flatnonzero(types == t)
        if len(idx):
            for i, address in zip(idx.tolist(), encode(payloads[idx]), strict=True):
                out[i] = address
    return out


def _fragment(t: int, hexhash: str, address: str) -> str:
    spk = _SPK_PREFIX[t] + hexhash + _SPK_SUFFIX[t]
    return (
        f'"scriptpubkey":"{spk}","scriptpubkey_asm":"{_ASM[t].format(hexhash)}",'
        f'"scriptpubkey_type":"{_TYPES[t]}","scriptpubkey_address":"{address}"'
    )


def plan(n: int, seed: int, start_height: int, n_blocks: int) -> dict:
    """Draw every number of the filler at once (no strings yet)."""
    rng = np.random.default_rng(seed)
    chains = max(1, math.isqrt(n))
    length = -(-n // chains)
    chain_type = rng.choice(3, size=chains, p=[0.6, 0.25, 0.15])
    n_pay = rng.choice([1, 2, 3], size=(chains, length), p=[0.75, 0.18, 0.07])
    n_pay[:, 0] = 0
    pays = np.rint(rng.lognormal(math.log(400_000), 1.0, size=(chains, length, 3))).astype(np.int64)
    pays[np.arange(3)[None, None, :] >= n_pay[:, :, None]] = 0
    rounding = rng.random((chains, length, 3)) < 0.3
    pool = min(200_000, n // 5 + 10)
    pool_type = rng.choice(3, size=pool, p=[0.6, 0.25, 0.15])
    pay_to = rng.integers(0, pool, size=(chains, length, 3))
    in_t = chain_type[:, None]
    base = (
        10 + np.take(_IN_BASE, in_t) + 9 + np.take(_SPK_LEN, in_t)
        + ((9 + np.take(_SPK_LEN, pool_type[pay_to])) * (pays > 0)).sum(axis=2)
    )  # fmt: skip
    witness = np.broadcast_to(np.where(in_t == 2, 0, 2 + np.take(_IN_WIT, in_t)), base.shape)
    weight = 4 * base + witness
    feerate = rng.integers(2, 31, size=(chains, length))
    fees = feerate * ((weight + 3) // 4)
    fees[:, 0] = 0
    reward = 1_250_000_000 + rng.integers(1, 60, size=chains) * 1_000_000
    budget = (reward * 9 // 10 - fees.sum(axis=1)).astype(np.float64)
    scale = np.minimum(1.0, budget / np.maximum(1, pays.sum(axis=(1, 2))))
    pays = np.maximum(1000, np.floor(pays * scale[:, None, None])).astype(np.int64)
    pays = np.where(rounding, np.maximum(10_000, pays // 10_000 * 10_000), pays)
    pays[np.arange(3)[None, None, :] >= n_pay[:, :, None]] = 0
    balance = reward[:, None] - np.cumsum(pays.sum(axis=2) + fees, axis=1)
    change_pos = np.floor(rng.random((chains, length)) * (n_pay + 1)).astype(np.int64)
    heights = np.sort(
        rng.integers(start_height + 100, start_height + n_blocks, size=(chains, length)), axis=1
    )
    heights[:, 0] = start_height - chains + np.arange(chains)
    return {
        "chains": chains, "length": length, "chain_type": chain_type, "n_pay": n_pay,
        "pays": pays, "pay_to": pay_to, "pool_type": pool_type, "fees": fees,
        "weight": weight, "base": base, "witness": witness, "reward": reward,
        "balance": balance, "change_pos": change_pos, "heights": heights,
        "payloads": rng.integers(0, 256, size=(chains * length, 20), dtype=np.uint8),
        "pool_payloads": rng.integers(0, 256, size=(pool, 20), dtype=np.uint8),
        "sigs": rng.integers(0, 256, size=(256, 105), dtype=np.uint8),
    }  # fmt: skip


def build(case: Case) -> None:
    """Register ``ledger/transactions.jsonl`` (planted + filler) as a streamed file."""
    n = case.scenario["ledger"]["filler_transactions"]
    if n <= 0:
        return
    sc = case.scenario
    start_height = sc["ledger"]["start_height"]
    n_blocks = ((sc.end - sc.start).days + 1) * 144
    plan_seed = case.seed ^ 0x5CA1E
    planted = sorted(case.cast["ledger"].txs, key=lambda t: t["status"]["block_height"])
    chains = max(1, math.isqrt(n))
    total = chains * -(-n // chains) + len(planted)
    case.truth["filler"] = {"transactions": total - len(planted), "chains": chains}

    def write(handle: IO[bytes]) -> None:
        _write(handle, plan(n, plan_seed, start_height, n_blocks), planted, case, start_height)

    case.add_stream("ledger/transactions.jsonl", write, "ledger",
                    "every transaction (planted case and background), one Esplora JSON per line",
                    total)  # fmt: skip


def _write(handle: IO[bytes], p: dict, planted: list, case: Case, start_height: int) -> None:
    chains, length = p["chains"], p["length"]
    chain_type = p["chain_type"].tolist()
    change_types = np.repeat(p["chain_type"], length)
    change_hex = p["payloads"].tobytes().hex()
    change_addr = _encode(change_types, p["payloads"])
    pool_hex = p["pool_payloads"].tobytes().hex()
    pool_addr = _encode(p["pool_type"], p["pool_payloads"])
    pool_frag = [
        _fragment(t, pool_hex[40 * i : 40 * i + 40], pool_addr[i])
        for i, t in enumerate(p["pool_type"].tolist())
    ]
    pool_spk = [
        bytes.fromhex(_SPK_PREFIX[t] + pool_hex[40 * i : 40 * i + 40] + _SPK_SUFFIX[t])
        for i, t in enumerate(p["pool_type"].tolist())
    ]
    sig_hex = [bytes(s).hex() for s in p["sigs"]]
    order = np.lexsort((np.tile(np.arange(length), chains), p["heights"].ravel())).tolist()
    heights = p["heights"].ravel().tolist()
    pays, pay_to = p["pays"].reshape(-1, 3).tolist(), p["pay_to"].reshape(-1, 3).tolist()
    fees, weights = p["fees"].ravel().tolist(), p["weight"].ravel().tolist()
    witness = p["witness"].ravel().tolist()
    base = p["base"].ravel().tolist()
    balance = p["balance"].ravel().tolist()
    change_pos = p["change_pos"].ravel().tolist()
    txids: list[bytes] = [b""] * (chains * length)
    seed = case.seed
    status_cache: dict[int, str] = {}
    t0 = unix(case.cast["ledger"].start)

    def status(h: int) -> str:
        s = status_cache.get(h)
        if s is None:
            offset = int(block_hash(seed, h)[-4:], 16) % 400
            s = (f'"status":{{"confirmed":true,"block_height":{h},'
                 f'"block_hash":"{block_hash(seed, h)}",'
                 f'"block_time":{t0 + (h - start_height) * 600 + offset}}}}}')  # fmt: skip
            status_cache[h] = s
        return s

    # Per (script type, signature) input fragments, built once.
    sig_extra: list[list[tuple[bytes, str]]] = [[], [], []]
    for sig in sig_hex:
        der, pub = sig[:144], sig[144:210]
        witness_json = f'"witness":["{der}","{pub}"]'
        sig_extra[0].append((b"\x00", f',"scriptsig":"","scriptsig_asm":"",{witness_json}'))
        ss = "160014" + sig[:40]
        sig_extra[1].append(
            (bytes.fromhex("17" + ss),
             f',"scriptsig":"{ss}","scriptsig_asm":"OP_PUSHBYTES_22 0014{sig[:40]}",{witness_json}')
        )  # fmt: skip
        ss = "48" + der + "21" + pub
        sig_extra[2].append(
            (bytes.fromhex("6a" + ss),
             f',"scriptsig":"{ss}","scriptsig_asm":"OP_PUSHBYTES_72 {der} OP_PUSHBYTES_33 {pub}"')
        )  # fmt: skip
    prefix_b = [bytes.fromhex(x) for x in _SPK_PREFIX]
    suffix_b = [bytes.fromhex(x) for x in _SPK_SUFFIX]
    payload_bytes = p["payloads"].tobytes()
    n_pays = p["n_pay"].ravel().tolist()
    txid_hex: list[str] = [""] * (chains * length)
    last_frag: list[str] = [""] * chains
    pack_q = struct.Struct("<q").pack
    pack_i = struct.Struct("<I").pack

    planted_iter = iter(planted)
    nxt = next(planted_iter, None)
    buffer: list[str] = []
    sha = hashlib.sha256
    for k in order:
        h = heights[k]
        while nxt is not None and nxt["status"]["block_height"] <= h:
            buffer.append(json.dumps(nxt, separators=(",", ":")))
            nxt = next(planted_iter, None)
        c, j = divmod(k, length)
        t = chain_type[c]
        cspk = prefix_b[t] + payload_bytes[20 * k : 20 * k + 20] + suffix_b[t]
        cfrag = _fragment(t, change_hex[40 * k : 40 * k + 40], change_addr[k])
        if j == 0:
            value = balance[k]
            commit = "6a24aa21a9ed" + sha(cspk).hexdigest()
            coinbase_sig = b"\x03" + h.to_bytes(3, "little") + k.to_bytes(8, "little")
            raw = (b"\x02\x00\x00\x00\x01" + bytes(32) + b"\xff\xff\xff\xff\x0c" + coinbase_sig
                   + b"\xff\xff\xff\xff\x02" + pack_q(value) + bytes([len(cspk)]) + cspk
                   + bytes(9) + b"\x26" + bytes.fromhex(commit) + bytes(4))  # fmt: skip
            digest = sha(sha(raw).digest()).digest()
            txids[k] = digest
            txid_hex[k] = digest[::-1].hex()
            buffer.append(
                f'{{"txid":"{txid_hex[k]}","version":2,"locktime":0,"vin":[{{"txid":"'
                f'{"0" * 64}","vout":4294967295,"prevout":null,"scriptsig":"{coinbase_sig.hex()}",'
                f'"scriptsig_asm":"OP_PUSHBYTES_3 {coinbase_sig[1:4].hex()} OP_PUSHBYTES_8 '
                f'{coinbase_sig[4:].hex()}","witness":["{"00" * 32}"],"is_coinbase":true,'
                f'"sequence":4294967295}}],"vout":[{{{cfrag},"value":{value}}},{{"scriptpubkey":'
                f'"{commit}","scriptpubkey_asm":"OP_RETURN OP_PUSHBYTES_36 {commit[4:]}",'
                f'"scriptpubkey_type":"op_return","value":0}}],"size":{len(raw) + 34},'
                f'"weight":{4 * len(raw) + 34},"fee":0,{status(h)}'
            )
        else:
            prev = k - 1
            prev_vout = change_pos[prev] if j > 1 else 0
            script_sig, extra = sig_extra[t][k & 255]
            pay = pays[k]
            to = pay_to[k]
            position = change_pos[k]
            n_out = n_pays[k] + 1
            outs_frag, outs_raw = [], []
            slot = 0
            for i in range(n_out):
                if i == position:
                    v, frag, spk = balance[k], cfrag, cspk
                else:
                    v, frag, spk = pay[slot], pool_frag[to[slot]], pool_spk[to[slot]]
                    slot += 1
                outs_frag.append(f'{{{frag},"value":{v}}}')
                outs_raw.append(pack_q(v) + bytes((len(spk),)) + spk)
            raw = (b"\x02\x00\x00\x00\x01" + txids[prev] + pack_i(prev_vout) + script_sig
                   + b"\xfd\xff\xff\xff" + bytes((n_out,)) + b"".join(outs_raw) + bytes(4))  # fmt: skip
            digest = sha(sha(raw).digest()).digest()
            txids[k] = digest
            txid_hex[k] = digest[::-1].hex()
            buffer.append(
                f'{{"txid":"{txid_hex[k]}","version":2,"locktime":0,"vin":[{{"txid":"'
                f'{txid_hex[prev]}","vout":{prev_vout},"prevout":{{{last_frag[c]},"value":'
                f'{balance[prev]}}}{extra},"is_coinbase":false,"sequence":4294967293}}],"vout":['
                f'{",".join(outs_frag)}],"size":{base[k] + witness[k]},"weight":{weights[k]},'
                f'"fee":{fees[k]},{status(h)}'
            )
        last_frag[c] = cfrag
        if len(buffer) >= 4096:
            handle.write(("\n".join(buffer) + "\n").encode())
            buffer.clear()
    while nxt is not None:
        buffer.append(json.dumps(nxt, separators=(",", ":")))
        nxt = next(planted_iter, None)
    handle.write(("\n".join(buffer) + "\n").encode() if buffer else b"")
