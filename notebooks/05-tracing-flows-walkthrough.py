# %% [markdown]
# # Walkthrough 05 · Tracing flows
#
# Instructor demonstration before assignment `05-tracing-flows` (about 40 minutes). Everyone in
# the room sees the same shared case (`case_evidence()`); the trainees then trace their own.
#
# 1. Two graphs of one ledger: transactions and addresses.
# 2. CoinJoin: what it looks like and what it does to clustering.
# 3. Change heuristics: guesses that disagree, and how to score them.
# 4. Peel chains: spotting the pattern, then following it.
# 5. Taint: poison, haircut and FIFO on a small example, then on the case.
# 6. Drawing a flow for a report.

# %%
import json
from collections import Counter

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from darktrail.evidence import case_evidence
from darktrail.ledger import (
    LedgerIndex,
    address_graph,
    outputs_frame,
    transaction_graph,
    transactions_frame,
)
from darktrail.trace import (
    TAINT_POLICIES,
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

evidence = case_evidence()
txs = json.loads((evidence / "ledger" / "transactions.json").read_text(encoding="utf-8"))
ledger = LedgerIndex(txs)
table = transactions_frame(ledger)
table[["txid", "n_in", "n_out", "in_value", "fee", "block_time"]].head()

# %% [markdown]
# ## 1 · Two graphs of one ledger
#
# The **transaction graph** links a transaction to the transactions that spend its outputs; the
# **address graph** links payers to payees. Hubs in the address graph are services: exchanges
# and markets receive from many addresses.

# %%
tx_graph = transaction_graph(ledger)
addr_graph = address_graph(ledger)
print(tx_graph)
print(addr_graph)
hubs = pd.Series(dict(addr_graph.in_degree()), name="payers").sort_values(ascending=False)
hubs.head(5)

# %% [markdown]
# A transaction with many parents is a consolidation or a sweep: one wallet gathering its
# coins. The parents tell where the money came from.

# %%
gatherers = table.sort_values("n_in", ascending=False).head(3)
for txid in gatherers["txid"]:
    print(txid[:16], "spends outputs of", len(list(tx_graph.predecessors(txid))), "transactions")

# %% [markdown]
# ## 2 · CoinJoin
#
# Several people sign one transaction; each takes back an output of the same value (and maybe
# change). The rule: at least 2 inputs and 3 outputs; with `n` outputs, `p = (n + 1) // 2`
# participants, not more than the inputs; the most common value appears exactly `p` times and is
# not dust.

# %%
joins = coinjoins(ledger)
join = ledger.tx(joins[0])
print(len(join["vin"]), "inputs,", len(join["vout"]), "outputs")
Counter(out["value"] for out in join["vout"]).most_common(3)

# %% [markdown]
# Common-input clustering assumes one signer per transaction. On a CoinJoin that is false: the
# naive clustering glues every participant into one "wallet".

# %%
naive = cluster_by_common_inputs(ledger, skip_coinjoin=False)
careful = cluster_by_common_inputs(ledger, skip_coinjoin=True)
first_input = join["vin"][0]["prevout"]["scriptpubkey_address"]
print("naive cluster:  ", len(naive.members(naive.of(first_input))), "addresses")
print("careful cluster:", len(careful.members(careful.of(first_input))), "addresses")
pd.DataFrame({"naive": naive.sizes().head(5).values, "careful": careful.sizes().head(5).values})

# %% [markdown]
# ## 3 · Change heuristics disagree
#
# Five classic guesses of which output is the change. Each returns an output number or `None`
# (no opinion). On one buyer's payment they often disagree or stay silent.

# %%
heuristics = {
    "optimal change": change_optimal,
    "one-time change": change_one_time,
    "round payment": change_round_payment,
    "same script type": change_same_script_type,
    "address reuse": change_address_reuse,
}
two_outputs = [t for t in txs if len(t["vout"]) == 2 and not t["vin"][0].get("is_coinbase")]
sample = two_outputs[10]
print([(out["scriptpubkey_type"], out["value"]) for out in sample["vout"]])
{name: h(sample, ledger) for name, h in heuristics.items()}

# %% [markdown]
# How often does a heuristic speak at all? Scoring it needs the truth (later from exchange
# replies or seized devices): a guess is right when the guessed output belongs to the payer.
# Here we only count how often each one speaks; the trainees measure precision on their case.

# %%
speaks = {
    name: sum(h(t, ledger) is not None for t in two_outputs if not is_coinjoin(t))
    for name, h in heuristics.items()
}
pd.Series(speaks, name="guesses").to_frame().assign(of=len(two_outputs))

# %% [markdown]
# ## 4 · Peel chains
#
# Pattern: 1 input, 2 outputs, a small payment and a large change that the next transaction
# spends again. Look for 1-in-2-out transactions spent by another 1-in-2-out transaction, follow
# each, and keep the longest (buyers paying twice from one coin make short chains too).

# %%
shape = table.set_index("txid")[["n_in", "n_out"]]
peel_like = set(shape.index[(shape["n_in"] == 1) & (shape["n_out"] == 2)])
outputs = outputs_frame(ledger)
links = outputs[outputs["txid"].isin(peel_like) & outputs["spent_by"].isin(peel_like)]
starts = sorted(set(links["txid"]) - set(links["spent_by"]))
chains = {start: follow_peel_chain(ledger, start) for start in starts}
print(sorted((len(steps) for steps in chains.values()), reverse=True)[:5], "steps")
chain = max(chains.values(), key=len)  # the longest one
pd.DataFrame(chain)[["hop", "payment_address", "payment_value", "change_value"]]

# %% [markdown]
# Each payment goes to a fresh address. Who owns it? Clustering says little about a deposit
# address until the exchange sweeps it together with other deposits:

# %%
deposit = chain[0]
sweep_txid = ledger.spender(deposit.txid, deposit.payment_vout)
sweep = ledger.tx(sweep_txid)
print(
    "swept with",
    len(sweep["vin"]) - 1,
    "other inputs into",
    sweep["vout"][0]["scriptpubkey_address"],
)

# %% [markdown]
# ## 5 · Taint: three policies, three answers
#
# A thief's 6,000 sat coin is spent with a clean 4,000 sat coin into outputs of 5,000 and
# 4,900 sat (fee 100). Poison: every output fully dirty. Haircut: 60 % of each output, the fee's
# share dropped. FIFO: the dirty coin comes first, so it fills the first output.


# %%
def spend(txid, value):
    return {
        "txid": txid,
        "vout": 0,
        "is_coinbase": False,
        "prevout": {"scriptpubkey_address": txid, "value": value},
    }


toy = [
    {"txid": "loot", "vin": [spend("hack", 6100)],
     "vout": [{"scriptpubkey_address": "thief", "value": 6000}]},
    {"txid": "mix", "vin": [spend("loot", 6000), spend("clean", 4000)],
     "vout": [{"scriptpubkey_address": "x", "value": 5000},
              {"scriptpubkey_address": "y", "value": 4900}]},
]  # fmt: skip
pd.DataFrame(
    {p: {out: taint(toy, {("loot", 0)}, p)[("mix", out)] for out in (0, 1)} for p in TAINT_POLICIES}
)

# %% [markdown]
# On the case: start from the coins the chain began with and see how much is dirty in the
# exchange's sweep. The deposit itself is fully dirty under every policy; the sweep mixes it
# with other customers' deposits, and there the policies part.

# %%
first_hop = ledger.tx(chain[0].txid)
sources = {(inp["txid"], inp["vout"]) for inp in first_hop["vin"]}
pd.DataFrame(
    {
        policy: {
            "deposit": flows[(deposit.txid, deposit.payment_vout)],
            "sweep output": flows[(sweep_txid, 0)],
        }
        for policy in TAINT_POLICIES
        for flows in [taint(ledger, sources, policy)]
    }
).assign(sweep_value=[deposit.payment_value, sweep["vout"][0]["value"]])

# %% [markdown]
# ## 6 · Drawing the flow
#
# For a report, a picture of the chain: transactions as nodes, from the first hop along the
# change, with each payment leaving the chain.

# %%
flow = nx.DiGraph()
for hop in chain:
    flow.add_edge(hop.txid[:8], f"pay {hop.hop + 1}", value=hop.payment_value)
    nxt = ledger.spender(hop.txid, hop.change_vout)
    if nxt:
        flow.add_edge(hop.txid[:8], nxt[:8], value=hop.change_value)
positions = {}
for hop in chain:
    positions[hop.txid[:8]] = (hop.hop, 0)
    positions[f"pay {hop.hop + 1}"] = (hop.hop, -1)
for node in flow:
    positions.setdefault(node, (len(chain), 0))
fig, ax = plt.subplots(figsize=(10, 3))
nx.draw_networkx(flow, positions, ax=ax, node_size=900, font_size=7, node_color="#cfe0f3")
labels = {(a, b): f"{d['value'] / 1e8:.4f}" for a, b, d in flow.edges(data=True)}
nx.draw_networkx_edge_labels(flow, positions, edge_labels=labels, ax=ax, font_size=7)
ax.set_title("Peel chain: change carries on to the right, payments drop out (BTC)")
ax.set_axis_off()
plt.show()
