"""Expected answers of 04-blockchain-basics, computed from each trainee's frozen case.

Instructor-only: never released. The evidence is the trainee's ledger
(``ledger/transactions.json``, ``prices.csv``, two ``getrawtransaction_*.json``) and the seized
wallet export (``seized/wallet/electrum_history.csv``). What each check must reject, and what
in EVERY trainee's evidence tells it from the right method:

- load-ledger (``n_tx`` and ``n_outputs``): a neighbour's count -- the pair differs for 99 % of
  trainee pairs (``n_tx`` alone only for 89 %); leaving out coinbases -- every ledger starts
  with the mining pool's coinbases; counting outputs as transactions -- every ledger has
  transactions with two or more outputs.
- outputs-by-hand: ``vout`` from 1 or one running counter -- compared per (txid, vout) row;
  the scriptpubkey hex as address, Core's or missing types -- compared per row. Every ledger
  has multi-output transactions and three OP_RETURN outputs (no address).
- inputs-by-hand: the input's position as ``prev_vout`` -- the consolidation and the peel
  hops spend outputs 0 and 1 at other positions; the spent txid as ``txid``; the first input
  only -- the consolidation has 20+ inputs in every world.
- unspent: spent by txid alone -- every ledger has partly spent transactions (a payment
  spent, the change not yet); spent by address -- addresses are reused by exchanges and
  dust. OP_RETURN outputs may be kept or left out (the form drops them on both sides; the
  task says so).
- fee-of (probes per run): no coinbase case -- the ledger's coinbases; reading ``tx["fee"]``
  -- one probe carries a ``fee`` field that disagrees with inputs - outputs (the task forbids
  reading it); the first output only, outputs - inputs, BTC -- every multi-output probe.
- address-type (probes per run): no Base58 checksum -- broken-checksum 1.../3... texts and
  one-character typos of the trainee's own ledger addresses; lower-casing first -- valid
  Base58 addresses become invalid, a mixed-case bech32 text becomes valid; naming by prefix and
  length -- upper-case taproot and P2WSH vectors. Test-network, segwit v2+ and padded texts
  are never asked (the task says so).
- export-sats (probes per run, and the column): ``int(btc * 1e8)``, ``int(Decimal(float))``
  -- probe amounts that such code cuts down by a satoshi, and the seized export's edited row,
  planted so that ``int()`` cuts it (:mod:`darktrail.world.seized`); a dropped sign --
  negative probes and the export's payments; a truncating ``astype(int)`` column -- the same
  edited row.
- wallet-addresses: inputs of every export row -- every export has receipts paid from market
  hot wallets; output addresses of sent transactions, the first input only -- the
  consolidation spends 20+ wallet addresses into one new one.
- wallet-income: change counted -- every peel hop returns change to the wallet; received -
  spent, positive per-address rows -- same; **the export's positive rows** -- one receipt of
  every export is understated by >= 0.001 BTC (the planted edit).
- wallet-history: ``first`` instead of ``sum`` -- the consolidation touches 20+ addresses;
  ``received`` only -- every payment; **the export's amounts or times** -- the edited row and
  the minute-rounded timestamps. Rows with the same block time may come in either order: the
  form compares per transaction and the balance at the end of each block time.
- wallet-fees: the fees of incoming transactions too, once per wallet input, the last payment
  only -- the consolidation has 20+ wallet inputs and every world has receipts and 6+ payments.
  Reading ``tx["fee"]`` gives the same number and cannot be told apart (see the report).
- income-kzt: the last day's price, the USD column, all deltas, a wrong unit, the export's
  amounts (the edited receipt is worth thousands of tenge) -- all off by far more than the
  tolerance of a few tenge that lets round-the-total, sum-of-rounded-rows and ``int()`` pass.
- core-outputs (probes per run): Core's type names -- every probe; ``int(value * 1e8)`` --
  probes whose amounts int() cuts down; the type from the address -- a probe with an
  OP_RETURN output. Probes are whole getrawtransaction results (vin, prevouts, fee), so a
  solution through ``from_bitcoin_core`` works.
"""

