"""Expected answers of 07-capstone, computed from each trainee's frozen case.

Instructor-only: never released. Every answer is computed from the trainee's evidence files
(``case.files``), the way the notebook's reference solution does; ``case.truth`` is not needed
(``tests/test_traps_07.py`` checks, for 40 trainees, that the evidence agrees with the truth and
that the traps below exist). For every graded cell, the wrong methods it must reject and what in
EVERY trainee's evidence separates each from the right method:

- clone-site (``victim_onion`` and ``clone_site`` handed in together): a neighbour's site id,
  ``http://`` kept in the address (public check) -- the onion address is the trainee's own, and
  the clone's site id is compared with it;
- imitated-mirror: the mirrors of the unsigned ``markets/lookalikes.csv`` (the victim's own
  address is there, so it "imitates itself"), ``min`` instead of ``max`` -- every trainee's
  victim address shares 5 leading characters with exactly one signed mirror, and its own
  address is among the sightings. (Skipping the signature check is caught only where a market's
  list fails to verify: a world change asked of the markets' session, see the report);
- victim-payment: the larger output as the change, ``change_round_payment``'s result read as
  the payment, inputs minus change (fee counted as paid), BTC instead of sats -- the victim's
  transaction (chosen by the notebook as the largest payment to the clone's address) pays the
  phisher the larger, round output and pays a fee, for every trainee;
- phisher-received: the victim's payment only, the others only, inputs counted too -- every
  trainee's phisher receives 4+ payments and spends them (a double count differs);
- site-leads: SSH keys forgotten or without ``SHA256:``, the IP forgotten, a raw regex instead
  of ``find_addresses`` -- the whole dict of sets is compared; every trainee's crawl has SSH
  keys, an open ``/server-status`` and (where the sites' session plants them) invalid look-alike
  bitcoin addresses on the pages;
- template-ids: counting mirror sites instead of markets (two mirrors of one market share an
  SSH key), every ``UA-`` id (one market's own UA id sits on its mirrors only), ids shared by any
  two sites -- compared as a set;
- operator-sites (the sites handed in with their URLs): the template id kept in the graph (the
  component swallows rival markets), links through bitcoin addresses only -- compared whole;
- operator-leads: the ``UA-`` id or ``ca-pub-...`` as the ad id -- compared whole;
- vendor-key (fingerprint and user ID together): the market's signing key, a neighbour's key,
  the short key id (public check) -- the fingerprint is compared in either case. The world
  draws the vendors' key material from a pool of two keys (the user IDs differ per trainee),
  so the fingerprint alone is shared by half the trainees: a world change asked of the keys'
  session, see the report;
- vendor-accounts (function; the grader calls it with the fingerprint of EVERY key under
  ``keys/`` and one that no key has): short-id matching (the forum impostor shares the suspect's
  short id), ignoring the argument, the forum folder skipped, handles cut at a dot or
  lower-cased, accounts named by the key's user id -- each probe's list is compared;
- vendor-listings: the briefing's account only, ``isin`` on the vendor column only, the shared
  world's listings -- compared as the set of listing ids;
- first-hop: the consolidation itself, ``hops[1]``, ``hops[-1]`` -- every chain has 4+ steps;
- first-exchange (``first_deposit`` and ``first_exchange`` together): a neighbour's exchange,
  the chat's cash-out contact (public check), the change address -- the deposit address is the
  trainee's own;
- reached-exchanges: exchange sweeps counted too, peel-chain payments only (misses the cash
  desk's deposit after the chain), BTC, deposit counts, poison or haircut -- the cash desk's
  deposit spends the desk's own older coins first and keeps change, so FIFO < haircut < poison
  there for every trainee.
"""

from __future__ import annotations

import io
import re
from itertools import combinations
from os.path import commonprefix

import networkx as nx
import pandas as pd

from darktrail import addresses, onion, pgp
from darktrail.course.judge import (
    Answers,
    FormError,
    Probe,
    _,
    any_text,
    hex_text,
    list_of,
    set_of,
    whole_number,
)
from darktrail.trace import change_round_payment, follow_peel_chain, taint

