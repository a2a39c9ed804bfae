"""Expected answers of 02-malicious-sites, computed from each trainee's frozen case.

Instructor-only: never released. For every graded cell, the wrong methods it must reject and
what in EVERY trainee's evidence tells each from the right method (``tests/test_traps_02.py``
asserts the planted ones for 40 trainees):

- load-crawl: counting rows instead of sites (public check); a partial read -- the crawl and
  its count are handed in together, and the crawl (60+ rows, onion addresses) is the
  trainee's own (14 sites for everyone, so the count alone would be shared).
- front-pages: a title kept with its HTML entities -- the dropper's title holds ``&amp;``;
  reading another row than ``/`` -- every site has several crawl rows.
- parse-headers: splitting on ``:`` (``Date`` holds ``HH:MM:SS``); filling missing headers with
  text -- ``X-Powered-By``/``Set-Cookie`` are sent by mirrors only.
- find-emails: ``mailto:`` links only -- the dropper writes its e-mails as plain text; a narrow
  pattern (``\\w+@\\w+\\.\\w+``) or a greedy ``\\S+@\\S+`` -- the dropper's reseller address has dots
  and hyphens on both sides of ``@`` and the support address ends a sentence (full stop).
- find-analytics: only ``UA-`` IDs -- the phisher's ``pub-`` ID is on 4+ sites; ``ca-pub-``
  (public check).
- find-ssh: the trailing full stop (public check); an entry (None) for every site -- one
  vendor shop has no ``ssh_22.txt``; keyed by onion address -- keys are compared.
- find-pgp: fingerprints of the wrong text (not the block) -- vendor shops and one scam shop
  publish a block; comparing fingerprint case is ignored.
- btc-function (probes, per run): regex only (a mistyped copy of an evidence address; a
  Base58Check string with a good checksum and the version byte 6 or 7; a bc1p with the Bech32
  instead of the Bech32m checksum); checking only the Base58/Bech32 checksum (the last two);
  no de-duplication and sorted output (a text naming B, A, B with A < B).
- btc-sites: regex only -- a scam shop shows a mistyped copy of its address and the dropper a
  good-checksum, wrong-version ``3...`` string; sorted or repeated -- the other scam shop shows
  main, reserve (a legacy ``1...`` address, which sorts first), main.
- status-ip: the Client column (127.0.0.1) -- every status page has it; one page only -- a
  market mirror and the phisher's clones expose one each.
- status-vhosts: sorted or de-duplicated lists -- the phisher's page lists hosts in site order
  (tested: not sorted for any of 40 trainees); a pattern for onions only -- it names a clearnet
  domain too.
- new-leads: one status page only -- the market's page names its third (uncrawled) mirror,
  the phisher's a clearnet domain.
- open-dirs: every path ending in ``/`` -- the front page ``/`` is no listing.
- to-degrees (probes): seconds over 60, the reference ignored, only S negative (W probes),
  ``ref == "S" or "W"`` (N and E probes).
- photo-gps: latitude and longitude swapped (Central Asian cities: 37-44 N, 64-78 E), seconds
  over 60. Not separated: ignoring the reference letter (every photo is N/E, see the report).
- signed-mirrors: the folder slug as the name. Not separated: skipping the verification (every
  list in markets/ verifies; markets.py is not this assignment's module, see the report).
- flag-phishing: trusting the title; comparing address prefixes (clones share 5 characters);
  ``claimed_market`` is judged on every crawled title.
- flag-droppers: (little room for a wrong method) sites with a listing -- vendor shops have one.
- shop-vendors: keys/forum included, or short key IDs compared -- a scam shop publishes the
  forum's "new key" of a vendor, whose short ID collides with that vendor's market key.
- classify: any PGP key taken for a vendor -- that scam shop; trusting titles -- the clones.
- template-ids: any ID on two or more mirrors -- one market's mirrors carry its own extra
  ``UA-`` ID; any ID on two or more sites -- the phisher's ``pub-`` ID.
- leads-table: server-status left out (IP, co-hosted names), ``http://`` kept on onions.
- build-graph: template ID kept (merges rival markets), a kind left out (fewer edges).
- name-operators: groups of one kept, or the template-merged components.
- plot-graph: one colour for all (or per operator), no labels -- the colours must split the
  sites exactly by kind.
"""