from __future__ import annotations

import copy
import io
import json
import math

import pandas as pd

from darktrail.addresses import esplora_type, is_valid
from darktrail.bitcoin import COIN
from darktrail.course.judge import Answers, FormError, Probe, _, whole_number
from darktrail.ledger import CORE_SCRIPT_TYPES, address_history, btc_to_sats

answers = Answers()


# -- reading the case ---------------------------------------------------------------------


def _export_rows(case) -> list[tuple[str, int]]:
    """(txid, exact satoshis) of every row of the seized export, as written."""
    text = pd.read_csv(
        io.BytesIO(case.files["seized/wallet/electrum_history.csv"]), dtype={"value": str}
    )
    return [
        (t, (-1 if v.strip().startswith("-") else 1) * btc_to_sats(v.strip().lstrip("+-")))
        for t, v in zip(text["transaction_hash"], text["value"], strict=True)
    ]


def _wallet(case) -> set[str]:
    sent = {t for t, sats in _export_rows(case) if sats < 0}
    return {
        inp["prevout"]["scriptpubkey_address"]
        for tx in case.transactions
        if tx["txid"] in sent
        for inp in tx["vin"]
        if not inp["is_coinbase"]
    }


def _paid_from_wallet(case) -> set[str]:
    wallet = _wallet(case)
    return {
        tx["txid"]
        for tx in case.transactions
        for inp in tx["vin"]
        if not inp["is_coinbase"] and inp["prevout"].get("scriptpubkey_address") in wallet
    }


def _per_tx(case) -> pd.DataFrame:
    rows = address_history(case.transactions, _wallet(case))
    return (
        rows.groupby("txid", as_index=False)
        .agg(block_time=("block_time", "first"), delta=("delta", "sum"))
        .sort_values(["block_time", "txid"])
        .reset_index(drop=True)
    )


def _fee(tx: dict) -> int:
    if any(inp["is_coinbase"] for inp in tx["vin"]):
        return 0
    return sum(i["prevout"]["value"] for i in tx["vin"]) - sum(o["value"] for o in tx["vout"])


# -- forms --------------------------------------------------------------------------------


def _frame(value, name: str, columns: set[str]):
    if type(value).__name__ != "DataFrame":
        raise FormError(_("the answer should be a table (a DataFrame)"))
    missing = columns - set(value.columns)
    if missing:
        raise FormError(_("the table lacks some of the columns the task names"))
    return value