answers = Answers()


def _text(case, path: str) -> str:
    return case.files[path].decode("utf-8")


def _csv(case, path: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(case.files[path]))


def _crawl(case) -> pd.DataFrame:
    return case.remember("crawl", lambda: _csv(case, "sites/crawl.csv"))


def _site_of_onion(case) -> dict[str, str]:
    crawl = _crawl(case)
    onions = crawl["url"].str.removeprefix("http://").str.rstrip("/")
    return dict(zip(onions, crawl["site_id"], strict=True))


def _markets(case) -> list[str]:
    return sorted(
        {p.split("/")[1] for p in case.files if p.startswith("markets/") and p.count("/") == 2}
    )


def _signed(case) -> dict[str, str]:
    """{mirror: market folder} of the signed lists that verify, in the notebook's order."""

    def make():
        found = {}
        for market in _markets(case):
            lst, key = f"markets/{market}/mirrors.txt.asc", f"markets/{market}/market.asc"
            if lst not in case.files or key not in case.files:
                continue
            check = pgp.verify_clearsigned(_text(case, lst), _text(case, key))
            if check.valid:
                for address in onion.find_onions(check.text):
                    found.setdefault(address, market)
        return found

    return case.remember("signed", make)


def _genuine(case) -> list[str]:
    return list(_signed(case))


def victim_report(case) -> dict:
    """The victim's report exactly as the notebook's readonly cell builds it."""

    def make():
        signed = set(_signed(case))
        seen = _csv(case, "markets/lookalikes.csv")
        seen["onion"] = [(onion.find_onions(url) or [""])[0] for url in seen["url"]]
        crawled = _site_of_onion(case)
        site, address = sorted(
            (crawled[a], a) for a in set(seen["onion"]) if a in crawled and a not in signed
        )[0]
        shown = addresses.find_addresses(_text(case, f"sites/{site}/index.html"))
        paid = [
            (out["value"], tx["txid"])
            for tx in case.transactions
            if len(tx["vout"]) == 2
            for out in tx["vout"]
            if out.get("scriptpubkey_address") in shown
        ]
        return {
            "link": f"http://{address}/login?ref=paste",
            "looked_like": seen.loc[seen["onion"] == address, "claimed_market"].iloc[0],
            "wallet_txid": max(paid)[1],
            "onion": address,
            "site": site,
            "shown": shown,
        }

    return case.remember("victim", make)


def _victim_outputs(case) -> tuple[dict, dict]:
    """(payment, change) outputs of the victim's transaction."""
    tx = case.ledger.tx(victim_report(case)["wallet_txid"])
    change = change_round_payment(tx)
    return tx["vout"][1 - change], tx["vout"][change]


def _phisher(case) -> str:
    return _victim_outputs(case)[0]["scriptpubkey_address"]


