# %% [markdown]
# # Walkthrough 06 · Market intelligence
#
# *Instructor demonstration before assignment 06 (about 25 minutes). Everyone in the room sees
# the same numbers: this runs on the shared case, not on a trainee's own evidence.*
#
# What we show, in the order the assignment asks for it:
#
# 1. the scraped listings: four currencies, two units, one table;
# 2. one price converted by hand at the day's rate, then all of them with a merge;
# 3. why prices are compared per unit and averaged with weights (a two-row example);
# 4. the offer over time: a category that appears mid-period;
# 5. ratings and how many reviews stand behind them;
# 6. linking accounts: keys first, then user names, and why a similar name is only a lead.

# %%
import difflib
import itertools
import re

import matplotlib.pyplot as plt
import pandas as pd

from darktrail import pgp
from darktrail.evidence import case_evidence

evidence = case_evidence()
listings = pd.read_csv(evidence / "listings" / "listings.csv", parse_dates=["listed_at"])
prices = pd.read_csv(evidence / "ledger" / "prices.csv", parse_dates=["date"])
print(len(listings), "listings,", listings["vendor"].nunique(), "accounts")
listings.head()

# %% [markdown]
# ## 1 · Four currencies, two units
#
# Each market quotes in its own currency, but vendors may choose another. Point out that a
# "price" column that mixes bitcoin and tenge cannot be averaged, and that grams and pieces
# (blotters, tablets) are different things.

# %%
pd.crosstab(listings["market"], listings["currency"])

# %%
pd.crosstab(listings["category"], listings["unit"])

# %% [markdown]
# ## 2 · One price, converted by hand
#
# `prices.csv` gives the price of **one bitcoin** in dollars, tenge and roubles, per day. A
# rouble is therefore worth `btc_usd / btc_rub` dollars on that day. Take one rouble listing and
# do it on the board.

# %%
one = listings[listings["currency"] == "RUB"].iloc[0]
day = prices[prices["date"] == one["listed_at"].normalize()].iloc[0]
usd = one["price"] * day["btc_usd"] / day["btc_rub"]
print(f"{one['title']}: {one['price']:.0f} RUB on {day['date']:%Y-%m-%d} = {usd:.2f} USD")
print(f"per unit: {usd / one['quantity']:.2f} USD per {one['unit']}")

# %% [markdown]
# The same for every row at once: turn the price table into "one row per day and currency" and
# **merge** it onto the listings by day and currency. (The assignment asks for a different route;
# both give the same numbers.)

# %%
per_unit = pd.DataFrame(
    {
        "date": prices["date"],
        "BTC": prices["btc_usd"],
        "USD": 1.0,
        "RUB": prices["btc_usd"] / prices["btc_rub"],
        "KZT": prices["btc_usd"] / prices["btc_kzt"],
    }
).melt(id_vars="date", var_name="currency", value_name="usd_per_currency_unit")
converted = listings.assign(date=listings["listed_at"].dt.normalize()).merge(
    per_unit, on=["date", "currency"], how="left"
)
assert converted["usd_per_currency_unit"].notna().all(), "every listing day has a rate"
converted["usd"] = converted["price"] * converted["usd_per_currency_unit"]
converted["usd_each"] = converted["usd"] / converted["quantity"]
converted[["title", "price", "currency", "usd", "usd_each"]].head()

# %% [markdown]
# ## 3 · Per unit, and weighted
#
# Two offers of the same product: 1 g for 10 USD and 10 g for 70 USD. The plain mean of the
# per-gram prices says 8.50; the grams on offer actually cost 80 / 11 = 7.27 per gram. The
# larger pack should weigh more. Ask the room which number a buyer of the whole market would pay.

# %%
toy = pd.DataFrame({"grams": [1, 10], "usd": [10.0, 70.0]})
plain = (toy["usd"] / toy["grams"]).mean()
weighted = toy["usd"].sum() / toy["grams"].sum()
print(f"plain mean {plain:.2f} USD/g, weighted {weighted:.2f} USD/g")

# %% [markdown]
# The spread of per-unit prices per category: a box plot shows the middle half of the offers and
# the outliers (bulk packs at the bottom, single grams at the top). Keep grams and pieces apart.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), width_ratios=[4, 1])
for ax, unit in zip(axes, ["g", "pcs"], strict=True):
    part = converted[converted["unit"] == unit]
    part.boxplot(column="usd_each", by="category", ax=ax, vert=False, grid=False)
    ax.set_title(f"USD per {'gram' if unit == 'g' else 'piece'}")
    ax.set_xlabel("")
