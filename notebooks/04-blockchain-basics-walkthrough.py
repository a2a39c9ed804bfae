# %% [markdown]
# # Walkthrough 04 · Blockchain basics
#
# *Instructor demonstration before assignment 04 (about 25 minutes). Everyone in the room sees
# the same numbers: this runs on the shared case, not on a trainee's own evidence.*
#
# What we show, in the order the assignment asks for it:
#
# 1. one transaction in explorer (Esplora) JSON, read by eye: inputs, outputs, change, fee;
# 2. the same ledger as `pandas` tables, and the UTXO set;
# 3. fees in satoshis and fee rates;
# 4. addresses: types, checksums, and the payment addresses published on the crawled sites;
# 5. the history and balance of a payment address published on a site;
# 6. converting to dollars, tenge and roubles at the day's price;
# 7. Bitcoin Core's `getrawtransaction` next to the explorer's JSON.

# %%
import json
from decimal import Decimal

import matplotlib.pyplot as plt
import pandas as pd

from darktrail.addresses import esplora_type, find_addresses, is_valid, parse
from darktrail.evidence import case_evidence
from darktrail.ledger import (
    CORE_SCRIPT_TYPES,
    address_history,
    balances,
    btc_to_sats,
    from_bitcoin_core,
    inputs_frame,
    outputs_frame,
    transactions_frame,
)

evidence = case_evidence()
with open(evidence / "ledger" / "transactions.json", encoding="utf-8") as f:
    txs = json.load(f)
print(len(txs), "transactions")

# %% [markdown]
# ## 1 · One transaction, read by eye
#
# Pick an ordinary payment: one input, two outputs (a payment and the change). Point out:
# `vin[0].txid`/`vin[0].vout` name the coin being spent; `prevout` says whose it was and how much
# it held; the outputs are new coins; nothing says "fee" except the difference.


# %%
def short(tx):
    """The fields an investigator reads first, without scripts and signatures."""
    return {
        "txid": tx["txid"],
        "vin": [
            {
                "spends": f"{inp['txid'][:12]}…:{inp['vout']}",
                "from": inp["prevout"]["scriptpubkey_address"],
                "value": inp["prevout"]["value"],
            }
            for inp in tx["vin"]
        ],
        "vout": [
            {
                "to": out.get("scriptpubkey_address"),
                "type": out["scriptpubkey_type"],
                "value": out["value"],
            }
            for out in tx["vout"]
        ],
        "fee": tx["fee"],
        "block_time": pd.Timestamp(tx["status"]["block_time"], unit="s", tz="UTC"),
    }


payment = next(
    tx
    for tx in txs
    if len(tx["vin"]) == 1 and len(tx["vout"]) == 2 and not tx["vin"][0]["is_coinbase"]
)
short(payment)

# %% [markdown]
# The input held more than the payment: the whole coin is spent, the rest comes back as change.
# Which output is the change? The transaction does not say. Here the change goes to a fresh
# address of the *same type* as the input; assignment 05 is about such guesses and how often
# they fail.

# %%
spent = payment["vin"][0]["prevout"]["value"]
paid_out = sum(out["value"] for out in payment["vout"])
print(f"in {spent:,} sat, out {paid_out:,} sat, fee = in - out = {spent - paid_out:,} sat")
print("the file's fee field agrees:", payment["fee"] == spent - paid_out)

# %% [markdown]
# ## 2 · The whole ledger as tables; the UTXO set
#
# By hand, one output becomes one dict and a list of dicts becomes a table. The trainees write
# that loop for every transaction; here is a single transaction's outputs:

# %%
pd.DataFrame(
    [
        {
            "txid": payment["txid"],
            "vout": n,
            "address": out.get("scriptpubkey_address"),
            "value": out["value"],
        }
        for n, out in enumerate(payment["vout"])
    ]
)

# %% [markdown]
# The toolkit does it for the whole ledger, adds the block time and, for each output, the
# transaction that spends it (`spent_by`, empty while unspent).

# %%
outputs = outputs_frame(txs)
inputs = inputs_frame(txs)
outputs.head()

