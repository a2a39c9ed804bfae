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

from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls
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
print(len(txs), _("transactions; the first one:"), txs[0]["txid"])

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

# %% role="tests" grade_id="consolidation-test" points=1 needs="consolidation"
"""consolidation_txid is the first outgoing transaction of the seized wallet."""
assert isinstance(consolidation_txid, str), _("consolidation_txid should be a txid written as text")
assert len(consolidation_txid) == 64, _("a txid has 64 hexadecimal characters")
assert consolidation_txid in ledger.tx_pos, _("consolidation_txid should be a transaction of txs")
hand_in(consolidation_txid)

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

# %% role="tests" grade_id="tx-graph-test" points=1 needs="tx-graph"
"""tx_graph has one node per transaction and an edge from each parent to its spender."""
import networkx as nx

assert isinstance(tx_graph, nx.DiGraph), _("tx_graph should be a networkx DiGraph")
assert tx_graph.number_of_nodes() == len(txs), _("tx_graph should have one node per transaction")
hand_in(set(tx_graph.edges))

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

# %% role="tests" grade_id="funded-by-test" points=1 needs="consolidation tx-graph funded-by"
"""funded_by lists the transactions whose outputs the consolidation spends."""
assert isinstance(funded_by, list), _("funded_by should be a list of txids")
assert funded_by == sorted(funded_by), _("sort the list with sorted(...)")
assert consolidation_txid not in funded_by, _("list the parents, not the consolidation itself")
hand_in(funded_by)

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

# %% role="tests" grade_id="addr-graph-test" points=1 needs="consolidation addr-graph"
"""vendor_addresses are the input addresses of the consolidation, from the address graph."""
import networkx as nx

assert isinstance(addr_graph, nx.DiGraph), _("addr_graph should be a networkx DiGraph")
assert isinstance(vendor_addresses, list), _("vendor_addresses should be a list of addresses")
assert all(a in addr_graph for a in vendor_addresses), _(
    "each address should be a node of addr_graph"
)
hand_in(
    {
        "nodes": addr_graph.number_of_nodes(),
        "edges": addr_graph.number_of_edges(),
        "vendor_addresses": vendor_addresses,
    }
)

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

# %% role="tests" grade_id="coinjoin-rule-test" points=2 needs="coinjoin-rule"
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
hand_in_calls(looks_like_coinjoin, "coinjoin-rule-test")

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

# %% role="tests" grade_id="find-coinjoin-test" points=1 needs="coinjoin-rule find-coinjoin"
"""coinjoin_txids lists the CoinJoin planted in the ledger."""
assert isinstance(coinjoin_txids, list), _("coinjoin_txids should be a list of txids")
assert len(coinjoin_txids) >= 1, _("there is at least one CoinJoin in your ledger")
hand_in(coinjoin_txids)

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

# %% role="tests" grade_id="clusters-test" points=1 needs="clusters"
"""naive merges CoinJoin inputs; clusters leaves CoinJoins out."""
assert len(clusters) == len(naive) > 0, _("cluster the whole ledger both times")
assert naive.n_clusters <= clusters.n_clusters, _(
    "naive merges more than clusters: check skip_coinjoin"
)
hand_in({"naive": naive.n_clusters, "careful": clusters.n_clusters, "addresses": len(clusters)})

# %% [markdown]
# ### Task 8 · How many wallets in one "wallet"? (2 points)
#
# Take the CoinJoin's first input address: `cj_address = ledger.tx(coinjoin_txids[0])["vin"][0]
# ["prevout"]["scriptpubkey_address"]`. Its `naive` cluster claims to be one wallet. Careful
# clustering (`clusters`) splits it into several presumed wallets. Store in `glued` the **set of
# the `clusters` ids** of the addresses of its naive cluster: the careful clusters that the naive
# clustering glued together.
#
# *Hint:* `naive.members(naive.of(cj_address))` lists the naive cluster's addresses;
# `clusters.of(address)` gives an address's careful cluster id; a set comprehension
# `{... for address in ...}` keeps each id once. `len(glued)` tells how many wallets were glued.

