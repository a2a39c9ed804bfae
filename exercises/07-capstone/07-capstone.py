# %% [markdown]
# # 07 · Capstone: from a victim's report to the people behind it
#
# **Time:** about 180 minutes · **Graded:** 19 autograded points and 11 points marked by your
# instructor (the investigative report at the end)
#
# **Objectives.** On your own evidence, from start to finish, you can
#
# 1. turn a victim's report into evidence: the phishing clone they used, the genuine mirror it
#    imitates, the payment they made and what the phisher collected;
# 2. tie the clone to its operator's other sites through identifiers only the operator controls,
#    and list the leads that can name a person;
# 3. go from the vendor under investigation to their key, every account published with that key,
#    and their listings on every market;
# 4. follow the vendor's payouts along a peel chain to the exchanges that can identify them, with
#    amounts under a stated taint policy;
# 5. write a structured investigative report: findings, evidence chain, confidence, and the
#    requests to send and to whom.
#
# Every technique here was taught in assignments 01-05; each task says which one. The hints are
# shorter than before: look back at your earlier notebooks when you need to.

# %% [markdown]
# ## The case
#
# Two threads of **Operation Saxaul** meet in this notebook.
#
# **A victim.** A buyer on one of the markets reports that they lost money: they logged in
# through a link from a paste site, the page asked them to top up their balance, they paid,
# and the money never arrived. Their report and the transaction id from their wallet are below.
#
# **The vendor.** The vendor named in your briefing is still under investigation. The
# prosecutor wants to know which other accounts are theirs, where the money from their sales
# went, and which companies can name the people behind the accounts.
#
# Work as you would on a real file: every finding must come from the evidence, and your report
# must let a colleague check each step.

# %% role="readonly"
import json
import numbers
import re
from itertools import combinations
from os.path import commonprefix

import networkx as nx
import pandas as pd
from IPython.display import Markdown

from darktrail import addresses, onion, pgp
from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls
from darktrail.ledger import LedgerIndex
from darktrail.trace import change_round_payment, follow_peel_chain, taint

evidence = my_evidence()
txs = json.loads((evidence / "ledger" / "transactions.json").read_text(encoding="utf-8"))
ledger = LedgerIndex(txs)
crawl = pd.read_csv(evidence / "sites" / "crawl.csv")
print(_("Your evidence folder:"), evidence)
print(len(txs), _("transactions;"), crawl["site_id"].nunique(), _("crawled sites"))

# %% [markdown]
# ## The victim's report
#
# The cell below writes the report as the cyber unit received it. The unit has already matched
# the victim's link and wallet to your files (the crawl, the forum sightings of market addresses
# and the ledger), so every trainee gets their own victim.

# %% role="readonly"
_signed = set()
for _folder in sorted((evidence / "markets").iterdir()):
    if _folder.is_dir():
        _check = pgp.verify_clearsigned(
            (_folder / "mirrors.txt.asc").read_text(encoding="utf-8"),
            (_folder / "market.asc").read_text(encoding="utf-8"),
        )
        _signed.update(onion.find_onions(_check.text) if _check.valid else [])
_seen = pd.read_csv(evidence / "markets" / "lookalikes.csv")
_seen["onion"] = [(onion.find_onions(url) or [""])[0] for url in _seen["url"]]
_crawled = dict(zip(crawl["url"].str.removeprefix("http://").str.rstrip("/"), crawl["site_id"]))
_site, _onion = sorted(
    (_crawled[a], a) for a in set(_seen["onion"]) if a in _crawled and a not in _signed
)[0]
_shown = addresses.find_addresses(
    (evidence / "sites" / _site / "index.html").read_text(encoding="utf-8")
)
_paid = [
    (out["value"], tx["txid"])
    for tx in txs
    if len(tx["vout"]) == 2
    for out in tx["vout"]
    if out.get("scriptpubkey_address") in _shown
]
victim_report = {
    "link": f"http://{_onion}/login?ref=paste",
    "looked_like": _seen.loc[_seen["onion"] == _onion, "claimed_market"].iloc[0],
    "wallet_txid": max(_paid)[1],
}
del _signed, _folder, _check, _seen, _crawled, _site, _onion, _shown, _paid
Markdown(
    _("> *Statement of a buyer (name withheld), taken by the cyber unit.*")
    + "\n>\n"
    + _(
        "> I wanted to log in to **{looked_like}**. I took the link from a paste site: `{link}`. The page looked exactly like the market and said my balance was zero, top up first. I sent the deposit from my wallet; my wallet shows the transaction `{wallet_txid}`. The balance never appeared and my password stopped working the next day."
    ).format(**victim_report)
)

