# %% [markdown]
# # Walkthrough 07 · Capstone: one case, three threads, one report
#
# Instructor demonstration before assignment `07-capstone` (about 40 minutes). Everyone in the
# room sees the shared case (`case_evidence()`); the trainees then run their own case from a
# victim's report.
#
# 1. Keep a case log: every finding with the evidence that supports it.
# 2. Thread 1: a suspicious link → signed mirror lists → the page → the money it collects.
# 3. Thread 2: a vendor → their key → every account with the same **full** fingerprint.
# 4. Thread 3: the seized wallet → peel chain → exchange deposits, with a stated taint policy.
# 5. From the log to a report, and from the report to requests.
#
# The anchors here differ from the trainees' (a link from the seized notes, not a victim's
# report), so the demonstration shows the method without handing out their answers.

# %%
import json
import re
from itertools import combinations
from os.path import commonprefix

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from darktrail import addresses, onion, pgp
from darktrail.evidence import case_evidence
from darktrail.ledger import LedgerIndex
from darktrail.trace import TAINT_POLICIES, follow_peel_chain, taint

evidence = case_evidence()
txs = json.loads((evidence / "ledger" / "transactions.json").read_text(encoding="utf-8"))
ledger = LedgerIndex(txs)
crawl = pd.read_csv(evidence / "sites" / "crawl.csv")

# %% [markdown]
# ## 1 · A case log
#
# Write each finding down as you make it, with the file or transaction it rests on. At the end
# the report is a matter of reading the log aloud; a colleague can re-check every line.

# %%
case_log = []


def log(thread, finding, evidence_ref, strength):
    """Record one finding, where it comes from and how strong it is."""
    case_log.append(
        {"thread": thread, "finding": finding, "evidence": evidence_ref, "strength": strength}
    )


# %% [markdown]
# ## 2 · Thread 1: a link from the seized notes
#
# The suspect's notes keep market links, one of them marked "new mirror?". Is it genuine?

# %%
notes = (evidence / "seized" / "notes" / "notes.txt").read_text(encoding="utf-8")
noted = [line for line in notes.splitlines() if ".onion" in line]
noted

# %% [markdown]
# Only the market's **signed** list decides. Verify each list with the market's key and keep the
# mirrors of the lists that verify.

# %%
signed_mirrors = {}
for folder in sorted((evidence / "markets").iterdir()):
    if folder.is_dir():
        check = pgp.verify_clearsigned(
            (folder / "mirrors.txt.asc").read_text(encoding="utf-8"),
            (folder / "market.asc").read_text(encoding="utf-8"),
        )
        print(folder.name, check.valid, check.reason)
        for address in onion.find_onions(check.text) if check.valid else []:
            signed_mirrors[address] = folder.name
verdicts = []
for line in noted:
    address = onion.find_onions(line)[0]
    closest = max(signed_mirrors, key=lambda m: len(commonprefix([m, address])))
    verdicts.append(
        {
            "noted": address[:16] + "…",
            "genuine": address in signed_mirrors,
            "closest mirror": closest[:16] + "…",
            "shared start": len(commonprefix([closest, address])),
        }
    )
pd.DataFrame(verdicts)

# %% [markdown]
# A handful of shared characters is exactly what a vanity key buys (about 32⁵ tries for five).
# The noted "new mirror" is a clone. Was it crawled, and what does its page ask for?

# %%
suspicious = next(onion.find_onions(line)[0] for line in noted if "new mirror" in line)
crawled = crawl.assign(onion=crawl["url"].str.removeprefix("http://"))
site = crawled.loc[crawled["onion"] == suspicious, "site_id"]
if len(site):
    page = (evidence / "sites" / site.iloc[0] / "index.html").read_text(encoding="utf-8")
    deposit = addresses.find_addresses(page)
    print(site.iloc[0], "asks for payment to", deposit)
    paid = [
        out["value"]
        for tx in txs
        for out in tx["vout"]
        if out.get("scriptpubkey_address") in deposit
    ]
    print(len(paid), "payments,", sum(paid) / 1e8, "BTC")
    log("phishing", f"{suspicious} is not a signed mirror", "markets/*/mirrors.txt.asc", "strong")

# %% [markdown]
# **A payment and its change.** A victim's transaction has two outputs. The folk rule "the larger
# is the change" fails here: a victim topping up an account sends most of their balance, and
# the change is the small rest. People pay round amounts; `change_round_payment` uses that.
#
# **The operator.** Collect identifiers per site and link sites that share one, but first find
# identifiers that appear on mirrors of **different** markets: those came with a template.


# %%
def identifiers(site_id):
    folder = evidence / "sites" / site_id
    page = (folder / "index.html").read_text(encoding="utf-8")
    found = set(re.findall(r"\b(?:UA-\d+-\d+|pub-\d{16})\b", page))
    found.update(addresses.find_addresses(page))
    if (folder / "ssh_22.txt").exists():
        banner = (folder / "ssh_22.txt").read_text(encoding="utf-8")
        found.update(re.findall(r"SHA256:[A-Za-z0-9+/]{43}", banner))
    return found


ids = {s: identifiers(s) for s in sorted(crawled["site_id"].unique())}
onion_of = dict(zip(crawled["site_id"], crawled["onion"], strict=True))
seen_on = {}
for s, found in ids.items():
    for i in found:
        if onion_of[s] in signed_mirrors:
            seen_on.setdefault(i, set()).add(signed_mirrors[onion_of[s]])