# %% role="solution" grade_id="owners"
cj_address = ledger.tx(coinjoin_txids[0])["vin"][0]["prevout"]["scriptpubkey_address"]
### BEGIN SOLUTION
glued = {clusters.of(address) for address in naive.members(naive.of(cj_address))}
### END SOLUTION
len(glued)

# %% role="tests" grade_id="owners-test" points=2 needs="coinjoin-rule find-coinjoin clusters owners"
"""glued holds the careful clusters that the naive cluster of the CoinJoin's input glues together."""
assert isinstance(glued, (set, frozenset, list, tuple)), _(
    "glued should be a set of cluster ids, e.g. {clusters.of(a) for a in ...}"
)
assert all(isinstance(c, str) and c in clusters for c in glued), _(
    "each item of glued should be a cluster id of clusters (an address)"
)
hand_in(set(glued))

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

# %% role="tests" grade_id="change-optimal-test" points=2 needs="change-optimal"
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
hand_in_calls(my_change_optimal, "change-optimal-test")

# %% [markdown]
# ### What the analytics provider knows
#
# Blockchain-analytics providers sell **attribution tags**: addresses they know belong to a
# service, because they traded with it, or the service published them. The case's tag list,
# `ledger/tags.csv`, names the addresses of the exchanges and markets of the region (deposit
# addresses, escrow addresses, hot wallets): columns `address`, `name` (the service) and
# `category` (`exchange` or `market`). It knows nothing about people: vendors, buyers, the cash
# desk and the CoinJoin's strangers are not in it. `service_of[address]` is the service's name;
# `service_of.get(address)` gives `None` for an address not in the list.

# %% role="readonly"
tags = pd.read_csv(evidence / "ledger" / "tags.csv")
service_of = dict(zip(tags["address"], tags["name"]))
tags.groupby(["category", "name"]).size()

# %% [markdown]
# ### Task 10 · Measure precision against the tag list (2 points)
#
# You cannot know the owner of every address, but the tag list lets you **check** some guesses.
# A guess can be checked when the guessed change address is in the tag list
# (`service_of.get(address)` is not `None`). A checked guess is **right** when that service is
# also the service of the transaction's first input address, and **wrong** otherwise (a
# service's address is not an unknown payer's change, nor another service's). A guess whose
# change address is not in the tag list cannot be checked: leave it out. The **precision** of a
# heuristic is its right guesses divided by its checked guesses.
#
# The cell below gives `heuristics` (name → function; each is called `h(tx, ledger)` and returns an
# output index or `None`) — the toolkit's five plus the folk rule "the larger output is the
# change" — and `candidates`, the transactions where a guess makes sense (not coinbase, not
# CoinJoin, at least two outputs with an address).
#
# Build a DataFrame `scores` indexed by heuristic name with the columns `guesses` (how many
# candidates got a guess), `checked` (how many of those guesses could be checked), `right` (how
# many checked guesses were right) and `precision` (`right / checked`; leave `NaN` when no guess
# could be checked).
#
# *Hint:* loop `for name, h in heuristics.items():` and inside `for tx in candidates:`; call
# `k = h(tx, ledger)`, skip `None`; `change = service_of.get(tx["vout"][k]["scriptpubkey_address"])`
# is `None` for a guess you cannot check; compare it with
# `service_of.get(tx["vin"][0]["prevout"]["scriptpubkey_address"])`. Collect one dictionary per
# heuristic (`{"heuristic": name, "guesses": ..., "checked": ..., "right": ...}`), then
# `pd.DataFrame(rows).set_index("heuristic")`; `scores["right"] / scores["checked"]` divides
# column by column (and gives `NaN` for 0 / 0).


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
    guesses = checked = right = 0
    for tx in candidates:
        k = h(tx, ledger)
        if k is None:
            continue
        guesses += 1
        change = service_of.get(tx["vout"][k]["scriptpubkey_address"])
        if change is None:
            continue
        checked += 1
        right += change == service_of.get(tx["vin"][0]["prevout"]["scriptpubkey_address"])
    rows.append({"heuristic": name, "guesses": guesses, "checked": checked, "right": right})