def _text_or_none(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _whole(value) -> int:
    return whole_number(int(value) if type(value).__module__ == "numpy" else value)


def counts_form(value):
    """{"n_tx": ..., "n_outputs": ...} as a pair of whole numbers."""
    if not isinstance(value, dict) or set(value) != {"n_tx", "n_outputs"}:
        raise FormError(_("n_tx and n_outputs should both be whole numbers"))
    return (whole_number(value["n_tx"]), whole_number(value["n_outputs"]))


def output_rows(value):
    """An outputs table as its sorted rows (txid, vout, address or None, type, value)."""
    frame = _frame(value, "outputs", {"txid", "vout", "address", "type", "value"})
    return sorted(
        (str(t), _whole(n), _text_or_none(a), _text_or_none(y), _whole(v))
        for t, n, a, y, v in zip(
            frame["txid"], frame["vout"], frame["address"], frame["type"], frame["value"],
            strict=True,
        )
    )  # fmt: skip


def input_rows(value):
    """An inputs table as its sorted rows (txid, prev_txid, prev_vout, address, value)."""
    frame = _frame(value, "inputs", {"txid", "prev_txid", "prev_vout", "address", "value"})
    return sorted(
        (str(t), str(p), _whole(n), _text_or_none(a), _whole(v))
        for t, p, n, a, v in zip(
            frame["txid"], frame["prev_txid"], frame["prev_vout"], frame["address"],
            frame["value"], strict=True,
        )
    )  # fmt: skip


def outpoints(value):
    """The (txid, vout) of a table of outputs; OP_RETURN outputs left out either way."""
    frame = _frame(value, "unspent", {"txid", "vout"})
    if "type" in frame.columns:
        data = [str(t) != "op_return" for t in frame["type"]]
    elif {"address", "value"} <= set(frame.columns):
        data = [
            not (_text_or_none(a) is None and _whole(v) == 0)
            for a, v in zip(frame["address"], frame["value"], strict=True)
        ]
    else:
        data = [True] * len(frame)
    found = [
        (str(t), _whole(n))
        for t, n, keep in zip(frame["txid"], frame["vout"], data, strict=True)
        if keep
    ]
    if len(set(found)) != len(found):
        raise FormError(_("unspent lists the same output more than once"))
    return frozenset(found)


def address_set(value):
    if not isinstance(value, (frozenset, list, tuple)):
        raise FormError(_("wallet_addresses should be a set: set(...)"))
    return frozenset(str(a) for a in value)


def _seconds(value) -> int:
    if isinstance(value, pd.Timestamp):
        stamp = value if value.tzinfo else value.tz_localize("UTC")
        return int(stamp.timestamp())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    raise FormError(_("block_time should be the block's time (a date and time)"))


def history_form(value):
    """Per transaction (time, delta), and the balance after each distinct block time.

    Transactions in the same second may come in either order, so balances are compared where
    the order is settled: after the last transaction of each block time.
    """
    frame = _frame(value, "wallet_history", {"txid", "block_time", "delta", "balance"})
    rows = [
        (str(t), _seconds(b), _whole(d), _whole(s))
        for t, b, d, s in zip(
            frame["txid"], frame["block_time"], frame["delta"], frame["balance"], strict=True
        )
    ]
    per_tx = {t: (b, d) for t, b, d, _s in rows}
    if len(per_tx) != len(rows):
        raise FormError(_("one row per transaction: group by txid"))
    settled = {}
    for _t, b, _d, s in rows:
        settled[b] = s
    return {"transactions": per_tx, "balance": settled}


class Near:
    """A number that equals any other within ``tolerance`` (rounding of tenge)."""

    def __init__(self, value: float, tolerance: float) -> None:
        self.value, self.tolerance = value, tolerance

    def __eq__(self, other) -> bool:
        if not isinstance(other, Near):
            return False
        return abs(self.value - other.value) <= max(self.tolerance, other.tolerance)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Near({self.value}, {self.tolerance})"


def tenge(value):
    """Whole tenge; the expected side carries how far rounding choices may move it."""
    if isinstance(value, dict) and set(value) == {"kzt", "tolerance"}:
        return Near(float(value["kzt"]), float(value["tolerance"]))
    return Near(float(whole_number(value)), 0.0)


# -- Part 1 -------------------------------------------------------------------------------


@answers.value(
    "load-ledger-test",
    form=counts_form,
    hint=_("count every transaction of transactions.json, and every output of every one"),
    mistakes={
        _("a coinbase transaction is a transaction too: count it"): lambda c: {
            "n_tx": sum(1 for t in c.transactions if not t["vin"][0]["is_coinbase"]),
            "n_outputs": sum(len(t["vout"]) for t in c.transactions),
        },
        _("n_tx counts transactions, not outputs"): lambda c: {
            "n_tx": sum(len(t["vout"]) for t in c.transactions),
            "n_outputs": sum(len(t["vout"]) for t in c.transactions),
        },
    },
)
def load_ledger(case):
    txs = case.transactions
    return {"n_tx": len(txs), "n_outputs": sum(len(tx["vout"]) for tx in txs)}


def _outputs(case) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "txid": tx["txid"],
                "vout": n,
                "address": out.get("scriptpubkey_address"),
                "type": out["scriptpubkey_type"],
                "value": out["value"],
            }
            for tx in case.transactions
            for n, out in enumerate(tx["vout"])
        ]
    )


