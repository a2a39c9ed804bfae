"""The discriminating cases of 04-blockchain-basics exist in every trainee's evidence.

Each wrong method that ``exercises/04-blockchain-basics/answers.py`` names must meet, in the
evidence of each of 40 sample trainees, a case where it gives another answer than the right
method. World generation is slow (~0.4 s), so each world is made once for the module.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from darktrail.ledger import btc_to_sats
from darktrail.world import generate

TRAINEES = [f"qa-{n:02d}" for n in range(1, 41)]


class Evidence:
    """One trainee's ledger, seized export and the wallet the task finds from them."""

    def __init__(self, trainee: str) -> None:
        world = generate("default", trainee, course_key=bytes(32))
        self.truth = world.truth
        self.txs = json.loads(world.files["ledger/transactions.json"])
        self.by_id = {tx["txid"]: tx for tx in self.txs}
        text = pd.read_csv(
            io.BytesIO(world.files["seized/wallet/electrum_history.csv"]), dtype={"value": str}
        )
        self.export = [
            (t, (-1 if v.startswith("-") else 1) * btc_to_sats(v.lstrip("+-")), v)
            for t, v in zip(text["transaction_hash"], text["value"], strict=True)
        ]
        sent = {t for t, sats, _ in self.export if sats < 0}
        self.wallet = {
            i["prevout"]["scriptpubkey_address"]
            for t in sent
            for i in self.by_id[t]["vin"]
            if not i["is_coinbase"]
        }

    def wallet_inputs(self, tx: dict) -> list[dict]:
        return [
            i
            for i in tx["vin"]
            if not i["is_coinbase"] and i["prevout"]["scriptpubkey_address"] in self.wallet
        ]

    def delta(self, tx: dict) -> int:
        received = sum(
            o["value"] for o in tx["vout"] if o.get("scriptpubkey_address") in self.wallet
        )
        return received - sum(i["prevout"]["value"] for i in self.wallet_inputs(tx))

    def touching(self) -> list[dict]:
        return [
            tx
            for tx in self.txs
            if self.wallet_inputs(tx)
            or any(o.get("scriptpubkey_address") in self.wallet for o in tx["vout"])
        ]


@pytest.fixture(scope="module")
def worlds():
    return {t: Evidence(t) for t in TRAINEES}


@pytest.mark.parametrize("trainee", TRAINEES)
def test_export_has_one_edited_receipt(worlds, trainee):
    """Trusting the export loses: one receipt understated, int() cuts it; the rest is right."""
    e = worlds[trainee]
    chain = {tx["txid"]: e.delta(tx) for tx in e.touching()}
    assert {t for t, _, _ in e.export} == set(chain), "the export lists the wallet's txs"
    wrong = [(t, sats, text) for t, sats, text in e.export if sats != chain[t]]
    assert len(wrong) == 1
    txid, sats, text = wrong[0]
    assert 0 < sats <= chain[txid] - 100_000, "a receipt, understated by >= 0.001 BTC"
    assert int(float(text) * 100_000_000) != sats, "int(btc * 1e8) cuts the edited row"
    assert e.truth.seized.wallet_edit.txid == txid


@pytest.mark.parametrize("trainee", TRAINEES)
def test_export_still_starts_the_money_trail(worlds, trainee):
    """05 and 07 start the peel chain from the export's first outgoing row: it is untouched."""
    e = worlds[trainee]
    first_out = next(t for t, sats, _ in e.export if sats < 0)
    assert first_out == e.truth.ledger.peel_chains[0].start_txid
    assert all(sats == e.delta(e.by_id[t]) for t, sats, _ in e.export if sats < 0)


@pytest.mark.parametrize("trainee", TRAINEES)
def test_wallet_traps(worlds, trainee):
    """First input only, 'first' delta, once-per-input fees, change and payers all differ."""
    e = worlds[trainee]
    consolidation = e.by_id[next(t for t, sats, _ in e.export if sats < 0)]
    assert len({i["prevout"]["scriptpubkey_address"] for i in consolidation["vin"]}) >= 2
    paid_from = [tx for tx in e.txs if e.wallet_inputs(tx)]
    change = sum(
        o["value"]
        for tx in paid_from
        for o in tx["vout"]
        if o.get("scriptpubkey_address") in e.wallet
    )
    assert change > 0, "change comes back to the wallet"
    receipts = [e.by_id[t] for t, sats, _ in e.export if sats > 0]
    payers = {i["prevout"]["scriptpubkey_address"] for tx in receipts for i in tx["vin"]}
    assert payers - e.wallet, "the payers of receipts are not the wallet"
    assert sum(tx["fee"] for tx in receipts) > 0, "incoming transactions have fees too"
    assert len(paid_from) >= 2


@pytest.mark.parametrize("trainee", TRAINEES)
def test_ledger_traps(worlds, trainee):
    """Coinbases, multi-output and partly spent transactions, reused addresses."""
    e = worlds[trainee]
    assert any(tx["vin"][0]["is_coinbase"] for tx in e.txs)
    assert any(len(tx["vout"]) >= 2 for tx in e.txs)
    spent = {(i["txid"], i["vout"]) for tx in e.txs for i in tx["vin"]}
    outputs = [(tx["txid"], n, o) for tx in e.txs for n, o in enumerate(tx["vout"])]
    unspent = {(t, n) for t, n, _ in outputs if (t, n) not in spent}
    by_txid = {(t, n) for t, n, _ in outputs if t not in {p for p, _ in spent}}
    assert by_txid != unspent, "spent-by-txid-only differs"
    inputs_addresses = {
        i["prevout"]["scriptpubkey_address"] for tx in e.txs for i in tx["vin"] if i["prevout"]
    }
    by_address = {
        (t, n) for t, n, o in outputs if o.get("scriptpubkey_address") not in inputs_addresses
    }
    assert by_address != unspent, "spent-by-address differs"
    assert any(
        len({i["vout"] for i in tx["vin"]}) > 1
        or any(i["vout"] != k for k, i in enumerate(tx["vin"]))
        for tx in e.txs
        if not tx["vin"][0]["is_coinbase"]
    ), "an input's position differs from the output it spends"
