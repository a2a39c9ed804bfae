"""Expected answers of 06-market-intelligence, computed from each trainee's frozen case.

Instructor-only: never released. For every graded cell: the wrong methods it must reject, and
what in EVERY trainee's evidence tells each from the right method (the world's planted cases
are asserted for 40 trainees in ``tests/test_traps_06.py``):

- load-listings: dropping the time of ``listed_at`` -- listings are timed to the minute; dropping
  the rows with ``n_reviews == 0`` -- the newest listings of every world include some without
  reviews (planted). Row order is free (compared by ``listing_id``).
- rates: roubles and tenge swapped, or upside down (units per dollar) -- the two rates differ by
  a factor of ~6 and are never above 1; one average rate -- bitcoin moves every day. Extra
  columns and other arithmetic (``1 / (rub / usd)``) pass (relative tolerance 1e-9).
- price-usd: the last or first day's rate, the nearest day's (afternoon listings), prices
  taken as dollars -- every world mixes four currencies over 60 days of a moving bitcoin price.
- unit-price: not dividing, dividing only the gram listings, floor division -- judged as the
  ratio ``usd_per_unit * quantity / price_usd`` on the trainee's own ``price_usd`` (no cascade
  from task 3); every world has piece packs of 5, 10 and 25 and cents in every price.
- price-table: plain mean of unit prices, dollars per listing, a neighbour's table -- pack
  sizes 1-10 g (1-25 pcs) make the weighted figure differ, and the prices are the trainee's.
- price-chart: unsorted (the categories' alphabetical order is never their price order),
  cheapest on top, other lengths (total dollars), the unit named on the category axis --
  bars are read bottom to top as (label, length), the value axis must name currency and unit.
- offers: shares (``normalize=True``), quantities summed -- counts are compared per cell.
- grams-by-market: pieces added -- every market lists piece packs; listings counted instead of
  grams -- packs of 2-10 g.
- cities: busiest at the bottom; a chart of other numbers (vendors per city) -- bars are read as
  {city: length} and must rise bottom to top; ties may be drawn in any order.
- new-category: ``idxmin``; the least-listed category -- a planted niche category is rarer
  than the new one in every trainee's world; the category of the latest listing -- the latest
  listing is never of the new category; a neighbour's or the shared world's name -- the new
  category is drawn per trainee (4 names), and the time of its first listing is handed in too.
- weekly-price: unweighted mean; NaN filled with 0 (the new category's first weeks);
  the Monday keeping its time of day -- weeks are compared by their Monday at midnight.
- trend-chart: zero-filled or dropped weeks, no markers -- each line's y values (NaN kept) and
  its marker are compared.
- vendor-stats: plain mean rating, points over listings, max of reviews -- every world has
  accounts with several listings of different review counts; ties in ``listings`` (every world
  has some) may be ordered either way.
- account-keys: the handle cut at its first dot -- every world has a handle with a dot (the
  planted copycat ``<name>.<word>``); the handle with ``.asc``. Fingerprints in either case.
- normalise-handle / handle-similarity: probes per run (inside and leading digits, digits before
  a separator, dots and spaces, other symbols that must stay; anagram and prefix pairs).
- links: key links only (a planted copycat gives a weak link in every world); "strong" needing
  key and name (v1 publishes one key under unlike names in every trainee's world); raw handles;
  an identical name taken as strong (a planted copycat with the same core and another key);
  ``> 0.8`` for ``>= 0.8`` (a planted copycat at exactly 0.8, with another key).
"""

from __future__ import annotations

import difflib
import io
import math
import re

import pandas as pd

from darktrail import pgp
from darktrail.course.judge import Answers, FormError, Probe, _

answers = Answers()

CURRENCIES = ("BTC", "USD", "RUB", "KZT")


# -- tolerant equality --------------------------------------------------------------------


def _close(a, b, rel: float) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], rel) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, rel) for x, y in zip(a, b, strict=True))
    numbers = (int, float)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)
    return a == b


class Close:
    """A normalised answer whose numbers compare with a relative tolerance."""

    __hash__ = None

    def __init__(self, value, rel: float = 1e-9) -> None:
        self.value, self.rel = value, rel

    def __eq__(self, other) -> bool:
        return isinstance(other, Close) and _close(self.value, other.value, self.rel)

    def __repr__(self) -> str:
        return f"Close({self.value!r})"


