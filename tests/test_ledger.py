"""Tests for darktrail.ledger: amounts, Core conversion, tables, graphs, balances, validation."""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from darktrail import addresses as btc
from darktrail.ledger import (
    LedgerError,
    LedgerIndex,
    address_graph,
    address_history,
    balances,
    btc_to_sats,
    from_bitcoin_core,
    inputs_frame,
    outputs_frame,
    sats_to_btc,
    script_asm,
    transaction_graph,
    transactions_frame,
    validate,
)


def txid(label: str) -> str:
    """A fictional txid: the hex SHA-256 of a label."""
    return hashlib.sha256(label.encode()).hexdigest()


def key_hash(label: str) -> bytes:
    return hashlib.new("sha256", label.encode()).digest()[:20]


def out(address: str | None, value: int, kind: str = "v0_p2wpkh") -> dict[str, Any]:
    output = {"scriptpubkey": "", "scriptpubkey_type": kind, "value": value}
    if address is not None:
        output["scriptpubkey_address"] = address
    return output


def spend(parent: dict[str, Any], vout: int) -> dict[str, Any]:
    return {
        "txid": parent["txid"],
        "vout": vout,
        "is_coinbase": False,
        "prevout": parent["vout"][vout],
    }


def tx(label: str, vin: list, vout: list, height: int | None = None, **extra: Any) -> dict:
    status = {"confirmed": False}
    if height is not None:
        status = {
            "confirmed": True,
            "block_height": height,
            "block_hash": txid(f"block-{height}"),
            "block_time": 1_700_000_000 + 600 * (height - 800_000),
        }
    return {"txid": txid(label), "vin": vin, "vout": vout, "status": status, **extra}


def coinbase(label: str, address: str, value: int, height: int) -> dict[str, Any]:
    vin = [{"txid": "0" * 64, "vout": 0xFFFFFFFF, "is_coinbase": True, "prevout": None}]
    return tx(label, vin, [out(address, value)], height)


def shop_ledger() -> list[dict[str, Any]]:
    """A miner pays a shop, the shop pays a vendor and keeps change, all confirmed."""
    mined = coinbase("mined", "miner", 5_000_000, 800_000)
    paid = tx(
        "paid",
        [spend(mined, 0)],
        [out("shop", 4_000_000), out("miner", 999_000)],
        800_001,
        fee=1_000,
    )
    payout = tx(
        "payout",
        [spend(paid, 0)],
        [out("vendor", 3_000_000), out("shop", 999_500)],
        800_002,
        fee=500,
    )
    return [mined, paid, payout]


# --------------------------------------------------------------------------- amounts


def test_sats_to_btc_is_exact():
    """Satoshis become an exact 8-decimal BTC amount; floats are refused."""
    assert sats_to_btc(12_345) == Decimal("0.00012345")
    assert sats_to_btc(np.int64(2_100_000_000_000_000)) == Decimal("21000000.00000000")
    with pytest.raises(ValueError, match="integer"):
        sats_to_btc(0.5)


def test_btc_to_sats_exact_and_strict():
    """BTC amounts convert exactly; sub-satoshi, negative and non-numbers are errors."""
    assert btc_to_sats(Decimal("0.00012345")) == 12_345
    assert btc_to_sats(0.00012345) == 12_345  # a float is read as written
    assert btc_to_sats("20999999.97690000") == 2_099_999_997_690_000
    assert btc_to_sats(3) == 300_000_000
    with pytest.raises(ValueError, match="whole number of satoshis"):
        btc_to_sats(Decimal("0.000123456"))
    with pytest.raises(ValueError, match="non-negative"):
        btc_to_sats("-1")
    with pytest.raises(ValueError, match="not a number"):
        btc_to_sats("lots", where="vout[0].value")
    with pytest.raises(ValueError, match="expected a BTC amount"):
        btc_to_sats(True)


