"""The ground truth as typed records: JSON round trip, stable keys, clear decoding errors."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from functools import cache

import pytest

from darktrail.world import WORLD_VERSION, Truth, TruthError, generate
from darktrail.world.truth import (
    CashOut,
    EncryptedMessage,
    OtcTrade,
    SignedMessage,
    Site,
    json_shape,
)


@cache
def truth(trainee: str | None = "t01", scenario: str = "tiny") -> Truth:
    return generate(scenario, trainee, None if trainee is None else bytes(32)).truth


@pytest.mark.parametrize(("scenario", "trainee"), [("tiny", "t01"), ("default", None)])
def test_json_round_trip_gives_the_same_records(scenario, trainee):
    t = truth(trainee, scenario)
    text = json.dumps(t.to_json(), ensure_ascii=False)
    assert Truth.from_json(json.loads(text)) == t
    assert t.scenario == scenario and t.trainee == trainee


def test_records_are_typed_and_frozen():
    t = truth()
    assert all(isinstance(c, CashOut) for c in t.ledger.cashouts)
    assert all(isinstance(s, Site) for s in t.sites.sites.values())
    kinds = {type(m) for m in t.messages.values()}
    assert kinds == {SignedMessage, EncryptedMessage}
    assert t.vendors[t.suspect].suspect
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.seized.altered = "notes/notes.txt"


def test_json_keys_stay_as_they_were():
    """The JSON keeps its keys: "from" for an OTC seller, absent keys where nothing applies."""
    data = truth().to_json()
    assert {"from", "txid", "address", "sats"} == set(data["ledger"]["otc"][0])
    partial = [c for c in data["ledger"]["cashouts"] if c["via"] == "partial"]
    assert partial and all("fifo_sats" not in c and "entity" not in c for c in partial)
    peel = [c for c in data["ledger"]["cashouts"] if c["via"] == "peel chain"]
    assert all(c["fifo_sats"] == c["sats"] for c in peel)
    assert any("btc" not in s for s in data["sites"]["sites"].values())
    assert all("ssh_host_key" in s for s in data["sites"]["sites"].values())
    assert "filler" not in data and truth().filler is None


def test_write_and_read(tmp_path):
    t = truth()
    path = t.write(tmp_path / "truth.json")
    assert Truth.read(path) == t
    path.write_text("{not json")
    with pytest.raises(TruthError, match="truth.json: not JSON"):
        Truth.read(path)


def _broken(change) -> dict:
    data = copy.deepcopy(truth().to_json())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["ledger"]["cashouts"][2].pop("exchange"),
            r"^truth\.ledger\.cashouts\[2\]: the field 'exchange' of a CashOut is missing$",
        ),
        (
            lambda d: d["ledger"]["peel_chains"][0]["hops"][1].update(sats="12"),
            r"^truth\.ledger\.peel_chains\[0\]\.hops\[1\]\.sats: expected an integer, found '12'$",
        ),
        (
            lambda d: d["markets"][next(iter(d["markets"]))]["canary"].update(block_height=True),
            r"^truth\.markets\['[a-z-]+'\]\.canary\.block_height: expected an integer, found True$",
        ),
        (
            lambda d: d["seized"].update(photo_gps=[1.0, 2.0, 3.0]),
            r"^truth\.seized\.photo_gps: expected 2 items, found 3$",
        ),
        (
            lambda d: d["keys"]["accounts"][next(iter(d["keys"]["accounts"]))].update(owner="x"),
            r"unknown field 'owner' in an AccountKey \(its fields: fingerprint, vendor\)",
        ),
        (
            lambda d: d["messages"].update({"messages/x.txt.asc": {"genuine": True}}),
            r"truth\.messages\['messages/x\.txt\.asc'\]: expected a SignedMessage or an "
            r"EncryptedMessage, found an object with the keys \['genuine'\]",
        ),
        (
            lambda d: d["ledger"].update(coinjoin=[]),
            r"^truth\.ledger\.coinjoin: expected a CoinJoin \(an object\), found \[\]$",
        ),
        (
            lambda d: d["vendors"]["v1"].update(accounts="karagash/redfox"),
            r"^truth\.vendors\['v1'\]\.accounts: expected a list, found 'karagash/redfox'$",
        ),
    ],
)
def test_malformed_records_name_the_field(change, message):
    with pytest.raises(TruthError, match=message):
        Truth.from_json(_broken(change))


def test_optional_parts_may_be_null_or_absent():
    """No CoinJoin (null) and no wallet edit (absent) decode to None and encode back the same."""

    def change(d):
        d["ledger"]["coinjoin"] = None
        del d["seized"]["wallet_edit"]

    data = _broken(change)
    t = Truth.from_json(data)
    assert t.ledger.coinjoin is None and t.seized.wallet_edit is None
    assert t.to_json() == data


#: The truth's JSON shape (hash of :func:`darktrail.world.truth.json_shape`) per world version.
SHAPES = {2: "19b19cd70ceb5ab5"}


def test_a_new_json_shape_needs_a_new_world_version():
    """Changing the truth's keys or types without raising WORLD_VERSION fails here: issued
    answer records keep the old shape, so a new one must be told apart (then regenerate
    ``datasets/`` with ``write_dataset()`` and add the new hash)."""
    shape = hashlib.sha256(json_shape().encode()).hexdigest()[:16]
    assert SHAPES.get(WORLD_VERSION) == shape, (
        f"the truth's JSON shape is {shape}; world version {WORLD_VERSION} has "
        f"{SHAPES.get(WORLD_VERSION)}"
    )


def test_json_shape_follows_the_records():
    assert json_shape(OtcTrade) == "{address: str, from: str, sats: int, txid: str}"
    assert "fifo_sats?: int | null" in json_shape(CashOut)