def _num(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormError(_("the table should hold numbers"))
    return float(value)


def _frame(value, columns, message):
    if type(value).__name__ != "DataFrame":
        raise FormError(message)
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise FormError(message)
    return value


def _time(value) -> str:
    if type(value).__name__ != "Timestamp":
        raise FormError(_("this should be a date and time (a pandas Timestamp)"))
    return value.isoformat()


# -- the evidence -------------------------------------------------------------------------


def _listings(case) -> pd.DataFrame:
    data = io.BytesIO(case.files["listings/listings.csv"])
    return pd.read_csv(data, parse_dates=["listed_at"])


def _rates(case) -> pd.DataFrame:
    data = io.BytesIO(case.files["ledger/prices.csv"])
    prices = pd.read_csv(data, index_col="date", parse_dates=["date"])
    return pd.DataFrame(
        {
            "BTC": prices["btc_usd"],
            "USD": 1.0,
            "RUB": prices["btc_usd"] / prices["btc_rub"],
            "KZT": prices["btc_usd"] / prices["btc_kzt"],
        }
    )


def _priced(case, rates: pd.DataFrame | None = None, day=None) -> pd.DataFrame:
    """Listings with price_usd (at ``day(listing time)``'s rates) and usd_per_unit."""
    rates = _rates(case) if rates is None else rates
    listings = _listings(case)
    days = listings["listed_at"].dt.normalize() if day is None else day(listings, rates)
    listings["price_usd"] = [
        p * rates.loc[d, c]
        for p, d, c in zip(listings["price"], days, listings["currency"], strict=True)
    ]
    listings["usd_per_unit"] = listings["price_usd"] / listings["quantity"]
    return listings


def _table(listings: pd.DataFrame) -> pd.DataFrame:
    table = listings.groupby("category").agg(
        unit=("unit", "first"),
        listings=("listing_id", "count"),
        usd=("price_usd", "sum"),
        units=("quantity", "sum"),
    )
    table["usd_per_unit"] = table["usd"] / table["units"]
    return table


def _table_answer(table: pd.DataFrame) -> dict:
    return {
        "category": list(table.index),
        "unit": list(table["unit"]),
        "listings": list(table["listings"]),
        "usd_per_unit": list(table["usd_per_unit"]),
    }


def _weekly(listings: pd.DataFrame) -> pd.DataFrame:
    listings = listings.assign(week=listings["listed_at"].dt.to_period("W").dt.start_time)
    sums = listings.groupby(["week", "category"])[["price_usd", "quantity"]].sum()
    return (sums["price_usd"] / sums["quantity"]).unstack("category")


def _core(handle: str) -> str:
    text = handle.lower()
    for separator in "_-. ":
        text = text.replace(separator, "")
    return text.rstrip("0123456789")


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _core(a), _core(b)).ratio()


def _account_keys(case) -> pd.DataFrame:
    rows = []
    for path, data in sorted(case.files.items()):
        parts = path.split("/")
        if len(parts) != 3 or parts[0] != "keys" or parts[1] == "forum":
            continue
        if not parts[2].endswith(".asc"):
            continue
        handle = parts[2][: -len(".asc")]
        rows.append(
            {
                "market": parts[1],
                "handle": handle,
                "account": f"{parts[1]}/{handle}",
                "fingerprint": pgp.read_key(data.decode("ascii")).fingerprint,
            }
        )
    return pd.DataFrame(rows).sort_values("account").reset_index(drop=True)


# -- charts -------------------------------------------------------------------------------


def _chart(value) -> dict:
    if not isinstance(value, dict) or "bars" not in value:
        raise FormError(_("hand in the axes of a bar chart"))
    return value


def _horizontal_bars(chart: dict) -> list[tuple[str, float]]:
    """The bars of a horizontal bar chart, bottom to top, as (label, length)."""
    bars = [b for b in chart["bars"] if b.get("width") is not None]
    if not bars:
        raise FormError(_("draw the bars: the chart has none"))
    if (
        not all(abs(b["left"]) < 1e-9 for b in bars)
        or len({round(b["height"], 9) for b in bars}) != 1
    ):
        raise FormError(_("draw a horizontal bar chart (.plot.barh())"))
    return [(str(b["ylabel"]), float(b["width"])) for b in sorted(bars, key=lambda b: b["y"])]