# --------------------------------------------------------------------------- Bitcoin Core

PAYER = btc.p2wpkh(key_hash("payer"))
LEGACY = btc.p2pkh(key_hash("legacy-payer"))
MARKET = btc.p2tr(hashlib.sha256(b"market-deposit").digest())
CHANGE = btc.p2wpkh(key_hash("payer-change"))
PARENT_A = txid("parent-a")
PARENT_B = txid("parent-b")
SPEND = txid("spend")
BLOCK = txid("block-830000")


def spk(address: str) -> str:
    return btc.scriptpubkey(address).hex()


# Fictional `bitcoin-cli getrawtransaction <txid> 2` output (Core 25+ layout, fields as Core
# writes them; hex, desc checksums and signatures shortened: the converter does not read them).
CORE_SAMPLE = (
    """{
  "txid": "SPEND",
  "hash": "SPEND",
  "version": 2,
  "size": 402,
  "vsize": 320,
  "weight": 1278,
  "locktime": 829999,
  "vin": [
    {
      "txid": "PARENT_A",
      "vout": 1,
      "scriptSig": {"asm": "", "hex": ""},
      "txinwitness": ["3044022001", "02aa"],
      "prevout": {
        "generated": false,
        "height": 829990,
        "value": 0.00150000,
        "scriptPubKey": {"asm": "0 ab", "desc": "addr(PAYER)#abcdefgh", "hex": "SPK_PAYER",
                         "address": "PAYER", "type": "witness_v0_keyhash"}
      },
      "sequence": 4294967293
    },
    {
      "txid": "PARENT_B",
      "vout": 0,
      "scriptSig": {"asm": "3044[ALL] 02bb", "hex": "473044"},
      "prevout": {
        "generated": false,
        "height": 829991,
        "value": 0.00012345,
        "scriptPubKey": {"asm": "OP_DUP OP_HASH160 cd OP_EQUALVERIFY OP_CHECKSIG",
                         "desc": "addr(LEGACY)#hgfedcba", "hex": "SPK_LEGACY",
                         "address": "LEGACY", "type": "pubkeyhash"}
      },
      "sequence": 4294967293
    }
  ],
  "vout": [
    {"value": 0.00100000, "n": 0,
     "scriptPubKey": {"asm": "1 ef", "desc": "rawtr(ef)#xxxxxxxx", "hex": "SPK_MARKET",
                      "address": "MARKET", "type": "witness_v1_taproot"}},
    {"value": 0.00058000, "n": 1,
     "scriptPubKey": {"asm": "0 12", "desc": "addr(CHANGE)#yyyyyyyy", "hex": "SPK_CHANGE",
                      "address": "CHANGE", "type": "witness_v0_keyhash"}},
    {"value": 0.00000000, "n": 2,
     "scriptPubKey": {"asm": "OP_RETURN 6461726b", "desc": "raw(6a046461726b)#zzzzzzzz",
                      "hex": "6a046461726b", "type": "nulldata"}}
  ],
  "fee": 0.00004345,
  "hex": "02000000000102",
  "blockhash": "BLOCK",
  "confirmations": 12,
  "time": 1717171717,
  "blocktime": 1717171717
}""".replace("SPK_PAYER", spk(PAYER))
    .replace("SPK_LEGACY", spk(LEGACY))
    .replace("SPK_MARKET", spk(MARKET))
    .replace("SPK_CHANGE", spk(CHANGE))
    .replace("PARENT_A", PARENT_A)
    .replace("PARENT_B", PARENT_B)
    .replace("SPEND", SPEND)
    .replace("BLOCK", BLOCK)
    .replace("PAYER", PAYER)
    .replace("LEGACY", LEGACY)
    .replace("MARKET", MARKET)
    .replace("CHANGE", CHANGE)
)

