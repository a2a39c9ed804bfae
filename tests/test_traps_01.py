"""Assignment 01's traps exist in every trainee's evidence (40 sample trainees).

Each test computes, from the evidence alone, the right method's answer and a known wrong
method's answer (``exercises/01-darkweb-anonymity/answers.py`` holds the right methods) and
asserts that they differ for every trainee: a trainee using the wrong method loses the points.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

from darktrail import onion
from darktrail.world import generate

TRAINEES = [f"qa-{n:02d}" for n in range(1, 41)]
ANSWERS = Path(__file__).resolve().parents[1] / "exercises" / "01-darkweb-anonymity" / "answers.py"


def _answers_module():
    name = "darktrail_answers_01_traps"
    spec = importlib.util.spec_from_file_location(name, ANSWERS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ref = _answers_module()


@pytest.fixture(scope="module")
def worlds():
    return {t: generate("default", t, course_key=bytes(32)) for t in TRAINEES}


def _each(worlds):
    return [(t, w.files, w.truth) for t, w in worlds.items()]


def _prefix(files, compare):
    """{claimed market: longest prefix}, with ``compare(table, market, group)`` giving pairs."""
    table = ref.sightings_of(files)
    return {
        market: max(len(os.path.commonprefix([a, b])) for a, b in compare(table, group))
        for market, group in table.groupby("claimed_market")
    }


def test_longest_prefix_traps(worlds):
    """URLs, rows by position, across markets, mirrors only: each gives another answer."""
    for trainee, files, _truth in _each(worlds):
        right = ref.longest_prefix(files)
        assert right != ref.longest_prefix(files, "url"), trainee
        assert right != ref.longest_prefix(files, distinct=False), trainee
        across = _prefix(
            files, lambda t, g: [(a, b) for a in g["host"] for b in t["host"] if a != b]
        )
        assert right != across, trainee
        mirrors = set().union(*ref.verified_mirrors(files).values())
        mirrors_only = _prefix(
            files,
            lambda t, g, m=mirrors: [
                (a, b) for a in g["host"] for b in g["host"] if b in m and a != b
            ],
        )
        assert right != mirrors_only, trainee
        assert right != {m: 5 for m in right}, trainee


def test_longest_prefix_differs_between_trainees(worlds):
    answers = [tuple(sorted(ref.longest_prefix(w.files).values())) for w in worlds.values()]
    assert len(set(answers)) >= 5


def test_one_address_is_sighted_twice(worlds):
    for trainee, files, _truth in _each(worlds):
        hosts = list(ref.sightings_of(files)["host"])
        assert len(hosts) - len(set(hosts)) >= 1, trainee


def test_an_unsigned_backup_mirror_is_under_one_signature(worlds):
    """Reading the whole file instead of the signed text adds a sighted lookalike."""
    for trainee, files, _truth in _each(worlds):
        right = ref.verified_mirrors(files)
        whole = {
            s: onion.find_onions(ref.text_of(files, f"markets/{s}/mirrors.txt.asc"))
            for s in ref.market_slugs(files)
        }
        assert right != whole, trainee
        extra = set().union(*whole.values()) - set().union(*right.values())
        assert extra and extra <= set(ref.sightings_of(files)["host"]), trainee
        # ... and every list still verifies with its own key only.
        keys = {s: ref.text_of(files, f"markets/{s}/market.asc") for s in right}
        assert all(right.values()), trainee
        first, second = sorted(keys)[:2]
        mirror_list = ref.text_of(files, f"markets/{first}/mirrors.txt.asc")
        assert ref.signed_mirrors(mirror_list, keys[second]) == [], trainee


def test_canary_traps(worlds):
    """An ok canary at exactly 7 days; a stale one with a forged block; a fresh forged one."""
    import datetime as dt

    for trainee, files, _truth in _each(worlds):
        right = ref.canary_status(files)
        assert sorted(right.values()) == ["ok", "stale", "unknown block"], trainee
        # the age limit, the real date, blocks by hash (txids, heights) all change the answer
        assert right != ref.canary_status(files, today=ref.TODAY + dt.timedelta(days=1)), trainee
        assert right != ref.canary_status(files, today=dt.date.today()), trainee
        txids = {tx["txid"] for tx in ref.json.loads(files["ledger/transactions.json"])}
        assert right != ref.canary_status(files, blocks=txids), trainee
        # the stale canary names a block that is not on the chain (order of the checks)
        blocks = ref.known_blocks(files)
        for slug, status in right.items():
            text = ref.text_of(files, f"markets/{slug}/canary.txt.asc")
            block = re.search(r"Latest bitcoin block: \d+ ([0-9a-f]{64})", text).group(1)
            assert (block in blocks) == (status == "ok"), (trainee, slug)
        # the forged fresh block stands at a height the ledger has (check by hash, not height)
        heights = {
            tx["status"]["block_height"] for tx in ref.json.loads(files["ledger/transactions.json"])
        }
        slug = next(s for s, v in right.items() if v == "unknown block")
        text = ref.text_of(files, f"markets/{slug}/canary.txt.asc")
        assert int(re.search(r"Latest bitcoin block: (\d+)", text).group(1)) in heights, trainee


def test_canary_truth_matches_the_evidence(worlds):
    for trainee, files, truth in _each(worlds):
        right = ref.canary_status(files)
        assert {s: m.canary.status for s, m in truth.markets.items()} == right, trainee


def test_bookmarks_hold_a_crawled_phishing_clone(worlds):
    """The page-title and prefix methods call a bookmarked phishing clone genuine.

    Except where the file altered after seizure is notes.txt and the alteration hit the clone's
    address (it is then "invalid"): seized.py decides that, not the markets provider.
    """
    for trainee, files, truth in _each(worlds):
        if truth.seized.altered == "notes/notes.txt":
            continue
        verdicts = ref.bookmark_verdicts(type("Case", (), {"files": files})())
        phishing = [a for a, v in verdicts.items() if v == "phishing"]
        assert phishing, trainee
        crawled = {s.url.split("//")[1].rstrip("/") for s in truth.sites.sites.values()}
        assert set(phishing) & crawled, trainee
        mirrors = set().union(*ref.verified_mirrors(files).values())
        assert any(a[:5] in {m[:5] for m in mirrors} for a in phishing), trainee


def test_tips_hold_every_kind(worlds):
    for trainee, files, _truth in _each(worlds):
        kinds = {ref.classify(t) for t in ref.tips_of(files)}
        assert kinds == {"valid", "bad checksum", "bad length", "not base32", "retired v2"}, trainee