def _names_unit(label: str) -> bool:
    text = str(label).lower()
    currency = any(w in text for w in ("usd", "dollar", "$"))
    unit = any(w in text for w in ("gram", "piece", "unit", "pcs", "/g", " g"))
    return currency and unit


def _fake_barh(pairs, xlabel: str = "USD per gram or piece") -> dict:
    return {
        "xlabel": xlabel,
        "bars": [
            {"ylabel": label, "width": float(v), "y": float(n), "left": 0.0, "height": 0.5}
            for n, (label, v) in enumerate(pairs)
        ],
    }


# -- Part 1 -------------------------------------------------------------------------------


def listing_times(value):
    """Every listing's id with its listed_at (time of day included), whatever the row order."""
    frame = _frame(
        value, ["listing_id", "listed_at"], _("listings lacks the columns of listings.csv")
    )
    times = {str(i): _time(t) for i, t in zip(frame["listing_id"], frame["listed_at"], strict=True)}
    return (len(frame), times)


@answers.value(
    "load-listings-test",
    form=listing_times,
    hint=_("listings should hold every row of listings.csv, with listed_at as it is in the file"),
    mistakes={
        _("keep the time of day: listed_at holds a date AND a time"): lambda c: _listings(c).assign(
            listed_at=lambda f: f["listed_at"].dt.normalize()
        ),
        _("keep every row, also the listings without reviews yet"): lambda c: _listings(c)[
            lambda f: f["n_reviews"] > 0
        ],
    },
)
def load_listings(case):
    return _listings(case)


def rates_by_day(value):
    """{day: (BTC, USD, RUB, KZT)}, numbers compared to 1e-9."""
    frame = _frame(value, ["day", *CURRENCIES], _("rates needs the columns BTC, USD, RUB and KZT"))
    rows = {}
    for row in frame[["day", *CURRENCIES]].itertuples(index=False):
        rows[_time(row[0])] = tuple(_num(v) for v in row[1:])
    if len(rows) != len(frame):
        raise FormError(_("rates should have one row per day"))
    return Close(rows)


def _rates_answer(rates: pd.DataFrame) -> pd.DataFrame:
    return rates.rename_axis("day").reset_index()


@answers.value(
    "rates-test",
    form=rates_by_day,
    hint=_("each day: one bitcoin is btc_usd dollars; one rouble btc_usd / btc_rub dollars"),
    mistakes={
        _("RUB comes from btc_rub and KZT from btc_kzt"): lambda c: _rates_answer(
            _rates(c).rename(columns={"RUB": "KZT", "KZT": "RUB"})
        ),
        _("use each day's own prices, not one rate for the whole period"): lambda c: _rates_answer(
            _rates(c).assign(**{k: _rates(c)[k].mean() for k in CURRENCIES})
        ),
    },
)
def rates(case):
    return _rates_answer(_rates(case))


def by_listing(column):
    def form(value):
        frame = _frame(
            value, ["listing_id", column], _("keep the column listing_id of listings.csv")
        )
        values = {str(i): _num(v) for i, v in zip(frame["listing_id"], frame[column], strict=True)}
        return Close(values)

    form.__name__ = f"by_listing({column})"
    return form


def _nearest_day(listings, rates):
    return rates.index[rates.index.get_indexer(listings["listed_at"], method="nearest")]


@answers.value(
    "price-usd-test",
    form=by_listing("price_usd"),
    hint=_("convert each price from its own currency at the rate of the day it was listed"),
    mistakes={
        _("take the rate of the listing's own day (its date), not the nearest midnight"): (
            lambda c: _priced(c, day=_nearest_day)[["listing_id", "price_usd"]]
        ),
        _("every listing has its own day: use that day's rate, not one day's for all"): (
            lambda c: _priced(c, day=lambda f, r: [r.index[-1]] * len(f))[
                ["listing_id", "price_usd"]
            ]
        ),
    },
)
def price_usd(case):
    return _priced(case)[["listing_id", "price_usd"]]


