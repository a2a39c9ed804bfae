"""The discriminating cases of 02-malicious-sites exist in every trainee's evidence.

Each wrong method that ``exercises/02-malicious-sites/answers.py`` names must meet, in the
evidence of each of 40 sample trainees, a case where it gives another answer than the right
method. World generation is slow (~0.4 s), so each world is made once for the module.
"""

from __future__ import annotations

import re

import pytest

from darktrail import addresses, pgp
from darktrail.world import generate

TRAINEES = [f"qa-{n:02d}" for n in range(1, 41)]
BTC = re.compile(r"bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BLOCK = re.compile(
    r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", re.S
)


@pytest.fixture(scope="module")
def worlds():
    return {t: generate("default", t, course_key=bytes(32)) for t in TRAINEES}


def _pages(world):
    return {
        s: world.files[f"sites/{s}/index.html"].decode("utf-8") for s in world.truth.sites.sites
    }


def _checked(text):
    found = []
    for candidate in BTC.findall(text):
        if addresses.is_valid(candidate) and candidate not in found:
            found.append(candidate)
    return found


def _base58_or_bech32_checksum_only(candidate):
    try:
        if candidate.startswith("bc1"):
            addresses.bech32_decode(candidate)
        else:
            addresses.base58check_decode(candidate)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("trainee", TRAINEES)
def test_bitcoin_traps(worlds, trainee):
    """A mistyped address, a good-checksum wrong-version one, and a page with two addresses."""
    pages = _pages(worlds[trainee])
    candidates = {c for page in pages.values() for c in BTC.findall(page)}
    invalid = {c for c in candidates if not addresses.is_valid(c)}
    # regex only: some candidate on a page fails the checksum or the version
    bad_checksum = {c for c in invalid if not _base58_or_bech32_checksum_only(c)}
    wrong_version = {c for c in invalid if _base58_or_bech32_checksum_only(c)}
    assert bad_checksum, "no mistyped address (bad checksum) on any page"
    assert wrong_version, "no good-checksum, wrong-version string on any page"
    assert any(c.startswith("3") for c in wrong_version)
    # order of first appearance, each once: a page naming B, A, B with A < B
    orders = [
        found
        for page in pages.values()
        if len(found := _checked(page)) >= 2 and found != sorted(found)
    ]
    assert orders, "no page with two addresses out of sorted order"
    repeated = [p for p in pages.values() if len(BTC.findall(p)) > len(set(BTC.findall(p)))]
    assert repeated, "no page naming one address twice"


@pytest.mark.parametrize("trainee", TRAINEES)
def test_page_traps(worlds, trainee):
    """Titles with entities, e-mails a narrow pattern cuts, a site without SSH."""
    world = worlds[trainee]
    pages = _pages(world)
    assert any("&amp;" in re.search(r"<title>(.*?)</title>", p).group(1) for p in pages.values())
    narrow = re.compile(r"\w+@\w+\.\w+")
    assert any(
        sorted(set(EMAIL.findall(p))) != sorted(set(narrow.findall(p))) for p in pages.values()
    )
    mailto = re.compile(r'mailto:([^"]+)')
    assert any(set(EMAIL.findall(p)) != set(mailto.findall(p)) for p in pages.values())
    greedy = re.compile(r"\S+@\S+")
    assert any(set(EMAIL.findall(p)) != set(greedy.findall(p)) for p in pages.values())
    sites = world.truth.sites.sites
    assert any(f"sites/{s}/ssh_22.txt" not in world.files for s in sites)


@pytest.mark.parametrize("trainee", TRAINEES)
def test_key_traps(worlds, trainee):
    """A scam shop publishes the forum's impostor key, whose short ID collides with a market key."""
    world = worlds[trainee]
    sites = world.truth.sites.sites
    market = {
        pgp.fingerprint(b.decode())
        for f, b in world.files.items()
        if f.startswith("keys/") and not f.startswith("keys/forum/")
    }
    forum = {
        pgp.fingerprint(b.decode()) for f, b in world.files.items() if f.startswith("keys/forum/")
    }
    scam_keys = {
        pgp.fingerprint(block)
        for s, page in _pages(world).items()
        if sites[s].kind == "scam shop"
        for block in BLOCK.findall(page)
    }
    assert scam_keys & forum, "no scam shop publishes a forum key"
    assert not scam_keys & market
    assert any(k[-8:] in {m[-8:] for m in market} for k in scam_keys), "no short-ID collision"


@pytest.mark.parametrize("trainee", TRAINEES)
def test_analytics_and_status_traps(worlds, trainee):
    """An ID on two mirrors of one market only; status pages out of sorted order."""
    world = worlds[trainee]
    sites = world.truth.sites.sites
    template = world.truth.sites.analytics_trap.id
    per_id: dict[str, list] = {}
    for t in sites.values():
        if t.kind == "market mirror":
            for i in t.analytics:
                per_id.setdefault(i, []).append(t.market)
    own = [i for i, markets in per_id.items() if len(markets) > 1 and len(set(markets)) == 1]
    assert own and template not in own
    phisher_pub = world.truth.sites.operators["op1"].ad_id
    assert sum(phisher_pub in t.analytics for t in sites.values()) >= 2
    status = [f for f in world.files if f.endswith("server-status.html")]
    assert len(status) >= 2
    hosts = [re.findall(r"<td>([^<>]+):80</td>", world.files[f].decode()) for f in status]
    assert any(h != sorted(h) for h in hosts), "every status page lists its hosts sorted"
    assert any(not h.endswith(".onion") for hs in hosts for h in hs)
