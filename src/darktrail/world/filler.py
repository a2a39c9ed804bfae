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
Chains are independent: they are dealt into four fixed groups, each written to a temporary
file (by forked workers on a multi-core machine), and the parent copies the groups' byte
ranges block by block, so the file is identical whatever the number of workers.

``ledger/transactions.jsonl`` holds every transaction, planted and filler, one compact JSON
object per line, in block order; the planted case alone stays in ``transactions.json``.
Filler addresses belong to anonymous users: the truth records only their count.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import struct
import tempfile
from pathlib import Path
from typing import IO

import numpy as np

from .case import Case
from .chain import INPUT_SIZES, block_hash, unix
from .fastaddr import base58check, bech32_segwit_v0
from .rng import derive_seed
from .truth import Filler

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
# (non-witness bytes, witness bytes) of one input of each type (darktrail.bitcoin.SCRIPT_TYPES).
_IN_BASE = tuple(INPUT_SIZES[t][0] for t in _TYPES)
_IN_WIT = tuple(INPUT_SIZES[t][1] for t in _TYPES)


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
    pool = min(50_000, n // 20 + 10)
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
    plan_seed = derive_seed(case.seed, "filler")
    planted = sorted(case.cast["ledger"].txs, key=lambda t: t["status"]["block_height"])
    chains = max(1, math.isqrt(n))
    total = chains * -(-n // chains) + len(planted)
    case.truth["filler"] = Filler(transactions=total - len(planted), chains=chains)

    def write(handle: IO[bytes]) -> None:
        _write(handle, plan(n, plan_seed, start_height, n_blocks), planted, case, start_height)

    case.add_stream("ledger/transactions.jsonl", write, "ledger",
                    "every transaction (planted case and background), one Esplora JSON per line",
                    total)  # fmt: skip


#: Chains are dealt into this many groups (``c % GROUPS``); a block lists its planted
#: transactions, then each group's in turn. Fixed, so the file is the same on any machine.
GROUPS = 4


def _write(
    handle: IO[bytes],
    p: dict,
    planted: list,
    case: Case,
    start_height: int,
    workers: int | None = None,
) -> None:
    """Write planted and filler transactions in block order, the same for any ``workers``."""
    shared = _shared(p, case, start_height)
    if workers is None:
        workers = min(GROUPS, os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1
    with tempfile.TemporaryDirectory(prefix="darktrail-filler-") as tmp:
        parts = [Path(tmp) / f"group{g}.jsonl" for g in range(GROUPS)]
        if workers <= 1:
            for g in range(GROUPS):
                _write_part(parts[g], p, shared, g)
        else:
            context = multiprocessing.get_context("fork")
            procs = [
                context.Process(target=_write_parts, args=(parts, p, shared, w, workers))
                for w in range(workers)
            ]
            for proc in procs:
                proc.start()
            for proc in procs:
                proc.join()
            failed = [proc.exitcode for proc in procs if proc.exitcode != 0]
            if failed:
                raise RuntimeError(f"filler workers failed with exit codes {failed}")
        _merge(handle, parts, planted)


def _write_parts(parts: list[Path], p: dict, shared: dict, worker: int, workers: int) -> None:
    for g in range(worker, GROUPS, workers):
        _write_part(parts[g], p, shared, g)


def _write_part(path: Path, p: dict, shared: dict, group: int) -> None:
    with path.open("wb") as handle:
        blocks = _write_group(handle, p, shared, group, GROUPS)
    path.with_suffix(".idx").write_text(json.dumps(blocks))


def _merge(handle: IO[bytes], parts: list[Path], planted: list) -> None:
    """Interleave the groups block by block, planted transactions first in each block."""
    ranges = []
    for part in parts:
        ranges.append(
            {h: (start, end) for h, start, end in json.loads(part.with_suffix(".idx").read_text())}
        )
    by_height: dict[int, list[str]] = {}
    for tx in planted:
        line = json.dumps(tx, separators=(",", ":")) + "\n"
        by_height.setdefault(tx["status"]["block_height"], []).append(line)
    heights = sorted(set(by_height).union(*ranges))
    files = [part.open("rb") for part in parts]
    try:
        for h in heights:
            if h in by_height:
                handle.write("".join(by_height[h]).encode())
            for f, r in zip(files, ranges, strict=True):
                if h in r:
                    start, end = r[h]
                    f.seek(start)
                    handle.write(f.read(end - start))
    finally:
        for f in files:
            f.close()


def _shared(p: dict, case: Case, start_height: int) -> dict:
    """What every worker needs: pool addresses, signatures, block status strings."""
    pool_type = p["pool_type"].tolist()
    pool_hex = p["pool_payloads"].tobytes().hex()
    pool_addr = _encode(p["pool_type"], p["pool_payloads"])
    sig_extra: list[list[tuple[bytes, str]]] = [[], [], []]
    for sig in (bytes(s).hex() for s in p["sigs"]):
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
    t0 = unix(case.cast["ledger"].start)
    status = {}
    for h in set(p["heights"].ravel().tolist()):
        block = block_hash(case.seed, h)
        when = t0 + (h - start_height) * 600 + int(block[-4:], 16) % 400
        status[h] = (
            f'"status":{{"confirmed":true,"block_height":{h},"block_hash":"{block}",'
            f'"block_time":{when}}}}}'
        )
    return {
        "pool_frag": [
            _fragment(t, pool_hex[40 * i : 40 * i + 40], pool_addr[i])
            for i, t in enumerate(pool_type)
        ],
        "pool_spk": [
            bytes.fromhex(_SPK_PREFIX[t] + pool_hex[40 * i : 40 * i + 40] + _SPK_SUFFIX[t])
            for i, t in enumerate(pool_type)
        ],
        "sig_extra": sig_extra,
        "status": status,
    }


def _write_group(
    handle: IO[bytes], p: dict, shared: dict, group: int, groups: int
) -> list[tuple[int, int, int]]:
    """Write chains ``c % groups == group`` in (height, chain, position) order.

    Returns ``(height, start, end)`` byte ranges of each block in what was written.
    """
    chains, length = p["chains"], p["length"]
    mine = np.arange(group, chains, groups)
    # Flat index k = c * length + j over this group's chains only.
    ks = (mine[:, None] * length + np.arange(length)[None, :]).ravel()
    heights_all = p["heights"].ravel()
    order = ks[np.lexsort((ks, heights_all[ks]))].tolist()
    chain_type = p["chain_type"].tolist()
    payloads = p["payloads"][ks]
    change_types = np.repeat(p["chain_type"][mine], length)
    change_hex = payloads.tobytes().hex()
    change_addr = _encode(change_types, payloads)
    payload_bytes = payloads.tobytes()
    # Each change address's JSON fragment and script, in this group's local order.
    change_frag = [
        _fragment(t, change_hex[40 * i : 40 * i + 40], a)
        for i, (t, a) in enumerate(zip(change_types.tolist(), change_addr, strict=True))
    ]
    del change_addr, change_hex
    heights = heights_all.tolist()
    pays, pay_to = p["pays"].reshape(-1, 3).tolist(), p["pay_to"].reshape(-1, 3).tolist()
    fees, weights = p["fees"].ravel().tolist(), p["weight"].ravel().tolist()
    witness, base = p["witness"].ravel().tolist(), p["base"].ravel().tolist()
    balance, change_pos = p["balance"].ravel().tolist(), p["change_pos"].ravel().tolist()
    n_pays = p["n_pay"].ravel().tolist()
    pool_frag, pool_spk = shared["pool_frag"], shared["pool_spk"]
    sig_extra, status = shared["sig_extra"], shared["status"]
    prefix_b = [bytes.fromhex(x) for x in _SPK_PREFIX]
    suffix_b = [bytes.fromhex(x) for x in _SPK_SUFFIX]
    txids: list[bytes] = [b""] * chains
    txid_hex: list[str] = [""] * chains
    pack_q = struct.Struct("<q").pack
    pack_i = struct.Struct("<I").pack
    sha = hashlib.sha256
    buffer: list[str] = []
    blocks: list[tuple[int, int, int]] = []
    offset, current, block_start = 0, None, 0
    for k in order:
        h = heights[k]
        if h != current:
            if current is not None:
                blocks.append((current, block_start, offset))
            current, block_start = h, offset
        c, j = divmod(k, length)
        t = chain_type[c]
        i = (c // groups) * length + j
        cspk = prefix_b[t] + payload_bytes[20 * i : 20 * i + 20] + suffix_b[t]
        cfrag = change_frag[i]
        if j == 0:
            value = balance[k]
            commit = "6a24aa21a9ed" + sha(cspk).hexdigest()
            coinbase_sig = b"\x03" + h.to_bytes(3, "little") + k.to_bytes(8, "little")
            raw = (b"\x02\x00\x00\x00\x01" + bytes(32) + b"\xff\xff\xff\xff\x0c" + coinbase_sig
                   + b"\xff\xff\xff\xff\x02" + pack_q(value) + bytes([len(cspk)]) + cspk
                   + bytes(9) + b"\x26" + bytes.fromhex(commit) + bytes(4))  # fmt: skip
            digest = sha(sha(raw).digest()).digest()
            txids[c] = digest
            own = txid_hex[c] = digest[::-1].hex()
            line = (
                f'{{"txid":"{own}","version":2,"locktime":0,"vin":[{{"txid":"'
                f'{"0" * 64}","vout":4294967295,"prevout":null,"scriptsig":"{coinbase_sig.hex()}",'
                f'"scriptsig_asm":"OP_PUSHBYTES_3 {coinbase_sig[1:4].hex()} OP_PUSHBYTES_8 '
                f'{coinbase_sig[4:].hex()}","witness":["{"00" * 32}"],"is_coinbase":true,'
                f'"sequence":4294967295}}],"vout":[{{{cfrag},"value":{value}}},{{"scriptpubkey":'
                f'"{commit}","scriptpubkey_asm":"OP_RETURN OP_PUSHBYTES_36 {commit[4:]}",'
                f'"scriptpubkey_type":"op_return","value":0}}],"size":{len(raw) + 34},'
                f'"weight":{4 * len(raw) + 34},"fee":0,{status[h]}\n'
            )
        else:
            prev = k - 1
            prev_vout = change_pos[prev] if j > 1 else 0
            script_sig, extra = sig_extra[t][k & 255]
            pay, to, position = pays[k], pay_to[k], change_pos[k]
            n_out = n_pays[k] + 1
            if n_out == 2:  # the common case, without the loop
                pspk, v = pool_spk[to[0]], pay[0]
                if position == 0:
                    outs = f'{{{cfrag},"value":{balance[k]}}},{{{pool_frag[to[0]]},"value":{v}}}'
                    wire = (pack_q(balance[k]) + bytes((len(cspk),)) + cspk
                            + pack_q(v) + bytes((len(pspk),)) + pspk)  # fmt: skip
                else:
                    outs = f'{{{pool_frag[to[0]]},"value":{v}}},{{{cfrag},"value":{balance[k]}}}'
                    wire = (pack_q(v) + bytes((len(pspk),)) + pspk
                            + pack_q(balance[k]) + bytes((len(cspk),)) + cspk)  # fmt: skip
            else:
                outs_frag, outs_raw = [], []
                slot = 0
                for n in range(n_out):
                    if n == position:
                        v, frag, spk = balance[k], cfrag, cspk
                    else:
                        v, frag, spk = pay[slot], pool_frag[to[slot]], pool_spk[to[slot]]
                        slot += 1
                    outs_frag.append(f'{{{frag},"value":{v}}}')
                    outs_raw.append(pack_q(v) + bytes((len(spk),)) + spk)
                outs, wire = ",".join(outs_frag), b"".join(outs_raw)
            raw = (b"\x02\x00\x00\x00\x01" + txids[c] + pack_i(prev_vout) + script_sig
                   + b"\xfd\xff\xff\xff" + bytes((n_out,)) + wire + b"\x00\x00\x00\x00")  # fmt: skip
            digest = sha(sha(raw).digest()).digest()
            parent = txid_hex[c]
            txids[c] = digest
            own = txid_hex[c] = digest[::-1].hex()
            line = (
                f'{{"txid":"{own}","version":2,"locktime":0,"vin":[{{"txid":"'
                f'{parent}","vout":{prev_vout},"prevout":{{{change_frag[i - 1]},"value":'
                f'{balance[prev]}}}{extra},"is_coinbase":false,"sequence":4294967293}}],"vout":['
                f'{outs}],"size":{base[k] + witness[k]},"weight":{weights[k]},'
                f'"fee":{fees[k]},{status[h]}\n'
            )
        offset += len(line)
        buffer.append(line)
        if len(buffer) >= 4096:
            handle.write("".join(buffer).encode())
            buffer.clear()
    if current is not None:
        blocks.append((current, block_start, offset))
    handle.write("".join(buffer).encode())
    return blocks
