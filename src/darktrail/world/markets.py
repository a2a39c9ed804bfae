"""``markets/``: market signing keys, signed mirror lists and canaries, and lookalike addresses.

Each market has a few genuine onion mirrors (ed25519 keys from the world's generator) and
publishes them in a clearsigned mirror list. Phishing clones use *valid* lookalike onion
addresses sharing the first ``lookalike_prefix`` characters of a mirror (made with
:func:`darktrail.onion.lookalike_pubkey`, which costs milliseconds whatever the prefix; no
private key is needed for an address that only appears in evidence). ``lookalikes.csv``
mixes genuine mirrors and lookalikes as seen on forums and link lists, without labels.

Planted for assignment 01 in every world (drawn from their own labelled generators, so the
keys, mirrors and clones stay as they were), each separating a wrong method from the right one:

- lookalikes in the wild share 4 to 6 leading characters with their mirror (phishers with
  different budgets), so each market's longest shared prefix differs between trainees;
- a *batch*: two lookalikes from one vanity run share ``lookalike_prefix + 2`` characters with
  each other but only ``lookalike_prefix`` with the mirror (comparing sightings only with the
  mirrors misses it);
- a *mislabelled* lookalike of one market's mirror posted as another market's mirror, sharing
  ``lookalike_prefix + 3`` characters with that mirror (comparing addresses across markets
  finds a longer prefix than any pair claiming one market);
- one address seen twice (two rows, one address: comparing rows instead of addresses
  counts 56 characters);
- one market's mirror list as reposted on a forum: a line under the signature, *not signed*,
  names a lookalike as a "backup mirror" (reading the whole file instead of the signed text);
- canaries: one exactly ``CANARY_MAX_AGE`` days old on the report day (fresh), one stale
  *and* naming a block that is not on the chain (the order of the checks), one fresh naming a
  forged block at a real height (the block is checked by its hash); further markets get a
  stale canary with a real block.
"""

from __future__ import annotations

import datetime as dt
import os

from .. import onion, pgp
from .case import Case, csv_bytes, unix_time
from .truth import Canary, Market

__all__ = ["CANARY_MAX_AGE", "REPORT_DAY_AFTER_END", "build_mirrors", "build"]

#: Assignment 01 writes its report two days after the case period (its ``TODAY``) and calls a
#: canary stale when it is more than this many days old (its ``MAX_CANARY_AGE_DAYS``).
REPORT_DAY_AFTER_END = 2
CANARY_MAX_AGE = 7

_SOURCES = ("forum post", "link list", "paste site", "search engine", "chat channel")


def build_mirrors(case: Case) -> None:
    """Draw mirrors, phishing clones and market keys into ``case.cast`` (no files yet)."""
    rng = case.rng("mirrors")
    params = case.scenario["markets"]
    mirrors, keys = {}, {}
    for m in case.cast["markets"]:
        mirrors[m["slug"]] = [
            onion.address_from_pubkey(onion.keypair_from_seed(rng.randbytes(32))[1])
            for _ in range(max(1, params["mirrors_per_market"]))
        ]
        uid = f"{m['name']} <admin@{m['slug']}.invalid>"
        keys[m["slug"]] = pgp.generate_key(
            rng.randbytes(32), uid, unix_time(case.scenario.start, -rng.randint(200, 700) * 86_400)
        )
    prefix_len = params["lookalike_prefix"]
    clones = []
    for _ in range(params["phishing_clones"]):
        market = rng.choice(case.cast["markets"])["slug"]
        target = rng.choice(mirrors[market])
        address = onion.address_from_pubkey(onion.lookalike_pubkey(target[:prefix_len], rng))
        clones.append({"market": market, "imitates": target, "address": address})
    traps = case.rng("mirrors", "traps")
    wild = []
    for _ in range(params["lookalikes_in_the_wild"]):
        market = rng.choice(case.cast["markets"])["slug"]
        target = rng.choice(mirrors[market])
        shared = max(1, prefix_len + traps.randint(-1, 1))
        address = _lookalike(target, shared, rng)
        wild.append({"market": market, "imitates": target, "address": address})
    slugs = [m["slug"] for m in case.cast["markets"]]
    # A batch: two addresses of one vanity run, longer alike with each other than with the mirror.
    market = traps.choice(slugs)
    target = traps.choice(mirrors[market])
    run = target[:prefix_len] + traps.choice(_BASE32.replace(target[prefix_len], ""))
    run += "".join(traps.choice(_BASE32) for _ in range(1))
    first = _lookalike(run, len(run), traps)
    second = first
    while len(os.path.commonprefix([first, second])) != len(run) or second == first:
        second = _lookalike(run, len(run), traps)
    for address in (first, second):
        wild.append({"market": market, "imitates": target, "address": address, "trap": "batch"})
    # A lookalike of one market's mirror, posted as a mirror of another market.
    if len(slugs) > 1:
        of, posted_as = traps.sample(slugs, 2)
        target = traps.choice(mirrors[of])
        address = _lookalike(target, prefix_len + 3, traps)
        wild.append({"market": posted_as, "imitates": target, "address": address,
                     "trap": "mislabelled", "imitates_market": of})  # fmt: skip
    case.cast.update(mirrors=mirrors, market_keys=keys, clones=clones, wild_lookalikes=wild)


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def _lookalike(target: str, shared: int, rng) -> str:
    """A valid address sharing exactly ``shared`` leading characters with ``target``."""
    while True:
        address = onion.address_from_pubkey(onion.lookalike_pubkey(target[:shared], rng))
        if len(os.path.commonprefix([address, target])) == shared or shared >= len(target):
            return address