def _leads(case) -> dict[str, set[str]]:
    def make():
        leads = {}
        for site_id in sorted(_crawl(case)["site_id"].unique()):
            page = _text(case, f"sites/{site_id}/index.html")
            found = set(re.findall(r"\b(?:UA-\d+-\d+|pub-\d{16})\b", page))
            found.update(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", page))
            found.update(addresses.find_addresses(page))
            ssh = f"sites/{site_id}/ssh_22.txt"
            if ssh in case.files:
                found.add(re.search(r"SHA256:[A-Za-z0-9+/]{43}", _text(case, ssh)).group(0))
            status = f"sites/{site_id}/server-status.html"
            if status in case.files:
                text = _text(case, status)
                found.add(re.search(r"Server Status for ([\d.]+)", text).group(1))
            leads[site_id] = found
        return leads

    return case.remember("leads", make)


def _template_ids(case, markets_needed: int = 2) -> set[str]:
    signed, crawled = _signed(case), _site_of_onion(case)
    markets_per_id: dict[str, set[str]] = {}
    for address, site_id in crawled.items():
        if address in signed:
            for identifier in _leads(case)[site_id]:
                markets_per_id.setdefault(identifier, set()).add(signed[address])
    return {i for i, m in markets_per_id.items() if len(m) >= markets_needed}


def _clone_site(case) -> str:
    return victim_report(case)["site"]


def _component(case, leave_out: set[str]) -> list[str]:
    leads = _leads(case)
    graph = nx.Graph()
    graph.add_nodes_from(leads)
    for a, b in combinations(sorted(leads), 2):
        if (leads[a] & leads[b]) - leave_out:
            graph.add_edge(a, b)
    return sorted(nx.node_connected_component(graph, _clone_site(case)))


def _operator_sites(case) -> list[str]:
    return _component(case, _template_ids(case))


def _url_of(case) -> dict[str, str]:
    crawl = _crawl(case)
    return dict(zip(crawl["site_id"], crawl["url"], strict=False))


def _suspect(case) -> tuple[str, str]:
    handle, market_name = re.search(
        r"trading as \*\*(.+?)\*\* on \*\*(.+?)\*\*", _text(case, "briefing.md")
    ).groups()
    return handle, market_name.lower().replace(" ", "-")


def _key_of(case) -> dict[str, str]:
    """{"<folder>/<handle>": fingerprint} of every key file under keys/."""

    def make():
        return {
            path[len("keys/") : -len(".asc")]: pgp.fingerprint(_text(case, path))
            for path in sorted(case.files)
            if path.startswith("keys/") and path.endswith(".asc") and path.count("/") == 2
        }

    return case.remember("keys", make)


def _accounts(case, fingerprint: str) -> list[str]:
    return sorted(a for a, f in _key_of(case).items() if f == fingerprint.upper())


def _vendor_fingerprint(case) -> str:
    handle, market = _suspect(case)
    return pgp.fingerprint(_text(case, f"keys/{market}/{handle}.asc"))


def _hops(case):
    def make():
        history = _csv(case, "seized/wallet/electrum_history.csv")
        consolidation = history[history["value"] < 0].iloc[0]["transaction_hash"]
        return consolidation, follow_peel_chain(case.ledger, (consolidation, 0))

    return case.remember("hops", make)


def _exchange_labels(case) -> dict[str, str]:
    tags = _csv(case, "ledger/tags.csv")
    ex = tags[tags["category"] == "exchange"]
    return dict(zip(ex["address"], ex["name"], strict=True))


def _reached(case, policy: str = "fifo", keep: str = "deposits") -> dict[str, float]:
    ledger, labels = case.ledger, _exchange_labels(case)
    consolidation, _hops_ = _hops(case)
    sources = {(i["txid"], i["vout"]) for i in ledger.tx(consolidation)["vin"]}
    flows = case.remember(f"flows-{policy}", lambda: taint(ledger, sources, policy))
    total: dict[str, float] = {}
    for (txid, vout), dirty in flows.items():
        tx = ledger.tx(txid)
        address = tx["vout"][vout].get("scriptpubkey_address")
        from_exchange = any(
            (i.get("prevout") or {}).get("scriptpubkey_address") in labels for i in tx["vin"]
        )
        wanted = {"deposits": not from_exchange, "sweeps": from_exchange, "all": True}[keep]
        if address in labels and wanted:
            total[labels[address]] = total.get(labels[address], 0) + dirty
    return total


# -- forms ------------------------------------------------------------------------------


def _fields(value, names: tuple[str, ...], what: str) -> dict:
    if not isinstance(value, dict) or set(value) != set(names):
        raise FormError(what)
    return value


def onion_text(value) -> str:
    return any_text(value).lower()


def clone_form(value):
    v = _fields(value, ("victim_onion", "clone_site"), _("hand in victim_onion and clone_site"))
    return (onion_text(v["victim_onion"]), any_text(v["clone_site"]))


def payment_form(value):
    v = _fields(
        value, ("victim_paid_to", "victim_sats"), _("hand in victim_paid_to and victim_sats")
    )
    return (any_text(v["victim_paid_to"]), whole_number(v["victim_sats"]))


def received_form(value):
    v = _fields(
        value, ("phisher_received", "n_payments"), _("hand in phisher_received and n_payments")
    )
    return (whole_number(v["phisher_received"]), whole_number(v["n_payments"]))


def leads_form(value):
    """{site_id: frozenset of identifiers}."""
    if not isinstance(value, dict):
        raise FormError(_("leads should be a dict with a key for every site_id of the crawl"))
    return {str(k): set_of(any_text, duplicates=True)(v) for k, v in value.items()}


def sites_form(value):
    """The operator's sites handed in as {site_id: url}."""
    if not isinstance(value, dict):
        raise FormError(_("operator_sites should be a sorted list of site_ids"))
    return {str(k): v for k, v in value.items()}


def operator_leads_form(value):
    v = _fields(
        value,
        ("clearnet_ip", "email", "ad_id"),
        _("operator_leads needs exactly the keys clearnet_ip, email and ad_id"),
    )
    return {k: any_text(x) if isinstance(x, str) else x for k, x in v.items()}


def listing_ids(value):
    """A table of listings as the set of its listing ids."""
    if type(value).__name__ != "DataFrame" or "listing_id" not in value.columns:
        raise FormError(_("vendor_listings should be a DataFrame with the columns of listings.csv"))
    return frozenset(str(i) for i in value["listing_id"])


def deposit_form(value):
    v = _fields(
        value, ("first_deposit", "first_exchange"), _("hand in first_deposit and first_exchange")
    )
    return (any_text(v["first_deposit"]), any_text(v["first_exchange"]))


def sats_per_exchange(value):
    """{exchange: whole satoshis}, exchanges with nothing left out."""
    if not isinstance(value, dict):
        raise FormError(_("reached_exchanges should be a pandas Series indexed by exchange name"))
    out = {}
    for name, sats in value.items():
        if isinstance(sats, bool) or not isinstance(sats, (int, float)):
            raise FormError(_("the values of reached_exchanges should be satoshis (numbers)"))
        if sats == 0:
            continue
        if isinstance(sats, float):
            sats = int(sats) if sats.is_integer() else round(sats, 8)
        out[str(name)] = sats
    return out


# -- Part A -----------------------------------------------------------------------------


@answers.value(
    "clone-site-test",
    form=clone_form,
    hint=_("compare the whole onion address of the link with the crawl, not a path or a prefix"),
)
def clone_site(case):
    report = victim_report(case)
    return {"victim_onion": report["onion"], "clone_site": report["site"]}


def _prefix_len(a: str, b: str) -> int:
    return len(commonprefix([a, b]))


@answers.value(
    "imitated-mirror-test",
    form=onion_text,
    hint=_(
        "take the verified mirror that shares the most leading characters with the victim's address"
    ),
    mistakes={
        _(
            "the victim's address is on no signed list: use only the lists whose signature verifies"
        ): (lambda case: victim_report(case)["onion"]),
        _("take the mirror that shares the most leading characters, not the fewest"): (
            lambda case: min(
                _genuine(case), key=lambda m: _prefix_len(m, victim_report(case)["onion"])
            )
        ),
    },
)
def imitated_mirror(case):
    target = victim_report(case)["onion"]
    return max(_genuine(case), key=lambda mirror: _prefix_len(mirror, target))


@answers.value(
    "victim-payment-test",
    form=payment_form,
    hint=_("the payment is the phisher's output of the victim's transaction, in satoshis"),
    mistakes={
        _("the larger output is not always the change: the round amount is the payment"): (
            lambda case: {
                "victim_paid_to": _victim_outputs(case)[1]["scriptpubkey_address"],
                "victim_sats": _victim_outputs(case)[1]["value"],
            }
        ),
    },
)
def victim_payment(case):
    payment, _change = _victim_outputs(case)
    return {"victim_paid_to": payment["scriptpubkey_address"], "victim_sats": payment["value"]}


def _payments_to(case, address: str) -> list[tuple[str, int]]:
    return [
        (tx["txid"], out["value"])
        for tx in case.transactions
        for out in tx["vout"]
        if out.get("scriptpubkey_address") == address
    ]


@answers.value(
    "phisher-received-test",
    form=received_form,
    hint=_("add up the outputs paid to the phisher's address in every transaction of the ledger"),
    mistakes={
        _("the victim was not the only one: add up every payment to that address"): (
            lambda case: {"phisher_received": _victim_outputs(case)[0]["value"], "n_payments": 1}
        ),
        _("count what reached the address (outputs), not what it spent (inputs)"): (
            lambda case: {
                "phisher_received": 2 * sum(v for _t, v in _payments_to(case, _phisher(case))),
                "n_payments": 2 * len(_payments_to(case, _phisher(case))),
            }
        ),
    },
)
def phisher_received(case):
    paid = _payments_to(case, _phisher(case))
    return {"phisher_received": sum(v for _t, v in paid), "n_payments": len(paid)}


@answers.value(
    "site-leads-test",
    form=leads_form,
    hint=_(
        "collect every kind of identifier on every site: analytics and ad IDs, e-mail, valid "
        "bitcoin addresses, the SSH host key (with SHA256:) and the clearnet IP"
    ),
)
def site_leads(case):
    return _leads(case)


@answers.value(
    "template-ids-test",
    form=set_of(any_text),
    hint=_("keep only identifiers seen on genuine mirrors of two or more different markets"),
    mistakes={
        _("count the markets whose mirrors show an identifier, not the mirror sites"): (
            lambda case: _template_by_sites(case)
        ),
    },
)
def template_ids(case):
    return _template_ids(case)


def _template_by_sites(case) -> set[str]:
    signed, crawled = _signed(case), _site_of_onion(case)
    count: dict[str, int] = {}
    for address, site_id in crawled.items():
        if address in signed:
            for identifier in _leads(case)[site_id]:
                count[identifier] = count.get(identifier, 0) + 1
    return {i for i, n in count.items() if n >= 2}


@answers.value(
    "operator-sites-test",
    form=sites_form,
    hint=_("the connected component of clone_site, in a graph without the template's IDs"),
    mistakes={
        _(
            "an ID that came with a template links rival operators: leave template_ids out of the graph"
        ): (lambda case: {s: _url_of(case)[s] for s in _component(case, set())}),
    },
)
def operator_sites(case):
    urls = _url_of(case)
    return {site: urls[site] for site in _operator_sites(case)}


def _operator_leads(case) -> dict[str, str]:
    ids = set().union(*(_leads(case)[s] for s in _operator_sites(case))) - _template_ids(case)

    def one(test) -> str:
        found = sorted(x for x in ids if test(x))
        if len(found) != 1:
            raise ValueError(f"the operator's sites show {len(found)} such identifiers")
        return found[0]

    return {
        "clearnet_ip": one(lambda x: re.fullmatch(r"[\d.]+", x)),
        "email": one(
            lambda x: "@" in x and sum(x in _leads(case)[s] for s in _operator_sites(case)) >= 2
        ),
        "ad_id": one(lambda x: x.startswith("pub-")),
    }


@answers.value(
    "operator-leads-test",
    form=operator_leads_form,
    hint=_(
        "take each lead from the operator's own sites, by its shape; the ad ID is pub- and 16 digits"
    ),
)
def operator_leads(case):
    return _operator_leads(case)


# -- Part B -----------------------------------------------------------------------------


def key_form(value):
    v = _fields(
        value,
        ("vendor_fingerprint", "vendor_uid"),
        _("hand in vendor_fingerprint and vendor_uid"),
    )
    return (hex_text(v["vendor_fingerprint"]), any_text(v["vendor_uid"]))


def _key_answer(case, path: str) -> dict:
    text = _text(case, path)
    return {
        "vendor_fingerprint": pgp.fingerprint(text),
        "vendor_uid": pgp.read_key(text).user_ids[0],
    }


@answers.value(
    "vendor-key-test",
    form=key_form,
    hint=_("take the key file of the vendor's handle in the folder of their market"),
    mistakes={
        _("that is the market's signing key: take the vendor's own key from keys/"): (
            lambda case: _key_answer(case, f"markets/{_suspect(case)[1]}/market.asc")
        ),
    },
)
def vendor_key(case):
    handle, market = _suspect(case)
    return _key_answer(case, f"keys/{market}/{handle}.asc")


@answers.calls(
    "vendor-accounts-test",
    form=list_of(any_text),
    hint=_("list every key file under keys/ whose key has exactly the fingerprint you are given"),
)
def vendor_accounts_probes(case, folder, rng):
    """Every distinct fingerprint under keys/ (markets and forum), and one that no key has."""
    key_of = _key_of(case)
    shorts: dict[str, set[str]] = {}
    for fpr in key_of.values():
        shorts.setdefault(fpr[-8:], set()).add(fpr)
    fingerprints = sorted(set(key_of.values()))
    rng.shuffle(fingerprints)
    probes = []
    for fpr in fingerprints:
        accounts = _accounts(case, fpr)
        if len(shorts[fpr[-8:]]) > 1:
            hint = _("compare full fingerprints: a short key ID can be forged to match another key")
        elif any(a.startswith("forum/") for a in accounts):
            hint = _("look at every folder of keys/, the forum too")
        elif any(a != a.lower() or "." in a.split("/", 1)[1] for a in accounts):
            hint = _("name each account '<folder>/<file name without .asc>', exactly as the file")
        else:
            hint = _("use the fingerprint you are given, and name each account '<folder>/<handle>'")
        probes.append(Probe((fpr,), accounts, hint))
    nobody = "".join(rng.choice("0123456789ABCDEF") for _n in range(40))
    while nobody in key_of.values():
        nobody = "".join(rng.choice("0123456789ABCDEF") for _n in range(40))
    probes.insert(
        rng.randrange(len(probes) + 1),
        Probe((nobody,), [], _("a fingerprint that no key has gives an empty list")),
    )
    return probes


def _vendor_listing_ids(case, accounts: list[str]) -> frozenset:
    listings = _csv(case, "listings/listings.csv")
    account = listings["market"] + "/" + listings["vendor"]
    return frozenset(str(i) for i in listings.loc[account.isin(accounts), "listing_id"])


@answers.value(
    "vendor-listings-test",
    form=listing_ids,
    hint=_("include the listings of every account linked by the key, each market with its handle"),
    mistakes={
        _(
            "include the listings of every account linked by the key, not only the briefing's handle"
        ): (lambda case: _vendor_listing_ids(case, ["/".join(reversed(_suspect(case)))])),
    },
)
def vendor_listings(case):
    accounts = [a for a in _accounts(case, _vendor_fingerprint(case)) if not a.startswith("forum/")]
    return pd.DataFrame({"listing_id": sorted(_vendor_listing_ids(case, accounts))})


# -- Part C -----------------------------------------------------------------------------


@answers.value(
    "first-hop-test",
    form=hex_text,
    hint=_("start the chain from output 0 of the wallet's first outgoing transaction"),
    mistakes={
        _(
            "the consolidation is where the chain starts: the first hop is the transaction that spends its output"
        ): (lambda case: _hops(case)[0]),
    },
)
def first_hop(case):
    return _hops(case)[1][0].txid


@answers.value(
    "first-exchange-test",
    form=deposit_form,
    hint=_("look up the payment address of the first hop, not its change"),
)
def first_exchange(case):
    hop = _hops(case)[1][0]
    return {
        "first_deposit": hop.payment_address,
        "first_exchange": _exchange_labels(case)[hop.payment_address],
    }


@answers.value(
    "reached-exchanges-test",
    form=sats_per_exchange,
    hint=_(
        "add up, per exchange, the FIFO taint of the deposits: outputs to an exchange paid by a transaction that spends no exchange address"
    ),
    mistakes={
        _("count deposits only: an exchange's own sweeps move the same coins again"): (
            lambda case: _reached(case, "fifo", "all")
        ),
        _("state the amounts under the case's policy, FIFO, not poison"): (
            lambda case: _reached(case, "poison")
        ),
        _("state the amounts under the case's policy, FIFO, not haircut"): (
            lambda case: _reached(case, "haircut")
        ),
        _("give the amounts in satoshis, not BTC"): (
            lambda case: {k: v / 1e8 for k, v in _reached(case).items()}
        ),
    },
)
def reached_exchanges(case):
    return _reached(case)
