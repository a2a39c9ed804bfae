# %% [markdown]
# # 05 · Tracing flows: clusters, change, a peel chain, taint and the cash-out
#
# **Time:** about 150 minutes · **Graded:** 27 autograded points and 3 points marked by your
# instructor
#
# **Objectives.** By the end of this notebook you can
#
# 1. turn a ledger into a transaction graph and an address graph with `networkx`;
# 2. recognise a CoinJoin and explain why clustering must leave it out;
# 3. guess change outputs with heuristics and measure how often each guess is right;
# 4. follow a peel chain from a vendor's wallet to exchange deposit addresses;
# 5. compute taint under the poison, haircut and FIFO policies and say which figure belongs in a
#    request to an exchange;
# 6. list the cash-out points and amounts and draw the flow.
#
# **The case so far.** The vendor you are investigating (see the briefing) kept their coins in
# the wallet found on the seized laptop (`seized/wallet/electrum_history.csv`). In the last weeks
# of the case the vendor moved the coins out. Your job: find where they went, how much reached
# each exchange, and write the numbers you would put in a request to those exchanges.
#
# The toolkit `darktrail.ledger` / `darktrail.trace` does the heavy lifting; you write a few
# pieces by hand to see how they work. Amounts are whole **satoshis** (1 BTC = 100,000,000 sat).

# %% role="readonly"
import json

import matplotlib.pyplot as plt
import pandas as pd

from darktrail.evidence import my_evidence, my_world
from darktrail.ledger import LedgerIndex, address_graph, transaction_graph
from darktrail.trace import (
    TAINT_POLICIES,
    change_address_reuse,
    change_one_time,
    change_optimal,
    change_round_payment,
    change_same_script_type,
    cluster_by_common_inputs,
    follow_peel_chain,
    is_coinjoin,
    taint,
)

evidence = my_evidence()
txs = json.loads((evidence / "ledger" / "transactions.json").read_text(encoding="utf-8"))
ledger = LedgerIndex(txs)  # the same transactions, indexed for fast look-ups
print(len(txs), "transactions; the first one:", txs[0]["txid"])

# %% [markdown]
# `txs` is a list of transactions in the Esplora shape you met in assignment 04: each is a
# dictionary with `txid`, `vin` (inputs, each with the `prevout` it spends) and `vout` (outputs,
# each with `scriptpubkey_address` and `value`). `ledger` holds the same transactions indexed:
# `ledger.tx(txid)` returns one transaction, `ledger.spender(txid, vout)` the txid of the
# transaction that spends an output (or `None` if nothing in the ledger spends it yet). Every
# toolkit function accepts `txs` or `ledger`; `ledger` is faster.

# %% [markdown]
# ## Part A · Where the trail starts
#
# ### Task 1 · The vendor's consolidation (1 point)
#
# The seized wallet's history lists each transaction with the wallet's net `value` in BTC:
# positive when coins came in, negative when they went out. Before cashing out, the vendor swept
# all their coins into one output: that is the **first outgoing** transaction of the history.
#
# Read `seized/wallet/electrum_history.csv` into `history` and store the `transaction_hash` of the
# first row with a negative `value` in `consolidation_txid` (text).
#
# *Hint:* `history[history["value"] < 0]` keeps the outgoing rows; `.iloc[0]` takes the first
# row of a table, and `["transaction_hash"]` one of its cells.

# %% role="solution" grade_id="consolidation"
### BEGIN SOLUTION
history = pd.read_csv(evidence / "seized" / "wallet" / "electrum_history.csv")
consolidation_txid = history[history["value"] < 0].iloc[0]["transaction_hash"]
### END SOLUTION
consolidation_txid

