# %% [markdown]
# # 04 · Blockchain basics: transactions, fees, addresses and a suspect's wallet
#
# **Time:** about 90 minutes · **Graded:** 23 autograded points and 2 points marked by your
# instructor
#
# **Objectives.** By the end of this notebook you can
#
# 1. explain the UTXO model: a transaction spends whole earlier outputs and creates new ones;
# 2. read block-explorer JSON (Esplora, the format of Blockstream's and mempool.space's API) into
#    `pandas` tables, by hand and with `darktrail.ledger`;
# 3. compute a transaction's fee, in satoshis, and say why it is *inputs minus outputs*;
# 4. validate a Bitcoin address and name its type (P2PKH, P2SH, P2WPKH, P2WSH, P2TR);
# 5. rebuild a seized wallet's history from the blockchain, tell income from change, and find
#    its balance over time;
# 6. convert bitcoin amounts to tenge at the price of the day;
# 7. read Bitcoin Core's `getrawtransaction` output (amounts in BTC, other type names) next to
#    the explorer's.
#
# **The case.** The laptop seized from the suspect vendor held a wallet export
# (`seized/wallet/electrum_history.csv`). Wallet exports are easy to edit and show only what
# the wallet software chose to show. Your job is to rebuild the suspect's money from the
# public blockchain (`ledger/transactions.json`) and to put numbers in a report that a court
# and an exchange can check.
#
# **Units.** Bitcoin amounts are counted in **satoshis** (sat): 1 BTC = 100,000,000 sat.
# Explorers write whole numbers of satoshis; wallets and Bitcoin Core write BTC with eight
# decimals. Keep amounts as whole numbers of satoshis in your work: decimals in a computer
# (`float`) are rounded in binary and can lose a satoshi.

# %% role="readonly"
import json
import numbers
from decimal import Decimal
from pathlib import Path

import pandas as pd

from darktrail.addresses import esplora_type, is_valid, parse
from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls
from darktrail.ledger import (
    CORE_SCRIPT_TYPES,
    address_history,
    btc_to_sats,
    from_bitcoin_core,
    inputs_frame,
    outputs_frame,
)

evidence = my_evidence()
print("Your evidence folder:", evidence)

# %% [markdown]
# ## Part 1 · Reading explorer JSON
#
# `ledger/transactions.json` is a list of transactions exactly as a block explorer returns them
# (`GET /tx/<txid>`). One transaction looks like this (shortened):
#
# ```
# {"txid": "8d18…",                       the transaction's id (a hash)
#  "vin":  [{"txid": "e557…", "vout": 0,   INPUT: spends output 0 of transaction e557…
#            "is_coinbase": false,
#            "prevout": {"scriptpubkey_address": "32Aw…",   who owned that output
#                        "scriptpubkey_type": "p2sh",
#                        "value": 1091000000}}],             and how much it held (sat)
#  "vout": [{"scriptpubkey_address": "bc1q0lw…",            OUTPUT 0: new coins for this address
#            "scriptpubkey_type": "v0_p2wpkh",
#            "value": 1090999069}],
#  "fee": 931, "weight": 530,
#  "status": {"block_height": 610885, "block_time": 1577954071}}
# ```
#
# This is the **UTXO model**: coins are *unspent transaction outputs*. An input names an earlier
# output by `(txid, vout)` and spends it **whole**; what the sender does not pay away comes back
# to them as a new output (**change**). A *coinbase* input spends nothing: it creates the
# miner's reward.
#
# ## Task 1 · Load the ledger (1 point)
#
# Load `ledger/transactions.json` into a variable `txs` (a list of dictionaries). Store the
# number of transactions in `n_tx` (coinbase transactions count too) and the number of outputs
# of all the transactions together in `n_outputs`.
#
# *Hint:* `with open(evidence / "ledger" / "transactions.json") as f: txs = json.load(f)`;
# `len(txs)` counts them; `len(tx["vout"])` counts the outputs of one transaction `tx`, and
# `sum(len(tx["vout"]) for tx in txs)` adds that up over all of them.

# %% role="solution" grade_id="load-ledger"
### BEGIN SOLUTION
with open(evidence / "ledger" / "transactions.json", encoding="utf-8") as f:
    txs = json.load(f)
