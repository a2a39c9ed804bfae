"""``ledger/prices.csv``: a fictional but plausible daily BTC price in USD, KZT and RUB.

The USD price is a Brownian bridge from ``btc_usd_start`` to ``btc_usd_end`` (early-2020
levels), the exchange rates drift slightly around ``usd_kzt`` and ``usd_rub``.
"""

from __future__ import annotations

import datetime as dt
import math

from .case import Case, csv_bytes

__all__ = ["build", "price_on"]


def build(case: Case) -> None:
    """Add the price table and keep it in ``case.cast["prices"]`` (date -> prices)."""
    rng = case.rng("prices")
    params = case.scenario["ledger"]
    days = (case.scenario.end - case.scenario.start).days + 1
    walk = [0.0]
    for _ in range(days - 1):
        walk.append(walk[-1] + rng.gauss(0.0, 0.035))
    start, end = math.log(params["btc_usd_start"]), math.log(params["btc_usd_end"])
    prices = {}
    rows = []
    kzt, rub = params["usd_kzt"], params["usd_rub"]
    for i in range(days):
        frac = i / max(1, days - 1)
        usd = math.exp(start + (end - start) * frac + walk[i] - frac * walk[-1])
        kzt *= math.exp(rng.gauss(0.0, 0.002))
        rub *= math.exp(rng.gauss(0.0, 0.004))
        day = case.scenario.start + dt.timedelta(days=i)
        prices[day] = {"usd": round(usd, 2), "kzt": round(usd * kzt, 0), "rub": round(usd * rub, 0)}
        rows.append([day.isoformat(), f"{usd:.2f}", f"{usd * kzt:.0f}", f"{usd * rub:.0f}"])
    case.cast["prices"] = prices
    case.add(
        "ledger/prices.csv",
        csv_bytes(["date", "btc_usd", "btc_kzt", "btc_rub"], rows),
        "ledger",
        "daily BTC price (close) in USD, KZT and RUB",
        len(rows),
    )


def price_on(case: Case, when: dt.date | dt.datetime) -> dict[str, float]:
    """Return the day's BTC price (clamped to the period)."""
    prices = case.cast["prices"]
    day = when.date() if isinstance(when, dt.datetime) else when
    day = min(max(day, case.scenario.start), case.scenario.end)
    return prices[day]