# %% [markdown]
# **Money is conserved.** Coins are created only by coinbase transactions (the miners' reward)
# and leave circulation only as fees (which the miners then collect in their next coinbase).
# So in a complete ledger the unspent outputs hold exactly what was mined minus what was
# paid in fees: a quick sanity check on any data set you are handed.

# %%
totals = transactions_frame(txs)
minted = outputs.loc[outputs["txid"].isin(totals.loc[totals["is_coinbase"], "txid"]), "value"].sum()
fees = totals.loc[~totals["is_coinbase"], "fee"].sum()
unspent = outputs[outputs["spent_by"].isna()]
print(f"unspent outputs: {len(unspent)} holding {unspent['value'].sum():,} sat")
print(f"minted - fees:   {minted - fees:,} sat")

# %% [markdown]
# ## 3 · Fees and fee rates
#
# Miners charge for space, not for value: the **fee rate** is satoshis per virtual byte, where
# a virtual byte is a quarter of a weight unit (`vsize = weight / 4`, rounded up). Moving ten
# bitcoin costs the same as moving ten dollars' worth. A big consolidation (many inputs) pays a
# big fee for its size.

# %%
totals["vsize"] = (totals["weight"] + 3) // 4
paying = totals[~totals["is_coinbase"]].copy()
paying["sat_per_vb"] = paying["fee"] / paying["vsize"]
paying[["fee", "vsize", "sat_per_vb", "n_in", "n_out"]].describe().round(1)

# %% [markdown]
# ## 4 · Addresses: types and checksums
#
# `parse` says what an address encodes; one wrong character and it refuses, naming the reason.

# %%
sample = outputs.dropna(subset=["address"]).drop_duplicates("type")
for address in sample["address"]:
    info = parse(address)
    print(
        f"{address:<64} {esplora_type(address):<10} {info.network} {len(info.payload)}-byte payload"
    )

# %%
typo = address[:-1] + ("q" if address[-1] != "q" else "p")
print(typo, "valid?", is_valid(typo))
try:
    parse(typo)
except ValueError as error:
    print("parse says:", error)

# %% [markdown]
# Addresses published on the crawled onion sites: `find_addresses` keeps only candidates whose
# checksum verifies (a PGP key block or a hex string can look like an address).

# %%
published = []
for page in sorted((evidence / "sites").glob("*/index.html")):
    for address in find_addresses(page.read_text(encoding="utf-8")):
        published.append(
            {"site": page.parent.name, "address": address, "type": esplora_type(address)}
        )
published = pd.DataFrame(published)
published["in_ledger"] = published["address"].isin(set(outputs["address"]))
published

# %% [markdown]
# ## 5 · A published payment address: history and balance
#
# `balances` sums what each address received and sent; `address_history` lists every
# transaction that touched it with the running balance. Take the published address that
# received the most, and open the page that published it before you call it a shop: a
# phishing clone publishes an address too, and its "customers" are victims.

# %%
seen = published.loc[published["in_ledger"], "address"].drop_duplicates().tolist()
totals_by_address = balances(txs, seen).sort_values("received", ascending=False)
totals_by_address

# %%
shop = totals_by_address.index[0]
print("published on:", ", ".join(published.loc[published["address"] == shop, "site"]))
history = address_history(txs, shop)
history[["txid", "block_time", "received", "sent", "balance"]]

# %%
fig, ax = plt.subplots(figsize=(8, 3))
ax.step(history["block_time"], history["balance"] / 100_000_000, where="post")
ax.set_title(f"Balance of {shop[:14]}…")
ax.set_ylabel("BTC")
fig.autofmt_xdate()
plt.show()

# %% [markdown]
# A single address is not a wallet: the money it sends on goes partly to others, partly back
# to the owner as change at a new address. The assignment rebuilds a whole wallet from the
# seized export and separates income from change.
#
# The export itself is only a lead. Put it next to the chain: the wallet's addresses are the
# inputs of the transactions it sent, and each transaction's net effect on them is the chain's
# number. In every case one row of the export disagrees (its owner edited it before seizure,
# so its hash still matches the manifest); trainees find their own row in Task 10.