scores = pd.DataFrame(rows).set_index("heuristic")
scores["precision"] = scores["right"] / scores["checked"]
### END SOLUTION
scores

# %% role="tests" grade_id="precision-test" points=2 needs="precision"
"""scores holds guesses, checked guesses, right guesses and precision of each heuristic."""
assert isinstance(scores, pd.DataFrame), _("scores should be a DataFrame")
assert {"guesses", "checked", "right", "precision"} <= set(scores.columns), _(
    "scores needs the columns guesses, checked, right and precision"
)
assert set(scores.index) == set(heuristics), _(
    "scores needs one row per heuristic, indexed by its name"
)
assert (scores["right"] <= scores["checked"]).all(), _("right guesses cannot exceed checked ones")
assert (scores["checked"] <= scores["guesses"]).all(), _("checked guesses cannot exceed guesses")
hand_in(scores.loc[list(heuristics), ["guesses", "checked", "right", "precision"]].to_dict("index"))

# %% [markdown]
# Look at `scores`: the textbook heuristics are silent on most transactions and not always
# right when they speak; the folk rule always speaks and is mostly wrong where it can be checked.
# A wrong change guess merges a payee into the payer's cluster.
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

# %% role="tests" grade_id="peel-chain-test" points=1 needs="consolidation peel-chain"
"""hops are the steps of the vendor's peel chain, in order."""
assert isinstance(hops, list) and len(hops) > 0, _(
    "hops should be a non-empty list: start from the outpoint (consolidation_txid, 0)"
)
hand_in([h.txid for h in hops])

# %% [markdown]
# ### Task 12 · Who received the peeled payments? (2 points)
#
# Build a DataFrame `peel_cashouts` with one row per step and the columns `txid`, `address`
# (the payment address), `owner` (the service that owns it, by the tag list `service_of`) and
# `sats` (the payment value).
#
# *Hint:* a list of dictionaries, one per step:
# `{"txid": h.txid, "address": h.payment_address, "owner": service_of[h.payment_address],
# "sats": h.payment_value}`, then `pd.DataFrame(rows)`.

# %% role="solution" grade_id="peel-cashouts"
### BEGIN SOLUTION
peel_cashouts = pd.DataFrame(
    [
        {
            "txid": h.txid,
            "address": h.payment_address,
            "owner": service_of[h.payment_address],
            "sats": h.payment_value,
        }
        for h in hops
    ]
)
### END SOLUTION
peel_cashouts

# %% role="tests" grade_id="peel-cashouts-test" points=2 needs="consolidation peel-chain peel-cashouts"
"""peel_cashouts lists each peeled payment: deposit address, owner and amount."""
assert isinstance(peel_cashouts, pd.DataFrame), _("peel_cashouts should be a DataFrame")
assert {"txid", "address", "owner", "sats"} <= set(peel_cashouts.columns), _(
    "peel_cashouts needs the columns txid, address, owner and sats"
)
assert len(peel_cashouts) == len(hops), _("one row per step of the chain")
hand_in(peel_cashouts[["txid", "address", "owner", "sats"]].values.tolist())

# %% [markdown]
# ### Task 13 · The last leg: the cash desk (2 points)
#
# After the last step the change went to the over-the-counter cash desk from the seized chat,
# and the desk then made a deposit at an exchange. Follow it: the last step's change output
# `(hops[-1].txid, hops[-1].change_vout)` is spent by the payment to the desk; that
# transaction's output 0 is spent by the desk's deposit. Store a dictionary `otc_cashout` with
# the keys `txid` (the desk's deposit transaction), `address` (its output 0 address), `owner`
# (by the tag list `service_of`) and `sats` (its output 0 value).
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
    "owner": service_of[desk_deposit["vout"][0]["scriptpubkey_address"]],
    "sats": desk_deposit["vout"][0]["value"],
}
### END SOLUTION
otc_cashout