# %% [markdown]
# # Part A · From the victim to the phisher
#
# ## Task 1 · The site the victim used (1 point)
#
# Store the onion address of the victim's link (`xxx.onion`) in `victim_onion`, then find the
# crawled site it points to and store its `site_id` (e.g. `"s07"`) in `clone_site`.
# *(Assignment 02, Task 1.)*
#
# *Hint:* `onion.find_onions(victim_report["link"])` pulls the onion address out of a link with
# a path; the crawl's `url` column is `http://` plus the address:
# `crawl["url"].str.removeprefix("http://")`.

# %% role="solution" grade_id="clone-site"
### BEGIN SOLUTION
victim_onion = onion.find_onions(victim_report["link"])[0]
crawled_onion = crawl["url"].str.removeprefix("http://").str.rstrip("/")
clone_site = crawl.loc[crawled_onion == victim_onion, "site_id"].iloc[0]
### END SOLUTION
clone_site

# %% role="tests" grade_id="clone-site-test" points=1 needs="clone-site"
"""clone_site is the crawled site at the address of the victim's link."""
assert isinstance(victim_onion, str) and onion.is_valid(victim_onion), _(
    "victim_onion should be the link's onion address alone, written xxx.onion"
)
assert isinstance(clone_site, str), _("clone_site should be a site_id written as text, e.g. 's07'")
assert clone_site in set(crawl["site_id"]), _("clone_site should be one of the crawl's site_ids")
hand_in({"victim_onion": victim_onion, "clone_site": clone_site})

# %% [markdown]
# ## Task 2 · The genuine mirror it imitates (1 point)
#
# Check the victim's address against the markets' **signed** mirror lists (assignment 01,
# Task 12; assignment 02, Task 16): verify each `markets/<market>/mirrors.txt.asc` with that
# market's `market.asc`, and collect the mirrors of the lists that verify in a list `genuine`
# (you need it again in Task 6). The victim's address
# is on none of them. A vanity address shares its first characters with the real mirror it
# imitates: store in `imitated_mirror` the genuine mirror (`xxx.onion`) that shares the
# **longest** start with the victim's address.
#
# *Hint:* `pgp.verify_clearsigned(text, key_text)` returns a result with `.valid` and `.text`;
# `onion.find_onions(check.text)` lists the addresses; `len(commonprefix([a, b]))` counts the
# characters two texts share at the start; `max(mirrors, key=...)` picks the best.

# %% role="solution" grade_id="imitated-mirror"
### BEGIN SOLUTION
genuine = []
market_of = {}
for folder in sorted((evidence / "markets").iterdir()):
    if folder.is_dir():
        check = pgp.verify_clearsigned(
            (folder / "mirrors.txt.asc").read_text(encoding="utf-8"),
            (folder / "market.asc").read_text(encoding="utf-8"),
        )
        if check.valid:
            genuine += onion.find_onions(check.text)
            market_of.update({address: folder.name for address in onion.find_onions(check.text)})
assert victim_onion not in genuine
imitated_mirror = max(genuine, key=lambda mirror: len(commonprefix([mirror, victim_onion])))
### END SOLUTION
imitated_mirror

# %% role="tests" grade_id="imitated-mirror-test" points=1 needs="clone-site imitated-mirror"
"""imitated_mirror is the signed-list mirror whose start the clone's address copies."""
assert isinstance(imitated_mirror, str) and imitated_mirror.endswith(".onion"), _(
    "write the mirror as xxx.onion"
)
assert onion.is_valid(imitated_mirror), _("imitated_mirror should be a valid v3 onion address")
hand_in(imitated_mirror)

# %% [markdown]
# ## Task 3 · Where the victim's money went (2 points)
#
# The victim's transaction has two outputs: the payment to the phisher and the **change** back
# to the victim's own wallet. Which is which? Do **not** assume that the larger output is the
# change: a victim who tops up an account sends most of their balance. People pay round
# amounts; change is what is left (assignment 05, Part C).
#
# Store the phisher's address in `victim_paid_to` and the amount paid, in satoshis, in
# `victim_sats` (a whole number).
#
# *Hint:* `tx = ledger.tx(victim_report["wallet_txid"])`; `change_round_payment(tx)` returns the
# `vout` of the change; with two outputs the payment is the other one (`1 - change`). Check your
# answer: the clone's front page (`sites/<clone_site>/index.html`) shows the address it asks
# victims to pay (`addresses.find_addresses(text)`).

# %% role="solution" grade_id="victim-payment"
### BEGIN SOLUTION
victim_tx = ledger.tx(victim_report["wallet_txid"])
payment = victim_tx["vout"][1 - change_round_payment(victim_tx)]
victim_paid_to = payment["scriptpubkey_address"]
victim_sats = int(payment["value"])
### END SOLUTION
clone_page = (evidence / "sites" / clone_site / "index.html").read_text(encoding="utf-8")
victim_paid_to, victim_sats, victim_paid_to in addresses.find_addresses(clone_page)