def unit_ratio(value):
    """{listing: (quantity, usd_per_unit * quantity / price_usd)}: 1 when divided right."""
    frame = _frame(
        value,
        ["listing_id", "quantity", "price_usd", "usd_per_unit"],
        _("add a column usd_per_unit to listings"),
    )
    rows = {}
    for i, q, usd, each in frame[
        ["listing_id", "quantity", "price_usd", "usd_per_unit"]
    ].itertuples(index=False):
        usd, each = _num(usd), _num(each)
        rows[str(i)] = (int(q), each * q / usd if usd else math.nan)
    return Close(rows)


@answers.value(
    "unit-price-test",
    form=unit_ratio,
    hint=_("divide each listing's dollar price by its quantity, with / (not //)"),
    mistakes={
        _("divide the pieces listings by their quantity too: a price per piece"): lambda c: _priced(
            c
        ).assign(
            usd_per_unit=lambda f: f["price_usd"].where(f["unit"] == "pcs", f["usd_per_unit"])
        )[["listing_id", "quantity", "price_usd", "usd_per_unit"]],
    },
)
def unit_price(case):
    return _priced(case)[["listing_id", "quantity", "price_usd", "usd_per_unit"]]


def table_rows(value):
    if not isinstance(value, dict) or not {"category", "unit", "listings", "usd_per_unit"} <= set(
        value
    ):
        raise FormError(_("price_table needs the columns unit, listings and usd_per_unit"))
    rows = {}
    for cat, unit, n, usd in zip(
        value["category"], value["unit"], value["listings"], value["usd_per_unit"], strict=True
    ):
        rows[str(cat)] = (str(unit), _num(n), _num(usd))
    return Close(rows, rel=1e-7)


@answers.value(
    "price-table-test",
    form=table_rows,
    hint=_("per category: total dollars divided by total units, from your own listings"),
    mistakes={
        _("weight by quantity: a plain mean of usd_per_unit counts a 1 g pack like a 10 g pack"): (
            lambda c: _table_answer(
                _table(_priced(c)).assign(
                    usd_per_unit=_priced(c).groupby("category")["usd_per_unit"].mean()
                )
            )
        ),
        _("divide the dollars by the units (grams or pieces), not by the number of listings"): (
            lambda c: _table_answer(
                _table(_priced(c)).assign(usd_per_unit=lambda t: t["usd"] / t["listings"])
            )
        ),
    },
)
def price_table(case):
    return _table_answer(_table(_priced(case)))


def price_bars(value):
    chart = _chart(value)
    return Close((_horizontal_bars(chart), _names_unit(chart.get("xlabel", ""))), rel=1e-7)


@answers.value(
    "price-chart-test",
    form=price_bars,
    hint=_(
        "one bar per category as long as its usd_per_unit, cheapest at the bottom, and the "
        "value axis (x) naming the currency and the unit"
    ),
)
def price_chart(case):
    values = _table(_priced(case))["usd_per_unit"].sort_values()
    return _fake_barh(values.items())


# -- Part 2 -------------------------------------------------------------------------------


def cell_counts(value):
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise FormError(_("offers should be a DataFrame: use pd.crosstab"))
    cells = {}
    for market, column in value.items():
        for category, n in column.items():
            n = _num(n)
            if not math.isnan(n) and n != 0:
                cells[(str(category), str(market))] = n
    return cells


@answers.value(
    "offers-test",
    form=cell_counts,
    hint=_("count the listings (rows) of each category on each market"),
)
def offers(case):
    return pd.crosstab(_listings(case)["category"], _listings(case)["market"]).to_dict()


def per_market(value):
    if not isinstance(value, dict):
        raise FormError(_("grams_by_market should be a Series: market -> grams"))
    return Close({str(k): _num(v) for k, v in value.items() if _num(v) != 0})


@answers.value(
    "grams-by-market-test",
    form=per_market,
    hint=_("add up the quantities of the g listings only: pieces are not grams"),
    mistakes={
        _("add up the grams (quantity), not the number of listings"): lambda c: (
            _listings(c)[lambda f: f["unit"] == "g"].groupby("market")["quantity"].count()
        ),
    },
)
def grams_by_market(case):
    listings = _listings(case)
    return listings[listings["unit"] == "g"].groupby("market")["quantity"].sum()