n_tx = len(txs)
n_outputs = sum(len(tx["vout"]) for tx in txs)
### END SOLUTION
n_tx, n_outputs

# %% role="tests" grade_id="load-ledger-test" points=1 needs="load-ledger"
"""txs is the list of transactions of transactions.json; n_tx and n_outputs count them."""
assert isinstance(txs, list), _("txs should be a list: use json.load on the file")
assert all(isinstance(tx, dict) and "vin" in tx and "vout" in tx for tx in txs), _(
    "every element of txs should be one transaction (a dict with vin and vout)"
)
assert isinstance(n_tx, numbers.Integral), _("n_tx should be a whole number: use len(txs)")
assert isinstance(n_outputs, numbers.Integral), _(
    "n_outputs should be a whole number: add up len(tx['vout'])"
)
hand_in({"n_tx": n_tx, "n_outputs": n_outputs})

# %% [markdown]
# ## Task 2 · One row per output, by hand (2 points)
#
# Build a table `outputs` with **one row per output** of every transaction and the columns
# `txid`, `vout` (the output's position in its transaction: 0, 1, 2, …), `address`, `type` and
# `value` (satoshis).
#
# *Hint:* loop over the transactions and, inside, over `enumerate(tx["vout"])`; for each output
# append a dict to a list `rows`, then `pd.DataFrame(rows)`. Some outputs (`OP_RETURN`, a data
# field) have no address: `out.get("scriptpubkey_address")` gives `None` for them instead of an
# error.

# %% role="solution" grade_id="outputs-by-hand"
### BEGIN SOLUTION
rows = []
for tx in txs:
    for n, out in enumerate(tx["vout"]):
        rows.append(
            {
                "txid": tx["txid"],
                "vout": n,
                "address": out.get("scriptpubkey_address"),
                "type": out["scriptpubkey_type"],
                "value": out["value"],
            }
        )
outputs = pd.DataFrame(rows)
### END SOLUTION
outputs.head()

# %% role="tests" grade_id="outputs-by-hand-test" points=2 needs="load-ledger outputs-by-hand"
"""outputs has one row per transaction output with its position, address, type and value."""
assert isinstance(outputs, pd.DataFrame), _("outputs should be a DataFrame: pd.DataFrame(rows)")
assert {"txid", "vout", "address", "type", "value"} <= set(outputs.columns), _(
    "outputs needs the columns txid, vout, address, type and value"
)
assert len(outputs) == sum(len(tx["vout"]) for tx in txs), _(
    "outputs needs one row per output of every transaction"
)
assert pd.api.types.is_integer_dtype(outputs["value"]), _(
    "keep value as whole satoshis, as in the file"
)
hand_in(outputs)

# %% [markdown]
# ## Task 3 · One row per input, by hand (2 points)
#
# Build a table `inputs` with **one row per input** and the columns `txid` (the spending
# transaction), `prev_txid` and `prev_vout` (the output it spends), `address` and `value` (of
# the spent output, read from `prevout`). Leave out coinbase inputs: they spend nothing.
#
# *Hint:* the same double loop over `tx["vin"]`; skip an input with
# `if inp["is_coinbase"]: continue`. The spent output is `inp["txid"]`, `inp["vout"]`; its owner
# and amount are in `inp["prevout"]`.

# %% role="solution" grade_id="inputs-by-hand"
### BEGIN SOLUTION
rows = []
for tx in txs:
    for inp in tx["vin"]:
        if inp["is_coinbase"]:
            continue
        rows.append(
            {
                "txid": tx["txid"],
                "prev_txid": inp["txid"],
                "prev_vout": inp["vout"],
                "address": inp["prevout"].get("scriptpubkey_address"),
                "value": inp["prevout"]["value"],
            }
        )
inputs = pd.DataFrame(rows)
### END SOLUTION
inputs.head()

# %% role="tests" grade_id="inputs-by-hand-test" points=2 needs="load-ledger inputs-by-hand"
"""inputs has one row per non-coinbase input: the output it spends, its owner and value."""
assert isinstance(inputs, pd.DataFrame), _("inputs should be a DataFrame")
assert {"txid", "prev_txid", "prev_vout", "address", "value"} <= set(inputs.columns), _(
    "inputs needs the columns txid, prev_txid, prev_vout, address and value"
)
assert pd.api.types.is_integer_dtype(inputs["value"]), _("keep value as whole satoshis")
assert (inputs["prev_txid"] != "0" * 64).all(), _(
    "leave out coinbase inputs (is_coinbase is true): they spend no earlier output"
)
hand_in(inputs)

