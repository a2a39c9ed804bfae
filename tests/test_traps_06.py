"""Assignment 06's planted cases exist in every trainee's world (40 sample trainees).

Each test names the wrong method the case exposes (see exercises/06-market-intelligence/answers.py).
"""

from __future__ import annotations

import difflib
import io
import itertools

import pandas as pd
import pytest

from darktrail import pgp
from darktrail.world import generate

TRAINEES = [f"qa-{n:02d}" for n in range(1, 41)]


def _core(handle: str) -> str:
    text = handle.lower()
    for separator in "_-. ":
        text = text.replace(separator, "")
    return text.rstrip("0123456789")


@pytest.fixture(scope="module")
def worlds() -> dict:
    found = {}
    for trainee in TRAINEES:
        world = generate("default", trainee, course_key=bytes(32))
        listings = pd.read_csv(
            io.BytesIO(world.files["listings/listings.csv"]), parse_dates=["listed_at"]
        )
        keys = {
            path[len("keys/") : -len(".asc")]: pgp.read_key(data.decode("ascii")).fingerprint
            for path, data in world.files.items()
            if path.startswith("keys/") and not path.startswith("keys/forum/")
        }
        pairs = []
        for a, b in itertools.combinations(sorted(keys), 2):
            if a.split("/")[0] == b.split("/")[0]:
                continue
            ratio = difflib.SequenceMatcher(
                None, _core(a.split("/")[1]), _core(b.split("/")[1])
            ).ratio()
            pairs.append((a, b, keys[a] == keys[b], ratio))
        found[trainee] = {"world": world, "listings": listings, "keys": keys, "pairs": pairs}
    return found


def _each(worlds, check) -> list[str]:
    return [trainee for trainee, w in worlds.items() if not check(w)]


def test_new_category_is_truth_and_latest_first_listing(worlds):
    def ok(w):
        first = w["listings"].groupby("category")["listed_at"].min()
        return first.idxmax() == w["world"].truth.listings.new_category

    assert _each(worlds, ok) == []


def test_new_category_differs_between_trainees(worlds):
    names = [w["world"].truth.listings.new_category for w in worlds.values()]
    assert len(set(names)) >= 4
    assert max(names.count(n) for n in set(names)) <= len(names) // 2


def test_new_category_is_neither_the_rarest_nor_the_most_listed(worlds):
    """'fewest listings' and 'most listings' name another category."""

    def ok(w):
        counts = w["listings"]["category"].value_counts()
        new = w["world"].truth.listings.new_category
        others = counts.drop(new)
        return others.min() < counts[new] < others.max()

    assert _each(worlds, ok) == []


def test_the_latest_listing_is_not_of_the_new_category(worlds):
    def ok(w):
        latest = w["listings"].sort_values("listed_at")["category"].iloc[-1]
        return latest != w["world"].truth.listings.new_category

    assert _each(worlds, ok) == []


def test_every_established_category_is_listed_in_the_first_half(worlds):
    def ok(w):
        first = w["listings"].groupby("category")["listed_at"].min().sort_values()
        return first.iloc[-2] < pd.Timestamp("2020-01-15") < first.iloc[-1]

    assert _each(worlds, ok) == []


def test_some_listings_have_no_reviews(worlds):
    """Dropping the rows with n_reviews == 0 loses rows."""
    assert _each(worlds, lambda w: (w["listings"]["n_reviews"] == 0).sum() >= 2) == []


def test_alphabetical_order_is_not_the_price_order(worlds):
    """An unsorted price chart (alphabetical) is not 'cheapest at the bottom'."""

    def ok(w):
        listings = w["listings"]
        prices = pd.read_csv(
            io.BytesIO(w["world"].files["ledger/prices.csv"]),
            index_col="date",
            parse_dates=["date"],
        )
        rate = {
            "BTC": prices["btc_usd"],
            "USD": prices["btc_usd"] / prices["btc_usd"],
            "RUB": prices["btc_usd"] / prices["btc_rub"],
            "KZT": prices["btc_usd"] / prices["btc_kzt"],
        }
        usd = [
            p * rate[c][t.normalize()]
            for p, c, t in zip(
                listings["price"], listings["currency"], listings["listed_at"], strict=True
            )
        ]
        sums = listings.assign(usd=usd).groupby("category")[["usd", "quantity"]].sum()
        per_unit = sums["usd"] / sums["quantity"]
        return list(per_unit.sort_values().index) != sorted(per_unit.index)

    assert _each(worlds, ok) == []


def test_every_market_lists_pieces_and_multi_unit_packs(worlds):
    """Adding pieces to grams, or counting listings instead of grams, changes every world."""

    def ok(w):
        listings = w["listings"]
        pieces = listings[listings["unit"] == "pcs"]
        grams = listings[listings["unit"] == "g"]
        return pieces["market"].nunique() >= 2 and (grams["quantity"] > 1).any()

    assert _each(worlds, ok) == []


def test_vendor_listing_counts_have_ties(worlds):
    """A judge that demanded one order inside a tie would reject correct answers."""

    def ok(w):
        return w["listings"].groupby(["market", "vendor"]).size().duplicated().any()

    assert _each(worlds, ok) == []


def test_a_handle_with_a_dot(worlds):
    """Cutting the handle at its first dot changes an account."""
    assert _each(worlds, lambda w: any("." in account for account in w["keys"])) == []


def test_a_weak_link_exactly_at_the_threshold(worlds):
    """'> 0.8' instead of '>= 0.8' loses a link: a pair with other keys at exactly 0.8."""
    assert _each(worlds, lambda w: any(r == 0.8 and not s for *_, s, r in w["pairs"])) == []


def test_an_identical_name_with_another_key(worlds):
    """Taking an identical normalised name as 'strong' is wrong on every world."""
    assert _each(worlds, lambda w: any(r == 1.0 and not s for *_, s, r in w["pairs"])) == []


def test_one_key_under_unlike_names(worlds):
    """'strong needs key AND name' drops a same-key pair on every world."""
    assert _each(worlds, lambda w: any(s and r < 0.8 for *_, s, r in w["pairs"])) == []


def test_raw_handles_give_other_similarities(worlds):
    """Comparing raw handles changes a linked pair's name_similarity (or drops the pair)."""

    def ok(w):
        for a, b, same, ratio in w["pairs"]:
            if same or ratio >= 0.8:
                raw = difflib.SequenceMatcher(None, a.split("/")[1], b.split("/")[1]).ratio()
                if raw != ratio:
                    return True
        return False

    assert _each(worlds, ok) == []
