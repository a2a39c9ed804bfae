"""The cast of the case: markets, vendors and their accounts, exchanges, the suspect.

Every other provider reads the cast from ``case.cast`` so that names agree across the
evidence (the handle on a listing is the handle on the key, in the chat and on the shop).
"""

from __future__ import annotations

import difflib

from .case import Case
from .names import NameProvider
from .truth import Account, Vendor

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
    branded: set[int] = set()
    max_accounts = max(1, min(scenario["vendors"]["accounts_per_vendor_max"], len(markets)))
    for i in range(scenario["vendors"]["count"]):
        # The first two vendors always trade on several markets under different names.
        n_accounts = max_accounts if i < 2 else rng.randint(1, max_accounts)
        on = rng.sample(markets, n_accounts)
        handles = [names.handle() for _ in on]
        # Many vendors keep their brand across markets: v2 always does, others by chance.
        # v1 never does in a trainee's world (one key, unlike names); its variants are still
        # drawn, so every later draw stays as it was.
        if len(handles) > 1 and (i == 1 or rng.random() < 0.35):
            variants = [names.handle_variant(handles[0]) for _ in handles[1:]]
            if i != 0 or case.trainee is None:
                handles[1:] = variants
                branded.add(i)
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
    if case.trainee is not None:
        _copycats(case, vendors, branded, suspect["id"], names)
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
        v["id"]: Vendor(
            person=v["person"],
            accounts=tuple(Account(a["market"], a["handle"]) for a in v["accounts"]),
            city=v["city"],
            suspect=v["id"] == suspect["id"],
        )
        for v in vendors
    }
    return cast


def core(handle: str) -> str:
    """A handle's core: lower case, no ``_ - .`` or spaces, no digits at the end."""
    text = handle.lower()
    for separator in "_-. ":
        text = text.replace(separator, "")
    return text.rstrip("0123456789")


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two handles' cores (assignment 06's measure)."""
    return difflib.SequenceMatcher(None, core(a), core(b)).ratio()


# Shop-like words a copycat adds to a famous name, by length (a core of 2n letters plus a word
# of n letters has a similarity of exactly 0.8 with the core).
_COPYCAT_WORDS: dict[int, tuple[str, ...]] = {
    3: ("lab", "biz", "pro"),
    4: ("shop", "team", "club"),
    5: ("store", "deals", "trust"),
    6: ("market", "direct", "outlet"),
}


def _copycats(case: Case, vendors: list[dict], branded: set[int], suspect: str, names) -> None:
    """Two accounts of other vendors trade on a look-alike of a known vendor's name.

    One copies the name exactly, disguised (same core, similarity 1); the other adds a shop
    word after a dot, so the two names are *exactly* at the 0.8 threshold of assignment 06.
    Both belong to other vendors than the name's owner (other keys): weak links that are wrong.
    Drawn from their own generator; names only, so no other draw changes.
    """
    plan = case.rng("cast", "copycats")
    accounts = [(v, a) for v in vendors for a in v["accounts"]]
    free = [
        (v, a)
        for n, v in enumerate(vendors)
        if n >= 2 and n not in branded and v["id"] != suspect
        for a in v["accounts"]
    ]
    plan.shuffle(free)
    used = {a["handle"] for _, a in accounts} | set(names._used)
    cores = {core(a["handle"]) for _, a in accounts}
    done = []
    for kind in ("threshold", "same"):
        for v, account in free:
            if any(account is a for a in done):
                continue
            targets = [
                (tv, ta)
                for tv, ta in accounts
                if tv is not v
                and ta["market"] != account["market"]
                and not any(ta is a for a in done)
                and (kind == "same" or len(core(ta["handle"])) // 2 in _COPYCAT_WORDS)
                and (kind == "same" or len(core(ta["handle"])) % 2 == 0)
            ]
            plan.shuffle(targets)
            handle = None
            for _, target in targets:
                if any(target is a for a in done):
                    continue
                stem = core(target["handle"])
                digits = str(plan.randrange(10, 100)) if plan.random() < 0.5 else ""
                if kind == "threshold":
                    word = plan.choice(_COPYCAT_WORDS[len(stem) // 2])
                    candidate = f"{stem}.{word}{digits}"
                    if similarity(candidate, target["handle"]) != 0.8:
                        continue
                    if core(candidate) in cores:
                        continue
                else:
                    middle = plan.randrange(2, len(stem) - 1)
                    candidate = plan.choice(
                        (
                            f"{stem[:middle].capitalize()}_{stem[middle:]}{digits or '1'}",
                            f"{stem.capitalize()}-{digits or '7'}",
                            f"{stem[:middle]}_{stem[middle:]}",
                        )
                    )
                    if similarity(candidate, target["handle"]) != 1.0:
                        continue
                if candidate in used:
                    continue
                handle = candidate
                break
            if handle is None:
                continue
            if account is v["accounts"][0]:
                v["email"] = f"{core(handle)}@{v['email'].split('@')[1]}"
            used.add(handle)
            cores.add(core(handle))
            account["handle"] = handle
            done += [account, target]  # neither is renamed again
            break


def vendor(case: Case, vendor_id: str) -> dict:
    """Return one vendor of the cast by id."""
    return next(v for v in case.cast["vendors"] if v["id"] == vendor_id)