ESPLORA_EXPECTED = {
    "txid": SPEND,
    "version": 2,
    "locktime": 829999,
    "vin": [
        {
            "txid": PARENT_A,
            "vout": 1,
            "prevout": {
                "scriptpubkey": spk(PAYER),
                "scriptpubkey_asm": f"OP_0 OP_PUSHBYTES_20 {key_hash('payer').hex()}",
                "scriptpubkey_type": "v0_p2wpkh",
                "scriptpubkey_address": PAYER,
                "value": 150_000,
            },
            "scriptsig": "",
            "scriptsig_asm": "",
            "is_coinbase": False,
            "sequence": 4294967293,
            "witness": ["3044022001", "02aa"],
        },
        {
            "txid": PARENT_B,
            "vout": 0,
            "prevout": {
                "scriptpubkey": spk(LEGACY),
                "scriptpubkey_asm": (
                    f"OP_DUP OP_HASH160 OP_PUSHBYTES_20 {key_hash('legacy-payer').hex()} "
                    "OP_EQUALVERIFY OP_CHECKSIG"
                ),
                "scriptpubkey_type": "p2pkh",
                "scriptpubkey_address": LEGACY,
                "value": 12_345,
            },
            "scriptsig": "473044",
            "scriptsig_asm": "OP_PUSHBYTES_71 <push past end>",
            "is_coinbase": False,
            "sequence": 4294967293,
        },
    ],
    "vout": [
        {
            "scriptpubkey": spk(MARKET),
            "scriptpubkey_asm": f"OP_PUSHNUM_1 OP_PUSHBYTES_32 {spk(MARKET)[4:]}",
            "scriptpubkey_type": "v1_p2tr",
            "scriptpubkey_address": MARKET,
            "value": 100_000,
        },
        {
            "scriptpubkey": spk(CHANGE),
            "scriptpubkey_asm": f"OP_0 OP_PUSHBYTES_20 {key_hash('payer-change').hex()}",
            "scriptpubkey_type": "v0_p2wpkh",
            "scriptpubkey_address": CHANGE,
            "value": 58_000,
        },
        {
            "scriptpubkey": "6a046461726b",
            "scriptpubkey_asm": "OP_RETURN OP_PUSHBYTES_4 6461726b",
            "scriptpubkey_type": "op_return",
            "value": 0,
        },
    ],
    "size": 402,
    "weight": 1278,
    "fee": 4_345,
    "status": {
        "confirmed": True,
        "block_height": 830_000,
        "block_hash": BLOCK,
        "block_time": 1717171717,
    },
}


def test_core_sample_addresses_are_real_encodings():
    """The fictional sample uses validly encoded addresses of the types it claims."""
    assert [btc.esplora_type(a) for a in (PAYER, LEGACY, MARKET, CHANGE)] == [
        "v0_p2wpkh",
        "p2pkh",
        "v1_p2tr",
        "v0_p2wpkh",
    ]


def test_core_to_esplora_from_text():
    """JSON text converts to exactly the Esplora transaction, 0.00012345 BTC -> 12345 sat."""
    assert from_bitcoin_core(CORE_SAMPLE, block_height=830_000) == ESPLORA_EXPECTED


def test_core_to_esplora_from_dicts():
    """A dict parsed with Decimal, or even with floats, gives the same exact satoshis."""
    exact = json.loads(CORE_SAMPLE, parse_float=Decimal)
    floats = json.loads(CORE_SAMPLE)
    assert from_bitcoin_core(exact, block_height=830_000) == ESPLORA_EXPECTED
    assert from_bitcoin_core(floats, block_height=830_000) == ESPLORA_EXPECTED


def test_core_conversion_round_trips_through_json_and_the_tracer():
    """The converted transaction survives JSON, balances, and loads into a LedgerIndex."""
    esplora = from_bitcoin_core(CORE_SAMPLE, block_height=830_000)
    assert json.loads(json.dumps(esplora)) == esplora
    assert validate([esplora]) == []
    index = LedgerIndex([esplora])
    assert int(index.in_value.sum()) == int(index.out_value.sum()) + esplora["fee"]
    assert index.external[(PARENT_B, 0)] == 1


