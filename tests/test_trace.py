"""Tests for darktrail.trace: CoinJoin rule, clustering, change, peel chains and taint."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import networkx as nx
import pytest

from darktrail.ledger import LedgerIndex
from darktrail.trace import (
    CHANGE_HEURISTICS,
    TAINT_POLICIES,
    Clusters,
    change_address_reuse,
    change_one_time,
    change_optimal,
    change_round_payment,
    change_same_script_type,
    cluster_by_common_inputs,
    coinjoins,
    follow_peel_chain,
    is_coinjoin,
    taint,
)

# --------------------------------------------------------------------------- helpers


def txid(label: str) -> str:
    """A fictional txid: the hex SHA-256 of a label."""
    return hashlib.sha256(label.encode()).hexdigest()


def out(address: str | None, value: int, kind: str = "v0_p2wpkh") -> dict[str, Any]:
    output = {"scriptpubkey": "", "scriptpubkey_type": kind, "value": value}
    if address is not None:
        output["scriptpubkey_address"] = address
    return output


def external(label: str, address: str, value: int, kind: str = "v0_p2wpkh") -> dict[str, Any]:
    """An input spending output 0 of a transaction outside the ledger."""
    return {
        "txid": txid(label),
        "vout": 0,
        "is_coinbase": False,
        "prevout": out(address, value, kind),
    }


class Book:
    """A ledger written by hand: each transaction spends outputs of earlier ones."""

    def __init__(self) -> None:
        self.txs: list[dict[str, Any]] = []

    def add(self, label: str, vin: list[dict[str, Any]], vout: list[dict[str, Any]]) -> str:
        height = 800_000 + len(self.txs)
        self.txs.append(
            {
                "txid": txid(label),
                "version": 2,
                "locktime": 0,
                "vin": vin,
                "vout": vout,
                "status": {
                    "confirmed": True,
                    "block_height": height,
                    "block_time": 1_700_000_000 + 600 * len(self.txs),
                },
            }
        )
        return txid(label)

    def coinbase(self, label: str, address: str, value: int = 625_000_000) -> str:
        vin = [{"is_coinbase": True, "prevout": None, "txid": "0" * 64, "vout": 0xFFFFFFFF}]
        return self.add(label, vin, [out(address, value)])

    def spend(self, parent: str, vout: int) -> dict[str, Any]:
        tx = next(t for t in self.txs if t["txid"] == parent)
        return {"txid": parent, "vout": vout, "is_coinbase": False, "prevout": tx["vout"][vout]}

    def tx(self, txid_: str) -> dict[str, Any]:
        return next(t for t in self.txs if t["txid"] == txid_)


def shaped(n_in: int, values: list[int], *, coinbase: bool = False) -> dict[str, Any]:
    """A transaction with ``n_in`` inputs from distinct addresses and outputs of ``values``."""
    vin = [external(f"in{i}", f"in-{i}", 10**7) for i in range(n_in)]
    if coinbase:
        vin = [{"is_coinbase": True, "prevout": None}]
    return {
        "txid": txid("shaped"),
        "vin": vin,
        "vout": [out(f"o{k}", v) for k, v in enumerate(values)],
    }


def random_ledger(seed: int, n: int = 300) -> list[dict[str, Any]]:
    """A random but valid ledger of ``n`` transactions, with a few CoinJoins."""
    rng = random.Random(seed)
    book = Book()
    unspent: list[tuple[str, int, int]] = []
    for t in range(n):
        if t % 10 == 0 or len(unspent) < 6:
            tid = book.coinbase(f"r{seed}-{t}", f"miner-{rng.randrange(20)}", 10**8)
            unspent.append((tid, 0, 10**8))
            continue
        k = 5 if t % 37 == 0 else rng.choice((1, 1, 2, 3))
        picks = [unspent.pop(rng.randrange(len(unspent))) for _ in range(min(k, len(unspent)))]
        total = sum(v for _, _, v in picks)
        if k == 5:  # CoinJoin: 5 equal outputs, change for the 4 larger inputs
            picks.sort(key=lambda p: -p[2])
            each = picks[-1][2] // 2
            values = [each] * 5 + [v - each for _, _, v in picks[:4]]
        elif total < 1000:
            values = [total]
        else:
            fee = rng.randrange(100, 500)
            pay = rng.randrange(1, total - fee)
            values = [pay, total - fee - pay]
        vout = [out(f"a{rng.randrange(400)}", v) for v in values]
        tid = book.add(f"r{seed}-{t}", [book.spend(p, o) for p, o, _ in picks], vout)
        unspent.extend((tid, o, v) for o, v in enumerate(values))
    return book.txs


# --------------------------------------------------------------------------- CoinJoin


def test_coinjoin_joinmarket_shape():
    """3 inputs, 3 equal outputs plus 2 change outputs is a CoinJoin."""
    assert is_coinjoin(shaped(3, [50_000, 50_000, 50_000, 1_234, 8_000]))


def test_coinjoin_dust_equal_outputs_rejected():
    """Equal outputs at the dust limit (546 sat) do not make a CoinJoin; one above does."""
    assert not is_coinjoin(shaped(3, [546, 546, 546, 1_234, 8_000]))
    assert is_coinjoin(shaped(3, [547, 547, 547, 1_234, 8_000]))


def test_coinjoin_needs_as_many_inputs_as_participants():
    """5 outputs mean 3 participants; 2 inputs are too few."""
    assert not is_coinjoin(shaped(2, [50_000, 50_000, 50_000, 1_234, 8_000]))


def test_coinjoin_count_must_equal_participants():
    """The equal value must appear exactly (outputs+1)//2 times, not more, not fewer."""
    assert not is_coinjoin(shaped(5, [50_000] * 4 + [1_234]))  # 4 equal, 3 expected
    assert not is_coinjoin(shaped(5, [50_000] * 5))  # Whirlpool 5x5: missed by the rule
    assert not is_coinjoin(shaped(3, [50_000, 50_000, 1_234, 8_000, 9_000]))  # 2 equal


