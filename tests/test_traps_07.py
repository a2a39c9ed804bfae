"""The traps 07-capstone's checks rely on exist in every trainee's evidence (40 sample trainees).

``exercises/07-capstone/answers.py`` computes every expected answer from the evidence files; here
each is compared with the world's ground truth, and each wrong method its docstring names is
shown to give a different answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from darktrail import pgp
from darktrail.course.judge import load_answers
from darktrail.course.locker import CaseRecord
from darktrail.trace import change_round_payment
from darktrail.world import generate

ANSWERS = Path(__file__).resolve().parents[1] / "exercises" / "07-capstone" / "answers.py"
TRAINEES = [f"qa-{n:02d}" for n in range(40)]


@pytest.fixture(scope="module")
def module():
    answers = load_answers(ANSWERS)
    assert answers is not None
    import sys

    return sys.modules[f"darktrail_answers_{ANSWERS.parent.name.replace('-', '_')}"]


@pytest.fixture(scope="module")
def cases():
    out = {}
    for trainee in TRAINEES:
        world = generate("default", trainee, course_key=bytes(32))
        out[trainee] = CaseRecord.of_world(world)
    return out


def _each(cases):
    return [cases[t] for t in TRAINEES]


def test_victim_report_is_a_clone_and_a_phishing_payment(cases, module):
    for case in _each(cases):
        sites = case.truth.sites.sites
        report = module.victim_report(case)
        assert sites[report["site"]].kind == "phishing clone"
        paid = {p.txid: p for p in case.truth.ledger.phishing_payments}
        mine = paid[report["wallet_txid"]]
        payment, change = module._victim_outputs(case)
        # the payment is the larger output: "larger output is change" is wrong for everyone
        assert (payment["scriptpubkey_address"], payment["value"]) == (
            mine.address,
            mine.sats,
        )
        assert payment["value"] > change["value"]
        assert payment["scriptpubkey_address"] in report["shown"]
        tx = case.ledger.tx(report["wallet_txid"])
        assert sum(i["prevout"]["value"] for i in tx["vin"]) > sum(o["value"] for o in tx["vout"])
        assert change_round_payment(tx) == tx["vout"].index(change)


def test_imitated_mirror_is_the_unique_longest_prefix(cases, module):
    for case in _each(cases):
        report = module.victim_report(case)
        want = case.truth.sites.sites[report["site"]].imitates
        assert module.imitated_mirror(case) == want
        lengths = sorted(module._prefix_len(m, report["onion"]) for m in module._genuine(case))
        assert lengths[-1] > lengths[-2] > 0 or lengths[-1] > lengths[-2]
        assert lengths[0] < lengths[-1]  # min differs from max


def test_phisher_gets_several_payments_and_spends_them(cases, module):
    for case in _each(cases):
        want = case.truth.ledger.phishing_payments
        got = module.phisher_received(case)
        assert got == {"phisher_received": sum(p.sats for p in want), "n_payments": len(want)}
        assert got["n_payments"] >= 2
        phisher = module._phisher(case)
        spent = [
            i
            for tx in case.transactions
            for i in tx["vin"]
            if (i.get("prevout") or {}).get("scriptpubkey_address") == phisher
        ]
        assert spent  # counting inputs too doubles the figure


def test_leads_hold_every_kind_of_identifier(cases, module):
    for case in _each(cases):
        leads = module._leads(case)
        sites = case.truth.sites.sites
        assert set(leads) == set(sites)
        for sid, t in sites.items():
            need = set(t.analytics) | {
                getattr(t, k) for k in ("ssh_host_key", "clearnet_ip", "btc") if getattr(t, k)
            }
            assert need <= leads[sid]
        assert any(x.startswith("SHA256:") for v in leads.values() for x in v)
        assert any(t.clearnet_ip for t in sites.values())


def test_template_ids_and_its_wrong_methods(cases, module):
    for case in _each(cases):
        got = module._template_ids(case)
        assert got == {case.truth.sites.analytics_trap.id}
        every_ua = {x for v in module._leads(case).values() for x in v if x.startswith("UA-")}
        assert every_ua != got
        assert module._template_by_sites(case) != got


def test_operator_sites_and_leads(cases, module):
    for case in _each(cases):
        op = case.truth.sites.operators["op1"]
        assert module._operator_sites(case) == sorted(op.sites)
        assert module._component(case, set()) != sorted(op.sites)
        assert module._operator_leads(case) == {
            k: getattr(op, k) for k in ("clearnet_ip", "email", "ad_id")
        }
        shown = set().union(*(module._leads(case)[s] for s in op.sites))
        assert len({x for x in shown if "@" in x}) >= 2  # a partner's contact on one page


def test_vendor_key_and_accounts(cases, module):
    for case in _each(cases):
        handle, market = module._suspect(case)
        fpr = module._vendor_fingerprint(case)
        assert fpr == case.truth.keys.accounts[f"{market}/{handle}"].fingerprint
        market_fpr = pgp.fingerprint(module._text(case, f"markets/{market}/market.asc"))
        assert market_fpr != fpr
        key_of = module._key_of(case)
        # a short-ID collision among the key files: short-ID matching is wrong for everyone
        shorts = {}
        for f in set(key_of.values()):
            shorts.setdefault(f[-8:], set()).add(f)
        assert any(len(v) > 1 for v in shorts.values())
        # a forum key exists (skipping keys/forum loses its probe)
        assert any(a.startswith("forum/") for a in key_of)
        # the suspect's key is published on 2+ markets
        accounts = module._accounts(case, fpr)
        assert len([a for a in accounts if not a.startswith("forum/")]) >= 2


def test_vendor_listings_on_several_accounts(cases, module):
    for case in _each(cases):
        got = set(module.vendor_listings(case)["listing_id"])
        handle, market = module._suspect(case)
        only = module._vendor_listing_ids(case, [f"{market}/{handle}"])
        assert got and set(only) != got
        vendor = case.truth.vendors[case.truth.suspect]
        mine = {(a.market, a.handle) for a in vendor.accounts}
        listings = module._csv(case, "listings/listings.csv")
        want = {
            str(i)
            for i, m, v in zip(
                listings["listing_id"], listings["market"], listings["vendor"], strict=True
            )
            if (m, v) in mine
        }
        assert got == want


def test_peel_chain_and_first_exchange(cases, module):
    for case in _each(cases):
        chain = case.truth.ledger.peel_chains[0]
        consolidation, hops = module._hops(case)
        assert consolidation == chain.start_txid
        assert len(hops) >= 3
        assert module.first_hop(case) == chain.hops[0].txid
        got = module.first_exchange(case)
        name = case.truth.ledger.entities[chain.hops[0].exchange].name
        assert got == {"first_deposit": chain.hops[0].deposit_address, "first_exchange": name}


def test_reached_exchanges_policies_differ(cases, module):
    for case in _each(cases):
        ledger = case.truth.ledger
        vendor = ledger.peel_chains[0].vendor
        want = {}
        for c in ledger.cashouts:
            if c.vendor == vendor and c.via in ("peel chain", "otc"):
                name = ledger.entities[c.exchange].name
                want[name] = want.get(name, 0) + (c.sats if c.fifo_sats is None else c.fifo_sats)
        fifo = module._reached(case, "fifo")
        assert fifo == want, json.dumps([fifo, want])
        assert module._reached(case, "haircut") != fifo
        assert module._reached(case, "poison") != fifo
        assert module._reached(case, "fifo", "all") != fifo
        peel_only = {}
        for h in module._hops(case)[1]:
            name = module._exchange_labels(case).get(h.payment_address)
            if name:
                peel_only[name] = peel_only.get(name, 0) + h.payment_value
        assert peel_only != fifo
