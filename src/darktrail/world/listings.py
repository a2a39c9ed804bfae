"""``listings/listings.csv``: NPS listings scraped from the markets.

Product *categories* only (no substances, no chemistry). Distributions: each vendor account
lists a handful of products; prices follow a per-category base price in USD with a volume
discount and a trend over the period, quoted in the currency the market uses and rounded the
way shops round; one category (the last in the scenario's list) is *new*: it appears only in
the second half of the period and grows; ratings are skewed high, reviews long-tailed.
"""

from __future__ import annotations

import datetime as dt
import math

from .case import Case, csv_bytes
from .names import SHOP_WORDS
from .prices import price_on

__all__ = ["HEADER", "build"]

HEADER = [
    "listing_id", "market", "vendor", "category", "title", "unit", "quantity", "price",
    "currency", "city", "listed_at", "rating", "n_reviews",
]  # fmt: skip

# Base price per gram (or piece) in USD at the start of the period, and the trend over it.
_BASE_USD = {"synthetic cathinone": (38.0, -0.15), "synthetic cannabinoid": (22.0, 0.10),
             "phenethylamine": (14.0, 0.0), "designer benzodiazepine": (9.0, 0.25),
             "cannabis": (16.0, 0.05)}  # fmt: skip
# Product forms as shops word them, per category (marketing words only).
_FORMS = {"synthetic cathinone": ("Crystal", "Crystal premium", "Powder", "Fresh batch"),
          "synthetic cannabinoid": ("Mix", "Herbal mix", "Strong mix"),
          "phenethylamine": ("Blotter", "Tabs"),
          "designer benzodiazepine": ("Tabs", "Pills", "Powder"),
          "cannabis": ("Buds", "Hash", "Indoor")}  # fmt: skip
_DEFAULT_FORMS = ("Premium", "Original", "Lux")
_ROUND = {"USD": 5.0, "RUB": 100.0, "KZT": 500.0, "BTC": 0.0001}


def _quote(usd: float, currency: str, prices: dict) -> str:
    if currency == "USD":
        value = usd
    elif currency == "BTC":
        value = usd / prices["usd"]
    else:
        value = usd * prices[currency.lower()] / prices["usd"]
    step = _ROUND[currency]
    rounded = max(step, round(value / step) * step)
    return f"{rounded:.4f}" if currency == "BTC" else f"{rounded:.0f}"


def build(case: Case) -> None:
    """Add the listings table; keep the rows in ``case.cast["listings"]`` for orders."""
    rng = case.rng("listings")
    scenario = case.scenario
    params = scenario["listings"]
    categories, currencies, cities = params["categories"], params["currencies"], params["cities"]
    new_category = categories[-1] if len(categories) > 1 else None
    days = (scenario.end - scenario.start).days
    accounts = [
        (v["id"], a["market"], a["handle"], v["city"])
        for v in case.cast["vendors"]
        for a in v["accounts"]
    ]
    suspect = case.cast["suspect"]
    weights = [3.0 if vid == suspect else 1.0 for vid, *_ in accounts]
    market_currency = {m["slug"]: rng.choice(currencies) for m in case.cast["markets"]}
    speciality = {acc: rng.sample(categories[:-1] or categories, 2) for acc in accounts}
    rows, kept = [], []
    for n in range(params["count"]):
        account = rng.choices(accounts, weights)[0]
        vendor_id, market, handle, home = account
        day = rng.randrange(days + 1)
        frac = day / max(1, days)
        if new_category and frac > 0.5 and rng.random() < (frac - 0.5) * 0.8:
            category = new_category
        else:
            category = rng.choice(speciality[account])
        base, trend = _BASE_USD.get(category, (20.0, 0.0))
        unit = "pcs" if category == "phenethylamine" else "g"
        quantity = rng.choice((1, 1, 2, 3, 5, 10) if unit == "g" else (1, 5, 10, 25))
        usd = base * (1 + trend * frac) * quantity**0.85 * math.exp(rng.gauss(0, 0.15))
        when = dt.datetime.combine(scenario.start, dt.time(0)) + dt.timedelta(
            days=day, minutes=rng.randrange(24 * 60)
        )
        currency = market_currency[market] if rng.random() < 0.8 else rng.choice(currencies)
        city = home if rng.random() < 0.7 else rng.choice(cities)
        rating = round(min(5.0, 5.0 - rng.expovariate(3.0)), 1)
        reviews = int(rng.lognormvariate(2.5, 1.0))
        forms = _FORMS.get(category, _DEFAULT_FORMS)
        title = f"{rng.choice(forms)} '{rng.choice(SHOP_WORDS)}' {quantity} {unit}"
        listing_id = f"L{n + 1:05d}"
        price = _quote(usd, currency, price_on(case, when))
        row = [listing_id, market, handle, category, title, unit, quantity, price, currency,
               city, when.strftime("%Y-%m-%d %H:%M"), f"{rating:.1f}", reviews]  # fmt: skip
        rows.append(row)
        kept.append({"listing_id": listing_id, "vendor": vendor_id, "market": market,
                     "handle": handle, "usd": round(usd, 2), "listed_at": when,
                     "city": city})  # fmt: skip
    rows.sort(key=lambda r: (r[10], r[0]))
    case.cast["listings"] = kept
    case.truth["listings"] = {"new_category": new_category, "market_currency": market_currency}
    case.add("listings/listings.csv", csv_bytes(HEADER, rows), "listings",
             "NPS listings scraped from the markets", len(rows))  # fmt: skip