def test_coinjoin_size_limits():
    """Fewer than 2 inputs or 3 outputs is never a CoinJoin, nor is a coinbase."""
    assert not is_coinjoin(shaped(1, [50_000, 50_000, 50_000]))
    assert not is_coinjoin(shaped(2, [50_000, 50_000]))
    assert not is_coinjoin(shaped(2, [50_000, 50_000, 50_000], coinbase=True))


def test_coinjoin_tie_counts_if_any_tied_value_is_not_dust():
    """With two values tied for most common, one above dust is enough."""
    assert is_coinjoin(shaped(2, [300, 300, 50_000, 50_000]))
    assert not is_coinjoin(shaped(2, [300, 300, 500, 500]))


def test_coinjoins_on_index_match_is_coinjoin():
    """The vectorised ledger scan flags exactly the transactions is_coinjoin flags."""
    txs = random_ledger(3)
    expected = [tx["txid"] for tx in txs if is_coinjoin(tx)]
    assert expected
    assert coinjoins(LedgerIndex(txs)) == expected


# --------------------------------------------------------------------------- clustering


def merging_book() -> Book:
    book = Book()
    book.add(
        "t1", [external("p1", "addr-b", 1000), external("p2", "addr-a", 1000)], [out("shop", 1900)]
    )
    book.add(
        "t2", [external("p3", "addr-b", 1000), external("p4", "addr-c", 1000)], [out("shop", 1900)]
    )
    book.add("t3", [external("p5", "addr-d", 1000)], [out("addr-e", 900)])
    return book


def test_cluster_merges_inputs_transitively():
    """Inputs spent together share a cluster; shared addresses chain clusters together."""
    clusters = cluster_by_common_inputs(merging_book().txs)
    assert clusters.of("addr-c") == "addr-a"  # the smallest address names the cluster
    assert clusters.members("addr-a") == ["addr-a", "addr-b", "addr-c"]
    assert clusters.of("addr-d") == "addr-d"
    assert clusters.of("shop") == "shop"
    assert clusters.n_clusters == 4  # {a, b, c}, {d}, {e}, {shop}