# %% role="tests" grade_id="otc-cashout-test" points=2 needs="consolidation peel-chain otc-cashout"
"""otc_cashout is the cash desk's deposit at an exchange, made after it bought the vendor's coins."""
assert isinstance(otc_cashout, dict), _("otc_cashout should be a dictionary")
assert {"txid", "address", "owner", "sats"} <= set(otc_cashout), _(
    "otc_cashout needs the keys txid, address, owner and sats"
)
hand_in({key: otc_cashout[key] for key in ("txid", "address", "owner", "sats")})

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

# %% role="tests" grade_id="sources-test" points=1 needs="consolidation sources"
"""sources are the outpoints spent by the consolidation."""
assert isinstance(sources, (set, frozenset)), _("sources should be a set of (txid, vout) pairs")
assert all(isinstance(s, tuple) and len(s) == 2 for s in sources), _(
    "each source is a pair (txid, vout)"
)
hand_in(sources)

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

# %% role="tests" grade_id="flows-test" points=1 needs="consolidation sources flows"
"""flows holds the taint of every reached output under each policy."""
assert isinstance(flows, dict) and set(flows) == {"poison", "haircut", "fifo"}, _(
    "flows needs the keys poison, haircut and fifo"
)
hand_in(flows)

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

# %% role="tests" grade_id="at-rest-test" points=1 needs="consolidation sources flows at-rest"
"""at_rest sums the dirty satoshis of unspent reached outputs, per policy."""
assert isinstance(at_rest, dict) and set(at_rest) == {"poison", "haircut", "fifo"}, _(
    "at_rest needs the keys poison, haircut and fifo"
)
assert at_rest["poison"] >= at_rest["fifo"], _("poison never taints less than FIFO")
hand_in(at_rest)

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

# %% role="tests" grade_id="haircut-by-hand-test" points=2 needs="consolidation peel-chain sources flows haircut-by-hand"
"""haircut_by_hand shares the sweep's dirty input over its output and drops the fee's share."""
import numbers

assert isinstance(haircut_by_hand, numbers.Integral), _(
    "haircut_by_hand should be a whole number of satoshis (use //)"
)
assert 0 < haircut_by_hand <= sweep["vout"][0]["value"], _(
    "the dirty part of an output is positive and not more than its value"
)
hand_in(haircut_by_hand)

# %% [markdown]
# ### Task 18 · The amounts for the request (2 points)
#
# You will ask each exchange to identify the account behind the deposits and to freeze the
# vendor's money. Look at the cash desk's deposit first: the desk had bought coins from someone
# else too, and its deposit spends that coin **and** the vendor's. Not all of the deposit is the
# vendor's money, so the request states a policy. This case's policy is **FIFO**.
#
# Store in `request_amounts` a pandas Series indexed by exchange name (as in the tag list) with
# the satoshis of the vendor's money that reached each exchange through its deposits, under
# FIFO: for each peeled payment `(h.txid, h.payment_vout)` and for the desk's deposit
# `(otc_cashout["txid"], 0)`, take its FIFO taint `flows["fifo"][(txid, vout)]`, then add them
# up per exchange.
#
# *Hint:* build a list of rows `{"owner": ..., "sats": flows["fifo"][(txid, vout)]}`, one per
# deposit (the owner is in `peel_cashouts` and `otc_cashout`), then
# `pd.DataFrame(rows).groupby("owner")["sats"].sum()`. Compare the desk's row with
# `otc_cashout["sats"]` and with `flows["haircut"]`.

# %% role="solution" grade_id="request-amounts"
### BEGIN SOLUTION
deposits = [(h.txid, h.payment_vout, service_of[h.payment_address]) for h in hops]
deposits.append((otc_cashout["txid"], 0, otc_cashout["owner"]))
rows = [{"owner": owner, "sats": flows["fifo"][(txid, vout)]} for txid, vout, owner in deposits]
request_amounts = pd.DataFrame(rows).groupby("owner")["sats"].sum()
### END SOLUTION
request_amounts