def _inputs(case) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "txid": tx["txid"],
                "prev_txid": inp["txid"],
                "prev_vout": inp["vout"],
                "address": inp["prevout"].get("scriptpubkey_address"),
                "value": inp["prevout"]["value"],
            }
            for tx in case.transactions
            for inp in tx["vin"]
            if not inp["is_coinbase"]
        ]
    )


@answers.value(
    "outputs-by-hand-test",
    form=output_rows,
    hint=_(
        "vout is the output's position in its transaction (0, 1, ...); address, type and "
        "value come from scriptpubkey_address, scriptpubkey_type and value"
    ),
)
def outputs_by_hand(case):
    return _outputs(case)


@answers.value(
    "inputs-by-hand-test",
    form=input_rows,
    hint=_(
        "take prev_txid and prev_vout from the input's txid and vout, address and value from "
        "its prevout, for every input that is not a coinbase"
    ),
)
def inputs_by_hand(case):
    return _inputs(case)


@answers.value(
    "unspent-test",
    form=outpoints,
    hint=_("an output is spent when an input names both its txid and its vout"),
)
def unspent(case):
    outputs = _outputs(case)
    spent = {(i["txid"], i["vout"]) for tx in case.transactions for i in tx["vin"]}
    keep = [(t, n) not in spent for t, n in zip(outputs["txid"], outputs["vout"], strict=True)]
    return outputs[keep]


# -- Part 2 -------------------------------------------------------------------------------


@answers.calls(
    "fee-of-test",
    form=whole_number,
    hint=_("compute inputs minus outputs from vin[].prevout.value and vout[].value"),
)
def fee_probes(case, folder, rng):
    """Ledger transactions without their fee field, coinbases, one with a misleading fee."""
    txs = case.transactions
    bare = [{k: v for k, v in tx.items() if k != "fee"} for tx in txs]
    coinbases = [t for t in bare if t["vin"][0]["is_coinbase"]]
    paying = [t for t in bare if not t["vin"][0]["is_coinbase"]]
    many_in = max(paying, key=lambda t: (len(t["vin"]), t["txid"]))
    many_out = [t for t in paying if len(t["vout"]) >= 3]
    chosen = rng.sample(paying, min(10, len(paying))) + [many_in] + many_out[:2]
    probes = [
        Probe((tx,), _fee(tx), _("add up every input and every output of the transaction"))
        for tx in chosen
    ]
    probes += [
        Probe((tx,), 0, _("a coinbase transaction pays no fee: return 0 for it"))
        for tx in coinbases[:2]
    ]
    liar = copy.deepcopy(rng.choice(paying))
    liar["fee"] = _fee(liar) + rng.randint(1_000, 90_000)
    probes.append(
        Probe(
            (liar,),
            _fee(liar),
            _("compute the fee from the inputs and outputs; do not read tx['fee']"),
        )
    )
    rng.shuffle(probes)
    return probes


# -- Part 3 -------------------------------------------------------------------------------

_VALID = {
    "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo": "p2pkh",
    "36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm": "p2sh",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4": "v0_p2wpkh",
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4": "v0_p2wpkh",
    "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3": "v0_p2wsh",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0": "v1_p2tr",
    "BC1P0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQZK5JJ0": "v1_p2tr",
}
_INVALID = [
    "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mp",  # Base58Check checksum broken
    "36j4NfKv6Akva9amjWrLG6MuSQym1GuEmn",
    "1fssia9rv4neewvj2gvxrx7lyxyspbn2mo",  # a Base58 address lower-cased
    "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",  # mixed case
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # Bech32 for v1
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # Bech32m for v0
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  # invalid character
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",  # bad program length
    "mDMEXaBqFhYJKwYBBAHaRw8BAQdAcUQ9y5",  # a piece of a PGP key block
]
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _typo(address: str, rng) -> str:
    """The address with one character changed, checked to be invalid."""
    alphabet = _BECH32 if address.lower().startswith("bc1") else _BASE58
    for _attempt in range(100):
        k = rng.randrange(4 if alphabet is _BECH32 else 1, len(address))
        new = rng.choice([c for c in alphabet if c != address[k]])
        typo = address[:k] + new + address[k + 1 :]
        if not is_valid(typo):
            return typo
    raise AssertionError(f"no invalid typo of {address}")