def test_cluster_ids_do_not_depend_on_ledger_order():
    """Reversing the ledger gives the same mapping address -> cluster id."""
    txs = random_ledger(5)
    assert dict(cluster_by_common_inputs(txs)) == dict(cluster_by_common_inputs(txs[::-1]))


def test_cluster_skips_coinjoin_unless_told():
    """Inputs of a CoinJoin must not be merged into one cluster, unless skip_coinjoin=False."""
    book = Book()
    vin = [external(f"cj{k}", f"party-{k}", 60_000) for k in range(3)]
    vout = [out(f"mix-{k}", 50_000) for k in range(3)] + [out("chg-0", 9_000), out("chg-1", 9_000)]
    book.add("coinjoin", vin, vout)
    assert not cluster_by_common_inputs(book.txs).same("party-0", "party-1")
    merged = cluster_by_common_inputs(book.txs, skip_coinjoin=False)
    assert merged.members("party-0") == ["party-0", "party-1", "party-2"]


def test_cluster_coinbase_is_not_merged():
    """A coinbase has no input address, so the miner's address stays alone."""
    book = Book()
    book.coinbase("cb", "miner")
    assert cluster_by_common_inputs(book.txs).members("miner") == ["miner"]


def test_cluster_with_change_heuristic_merges_change():
    """With a change heuristic the change output joins the payer's cluster."""
    book = Book()
    book.add(
        "pay",
        [external("q1", "payer-1", 60_000), external("q2", "payer-2", 50_000)],
        [out("shop", 90_000), out("payer-change", 19_000)],
    )
    assert not cluster_by_common_inputs(book.txs).same("payer-1", "payer-change")
    with_change = cluster_by_common_inputs(book.txs, change=change_optimal)
    assert with_change.same("payer-1", "payer-change")
    assert not with_change.same("payer-1", "shop")


def test_cluster_agrees_with_networkx_components():
    """Union-find gives the same partition as networkx components of the co-spend graph."""
    txs = random_ledger(11)
    graph = nx.Graph()
    for tx in txs:
        graph.add_nodes_from(o["scriptpubkey_address"] for o in tx["vout"])
        if tx["vin"][0]["is_coinbase"] or is_coinjoin(tx):
            continue
        addrs = [i["prevout"]["scriptpubkey_address"] for i in tx["vin"]]
        graph.add_edges_from((addrs[0], a) for a in addrs)
    expected = {frozenset(c) for c in nx.connected_components(graph)}
    clusters = cluster_by_common_inputs(txs)
    got = {frozenset(clusters.members(cid)) for cid in clusters.sizes().index}
    assert got == expected


def test_clusters_sizes_and_errors():
    """sizes() is largest first; unknown addresses and non-ids raise KeyError."""
    clusters = cluster_by_common_inputs(merging_book().txs)
    sizes = clusters.sizes()
    assert sizes.index[0] == "addr-a" and sizes.iloc[0] == 3
    assert sizes.sum() == len(clusters)
    with pytest.raises(KeyError, match="nowhere"):
        clusters.of("nowhere")
    with pytest.raises(KeyError, match="not a cluster id"):
        clusters.members("addr-b")
    frame = clusters.to_frame()
    assert frame.set_index("address")["cluster"].to_dict() == dict(clusters)


def test_empty_clusters():
    """An empty ledger gives no clusters."""
    clusters = cluster_by_common_inputs([])
    assert isinstance(clusters, Clusters)
    assert len(clusters) == 0 and clusters.n_clusters == 0


# --------------------------------------------------------------------------- change


def two_way(inputs: list[tuple[str, int, str]], outputs: list[tuple[str, int, str]]) -> dict:
    return {
        "txid": txid("two-way"),
        "vin": [external(f"x{k}", a, v, kind) for k, (a, v, kind) in enumerate(inputs)],
        "vout": [out(a, v, kind) for a, v, kind in outputs],
    }


W = "v0_p2wpkh"
L = "p2pkh"