# %% [markdown]
# ## Task 4 · The unspent outputs (1 point)
#
# An output is **spent** when some input names it by `(txid, vout)`; every other output is still
# **unspent**: those are the coins that exist now (the *UTXO set*). Store the rows of `outputs`
# that no input spends in `unspent`. A few outputs are `OP_RETURN` data fields (type
# `op_return`, value 0): nobody can ever spend them, so Bitcoin Core leaves them out of its UTXO
# set. Keep them or leave them out, as you prefer: the grader accepts either.
#
# *Hint:* `spent = set(zip(inputs["prev_txid"], inputs["prev_vout"]))` collects the spent
# outputs; then keep the rows of `outputs` whose `(txid, vout)` is not in `spent`, e.g. with a
# list of `True`/`False` built in a loop over `zip(outputs["txid"], outputs["vout"])`.

# %% role="solution" grade_id="unspent"
### BEGIN SOLUTION
spent = set(zip(inputs["prev_txid"], inputs["prev_vout"]))
unspent = outputs[[(t, n) not in spent for t, n in zip(outputs["txid"], outputs["vout"])]]
### END SOLUTION
print(len(unspent), "unspent outputs holding", unspent["value"].sum(), "sat")

# %% role="tests" grade_id="unspent-test" points=1 needs="load-ledger outputs-by-hand inputs-by-hand unspent"
"""unspent holds exactly the outputs that no input of the ledger spends."""
assert isinstance(unspent, pd.DataFrame), _("unspent should be the rows of outputs not spent")
assert 0 < len(unspent) < len(outputs), _("some outputs are spent, some are not")
hand_in(unspent)

# %% [markdown]
# The toolkit builds the same tables in one line, with the time of each transaction and, for
# each output, the transaction that spends it (`spent_by`). If your own `outputs` or `inputs`
# failed its check, continue with `outputs = outputs_frame(txs)` and
# `inputs = inputs_frame(txs)`: the later tasks work with either.

# %% role="readonly"
outputs_frame(txs).head()

# %% [markdown]
# ## Part 2 · Fees
#
# A transaction has no "fee output": the fee is whatever the inputs hold and the outputs do not
# pay out. The miner who puts the transaction in a block collects it.
#
# **fee = sum of the inputs − sum of the outputs** (never negative: nobody can pay out more than
# they spend).
#
# ## Task 5 · The fee of a transaction (2 points)
#
# Write a function `fee_sats(tx)` that returns the fee of one transaction (a dict as in `txs`)
# in **whole satoshis**, computed from its inputs and outputs. A coinbase transaction pays no
# fee: return 0 for it. Do not read `tx["fee"]`, even when it is there: Bitcoin Core's raw
# transactions have no such field, a file can hold a wrong one, and a number you did not compute
# is a number you cannot explain in court. The grader calls your function on transactions of
# its own choosing.
#
# *Hint:* `sum(inp["prevout"]["value"] for inp in tx["vin"])` adds up the inputs.


# %% role="solution" grade_id="fee-of"
def fee_sats(tx):
    ### BEGIN SOLUTION
    if any(inp["is_coinbase"] for inp in tx["vin"]):
        return 0
    paid_in = sum(inp["prevout"]["value"] for inp in tx["vin"])
    paid_out = sum(out["value"] for out in tx["vout"])
    return paid_in - paid_out
    ### END SOLUTION


fee_sats(txs[-1])

# %% role="tests" grade_id="fee-of-test" points=2 needs="fee-of"
"""fee_sats is inputs minus outputs in whole satoshis, 0 for a coinbase."""
_example = {
    "txid": "example",
    "vin": [
        {"is_coinbase": False, "txid": "a", "vout": 0, "prevout": {"value": 150_000}},
        {"is_coinbase": False, "txid": "b", "vout": 1, "prevout": {"value": 50_000}},
    ],
    "vout": [{"value": 120_000}, {"value": 79_000}],
}
_fee = fee_sats(_example)
assert isinstance(_fee, numbers.Integral), _("return a whole number of satoshis (an int), not BTC")
assert _fee > 0, _("the fee is inputs minus outputs: it is never negative")
assert _fee == 1_000, _("add up every input and every output of the transaction")
hand_in_calls(fee_sats, "fee-of-test")