def test_core_missing_prevout_names_the_input():
    """Without prevout (Core < 25, verbosity 1) the error names the input and the fix."""
    raw = json.loads(CORE_SAMPLE, parse_float=Decimal)
    del raw["vin"][1]["prevout"]
    with pytest.raises(ValueError, match=r"vin\[1\]\.prevout is missing.*verbosity 2"):
        from_bitcoin_core(raw)


def test_core_prevouts_from_mapping_or_parents():
    """Missing prevouts can come from a mapping or from the parents' own JSON."""
    raw = json.loads(CORE_SAMPLE, parse_float=Decimal)
    original = copy.deepcopy(raw)
    for entry in raw["vin"]:
        del entry["prevout"]
    mapping = {(e["txid"], e["vout"]): e["prevout"] for e in original["vin"]}
    assert from_bitcoin_core(raw, mapping, block_height=830_000) == ESPLORA_EXPECTED
    parent_b = json.dumps(
        {
            "txid": PARENT_B,
            "vout": [
                {
                    "value": 0.00012345,
                    "n": 0,
                    "scriptPubKey": original["vin"][1]["prevout"]["scriptPubKey"],
                }
            ],
        }
    )
    parent_a = {
        "txid": PARENT_A,
        "vout": [
            {"value": Decimal("0.5"), "n": 0, "scriptPubKey": {"hex": "00", "type": "nonstandard"}},
            {
                "value": Decimal("0.0015"),
                "n": 1,
                "scriptPubKey": original["vin"][0]["prevout"]["scriptPubKey"],
            },
        ],
    }
    assert from_bitcoin_core(raw, [parent_a, parent_b], block_height=830_000) == ESPLORA_EXPECTED


def test_core_missing_field_is_named():
    """A missing field is a ValueError naming it and where it was expected."""
    raw = json.loads(CORE_SAMPLE, parse_float=Decimal)
    del raw["vout"][1]["scriptPubKey"]["hex"]
    with pytest.raises(ValueError, match=r"vout\[1\]\.scriptPubKey: field 'hex' is missing"):
        from_bitcoin_core(raw)
    raw = json.loads(CORE_SAMPLE, parse_float=Decimal)
    del raw["vin"][0]["prevout"]["value"]
    with pytest.raises(ValueError, match=r"vin\[0\]\.prevout: field 'value' is missing"):
        from_bitcoin_core(raw)
    with pytest.raises(ValueError, match="not valid JSON"):
        from_bitcoin_core("{not json")


def test_core_sub_satoshi_amount_rejected():
    """An amount with 9 decimals cannot be satoshis and is refused, naming the field."""
    raw = json.loads(CORE_SAMPLE, parse_float=Decimal)
    raw["vout"][0]["value"] = Decimal("0.000000001")
    with pytest.raises(ValueError, match=r"vout\[0\]\.value"):
        from_bitcoin_core(raw)


def test_core_coinbase_and_unconfirmed():
    """A coinbase input becomes is_coinbase with no prevout; no blockhash means unconfirmed."""
    raw = {
        "txid": txid("coinbase"),
        "version": 2,
        "locktime": 0,
        "size": 150,
        "weight": 492,
        "vin": [{"coinbase": "03f0a60c", "txinwitness": ["00" * 32], "sequence": 4294967295}],
        "vout": [
            {
                "value": Decimal("3.125"),
                "n": 0,
                "scriptPubKey": {"hex": spk(PAYER), "address": PAYER, "type": "witness_v0_keyhash"},
            }
        ],
    }
    esplora = from_bitcoin_core(raw)
    assert esplora["vin"][0]["is_coinbase"] and esplora["vin"][0]["prevout"] is None
    assert esplora["vin"][0]["scriptsig"] == "03f0a60c"
    assert esplora["vin"][0]["scriptsig_asm"] == "OP_PUSHBYTES_3 f0a60c"
    assert esplora["vout"][0]["value"] == 312_500_000
    assert esplora["fee"] == 0
    assert esplora["status"] == {"confirmed": False}