# %% role="tests" grade_id="victim-payment-test" points=2 needs="victim-payment"
"""victim_paid_to and victim_sats are the phisher's output of the victim's transaction."""
assert isinstance(victim_paid_to, str) and addresses.is_valid(victim_paid_to), _(
    "victim_paid_to should be a valid Bitcoin address"
)
assert isinstance(victim_sats, numbers.Integral) and victim_sats > 0, _(
    "victim_sats should be a whole number of satoshis"
)
assert victim_paid_to in [
    out.get("scriptpubkey_address") for out in ledger.tx(victim_report["wallet_txid"])["vout"]
], _("victim_paid_to should be an output address of the victim's transaction")
hand_in({"victim_paid_to": victim_paid_to, "victim_sats": victim_sats})

# %% [markdown]
# ## Task 4 · What the phisher collected (1 point)
#
# The victim was not the only one. Add up **every** payment that reached `victim_paid_to` in
# the ledger and store the total in `phisher_received` (whole satoshis); store the number of
# those payments in `n_payments`.
#
# *Hint:* loop over `txs` and over each transaction's `vout`; keep the outputs whose
# `scriptpubkey_address` is `victim_paid_to`.

# %% role="solution" grade_id="phisher-received"
### BEGIN SOLUTION
received = [
    out["value"]
    for tx in txs
    for out in tx["vout"]
    if out.get("scriptpubkey_address") == victim_paid_to
]
phisher_received = int(sum(received))
n_payments = len(received)
### END SOLUTION
phisher_received, n_payments

# %% role="tests" grade_id="phisher-received-test" points=1 needs="victim-payment phisher-received"
"""phisher_received adds up every payment to the phishing address; n_payments counts them."""
assert isinstance(phisher_received, numbers.Integral) and isinstance(
    n_payments, numbers.Integral
), _("phisher_received and n_payments should be whole numbers")
assert phisher_received >= victim_sats and n_payments >= 1, _(
    "the total includes at least the victim's own payment"
)
hand_in({"phisher_received": phisher_received, "n_payments": n_payments})

# %% [markdown]
# ## Task 5 · Every site's identifiers (2 points)
#
# Tie the clone to its operator's other sites the way assignment 02 did. Make a dict `leads`
# mapping **every** `site_id` of the crawl to the **set** of identifiers found on it:
#
# - analytics and ad IDs in its front page: `re.findall(r"\b(?:UA-\d+-\d+|pub-\d{16})\b", page)`;
# - e-mail addresses in its front page: `re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", page)`;
# - valid Bitcoin addresses in its front page: `addresses.find_addresses(page)`;
# - its SSH host key, if `sites/<site_id>/ssh_22.txt` exists:
#   `re.search(r"SHA256:[A-Za-z0-9+/]{43}", text).group(0)`;
# - its clearnet IP, if `sites/<site_id>/server-status.html` exists:
#   `re.search(r"Server Status for ([\d.]+)", text).group(1)`.
#
# *Hint:* the front page is `sites/<site_id>/index.html`; start each site with `found = set()`
# and add to it with `found.update(...)` or `found.add(...)`.