# %% [markdown]
# ## Part 3 · Addresses
#
# An address is a way of writing the *locking script* of an output. Five types are in use, and
# the type tells you something about the wallet software:
#
# | starts with | type (explorer name) | encoding | what it locks to |
# | --- | --- | --- | --- |
# | `1` | `p2pkh` | Base58Check | the hash of one public key (legacy wallets) |
# | `3` | `p2sh` | Base58Check | the hash of a script (multisig, wrapped segwit; many exchanges) |
# | `bc1q` (42 characters) | `v0_p2wpkh` | Bech32 | the hash of one public key (segwit) |
# | `bc1q` (62 characters) | `v0_p2wsh` | Bech32 | the hash of a script (segwit multisig) |
# | `bc1p` | `v1_p2tr` | Bech32m | a taproot key |
#
# Every address carries a **checksum**: one mistyped character makes it invalid, and a wallet
# refuses to pay to it. Something that merely *looks* like an address (in a chat, in OCR of a
# photo, in a PGP block) is only an address once its checksum verifies. A vendor who wrote an
# address with a typo did not receive money there.
#
# ## Task 6 · Validate and classify an address (2 points)
#
# Write a function `address_type(text)` that returns the explorer's type name (`"p2pkh"`,
# `"p2sh"`, `"v0_p2wpkh"`, `"v0_p2wsh"`, `"v1_p2tr"`) of a **valid** Bitcoin address, and
# `None` when `text` is not a valid address. The grader calls it on texts of its own choosing:
# main-network addresses of the five types (in lower or upper case, as wallets write them) and
# texts that are not addresses. It never asks about test-network addresses (`tb1…`, `m…`,
# `n…`, `2…`), newer segwit versions or text with spaces around it.
#
# *Hint:* `is_valid(text)` checks the checksum and the format; `esplora_type(text)` names the
# type of a valid address; `parse(text)` raises an error that says what is wrong. Do not judge
# by the first characters: `bc1q` starts two different types, and a typo keeps the prefix.


# %% role="solution" grade_id="address-type"
def address_type(text):
    ### BEGIN SOLUTION
    if not is_valid(text):
        return None
    return esplora_type(text)
    ### END SOLUTION


address_type(outputs.loc[0, "address"])

# %% role="tests" grade_id="address-type-test" points=2 needs="address-type"
"""address_type names the type of valid addresses and returns None for invalid ones."""
# Published test vectors: BIP-173 and BIP-350 (segwit); Base58Check examples of darktrail.addresses.
assert address_type("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4") == "v0_p2wpkh", _(
    "a 42-character bc1q address is v0_p2wpkh"
)
assert address_type("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5") is None, _(
    "one wrong character breaks the checksum: return None for an invalid address"
)
hand_in_calls(address_type, "address-type-test")

# %% [markdown]
# ## Part 4 · The suspect's wallet
#
# Open the wallet export from the seized laptop. Each row is one transaction that touched the
# wallet, with its **net effect** on the wallet in BTC: `+` for money in, `−` for money out
# (what left the wallet, fee included).

# %% role="readonly"
export = pd.read_csv(evidence / "seized" / "wallet" / "electrum_history.csv")
export

# %% [markdown]
# ## Task 7 · From BTC to satoshis without losing one (2 points)
#
# `pandas` has read `value` as decimal numbers (`float`). A float holds most BTC amounts only
# approximately: `0.29 * 100_000_000` gives `28999999.999999996`, and `int()` of that cuts it
# to **28,999,999** sat — one satoshi lost.
#
# 1. Write a function `to_sats(btc)` that turns a BTC amount (a float as in `export["value"]`,
#    possibly negative) into a whole number of satoshis.
# 2. Add a column `sats` to `export` with the amount of every row in satoshis.
#
# The grader calls `to_sats` on amounts of its own choosing and reads your `sats` column.
#
# *Hint:* `round(btc * 100_000_000)` rounds to the nearest whole number (`int()` always cuts
# down). `export["value"].map(to_sats)` applies your function to every row.


