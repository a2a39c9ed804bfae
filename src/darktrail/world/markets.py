"""``markets/``: market signing keys, signed mirror lists and canaries, and lookalike addresses.

Each market has a few genuine onion mirrors (ed25519 keys from the world's generator) and
publishes them in a clearsigned mirror list. Phishing clones use *valid* lookalike onion
addresses sharing the first ``lookalike_prefix`` characters of a mirror (made with
:func:`darktrail.onion.lookalike_pubkey`, which costs milliseconds whatever the prefix; no
private key is needed for an address that only appears in evidence). ``lookalikes.csv``
mixes genuine mirrors and lookalikes as seen on forums and link lists, without labels.
"""

from __future__ import annotations

import datetime as dt

from .. import onion, pgp
from .case import Case, csv_bytes, unix_time

__all__ = ["build_mirrors", "build"]

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
    wild = []
    for _ in range(params["lookalikes_in_the_wild"]):
        market = rng.choice(case.cast["markets"])["slug"]
        target = rng.choice(mirrors[market])
        address = onion.address_from_pubkey(onion.lookalike_pubkey(target[:prefix_len], rng))
        wild.append({"market": market, "imitates": target, "address": address})
    case.cast.update(mirrors=mirrors, market_keys=keys, clones=clones, wild_lookalikes=wild)


def build(case: Case) -> None:
    """Add each market's key, signed mirror list and canary, and ``markets/lookalikes.csv``."""
    rng = case.rng("markets")
    ledger = case.cast["ledger"]
    sc = case.scenario
    truth = {}
    for m in case.cast["markets"]:
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
        case.add(f"markets/{slug}/mirrors.txt.asc", pgp.clearsign(key, text, signed_at),
                 "markets", f"clearsigned mirror list of {m['name']}", len(mirrors))  # fmt: skip
        # Canary: a recent block of the ledger proves the text was signed after that block.
        day = sc.end - dt.timedelta(days=rng.randint(2, 8))
        limit = unix_time(day + dt.timedelta(days=1))
        blocks = sorted(
            {(t["status"]["block_height"], t["status"]["block_hash"], t["status"]["block_time"])
             for t in ledger.txs if t["status"]["block_time"] < limit - 3600}
        )  # fmt: skip
        height, block, block_time = blocks[-1]
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
        truth[slug] = {
            "name": m["name"],
            "mirrors": mirrors,
            "signing_fingerprint": key.fingerprint,
            "canary": {"date": day.isoformat(), "block_height": height, "block_hash": block},
            "phishing": [c["address"] for c in case.cast["clones"] if c["market"] == slug],
            "lookalikes": [
                c["address"] for c in case.cast["wild_lookalikes"] if c["market"] == slug
            ],
        }
    rows = []
    for m in case.cast["markets"]:
        for address in case.cast["mirrors"][m["slug"]]:
            rows.append([address, m["name"]])
    for c in case.cast["clones"] + case.cast["wild_lookalikes"]:
        name = next(m["name"] for m in case.cast["markets"] if m["slug"] == c["market"])
        rows.append([c["address"], name])
    rng.shuffle(rows)
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