def test_change_optimal_cases():
    """Optimal change: the only output below the smallest input; else undecided."""
    ins = [("i1", 60_000, W), ("i2", 50_000, W)]
    assert change_optimal(two_way(ins, [("pay", 90_000, W), ("chg", 19_000, W)])) == 1
    assert change_optimal(two_way(ins, [("pay", 55_000, W), ("chg", 54_000, W)])) is None
    two_below = [("a", 30_000, W), ("b", 25_000, W), ("c", 54_000, W)]
    assert change_optimal(two_way(ins, two_below)) is None
    assert change_optimal(two_way(ins, [("pay", 100_000, W)])) is None
    assert change_optimal(shaped(1, [1, 2], coinbase=True)) is None


def test_change_round_payment_cases():
    """Round payment: the non-round output is change; all or none round is undecided."""
    ins = [("i1", 10_000_000, W)]
    assert change_round_payment(two_way(ins, [("pay", 5_000_000, W), ("chg", 4_987_654, W)])) == 1
    assert (
        change_round_payment(two_way(ins, [("pay", 5_000_000, W), ("chg", 4_900_000, W)])) is None
    )
    assert (
        change_round_payment(two_way(ins, [("pay", 5_012_345, W), ("chg", 4_987_654, W)])) is None
    )
    tx = two_way(ins, [("pay", 5_100_000, W), ("chg", 4_887_654, W)])
    assert change_round_payment(tx) == 1
    assert change_round_payment(tx, digits=6) is None  # 0.051 BTC is not a multiple of 0.01


def test_change_same_script_type_cases():
    """Same script type: the only output of the inputs' type; mixed inputs are undecided."""
    assert change_same_script_type(two_way([("i", 10**6, W)], [("p", 1, L), ("c", 2, W)])) == 1
    assert change_same_script_type(two_way([("i", 10**6, W)], [("p", 1, W), ("c", 2, W)])) is None
    assert change_same_script_type(two_way([("i", 10**6, W)], [("p", 1, L), ("c", 2, L)])) is None
    mixed = [("i", 10**6, W), ("j", 10**6, L)]
    assert change_same_script_type(two_way(mixed, [("p", 1, L), ("c", 2, W)])) is None


def test_change_address_reuse_cases():
    """Address reuse: the only output paying an input address; none or several undecided."""
    ins = [("vendor", 10**6, W), ("vendor-2", 10**6, W)]
    assert change_address_reuse(two_way(ins, [("shop", 1, W), ("vendor", 2, W)])) == 1
    assert change_address_reuse(two_way(ins, [("shop", 1, W), ("fresh", 2, W)])) is None
    assert change_address_reuse(two_way(ins, [("vendor-2", 1, W), ("vendor", 2, W)])) is None


def test_change_ignores_op_return_outputs():
    """An OP_RETURN output is never change and does not count as a second output."""
    ins = [("i1", 60_000, W)]
    tx = two_way(ins, [("pay", 50_000, W)])
    tx["vout"].append(out(None, 0, "op_return"))
    assert change_optimal(tx) is None


def one_time_book() -> Book:
    book = Book()
    book.add(
        "seen", [external("e0", "buyer-0", 10**6)], [out("market", 400_000), out("old", 590_000)]
    )
    book.add(
        "fresh-change",
        [external("e1", "buyer-1", 10**6)],
        [out("market", 300_000), out("new", 690_000)],
    )
    book.add(
        "both-fresh",
        [external("e2", "buyer-2", 10**6)],
        [out("shop", 300_000), out("new2", 690_000)],
    )
    book.add(
        "reused", [external("e3", "buyer-3", 10**6)], [out("market", 300_000), out("old", 690_000)]
    )
    return book


def test_change_one_time_cases():
    """One-time change: the only fresh output when the others were seen before."""
    book = one_time_book()
    index = LedgerIndex(book.txs)
    assert change_one_time(book.tx(txid("fresh-change")), index) == 1
    assert change_one_time(book.tx(txid("both-fresh")), index) is None  # payee also fresh
    assert change_one_time(book.tx(txid("reused")), index) is None  # nothing fresh
    assert change_one_time(book.tx(txid("seen")), book.txs) is None  # first tx: all fresh


def test_change_one_time_uses_block_order_not_list_order():
    """ "Seen before" follows block height, whatever order the ledger lists transactions in."""
    book = one_time_book()
    assert change_one_time(book.tx(txid("fresh-change")), book.txs[::-1]) == 1