# %% role="solution" grade_id="export-sats"
def to_sats(btc):
    ### BEGIN SOLUTION
    return round(btc * 100_000_000)
    ### END SOLUTION


### BEGIN SOLUTION
export["sats"] = export["value"].map(to_sats)
### END SOLUTION
export.head()

# %% role="tests" grade_id="export-sats-test" points=2 needs="export-sats"
"""to_sats converts BTC to whole satoshis exactly, and export['sats'] holds every row's amount."""
assert isinstance(to_sats(0.5), numbers.Integral), _(
    "to_sats should return a whole number (an int)"
)
assert to_sats(1.0) == 100_000_000, _("1 BTC is 100,000,000 satoshis")
assert "sats" in export.columns, _("add the column: export['sats'] = ...")


def _answer(name, *args):
    """The grader calls to_sats on amounts of its own choosing, and reads export["sats"]."""
    return list(export["sats"]) if name == "export_sats" else to_sats(*args)


hand_in_calls(_answer, "export-sats-test")

# %% [markdown]
# ## Task 8 · Which addresses are the wallet's? (2 points)
#
# The export names transactions, not addresses. The blockchain tells you the rest: to **spend**
# a coin you must sign with its key, so every input of a transaction the wallet *sent* (a
# negative row) belongs to the wallet.
#
# Store in `wallet_addresses` the **set** of addresses of all inputs of the transactions that
# the export shows with a negative value.
#
# *Hint:* `export.loc[export["value"] < 0, "transaction_hash"]` lists the sent transactions;
# `inputs["txid"].isin(...)` selects their inputs; `set(...)` of the `address` column gives the
# set. The export is the suspect's own file, and such files get edited: here it only tells you
# which transactions the wallet sent. Every amount you report from now on comes from the
# blockchain.

# %% role="solution" grade_id="wallet-addresses"
### BEGIN SOLUTION
sent_txids = export.loc[export["value"] < 0, "transaction_hash"]
wallet_addresses = set(inputs.loc[inputs["txid"].isin(sent_txids), "address"])
### END SOLUTION
print(len(wallet_addresses), "addresses:", sorted(wallet_addresses)[:3], "...")

# %% role="tests" grade_id="wallet-addresses-test" points=2 needs="load-ledger inputs-by-hand wallet-addresses"
"""wallet_addresses is the set of input addresses of the wallet's sent transactions."""
assert isinstance(wallet_addresses, (set, frozenset)), _(
    "wallet_addresses should be a set: set(...)"
)
assert wallet_addresses and all(isinstance(a, str) for a in wallet_addresses), _(
    "wallet_addresses should hold addresses, written as text"
)
assert wallet_addresses <= set(inputs["address"]), _(
    "take the addresses from the inputs of the sent transactions"
)
hand_in(wallet_addresses)

# %% [markdown]
# ## Task 9 · Income is not everything paid to the wallet (2 points)
#
# When the wallet pays someone, the **change** comes back to a new address of the same wallet.
# Counted as income, change would inflate the vendor's turnover many times over: the same coins
# would be counted again at every payment.
#
# Store in `income_sats` the total (in satoshis) that the wallet **received from others**: the
# outputs paid to wallet addresses in transactions where **none of the inputs** is the wallet's.
# Take the amounts from the blockchain (`outputs`), not from the export's `value` column: the
# chain is the evidence, the export only a lead.
#
# *Hint:* `outputs["address"].isin(wallet_addresses)` marks outputs to the wallet;
# `inputs.loc[inputs["address"].isin(wallet_addresses), "txid"]` lists the transactions the
# wallet paid from. Use `~` ("not") with `.isin(...)` to drop those. `int(...)` of the sum.

# %% role="solution" grade_id="wallet-income"
### BEGIN SOLUTION
paid_from_wallet = set(inputs.loc[inputs["address"].isin(wallet_addresses), "txid"])
to_wallet = outputs[outputs["address"].isin(wallet_addresses)]
income_sats = int(to_wallet.loc[~to_wallet["txid"].isin(paid_from_wallet), "value"].sum())
### END SOLUTION
print(f"income: {income_sats:,} sat = {income_sats / 100_000_000:.8f} BTC")