# %%
export = pd.read_csv(evidence / "seized" / "wallet" / "electrum_history.csv", dtype={"value": str})
export["sats"] = [
    (-1 if v.startswith("-") else 1) * btc_to_sats(v.lstrip("+-")) for v in export["value"]
]
sent = set(export.loc[export["sats"] < 0, "transaction_hash"])
wallet = {
    inp["prevout"]["scriptpubkey_address"] for tx in txs if tx["txid"] in sent for inp in tx["vin"]
}
chain = address_history(txs, wallet).groupby("txid")["delta"].sum()
export["chain_delta"] = export["transaction_hash"].map(chain)
export[export["sats"] != export["chain_delta"]]

# %% [markdown]
# ## 6 · Local value at the day's price
#
# Give each receipt its date (UTC, as `prices.csv` writes it) and merge with the price table.

# %%
prices = pd.read_csv(evidence / "ledger" / "prices.csv")
receipts = history[history["received"] > 0].copy()
receipts["date"] = receipts["block_time"].dt.strftime("%Y-%m-%d")
receipts = receipts.merge(prices, on="date")
for currency in ["usd", "kzt", "rub"]:
    receipts[currency] = receipts["received"] / 100_000_000 * receipts[f"btc_{currency}"]
receipts[["date", "received", "btc_kzt", "usd", "kzt", "rub"]].round(2)

# %%
at_last_price = receipts["received"].sum() / 100_000_000 * prices["btc_kzt"].iloc[-1]
print(f"at each day's price: {receipts['kzt'].sum():,.0f} KZT")
print(f"at the last price:   {at_last_price:,.0f} KZT  <- not what the shop earned")

# %% [markdown]
# ## 7 · Bitcoin Core's view
#
# The same kind of transaction as Bitcoin Core prints it (`getrawtransaction <txid> 2`):
# amounts in **BTC**, `scriptPubKey.type` with Core's names.

# %%
core_path = sorted((evidence / "ledger").glob("getrawtransaction_*.json"))[0]
core = json.loads(core_path.read_text(encoding="utf-8"))
esplora = next(tx for tx in txs if tx["txid"] == core["txid"])
side_by_side = pd.DataFrame(
    {
        "core value (BTC)": [out["value"] for out in core["vout"]],
        "core type": [out["scriptPubKey"]["type"] for out in core["vout"]],
        "esplora value (sat)": [out["value"] for out in esplora["vout"]],
        "esplora type": [out["scriptpubkey_type"] for out in esplora["vout"]],
    }
)
side_by_side

# %% [markdown]
# Floats are binary: most decimal amounts are stored slightly off, and `int()` cuts down.
# Parse Core's JSON with `Decimal`, or round, or use `btc_to_sats`.

# %%
print("0.29 * 100_000_000       =", 0.29 * 100_000_000)
print("int(0.29 * 100_000_000)  =", int(0.29 * 100_000_000), "<- one satoshi lost")
print("round(0.29 * 100_000_000)=", round(0.29 * 100_000_000))
print("btc_to_sats(0.29)        =", btc_to_sats(0.29))
exact = json.loads(core_path.read_text(encoding="utf-8"), parse_float=Decimal)
print("Core's fee, parsed exactly:", exact["fee"], "BTC =", btc_to_sats(exact["fee"]), "sat")
print(
    "type names:",
    {k: v for k, v in CORE_SCRIPT_TYPES.items() if v in set(side_by_side["esplora type"])},
)

# %% [markdown]
# `from_bitcoin_core` converts the whole transaction to the explorer's shape, so every tool that
# reads explorer JSON reads Core output too.

# %%
converted = from_bitcoin_core(core_path.read_text(encoding="utf-8"))
print("outputs identical:", converted["vout"] == esplora["vout"])
print("fee identical:    ", converted["fee"] == esplora["fee"])

# %% [markdown]
# ## Key points
#
# - Outputs are coins; inputs spend whole coins by `(txid, vout)`; change returns the rest.
# - fee = inputs − outputs, in satoshis; fee rate = fee / vsize.
# - An address is valid only when its checksum verifies; the type is part of the evidence.
# - A single address is not a wallet; change is not income.
# - Convert at the price of the transaction's day.
# - Core writes BTC and other type names: convert exactly before comparing.