fig.suptitle("")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4 · The offer over time
#
# Count listings per week and category. One category is absent in January and grows in
# February: in a real case this is the signal that a new substance has reached the region (and a
# reason to alert the forensic laboratory and the drug-control agency).

# %%
week = converted["listed_at"].dt.to_period("W").dt.start_time.rename("week")
per_week = converted.groupby([week, "category"]).size().unstack("category", fill_value=0)
per_week.index = per_week.index.strftime("%d %b")
ax = per_week.plot.bar(stacked=True, figsize=(9, 3.5), rot=0)
ax.set_xlabel("week starting")
ax.set_ylabel("listings")
ax.set_title("Listings per week, by category")
plt.show()

# %% [markdown]
# Prices move too. Here the monthly **median** price per unit (a robust alternative the
# assignment does not use); ask which categories got dearer.

# %%
month = converted["listed_at"].dt.to_period("M").rename("month")
converted.groupby(["category", month])["usd_each"].median().unstack("month").round(2)

# %% [markdown]
# ## 5 · Ratings and the reviews behind them
#
# Markets show a star rating and a review count. A 5.0 from two reviews is not a 4.7 from two
# hundred. The scatter shows how many listings rest on few reviews; a vendor's overall rating
# should weigh each listing's rating by its reviews.

# %%
ax = listings.plot.scatter(x="n_reviews", y="rating", alpha=0.5, logx=True, figsize=(6, 3.5))
ax.set_title("Rating against number of reviews (log scale)")
plt.show()
toy = pd.DataFrame({"rating": [5.0, 4.6], "n_reviews": [2, 80]})
print(
    "plain mean",
    toy["rating"].mean(),
    "weighted",
    round((toy["rating"] * toy["n_reviews"]).sum() / toy["n_reviews"].sum(), 2),
)

# %% [markdown]
# ## 6 · Linking accounts across markets
#
# **Keys first** (assignment 03): the same full fingerprint on two markets links the accounts
# strongly.

# %%
keys = pd.DataFrame(
    {
        "account": f"{p.parent.name}/{p.stem}",
        "market": p.parent.name,
        "handle": p.stem,
        "fingerprint": pgp.read_key(p.read_text()).fingerprint,
    }
    for p in sorted(evidence.glob("keys/*/*.asc"))
    if p.parent.name != "forum"
)
shared = keys.groupby("fingerprint")["account"].agg(list)
shared[shared.str.len() > 1].str.join(", ").to_frame("accounts with this key")

# %% [markdown]
# **Then names.** Vendors keep their brand so buyers find them, lightly disguised: capitals,
# underscores, a different number at the end, `.shop`, `the...`. Normalise (lower case, no
# separators, no trailing digits), then measure how alike two names are with `difflib`: twice
# the matching characters over both lengths together, from 0 to 1.


# %%
def core(handle):
    return re.sub(r"[_\-. ]", "", handle.lower()).rstrip("0123456789")


for a, b in [
    ("Frost_Lynx77", "frostlynx78"),
    ("frostlynx", "thefrostlynx"),
    ("greybear", "greyheron"),
]:
    ratio = difflib.SequenceMatcher(None, core(a), core(b)).ratio()
    print(f"{a:>14} ~ {b:<14} {ratio:.2f}")

# %% [markdown]
# On the shared case: every pair of accounts on different markets, with the key verdict next to
# the name similarity. Read the top of the table with the room: which name matches come with the
# same key, which without, and which are two different vendors who both like the same animal?

# %%
pairs = pd.DataFrame(
    {
        "a": a.account,
        "b": b.account,
        "same_key": a.fingerprint == b.fingerprint,
        "similarity": round(
            difflib.SequenceMatcher(None, core(a.handle), core(b.handle)).ratio(), 2
        ),
    }
    for a, b in itertools.combinations(keys.itertuples(), 2)
    if a.market != b.market
)
pairs.sort_values("similarity", ascending=False).head(12)

# %% [markdown]
# Discussion points before the assignment:
#
# - A key match is strong; a name match is a **lead** to corroborate (payout addresses, shop
#   pages from assignment 02, contact e-mails, writing style, photos, activity times).
# - Keys can differ for one vendor (a key per market) and names can collide for two vendors:
#   neither trace alone gives every link, and a threshold on similarity trades missed links for
#   false ones.
# - Listings are offers, not sales: advertised prices, claimed delivery cities, market-run
#   ratings.