def test_change_one_time_needs_the_tx_in_the_ledger():
    """A transaction outside the ledger is an error, not a silent None."""
    with pytest.raises(ValueError, match="not in the ledger"):
        change_one_time(two_way([("i", 1, W)], [("a", 1, W)]), one_time_book().txs)


# --------------------------------------------------------------------------- peel chains


def peel_book(steps: int = 3) -> tuple[Book, list[str]]:
    """A coin of 1 BTC peeled ``steps`` times: payment first, change second."""
    book = Book()
    start = book.coinbase("peel-cb", "w-0", 100_000_000)
    ids, prev, value = [], start, 100_000_000
    for k in range(steps):
        pay = 1_000_000 * (k + 1)
        change = value - pay - 500
        prev = book.add(
            f"peel-{k}",
            [book.spend(prev, 0 if k == 0 else 1)],
            [out(f"shop-{k}", pay), out(f"w-{k + 1}", change)],
        )
        ids.append(prev)
        value = change
    return book, ids


def test_peel_chain_stops_at_non_peel_step():
    """The chain follows the change and stops before a 2-input transaction."""
    book, ids = peel_book(3)
    book.add(
        "merge", [book.spend(ids[-1], 1), external("z", "other", 5000)], [out("sink", 90_000_000)]
    )
    hops = follow_peel_chain(book.txs, ids[0])
    assert [h.txid for h in hops] == ids
    assert [(h.payment_address, h.payment_value) for h in hops] == [
        ("shop-0", 1_000_000),
        ("shop-1", 2_000_000),
        ("shop-2", 3_000_000),
    ]
    assert hops[-1].change_value == 100_000_000 - 6_000_000 - 1_500


def test_peel_chain_stops_when_change_unspent():
    """An unspent change output ends the chain after its step."""
    book, ids = peel_book(2)
    hops = follow_peel_chain(book.txs, ids[0])
    assert [h.hop for h in hops] == [0, 1]
    assert hops[-1].change_address == "w-2"


def test_peel_chain_max_hops_and_outpoint_start():
    """max_hops caps the steps; starting from the funding outpoint starts at its spender."""
    book, ids = peel_book(4)
    assert [h.txid for h in follow_peel_chain(book.txs, ids[0], max_hops=2)] == ids[:2]
    coinbase = book.txs[0]["txid"]
    assert follow_peel_chain(book.txs, (coinbase, 0)) == follow_peel_chain(book.txs, ids[0])
    without_funding = book.txs[1:]  # the funding output is now outside the ledger
    assert follow_peel_chain(without_funding, (coinbase, 0)) == follow_peel_chain(book.txs, ids[0])


def test_peel_chain_change_may_come_first():
    """The larger output is the change whatever its position."""
    book = Book()
    first = book.add("swap", [external("s", "w", 10**6)], [out("w2", 900_000), out("shop", 99_000)])
    book.add("next", [book.spend(first, 0)], [out("shop-b", 50_000), out("w3", 849_000)])
    hops = follow_peel_chain(book.txs, first)
    assert [(h.payment_vout, h.change_vout) for h in hops] == [(1, 0), (0, 1)]


def test_peel_chain_not_a_peel_start():
    """A start that is not a peel step (or an unspent outpoint) gives an empty chain."""
    book, ids = peel_book(1)
    assert follow_peel_chain(book.txs, book.txs[0]["txid"]) == []  # the coinbase
    assert follow_peel_chain(book.txs, (ids[0], 1)) == []  # unspent change
    equal = book.add("equal", [external("eq", "w", 10_000)], [out("a", 4_000), out("b", 4_000)])
    assert follow_peel_chain(book.txs, equal) == []


def test_peel_chain_bad_arguments():
    """Unknown starts and non-positive max_hops are clear errors."""
    book, ids = peel_book(1)
    with pytest.raises(ValueError, match="not in the ledger"):
        follow_peel_chain(book.txs, txid("nowhere"))
    with pytest.raises(ValueError, match="max_hops"):
        follow_peel_chain(book.txs, ids[0], max_hops=0)
    with pytest.raises(ValueError, match="has no output 5"):
        follow_peel_chain(book.txs, (ids[0], 5))