from __future__ import annotations

import io
import re
from html import unescape
from itertools import combinations

import pandas as pd

from darktrail import addresses, onion, pgp
from darktrail.course.judge import (
    Answers,
    FormError,
    Probe,
    _,
    any_text,
    number,
    set_of,
    whole_number,
)

answers = Answers()

BTC = re.compile(r"bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ANALYTICS = re.compile(r"\b(?:UA-\d+-\d+|pub-\d{16})\b")
PGP_BLOCK = re.compile(
    r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", re.S
)
KINDS = ("market mirror", "phishing clone", "vendor shop", "scam shop", "malware dropper")


# -- the evidence, read as the trainee reads it ------------------------------------------------


def _crawl(case) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(case.files["sites/crawl.csv"]))


def _text(case, path: str) -> str:
    return case.files[path].decode("utf-8")


def _front(case) -> dict[str, tuple[str, str]]:
    """{site_id: (url, html)} of every site's front page."""
    crawl = _crawl(case)
    front = crawl[crawl["path"] == "/"]
    return {
        s: (u, _text(case, f))
        for s, u, f in zip(front["site_id"], front["url"], front["file"], strict=True)
    }


def _title(page: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", page).group(1))


def _btc(text: str) -> list[str]:
    found = []
    for candidate in BTC.findall(text):
        if addresses.is_valid(candidate) and candidate not in found:
            found.append(candidate)
    return found


def _status(case) -> dict[str, str]:
    crawl = _crawl(case)
    rows = crawl[(crawl["path"] == "/server-status") & (crawl["status"] == 200)]
    return {s: _text(case, f) for s, f in zip(rows["site_id"], rows["file"], strict=True)}


def _ips(case) -> dict[str, str]:
    return {
        s: re.search(r"Server Status for ([\d.]+)", t).group(1) for s, t in _status(case).items()
    }


def _vhosts(case) -> dict[str, list[str]]:
    return {s: re.findall(r"<td>([^<>]+):80</td>", t) for s, t in _status(case).items()}


def _pgp(case) -> dict[str, list[str]]:
    return {
        s: [pgp.fingerprint(b) for b in PGP_BLOCK.findall(p)] for s, (_u, p) in _front(case).items()
    }


def _mirrors(case) -> dict[str, set[str]]:
    found = {}
    folders = sorted(
        {p.split("/")[1] for p in case.files if p.startswith("markets/") and p.count("/") == 2}
    )
    for slug in folders:
        signed = case.files.get(f"markets/{slug}/mirrors.txt.asc")
        key = case.files.get(f"markets/{slug}/market.asc")
        if signed is None or key is None:
            continue
        check = pgp.verify_clearsigned(signed.decode("utf-8"), key.decode("utf-8"))
        if check.valid:
            name = check.text.splitlines()[0].split(": official mirrors")[0]
            found[name] = set(onion.find_onions(check.text))
    return found


def _claimed(mirrors, title):
    return next((name for name in mirrors if name in title), None)


def _phishing(case) -> list[str]:
    mirrors = _mirrors(case)
    out = []
    for s, (url, page) in _front(case).items():
        market = _claimed(mirrors, _title(page))
        if market is not None and url.removeprefix("http://") not in mirrors[market]:
            out.append(s)
    return sorted(out)


def _droppers(case) -> list[str]:
    crawl = _crawl(case)
    return sorted(set(crawl.loc[crawl["path"].str.endswith(".exe"), "site_id"]))


def _market_keys(case, forum: bool = False) -> dict[str, str]:
    keys = {}
    for path in sorted(p for p in case.files if p.startswith("keys/") and p.endswith(".asc")):
        _keys, market, name = path.split("/")
        if market == "forum" and not forum:
            continue
        keys[f"{market}/{name.removesuffix('.asc')}"] = pgp.fingerprint(
            case.files[path].decode("utf-8")
        )
    return keys


def _shop_vendors(case, forum: bool = False, short: bool = False) -> dict[str, list[str]]:
    keys = _market_keys(case, forum)
    out = {}
    for s, fprs in _pgp(case).items():
        if not fprs:
            continue
        if short:
            out[s] = sorted(a for a, f in keys.items() if f[-8:] in {x[-8:] for x in fprs})
        else:
            out[s] = sorted(a for a, f in keys.items() if f in fprs)
    return out


def _kinds(case, any_key: bool = False) -> dict[str, str]:
    mirrors, phishing, droppers = _mirrors(case), _phishing(case), _droppers(case)
    vendors = _shop_vendors(case)
    pgp_keys = _pgp(case)
    out = {}
    for s, (_url, page) in _front(case).items():
        if s in phishing:
            out[s] = "phishing clone"
        elif _claimed(mirrors, _title(page)) is not None:
            out[s] = "market mirror"
        elif s in droppers:
            out[s] = "malware dropper"
        elif pgp_keys[s] if any_key else vendors.get(s):
            out[s] = "vendor shop"
        else:
            out[s] = "scam shop"
    return out


def _analytics(case) -> dict[str, list[str]]:
    return {s: sorted(set(ANALYTICS.findall(p))) for s, (_u, p) in _front(case).items()}


def _template_ids(case, rule: str = "markets") -> set[str]:
    kinds, analytics, mirrors = _kinds(case), _analytics(case), _mirrors(case)
    per_id: dict[str, set] = {}
    for s, (_u, page) in _front(case).items():
        if rule != "sites" and kinds[s] != "market mirror":
            continue
        for i in analytics[s]:
            per_id.setdefault(i, set()).add(
                _claimed(mirrors, _title(page)) if rule == "markets" else s
            )
    return {i for i, where in per_id.items() if len(where) > 1}


def _ssh(case) -> dict[str, str]:
    out = {}
    for s in _front(case):
        banner = case.files.get(f"sites/{s}/ssh_22.txt")
        if banner is not None:
            out[s] = re.search(r"SHA256:[A-Za-z0-9+/]{43}", banner.decode()).group(0)
    return out


def _leads(case) -> set[tuple[str, str, str]]:
    front = _front(case)
    rows = set()
    for s, (url, page) in front.items():
        rows |= {(s, "email", v) for v in EMAIL.findall(page)}
        rows |= {(s, "analytics", v) for v in ANALYTICS.findall(page)}
        rows |= {(s, "btc", v) for v in _btc(page)}
        rows.add((s, "onion", url.removeprefix("http://")))
    for s, fprs in _pgp(case).items():
        rows |= {(s, "pgp", v) for v in fprs}
    rows |= {(s, "ssh", v) for s, v in _ssh(case).items()}
    rows |= {(s, "ip", v) for s, v in _ips(case).items()}
    for s, hosts in _vhosts(case).items():
        rows |= {(s, "onion", h) for h in hosts}
    return rows


def _graph(case, keep_template: bool = False) -> tuple[list[str], list[list[str]]]:
    template = set() if keep_template else _template_ids(case)
    by_value: dict[str, set] = {}
    for s, _kind, v in _leads(case):
        if v not in template:
            by_value.setdefault(v, set()).add(s)
    edges = {pair for sites in by_value.values() for pair in combinations(sorted(sites), 2)}
    return sorted(_front(case)), sorted(map(list, edges))


def _components(nodes, edges) -> list[list[str]]:
    group = {n: {n} for n in nodes}
    for a, b in edges:
        if group[a] is not group[b]:
            merged = group[a] | group[b]
            for n in merged:
                group[n] = merged
    return sorted({tuple(sorted(g)) for g in group.values() if len(g) > 1})


# -- forms -------------------------------------------------------------------------------------


def _text_or_none(value):
    return None if value is None else any_text(value)


def dict_of(
    key=any_text, item=any_text, what: str = _("the answer should be a dict {site_id: ...}")
):
    """A dict whose keys and values are normalised by ``key`` and ``item``.

    ``what`` is the hint for an answer that is no dict: one ``_()`` text, so it is translated.
    """

    def form(value):
        if not isinstance(value, dict):
            raise FormError(what)
        return {key(k): item(v) for k, v in value.items()}

    form.__name__ = "dict_of"
    return form


def texts_in_order(value):
    if not isinstance(value, (list, tuple)):
        raise FormError(_("each value should be a list"))
    return tuple(any_text(v) for v in value)


def texts_any_order(value):
    if not isinstance(value, (list, tuple, frozenset)):
        raise FormError(_("each value should be a list"))
    return tuple(sorted(any_text(v) for v in value))


def fingerprints(value):
    if not isinstance(value, (list, tuple, frozenset)):
        raise FormError(_("each value should be a list of fingerprints"))
    return tuple(sorted(any_text(v).upper().replace(" ", "") for v in value))


def crawl_and_count(value):
    """(crawl table, number of sites) as (set of rows, whole number)."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise FormError(_("hand in crawl and n_sites"))
    frame, count = value
    if type(frame).__name__ != "DataFrame":
        raise FormError(_("crawl should be a DataFrame: use pd.read_csv"))
    try:
        rows = frozenset(
            (str(s), str(u), str(p), int(st))
            for s, u, p, st in zip(
                frame["site_id"], frame["url"], frame["path"], frame["status"], strict=True
            )
        )
    except (KeyError, ValueError, TypeError):
        raise FormError(_("crawl lacks the columns of crawl.csv")) from None
    return rows, whole_number(count)


def header_value(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def degrees(value):
    return round(number(value), 6)


def lat_lon(value):
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise FormError(_("each value is a pair (latitude, longitude)"))
    return (round(number(value[0]), 4), round(number(value[1]), 4))


def pair(value):
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise FormError(_("each item should be a pair (site_id, path)"))
    return (any_text(value[0]), any_text(value[1]))


def mirror_sets(value):
    if not isinstance(value, dict):
        raise FormError(_("genuine_mirrors should be a dict {market name: set of addresses}"))
    return {any_text(k): frozenset(any_text(a) for a in v) for k, v in value.items()}


def phishing_and_claims(value):
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise FormError(_("hand in phishing and the claims"))
    found, claims = value
    return set_of(any_text)(found), dict_of(item=_text_or_none)(claims)


def kind_name(value):
    text = any_text(value)
    if text not in KINDS:
        raise FormError(_("use exactly the five kinds"))
    return text


def lead_rows(value):
    if type(value).__name__ != "DataFrame" or not {"site_id", "kind", "value"} <= set(
        value.columns
    ):
        raise FormError(_("leads needs the columns site_id, kind, value"))
    return frozenset(
        (str(s), str(k), str(v).strip())
        for s, k, v in zip(value["site_id"], value["kind"], value["value"], strict=True)
    )


def graph_form(value):
    if not isinstance(value, dict) or not {"nodes", "edges"} <= set(value):
        raise FormError(_("G should be a networkx Graph"))
    nodes = frozenset(any_text(n) for n in value["nodes"])
    edges = frozenset(frozenset(any_text(x) for x in e) for e in value["edges"])
    return nodes, edges


def groups_form(value):
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise FormError(_("hand in operators and phisher_sites"))
    groups, phisher = value
    return (
        frozenset(frozenset(any_text(s) for s in g) for g in groups),
        frozenset(any_text(s) for s in phisher),
    )


def colour_partition(value):
    """The drawn nodes as (set of labels, partition of labels by colour)."""
    if not isinstance(value, dict) or not isinstance(value.get("nodes"), dict):
        raise FormError(_("ax should be the axes you drew the graph on"))
    groups: dict = {}
    for label, colour in value["nodes"].items():
        groups.setdefault(colour, set()).add(str(label))
    return frozenset(value["nodes"]), frozenset(frozenset(g) for g in groups.values())


# -- the graded cells ----------------------------------------------------------------------------


@answers.value(
    "load-crawl-test",
    form=crawl_and_count,
    hint=_("read the whole crawl.csv and count each site_id once"),
)
def load_crawl(case):
    crawl = _crawl(case)
    return [crawl, int(crawl["site_id"].nunique())]


@answers.value(
    "front-pages-test",
    form=dict_of(item=lambda v: tuple(any_text(x) for x in v)),
    hint=_("keep each site's whole front page (the row whose path is /) and its decoded title"),
    mistakes={
        _("decode the title with html.unescape: &amp; should become &"): lambda c: {
            s: [u, p, re.search(r"<title>(.*?)</title>", p).group(1)]
            for s, (u, p) in _front(c).items()
        }
    },
)
def front_pages(case):
    return {s: [u, p, _title(p)] for s, (u, p) in _front(case).items()}


@answers.value(
    "parse-headers-test",
    form=dict_of(item=dict_of(item=header_value)),
    hint=_(
        "each cell should hold the header's value as the site sent it; a header not sent is NaN"
    ),
)
def parse_headers(case):
    out = {}
    for s in _front(case):
        lines = _text(case, f"sites/{s}/headers.txt").split("\r\n")[1:]
        out[s] = dict(line.split(": ", 1) for line in lines if line)
    return out


@answers.value(
    "find-emails-test",
    form=dict_of(item=texts_in_order),
    hint=_(
        "look for every e-mail address in the whole page, mailto: links and plain text, "
        "without the punctuation around it"
    ),
)
def find_emails(case):
    return {s: sorted(set(EMAIL.findall(p))) for s, (_u, p) in _front(case).items()}


@answers.value(
    "find-analytics-test",
    form=dict_of(item=texts_in_order),
    hint=_("collect both kinds of ID, UA-... and pub-..., each once, sorted"),
)
def find_analytics(case):
    return _analytics(case)


@answers.value(
    "find-ssh-test",
    form=dict_of(),
    hint=_("read the fingerprint of every site that has an ssh_22.txt, and only those"),
)
def find_ssh(case):
    return _ssh(case)


@answers.value(
    "find-pgp-test",
    form=dict_of(item=fingerprints),
    hint=_("compute the fingerprint of every key block in each page with pgp.fingerprint(block)"),
)
def find_pgp(case):
    return _pgp(case)


def _bech32_wrong_variant(rng) -> str:
    """A bc1p address of 32 bytes with the Bech32 (not Bech32m) checksum: invalid."""
    data = [1, *addresses._convert_bits(rng.randbytes(32), 8, 5, pad=True)]
    text = addresses.bech32_encode("bc", data, "bech32")
    assert not addresses.is_valid(text)
    return text


def _wrong_version(rng) -> str:
    while True:
        text = addresses.base58check_encode(bytes([rng.choice((6, 7))]) + rng.randbytes(20))
        if text.startswith("3") and not addresses.is_valid(text):
            return text


def _mistype(rng, address: str) -> str:
    alphabet = (
        "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
        if address.startswith("bc1")
        else "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    )
    while True:
        at = rng.randrange(8, len(address) - 1)
        typo = address[:at] + rng.choice(alphabet.replace(address[at], "")) + address[at + 1 :]
        if not addresses.is_valid(typo):
            return typo


@answers.calls(
    "btc-function-test",
    form=texts_in_order,
    hint=_("keep the candidates whose checksum verifies (addresses.is_valid), in order, each once"),
)
def btc_probes(case, folder, rng):
    real = sorted({a for _s, (_u, p) in _front(case).items() for a in _btc(p)})
    a1, a2 = (
        rng.sample(real, 2) if len(real) >= 2 else (real[0], addresses.p2wpkh(rng.randbytes(20)))
    )
    legacy = addresses.p2pkh(rng.randbytes(20))
    p2sh = addresses.p2sh(rng.randbytes(20))
    taproot = addresses.p2tr(rng.randbytes(32))
    low, high = sorted([legacy, a1])
    block = next((b for _s, (_u, p) in _front(case).items() for b in PGP_BLOCK.findall(p)), "")
    texts = [
        (
            f"pay {_mistype(rng, a1)} (typo) or {a1}.",
            [a1],
            _("a string of the right shape whose checksum fails is not an address"),
        ),
        (
            f"Donate: {_wrong_version(rng)}; orders: {p2sh}",
            [p2sh],
            _(
                "a good Base58Check checksum is not enough: the version byte must be a Bitcoin type; "
                "use addresses.is_valid"
            ),
        ),
        (
            f"new wallet {_bech32_wrong_variant(rng)} or {taproot}",
            [taproot],
            _("a bc1p address needs the Bech32m checksum: use addresses.is_valid"),
        ),
        (
            f"main {high}, reserve {low}, main again {high}",
            [high, low],
            _("list each address once, in the order it first appears (do not sort)"),
        ),
        (f"{block}\nSend to {a2}\n", [a2], _("drop candidates that do not verify")),
        ("nothing here, 1234567 and bc1 only", [], _("return an empty list when there is none")),
        (
            f"Set-Cookie: 1{'A' * 30}; then {legacy}",
            [legacy],
            _("drop candidates that do not verify"),
        ),
    ]
    return [Probe((text,), expected, hint) for text, expected, hint in texts]


@answers.value(
    "btc-sites-test",
    form=dict_of(item=texts_in_order),
    hint=_("use bitcoin_addresses on each site's whole front page"),
)
def btc_sites(case):
    return {s: _btc(p) for s, (_u, p) in _front(case).items()}


@answers.value(
    "status-ip-test",
    form=dict_of(),
    hint=_(
        "take the IP from the heading of every status page answered with 200; "
        "127.0.0.1 is where Tor connects from"
    ),
)
def status_ip(case):
    return _ips(case)


@answers.value(
    "status-vhosts-test",
    form=dict_of(item=texts_in_order),
    hint=_("list every host of the VHost column, in page order"),
)
def status_vhosts(case):
    return _vhosts(case)


@answers.value(
    "new-leads-test",
    form=set_of(any_text),
    hint=_("keep every co-hosted name that is not a crawled site, from every status page"),
)
def new_leads(case):
    crawled = {u.removeprefix("http://") for u, _p in _front(case).values()}
    return sorted({h for hosts in _vhosts(case).values() for h in hosts} - crawled)


@answers.value(
    "open-dirs-test",
    form=set_of(pair),
    hint=_("a listing is a page titled Index of ...; the front page is not one"),
)
def open_dirs(case):
    crawl = _crawl(case).dropna(subset=["file"])
    return sorted(
        (s, p)
        for s, p, f in zip(crawl["site_id"], crawl["path"], crawl["file"], strict=True)
        if f.endswith(".html") and b"<title>Index of" in case.files[f]
    )


@answers.calls("to-degrees-test", form=degrees, hint=_("degrees + minutes / 60 + seconds / 3600"))
def degree_probes(case, folder, rng):
    def exact(d, m, s, ref):
        value = d + m / 60 + s / 3600
        return -value if ref in ("S", "W") else value

    cases = [
        ((43, 15, 0), "N", _("15 minutes are a quarter degree")),
        ((76, 54, 36), "E", _("a second is 1/3600 of a degree")),
        ((33, 52, 4.5), "S", _("south is negative")),
        ((0, 30, 0), "W", _("west is negative")),
        (
            (rng.randint(1, 80), rng.randint(0, 59), rng.randint(1, 5999) / 100),
            "N",
            _("north is positive: a second is 1/3600 of a degree"),
        ),
        (
            (rng.randint(1, 170), rng.randint(0, 59), rng.randint(1, 5999) / 100),
            "E",
            _("east is positive: a second is 1/3600 of a degree"),
        ),
        (
            (rng.randint(1, 170), rng.randint(0, 59), rng.randint(1, 5999) / 100),
            "W",
            _("west is negative"),
        ),
    ]
    return [Probe((list(dms), ref), exact(*dms, ref), hint) for dms, ref, hint in cases]


def _photo_gps(case):
    from PIL import Image

    crawl = _crawl(case)
    photos = crawl[crawl["content_type"] == "image/jpeg"]
    out = {}
    for s, f in zip(photos["site_id"], photos["file"], strict=True):
        with Image.open(io.BytesIO(case.files[f])) as photo:
            gps = dict(photo.getexif().get_ifd(0x8825))

        def dec(dms, ref):
            d, m, sec = (float(x) for x in dms)
            value = d + m / 60 + sec / 3600
            return -value if ref in ("S", "W") else value

        out[s] = [dec(gps[2], gps[1]), dec(gps[4], gps[3])]
    return out


@answers.value(
    "photo-gps-test",
    form=dict_of(item=lat_lon),
    hint=_("read every photo of the crawl; latitude first, then longitude, in decimal degrees"),
    mistakes={
        _("latitude (tags 1, 2) comes first, then longitude (tags 3, 4)"): lambda c: {
            s: [lon, lat] for s, (lat, lon) in _photo_gps(c).items()
        }
    },
)
def photo_gps(case):
    return _photo_gps(case)


@answers.value(
    "signed-mirrors-test",
    form=mirror_sets,
    hint=_(
        "take every market's name (first line of the signed text) and all the mirrors of "
        "its verified list"
    ),
)
def signed_mirrors(case):
    return {k: sorted(v) for k, v in _mirrors(case).items()}


@answers.value(
    "flag-phishing-test",
    form=phishing_and_claims,
    hint=_(
        "a page's title says what it claims to be; only the signed mirror list says what it "
        "is, and only the whole address counts"
    ),
)
def flag_phishing(case):
    mirrors = _mirrors(case)
    claims = {s: _claimed(mirrors, _title(p)) for s, (_u, p) in _front(case).items()}
    return [_phishing(case), claims]


@answers.value(
    "flag-droppers-test",
    form=dict_of(),
    hint=_("look for downloads of .exe files in the crawl"),
)
def flag_droppers(case):
    """The droppers with their addresses (the check cell hands both in)."""
    front = _front(case)
    return {s: front[s][0] for s in _droppers(case)}


@answers.value(
    "shop-vendors-test",
    form=dict_of(item=texts_any_order),
    hint=_("compare the shop's full fingerprint with every market key (not the forum keys)"),
    mistakes={
        _("leave the forum keys out: a key posted on a forum is no market account"): lambda c: (
            _shop_vendors(c, forum=True)
        ),
        _("compare full fingerprints: short key IDs can be forged to collide"): lambda c: (
            _shop_vendors(c, short=True)
        ),
    },
)
def shop_vendors(case):
    return _shop_vendors(case)


@answers.value(
    "classify-test",
    form=dict_of(item=kind_name),
    hint=_(
        "decide from the signed mirror list, the downloads and the vendor keys, not from the "
        "page's own words"
    ),
    mistakes={
        _(
            "a PGP key on a page is not enough: it must be the key of a vendor known on a market"
        ): lambda c: _kinds(c, any_key=True),
    },
)
def classify(case):
    return _kinds(case)


@answers.value(
    "template-ids-test",
    form=set_of(any_text),
    hint=_("keep only IDs seen on the mirrors of two or more different markets"),
    mistakes={
        _("count markets, not mirrors: two mirrors of one market share their owner"): lambda c: (
            _template_ids(c, "mirrors")
        ),
        _("look at the market mirrors only, and count the markets they belong to"): lambda c: (
            _template_ids(c, "sites")
        ),
    },
)
def template_ids(case):
    return sorted(_template_ids(case))


@answers.value(
    "leads-table-test",
    form=lead_rows,
    hint=_(
        "every identifier of every site should have a row: check each kind, the status "
        "pages' IP and co-hosted names too"
    ),
)
def leads_table(case):
    rows = sorted(_leads(case))
    return pd.DataFrame(rows, columns=["site_id", "kind", "value"])


@answers.value(
    "build-graph-test",
    form=graph_form,
    hint=_("link every pair of sites that share a value of leads, except the template IDs"),
    mistakes={
        _(
            "an identifier shipped with a template links sites of different operators: leave "
            "template_ids out"
        ): lambda c: dict(zip(("nodes", "edges"), _graph(c, True), strict=True)),
    },
)
def build_graph(case):
    nodes, edges = _graph(case)
    return {"nodes": nodes, "edges": edges}


@answers.value(
    "name-operators-test",
    form=groups_form,
    hint=_(
        "one group per connected component of two or more sites; the phisher's holds the clones"
    ),
)
def name_operators(case):
    groups = _components(*_graph(case))
    clone = _phishing(case)[0]
    return [[list(g) for g in groups], list(next(g for g in groups if clone in g))]


@answers.value(
    "plot-graph-test",
    form=colour_partition,
    hint=_("draw every site, labelled with its site_id, in one colour per site kind"),
)
def plot_graph(case):
    return {"nodes": _kinds(case)}