# %% role="solution" grade_id="site-leads"
### BEGIN SOLUTION
leads = {}
for site_id in sorted(crawl["site_id"].unique()):
    folder = evidence / "sites" / site_id
    page = (folder / "index.html").read_text(encoding="utf-8")
    found = set(re.findall(r"\b(?:UA-\d+-\d+|pub-\d{16})\b", page))
    found.update(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", page))
    found.update(addresses.find_addresses(page))
    if (folder / "ssh_22.txt").exists():
        text = (folder / "ssh_22.txt").read_text(encoding="utf-8")
        found.add(re.search(r"SHA256:[A-Za-z0-9+/]{43}", text).group(0))
    if (folder / "server-status.html").exists():
        text = (folder / "server-status.html").read_text(encoding="utf-8")
        found.add(re.search(r"Server Status for ([\d.]+)", text).group(1))
    leads[site_id] = found
### END SOLUTION
leads[clone_site]

# %% role="tests" grade_id="site-leads-test" points=2 needs="site-leads"
"""leads maps every site to the set of identifiers found on it."""
assert isinstance(leads, dict) and set(leads) == set(crawl["site_id"]), _(
    "leads should be a dict with a key for every site_id of the crawl"
)
assert all(isinstance(v, (set, frozenset)) for v in leads.values()), _("each value should be a set")
hand_in(leads)

# %% [markdown]
# ## Task 6 · Identifiers that link no one (1 point)
#
# A website template ships with its author's analytics ID, so rival operators end up sharing
# it. Store in `template_ids` the **set** of identifiers seen on the genuine mirrors (your list
# `genuine` of Task 2) of **two or more different markets**.
#
# *Hint:* the market of a crawled site is the folder of the signed list its address is on; a
# dict `{address: market}` built in the loop of Task 2 helps. Collect, per identifier, the set
# of markets whose mirrors show it.

# %% role="solution" grade_id="template-ids"
### BEGIN SOLUTION
market_of = {}
for folder in sorted((evidence / "markets").iterdir()):
    if folder.is_dir():
        check = pgp.verify_clearsigned(
            (folder / "mirrors.txt.asc").read_text(encoding="utf-8"),
            (folder / "market.asc").read_text(encoding="utf-8"),
        )
        if check.valid:
            market_of.update({address: folder.name for address in onion.find_onions(check.text)})
site_onion = dict(zip(crawl["site_id"], crawl["url"].str.removeprefix("http://").str.rstrip("/")))
markets_per_id = {}
for site_id, found in leads.items():
    if site_onion[site_id] in market_of:
        for identifier in found:
            markets_per_id.setdefault(identifier, set()).add(market_of[site_onion[site_id]])
template_ids = {i for i, markets in markets_per_id.items() if len(markets) > 1}
### END SOLUTION
template_ids

# %% role="tests" grade_id="template-ids-test" points=1 needs="site-leads template-ids"
"""template_ids holds the identifiers shared by mirrors of different markets."""
assert isinstance(template_ids, (set, frozenset)), _("template_ids should be a set")
hand_in(template_ids)

# %% [markdown]
# ## Task 7 · The operator's sites (2 points)
#
# Build a `networkx` graph `G` with a node for every site and an edge between two sites that
# share an identifier **not** in `template_ids`. Store in `operator_sites` the sorted list of
# the sites in the connected component of `clone_site` (the clone included).
#
# *Hint:* `G.add_nodes_from(leads)`; for every pair `a, b` in `combinations(sorted(leads), 2)`,
# `(leads[a] & leads[b]) - template_ids` is what they share; `nx.node_connected_component(G,
# clone_site)` gives the component.

# %% role="solution" grade_id="operator-sites"
### BEGIN SOLUTION
G = nx.Graph()
G.add_nodes_from(leads)
for a, b in combinations(sorted(leads), 2):
    shared = (leads[a] & leads[b]) - template_ids
    if shared:
        G.add_edge(a, b, shared=sorted(shared))
operator_sites = sorted(nx.node_connected_component(G, clone_site))
### END SOLUTION
operator_sites

# %% role="tests" grade_id="operator-sites-test" points=2 needs="clone-site site-leads template-ids operator-sites"
"""operator_sites are the sites linked to the clone by identifiers its operator controls."""
assert isinstance(operator_sites, list) and operator_sites == sorted(set(operator_sites)), _(
    "operator_sites should be a sorted list of site_ids, each once"
)
assert clone_site in operator_sites, _("the component of clone_site contains clone_site")
_url_of = dict(zip(crawl["site_id"], crawl["url"]))
hand_in({site: _url_of.get(site) for site in operator_sites})

# %% [markdown]
# ## Task 8 · Leads that can name a person (1 point)
#
# From the identifiers of `operator_sites` (leave out `template_ids`), store a dict
# `operator_leads` with three keys: `"clearnet_ip"` (the server's IP from `/server-status`),
# `"email"` (the operator's e-mail address) and `"ad_id"` (the `pub-...` advertising ID). Each
# is a company's customer: the hosting provider, the mail provider, the ad network. A page can
# also show someone else's contact (a partner, a reseller): the operator's own e-mail address is
# the one shown on **two or more** of the operator's sites.
#
# *Hint:* put the identifiers of all `operator_sites` in one set, then pick by shape:
# `"@" in x`, `x.startswith("pub-")`, and for the IP `re.fullmatch(r"[\d.]+", x)`;
# `sum(x in leads[s] for s in operator_sites)` counts the sites that show `x`.

# %% role="solution" grade_id="operator-leads"
### BEGIN SOLUTION
operator_ids = set().union(*(leads[s] for s in operator_sites)) - template_ids
operator_leads = {
    "clearnet_ip": next(x for x in operator_ids if re.fullmatch(r"[\d.]+", x)),
    "email": next(
        x for x in operator_ids if "@" in x and sum(x in leads[s] for s in operator_sites) >= 2
    ),
    "ad_id": next(x for x in operator_ids if x.startswith("pub-")),
}
### END SOLUTION
operator_leads

# %% role="tests" grade_id="operator-leads-test" points=1 needs="clone-site site-leads template-ids operator-sites operator-leads"
"""operator_leads holds the operator's clearnet IP, e-mail and ad ID."""
assert isinstance(operator_leads, dict), _("operator_leads should be a dict")
assert set(operator_leads) == {"clearnet_ip", "email", "ad_id"}, _(
    "operator_leads needs exactly the keys clearnet_ip, email and ad_id"
)
hand_in(operator_leads)

# %% [markdown]
# # Part B · The vendor, their key and their accounts
#
# The briefing names the vendor under investigation and the market they were seen on:

# %% role="readonly"
briefing = (evidence / "briefing.md").read_text(encoding="utf-8")
suspect_handle, suspect_market_name = re.search(
    r"trading as \*\*(.+?)\*\* on \*\*(.+?)\*\*", briefing
).groups()
suspect_market = suspect_market_name.lower().replace(" ", "-")  # the folder name
print(suspect_handle, _("on"), suspect_market)

# %% [markdown]
# ## Task 9 · The vendor's key (1 point)
#
# Store in `vendor_fingerprint` the fingerprint of the key the vendor published on their market
# (`keys/<suspect_market>/<suspect_handle>.asc`). Compare it with the secret key found on the
# seized laptop (`seized/keys/`): the same fingerprint ties the laptop to the account. Store in
# `vendor_uid` the key's user ID (the name and e-mail address the key says it belongs to): your
# report quotes it. *(Assignment 03, Tasks 12 and 17.)*
#
# *Hint:* `pgp.fingerprint(text)`; `pgp.read_key(text).user_ids[0]`;
# `pgp.read_secret_key(text).fingerprint`.

# %% role="solution" grade_id="vendor-key"
### BEGIN SOLUTION
key_file = evidence / "keys" / suspect_market / f"{suspect_handle}.asc"
vendor_fingerprint = pgp.fingerprint(key_file.read_text(encoding="utf-8"))
vendor_uid = pgp.read_key(key_file.read_text(encoding="utf-8")).user_ids[0]
### END SOLUTION
seized_key = pgp.read_secret_key(
    sorted((evidence / "seized" / "keys").glob("*.asc"))[0].read_text(encoding="utf-8")
)
vendor_fingerprint, vendor_uid, seized_key.fingerprint == vendor_fingerprint.upper()

# %% role="tests" grade_id="vendor-key-test" points=1 needs="vendor-key"
"""vendor_fingerprint and vendor_uid: the full fingerprint and user ID of the vendor's key."""
assert isinstance(vendor_fingerprint, str) and re.fullmatch(
    r"[0-9A-Fa-f]{40}", vendor_fingerprint
), _("a fingerprint is 40 hexadecimal digits")
assert isinstance(vendor_uid, str), _("vendor_uid should be the key's user ID, as text")
hand_in({"vendor_fingerprint": vendor_fingerprint, "vendor_uid": vendor_uid})

# %% [markdown]
# ## Task 10 · Everywhere the key was published (2 points)
#
# Write a function `same_key_accounts(fingerprint)` that returns the sorted list of
# `"<folder>/<handle>"` texts (e.g. `"kovyl-market/somehandle"`, `"forum/somename"`) of **every**
# key file under `keys/` — markets and forum — whose key has exactly this fingerprint. Then store
# `vendor_accounts = same_key_accounts(vendor_fingerprint)`.
#
# Anyone can make a key whose **short** key ID (8 hex digits) equals someone else's in seconds;
# only the full fingerprint identifies a key. *(Assignment 03, Tasks 13 and 16.)*
#
# *Hint:* `sorted((evidence / "keys").glob("*/*.asc"))`; for a path `p`, `p.parent.name` and
# `p.stem`.

# %% role="solution" grade_id="vendor-accounts"
### BEGIN SOLUTION
key_of = {
    f"{path.parent.name}/{path.stem}": pgp.fingerprint(path.read_text(encoding="utf-8"))
    for path in sorted((evidence / "keys").glob("*/*.asc"))
}


def same_key_accounts(fingerprint):
    return sorted(account for account, fpr in key_of.items() if fpr == fingerprint.upper())


### END SOLUTION
vendor_accounts = same_key_accounts(vendor_fingerprint)
vendor_accounts

# %% role="tests" grade_id="vendor-accounts-test" points=2 needs="vendor-key vendor-accounts"
"""same_key_accounts lists every key file with exactly that fingerprint."""
assert isinstance(vendor_accounts, list) and vendor_accounts == sorted(vendor_accounts), _(
    "same_key_accounts should return a sorted list"
)
assert f"{suspect_market}/{suspect_handle}" in vendor_accounts, _(
    "the vendor's own account publishes the key: it belongs in the list"
)
hand_in_calls(same_key_accounts, "vendor-accounts-test")

# %% [markdown]
# ## Task 11 · The vendor's listings on every market (1 point)
#
# Read `listings/listings.csv` and store in `vendor_listings` the rows offered by **any** of the
# vendor's market accounts (the `market` and `vendor` columns name the account; forum names sell
# nothing).
#
# *Hint:* build `listings["market"] + "/" + listings["vendor"]` and keep the rows whose value is
# in `vendor_accounts` (`.isin(...)`).

# %% role="solution" grade_id="vendor-listings"
### BEGIN SOLUTION
listings = pd.read_csv(evidence / "listings" / "listings.csv")
vendor_listings = listings[(listings["market"] + "/" + listings["vendor"]).isin(vendor_accounts)]
### END SOLUTION
vendor_listings.groupby(["market", "vendor"]).size()

# %% role="tests" grade_id="vendor-listings-test" points=1 needs="vendor-key vendor-accounts vendor-listings"
"""vendor_listings holds the listings of every account of the vendor."""
assert isinstance(vendor_listings, pd.DataFrame), _("vendor_listings should be a DataFrame")
assert {"listing_id", "market", "vendor"} <= set(vendor_listings.columns), _(
    "keep the columns of listings.csv"
)
hand_in(vendor_listings)

# %% [markdown]
# # Part C · From the payouts to the exchanges
#
# The vendor's market payouts went to the wallet found on the seized laptop
# (`seized/wallet/electrum_history.csv`). Exchanges are the only places where bitcoin meets a
# named customer. The cell below loads the labels a blockchain-analytics service gives to
# addresses it has attributed to the exchanges of the region (deposit addresses and hot
# wallets; `ledger/tags.csv`): `exchange_labels[address]` is the exchange's name.

# %% role="readonly"
tags = pd.read_csv(evidence / "ledger" / "tags.csv")
exchange_labels = dict(
    zip(
        tags.loc[tags["category"] == "exchange", "address"],
        tags.loc[tags["category"] == "exchange", "name"],
    )
)
pd.Series(exchange_labels).value_counts()

# %% [markdown]
# ## Task 12 · The first hop of the peel chain (1 point)
#
# The wallet's first **outgoing** transaction swept all its coins into one output; a peel chain
# starts from that output (assignment 05, Tasks 1 and 11). Store the consolidation's txid in
# `consolidation_txid`, the chain's steps in `hops`, and the first step's txid in
# `first_hop_txid`.
#
# *Hint:* `history[history["value"] < 0].iloc[0]["transaction_hash"]`;
# `follow_peel_chain(ledger, (consolidation_txid, 0))`; `hops[0].txid`.

# %% role="solution" grade_id="first-hop"
### BEGIN SOLUTION
history = pd.read_csv(evidence / "seized" / "wallet" / "electrum_history.csv")
consolidation_txid = history[history["value"] < 0].iloc[0]["transaction_hash"]
hops = follow_peel_chain(ledger, (consolidation_txid, 0))
first_hop_txid = hops[0].txid
### END SOLUTION
pd.DataFrame(hops)[["txid", "payment_address", "payment_value", "change_value"]]

# %% role="tests" grade_id="first-hop-test" points=1 needs="first-hop"
"""first_hop_txid is the first step of the vendor's peel chain."""
assert isinstance(first_hop_txid, str) and len(first_hop_txid) == 64, _(
    "first_hop_txid should be a txid (64 hexadecimal characters)"
)
hand_in(first_hop_txid)

# %% [markdown]
# ## Task 13 · The first exchange (1 point)
#
# Store in `first_deposit` the address that received the first hop's **payment** (not its
# change), and in `first_exchange` the name of the exchange that address belongs to.
#
# *Hint:* `hops[0].payment_address`; `exchange_labels[...]` gives the name.

# %% role="solution" grade_id="first-exchange"
### BEGIN SOLUTION
first_deposit = hops[0].payment_address
first_exchange = exchange_labels[first_deposit]
### END SOLUTION
first_deposit, first_exchange

# %% role="tests" grade_id="first-exchange-test" points=1 needs="first-hop first-exchange"
"""first_deposit is the first peeled payment's address; first_exchange names its exchange."""
assert isinstance(first_deposit, str) and addresses.is_valid(first_deposit), _(
    "first_deposit should be a valid Bitcoin address"
)
assert first_exchange in set(exchange_labels.values()), _(
    "first_exchange should be an exchange name from exchange_labels"
)
hand_in({"first_deposit": first_deposit, "first_exchange": first_exchange})

# %% [markdown]
# ## Task 14 · How much reached each exchange, FIFO (2 points)
#
# Policy for this case: **FIFO** (first in, first out; Clayton's case), the sources being the
# outputs the consolidation spent (everything the wallet held). Compute `flows = taint(ledger,
# sources, "fifo")`. Money **reaches** an exchange when a transaction that spends **no**
# exchange address pays an exchange address: a customer's deposit. (The exchange's own sweeps
# and payouts move money inside or out of the exchange; counting them again would count the
# same coins twice, and mix in other customers' money.)
#
# Store in `reached_exchanges` a pandas Series indexed by exchange name with the FIFO-tainted
# satoshis that reached it, added up.
#
# *Hint:* `sources = {(inp["txid"], inp["vout"]) for inp in ledger.tx(consolidation_txid)["vin"]}`;
# loop `for (txid, vout), dirty in flows.items():`, with `tx = ledger.tx(txid)` and `address =
# tx["vout"][vout].get("scriptpubkey_address")`; keep the output when `address in
# exchange_labels` and no input's `prevout` address is in `exchange_labels`. Collect
# `(name, dirty)` pairs, then `pd.DataFrame(rows, columns=["exchange", "sats"]).groupby(
# "exchange")["sats"].sum()`.
#
# *Why FIFO and not another policy?* The deposits made straight off the vendor's chain get the
# same figure under every policy. The policies part where the vendor's coins are mixed with
# other people's: a deposit that also spends someone else's older coins (look at the cash desk
# from the seized chat), or an exchange's sweep. There FIFO, haircut and poison give different
# figures: that is why a request states its policy.

# %% role="solution" grade_id="reached-exchanges"
### BEGIN SOLUTION
sources = {(inp["txid"], inp["vout"]) for inp in ledger.tx(consolidation_txid)["vin"]}
flows = taint(ledger, sources, "fifo")
rows = []
for (txid, vout), dirty in flows.items():
    tx = ledger.tx(txid)
    address = tx["vout"][vout].get("scriptpubkey_address")
    from_exchange = any(
        inp["prevout"].get("scriptpubkey_address") in exchange_labels for inp in tx["vin"]
    )
    if address in exchange_labels and not from_exchange:
        rows.append((exchange_labels[address], dirty))
reached_exchanges = (
    pd.DataFrame(rows, columns=["exchange", "sats"]).groupby("exchange")["sats"].sum()
)
### END SOLUTION
reached_exchanges

# %% role="tests" grade_id="reached-exchanges-test" points=2 needs="first-hop reached-exchanges"
"""reached_exchanges adds up, per exchange, the FIFO taint of the vendor's deposits."""
assert isinstance(reached_exchanges, pd.Series), _("reached_exchanges should be a pandas Series")
assert set(reached_exchanges.index) <= set(exchange_labels.values()), _(
    "index reached_exchanges by exchange names from exchange_labels"
)
hand_in(reached_exchanges)

# %% [markdown]
# # Part D · The investigative report (11 points, marked by your instructor)
#
# Write for a prosecutor who has not seen this notebook. Use **your** figures (addresses, site
# ids, names, satoshis **and** BTC), name the evidence files, and keep each part to the point.
# Your instructor marks each part with the criteria printed above it: they are what earns the
# points.

# %% [markdown]
# ## Report 1 · Findings (3 points)
#
# State, as numbered findings: the phishing clone and the mirror it imitates; the victim's loss
# and what the phisher collected; the operator's other sites; the vendor's key, accounts and
# where they sell; the exchanges reached and the amounts.
#
# **What earns the points** (1 point each):
#
# 1. the phishing thread: clone address, imitated mirror, victim's payment address and amount,
#    total collected, the operator's sites — each with its value;
# 2. the vendor thread: fingerprint (full, 40 digits), every linked account, number of listings;
# 3. the money: first hop, each exchange with its amount in satoshis and BTC, **with the taint
#    policy named** (FIFO).

# %% [markdown] role="answer" grade_id="report-findings" points=3
# 1. The victim used `<clone>.onion` (site `sNN`), a phishing clone of `<market>`: it is not on
#    the market's signed mirror list and copies the first five characters of the genuine mirror
#    `<mirror>.onion`.
# 2. The victim paid `<n>` sat (`<x>` BTC) to `<address>`, the deposit address shown on the
#    clone; that address received `<total>` sat in `<k>` payments.
# 3. The clone belongs to one operator with sites `sNN, ...` (phishing clones, scam shops, a
#    malware dropper).
# 4. The vendor's key `<40-digit fingerprint>` is published by `<market/handle>` on every market
#    listed; the seized secret key has the same fingerprint; the accounts offer `<n>` listings.
# 5. The vendor's coins left the seized wallet through a peel chain starting at `<txid>`; under
#    FIFO, `<exchange>` received `<sats>` sat, ... (one line per exchange).

# %% [markdown]
# ## Report 2 · Evidence chain (3 points)
#
# For each thread, the steps from the first fact to the conclusion: what you looked at (file or
# transaction), what it showed, and why the next step follows.
#
# **What earns the points** (1 point each):
#
# 1. phishing → operator: link → crawl → signed mirror list (signature verified with the
#    market's key) → deposit address on the page and in the victim's transaction → shared SSH
#    host key / ad ID / e-mail / IP (and the template's analytics ID explicitly left out);
# 2. vendor → accounts: handle in the briefing → published key → full fingerprint → same
#    fingerprint on other markets → seized secret key; a short key ID is not used;
# 3. wallet → exchanges: seized wallet history → consolidation → peel chain (payment vs change
#    stated) → deposit addresses → exchange labels, each step naming the txid.

# %% [markdown] role="answer" grade_id="report-evidence-chain" points=3
# **Phishing.** The victim's link contains the onion address of site `sNN` (`sites/crawl.csv`).
# `markets/<market>/mirrors.txt.asc` verifies with `market.asc` and does not list it; it shares
# only its first characters with `<mirror>`. The clone's page shows `<address>`, and the victim's
# transaction `<txid>` pays that address a round amount (the other output is the change). The
# clone shares its SSH host key (`ssh_22.txt`), `pub-` ad ID and the clearnet IP of its open
# `/server-status` with sites `sNN, ...`; the `UA-` ID is left out because it sits on mirrors of
# rival markets (template).
# **Vendor.** `keys/<market>/<handle>.asc` has fingerprint `<fpr>`; the same full fingerprint is
# published as `<accounts>`; the secret key in `seized/keys/` has it too.
# **Money.** `seized/wallet/electrum_history.csv` → consolidation `<txid>` → peel steps
# `<txids>`, each paying a small deposit and sending the larger change on → deposit addresses
# labelled `<exchanges>`; the last change went to the cash desk from the seized chat, which
# deposited it at `<exchange>`.

# %% [markdown]
# ## Report 3 · Confidence and limits (2 points)
#
# How sure is each link, and what could make it wrong? What would strengthen it?
#
# **What earns the points** (1 point each):
#
# 1. grades the links differently and says why: a valid signature, a shared full fingerprint
#    and the seized secret key are strong; shared SSH key / IP / ad ID show shared
#    infrastructure, not a person; change and exchange labels are attributions that can err;
# 2. names at least two concrete limits or alternative explanations (a key or server shared by
#    a team, a hosting reseller, a mislabelled address, a round-number change, the policy
#    choice) and what would corroborate (exchange KYC, provider logs, device forensics).

# %% [markdown] role="answer" grade_id="report-confidence" points=2
# Strong: the mirror lists are signed by the market's key, and the vendor's accounts share one
# full fingerprint whose secret key was on the seized laptop; the deposits are exact amounts on
# the chain. Medium: the operator's sites share an SSH host key, ad ID, e-mail and server IP —
# one infrastructure, maybe a team or a reseller, not yet a person. Weaker: which output is the
# change and who owns an address are attributions (the labels come from an analytics service and
# must be confirmed by the exchange). Corroborate with exchange KYC and login IPs, the hosting
# provider's subscriber and payment data, and the laptop's browser and wallet files.

# %% [markdown]
# ## Report 4 · Requests to send, and to whom (3 points)
#
# List each request: the addressee (a company and its country or a contact point), the legal
# instrument you would use, the identifiers and period you give them, what you ask for, and
# what comes first.
#
# **What earns the points** (1 point each):
#
# 1. the exchanges: one request per exchange, naming the deposit addresses and txids, the
#    amount under the stated policy (FIFO), asking for KYC, login IPs, withdrawals, and a freeze;
#    **not** a poison figure;
# 2. the phisher's providers: hosting provider of the clearnet IP (preservation first, then
#    subscriber, payment and access logs), the e-mail provider, the ad network for the `pub-` ID;
#    the template's `UA-` ID is **not** requested;
# 3. priorities and form: preservation before production, the period of the case, MLA or a
#    24/7 network contact where the company is abroad; the victim's statement and loss attached.

# %% [markdown] role="answer" grade_id="report-requests" points=3
# 1. Preservation at once, then production: `<exchange>` (deposit addresses `<...>`, txids
#    `<...>`, `<sats>` sat under FIFO): KYC of the account holder, login IPs and devices, other
#    deposits and withdrawals 01.01–29.02.2020, freeze of the balance. The same for each exchange.
# 2. Hosting provider of `<IP>`: preserve the server, then subscriber, payment and access logs.
#    Mail provider of `<e-mail>`: subscriber and login IPs. Ad network for `<pub-...>`: account
#    holder and payout details. The template's `UA-` ID would reach the template's author: no
#    request.
# 3. Through MLA or the 24/7 network where the company is abroad; attach the victim's statement
#    (`<txid>`, `<sats>` sat) and, for the exchanges, the peel-chain diagram.

# %% [markdown]
# ## Key points
#
# - A victim's report gives you two anchors: an address and a transaction. The signed mirror
#   list decides the first; the payment and its change decide the second.
# - Link an operator's sites only through identifiers the operator controls; a template's
#   analytics ID links rivals.
# - One full fingerprint links accounts to one key holder; a short key ID links nothing.
# - Follow the change of a peel chain, record the payments, stop at the exchange: that is where
#   a request can name a person.
# - State the taint policy with every amount; ask exchanges for what was deposited, never for a
#   poison figure.
# - A report lets someone else check every step: findings, evidence chain, confidence, requests.
