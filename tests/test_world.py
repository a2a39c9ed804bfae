"""The synthetic world: determinism, per-trainee answers, valid encodings, a balanced ledger."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from functools import lru_cache

import pytest

from darktrail import addresses, onion, trace
from darktrail import ledger as ledger_tools
from darktrail.world import World, generate, load_scenario, write_evidence
from darktrail.world.truth import SignedMessage

ONION = re.compile(r"\b[a-z2-7]{56}\.onion\b")
BECH32 = re.compile(r"\bbc1[02-9ac-hj-np-z]{11,87}\b")
BASE58 = re.compile(r"(?<![A-Za-z0-9+/])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9+/=])")
ARMOR = re.compile(r"-----BEGIN PGP [A-Z ]+-----.*?-----END PGP [A-Z ]+-----", re.S)


@lru_cache(maxsize=8)
def world(trainee: str | None = "t01", scenario: str = "tiny") -> World:
    return generate(scenario, trainee, course_key=None if trainee is None else bytes(32))


def texts(w: World):
    for path, data in w.files.items():
        if not path.endswith((".jpg", ".mp4")):
            yield path, data.decode("utf-8")


def transactions(w: World) -> list[dict]:
    return json.loads(w.files["ledger/transactions.json"])


def test_same_scenario_and_trainee_give_identical_bytes():
    """Two runs for the same scenario and trainee produce byte-identical evidence."""
    again = generate("tiny", "t01", course_key=bytes(32))
    assert again.files == world().files
    assert again.truth == world().truth


def test_two_trainees_get_different_answers():
    """Another trainee gets the same structure but different addresses, names and answers."""
    a, b = world("t01"), world("t02")
    assert {p.split("/")[0] for p in a.files} == {p.split("/")[0] for p in b.files}
    assert set(a.truth.ledger.addresses).isdisjoint(b.truth.ledger.addresses)
    assert a.truth.ledger.coinjoin.txid != b.truth.ledger.coinjoin.txid
    assert a.truth.markets != b.truth.markets
    worlds = [generate("tiny", f"t{n:02d}", course_key=bytes(32)) for n in range(8)]
    assert len({w.truth.seized.altered for w in worlds}) > 1
    clones = {
        tuple(sorted(s for s, t in w.truth.sites.sites.items() if t.kind == "phishing clone"))
        for w in worlds
    }
    assert len(clones) > 1
    assert len({w.truth.vendors["v1"].accounts[0].handle for w in worlds}) > 1


def test_shared_world_is_the_trainee_none_world():
    """trainee=None is the shared default world, distinct from any trainee's."""
    assert generate("tiny").files == world(None).files
    assert world(None).files != world("t01").files


def test_every_bitcoin_address_in_the_evidence_parses():
    """Every Base58Check and bech32 address found in the evidence is valid, but the decoys the
    sites plant on purpose (a mistyped address, a good checksum with a wrong version byte),
    which must not parse."""
    found = set()
    w = world()
    decoys = {d for site in w.truth.sites.sites.values() for d in site.btc_decoys or ()}
    assert decoys
    for path, text in texts(w):
        text = ARMOR.sub("", text)
        for match in BECH32.findall(text) + BASE58.findall(text):
            if path.startswith("ledger/getrawtransaction") and not match.startswith("bc1"):
                continue  # hex in Core samples is not an address
            if match in decoys:
                with pytest.raises(ValueError):
                    addresses.parse(match)
                continue
            addresses.parse(match)
            found.add(match)
    assert len(found) > 100


def test_ledger_addresses_match_their_scripts():
    """Each output's address, scriptPubKey and type agree, as darktrail.addresses computes them."""
    for tx in transactions(world()):
        for out in tx["vout"] + [i["prevout"] for i in tx["vin"] if i["prevout"]]:
            if "scriptpubkey_address" not in out:
                assert out["scriptpubkey_type"] == "op_return"
                continue
            address = out["scriptpubkey_address"]
            assert addresses.scriptpubkey(address).hex() == out["scriptpubkey"]
            assert addresses.esplora_type(address) == out["scriptpubkey_type"]


def test_every_onion_address_is_valid_v3():
    """Every onion address in the evidence parses as a v3 address with a valid checksum."""
    found = set()
    for _, text in texts(world()):
        found.update(ONION.findall(text))
    for address in found:
        assert onion.parse(address).version == 3
    assert len(found) >= 8


def test_phishing_clones_share_a_mirror_prefix():
    """Each phishing clone's address starts like the mirror it imitates, and is not it."""
    sites = world().truth.sites.sites
    clones = [s for s in sites.values() if s.kind == "phishing clone"]
    n = load_scenario("tiny")["markets"]["lookalike_prefix"]
    assert clones
    for clone in clones:
        host = clone.url.split("//")[1].rstrip("/")
        assert host[:n] == clone.imitates[:n] and host != clone.imitates


