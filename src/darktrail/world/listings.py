"""``listings/listings.csv``: NPS listings scraped from the markets.

Product *categories* only (no substances, no chemistry). Distributions: each vendor account
lists a handful of products; prices follow a per-category base price in USD with a volume
discount and a trend over the period, quoted in the currency the market uses and rounded the
way shops round; one category is *new*: it appears only in the second half of the period and
grows; ratings are skewed high, reviews long-tailed.

The shared world keeps the scenario's order (its last category is the new one). In a trainee's
world the category *names* are shuffled over the scenario's roles (grams stay grams, pieces
pieces), so the new category differs between trainees, and a few planted cases make the
wrong readings of the market visible on every trainee's evidence (assignment 06):

- one established category is a *niche*: rarer than the new one, listed from the first days,
  so "the category with the fewest listings" is not the new one;
- the most recent listing is never of the new category ("the category of the latest listing");
- a few of the newest listings have no reviews yet (``n_reviews == 0``).

These use their own random generator, so every other draw (and the orders the ledger makes
from the listings) stays as it was.
"""

from __future__ import annotations

import datetime as dt
import math

from .case import Case, csv_bytes
from .names import SHOP_WORDS
from .prices import price_on
from .truth import Listings

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


def _unit(category: str) -> str:
    return "pcs" if category == "phenethylamine" else "g"


def _usd(category: str, frac: float, quantity: int, noise: float) -> float:
    base, trend = _BASE_USD.get(category, (20.0, 0.0))
    return base * (1 + trend * frac) * quantity**0.85 * noise


def _names(case: Case, roles: list[str], plan) -> dict[str, str]:
    """Role -> category name: the scenario's own in the shared world, shuffled for a trainee.

    Names move only between roles of the same unit, so every other draw stays the same.
    """
    names = {role: role for role in roles}
    if case.trainee is None:
        return names
    for unit in ("g", "pcs"):
        same = [role for role in roles if _unit(role) == unit]
        shuffled = plan.sample(same, len(same))
        names.update(zip(same, shuffled, strict=True))
    return names


def build(case: Case) -> None:
    """Add the listings table; keep the rows in ``case.cast["listings"]`` for orders."""
    rng = case.rng("listings")
    plan = case.rng("listings", "plan")
    scenario = case.scenario
    params = scenario["listings"]
    roles, currencies, cities = params["categories"], params["currencies"], params["cities"]
    names = _names(case, roles, plan)
    categories = roles
    new_role = roles[-1] if len(roles) > 1 else None
    new_category = names[new_role] if new_role else None
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
    rows, kept, drawn = [], [], []
    for n in range(params["count"]):
        account = rng.choices(accounts, weights)[0]
        vendor_id, market, handle, home = account
        day = rng.randrange(days + 1)
        frac = day / max(1, days)
        if new_role and frac > 0.5 and rng.random() < (frac - 0.5) * 0.8:
            role = new_role
        else:
            role = rng.choice(speciality[account])
        category = names[role]
        unit = _unit(category)
        quantity = rng.choice((1, 1, 2, 3, 5, 10) if unit == "g" else (1, 5, 10, 25))
        noise = math.exp(rng.gauss(0, 0.15))
        usd = _usd(category, frac, quantity, noise)
        when = dt.datetime.combine(scenario.start, dt.time(0)) + dt.timedelta(
            days=day, minutes=rng.randrange(24 * 60)
        )
        currency = market_currency[market] if rng.random() < 0.8 else rng.choice(currencies)
        city = home if rng.random() < 0.7 else rng.choice(cities)
        rating = round(min(5.0, 5.0 - rng.expovariate(3.0)), 1)
        reviews = int(rng.lognormvariate(2.5, 1.0))
        # The form is drawn as from the role's list (the same draw), then worded for the name.
        form = rng.randrange(len(_FORMS.get(role, _DEFAULT_FORMS)))
        word = rng.choice(SHOP_WORDS)
        forms = _FORMS.get(category, _DEFAULT_FORMS)
        title = f"{forms[form % len(forms)]} '{word}' {quantity} {unit}"
        listing_id = f"L{n + 1:05d}"
        price = _quote(usd, currency, price_on(case, when))
        row = [listing_id, market, handle, category, title, unit, quantity, price, currency,
               city, when.strftime("%Y-%m-%d %H:%M"), f"{rating:.1f}", reviews]  # fmt: skip
        rows.append(row)
        kept.append({"listing_id": listing_id, "vendor": vendor_id, "market": market,
                     "handle": handle, "usd": round(usd, 2), "listed_at": when,
                     "city": city})  # fmt: skip
        drawn.append({"account": account, "frac": frac, "noise": noise, "form": form,
                      "word": word})  # fmt: skip
    if case.trainee is not None and new_category:
        _plant(case, plan, rows, kept, drawn, new_category, speciality, names)
    rows.sort(key=lambda r: (r[10], r[0]))
    case.cast["listings"] = kept
    case.truth["listings"] = Listings(new_category, dict(market_currency))
    case.add("listings/listings.csv", csv_bytes(HEADER, rows), "listings",
             "NPS listings scraped from the markets", len(rows))  # fmt: skip


def _relabel(case: Case, row: list, kept: dict, drawn: dict, category: str) -> None:
    """Give one listing another category of the same unit, priced and worded for it."""
    quantity, unit = int(row[6]), row[5]
    usd = _usd(category, drawn["frac"], quantity, drawn["noise"])
    forms = _FORMS.get(category, _DEFAULT_FORMS)
    row[3] = category
    row[4] = f"{forms[drawn['form'] % len(forms)]} '{drawn['word']}' {quantity} {unit}"
    when = kept["listed_at"]
    row[7] = _quote(usd, row[8], price_on(case, when))
    kept["usd"] = round(usd, 2)


def _plant(case, plan, rows, kept, drawn, new_category, speciality, names) -> None:
    """The planted cases of a trainee's market picture (see the module docstring)."""
    established = [c for c in names.values() if c != new_category]
    grams = [c for c in established if _unit(c) == "g"]
    order = sorted(range(len(rows)), key=lambda i: (rows[i][10], rows[i][0]))

    def count(category):
        return sum(1 for r in rows if r[3] == category)

    # The niche: a gram category rarer than the new one, listed from the first days on.
    if grams:
        niche = plan.choice(grams)
        others = [c for c in grams if c != niche] or [c for c in established if c != niche]
        target = max(6, min(count(niche), count(new_category) - 6 - plan.randrange(6)))
        mine = [i for i in order if rows[i][3] == niche]
        keep = set(mine[:3])  # its first listings stay: it was there from the start
        movable = [i for i in mine if i not in keep]
        plan.shuffle(movable)
        for i in movable[: max(0, len(mine) - target)]:
            account = drawn[i]["account"]
            own = [names[r] for r in speciality[account] if names[r] in others]
            _relabel(case, rows[i], kept[i], drawn[i], plan.choice(own or others))
    # The most recent listing is of an established category.
    last = order[-1]
    if rows[last][3] == new_category:
        account = drawn[last]["account"]
        own = [names[r] for r in speciality[account] if names[r] != new_category]
        same_unit = [c for c in own if _unit(c) == rows[last][5]]
        fallback = [c for c in established if _unit(c) == rows[last][5]]
        _relabel(case, rows[last], kept[last], drawn[last], plan.choice(same_unit or fallback))
    # A few of the newest listings have no reviews yet.
    newest = order[-12:]
    quiet = [i for i in newest if plan.random() < 0.4] or newest[-2:]
    if len(quiet) < 2:
        quiet = newest[-2:]
    for i in quiet:
        rows[i][12] = 0