template = {i for i, markets in seen_on.items() if len(markets) > 1}


def operator_graph(ignore):
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    for a, b in combinations(sorted(ids), 2):
        if (ids[a] & ids[b]) - ignore:
            graph.add_edge(a, b)
    return graph


fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, ignore, title in (
    (axes[0], set(), "every identifier"),
    (axes[1], template, "template left out"),
):
    graph = operator_graph(ignore)
    nx.draw_networkx(graph, nx.spring_layout(graph, seed=3), ax=ax, node_size=350, font_size=7)
    ax.set_title(f"{title}: {nx.number_connected_components(graph)} groups")
    ax.set_axis_off()
plt.show()

# %% [markdown]
# Left: one "gang" of rival markets, vendors and a phisher, joined by a template's analytics ID.
# Right: groups that share an SSH host key or an ad account: one infrastructure each.
#
# ## 3 · Thread 2: a vendor's key and accounts
#
# A key is a **full fingerprint**. Short key IDs (8 hex digits) collide on purpose: the key table
# below shows a short ID shared by two different keys.

# %%
keys = pd.DataFrame(
    [
        {
            "account": f"{p.parent.name}/{p.stem}",
            "fingerprint": pgp.fingerprint(p.read_text(encoding="utf-8")),
        }
        for p in sorted((evidence / "keys").glob("*/*.asc"))
    ]
)
keys["short_id"] = keys["fingerprint"].str[-8:]
per_short = keys.groupby("short_id")["fingerprint"].nunique()
keys[keys["short_id"].isin(per_short[per_short > 1].index)]

# %% [markdown]
# Accounts that publish the same full fingerprint form one key holder. Take the largest group
# (not necessarily the vendor of the briefing) and the listings it offers on every market.

# %%
groups = keys.groupby("fingerprint")["account"].apply(sorted)
linked = groups[groups.map(len) == groups.map(len).max()].iloc[0]
listings = pd.read_csv(evidence / "listings" / "listings.csv")
theirs = listings[(listings["market"] + "/" + listings["vendor"]).isin(linked)]
print(linked)
theirs.groupby(["market", "vendor"]).agg(
    listings=("listing_id", "size"), cities=("city", "nunique")
)

# %% [markdown]
# ## 4 · Thread 3: the seized wallet to the exchanges
#
# The wallet's first outgoing transaction gathered its coins; a peel chain starts from its
# output. Each step pays a small deposit and carries the larger change on.

# %%
history = pd.read_csv(evidence / "seized" / "wallet" / "electrum_history.csv")
outgoing = history[history["value"] < 0]
gathering = outgoing.iloc[0]["transaction_hash"]
chain = follow_peel_chain(ledger, (gathering, 0))
pd.DataFrame(chain)[["hop", "payment_address", "payment_value", "change_value"]]

# %% [markdown]
# How much of the wallet's money is where? Under each policy, the taint of the first deposit
# and of the exchange's sweep that gathers it with other customers' deposits:

# %%
sources = {(inp["txid"], inp["vout"]) for inp in ledger.tx(gathering)["vin"]}
step = chain[-1]
sweep = ledger.spender(step.txid, step.payment_vout)
pd.DataFrame(
    {
        policy: {
            "deposit": flows[(step.txid, step.payment_vout)],
            "sweep output": flows.get((sweep, 0), 0) if sweep else 0,
        }
        for policy in TAINT_POLICIES
        for flows in [taint(ledger, sources, policy)]
    }
)

# %% [markdown]
# The deposit is the vendor's money under every policy; the sweep mixes it with other people's.
# A request names the deposit addresses, the txids and the deposited amount, **and the policy**
# (FIFO, Clayton's case). A poison figure would ask an exchange to freeze strangers' money.

# %%
log("money", f"peel chain of {len(chain)} steps from {gathering[:12]}…", "ledger", "strong")
log("money", "deposit owners", "analytics labels, to confirm with the exchange", "medium")

# %% [markdown]
# ## 5 · From the log to the report, and to the requests
#
# A report has four parts, and the capstone's rubric marks each:
#
# 1. **Findings**: numbered, each with its value (address, fingerprint, txid, satoshis *and*
#    BTC, the policy).
# 2. **Evidence chain**: for each thread, the steps and the file or transaction behind each.
# 3. **Confidence**: which links are strong (signatures, full fingerprints, the chain itself),
#    which are attributions (change guesses, address labels, shared servers), what would
#    corroborate.
# 4. **Requests**: to whom, under which instrument, with which identifiers and period, asking
#    for what, in which order (preservation first).

# %%
pd.DataFrame(case_log)

# %%
pd.DataFrame(
    [
        {
            "to": "each exchange reached",
            "identifiers": "deposit addresses, txids, amounts (FIFO)",
            "ask": "KYC, login IPs, other deposits and withdrawals, freeze",
            "first": "preservation",
        },
        {
            "to": "hosting provider of the clearnet IP",
            "identifiers": "IP, dates of the crawl",
            "ask": "preserve the server; subscriber, payment, access logs",
            "first": "preservation",
        },
        {
            "to": "mail provider / ad network",
            "identifiers": "e-mail address, pub- ID",
            "ask": "account holder, login IPs, payout details",
            "first": "production",
        },
    ]
)