# --------------------------------------------------------------------------- taint


def taint_book() -> tuple[Book, dict[str, str]]:
    """Three transactions where poison, haircut and FIFO all disagree.

    theft: creates loot:0 = 8000 sat (the source, fully tainted).
    mix:   inputs [clean 3000 (outside the ledger), loot:0 8000] -> x 5000, y 5500, fee 500.
    cash:  inputs [mix:1 (y, 5500), clean 1000] -> z 4000, w 2300, fee 200.
    """
    book = Book()
    theft = book.add("theft", [external("victim", "victim", 8_300)], [out("thief", 8_000)])
    mix = book.add(
        "mix",
        [external("c1", "clean-1", 3_000), book.spend(theft, 0)],
        [out("x", 5_000), out("y", 5_500)],
    )
    cash = book.add(
        "cash",
        [book.spend(mix, 1), external("c2", "clean-2", 1_000)],
        [out("z", 4_000), out("w", 2_300)],
    )
    return book, {"theft": theft, "mix": mix, "cash": cash}


def test_taint_poison_by_hand():
    """Poison: every output of a transaction with a tainted input is fully tainted."""
    book, t = taint_book()
    flows = taint(book.txs, {(t["theft"], 0)}, "poison")
    assert flows == {
        (t["theft"], 0): 8_000,
        (t["mix"], 0): 5_000,
        (t["mix"], 1): 5_500,
        (t["cash"], 0): 4_000,
        (t["cash"], 1): 2_300,
    }


def test_taint_haircut_by_hand():
    """Haircut: floor(tainted_in * value / total_in), the fee's share is dropped."""
    book, t = taint_book()
    flows = taint(book.txs, {(t["theft"], 0)}, "haircut")
    # mix:  T = 8000 of V = 11000. x: 8000*5000/11000 = 3636.36 -> 3636; y: 8000*5500/11000 = 4000.
    # cash: T = 4000 (y's taint) of V = 6500. z: 4000*4000/6500 = 2461.5 -> 2461;
    #       w: 4000*2300/6500 = 1415.4 -> 1415.
    assert flows[(t["mix"], 0)] == 3_636
    assert flows[(t["mix"], 1)] == 4_000
    assert flows[(t["cash"], 0)] == 2_461
    assert flows[(t["cash"], 1)] == 1_415


def test_taint_fifo_by_hand():
    """FIFO: inputs laid end to end in order, outputs cut the line in order, fee last."""
    book, t = taint_book()
    flows = taint(book.txs, {(t["theft"], 0)}, "fifo")
    # mix line: [3000 clean][8000 dirty]. x takes 3000 clean + 2000 dirty -> 2000;
    #           y takes 5500 dirty -> 5500; the fee's 500 are dirty and lost.
    # cash line: [5500 dirty (y)][1000 clean]. z takes 4000 dirty -> 4000;
    #            w takes 1500 dirty + 800 clean -> 1500; fee 200 clean.
    assert flows[(t["mix"], 0)] == 2_000
    assert flows[(t["mix"], 1)] == 5_500
    assert flows[(t["cash"], 0)] == 4_000
    assert flows[(t["cash"], 1)] == 1_500


def test_taint_fifo_remembers_where_dirty_coins_sit():
    """A partly tainted output keeps its dirty part at its end; FIFO downstream respects it."""
    book, t = taint_book()
    # x (mix:0) is [3000 clean][2000 dirty]; spending it alone into 3000 + 1900 (fee 100)
    # gives the first output only clean coins and the second only dirty ones.
    spend = book.add("spend-x", [book.spend(t["mix"], 0)], [out("p", 3_000), out("q", 1_900)])
    flows = taint(book.txs, {(t["theft"], 0)}, "fifo")
    assert flows[(spend, 0)] == 0
    assert flows[(spend, 1)] == 1_900


def test_taint_policies_disagree_on_the_same_flow():
    """The same flow yields three different amounts: a figure needs its policy."""
    book, t = taint_book()
    amounts = {p: taint(book.txs, {(t["theft"], 0)}, p)[(t["cash"], 1)] for p in TAINT_POLICIES}
    assert amounts == {"poison": 2_300, "haircut": 1_415, "fifo": 1_500}


