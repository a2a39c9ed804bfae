"""The tracing toolkit recovers the planted story of every trainee's world.

The reference approach of assignment 05 (consolidation from the seized wallet, peel chain,
cash desk, taint, clustering without CoinJoins) is run on many trainee variants of the default
scenario and compared with the world's ground truth.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict

import pytest

from darktrail.ledger import LedgerIndex
from darktrail.trace import (
    TAINT_POLICIES,
    cluster_by_common_inputs,
    coinjoins,
    follow_peel_chain,
    taint,
)
from darktrail.world import generate

TRAINEES = [f"t-{k:02d}" for k in range(1, 21)]


class Variant:
    """One trainee's ledger, index, ground truth and owner of every address."""

    def __init__(self, trainee: str) -> None:
        world = generate("default", trainee, course_key=bytes(32))
        self.txs = json.loads(world.files["ledger/transactions.json"])
        self.index = LedgerIndex(self.txs)
        self.truth = world.truth.ledger
        self.owner = {a: info.entity for a, info in self.truth.addresses.items()}
        self.history = world.files["seized/wallet/electrum_history.csv"].decode("utf-8")


@functools.cache
def variant(trainee: str) -> Variant:
    return Variant(trainee)


def _consolidation(v: Variant) -> str:
    """The first outgoing transaction of the seized wallet's history (the trainee's step)."""
    for line in v.history.splitlines()[1:]:
        txid, value, _ = line.split(",")
        if value.startswith("-"):
            return txid
    raise AssertionError("the seized wallet has no outgoing transaction")


def _suspect_cashouts(v: Variant) -> list[tuple[str, str, int]]:
    """(txid, exchange, sats) of each deposit reached from the consolidation, in order."""
    hops = follow_peel_chain(v.index, (_consolidation(v), 0))
    found = [(h.txid, v.owner[h.payment_address], h.payment_value) for h in hops]
    to_desk = v.index.spender(hops[-1].txid, hops[-1].change_vout)
    deposit = v.index.tx(v.index.spender(to_desk, 0))
    out = deposit["vout"][0]
    found.append((deposit["txid"], v.owner[out["scriptpubkey_address"]], out["value"]))
    return found


@pytest.mark.parametrize("trainee", TRAINEES)
def test_peel_chain_hops_recovered(trainee):
    """Following the peel chain from the seized wallet's consolidation finds every planted hop."""
    v = variant(trainee)
    (chain,) = v.truth.peel_chains
    assert _consolidation(v) == chain.start_txid
    hops = follow_peel_chain(v.index, (chain.start_txid, 0))
    assert [(h.txid, h.payment_address, h.payment_value) for h in hops] == [
        (h.txid, h.deposit_address, h.sats) for h in chain.hops
    ]


@pytest.mark.parametrize("trainee", TRAINEES)
def test_suspect_cashouts_recovered(trainee):
    """Peel chain plus the cash desk's deposit give every cash-out: exchange and amount."""
    v = variant(trainee)
    suspect = v.truth.peel_chains[0].vendor
    planted = [(c.txid, c.exchange, c.sats) for c in v.truth.cashouts if c.vendor == suspect]
    assert _suspect_cashouts(v) == planted


@pytest.mark.parametrize("trainee", TRAINEES)
def test_peeled_deposits_whole_and_the_cash_desk_mixed(trainee):
    """Each deposit peeled off the chain carries its whole value as taint under every policy;
    the cash desk's deposit mixes older coin in, so FIFO < haircut < poison = its value."""
    v = variant(trainee)
    chain = v.truth.peel_chains[0]
    sources = {(i["txid"], i["vout"]) for i in v.index.tx(chain.start_txid)["vin"]}
    deposits = []
    for hop in chain.hops:
        outs = v.index.tx(hop.txid)["vout"]
        vout = [o.get("scriptpubkey_address") for o in outs].index(hop.deposit_address)
        deposits.append(((hop.txid, vout), hop.sats))
    otc = next(c for c in v.truth.cashouts if c.vendor == chain.vendor and c.via == "otc")
    flows = {policy: taint(v.index, sources, policy) for policy in TAINT_POLICIES}
    for policy in TAINT_POLICIES:
        assert [flows[policy][o] for o, _ in deposits] == [s for _, s in deposits], policy
    desk = (otc.txid, 0)
    value = v.index.tx(otc.txid)["vout"][0]["value"]
    assert flows["fifo"][desk] < flows["haircut"][desk] < flows["poison"][desk] == value


@pytest.mark.parametrize("trainee", TRAINEES)
def test_request_amounts_per_exchange(trainee):
    """Summing the recovered cash-outs per exchange gives the planted totals."""
    v = variant(trainee)
    suspect = v.truth.peel_chains[0].vendor
    want: dict[str, int] = defaultdict(int)
    for c in v.truth.cashouts:
        if c.vendor == suspect:
            want[c.exchange] += c.sats
    got: dict[str, int] = defaultdict(int)
    for _, exchange, sats in _suspect_cashouts(v):
        got[exchange] += sats
    assert got == want


@pytest.mark.parametrize("trainee", TRAINEES)
def test_coinjoin_found_and_kept_out_of_clusters(trainee):
    """The planted CoinJoin is the only one flagged; skipping it keeps its participants apart."""
    v = variant(trainee)
    planted = v.truth.coinjoin
    assert coinjoins(v.index) == [planted.txid]
    inputs = [i["prevout"]["scriptpubkey_address"] for i in v.index.tx(planted.txid)["vin"]]
    naive = cluster_by_common_inputs(v.index, skip_coinjoin=False)
    careful = cluster_by_common_inputs(v.index)
    merged = {v.owner[a] for a in naive.members(naive.of(inputs[0]))}
    assert merged == {p.entity for p in planted.participants}
    for address in inputs:
        assert {v.owner[a] for a in careful.members(careful.of(address))} == {v.owner[address]}


@pytest.mark.parametrize("trainee", TRAINEES)
def test_mixed_coin_reaches_its_exchange(trainee):
    """The mixing vendor's equal output is deposited whole at the planted exchange."""
    v = variant(trainee)
    planted = v.truth.coinjoin
    vendor = next(p for p in planted.participants if v.owner[p.equal_output].startswith("v"))
    outs = v.index.tx(planted.txid)["vout"]
    vout = [o.get("scriptpubkey_address") for o in outs].index(vendor.equal_output)
    deposit = v.index.tx(v.index.spender(planted.txid, vout))
    (cashout,) = [c for c in v.truth.cashouts if c.via == "coinjoin"]
    out = deposit["vout"][0]
    assert (deposit["txid"], v.owner[out["scriptpubkey_address"]], out["value"]) == (
        cashout.txid,
        cashout.exchange,
        cashout.sats,
    )


@pytest.mark.parametrize("trainee", TRAINEES)
def test_careful_clusters_never_mix_owners(trainee):
    """Common-input clustering without CoinJoins puts only one owner's addresses together."""
    v = variant(trainee)
    careful = cluster_by_common_inputs(v.index)
    owners: dict[str, set[str]] = defaultdict(set)
    for address, cluster in careful.items():
        owners[cluster].add(v.owner[address])
    assert all(len(found) == 1 for found in owners.values())