DATASET = Path(__file__).resolve().parents[1] / "datasets" / "default" / "ledger"


def test_core_samples_of_the_default_world_convert_exactly():
    """The world's getrawtransaction samples convert to exactly its Esplora transactions."""
    samples = sorted(DATASET.glob("getrawtransaction_*.json"))
    if not samples or not (DATASET / "transactions.json").exists():
        pytest.skip("no default dataset with Bitcoin Core samples")
    esplora = {t["txid"]: t for t in json.loads((DATASET / "transactions.json").read_text())}
    for path in samples:
        raw = path.read_text()
        expected = esplora[json.loads(raw)["txid"]]
        height = expected["status"]["block_height"]
        assert from_bitcoin_core(raw, block_height=height) == expected, path.name


def test_script_asm_pushdata_and_unknown_opcodes():
    """PUSHDATA1, small numbers and undefined opcodes disassemble as Esplora prints them."""
    assert script_asm("4c03aabbcc51ae") == "OP_PUSHDATA1 aabbcc OP_PUSHNUM_1 OP_CHECKMULTISIG"
    assert script_asm("bb00") == "OP_RETURN_187 OP_0"
    assert script_asm("") == ""
    assert script_asm("4c") == "OP_PUSHDATA1 <push past end>"
    with pytest.raises(ValueError, match="not hex"):
        script_asm("zz")


# --------------------------------------------------------------------------- tables


def test_inputs_frame_rows_and_types():
    """One row per input; int64 values; a coinbase input has value 0 and no address."""
    frame = inputs_frame(shop_ledger())
    assert list(frame.columns) == [
        "txid",
        "index",
        "prev_txid",
        "prev_vout",
        "address",
        "type",
        "value",
        "block_time",
        "is_coinbase",
    ]
    assert frame["value"].dtype == np.int64
    assert frame["is_coinbase"].tolist() == [True, False, False]
    assert frame["value"].tolist() == [0, 5_000_000, 4_000_000]
    assert frame["address"].isna().tolist() == [True, False, False]
    assert str(frame["block_time"].dt.tz) == "UTC"
    assert frame.loc[1, "block_time"] == pd.Timestamp("2023-11-14 22:23:20", tz="UTC")


def test_outputs_frame_spent_by():
    """Each output names the ledger transaction spending it, or is NA when unspent."""
    txs = shop_ledger()
    frame = outputs_frame(txs)
    assert frame["value"].dtype == np.int64
    assert frame.loc[0, "spent_by"] == txs[1]["txid"]
    assert frame.loc[1, "spent_by"] == txs[2]["txid"]
    assert frame["spent_by"].isna().tolist() == [False, False, True, True, True]


def test_transactions_frame_totals_and_fee():
    """Totals per transaction; fee from the field, else inputs minus outputs, 0 for coinbase."""
    txs = shop_ledger()
    del txs[2]["fee"]
    frame = transactions_frame(txs)
    assert frame[["n_in", "n_out", "in_value", "out_value", "fee"]].values.tolist() == [
        [1, 1, 0, 5_000_000, 0],
        [1, 2, 5_000_000, 4_999_000, 1_000],
        [1, 2, 4_000_000, 3_999_500, 500],
    ]
    assert frame["is_coinbase"].tolist() == [True, False, False]
    assert frame["block_height"].tolist() == [800_000, 800_001, 800_002]


def test_frames_of_empty_ledger():
    """An empty ledger gives empty tables with the same columns."""
    assert inputs_frame([]).empty and outputs_frame([]).empty and transactions_frame([]).empty
    assert "spent_by" in outputs_frame([]).columns