def city_chart(value):
    if not isinstance(value, dict) or not {"counts", "chart"} <= set(value):
        raise FormError(_("hand in listings_per_city and ax_cities"))
    counts = {str(k): _num(v) for k, v in value["counts"].items()}
    bars = _horizontal_bars(_chart(value["chart"]))
    lengths = [v for _, v in bars]
    rising = all(a <= b for a, b in zip(lengths, lengths[1:], strict=False))
    return Close((counts, dict(bars), rising))


@answers.value(
    "cities-test",
    form=city_chart,
    hint=_("count the listings of each delivery city; draw each city's count, busiest at the top"),
)
def cities(case):
    counts = _listings(case)["city"].value_counts()
    return {"counts": counts, "chart": _fake_barh(counts.sort_values().items())}


def name_and_time(value):
    if not isinstance(value, list) or len(value) != 2:
        raise FormError(_("hand in new_category and new_since"))
    name, since = value
    if not isinstance(name, str):
        raise FormError(_("new_category should be a category name (text)"))
    return (name.strip(), _time(since))


def _first_seen(case) -> pd.Series:
    return _listings(case).groupby("category")["listed_at"].min()


def _named(case, pick) -> list:
    first = _first_seen(case)
    name = pick(case, first)
    return [name, first[name]]


@answers.value(
    "new-category-test",
    form=name_and_time,
    hint=_("the new category is the one whose FIRST listing came last"),
    mistakes={
        _("take the category whose first listing is the latest (idxmax), not the earliest"): (
            lambda c: _named(c, lambda c, f: f.idxmin())
        ),
        _("the new category is not the one with the fewest listings: look at first listings"): (
            lambda c: _named(c, lambda c, f: _listings(c)["category"].value_counts().idxmin())
        ),
        _("not the category of the latest listing: the latest FIRST listing per category"): (
            lambda c: _named(
                c, lambda c, f: _listings(c).sort_values("listed_at")["category"].iloc[-1]
            )
        ),
    },
)
def new_category(case):
    return _named(case, lambda c, first: first.idxmax())


def week_cells(value):
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise FormError(
            _("weekly_price should be a DataFrame: weeks as rows, categories as columns")
        )
    cells = {}
    for category, column in value.items():
        for week, price in column.items():
            price = _num(price)
            if not math.isnan(price):
                cells[(str(category), _time(week))] = price
    return Close(cells, rel=1e-7)


def _weekly_answer(weekly: pd.DataFrame) -> dict:
    return {str(c): weekly[c] for c in weekly.columns}


@answers.value(
    "weekly-price-test",
    form=week_cells,
    hint=_(
        "per week (its Monday, at midnight) and category: total dollars divided by total units; "
        "leave weeks without listings empty (NaN)"
    ),
    mistakes={
        _("weight by quantity: total dollars over total units, not a plain mean"): lambda c: (
            _weekly_answer(
                _priced(c)
                .assign(week=lambda f: f["listed_at"].dt.to_period("W").dt.start_time)
                .groupby(["week", "category"])["usd_per_unit"]
                .mean()
                .unstack("category")
            )
        ),
        _("a week without listings of a category has no price: leave it NaN, not 0"): lambda c: (
            _weekly_answer(_weekly(_priced(c)).fillna(0))
        ),
    },
)
def weekly_price(case):
    return _weekly_answer(_weekly(_priced(case)))


def lines(value):
    """{category: (y values, NaN kept, and the marker)} of each line of the chart."""
    if not isinstance(value, dict) or not all(
        isinstance(v, dict) and {"y", "marker"} <= set(v) for v in value.values()
    ):
        raise FormError(_("ax_trend should be the axes of a line chart (.plot())"))
    drawn = {}
    for label, line in value.items():
        ys = tuple(math.nan if y is None else _num(y) for y in line["y"])
        drawn[str(label)] = (ys, str(line["marker"]))
    return Close(drawn, rel=1e-7)


@answers.value(
    "trend-chart-test",
    form=lines,
    hint=_(
        "one line per category with every week of weekly_price (gaps stay gaps) and a dot "
        "(marker='o') on every week"
    ),
)
def trend_chart(case):
    weekly = _weekly(_priced(case)).sort_index()
    return {str(c): {"y": list(weekly[c]), "marker": "o"} for c in weekly.columns}


