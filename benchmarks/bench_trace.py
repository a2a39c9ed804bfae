"""Benchmark darktrail.trace on a large synthetic ledger, against a plain networkx baseline.

Usage::

    .venv/bin/python benchmarks/bench_trace.py            # 1,000,000 transactions
    .venv/bin/python benchmarks/bench_trace.py --n 100000 --seed 7

The ledger comes from a small generator of its own (seeded, no dependency on
``darktrail.world``): wallets receive coinbase rewards, pay each other with 1-3 inputs and a
change output to a fresh address (sometimes to a reused one), and now and then run a batch
payout or a 5-party CoinJoin. Transactions are minimal Esplora dicts (the fields the tracer
reads). It is built with the garbage collector paused (creating millions of dicts would
otherwise trigger a full collection again and again); everything timed after it runs with
the collector on. Each step prints CPU and wall-clock seconds of one run; the side-by-side
table and its ratios use CPU time, which stays meaningful on a busy machine. Peak memory is
the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import resource
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np

from darktrail.ledger import LedgerIndex
from darktrail.trace import TAINT_POLICIES, cluster_by_common_inputs, is_coinjoin, taint

TYPES = ("v0_p2wpkh", "v0_p2wpkh", "v0_p2wpkh", "p2pkh", "p2sh", "v1_p2tr")


def synthetic_ledger(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """Return ``n`` chained transactions in the (minimal) Esplora shape, deterministic in ``seed``."""
    rng = random.Random(seed)
    n_wallets = max(10, n // 25)
    wallet_type = [rng.choice(TYPES) for _ in range(n_wallets)]
    wallet_addrs: list[list[str]] = [[] for _ in range(n_wallets)]
    wallet_utxos: list[list[int]] = [[] for _ in range(n_wallets)]
    # Unspent outputs: parallel lists, plus a pool of unspent ids with swap-remove.
    u_txid: list[str] = []
    u_vout: list[int] = []
    u_prevout: list[dict[str, Any]] = []
    u_wallet: list[int] = []
    pool: list[int] = []
    pool_pos: dict[int, int] = {}
    n_addr = 0
    txs: list[dict[str, Any]] = []

    def new_address(w: int) -> str:
        nonlocal n_addr
        n_addr += 1
        address = f"bc1q{n_addr:012x}w{w}"
        wallet_addrs[w].append(address)
        return address

    def pay_to(w: int, value: int, reuse: float) -> dict[str, Any]:
        addrs = wallet_addrs[w]
        address = rng.choice(addrs) if addrs and rng.random() < reuse else new_address(w)
        return {
            "scriptpubkey_address": address,
            "scriptpubkey_type": wallet_type[w],
            "value": value,
        }

    def take(u: int) -> None:
        last = pool.pop()
        k = pool_pos.pop(u)
        if last != u:
            pool[k] = last
            pool_pos[last] = k

    def spend(u: int) -> dict[str, Any]:
        take(u)
        return {"txid": u_txid[u], "vout": u_vout[u], "is_coinbase": False, "prevout": u_prevout[u]}

    for t in range(n):
        txid = hashlib.sha256(f"bench-{seed}-{t}".encode()).hexdigest()
        height = 100_000 + t // 2000
        vin: list[dict[str, Any]]
        vout: list[dict[str, Any]]
        owners: list[int]
        if t % 40 == 0 or len(pool) < 20:
            w = rng.randrange(n_wallets)
            vin = [{"is_coinbase": True, "prevout": None}]
            vout, owners = [pay_to(w, 625_000_000, 0.0)], [w]
        elif t % 997 == 0:  # 5-party CoinJoin: 5 equal outputs and 4 change outputs
            picks = sorted(rng.sample(pool, 5), key=lambda u: -u_prevout[u]["value"])
            vin = [spend(u) for u in picks]
            values = [u_prevout[u]["value"] for u in picks]
            denomination = values[-1] // 2  # the smallest input's rest is the fee
            change = [v - denomination for v in values]
            parties = [u_wallet[u] for u in picks]
            vout = [pay_to(w, denomination, 0.0) for w in parties]
            vout += [pay_to(w, c, 0.0) for w, c in zip(parties[:4], change[:4], strict=True)]
            owners = parties + parties[:4]
        else:
            u = pool[rng.randrange(len(pool))]
            payer = u_wallet[u]
            picks = [u]
            for extra in wallet_utxos[payer][-3:]:
                if extra in pool_pos and extra != u and len(picks) < rng.choice((1, 1, 2, 3)):
                    picks.append(extra)
            vin = [spend(p) for p in picks]
            total = sum(u_prevout[p]["value"] for p in picks)
            fee = rng.randrange(200, 3000)
            if total <= fee + 2 * 1000:
                vout = [pay_to(rng.randrange(n_wallets), max(total - fee, 0), 0.5)]
                owners = [payer]
            elif t % 101 == 0:  # batch payout to 10 other wallets
                share = (total - fee) // 11
                payees = [rng.randrange(n_wallets) for _ in range(10)]
                vout = [pay_to(w, share, 0.3) for w in payees]
                vout.append(pay_to(payer, total - fee - 10 * share, 0.0))
                owners = payees + [payer]
            else:
                payment = rng.randrange(1000, total - fee - 1000 + 1)
                payee = rng.randrange(n_wallets)
                vout = [pay_to(payee, payment, 0.4), pay_to(payer, total - fee - payment, 0.05)]
                owners = [payee, payer]
                if rng.random() < 0.5:
                    vout.reverse()
                    owners.reverse()
        for k, (out, w) in enumerate(zip(vout, owners, strict=True)):
            u_new = len(u_txid)
            u_txid.append(txid)
            u_vout.append(k)
            u_prevout.append(out)
            u_wallet.append(w)
            pool_pos[u_new] = len(pool)
            pool.append(u_new)
            wallet_utxos[w].append(u_new)
        txs.append(
            {
                "txid": txid,
                "vin": vin,
                "vout": vout,
                "status": {"confirmed": True, "block_height": height, "block_time": height * 600},
            }
        )
    return txs


def networkx_clusters(txs: list[dict[str, Any]]) -> int:
    """Cluster the plain way: a networkx graph of co-spent input addresses, then components."""
    graph = nx.Graph()
    for tx in txs:
        graph.add_nodes_from(o["scriptpubkey_address"] for o in tx["vout"])
        if tx["vin"][0]["is_coinbase"] or is_coinjoin(tx):
            continue
        addrs = [inp["prevout"]["scriptpubkey_address"] for inp in tx["vin"]]
        graph.add_nodes_from(addrs)
        graph.add_edges_from((addrs[0], a) for a in addrs[1:])
    return nx.number_connected_components(graph)


def timed(label: str, func: Callable[[], Any], timings: dict[str, float]) -> Any:
    """Run ``func``; record its CPU time (fair on a shared machine) and print wall time too."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = func()
    timings[label] = time.process_time() - cpu
    wall = time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  {label:<36} cpu {timings[label]:7.2f} s  wall {wall:7.2f} s"
        f"   (peak RSS so far {peak:,.0f} MiB)"
    )
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of transactions")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--sources", type=int, default=5, help="taint sources")
    args = parser.parse_args(argv)

    timings: dict[str, float] = {}
    print(f"darktrail.trace benchmark: {args.n:,} transactions, seed {args.seed}")
    gc.disable()  # millions of new dicts would trigger a full collection over and over
    txs = timed("generate ledger", lambda: synthetic_ledger(args.n, args.seed), timings)
    gc.enable()  # everything measured below runs with the collector on, as in a notebook
    gc.collect()  # ...where a ledger loaded earlier has long been moved to the oldest generation
    index = timed("LedgerIndex(txs)", lambda: LedgerIndex(txs), timings)
    print(f"  {index!r}")
    clusters = timed("cluster_by_common_inputs", lambda: cluster_by_common_inputs(index), timings)
    sizes = timed("Clusters.sizes() (all cluster ids)", clusters.sizes, timings)
    print(f"  {clusters.n_clusters:,} clusters, largest {int(sizes.iloc[0]):,} addresses")

    rng = np.random.default_rng(args.seed)
    early = np.flatnonzero(index.out_spent_by[: len(index.out_value) // 10] >= 0)
    rows = rng.choice(early, size=min(args.sources, len(early)), replace=False)
    sources = {
        (index.txids[index.out_tx[r]], int(r - index.out_ptr[index.out_tx[r]])) for r in rows
    }
    for policy in TAINT_POLICIES:
        flows = timed(f"taint {policy!r}", lambda p=policy: taint(index, sources, p), timings)
        dirty = sum(1 for v in flows.values() if v)
        print(f"    {len(flows):,} outputs reached, {dirty:,} tainted, {sum(flows.values()):,} sat")

    n_components = timed(
        "networkx: build graph + components", lambda: networkx_clusters(txs), timings
    )
    agree = "agree" if n_components == clusters.n_clusters else "DISAGREE"
    print(f"  networkx finds {n_components:,} components ({agree} with darktrail)")

    ours = timings["cluster_by_common_inputs"]
    base = timings["networkx: build graph + components"]
    print("\nSide by side (CPU seconds)")
    print(f"  {'index build':<28} {timings['LedgerIndex(txs)']:8.2f}")
    print(f"  {'darktrail clustering':<28} {ours:8.2f}")
    print(
        f"  {'networkx clustering':<28} {base:8.2f}   ratio networkx/darktrail {base / ours:5.1f}x"
    )
    print(
        f"  {'index + clustering':<28} {timings['LedgerIndex(txs)'] + ours:8.2f}"
        f"   ratio networkx/(index+clustering) {base / (timings['LedgerIndex(txs)'] + ours):5.1f}x"
    )
    for policy in TAINT_POLICIES:
        print(f"  {'taint ' + policy:<28} {timings[f'taint {policy!r}']:8.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