# --------------------------------------------------------------------------- graphs


def test_transaction_graph_edges():
    """Edges go parent -> child with the value of the spent outputs."""
    txs = shop_ledger()
    graph = transaction_graph(txs)
    ids = [t["txid"] for t in txs]
    assert list(graph.edges) == [(ids[0], ids[1]), (ids[1], ids[2])]
    assert graph.edges[ids[1], ids[2]] == {"value": 4_000_000, "vouts": [0]}
    assert graph.nodes[ids[2]]["block_height"] == 800_002


def test_address_graph_values_and_self_loops():
    """Address edges carry payments; change back to the payer is a self-loop."""
    graph = address_graph(shop_ledger())
    assert graph.edges["shop", "vendor"]["value"] == 3_000_000
    assert graph.edges["shop", "shop"]["value"] == 999_500
    assert graph.edges["miner", "shop"]["n_tx"] == 1
    assert "miner" in graph and not graph.has_edge("vendor", "shop")


# --------------------------------------------------------------------------- balances


def test_address_history_running_balance():
    """History lists received, sent and the running balance in block order."""
    txs = shop_ledger()
    history = address_history(txs[::-1], "shop")
    assert history["txid"].tolist() == [txs[1]["txid"], txs[2]["txid"]]
    assert history[["received", "sent", "delta", "balance"]].values.tolist() == [
        [4_000_000, 0, 4_000_000, 4_000_000],
        [999_500, 4_000_000, -3_000_500, 999_500],
    ]
    assert history["block_height"].tolist() == [800_001, 800_002]


def test_balances_of_a_wallet():
    """Balances per address, and the wallet total is their sum."""
    frame = balances(shop_ledger(), ["shop", "miner", "vendor"])
    assert frame.index.tolist() == ["shop", "miner", "vendor"]
    assert frame["balance"].to_dict() == {"shop": 999_500, "miner": 999_000, "vendor": 3_000_000}
    assert frame.loc["miner", "received"] == 5_999_000 and frame.loc["miner", "n_tx"] == 2
    assert frame["balance"].sum() == 5_000_000 - 1_000 - 500
    assert frame.loc["shop", "first_seen"] < frame.loc["shop", "last_seen"]


def test_balances_unknown_address_is_an_error():
    """An address absent from the ledger (often a typo) raises, naming it."""
    with pytest.raises(ValueError, match="'shpo' does not appear"):
        balances(shop_ledger(), ["shop", "shpo"])


def test_history_of_unconfirmed_transaction():
    """An unconfirmed transaction comes last, with NA height and NaT time."""
    txs = shop_ledger()
    txs.append(tx("pending", [spend(txs[2], 0)], [out("fence", 2_999_000)], fee=1_000))
    history = address_history(txs, "vendor")
    assert history["block_height"].isna().tolist() == [False, True]
    assert history["block_time"].isna().tolist() == [False, True]
    assert history["balance"].tolist() == [3_000_000, 0]


# --------------------------------------------------------------------------- validation


def test_validate_sane_ledger():
    """A consistent ledger has no problems."""
    assert validate(shop_ledger()) == []


def test_validate_catches_double_spend_and_unbalanced():
    """A double spend and an unbalanced transaction are both reported with their txids."""
    txs = shop_ledger()
    thief = tx("again", [spend(txs[1], 0)], [out("thief", 3_900_000)], 800_003, fee=100_000)
    txs.append(thief)
    txs[1]["fee"] = 2_000
    problems = validate(txs)
    assert problems == [
        f"tx {txs[1]['txid']}: inputs 5000000 sat != outputs 4999000 + fee 2000",
        f"tx {thief['txid']}: spends {txs[1]['txid']}:0, already spent by {txs[2]['txid']} "
        "(double spend)",
    ]


