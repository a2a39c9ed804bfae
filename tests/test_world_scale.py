"""Scale worlds: background transactions streamed to JSON lines around the same planted case."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from darktrail import addresses
from darktrail import ledger as ledger_tools
from darktrail.world import generate, load_scenario
from darktrail.world.fastaddr import base58check, bech32_segwit_v0

KEY = bytes(32)  # a test course key


def test_fast_encoders_match_the_reference_encoders():
    """Vectorised bech32 and Base58Check give the same strings as darktrail.addresses."""
    payloads = np.random.default_rng(3).integers(0, 256, size=(300, 20), dtype=np.uint8)
    payloads[:5, :2] = 0  # leading zero bytes become leading '1's in Base58
    assert bech32_segwit_v0(payloads) == [addresses.p2wpkh(bytes(p)) for p in payloads]
    assert base58check(0, payloads) == [addresses.p2pkh(bytes(p)) for p in payloads]
    assert base58check(5, payloads) == [addresses.p2sh(bytes(p)) for p in payloads]


def test_scale_world_streams_a_balanced_ledger_holding_the_planted_case(tmp_path):
    """The JSON-lines ledger validates, holds every planted transaction, and is indexed."""
    scenario = load_scenario("tiny").replace("ledger", filler_transactions=3000)
    world = generate(scenario, "t01", KEY)
    out = world.write(tmp_path)
    lines = (out / "ledger" / "transactions.jsonl").read_text().splitlines()
    txs = [json.loads(line) for line in lines]
    planted = json.loads(world.files["ledger/transactions.json"])
    assert len(txs) >= 3000 + len(planted)
    assert {t["txid"] for t in planted} <= {t["txid"] for t in txs}
    assert ledger_tools.validate(txs, require_parents=True) == []
    heights = [t["status"]["block_height"] for t in txs]
    assert heights == sorted(heights)
    for tx in txs[::37]:
        for out_ in tx["vout"]:
            if "scriptpubkey_address" in out_:
                address = out_["scriptpubkey_address"]
                assert addresses.scriptpubkey(address).hex() == out_["scriptpubkey"]
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO((out / "index.csv").read_text()))}
    row = rows["ledger/transactions.jsonl"]
    assert int(row["records"]) == len(txs)
    assert int(row["bytes"]) == (out / "ledger" / "transactions.jsonl").stat().st_size


def test_planted_case_is_the_same_with_or_without_filler():
    """Adding background transactions does not change the planted case."""
    plain = generate("tiny", "t01", KEY)
    scaled = generate(load_scenario("tiny").replace("ledger", filler_transactions=500), "t01", KEY)
    assert scaled.files == plain.files