# %% role="tests" grade_id="consolidation-test" points=1
"""consolidation_txid is the first outgoing transaction of the seized wallet."""
assert isinstance(consolidation_txid, str), _("consolidation_txid should be a txid written as text")
assert len(consolidation_txid) == 64, _("a txid has 64 hexadecimal characters")
assert consolidation_txid in ledger.tx_pos, _("consolidation_txid should be a transaction of txs")
### BEGIN HIDDEN TESTS
_chain = my_world().truth["ledger"]["peel_chains"][0]
assert consolidation_txid == _chain["start_txid"], _(
    "take the first row whose value is negative (coins going out), not the first row"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 2 · The transaction graph (1 point)
#
# In a **transaction graph** every transaction is a node and an arrow goes from a transaction to
# each later transaction that spends one of its outputs. Build it for the whole ledger and store
# it in `tx_graph`.
#
# *Hint:* `transaction_graph(ledger)` returns a `networkx.DiGraph`.

# %% role="solution" grade_id="tx-graph"
### BEGIN SOLUTION
tx_graph = transaction_graph(ledger)
### END SOLUTION
print(tx_graph)

# %% role="tests" grade_id="tx-graph-test" points=1
"""tx_graph has one node per transaction and an edge from each parent to its spender."""
import networkx as nx

assert isinstance(tx_graph, nx.DiGraph), _("tx_graph should be a networkx DiGraph")
assert tx_graph.number_of_nodes() == len(txs), _("tx_graph should have one node per transaction")
### BEGIN HIDDEN TESTS
_expected_graph = transaction_graph(txs)
assert set(tx_graph.edges) == set(_expected_graph.edges), _(
    "draw an edge from a transaction to every transaction that spends its outputs"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 3 · Where the vendor's coins came from (1 point)
#
# The arrows *into* the consolidation come from the transactions that paid the vendor: market
# payouts and direct payments from buyers. Store the sorted list of their txids in `funded_by`.
#
# *Hint:* `tx_graph.predecessors(node)` gives the nodes with an arrow into `node`;
# `sorted(...)` turns them into a sorted list.

# %% role="solution" grade_id="funded-by"
### BEGIN SOLUTION
funded_by = sorted(tx_graph.predecessors(consolidation_txid))
### END SOLUTION
len(funded_by)

# %% role="tests" grade_id="funded-by-test" points=1
"""funded_by lists the transactions whose outputs the consolidation spends."""
assert isinstance(funded_by, list), _("funded_by should be a list of txids")
assert funded_by == sorted(funded_by), _("sort the list with sorted(...)")
assert consolidation_txid not in funded_by, _("list the parents, not the consolidation itself")
### BEGIN HIDDEN TESTS
_parents = sorted({inp["txid"] for inp in ledger.tx(_chain["start_txid"])["vin"]})
assert funded_by == _parents, _("take the predecessors of the consolidation in tx_graph")
### END HIDDEN TESTS

# %% [markdown]
# ### Task 4 · The address graph (1 point)
#
# Investigators think in addresses, not transactions. In the **address graph** every address is a
# node and an arrow `a → b` means `a` paid `b`. Build it into `addr_graph`, then store in
# `vendor_addresses` the sorted list of the addresses that paid the consolidation's only output
# address (the vendor's own addresses, emptied into one).
#
# *Hint:* `address_graph(ledger)`; the consolidation's output address is
# `ledger.tx(consolidation_txid)["vout"][0]["scriptpubkey_address"]`; then use `predecessors`
# again.

# %% role="solution" grade_id="addr-graph"
### BEGIN SOLUTION
addr_graph = address_graph(ledger)
swept_to = ledger.tx(consolidation_txid)["vout"][0]["scriptpubkey_address"]
vendor_addresses = sorted(addr_graph.predecessors(swept_to))
### END SOLUTION
print(addr_graph)
len(vendor_addresses)

# %% role="tests" grade_id="addr-graph-test" points=1
"""vendor_addresses are the input addresses of the consolidation, from the address graph."""
assert isinstance(addr_graph, nx.DiGraph), _("addr_graph should be a networkx DiGraph")
assert isinstance(vendor_addresses, list), _("vendor_addresses should be a list of addresses")
assert all(a in addr_graph for a in vendor_addresses), _(
    "each address should be a node of addr_graph"
)
### BEGIN HIDDEN TESTS
_inputs = ledger.tx(_chain["start_txid"])["vin"]
assert vendor_addresses == sorted({inp["prevout"]["scriptpubkey_address"] for inp in _inputs}), _(
    "take the predecessors of the consolidation's output address, each address once"
)
assert addr_graph.number_of_nodes() == address_graph(txs).number_of_nodes(), _(
    "build addr_graph from the whole ledger"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · CoinJoin and clustering
#
# **Common-input ownership:** the inputs of one transaction were all signed by one wallet, so
# their addresses belong to one owner. Merging them over the whole ledger gives **clusters**
# (presumed wallets). A **CoinJoin** breaks this rule on purpose: several people put their coins
# into one transaction and each takes back an output of the same value.
#
# The course's CoinJoin rule: a transaction is a CoinJoin when
#
# 1. it has at least 2 inputs and at least 3 outputs;
# 2. with `n` outputs, `p = (n + 1) // 2` (the number of participants) is not more than the number
#    of inputs;
# 3. the most common output value appears exactly `p` times;
# 4. that value is more than 546 sat (not dust).
#
# ### Task 5 · Write the CoinJoin rule (2 points)
#
# Write `looks_like_coinjoin(tx)` that returns `True` or `False` for one transaction by this rule.
#
# *Hint:* `len(tx["vin"])`, `len(tx["vout"])`; `values = [out["value"] for out in tx["vout"]]`;
# `from collections import Counter`, then `Counter(values).most_common(1)[0]` gives
# `(value, times)` of the most common value.


# %% role="solution" grade_id="coinjoin-rule"
from collections import Counter


def looks_like_coinjoin(tx):
    ### BEGIN SOLUTION
    n_in, n_out = len(tx["vin"]), len(tx["vout"])
    if n_in < 2 or n_out < 3:
        return False
    participants = (n_out + 1) // 2
    if participants > n_in:
        return False
    value, times = Counter(out["value"] for out in tx["vout"]).most_common(1)[0]
    return times == participants and value > 546
    ### END SOLUTION


[tx["txid"] for tx in txs if looks_like_coinjoin(tx)]

# %% role="tests" grade_id="coinjoin-rule-test" points=2
"""looks_like_coinjoin applies the equal-output rule."""


def _tx(n_in, values):
    spend = {"txid": "f" * 64, "vout": 0, "is_coinbase": False, "prevout": {"value": 10**6}}
    return {"vin": [spend] * n_in, "vout": [{"value": v} for v in values]}


assert looks_like_coinjoin(_tx(3, [50_000, 50_000, 50_000, 1_234, 8_000])) is True, _(
    "3 inputs, 5 outputs, 3 equal outputs: a CoinJoin"
)
assert looks_like_coinjoin(_tx(1, [5_000, 7_000])) is False, _(
    "a payment with one input is not a CoinJoin"
)
### BEGIN HIDDEN TESTS
assert looks_like_coinjoin(_tx(3, [546, 546, 546, 1_234, 8_000])) is False, _(
    "equal outputs of 546 sat or less are dust: not a CoinJoin"
)
assert looks_like_coinjoin(_tx(2, [50_000, 50_000, 50_000, 1_234, 8_000])) is False, _(
    "3 participants need at least 3 inputs"
)
assert looks_like_coinjoin(_tx(4, [9_000, 9_000, 9_000, 9_000, 700])) is False, _(
    "the most common value must appear exactly (n + 1) // 2 times, not more"
)
assert looks_like_coinjoin(_tx(2, [9_000, 9_000])) is False, _("a CoinJoin has at least 3 outputs")
for _one in txs:
    assert looks_like_coinjoin(_one) == is_coinjoin(_one), _(
        "your rule disagrees with the course rule on a transaction of your ledger"
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Task 6 · Find the CoinJoin (1 point)
#
# Store in `coinjoin_txids` the list of txids of the transactions of `txs` that your rule flags.
#
# *Hint:* a list comprehension `[tx["txid"] for tx in txs if ...]`.

# %% role="solution" grade_id="find-coinjoin"
### BEGIN SOLUTION
coinjoin_txids = [tx["txid"] for tx in txs if looks_like_coinjoin(tx)]
### END SOLUTION
coinjoin_txids

# %% role="tests" grade_id="find-coinjoin-test" points=1
"""coinjoin_txids lists the CoinJoin planted in the ledger."""
assert isinstance(coinjoin_txids, list), _("coinjoin_txids should be a list of txids")
assert len(coinjoin_txids) >= 1, _("there is at least one CoinJoin in your ledger")
### BEGIN HIDDEN TESTS
assert coinjoin_txids == [my_world().truth["ledger"]["coinjoin"]["txid"]], _(
    "apply your rule to every transaction of txs"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 7 · Cluster, with and without the CoinJoin (1 point)
#
# Cluster the ledger twice:
#
# - `naive`: common-input clustering that merges the CoinJoin's inputs like any others;
# - `clusters`: the same, but leaving CoinJoins out.
#
# *Hint:* `cluster_by_common_inputs(ledger, skip_coinjoin=False)` and
# `cluster_by_common_inputs(ledger, skip_coinjoin=True)`. The result works like a dictionary:
# `clusters.of(address)` is the id of the address's cluster, `clusters.members(cluster_id)` the
# addresses in it.

# %% role="solution" grade_id="clusters"
### BEGIN SOLUTION
naive = cluster_by_common_inputs(ledger, skip_coinjoin=False)
clusters = cluster_by_common_inputs(ledger, skip_coinjoin=True)
### END SOLUTION
naive, clusters

# %% role="tests" grade_id="clusters-test" points=1
"""naive merges CoinJoin inputs; clusters leaves CoinJoins out."""
assert len(clusters) == len(naive) > 0, _("cluster the whole ledger both times")
assert naive.n_clusters <= clusters.n_clusters, _(
    "naive merges more than clusters: check skip_coinjoin"
)
### BEGIN HIDDEN TESTS
_careful = cluster_by_common_inputs(txs, skip_coinjoin=True)
_naive = cluster_by_common_inputs(txs, skip_coinjoin=False)
assert dict(naive) == dict(_naive), _("naive should merge the inputs of every transaction")
assert dict(clusters) == dict(_careful), _(
    "inputs of a CoinJoin must not be merged into one cluster"
)
### END HIDDEN TESTS

# %% [markdown]
# ### What the case revealed
#
# Months later, replies from the exchanges and other seized devices told who owned each address.
# The case file now holds them: `revealed[address]` is the owner's id (`x1`, `x2`, … exchanges;
# `m1`, … markets; `v1`, … vendors; `b1`, … buyers; `cj1`, … strangers who joined the CoinJoin;
# others). `owner_names[owner]` gives a readable name. You use them to **check** the heuristics;
# in a live case you would not have them.

# %% role="readonly"
case_file = my_world().truth["ledger"]
revealed = pd.Series(
    {address: info["entity"] for address, info in case_file["addresses"].items()}, name="owner"
)
owner_names = {owner: info["name"] for owner, info in case_file["entities"].items()}
del case_file
revealed.value_counts().head()

# %% [markdown]
# ### Task 8 · How many owners in one "wallet"? (2 points)
#
# Take the CoinJoin's first input address: `cj_address = ledger.tx(coinjoin_txids[0])["vin"][0]
# ["prevout"]["scriptpubkey_address"]`. Count the **different owners** (by `revealed`) of the
# addresses in its cluster:
#
# - `owners_naive`: in its `naive` cluster;
# - `owners_careful`: in its cluster in `clusters`.
#
# *Hint:* `naive.members(naive.of(cj_address))` lists the cluster's addresses;
# `revealed[list_of_addresses].nunique()` counts the different owners.

# %% role="solution" grade_id="owners"
cj_address = ledger.tx(coinjoin_txids[0])["vin"][0]["prevout"]["scriptpubkey_address"]
### BEGIN SOLUTION
owners_naive = int(revealed[naive.members(naive.of(cj_address))].nunique())
owners_careful = int(revealed[clusters.members(clusters.of(cj_address))].nunique())
### END SOLUTION
owners_naive, owners_careful

# %% role="tests" grade_id="owners-test" points=2
"""owners_naive counts the CoinJoin's participants merged by naive clustering; careful keeps one."""
assert isinstance(owners_naive, int) and isinstance(owners_careful, int), _(
    "owners_naive and owners_careful should be whole numbers (use int(...))"
)
assert owners_naive >= owners_careful >= 1, _("a cluster has at least one owner")
### BEGIN HIDDEN TESTS
_cj = my_world().truth["ledger"]["coinjoin"]
assert owners_naive == len(_cj["participants"]), _(
    "count the owners of every address in the naive cluster of the CoinJoin's input"
)
assert owners_careful == 1, _("inputs of a CoinJoin must not be merged into one cluster")
### END HIDDEN TESTS

# %% [markdown]
# The naive cluster glues a vendor's wallet to strangers who happened to join the same CoinJoin.
# Reported as "one wallet", it would put innocent people into a case file.
#
# ## Part C · Change heuristics and how often they are right
#
# A payment usually has two outputs: the payee's and the **change** going back to the payer.
# The blockchain does not say which is which; heuristics guess. **Optimal change:** if exactly
# one output is smaller than the smallest input, it is the change (a wallet would not have added
# an input larger than the change: it could have left it out).
#
# ### Task 9 · Write the optimal-change heuristic (2 points)
#
# Write `my_change_optimal(tx)` returning the **index** (`vout` number) of the change output, or
# `None` when not exactly one output is below the smallest input.
#
# *Hint:* `smallest = min(inp["prevout"]["value"] for inp in tx["vin"])`, then
# `[n for n, out in enumerate(tx["vout"]) if out["value"] < smallest]`.


# %% role="solution" grade_id="change-optimal"
def my_change_optimal(tx):
    ### BEGIN SOLUTION
    if any(inp.get("is_coinbase") for inp in tx["vin"]) or len(tx["vout"]) < 2:
        return None
    smallest = min(inp["prevout"]["value"] for inp in tx["vin"])
    below = [n for n, out in enumerate(tx["vout"]) if out["value"] < smallest]
    return below[0] if len(below) == 1 else None
    ### END SOLUTION


my_change_optimal(txs[-1])

# %% role="tests" grade_id="change-optimal-test" points=2
"""my_change_optimal returns the only output below the smallest input, else None."""


def _pay(inputs, outputs):
    return {
        "vin": [
            {"txid": "f" * 64, "vout": k, "is_coinbase": False, "prevout": {"value": v}}
            for k, v in enumerate(inputs)
        ],
        "vout": [{"scriptpubkey_address": f"out{k}", "value": v} for k, v in enumerate(outputs)],
    }


assert my_change_optimal(_pay([60_000, 50_000], [90_000, 19_000])) == 1, _(
    "19,000 sat is the only output below the smallest input (50,000): it is the change"
)
### BEGIN HIDDEN TESTS
assert my_change_optimal(_pay([70_000, 80_000], [12_000, 137_000])) == 0, _(
    "the change is the output below the smallest input, whatever its position"
)
assert my_change_optimal(_pay([100_000], [30_000, 69_000])) is None, _(
    "with one input both outputs are below it: the heuristic cannot tell, return None"
)
assert my_change_optimal(_pay([60_000, 50_000], [30_000, 25_000, 54_000])) is None, _(
    "two outputs below the smallest input: return None"
)
for _one in txs:
    if any(inp.get("is_coinbase") for inp in _one["vin"]):
        continue
    assert my_change_optimal(_one) == change_optimal(_one), _(
        "your heuristic disagrees with optimal change on a transaction of your ledger"
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Task 10 · Measure precision against what the case revealed (2 points)
#
# A guess is **right** when the guessed change output belongs to the same owner as the
# transaction's first input (by `revealed`). The **precision** of a heuristic is right guesses
# divided by all guesses.
#
# The cell below gives `heuristics` (name → function; each is called `h(tx, ledger)` and returns an
# output index or `None`) — the toolkit's five plus the folk rule "the larger output is the
# change" — and `candidates`, the transactions where a guess makes sense (not coinbase, not
# CoinJoin, at least two outputs with an address).
#
# Build a DataFrame `scores` indexed by heuristic name with columns `guesses` (how many
# candidates got a guess), `right` (how many guesses were right) and `precision`
# (`right / guesses`; leave `NaN` when a heuristic never guesses).
#
# *Hint:* loop `for name, h in heuristics.items():` and inside `for tx in candidates:`; call
# `k = h(tx, ledger)`, skip `None`; compare `revealed[tx["vout"][k]["scriptpubkey_address"]]`
# with `revealed[tx["vin"][0]["prevout"]["scriptpubkey_address"]]`. Collect one dictionary per
# heuristic (`{"heuristic": name, "guesses": ..., "right": ...}`), then
# `pd.DataFrame(rows).set_index("heuristic")`; `scores["right"] /
# scores["guesses"]` divides column by column.


# %% role="readonly"
def larger_output(tx, ledger=None):
    """The folk rule: the larger of the outputs is the change."""
    paid = [n for n, out in enumerate(tx["vout"]) if out.get("scriptpubkey_address")]
    return max(paid, key=lambda n: tx["vout"][n]["value"])


heuristics = {
    "optimal change": change_optimal,
    "one-time change": change_one_time,
    "round payment": change_round_payment,
    "same script type": change_same_script_type,
    "address reuse": change_address_reuse,
    "larger output": larger_output,
}
candidates = [
    tx
    for tx in txs
    if not any(inp.get("is_coinbase") for inp in tx["vin"])
    and not is_coinjoin(tx)
    and sum(1 for out in tx["vout"] if out.get("scriptpubkey_address")) >= 2
]
len(candidates)

# %% role="solution" grade_id="precision"
### BEGIN SOLUTION
rows = []
for name, h in heuristics.items():
    guesses = right = 0
    for tx in candidates:
        k = h(tx, ledger)
        if k is None:
            continue
        guesses += 1
        payer = revealed[tx["vin"][0]["prevout"]["scriptpubkey_address"]]
        right += revealed[tx["vout"][k]["scriptpubkey_address"]] == payer
    rows.append({"heuristic": name, "guesses": guesses, "right": right})
scores = pd.DataFrame(rows).set_index("heuristic")
scores["precision"] = scores["right"] / scores["guesses"]
### END SOLUTION
scores

# %% role="tests" grade_id="precision-test" points=2
"""scores holds guesses, right guesses and precision of each heuristic on the candidates."""
assert isinstance(scores, pd.DataFrame), _("scores should be a DataFrame")
assert {"guesses", "right", "precision"} <= set(scores.columns), _(
    "scores needs the columns guesses, right and precision"
)
assert set(scores.index) == set(heuristics), _("scores needs one row per heuristic")
assert (scores["right"] <= scores["guesses"]).all(), _("right guesses cannot exceed guesses")
### BEGIN HIDDEN TESTS
_owner = {a: info["entity"] for a, info in my_world().truth["ledger"]["addresses"].items()}
for _name, _h in heuristics.items():
    _k = [(_one, _h(_one, ledger)) for _one in candidates]
    _k = [(_one, k) for _one, k in _k if k is not None]
    _right = sum(
        _owner[_one["vout"][k]["scriptpubkey_address"]]
        == _owner[_one["vin"][0]["prevout"]["scriptpubkey_address"]]
        for _one, k in _k
    )
    assert int(scores.loc[_name, "guesses"]) == len(_k), _(
        "count a guess for every candidate where the heuristic does not return None"
    )
    assert int(scores.loc[_name, "right"]) == _right, _(
        "a guess is right when the change output's owner is the owner of the first input"
    )
    if _k:
        assert abs(float(scores.loc[_name, "precision"]) - _right / len(_k)) < 1e-9, _(
            "precision is right / guesses"
        )
    else:
        assert pd.isna(scores.loc[_name, "precision"]), _(
            "leave the precision NaN when a heuristic never guesses"
        )
### END HIDDEN TESTS

# %% [markdown]
# Look at `scores`: the textbook heuristics are often right when they speak but are silent on
# most transactions; the folk rule always speaks and is mostly wrong. A wrong change guess merges
# a payee into the payer's cluster.
#
# ## Part D · The peel chain and the cash-out
#
# A **peel chain**: one input, two outputs: a small payment "peeled off" and a large change that
# the next step spends again. Vendors use it to pay many deposit addresses from one wallet.
#
# ### Task 11 · Follow the chain (1 point)
#
# The consolidation's output 0 is spent by the first step of the vendor's peel chain. Store the
# steps in `hops`.
#
# *Hint:* `follow_peel_chain(ledger, (consolidation_txid, 0))` starts from the transaction that
# spends the **output** `(txid, vout)`. Each step has `txid`, `payment_address`,
# `payment_value`, `change_vout`, …; `pd.DataFrame(hops)` shows them as a table.

# %% role="solution" grade_id="peel-chain"
### BEGIN SOLUTION
hops = follow_peel_chain(ledger, (consolidation_txid, 0))
### END SOLUTION
pd.DataFrame(hops)

# %% role="tests" grade_id="peel-chain-test" points=1
"""hops are the steps of the vendor's peel chain, in order."""
assert isinstance(hops, list) and len(hops) > 0, _(
    "hops should be a non-empty list: start from the outpoint (consolidation_txid, 0)"
)
### BEGIN HIDDEN TESTS
assert [h.txid for h in hops] == [h["txid"] for h in _chain["hops"]], _(
    "follow every step of the chain from the consolidation's output"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 12 · Who received the peeled payments? (2 points)
#
# Build a DataFrame `peel_cashouts` with one row per step and the columns `txid`, `address`
# (the payment address), `owner` (by `revealed`) and `sats` (the payment value).
#
# *Hint:* a list of dictionaries, one per step:
# `{"txid": h.txid, "address": h.payment_address, "owner": revealed[h.payment_address],
# "sats": h.payment_value}`, then `pd.DataFrame(rows)`.

# %% role="solution" grade_id="peel-cashouts"
### BEGIN SOLUTION
peel_cashouts = pd.DataFrame(
    [
        {
            "txid": h.txid,
            "address": h.payment_address,
            "owner": revealed[h.payment_address],
            "sats": h.payment_value,
        }
        for h in hops
    ]
)
### END SOLUTION
peel_cashouts

# %% role="tests" grade_id="peel-cashouts-test" points=2
"""peel_cashouts lists each peeled payment: deposit address, owner and amount."""
assert isinstance(peel_cashouts, pd.DataFrame), _("peel_cashouts should be a DataFrame")
assert {"txid", "address", "owner", "sats"} <= set(peel_cashouts.columns), _(
    "peel_cashouts needs the columns txid, address, owner and sats"
)
assert len(peel_cashouts) == len(hops), _("one row per step of the chain")
### BEGIN HIDDEN TESTS
_got = [tuple(r) for r in peel_cashouts[["txid", "address", "owner", "sats"]].values.tolist()]
_want = [(h["txid"], h["deposit_address"], h["exchange"], h["sats"]) for h in _chain["hops"]]
assert _got == _want, _(
    "take the payment (the smaller output) of each step, not the change, and its owner"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 13 · The last leg: the cash desk (2 points)
#
# After the last step the change went to the over-the-counter cash desk from the seized chat,
# and the desk then deposited it at an exchange. Follow it: the last step's change output
# `(hops[-1].txid, hops[-1].change_vout)` is spent by the payment to the desk; that
# transaction's output 0 is spent by the desk's deposit. Store a dictionary `otc_cashout` with
# the keys `txid` (the desk's deposit transaction), `address` (its output 0 address), `owner`
# (by `revealed`) and `sats` (its output 0 value).
#
# *Hint:* `ledger.spender(txid, vout)` gives the txid that spends an output; `ledger.tx(txid)`
# the transaction itself.

# %% role="solution" grade_id="otc-cashout"
### BEGIN SOLUTION
to_desk = ledger.spender(hops[-1].txid, hops[-1].change_vout)
desk_deposit = ledger.tx(ledger.spender(to_desk, 0))
otc_cashout = {
    "txid": desk_deposit["txid"],
    "address": desk_deposit["vout"][0]["scriptpubkey_address"],
    "owner": revealed[desk_deposit["vout"][0]["scriptpubkey_address"]],
    "sats": desk_deposit["vout"][0]["value"],
}
### END SOLUTION
otc_cashout

# %% role="tests" grade_id="otc-cashout-test" points=2
"""otc_cashout is the cash desk's deposit of the vendor's last coins at an exchange."""
assert isinstance(otc_cashout, dict), _("otc_cashout should be a dictionary")
assert {"txid", "address", "owner", "sats"} <= set(otc_cashout), _(
    "otc_cashout needs the keys txid, address, owner and sats"
)
### BEGIN HIDDEN TESTS
_otc = [c for c in my_world().truth["ledger"]["cashouts"] if c["via"] == "otc"][0]
assert otc_cashout["txid"] == _otc["txid"], _(
    "follow two transactions: the payment to the desk, then the desk's deposit"
)
assert (otc_cashout["address"], otc_cashout["owner"], otc_cashout["sats"]) == (
    _otc["address"],
    _otc["exchange"],
    _otc["sats"],
), _("take the address, owner and value of output 0 of the desk's deposit")
### END HIDDEN TESTS

# %% [markdown]
# ## Part E · Taint: how much of the vendor's money is where?
#
# The vendor's proceeds are the outputs the consolidation spent: everything the wallet held.
# **Taint analysis** follows them forward and says, for every output reached, how many of its
# satoshis are "dirty". It depends on a **policy** for transactions that mix dirty and clean
# coins:
#
# - **poison**: any dirty input makes every output fully dirty;
# - **haircut**: each output gets the dirty share of its value, `dirty_in × value / total_in`
#   (rounded down); the fee's share goes to the miner and is dropped;
# - **FIFO** (first in, first out; Clayton's case): the inputs are laid end to end in order,
#   the outputs take consecutive slices; an output is as dirty as its slice.
#
# ### Task 14 · The sources (1 point)
#
# Store in `sources` the **set** of outpoints `(txid, vout)` that the consolidation spends.
#
# *Hint:* `{(inp["txid"], inp["vout"]) for inp in ledger.tx(consolidation_txid)["vin"]}`.

# %% role="solution" grade_id="sources"
### BEGIN SOLUTION
sources = {(inp["txid"], inp["vout"]) for inp in ledger.tx(consolidation_txid)["vin"]}
### END SOLUTION
len(sources)

# %% role="tests" grade_id="sources-test" points=1
"""sources are the outpoints spent by the consolidation."""
assert isinstance(sources, set), _("sources should be a set of (txid, vout) pairs")
assert all(isinstance(s, tuple) and len(s) == 2 for s in sources), _(
    "each source is a pair (txid, vout)"
)
### BEGIN HIDDEN TESTS
assert sources == {(i["txid"], i["vout"]) for i in ledger.tx(_chain["start_txid"])["vin"]}, _(
    "take every input of the consolidation"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 15 · Taint under the three policies (1 point)
#
# Store in `flows` a dictionary from each policy name (`"poison"`, `"haircut"`, `"fifo"`) to the
# result of `taint` for `sources`. Each result maps an outpoint `(txid, vout)` to its dirty
# satoshis.
#
# *Hint:* `{policy: taint(ledger, sources, policy) for policy in TAINT_POLICIES}`.

# %% role="solution" grade_id="flows"
### BEGIN SOLUTION
flows = {policy: taint(ledger, sources, policy) for policy in TAINT_POLICIES}
### END SOLUTION
{policy: len(reached) for policy, reached in flows.items()}

# %% role="tests" grade_id="flows-test" points=1
"""flows holds the taint of every reached output under each policy."""
assert isinstance(flows, dict) and set(flows) == {"poison", "haircut", "fifo"}, _(
    "flows needs the keys poison, haircut and fifo"
)
### BEGIN HIDDEN TESTS
for _policy in TAINT_POLICIES:
    assert flows[_policy] == taint(txs, sources, _policy), _(
        "call taint with the policy named by the key"
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Task 16 · Where the dirty coins rest (1 point)
#
# An output still unspent at the end of the ledger is where coins **rest**. For each policy, add
# up the dirty satoshis of the reached outputs that nothing in the ledger spends. Store the
# totals in a dictionary `at_rest` (policy → whole number of satoshis).
#
# *Hint:* `for (txid, vout), dirty in flows[policy].items():` and keep it when
# `ledger.spender(txid, vout) is None`.

# %% role="solution" grade_id="at-rest"
### BEGIN SOLUTION
at_rest = {
    policy: sum(
        dirty for (txid, vout), dirty in reached.items() if ledger.spender(txid, vout) is None
    )
    for policy, reached in flows.items()
}
### END SOLUTION
at_rest

# %% role="tests" grade_id="at-rest-test" points=1
"""at_rest sums the dirty satoshis of unspent reached outputs, per policy."""
assert isinstance(at_rest, dict) and set(at_rest) == {"poison", "haircut", "fifo"}, _(
    "at_rest needs the keys poison, haircut and fifo"
)
assert at_rest["poison"] >= at_rest["fifo"], _("poison never taints less than FIFO")
### BEGIN HIDDEN TESTS
for _policy in TAINT_POLICIES:
    _reached = taint(txs, sources, _policy)
    _rest = sum(v for (t, n), v in _reached.items() if ledger.spender(t, n) is None)
    assert int(at_rest[_policy]) == _rest, _(
        "count only outputs that nothing spends, or each coin is counted at every hop"
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Task 17 · A haircut by hand (2 points)
#
# Every exchange finally swept its deposit addresses into its hot wallet in one transaction. Take
# the sweep that spends the first peeled payment: `sweep = ledger.tx(ledger.spender(hops[0].txid,
# hops[0].payment_vout))`. It has one output. Compute by hand its haircut taint and store it in
# `haircut_by_hand` (whole satoshis, rounded down):
#
# `dirty_in × output value / total_in`,
#
# where `dirty_in` adds up `flows["haircut"]` of the sweep's inputs (an input not in
# `flows["haircut"]` is clean) and `total_in` adds up the **input** values.
#
# *Hint:* `flows["haircut"].get((inp["txid"], inp["vout"]), 0)`; `//` divides rounding down.
# Compare with `flows["haircut"][(sweep["txid"], 0)]`.

# %% role="solution" grade_id="haircut-by-hand"
sweep = ledger.tx(ledger.spender(hops[0].txid, hops[0].payment_vout))
### BEGIN SOLUTION
dirty_in = sum(flows["haircut"].get((inp["txid"], inp["vout"]), 0) for inp in sweep["vin"])
total_in = sum(inp["prevout"]["value"] for inp in sweep["vin"])
haircut_by_hand = dirty_in * sweep["vout"][0]["value"] // total_in
### END SOLUTION
haircut_by_hand, sweep["fee"]

# %% role="tests" grade_id="haircut-by-hand-test" points=2
"""haircut_by_hand shares the sweep's dirty input over its output and drops the fee's share."""
assert isinstance(haircut_by_hand, int), _("haircut_by_hand should be a whole number of satoshis")
assert 0 < haircut_by_hand <= sweep["vout"][0]["value"], _(
    "the dirty part of an output is positive and not more than its value"
)
### BEGIN HIDDEN TESTS
_first = _chain["hops"][0]
_paid = [o.get("scriptpubkey_address") for o in ledger.tx(_first["txid"])["vout"]]
_sweep = ledger.tx(ledger.spender(_first["txid"], _paid.index(_first["deposit_address"])))
_haircut = taint(txs, sources, "haircut")
_dirty = sum(_haircut.get((i["txid"], i["vout"]), 0) for i in _sweep["vin"])
_total = sum(i["prevout"]["value"] for i in _sweep["vin"])
assert haircut_by_hand == _dirty * _sweep["vout"][0]["value"] // _total, _(
    "divide by the total of the inputs: the fee's share of the dirty coins goes to the miner"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 18 · The amounts for the request (2 points)
#
# You will ask each exchange to identify the account behind the deposits and to freeze the
# vendor's money. Store in `request_amounts` a pandas Series indexed by exchange (owner id such
# as `"x2"`) with the satoshis the vendor's coins brought to that exchange through its deposits:
# the peeled payments and the cash desk's deposit.
#
# *Hint:* `pd.concat([peel_cashouts, pd.DataFrame([otc_cashout])])` puts all cash-outs in one
# table; `.groupby("owner")["sats"].sum()` adds them up per exchange.

# %% role="solution" grade_id="request-amounts"
### BEGIN SOLUTION
cashouts = pd.concat([peel_cashouts, pd.DataFrame([otc_cashout])], ignore_index=True)
request_amounts = cashouts.groupby("owner")["sats"].sum()
### END SOLUTION
request_amounts

# %% role="tests" grade_id="request-amounts-test" points=2
"""request_amounts adds up the vendor's deposits per exchange."""
assert isinstance(request_amounts, pd.Series), _("request_amounts should be a pandas Series")
assert all(str(x).startswith("x") for x in request_amounts.index), _(
    "index request_amounts by exchange owner ids such as x1"
)
### BEGIN HIDDEN TESTS
_want_amounts = {}
for _c in my_world().truth["ledger"]["cashouts"]:
    if _c["vendor"] == _chain["vendor"]:
        _want_amounts[_c["exchange"]] = _want_amounts.get(_c["exchange"], 0) + _c["sats"]
assert {str(k): int(v) for k, v in request_amounts.items()} == _want_amounts, _(
    "request what was deposited, not the taint of the whole hot wallet"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Task 19 · Which figure goes into the request? (3 points, marked by your instructor)
#
# Compare `at_rest` under the three policies with the sum of `request_amounts`. In four to six
# sentences: why do poison, haircut and FIFO give different amounts once the deposits are swept
# into an exchange's hot wallet? Which amount would you put in the request to the exchange, and
# why not the others?

# %% [markdown] role="answer" grade_id="which-policy" points=3
# Up to the deposits the policies agree: every deposit came straight off the vendor's own chain,
# so it is fully the vendor's money. They part ways where each exchange sweeps these deposits
# together with other customers' deposits. Poison makes the whole sweep dirty, so it counts other
# customers' coins as the vendor's and overstates the amount; haircut spreads the dirty share
# over the output and drops the fee's share, so it is a little lower; FIFO follows the order of
# inputs and outputs and gives an exact, defensible slice (Clayton's case, the legal default).
# In the request I would name each deposit address with the amount deposited (what FIFO traces to
# the deposit), say which policy I used, and not use the poison figure, which would freeze money
# that is not the vendor's.

# %% [markdown]
# ## Part F · Draw the flow
#
# ### Task 20 · A chart for the report (1 point)
#
# Draw a bar chart with one bar per cash-out (the peeled payments in order, then the cash desk's
# deposit), the bar's height being the amount **in BTC** (`sats / 100_000_000`), and label each
# bar with its exchange's name. Keep the axes in `ax`.
#
# *Hint:* `fig, ax = plt.subplots()` then `ax.bar(labels, heights)`; labels such as
# `f"{k + 1}. {owner_names[owner]}"` stay distinct even when one exchange appears twice.

# %% role="solution" grade_id="flow-chart"
### BEGIN SOLUTION
cashouts = pd.concat([peel_cashouts, pd.DataFrame([otc_cashout])], ignore_index=True)
labels = [f"{k + 1}. {owner_names[o]}" for k, o in enumerate(cashouts["owner"])]
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.bar(labels, cashouts["sats"] / 100_000_000)
ax.set_ylabel("BTC deposited")
ax.set_title("Where the vendor's coins were cashed out")
ax.tick_params(axis="x", labelrotation=30)
### END SOLUTION
plt.show()

# %% role="tests" grade_id="flow-chart-test" points=1
"""ax has one bar per cash-out, heights in BTC."""
import matplotlib.axes

assert isinstance(ax, matplotlib.axes.Axes), _("ax should be the axes you drew on")
assert len(ax.patches) == len(hops) + 1, _("draw one bar per peeled payment plus the cash desk")
### BEGIN HIDDEN TESTS
_heights = [round(bar.get_height(), 8) for bar in ax.patches]
_sats = [
    c["sats"] for c in my_world().truth["ledger"]["cashouts"] if c["vendor"] == _chain["vendor"]
]
assert _heights == [round(s / 100_000_000, 8) for s in _sats], _(
    "bar heights are the amounts in BTC, in the order of the chain, the cash desk last"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Key points
#
# - A transaction graph links transactions by the outputs they spend; an address graph links
#   payers to payees. `networkx` answers "where from" and "where to" in one line.
# - Common-input clustering must leave CoinJoins out, or strangers land in a suspect's "wallet".
# - Change heuristics are guesses: measure their precision when the truth becomes known, and
#   never trust the folk rule "the larger output is the change".
# - A peel chain pays one deposit per step; follow the change, list the payments.
# - Taint depends on the policy: say which one you used. Ask an exchange for what was deposited
#   (FIFO, exact to the satoshi), never for a poison figure that includes other people's money.