# %% role="tests" grade_id="wallet-income-test" points=2 needs="load-ledger outputs-by-hand inputs-by-hand wallet-addresses wallet-income"
"""income_sats sums the outputs to the wallet in transactions the wallet did not pay from."""
assert isinstance(income_sats, numbers.Integral), _(
    "income_sats should be a whole number of satoshis"
)
assert 0 < income_sats <= outputs.loc[outputs["address"].isin(wallet_addresses), "value"].sum(), _(
    "income is part of what the wallet's addresses received"
)
hand_in(income_sats)

# %% [markdown]
# ## Task 10 · The wallet's history, rebuilt from the chain (2 points)
#
# `address_history(txs, addresses)` gives one row per address and transaction with `received`,
# `sent` and `delta = received − sent` (satoshis) and the `block_time`. A wallet is many
# addresses; a transaction can touch several of them.
#
# Build `wallet_history` from the blockchain: **one row per transaction** touching the wallet,
# sorted by time, with the columns `txid`, `block_time`, `delta` (the net effect on the whole
# wallet) and `balance` (the wallet's balance after that transaction). Two transactions in the
# same block have the same time: put them in either order.
#
# *Hint:* `address_history(txs, wallet_addresses)`, then
# `.groupby("txid", as_index=False).agg(block_time=("block_time", "first"), delta=("delta", "sum"))`,
# then `.sort_values("block_time")`; `balance` is `delta.cumsum()`. Compare your `delta` column
# with the export's `sats`: they should agree, row for row. Where they do not, the chain is
# right and the export was edited (Task 14 asks about it).

# %% role="solution" grade_id="wallet-history"
### BEGIN SOLUTION
per_address = address_history(txs, wallet_addresses)
wallet_history = (
    per_address.groupby("txid", as_index=False)
    .agg(block_time=("block_time", "first"), delta=("delta", "sum"))
    .sort_values(["block_time", "txid"])
    .reset_index(drop=True)
)
wallet_history["balance"] = wallet_history["delta"].cumsum()
### END SOLUTION
wallet_history.merge(
    export[["transaction_hash", "sats"]], left_on="txid", right_on="transaction_hash", how="outer"
)

# %% role="tests" grade_id="wallet-history-test" points=2 needs="load-ledger inputs-by-hand wallet-addresses wallet-history"
"""wallet_history has one row per wallet transaction in time order, with net delta and balance."""
assert isinstance(wallet_history, pd.DataFrame), _("wallet_history should be a DataFrame")
assert {"txid", "block_time", "delta", "balance"} <= set(wallet_history.columns), _(
    "wallet_history needs the columns txid, block_time, delta and balance"
)
assert wallet_history["txid"].is_unique, _("one row per transaction: group by txid")
assert wallet_history["block_time"].is_monotonic_increasing, _("sort the rows by block_time")
assert (wallet_history["balance"] == wallet_history["delta"].cumsum()).all(), _(
    "balance is the running total of delta"
)
hand_in(wallet_history)

# %% [markdown]
# ## Task 11 · What the wallet paid in fees (1 point)
#
# The last `balance` of `wallet_history` is what the wallet still holds. Where did the rest go?
# To the people it paid and, a little at a time, to miners. Store in `fees_paid_sats` the total
# fee of all the transactions the wallet paid from (whole satoshis): those with at least one
# input from `wallet_addresses`.
#
# *Hint:* `set(inputs.loc[inputs["address"].isin(wallet_addresses), "txid"])` lists them; your
# `fee_sats` from Task 5 computes each fee: `sum(fee_sats(tx) for tx in txs if ...)`.

# %% role="solution" grade_id="wallet-fees"
### BEGIN SOLUTION
wallet_spends = set(inputs.loc[inputs["address"].isin(wallet_addresses), "txid"])
fees_paid_sats = sum(fee_sats(tx) for tx in txs if tx["txid"] in wallet_spends)
### END SOLUTION
print(f"fees: {fees_paid_sats:,} sat; still held: {wallet_history['balance'].iloc[-1]:,} sat")

