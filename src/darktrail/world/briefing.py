"""``briefing.md``: the case briefing a trainee reads first."""

from __future__ import annotations

from .case import Case
from .people import vendor

__all__ = ["build"]


def build(case: Case) -> None:
    """Add the briefing, naming this trainee's suspect, markets and seized device."""
    scenario = case.scenario
    meta = scenario["scenario"]
    suspect = vendor(case, case.cast["suspect"])
    account = suspect["accounts"][0]
    market = next(m for m in case.cast["markets"] if m["slug"] == account["market"])
    markets = ", ".join(m["name"] for m in case.cast["markets"])
    seized_at = scenario["seized"]["seized_at"].strftime("%d %B %Y, %H:%M UTC")
    text = f"""# {meta["title"]}

*Training case. Every person, market, shop, address and domain in this folder is fictional.*

## Situation

Between {scenario.start:%d %B} and {scenario.end:%d %B %Y}, investigators in {meta["region"]}
followed the sale of new psychoactive substances (NPS) on darknet markets ({markets}).
Buyers pay in bitcoin; shops deliver by dead drop ("stash") in cities across the region and
send the buyer a photo and coordinates of the drop.

A vendor trading as **{account["handle"]}** on **{market["name"]}** came to notice through test
purchases delivered in {suspect["city"]}. On {seized_at} a {scenario["seized"]["device"]} was
seized at an address linked to the vendor and imaged; the image's files and the
chain-of-custody manifest are in `seized/`.

## Your evidence

| Folder | What it holds |
|---|---|
| `markets/` | each market's signing key, signed mirror list and canary; onion addresses seen on forums |
| `keys/` | vendor PGP public keys as published on the markets and on forums |
| `listings/` | listings scraped from the markets (product category, price, city, dates, ratings) |
| `sites/` | a crawl of onion sites: pages, response headers and other paths, photos |
| `ledger/` | bitcoin transactions (Esplora JSON), a price table, raw-transaction samples |
| `messages/` | PGP-signed and encrypted messages attributed to vendors |
| `seized/` | files from the seized {scenario["seized"]["device"]} and their hash manifest |

`index.csv` lists every file with its size and number of records.

## Questions the case asks

1. Which onion addresses are genuine mirrors of each market, and which are phishing clones?
2. Which vendor accounts on different markets belong to the same person?
3. Which signed messages are genuine, and which were forged?
4. Which sites share an operator, and what ties them together (and what does not)?
5. Where did the vendor's bitcoin go, through which patterns, to which exchange, and how much?
6. Is the seized evidence intact? Check every file against the manifest.

Work only on copies of the evidence, note every step, and say which assumptions each
conclusion rests on.
"""
    case.add("briefing.md", text, "briefing", "case briefing")