def test_taint_unknown_policy_names_allowed_values():
    """A misspelt policy is a ValueError that lists the allowed names."""
    book, t = taint_book()
    with pytest.raises(ValueError, match="poison, haircut, fifo"):
        taint(book.txs, {(t["theft"], 0)}, "FIFO ")


def test_taint_bad_sources():
    """Sources must be (txid, vout) outpoints of the ledger."""
    book, t = taint_book()
    with pytest.raises(ValueError, match="not in the ledger"):
        taint(book.txs, {(txid("nowhere"), 0)}, "poison")
    with pytest.raises(ValueError, match="has no output 3"):
        taint(book.txs, {(t["theft"], 3)}, "poison")
    with pytest.raises(ValueError, match="outpoint"):
        taint(book.txs, [t["theft"]], "poison")


def test_taint_source_outside_the_ledger():
    """A spent outpoint whose transaction is outside the ledger can be a source."""
    book, t = taint_book()
    flows = taint(book.txs, {(txid("c1"), 0)}, "fifo")
    assert flows[(txid("c1"), 0)] == 3_000
    assert flows[(t["mix"], 0)] == 3_000  # the clean-1 coins come first in mix
    assert (t["cash"], 0) not in flows  # y got none of them


def test_taint_does_not_depend_on_ledger_order():
    """Shuffling the ledger changes nothing: taint flows parents before children."""
    txs = random_ledger(21)
    shuffled = txs[:]
    random.Random(4).shuffle(shuffled)
    two_outputs = [tx["txid"] for tx in txs if len(tx["vout"]) == 2]
    sources = {(two_outputs[0], 0), (two_outputs[1], 1)}
    for policy in TAINT_POLICIES:
        assert taint(txs, sources, policy) == taint(LedgerIndex(shuffled), sources, policy)


@pytest.mark.parametrize("policy", TAINT_POLICIES)
def test_taint_never_exceeds_values_or_inputs(policy):
    """No output holds more taint than its value, and no transaction creates taint."""
    txs = random_ledger(8)
    index = LedgerIndex(txs)
    flows = taint(index, {(txs[0]["txid"], 0), (txs[12]["txid"], 0)}, policy)
    tainted_in: dict[str, int] = {}
    for tx in txs:
        for inp in tx["vin"]:
            amount = flows.get((inp.get("txid"), inp.get("vout")), 0)
            tainted_in[tx["txid"]] = tainted_in.get(tx["txid"], 0) + amount
    for tx in txs:
        outs = [flows.get((tx["txid"], k), 0) for k in range(len(tx["vout"]))]
        assert all(0 <= a <= o["value"] for a, o in zip(outs, tx["vout"], strict=True))
        if tainted_in[tx["txid"]] and policy != "poison":
            assert sum(outs) <= tainted_in[tx["txid"]]


@pytest.mark.parametrize("policy", TAINT_POLICIES)
def test_taint_source_downstream_of_another_stays_full(policy):
    """An outpoint named as a source is fully tainted even if taint also flows into it."""
    book, t = taint_book()
    flows = taint(book.txs, {(t["theft"], 0), (t["mix"], 0)}, policy)
    assert flows[(t["mix"], 0)] == 5_000


def test_cluster_rejects_bad_change_answer():
    """A change heuristic answering an output number that does not exist is an error."""
    book = merging_book()
    with pytest.raises(ValueError, match="returned 7"):
        cluster_by_common_inputs(book.txs, change=lambda tx, ledger: 7)


def test_change_heuristics_share_one_signature():
    """Every named heuristic takes (tx, ledger) and answers a vout or None."""
    book = one_time_book()
    index = LedgerIndex(book.txs)
    tx = book.tx(txid("fresh-change"))
    answers = {name: h(tx, index) for name, h in CHANGE_HEURISTICS.items()}
    assert answers == {
        "one_time": 1,
        "optimal": None,  # both outputs are below the single input: undecided
        "round_payment": 1,
        "same_script_type": None,
        "address_reuse": None,
    }
