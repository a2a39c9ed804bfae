"""The traps assignment 05 relies on exist in every trainee's world (40 trainees).

- the cash desk's deposit spends the desk's own older coin first, then the vendor's coin, and
  keeps change: FIFO, haircut and poison give three different figures at that deposit (and
  poison equals the deposit's value), while the peeled payments stay whole under every policy;
- a change guess that the tag list can check is wrong: optimal change takes a vendor's round
  deposit for the change, and the folk rule "larger output" takes payments into market escrow;
- the naive cluster of the CoinJoin's first input glues several careful clusters together;
- ``ledger/tags.csv`` names every deposit address of the vendor's cash-outs.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from darktrail.ledger import LedgerIndex
from darktrail.trace import (
    TAINT_POLICIES,
    change_optimal,
    cluster_by_common_inputs,
    follow_peel_chain,
    is_coinjoin,
    taint,
)
from darktrail.world import generate

TRAINEES = [f"qa-{n:02d}" for n in range(40)]


@pytest.fixture(scope="module")
def worlds():
    found = {}
    for trainee in TRAINEES:
        world = generate("default", trainee, course_key=bytes(32))
        txs = json.loads(world.files["ledger/transactions.json"])
        tags = {
            row["address"]: row["name"]
            for row in csv.DictReader(io.StringIO(world.files["ledger/tags.csv"].decode()))
        }
        found[trainee] = (LedgerIndex(txs), txs, tags, world.truth.ledger)
    return found


def _chain(index, truth):
    start = truth.peel_chains[0].start_txid
    hops = follow_peel_chain(index, (start, 0))
    to_desk = index.spender(hops[-1].txid, hops[-1].change_vout)
    desk = index.tx(index.spender(to_desk, 0))
    sources = {(i["txid"], i["vout"]) for i in index.tx(start)["vin"]}
    return hops, desk, sources


@pytest.mark.parametrize("trainee", TRAINEES)
def test_policies_part_at_the_desk_deposit(worlds, trainee):
    index, _, tags, truth = worlds[trainee]
    hops, desk, sources = _chain(index, truth)
    assert len(desk["vin"]) == 2 and len(desk["vout"]) == 2
    flows = {p: taint(index, sources, p) for p in TAINT_POLICIES}
    fifo, haircut, poison = (flows[p][(desk["txid"], 0)] for p in ("fifo", "haircut", "poison"))
    assert 0 < fifo < haircut < poison == desk["vout"][0]["value"]
    for hop in hops:  # the peeled payments stay whole under every policy
        assert {flows[p][(hop.txid, hop.payment_vout)] for p in TAINT_POLICIES} == {
            hop.payment_value
        }
    assert all(h.payment_address in tags for h in hops)
    assert desk["vout"][0]["scriptpubkey_address"] in tags
    (otc,) = [c for c in truth.cashouts if c.via == "otc"]
    assert otc.fifo_sats == fifo


@pytest.mark.parametrize("trainee", TRAINEES)
def test_checkable_wrong_change_guesses(worlds, trainee):
    index, txs, tags, _ = worlds[trainee]
    candidates = [
        tx
        for tx in txs
        if not any(i.get("is_coinbase") for i in tx["vin"])
        and not is_coinjoin(tx)
        and sum(1 for o in tx["vout"] if o.get("scriptpubkey_address")) >= 2
    ]

    def larger(tx):
        paid = [k for k, o in enumerate(tx["vout"]) if o.get("scriptpubkey_address")]
        return max(paid, key=lambda k: tx["vout"][k]["value"])

    def wrong_checked(h):
        wrong = unchecked = 0
        for tx in candidates:
            k = h(tx)
            if k is None:
                continue
            change = tags.get(tx["vout"][k]["scriptpubkey_address"])
            if change is None:
                unchecked += 1
            elif change != tags.get(tx["vin"][0]["prevout"]["scriptpubkey_address"]):
                wrong += 1
        return wrong, unchecked

    assert wrong_checked(change_optimal)[0] >= 1
    wrong, unchecked = wrong_checked(larger)
    assert wrong >= 1 and unchecked >= 1


@pytest.mark.parametrize("trainee", TRAINEES)
def test_naive_cluster_glues_several_wallets(worlds, trainee):
    index, _, _, truth = worlds[trainee]
    first = index.tx(truth.coinjoin.txid)["vin"][0]["prevout"]["scriptpubkey_address"]
    naive = cluster_by_common_inputs(index, skip_coinjoin=False)
    careful = cluster_by_common_inputs(index)
    glued = {careful.of(a) for a in naive.members(naive.of(first))}
    assert len(glued) >= 5
    # one glued wallet has several addresses, so its id is not the same as its addresses
    assert max(len(careful.members(c)) for c in glued) >= 2
    assert naive.n_clusters < careful.n_clusters