def test_ledger_balances():
    """Inputs = outputs + fee, nothing spent twice, nothing negative, every parent present."""
    txs = transactions(world("t01", "default"))
    assert ledger_tools.validate(txs, require_parents=True) == []
    for tx in txs:
        assert all(out["value"] >= 0 for out in tx["vout"])
        if not tx["vin"][0]["is_coinbase"]:
            assert tx["fee"] > 0


def test_ledger_txids_are_double_sha256_of_the_serialisation():
    """The Core sample's hex hashes to its txid and converts back to the Esplora transaction."""
    w = world()
    txs = {tx["txid"]: tx for tx in transactions(w)}
    samples = [p for p in w.files if p.startswith("ledger/getrawtransaction_")]
    assert samples
    for path in samples:
        core = json.loads(w.files[path])
        raw = bytes.fromhex(core["hex"])
        assert hashlib.sha256(hashlib.sha256(raw).digest()).digest()[::-1].hex() == core["hash"]
        converted = ledger_tools.from_bitcoin_core(
            w.files[path].decode(), block_height=txs[core["txid"]]["status"]["block_height"]
        )
        original = txs[core["txid"]]
        assert converted["fee"] == original["fee"]
        assert [o["value"] for o in converted["vout"]] == [o["value"] for o in original["vout"]]


def test_planted_coinjoin_obeys_the_equal_output_rule():
    """The one planted CoinJoin is the only transaction the equal-output rule flags."""
    w = world("t01", "default")
    assert trace.coinjoins(transactions(w)) == [w.truth.ledger.coinjoin.txid]


def test_change_goes_to_fresh_addresses_of_the_input_type():
    """Every change output pays a never-seen address of an input's script type."""
    w = world()
    roles = w.truth.ledger.addresses
    dust = w.truth.ledger.dust.txid
    seen: set[str] = set()
    for tx in transactions(w):
        if tx["txid"] == dust:
            continue  # dust is sent on purpose to addresses already used
        for out in tx["vout"]:
            address = out.get("scriptpubkey_address")
            if address and roles[address].role == "change":
                assert address not in seen
                types = {i["prevout"]["scriptpubkey_type"] for i in tx["vin"]}
                assert out["scriptpubkey_type"] in types
            seen.add(address)


def test_peel_chain_hops_have_one_input_and_two_outputs():
    """Each planted peel-chain hop spends one output into a payment and a change."""
    w = world()
    txs = {tx["txid"]: tx for tx in transactions(w)}
    for chain in w.truth.ledger.peel_chains:
        for hop in chain.hops:
            tx = txs[hop.txid]
            assert len(tx["vin"]) == 1 and len(tx["vout"]) == 2
            assert hop.sats in [o["value"] for o in tx["vout"]]


def test_canary_names_a_block_of_the_ledger():
    """Each canary names a block of the ledger exactly when the truth says it does (some
    canaries name a made-up block on purpose: an unknown block means the canary is not fresh)."""
    w = world()
    blocks = {tx["status"]["block_hash"] for tx in transactions(w)}
    for slug, market in w.truth.markets.items():
        text = w.files[f"markets/{slug}/canary.txt.asc"].decode()
        named = re.search(r"block: \d+ ([0-9a-f]{64})", text).group(1)
        assert (named in blocks) == market.canary.block_on_chain, slug
    assert not all(m.canary.block_on_chain for m in w.truth.markets.values())


def test_seized_manifest_has_exactly_one_mismatch_named_in_truth():
    """Exactly one seized file no longer matches its manifest hash: the one the truth names."""
    w = world()
    rows = list(csv.DictReader(io.StringIO(w.files["seized/manifest.csv"].decode())))
    assert {r["path"] for r in rows} == {
        p.removeprefix("seized/") for p in w.files if p.startswith("seized/")
    } - {"manifest.csv"}
    bad = [
        r["path"]
        for r in rows
        if hashlib.sha256(w.files["seized/" + r["path"]]).hexdigest() != r["sha256"]
    ]
    assert bad == [w.truth.seized.altered]
    assert all(int(r["bytes"]) == len(w.files["seized/" + r["path"]]) for r in rows)


def test_index_lists_every_other_file_with_its_size():
    """index.csv has one row per evidence file except itself, with the exact byte count."""
    w = world()
    rows = list(csv.DictReader(io.StringIO(w.files["index.csv"].decode())))
    assert {r["path"] for r in rows} == set(w.files) - {"index.csv"}
    for r in rows:
        assert int(r["bytes"]) == len(w.files[r["path"]])
        assert r["category"] in {"briefing", "markets", "keys", "listings", "sites", "ledger",
                                 "seized", "messages"}  # fmt: skip


def test_no_truth_file_or_label_column_in_the_evidence():
    """The evidence holds no ground-truth file and no CSV column that gives answers away."""
    w = world()
    assert not [p for p in w.files if "truth" in p.lower()]
    labels = {"label", "kind", "entity", "operator", "genuine", "forged", "phishing", "altered",
              "is_phishing", "truth", "role", "owner"}  # fmt: skip
    for path, data in w.files.items():
        if path.endswith(".csv"):
            header = set(data.decode().splitlines()[0].split(","))
            assert not header & labels, path
    entity_ids = {"x1/deposit", "m1/escrow", '"role"', '"entity"'}
    for _, text in texts(w):
        assert not any(e in text for e in entity_ids)