def test_validate_catches_bad_amounts_and_references():
    """Negative or float values, outputs above inputs and missing outputs are reported."""
    txs = shop_ledger()
    txs[2]["vout"][0]["value"] = -5
    txs[1]["vout"][1]["value"] = 999.0
    ghost = dict(spend(txs[0], 0), vout=7)
    greedy = tx("greedy", [ghost], [out("x", 10**9)], 800_004)
    problems = validate(txs + [greedy])
    assert any("vout[0] value -5 is not a sat amount" in p for p in problems)
    assert any("vout[1] value 999.0 is not a sat amount" in p for p in problems)
    assert any(f"tx {greedy['txid']}: vin[0] spends {txs[0]['txid']}:7" in p for p in problems)
    assert any(f"tx {greedy['txid']}: outputs 1000000000 sat exceed inputs" in p for p in problems)


def test_validate_prevout_mismatch_and_parents():
    """A prevout disagreeing with its output, and (optionally) a missing parent, are reported."""
    txs = shop_ledger()
    txs[2]["vin"][0] = dict(txs[2]["vin"][0], prevout=out("shop", 4_100_000))
    assert any("prevout does not match" in p for p in validate(txs))
    orphan = tx("orphan", [spend(tx("elsewhere", [], [out("a", 10)]), 0)], [out("b", 10)])
    assert validate([orphan]) == []
    assert "not in the ledger" in validate([orphan], require_parents=True)[0]


def test_validate_can_raise_with_all_problems():
    """raise_errors=True raises a LedgerError listing every problem."""
    txs = shop_ledger()
    txs[1]["fee"] = 1
    txs[2]["fee"] = 1
    with pytest.raises(LedgerError, match="2 ledger problem") as caught:
        validate(txs, raise_errors=True)
    assert len(caught.value.problems) == 2


# --------------------------------------------------------------------------- index


def test_index_refuses_double_spend_and_bad_references():
    """The index names a double spend, a missing output and a duplicate txid."""
    txs = shop_ledger()
    twice = tx("twice", [spend(txs[1], 0)], [out("x", 1)], 800_009)
    with pytest.raises(ValueError, match="double spend.*is spent by"):
        LedgerIndex(txs + [twice])
    ghost = tx("ghost", [dict(spend(txs[1], 0), vout=9)], [out("x", 1)])
    with pytest.raises(ValueError, match="does not have"):
        LedgerIndex(txs + [ghost])
    with pytest.raises(ValueError, match="appears twice"):
        LedgerIndex(txs + [txs[0]])


def test_index_refuses_float_amounts_and_missing_prevout():
    """Float amounts and inputs without prevout are clear errors."""
    txs = shop_ledger()
    txs[1]["vout"][0]["value"] = 4e6
    with pytest.raises(ValueError, match="not an integer number of satoshis"):
        LedgerIndex(txs)
    txs = shop_ledger()
    txs[2]["vin"][0]["prevout"] = None
    with pytest.raises(ValueError, match=r"vin\[0\] has no prevout"):
        LedgerIndex(txs)
    with pytest.raises(ValueError, match="not an Esplora transaction"):
        LedgerIndex([{"hash": "x"}])


def test_index_rank_puts_parents_first():
    """Ranks follow block height, and a child listed before its parent still comes after."""
    txs = shop_ledger()
    for t in txs:
        t["status"] = {"confirmed": False}
    index = LedgerIndex([txs[2], txs[0], txs[1]])
    assert index.rank.tolist() == [2, 0, 1]


def test_index_refuses_spending_cycle():
    """Two transactions spending each other cannot be ordered and are refused."""
    a = {"txid": txid("a"), "vin": [], "vout": [out("x", 5)]}
    b = {"txid": txid("b"), "vin": [spend(a, 0)], "vout": [out("y", 5)]}
    a["vin"] = [spend(b, 0)]
    with pytest.raises(ValueError, match="cycle"):
        LedgerIndex([a, b])