def _reference_type(text: str):
    return esplora_type(text) if is_valid(text) else None


def address_answer(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormError(_("return the type name as text, or None"))
    return value.strip().lower()


@answers.calls(
    "address-type-test",
    form=address_answer,
    hint=_(
        "check the checksum and the format: return None for anything that is not a valid address"
    ),
)
def address_probes(case, folder, rng):
    outs = [o for tx in case.transactions for o in tx["vout"] if o.get("scriptpubkey_address")]
    by_type: dict[str, list[str]] = {}
    for out in outs:
        by_type.setdefault(out["scriptpubkey_type"], []).append(out["scriptpubkey_address"])
    own = [rng.choice(sorted(set(found))) for _kind, found in sorted(by_type.items())]
    own += rng.sample(sorted({o["scriptpubkey_address"] for o in outs}), 4)
    valid_hint = _(
        "name each valid address by its type: the length and the encoding matter, not only "
        "the first characters; letter case matters for 1... and 3... addresses"
    )
    invalid_hint = _(
        "check the checksum and the format: return None for anything that is not a valid address"
    )
    probes = [Probe((t,), k, valid_hint) for t, k in _VALID.items()]
    probes += [Probe((t,), esplora_type(t), valid_hint) for t in own]
    probes += [Probe((t,), None, invalid_hint) for t in _INVALID]
    probes += [Probe((_typo(t, rng),), None, invalid_hint) for t in own]
    for probe in probes:
        assert _reference_type(probe.args[0]) == probe.expected, probe
    rng.shuffle(probes)
    return probes


# -- Part 4 -------------------------------------------------------------------------------


def _truncated_amount(rng, low: int, high: int) -> int:
    """Satoshis whose BTC float int(btc * 100_000_000) cuts down."""
    while True:
        sats = rng.randrange(low, high)
        if int(float(f"{sats / COIN:.8f}") * COIN) != sats:
            return sats


def sats_answer(value):
    if isinstance(value, (list, tuple)):
        return [whole_number(v) for v in value]
    return whole_number(value)


@answers.calls(
    "export-sats-test",
    form=sats_answer,
    hint=_("round to the nearest satoshi: int() cuts 28999999.999999996 down to 28999999"),
)
def sats_probes(case, folder, rng):
    amounts = [29_000_000, 57_000_000, 546, 100_000_000, 2_099_999_997_690_000]
    amounts += [_truncated_amount(rng, 10_000, COIN) for _k in range(4)]
    signed = [(s, _("round to the nearest satoshi: int() cuts 28999999.999999996 down to 28999999"))
              for s in amounts]  # fmt: skip
    signed += [
        (-_truncated_amount(rng, 10_000, COIN), _("keep the sign: a payment out is negative"))
        for _k in range(3)
    ]
    signed.append((-115_000_000, _("keep the sign: a payment out is negative")))
    probes = [Probe(("to_sats", float(f"{s / COIN:.8f}")), s, hint) for s, hint in signed]
    rng.shuffle(probes)
    probes.append(
        Probe(
            ("export_sats",),
            [sats for _t, sats in _export_rows(case)],
            _("every row of export['sats'] should be that row's value in satoshis, exactly"),
        )
    )
    return probes


@answers.value(
    "wallet-addresses-test",
    form=address_set,
    hint=_(
        "take every input address of every transaction the export shows as sent (negative), "
        "and nothing else"
    ),
)
def wallet_addresses(case):
    return sorted(_wallet(case))


def _income_from_export(case) -> int:
    return sum(sats for _t, sats in _export_rows(case) if sats > 0)


@answers.value(
    "wallet-income-test",
    form=whole_number,
    hint=_(
        "change (outputs back to the wallet in a transaction the wallet paid from) is not income"
    ),
    mistakes={
        _("compute income from the chain's outputs: the export's amounts are not evidence"): (
            _income_from_export
        )
    },
)
def wallet_income(case):
    wallet, own = _wallet(case), _paid_from_wallet(case)
    return sum(
        out["value"]
        for tx in case.transactions
        if tx["txid"] not in own
        for out in tx["vout"]
        if out.get("scriptpubkey_address") in wallet
    )


def _history_from_export(case) -> pd.DataFrame:
    per_tx = _per_tx(case)
    export = dict(_export_rows(case))
    frame = per_tx.assign(
        delta=[export.get(t, d) for t, d in zip(per_tx["txid"], per_tx["delta"], strict=True)]
    )
    return frame.assign(balance=frame["delta"].cumsum())


@answers.value(
    "wallet-history-test",
    form=history_form,
    hint=_(
        "delta is received minus sent over all the wallet's addresses, once per transaction, "
        "from the chain; balance is its running total in time order"
    ),
    mistakes={
        _("take delta from the chain: one row of the export disagrees with the blockchain"): (
            _history_from_export
        )
    },
)
def wallet_history(case):
    frame = _per_tx(case)
    return frame.assign(balance=frame["delta"].cumsum())


@answers.value(
    "wallet-fees-test",
    form=whole_number,
    hint=_(
        "add the fee of every transaction with an input from the wallet, and only those, once each"
    ),
)
def wallet_fees(case):
    own = _paid_from_wallet(case)
    return sum(_fee(tx) for tx in case.transactions if tx["txid"] in own)


# -- Part 5 -------------------------------------------------------------------------------


def _deltas(frame: pd.DataFrame) -> list:
    return list(zip(frame["block_time"], frame["delta"], strict=True))


def _kzt(case, deltas) -> dict:
    prices = pd.read_csv(io.BytesIO(case.files["ledger/prices.csv"]), dtype={"date": str})
    price = dict(zip(prices["date"], prices["btc_kzt"], strict=True))
    receipts = [(t, d) for t, d in deltas if d > 0]
    total = sum(d / COIN * float(price[t.strftime("%Y-%m-%d")]) for t, d in receipts)
    # Round the total, add rounded rows, or cut with int(): each may move it by a tenge or so.
    return {"kzt": round(total), "tolerance": 2 + len(receipts) // 2}


@answers.value(
    "income-kzt-test",
    form=tenge,
    hint=_(
        "convert each receipt at the btc_kzt price of the UTC day of its block, then add them up"
    ),
    mistakes={
        _("take the receipts from the chain (wallet_history), not from the export"): (
            lambda c: _kzt(c, _deltas(_history_from_export(c)))
        )
    },
)
def income_kzt(case):
    return _kzt(case, _deltas(_per_tx(case)))


# -- Part 6 -------------------------------------------------------------------------------

_CORE_NAMES = {v: k for k, v in CORE_SCRIPT_TYPES.items()}


def core_rows(value):
    """Core's outputs as rows (n, address or None, type, value), in output order."""
    frame = _frame(value, "core_outputs", {"n", "address", "type", "value"})
    return sorted(
        (_whole(n), _text_or_none(a), _text_or_none(y), _whole(v))
        for n, a, y, v in zip(
            frame["n"], frame["address"], frame["type"], frame["value"], strict=True
        )
    )


def _core_out(out: dict, n: int, sats: int | None = None) -> dict:
    spk = {
        "asm": out.get("scriptpubkey_asm", ""),
        "desc": f"addr({out['scriptpubkey_address']})" if out.get("scriptpubkey_address") else "",
        "hex": out["scriptpubkey"],
        "type": _CORE_NAMES.get(out["scriptpubkey_type"], "nonstandard"),
    }
    if out.get("scriptpubkey_address"):
        spk["address"] = out["scriptpubkey_address"]
    value = out["value"] if sats is None else sats
    return {"value": float(f"{value / COIN:.8f}"), "n": n, "scriptPubKey": spk}


def _as_core(tx: dict) -> dict:
    """An explorer transaction as Bitcoin Core 25+ ``getrawtransaction <txid> 2`` writes it."""
    vin = []
    for inp in tx["vin"]:
        prev = inp["prevout"]
        vin.append(
            {
                "txid": inp["txid"],
                "vout": inp["vout"],
                "scriptSig": {"asm": "", "hex": inp.get("scriptsig", "")},
                "txinwitness": list(inp.get("witness", [])),
                "prevout": {
                    "generated": False,
                    "height": tx["status"]["block_height"] - 1,
                    "value": float(f"{prev['value'] / COIN:.8f}"),
                    "scriptPubKey": _core_out(prev, 0)["scriptPubKey"],
                },
                "sequence": inp.get("sequence", 4294967293),
            }
        )
    vout = [_core_out(out, n) for n, out in enumerate(tx["vout"])]
    return {
        "txid": tx["txid"],
        "hash": tx["txid"],
        "version": tx.get("version", 2),
        "size": tx.get("size", 250),
        "vsize": tx.get("weight", 1000) // 4,
        "weight": tx.get("weight", 1000),
        "locktime": tx.get("locktime", 0),
        "vin": vin,
        "vout": vout,
        "fee": float(f"{tx['fee'] / COIN:.8f}"),
        "blockhash": "0" * 19 + tx["txid"][:45],
        "time": tx["status"]["block_time"],
        "blocktime": tx["status"]["block_time"],
    }


def _expected_core(core: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "n": out["n"],
                "address": out["scriptPubKey"].get("address"),
                "type": CORE_SCRIPT_TYPES.get(out["scriptPubKey"]["type"], "unknown"),
                "value": btc_to_sats(out["value"]),
            }
            for out in core["vout"]
        ]
    )