def test_seized_photo_exif_has_the_truth_gps():
    """The seized photo's EXIF GPS is readable and matches the ground truth."""
    from PIL import Image

    w = world()
    path = next(p for p in w.files if p.startswith("seized/photos/"))
    image = Image.open(io.BytesIO(w.files[path]))
    gps = image.getexif().get_ifd(0x8825)
    lat = sum(float(v) / 60**i for i, v in enumerate(gps[2]))
    assert abs(lat - abs(w.truth.seized.photo_gps[0])) < 1e-3


def test_listings_use_the_scenario_vocabulary():
    """Listings use only the scenario's categories, currencies and cities; prices are positive."""
    scenario = load_scenario("default")
    rows = list(
        csv.DictReader(io.StringIO(world("t01", "default").files["listings/listings.csv"].decode()))
    )
    assert len(rows) == scenario["listings"]["count"]
    for r in rows:
        assert r["category"] in scenario["listings"]["categories"]
        assert r["currency"] in scenario["listings"]["currencies"]
        assert r["city"] in scenario["listings"]["cities"]
        assert float(r["price"]) > 0
    new = scenario["listings"]["categories"][-1]
    first_new = min(r["listed_at"] for r in rows if r["category"] == new)
    assert first_new > str(scenario.start)


def test_write_and_truth_stay_apart(tmp_path):
    """write_evidence writes exactly the files; the truth is refused inside the evidence folder."""
    out = tmp_path / "evidence"
    w = write_evidence("tiny", "t01", out, truth=tmp_path / "truth.json", course_key=bytes(32))
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == w.files
    assert json.loads((tmp_path / "truth.json").read_text())["trainee"] == "t01"
    with pytest.raises(ValueError, match="must not be written inside"):
        write_evidence("tiny", "t01", out, truth=out / "truth.json", course_key=bytes(32))


# --- signatures, checked by GnuPG itself ---------------------------------------------------

needs_gpg = pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg not installed")


def _gpg(home, *args, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", "--no-tty", "--quiet", *args],
        input=data, capture_output=True, check=False, timeout=60,
    )  # fmt: skip


def _verifies(tmp_path, name: str, key: bytes, message: bytes) -> bool:
    home = tmp_path / name
    home.mkdir(mode=0o700)
    assert _gpg(home, "--import", data=key).returncode == 0
    return _gpg(home, "--verify", data=message).returncode == 0


@needs_gpg
def test_gpg_accepts_genuine_and_rejects_forged_messages(tmp_path):
    """gpg verifies every genuine message against the vendor's key and rejects every forgery."""
    w = world("t01", "default")
    truth = w.truth.messages
    keys = w.truth.keys.accounts
    by_fpr = {}
    for account, info in keys.items():
        by_fpr.setdefault(info.vendor, w.files[f"keys/{account}.asc"])
    kinds = Counter()
    for n, (path, info) in enumerate(sorted(truth.items())):
        if not isinstance(info, SignedMessage):
            continue
        ok = _verifies(tmp_path, f"m{n}", by_fpr[info.claimed_vendor], w.files[path])
        assert ok == info.genuine, path
        kinds[info.kind] += 1
    assert kinds["genuine"] and kinds["edited"] and kinds["impostor"]


@needs_gpg
def test_gpg_verifies_mirror_lists_and_canaries(tmp_path):
    """Each market's mirror list and canary verify with gpg against the market's key."""
    w = world()
    for n, slug in enumerate(w.truth.markets):
        key = w.files[f"markets/{slug}/market.asc"]
        for doc in ("mirrors", "canary"):
            assert _verifies(tmp_path, f"{doc}{n}", key, w.files[f"markets/{slug}/{doc}.txt.asc"])


@needs_gpg
def test_gpg_decrypts_the_message_with_the_seized_secret_key(tmp_path):
    """The encrypted message decrypts with gpg using the secret key found in seized/."""
    w = world()
    home = tmp_path / "dec"
    home.mkdir(mode=0o700)
    secret = next(d for p, d in w.files.items() if p.endswith("_secret.asc"))
    assert _gpg(home, "--import", data=secret).returncode == 0
    result = _gpg(home, "--decrypt", data=w.files["messages/encrypted_01.msg.asc"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == w.truth.messages["messages/encrypted_01.msg.asc"].plaintext


def test_short_key_id_collision_between_two_different_keys():
    """One vendor's key and an impostor's forum key share a short key ID, not a fingerprint."""
    collision = world().truth.keys.collision
    assert collision.genuine[-8:] == collision.impostor[-8:] == collision.short_key_id
    assert collision.genuine != collision.impostor


def test_some_vendor_reuses_one_key_under_different_names():
    """At least one fingerprint is published under two different handles."""
    handles: dict[str, set[str]] = {}
    for account, info in world().truth.keys.accounts.items():
        handles.setdefault(info.fingerprint, set()).add(account.split("/")[1])
    assert any(len(h) > 1 for h in handles.values())
