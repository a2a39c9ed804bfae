"""The cast of the case: markets, vendors and their accounts, exchanges, the suspect.

Every other provider reads the cast from ``case.cast`` so that names agree across the
evidence (the handle on a listing is the handle on the key, in the chat and on the shop).
"""

from __future__ import annotations

from .case import Case
from .names import NameProvider

__all__ = ["EXCHANGE_NAMES", "OTC_NAMES", "build_cast"]

# Invented exchange and OTC desk names (not real businesses).
EXCHANGE_NAMES: tuple[str, ...] = (
    "SteppeX", "Altyn Exchange", "TengriCoin", "Kumys Trade", "Silkroad Swap", "Nomad Ex",
)  # fmt: skip
OTC_NAMES: tuple[str, ...] = ("obmen_24", "cash_desk_kz", "fastswap_ca", "tenge_otc")

# City centres (approximate, public geography) used for dead-drop photo GPS and deliveries.
CITY_COORDINATES: dict[str, tuple[float, float]] = {
    "Almaty": (43.2380, 76.9450),
    "Astana": (51.1605, 71.4704),
    "Shymkent": (42.3417, 69.5901),
    "Karaganda": (49.8047, 73.1094),
    "Bishkek": (42.8746, 74.5698),
    "Osh": (40.5283, 72.7985),
    "Tashkent": (41.2995, 69.2401),
    "Samarkand": (39.6270, 66.9750),
    "Dushanbe": (38.5598, 68.7870),
}


def build_cast(case: Case) -> dict:
    """Draw the cast and store it in ``case.cast`` (and its identities in ``case.truth``)."""
    rng = case.rng("cast")
    names = NameProvider(rng)
    scenario = case.scenario
    cities = scenario["listings"]["cities"]
    markets = []
    for i in range(scenario["markets"]["count"]):
        name = names.market()
        markets.append({"id": f"m{i + 1}", "name": name, "slug": names.slug(name)})
    vendors = []
    max_accounts = max(1, min(scenario["vendors"]["accounts_per_vendor_max"], len(markets)))
    for i in range(scenario["vendors"]["count"]):
        # The first two vendors always trade on several markets under different names.
        n_accounts = max_accounts if i < 2 else rng.randint(1, max_accounts)
        on = rng.sample(markets, n_accounts)
        handles = [names.handle() for _ in on]
        # Many vendors keep their brand across markets: v2 always does, others by chance.
        if len(handles) > 1 and (i == 1 or rng.random() < 0.35):
            handles[1:] = [names.handle_variant(handles[0]) for _ in handles[1:]]
        vendors.append(
            {
                "id": f"v{i + 1}",
                "person": names.person(),
                "city": rng.choice(cities),
                "accounts": [
                    {"market": m["slug"], "handle": h} for m, h in zip(on, handles, strict=True)
                ],
                "email": names.email(handles[0]),
            }
        )
    suspect = rng.choice(vendors[:2])
    n_ex = max(1, scenario["ledger"]["n_exchanges"])
    exchanges = [
        {"id": f"x{i + 1}", "name": n} for i, n in enumerate(rng.sample(EXCHANGE_NAMES, n_ex))
    ]
    otc = {"id": "otc1", "name": rng.choice(OTC_NAMES)}
    phisher = {"id": "op1", "handle": names.handle(), "email": None}
    phisher["email"] = names.email(phisher["handle"])
    courier = names.person()
    cast = {
        "markets": markets,
        "vendors": vendors,
        "suspect": suspect["id"],
        "exchanges": exchanges,
        "otc": otc,
        "phisher": phisher,
        "courier": courier,
        "investigator": names.person(),
    }
    case.cast.update(cast)
    case.truth["vendors"] = {
        v["id"]: {
            "person": v["person"],
            "accounts": v["accounts"],
            "city": v["city"],
            "suspect": v["id"] == suspect["id"],
        }
        for v in vendors
    }
    return cast


def vendor(case: Case, vendor_id: str) -> dict:
    """Return one vendor of the cast by id."""
    return next(v for v in case.cast["vendors"] if v["id"] == vendor_id)