# %% role="tests" grade_id="wallet-fees-test" points=1 needs="load-ledger inputs-by-hand fee-of wallet-addresses wallet-fees"
"""fees_paid_sats adds up the fees of the transactions the wallet paid from."""
assert isinstance(fees_paid_sats, numbers.Integral), _(
    "fees_paid_sats should be a whole number of satoshis"
)
assert fees_paid_sats > 0, _("the wallet paid at least one fee: fees are positive")
hand_in(fees_paid_sats)

# %% [markdown]
# ## Part 5 · Local value
#
# Courts, prosecutors and asset-recovery offices work in local currency. Convert at the price of
# **the day of each transaction**, not today's price: bitcoin moves by several per cent a day.
# `ledger/prices.csv` has one row per day (`date`, then the price of 1 BTC in `btc_usd`,
# `btc_kzt` and `btc_rub`).
#
# ## Task 12 · The wallet's income in tenge (2 points)
#
# Take the wallet's receipts (the rows of `wallet_history` with a positive `delta`), give each
# its date (the UTC date of its block, as `prices.csv` is written), look up that day's BTC price
# in tenge and convert. Store the total, rounded to whole tenge, in `income_kzt`. Whether you
# round the total or each receipt makes a tenge or two of difference: both are accepted.
#
# *Hint:* `receipts["block_time"].dt.strftime("%Y-%m-%d")` writes the date as in `prices.csv`;
# `receipts.merge(prices, on="date")` puts the day's price on each row;
# `delta / 100_000_000 * btc_kzt` converts one row; `round(...)` of the sum.

# %% role="solution" grade_id="income-kzt"
### BEGIN SOLUTION
prices = pd.read_csv(evidence / "ledger" / "prices.csv")
receipts = wallet_history[wallet_history["delta"] > 0].copy()
receipts["date"] = receipts["block_time"].dt.strftime("%Y-%m-%d")
receipts = receipts.merge(prices, on="date")
receipts["kzt"] = receipts["delta"] / 100_000_000 * receipts["btc_kzt"]
income_kzt = round(receipts["kzt"].sum())
### END SOLUTION
print(f"income: {income_kzt:,} KZT")

# %% role="tests" grade_id="income-kzt-test" points=2 needs="load-ledger inputs-by-hand wallet-addresses wallet-history income-kzt"
"""income_kzt converts every receipt at the BTC/KZT price of its own day."""
assert isinstance(income_kzt, numbers.Integral), _("income_kzt should be whole tenge: round(...)")
assert income_kzt > 0, _("the wallet received something: income_kzt should be positive")
hand_in(income_kzt)

# %% [markdown]
# ## Part 6 · Bitcoin Core's view of a transaction
#
# An exchange, or a colleague running their own node, will send you Bitcoin Core's
# `getrawtransaction <txid> 2` output instead of an explorer's. Same transaction, other shape:
#
# | | explorer (Esplora) | Bitcoin Core |
# | --- | --- | --- |
# | amounts | `value`: whole satoshis | `value`: **BTC** with 8 decimals |
# | output address | `scriptpubkey_address` | `scriptPubKey.address` |
# | type names | `p2pkh`, `p2sh`, `v0_p2wpkh`, `v0_p2wsh`, `v1_p2tr` | `pubkeyhash`, `scripthash`, `witness_v0_keyhash`, `witness_v0_scripthash`, `witness_v1_taproot` |
# | spent output | `vin[].prevout` | `vin[].prevout` (Core 25 and later only) |
# | fee | `fee` in sat | `fee` in BTC (only when the prevouts are known) |
#
# Your evidence holds two such files: `ledger/getrawtransaction_<txid>.json`.

# %% role="readonly"
core_files = sorted((evidence / "ledger").glob("getrawtransaction_*.json"))
core = json.loads(core_files[0].read_text(encoding="utf-8"))
print(json.dumps(core["vout"][0], indent=2))

# %% [markdown]
# ## Task 13 · Core's outputs in the explorer's terms (2 points)
#
# Write a function `core_outputs(core)` that takes one parsed `getrawtransaction` result and
# returns a DataFrame with one row per output and the columns `n`, `address`, `type` (the
# **explorer's** type name) and `value` (whole **satoshis**).
#
# *Hint:* `CORE_SCRIPT_TYPES` maps Core's type names to the explorer's
# (`CORE_SCRIPT_TYPES["witness_v0_keyhash"]` is `"v0_p2wpkh"`); `btc_to_sats(value)` converts a
# BTC amount exactly. An `OP_RETURN` output (`nulldata`) has no `address`: use `.get("address")`.
#
# The grader calls `core_outputs` on Core transactions of its own choosing, whole
# `getrawtransaction` results like yours.