@answers.calls(
    "core-outputs-test",
    form=core_rows,
    hint=_("use the explorer's type names (CORE_SCRIPT_TYPES) and exact satoshis (btc_to_sats)"),
)
def core_probes(case, folder, rng):
    samples = [json.loads(data) for p, data in sorted(case.files.items())
               if p.startswith("ledger/getrawtransaction_")]  # fmt: skip
    txs = [t for t in case.transactions if not t["vin"][0]["is_coinbase"]]
    with_type = {o["scriptpubkey_type"]: t for t in txs for o in t["vout"]}
    converted = [_as_core(t) for t in rng.sample(txs, 3)]
    converted += [_as_core(t) for kind, t in sorted(with_type.items()) if kind != "op_return"]
    # A payment whose amounts int() cuts down, with an OP_RETURN (data, no address) output.
    base = _as_core(rng.choice([t for t in txs if len(t["vout"]) >= 2]))
    total_in = sum(btc_to_sats(i["prevout"]["value"]) for i in base["vin"])
    amounts = [_truncated_amount(rng, 1_000, max(2_000, total_in // 3)) for _k in base["vout"]]
    for out, sats in zip(base["vout"], amounts, strict=True):
        out["value"] = float(f"{sats / COIN:.8f}")
    marker = bytes(rng.randrange(256) for _k in range(20)).hex()
    base["vout"].append(
        {
            "value": 0.0,
            "n": len(base["vout"]),
            "scriptPubKey": {
                "asm": f"OP_RETURN {marker}",
                "desc": f"raw(6a14{marker})",
                "hex": f"6a14{marker}",
                "type": "nulldata",
            },
        }
    )
    base["fee"] = float(f"{max(0, total_in - sum(amounts)) / COIN:.8f}")
    hints = {
        id(base): _(
            "convert BTC to satoshis exactly (btc_to_sats, or round): int() cuts some amounts "
            "down; an OP_RETURN output (nulldata) has no address and the type op_return"
        )
    }
    cores = [*samples, *converted, base]
    rng.shuffle(cores)
    return [Probe((core,), _expected_core(core), hints.get(id(core))) for core in cores]