# %% role="tests" grade_id="request-amounts-test" points=2 needs="consolidation peel-chain otc-cashout sources flows request-amounts"
"""request_amounts adds up, per exchange, the FIFO taint of the vendor's deposits."""
assert isinstance(request_amounts, pd.Series), _("request_amounts should be a pandas Series")
assert set(request_amounts.index) <= set(tags.loc[tags["category"] == "exchange", "name"]), _(
    "index request_amounts by exchange names, as in the tag list"
)
hand_in(request_amounts)

# %% [markdown]
# ### Task 19 · Which figure goes into the request? (3 points, marked by your instructor)
#
# Compare the desk's deposit under the three policies (`flows[policy][(otc_cashout["txid"], 0)]`)
# and `at_rest` under the three policies with the sum of `request_amounts`. In four to six
# sentences: why do poison, haircut and FIFO give different amounts where the vendor's coins are
# spent together with other people's coins (the desk's deposit, the exchanges' sweeps)? Which
# amount would you put in the request to the exchange, and why not the others?

# %% [markdown] role="answer" grade_id="which-policy" points=3
# The peeled payments came straight off the vendor's own chain, so every policy counts them
# whole. The policies part ways where the vendor's coins are spent together with other people's:
# the desk's deposit spends the desk's older coin and the vendor's coin, and each exchange sweeps
# the deposits with other customers' deposits. Poison makes every output of such a transaction
# fully dirty, so it counts the desk's and other customers' coins as the vendor's and overstates
# the amount; haircut gives each output the vendor's share of its value (the fee's share
# dropped); FIFO lays the inputs end to end, so the desk's deposit is first filled by the desk's
# older coin and holds only the rest of the vendor's money. In the request I would name each
# deposit address and txid with its FIFO amount (Clayton's case, the usual legal default), say
# that the figures are FIFO, and not use the poison figure, which would freeze money that is
# not the vendor's.

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
# `f"{k + 1}. {owner}"` stay distinct even when one exchange appears twice; the amounts are the
# deposits' values (`sats` in `peel_cashouts` and `otc_cashout`).

# %% role="solution" grade_id="flow-chart"
### BEGIN SOLUTION
cashouts = pd.concat([peel_cashouts, pd.DataFrame([otc_cashout])], ignore_index=True)
labels = [f"{k + 1}. {owner}" for k, owner in enumerate(cashouts["owner"])]
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.bar(labels, cashouts["sats"] / 100_000_000)
ax.set_ylabel("BTC deposited")
ax.set_title("Where the vendor's coins were cashed out")
ax.tick_params(axis="x", labelrotation=30)
### END SOLUTION
plt.show()

# %% role="tests" grade_id="flow-chart-test" points=1 needs="consolidation peel-chain peel-cashouts otc-cashout flow-chart"
"""ax has one bar per cash-out, heights in BTC."""
import matplotlib.axes

assert isinstance(ax, matplotlib.axes.Axes), _("ax should be the axes you drew on")
assert len(ax.patches) == len(hops) + 1, _("draw one bar per peeled payment plus the cash desk")
hand_in(ax)

# %% [markdown]
# ## Key points
#
# - A transaction graph links transactions by the outputs they spend; an address graph links
#   payers to payees. `networkx` answers "where from" and "where to" in one line.
# - Common-input clustering must leave CoinJoins out, or strangers land in a suspect's "wallet".
# - Change heuristics are guesses: measure their precision where a tag list can check them,
#   and never trust the folk rule "the larger output is the change".
# - A peel chain pays one deposit per step; follow the change, list the payments.
# - Taint depends on the policy: say which one you used. Ask an exchange for the FIFO amount of
#   each deposit (exact to the satoshi), never for a poison figure that includes other people's
#   money, nor for a deposit's whole value when other people's coins went into it.