# -- Part 3 -------------------------------------------------------------------------------


def account_rows(value):
    frame = _frame(
        value,
        ["market", "vendor", "listings", "reviews", "rating"],
        _("vendor_stats needs the columns listings, reviews and rating"),
    )
    rows = {}
    for market, vendor, n, reviews, rating in frame[
        ["market", "vendor", "listings", "reviews", "rating"]
    ].itertuples(index=False):
        rows[(str(market), str(vendor))] = (_num(n), _num(reviews), _num(rating))
    if len(rows) != len(frame):
        raise FormError(_("one row per account (market and vendor)"))
    counts = list(frame["listings"])
    most_first = all(a >= b for a, b in zip(counts, counts[1:], strict=False))
    return Close((rows, most_first))


def _vendor_stats(listings: pd.DataFrame, how: str = "weighted") -> pd.DataFrame:
    listings = listings.assign(points=listings["rating"] * listings["n_reviews"])
    stats = listings.groupby(["market", "vendor"]).agg(
        listings=("listing_id", "count"),
        reviews=("n_reviews", "sum"),
        points=("points", "sum"),
        mean=("rating", "mean"),
    )
    stats["rating"] = {
        "weighted": stats["points"] / stats["reviews"],
        "mean": stats["mean"],
        "per-listing": stats["points"] / stats["listings"],
    }[how]
    stats = stats.sort_values("listings", ascending=False, kind="stable")
    return stats.reset_index()[["market", "vendor", "listings", "reviews", "rating"]]


@answers.value(
    "vendor-stats-test",
    form=account_rows,
    hint=_(
        "per account: count its listings, add up its n_reviews, and weight each rating by its "
        "number of reviews"
    ),
    mistakes={
        _(
            "weight each rating by its number of reviews; a plain mean counts one review like "
            "a hundred"
        ): lambda c: _vendor_stats(_listings(c), "mean"),
        _("divide the rating points by the number of reviews, not of listings"): lambda c: (
            _vendor_stats(_listings(c), "per-listing")
        ),
    },
)
def vendor_stats(case):
    return _vendor_stats(_listings(case))


# -- Part 4 -------------------------------------------------------------------------------


def key_rows(value):
    frame = _frame(
        value,
        ["market", "handle", "account", "fingerprint"],
        _("account_keys needs the columns market, handle, account and fingerprint"),
    )
    rows = [
        (str(m), str(h), str(a), str(f).strip().upper())
        for m, h, a, f in frame[["market", "handle", "account", "fingerprint"]].itertuples(
            index=False
        )
    ]
    if len(set(rows)) != len(rows):
        raise FormError(_("one row per key file"))
    return frozenset(rows)


@answers.value(
    "account-keys-test",
    form=key_rows,
    hint=_(
        "one row per market key file: the handle is the file name without .asc (dots inside a "
        "handle stay), account is market/handle, fingerprint the key's full fingerprint"
    ),
)
def account_keys(case):
    return _account_keys(case)


def close_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormError(_("return a number between 0 and 1 (.ratio())"))
    return Close(float(value))


def text(value):
    if not isinstance(value, str):
        raise FormError(_("return the normalised name as text"))
    return value


_SYMBOLS = "*+!~'"