# %% role="solution" grade_id="core-outputs"
def core_outputs(core):
    ### BEGIN SOLUTION
    rows = []
    for out in core["vout"]:
        script = out["scriptPubKey"]
        rows.append(
            {
                "n": out["n"],
                "address": script.get("address"),
                "type": CORE_SCRIPT_TYPES.get(script["type"], "unknown"),
                "value": btc_to_sats(out["value"]),
            }
        )
    return pd.DataFrame(rows)
    ### END SOLUTION


core_outputs(core)

# %% role="tests" grade_id="core-outputs-test" points=2 needs="core-outputs"
"""core_outputs turns Core's outputs into explorer type names and whole satoshis."""
_mine = core_outputs(core)
assert isinstance(_mine, pd.DataFrame), _("core_outputs should return a DataFrame")
assert {"n", "address", "type", "value"} <= set(_mine.columns), _(
    "core_outputs needs the columns n, address, type and value"
)
assert len(_mine) == len(core["vout"]), _("one row per output in core['vout']")
assert all(isinstance(v, int) for v in _mine["value"].tolist()) and _mine["value"].max() > 1000, _(
    "value should be whole satoshis (Core writes BTC: multiply by 100,000,000 exactly)"
)
hand_in_calls(core_outputs, "core-outputs-test")

# %% [markdown]
# The toolkit converts a whole Core transaction, inputs and fee included, into the explorer's
# shape; the result matches the explorer's transaction field for field (amounts, addresses,
# types, fee).

# %% role="readonly"
converted = from_bitcoin_core(core_files[0].read_text(encoding="utf-8"))
original = next(tx for tx in txs if tx["txid"] == converted["txid"])
print(f"fee: {converted['fee']} sat (Core wrote {core['fee']:.8f} BTC)")
print("same outputs as the explorer:", converted["vout"] == original["vout"])

# %% [markdown]
# ## Task 14 · In your own words (2 points, marked by your instructor)
#
# The last row of the wallet export shows the wallet's final payment as a negative amount. The
# receiving address got less than that. In four or five sentences: what does the negative
# amount of a sent transaction include besides the payment, and why is change not income? One
# row of your export disagrees with the chain (Task 10): which transaction, and what does that
# mean? What would you write in a report to an exchange: the export's numbers or the
# blockchain's, and why?

# %% [markdown] role="answer" grade_id="why-chain" points=2
# A sent transaction's negative amount is what left the wallet: the payment plus the miner's fee
# (inputs minus outputs); the change went back to the wallet and is not counted. Change is the
# sender's own money returning, so counting it as income would count the same coins again at
# every payment. In my export one receipt shows less than the chain's delta for that txid: the
# file was edited (before seizure, as its hash matches the manifest), hiding part of the income.
# In a report I would use the blockchain's numbers (txid, output, satoshis, block time), which
# anyone can verify; the export is a file from the suspect's laptop that can be altered and is
# only a lead, checked against the chain.

# %% [markdown]
# ## Key points
#
# - Bitcoin moves as **unspent transaction outputs**: an input spends a whole earlier output,
#   named by `(txid, vout)`; the rest comes back as **change**.
# - **fee = inputs − outputs**, in whole satoshis; keep amounts as integers, convert BTC with
#   `round()` or `btc_to_sats`, never `int(float)`.
# - An address is valid only when its checksum verifies; its type (`p2pkh`, `p2sh`,
#   `v0_p2wpkh`, `v0_p2wsh`, `v1_p2tr`) is part of the evidence.
# - A wallet is a set of addresses: inputs of a transaction it sent are its own. Its **income**
#   excludes change; its **balance** is the running sum of net effects.
# - Convert to tenge, roubles or dollars at the price **of the transaction's day**.
# - Bitcoin Core writes BTC and its own type names; convert before you compare with an explorer.
# - A seized wallet export is a lead, and it can be edited; the blockchain is the evidence.