def build(case: Case) -> None:
    """Add each market's key, signed mirror list and canary, and ``markets/lookalikes.csv``."""
    rng = case.rng("markets")
    traps = case.rng("markets", "traps")
    ledger = case.cast["ledger"]
    sc = case.scenario
    truth: dict[str, Market] = {}
    kinds = ["fresh at the limit", "stale, forged block", "fresh, forged block"]
    kinds = (kinds + ["stale"] * len(case.cast["markets"]))[: len(case.cast["markets"])]
    traps.shuffle(kinds)
    reposted = traps.choice(case.cast["markets"])["slug"]
    report_day = sc.end + dt.timedelta(days=REPORT_DAY_AFTER_END)
    for m, kind in zip(case.cast["markets"], kinds, strict=True):
        slug, key = m["slug"], case.cast["market_keys"][m["slug"]]
        mirrors = case.cast["mirrors"][slug]
        listed = sc.start + dt.timedelta(days=rng.randint(3, 20))
        text = (
            f"{m['name']}: official mirrors\n"
            f"Updated {listed.isoformat()}\n\n"
            + "".join(f"http://{a}/\n" for a in mirrors)
            + "\nAny address not in this list is a phishing site. Always check this signature\n"
            f"against our key, fingerprint {key.fingerprint}.\n"
        )
        signed_at = unix_time(listed, rng.randrange(86_400))
        case.add(f"markets/{slug}/market.asc", pgp.armor_public_key(key), "markets",
                 f"PGP public key of {m['name']}")  # fmt: skip
        mirror_list = pgp.clearsign(key, text, signed_at)
        backup = None
        if slug == reposted:
            # Saved from a forum thread: the poster added a line under the signature.
            posted = [c for c in case.cast["wild_lookalikes"] if c["market"] == slug]
            backup = traps.choice(posted or case.cast["wild_lookalikes"])["address"]
            mirror_list += f"\nmain mirrors down since yesterday, backup mirror: http://{backup}/\n"
        case.add(f"markets/{slug}/mirrors.txt.asc", mirror_list,
                 "markets", f"clearsigned mirror list of {m['name']}", len(mirrors))  # fmt: skip
        # Canary: a recent block of the ledger proves the text was signed after that block.
        day = sc.end - dt.timedelta(days=rng.randint(2, 8))
        if kind == "fresh at the limit":
            day = report_day - dt.timedelta(days=CANARY_MAX_AGE)
        elif kind == "fresh, forged block":
            day = report_day - dt.timedelta(days=traps.randint(3, CANARY_MAX_AGE - 1))
        else:
            day = report_day - dt.timedelta(days=traps.randint(CANARY_MAX_AGE + 1, 14))
        limit = unix_time(day + dt.timedelta(days=1))
        blocks = sorted(
            {(t["status"]["block_height"], t["status"]["block_hash"], t["status"]["block_time"])
             for t in ledger.txs if t["status"]["block_time"] < limit - 3600}
        )  # fmt: skip
        height, block, block_time = blocks[-1]
        on_chain = "forged" not in kind
        if not on_chain:
            # A block hash that no block has: a canary written without a real block.
            block = "0" * 19 + traps.randbytes(23).hex()[:45]
        canary = (
            f"{m['name']} warrant canary\n"
            f"Date: {day.isoformat()}\n"
            f"Latest bitcoin block: {height} {block}\n\n"
            "As of this date we have not been served any warrant, subpoena or seizure order,\n"
            "and our servers and keys are under our sole control.\n"
        )
        canary_at = max(block_time + 600, limit - 3600 - rng.randrange(36_000))
        case.add(f"markets/{slug}/canary.txt.asc", pgp.clearsign(key, canary, canary_at),
                 "markets", f"clearsigned warrant canary of {m['name']}")  # fmt: skip
        truth[slug] = Market(
            name=m["name"],
            mirrors=tuple(mirrors),
            signing_fingerprint=key.fingerprint,
            canary=Canary(
                date=day.isoformat(),
                block_height=height,
                block_hash=block,
                block_on_chain=on_chain,
                kind=kind,
                status=_status(report_day - day, on_chain),
            ),
            unsigned_backup_mirror=backup,
            phishing=tuple(c["address"] for c in case.cast["clones"] if c["market"] == slug),
            lookalikes=tuple(
                c["address"] for c in case.cast["wild_lookalikes"] if c["market"] == slug
            ),
        )
    rows = []
    for m in case.cast["markets"]:
        for address in case.cast["mirrors"][m["slug"]]:
            rows.append([address, m["name"]])
    for c in case.cast["clones"] + case.cast["wild_lookalikes"]:
        name = next(m["name"] for m in case.cast["markets"] if m["slug"] == c["market"])
        rows.append([c["address"], name])
    rng.shuffle(rows)
    # One address seen twice: the same link posted in two places.
    again = traps.randrange(len(rows))
    rows.insert(traps.randrange(len(rows) + 1), rows[again])
    days = (sc.end - sc.start).days
    table = [
        [f"http://{address}/", name, (sc.start + dt.timedelta(days=rng.randrange(days))).isoformat(),
         rng.choice(_SOURCES)]
        for address, name in rows
    ]  # fmt: skip
    table.sort(key=lambda r: (r[2], r[0]))
    case.add("markets/lookalikes.csv", csv_bytes(["url", "claimed_market", "seen_at", "source"], table),
             "markets", "onion addresses claiming to be market mirrors, as seen in the wild",
             len(table))  # fmt: skip
    case.truth["markets"] = truth


def _status(age: dt.timedelta, on_chain: bool) -> str:
    """What assignment 01's ``check_canary`` says on the report day (signature checked apart)."""
    if age.days > CANARY_MAX_AGE:
        return "stale"
    return "ok" if on_chain else "unknown block"