@answers.calls(
    "normalise-handle-test",
    form=text,
    hint=_("lower-case, remove _ - . and spaces, then strip the digits at the end"),
)
def normalise_probes(case, folder, rng):
    """Handles of this evidence disguised in every way the task names, and its edge cases."""
    handles = sorted(_account_keys(case)["handle"])
    picks = rng.sample(handles, min(4, len(handles)))
    probes = [
        Probe(("Frost_Lynx-77",), "frostlynx"),
        Probe(("shop.kz",), "shopkz", _("remove dots too")),
        Probe(("___",), ""),
    ]
    for n, handle in enumerate(picks):
        core = _core(handle) or "lynx"
        mid = max(1, len(core) // 2)
        d = rng.randrange(10, 100)
        cases = [
            (handle, None),
            (handle.upper(), None),
            (f"{core[:mid].capitalize()}_{core[mid:]}-{d}", None),
            (f" {core[:2]}.{core[2:].upper()} {n}", _("remove dots and spaces too")),
            (f"{core}{d}_", _("remove the separators first, then the digits at the end")),
            (
                f"{core[:1]}{d % 10}{core[1:]}{d}",
                _("keep the digits inside a name; strip only the digits at the end"),
            ),
            (f"{d}{core}", _("keep digits at the start: strip only the digits at the end")),
            (
                f"{core[:mid]}{rng.choice(_SYMBOLS)}{core[mid:]}",
                _("remove only _ - . and spaces: other characters stay"),
            ),
        ]
        for raw, hint in cases:
            probes.append(Probe((raw,), _reference_normalise(raw), hint))
    rng.shuffle(probes)
    return probes


def _reference_normalise(handle: str) -> str:
    return re.sub(r"[_\-. ]", "", handle.lower()).rstrip("0123456789")


@answers.calls(
    "handle-similarity-test",
    form=close_number,
    hint=_("normalise both names, then take difflib.SequenceMatcher(None, a, b).ratio()"),
)
def similarity_probes(case, folder, rng):
    """Pairs where ratio() differs from quick_ratio(), a common prefix, and the raw names."""
    handles = sorted(_account_keys(case)["handle"])
    probes = []
    for a, b in rng.sample(
        [(x, y) for i, x in enumerate(handles) for y in handles[i + 1 :]],
        min(8, len(handles) * (len(handles) - 1) // 2),
    ):
        probes.append(Probe((a, b), _similarity(a, b)))
    for handle in rng.sample(handles, min(4, len(handles))):
        core = _core(handle) or "lynx"
        letters = list(core)
        rng.shuffle(letters)
        mixed = "".join(letters)
        if mixed == core:
            mixed = core[::-1]
        for b, hint in (
            (mixed, _("use .ratio(): quick_ratio() only bounds it from above")),
            (f"the{core}", _("use difflib's ratio, not a common prefix")),
            (f"{core.capitalize()}_{len(core)}", _("compare the NORMALISED names")),
            (f"{core[: len(core) // 2]}x{core[len(core) // 2 :]}", None),
        ):
            probes.append(Probe((handle, b), _similarity(handle, b), hint))
    rng.shuffle(probes)
    return probes


def link_rows(value):
    frame = _frame(
        value,
        ["account_a", "account_b", "same_key", "name_similarity", "strength"],
        _("links needs the columns account_a, account_b, same_key, name_similarity and strength"),
    )
    rows = {}
    for a, b, same, sim, strength in frame[
        ["account_a", "account_b", "same_key", "name_similarity", "strength"]
    ].itertuples(index=False):
        rows[(str(a), str(b))] = (bool(same), _num(sim), str(strength))
    if len(rows) != len(frame):
        raise FormError(_("one row per linked pair"))
    return Close(rows)


def _links(case, threshold=lambda s: s >= 0.8, similarity=_similarity) -> pd.DataFrame:
    keys = _account_keys(case)
    rows = []
    for a, b in _pairs(keys):
        same = a.fingerprint == b.fingerprint
        sim = similarity(a.handle, b.handle)
        if same or threshold(sim):
            rows.append(
                {
                    "account_a": a.account,
                    "account_b": b.account,
                    "same_key": same,
                    "name_similarity": sim,
                    "strength": "strong" if same else "weak",
                }
            )
    return pd.DataFrame(
        rows, columns=["account_a", "account_b", "same_key", "name_similarity", "strength"]
    )


def _pairs(keys: pd.DataFrame):
    rows = list(keys.itertuples())
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a.market != b.market:
                yield a, b


@answers.value(
    "links-test",
    form=link_rows,
    hint=_(
        "every pair on different markets: strong with the same full fingerprint, else weak "
        "with a name similarity of at least 0.8"
    ),
    mistakes={
        _("'at least 0.8' includes a similarity of exactly 0.8"): lambda c: _links(
            c, threshold=lambda s: s > 0.8
        ),
        _("a similar name is a weak link: keep the pairs without a shared key too"): lambda c: (
            _links(c, threshold=lambda s: False)
        ),
        _("compare the normalised names (handle_similarity), not the raw handles"): lambda c: (
            _links(c, similarity=lambda a, b: difflib.SequenceMatcher(None, a, b).ratio())
        ),
    },
)
def links(case):
    return _links(case)
