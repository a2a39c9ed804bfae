# %% [markdown]
# # 06 · Market intelligence: what the NPS market looks like from the darkweb
#
# **Time:** about 120 minutes · **Graded:** 20 autograded points and 3 points marked by your
# instructor
#
# **Objectives.** By the end of this notebook you can
#
# 1. turn scraped darknet listings into comparable prices: one currency at the listing day's
#    rate, per gram or per piece, never mixing units;
# 2. say which substance categories are offered on which market, where they are delivered, and
#    how prices and the offer change over the case period, including a category that is new;
# 3. summarise vendor activity and ratings fairly (weighted by the number of reviews);
# 4. link vendor accounts across markets by PGP key and by reused user names, and say how sure
#    each link is;
# 5. draw charts that a reader would rather look at than read.
#
# **Case briefing.** The task force wants a picture of the market the suspect works in: what is
# sold, where, at what price, by whom, and which accounts on different markets are really the
# same vendor. Your evidence holds the listings scraped from the three markets
# (`listings/listings.csv`), the daily bitcoin price (`ledger/prices.csv`) and the vendors'
# published PGP keys (`keys/<market>/<handle>.asc`). Work only from this evidence; every number
# you produce goes into an intelligence note for the task force.

# %% role="readonly"
import difflib
import itertools

import matplotlib.pyplot as plt
import pandas as pd

from darktrail import pgp
from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls

evidence = my_evidence()
print(_("Your evidence folder:"), evidence)

# %% [markdown]
# ## Part 1 · Comparable prices
#
# ## Task 1 · Read the listings (1 point)
#
# Read `listings/listings.csv` into a DataFrame `listings`, with the column `listed_at` read as
# dates and times (not text).
#
# Each row is one offer: a `category` of substance, a `title`, a pack of `quantity` `unit`s
# (`g` grams or `pcs` pieces) for `price` in `currency` (BTC, USD, RUB or KZT), a delivery
# `city`, the time it was `listed_at`, and the account's `rating` with its number of reviews
# (`n_reviews`).
#
# *Hint:* `pd.read_csv(path, parse_dates=["listed_at"])`.

# %% role="solution" grade_id="load-listings"
### BEGIN SOLUTION
listings = pd.read_csv(evidence / "listings" / "listings.csv", parse_dates=["listed_at"])
### END SOLUTION
listings.head()

# %% role="tests" grade_id="load-listings-test" points=1 needs="load-listings"
"""listings holds every row of listings.csv with listed_at read as dates."""
assert isinstance(listings, pd.DataFrame), _("listings should be a DataFrame: use pd.read_csv")
assert {"listing_id", "price", "currency", "unit", "quantity", "listed_at"} <= set(
    listings.columns
), _("listings lacks the columns of listings.csv")
assert pd.api.types.is_datetime64_any_dtype(listings["listed_at"]), _(
    "read listed_at as dates: parse_dates=['listed_at']"
)
hand_in(listings)

# %% [markdown]
# ## Task 2 · What one unit of each currency is worth in dollars, day by day (1 point)
#
# Prices are quoted in four currencies, and bitcoin's price moved during the case period. To
# compare them, convert every price to **US dollars at the rate of the day it was listed**.
#
# `ledger/prices.csv` gives, per `date`, the price of one bitcoin in dollars (`btc_usd`), tenge
# (`btc_kzt`) and roubles (`btc_rub`). Make a DataFrame `rates` with one row per day (the index:
# the dates, read as dates) and four columns `BTC`, `USD`, `RUB`, `KZT`: the value **in dollars
# of one unit** of that currency on that day. (Other columns may stay; these four are checked.)
#
# *Hint:* read with `index_col="date", parse_dates=["date"]`. One bitcoin is worth `btc_usd`
# dollars; one dollar is worth 1; one rouble is worth `btc_usd / btc_rub` dollars (a bitcoin
# costs `btc_rub` roubles or `btc_usd` dollars).

# %% role="solution" grade_id="rates"
### BEGIN SOLUTION
prices = pd.read_csv(evidence / "ledger" / "prices.csv", index_col="date", parse_dates=["date"])
rates = pd.DataFrame(
    {
        "BTC": prices["btc_usd"],
        "USD": 1.0,
        "RUB": prices["btc_usd"] / prices["btc_rub"],
        "KZT": prices["btc_usd"] / prices["btc_kzt"],
    }
)
### END SOLUTION
rates.head()

# %% role="tests" grade_id="rates-test" points=1 needs="rates"
"""rates gives the dollar value of one BTC, USD, RUB and KZT on every day of prices.csv."""
assert isinstance(rates, pd.DataFrame), _("rates should be a DataFrame")
assert {"BTC", "USD", "RUB", "KZT"} <= set(rates.columns), _(
    "rates needs the columns BTC, USD, RUB and KZT"
)
assert pd.api.types.is_datetime64_any_dtype(rates.index), _(
    "the index of rates should be the dates, read as dates"
)
assert (rates["USD"] == 1).all(), _("one dollar is worth one dollar")
assert (rates["BTC"] > 1000).all() and (rates["RUB"] < 1).all() and (rates["KZT"] < 1).all(), _(
    "write what ONE unit is worth in dollars: a bitcoin thousands, a rouble or a tenge cents"
)
hand_in(rates.rename_axis("day").reset_index())

# %% [markdown]
# ## Task 3 · Every price in dollars (1 point)
#
# Add a column `price_usd` to `listings`: the listing's `price` converted to dollars at the
# rate of the **day** it was listed.
#
# *Hint:* `listings["listed_at"].dt.normalize()` is the day (midnight) of each listing.
# `rates.loc[day, currency]` reads one rate; to do it for every row,
# `listings.apply(lambda row: ..., axis=1)` calls your small function once per row.

# %% role="solution" grade_id="price-usd"
### BEGIN SOLUTION
listings["day"] = listings["listed_at"].dt.normalize()
listings["price_usd"] = listings.apply(
    lambda row: row["price"] * rates.loc[row["day"], row["currency"]], axis=1
)
### END SOLUTION
listings[["listing_id", "price", "currency", "listed_at", "price_usd"]].head()

# %% role="tests" grade_id="price-usd-test" points=1 needs="load-listings rates price-usd"
"""price_usd is each price converted at its listing day's rate."""
assert "price_usd" in listings.columns, _("add a column price_usd to listings")
assert pd.api.types.is_numeric_dtype(listings["price_usd"]), _("price_usd should hold numbers")
assert listings["price_usd"].notna().all() and (listings["price_usd"] > 0).all(), _(
    "every listing should get a positive dollar price"
)
assert listings["price_usd"].max() < 1e5, _(
    "some prices look like roubles or tenge: convert each from its own currency"
)
hand_in(listings[["listing_id", "price_usd"]])

# %% [markdown]
# ## Task 4 · Price per gram, price per piece (1 point)
#
# A 10 g pack costs more than a 1 g pack: compare **price per unit**. Add a column
# `usd_per_unit` to `listings`: the dollar price divided by the pack's `quantity`. (It is per
# gram for `g` listings and per piece for `pcs` listings; a gram and a pill are not the same
# thing, so never put the two in one number.)
#
# *Hint:* dividing one column by another works row by row.

# %% role="solution" grade_id="unit-price"
### BEGIN SOLUTION
listings["usd_per_unit"] = listings["price_usd"] / listings["quantity"]
### END SOLUTION
listings[["title", "unit", "quantity", "price_usd", "usd_per_unit"]].head()

# %% role="tests" grade_id="unit-price-test" points=1 needs="load-listings rates price-usd unit-price"
"""usd_per_unit is the dollar price divided by the pack's quantity."""
assert "usd_per_unit" in listings.columns, _("add a column usd_per_unit to listings")
assert (listings["usd_per_unit"] <= listings["price_usd"] + 1e-9).all(), _(
    "a price per unit is never more than the price of the whole pack"
)
hand_in(listings[["listing_id", "quantity", "price_usd", "usd_per_unit"]])

# %% [markdown]
# ## Task 5 · The price table (2 points)
#
# Make a DataFrame `price_table` with **one row per category** (the index: the category) and the
# columns
#
# | column | what |
# | --- | --- |
# | `unit` | the category's unit (`g` or `pcs`) |
# | `listings` | how many listings |
# | `usd_per_unit` | the average price per unit, **weighted by quantity**: all the listings' dollar prices added up, divided by all their units added up |
#
# Why weighted? A plain average of `usd_per_unit` counts a 1 g pack as much as a 10 g pack.
# Dividing total dollars by total grams gives what a gram costs across everything offered.
#
# *Hint:* `listings.groupby("category").agg(unit=("unit", "first"), listings=("listing_id",
# "count"), usd=("price_usd", "sum"), units=("quantity", "sum"))`, then divide one column by
# another.

# %% role="solution" grade_id="price-table"
### BEGIN SOLUTION
price_table = listings.groupby("category").agg(
    unit=("unit", "first"),
    listings=("listing_id", "count"),
    usd=("price_usd", "sum"),
    units=("quantity", "sum"),
)
price_table["usd_per_unit"] = price_table["usd"] / price_table["units"]
### END SOLUTION
price_table

# %% role="tests" grade_id="price-table-test" points=2 needs="load-listings rates price-usd price-table"
"""price_table gives per category its unit, listing count and quantity-weighted USD per unit."""
assert isinstance(price_table, pd.DataFrame), _("price_table should be a DataFrame")
assert {"unit", "listings", "usd_per_unit"} <= set(price_table.columns), _(
    "price_table needs the columns unit, listings and usd_per_unit"
)
assert sorted(price_table.index) == sorted(listings["category"].unique()), _(
    "price_table should have one row per category, with the category as index"
)
assert price_table["listings"].sum() == len(listings), _("every listing counts once")
hand_in(
    {
        "category": list(price_table.index),
        "unit": list(price_table["unit"]),
        "listings": list(price_table["listings"]),
        "usd_per_unit": list(price_table["usd_per_unit"]),
    }
)

# %% [markdown]
# ## Task 6 · The price chart (1 point)
#
# Draw a **horizontal bar chart** of `price_table["usd_per_unit"]`, cheapest at the bottom, and
# keep its axes in `ax_prices`. Label the value axis (the x axis, along the bars) with the
# currency and the unit, so that a reader knows what a bar's length means (for example "USD per
# gram or piece"), and give the chart a title.
#
# *Hint:* `fig, ax_prices = plt.subplots()` makes a new chart;
# `price_table["usd_per_unit"].sort_values().plot.barh(ax=ax_prices)` draws the bars on it;
# `ax_prices.set_xlabel(...)`, `ax_prices.set_title(...)`; `plt.show()` shows it.

# %% role="solution" grade_id="price-chart"
### BEGIN SOLUTION
fig, ax_prices = plt.subplots()
price_table["usd_per_unit"].sort_values().plot.barh(ax=ax_prices)
ax_prices.set_xlabel("USD per gram (pcs: per piece)")
ax_prices.set_ylabel("")
ax_prices.set_title("What a unit costs, by category")
### END SOLUTION
plt.show()

# %% role="tests" grade_id="price-chart-test" points=1 needs="load-listings rates price-usd price-table price-chart"
"""ax_prices is a horizontal bar chart of the price table, one bar per category."""
import matplotlib

assert isinstance(ax_prices, matplotlib.axes.Axes), _(
    "ax_prices should be the axes returned by .plot.barh()"
)
assert len(ax_prices.patches) == len(price_table), _("draw one bar per category")
assert ax_prices.get_xlabel() and ax_prices.get_title(), _(
    "give the chart an axis label and a title"
)
_labels = [t.get_text() for t in ax_prices.get_yticklabels()]
assert sorted(_labels) == sorted(price_table.index), _(
    "label each bar with its category (a horizontal bar chart: .plot.barh())"
)
hand_in(ax_prices)

# %% [markdown]
# ## Part 2 · What is offered where, and how it changes
#
# ## Task 7 · Categories by market (1 point)
#
# Count the listings of every category on every market: a DataFrame `offers` with the
# categories as rows and the markets as columns.
#
# *Hint:* `pd.crosstab(rows, columns)` counts every combination of two columns.

# %% role="solution" grade_id="offers"
### BEGIN SOLUTION
offers = pd.crosstab(listings["category"], listings["market"])
### END SOLUTION
offers

# %% role="tests" grade_id="offers-test" points=1 needs="load-listings offers"
"""offers counts the listings of each category (rows) on each market (columns)."""
assert isinstance(offers, pd.DataFrame), _("offers should be a DataFrame: use pd.crosstab")
assert set(offers.index) == set(listings["category"]), _("one row per category")
assert set(offers.columns) == set(listings["market"]), _("one column per market")
hand_in(offers.to_dict())

# %% [markdown]
# ## Task 8 · Grams on offer per market (1 point)
#
# How much powder and herb does each market offer? Make a Series `grams_by_market`: for every
# market, the **total grams** of all its listings sold by the gram (unit `g`). Pieces are not
# grams: leave the `pcs` listings out.
#
# *Hint:* select the rows with `listings[listings["unit"] == "g"]`, then
# `.groupby("market")["quantity"].sum()`.

# %% role="solution" grade_id="grams-by-market"
### BEGIN SOLUTION
grams_by_market = listings[listings["unit"] == "g"].groupby("market")["quantity"].sum()
### END SOLUTION
grams_by_market

# %% role="tests" grade_id="grams-by-market-test" points=1 needs="load-listings grams-by-market"
"""grams_by_market adds up, per market, the grams of listings sold by the gram."""
assert isinstance(grams_by_market, pd.Series), _(
    "grams_by_market should be a Series: market -> grams"
)
assert set(grams_by_market.index) <= set(listings["market"]), _("index the Series by market")
hand_in(grams_by_market)

# %% [markdown]
# ## Task 9 · Delivery regions (1 point)
#
# Count the listings per delivery `city`, largest first, in a Series `listings_per_city`, and
# draw it as a horizontal bar chart with the busiest city at the **top**; keep its axes in
# `ax_cities`.
#
# Cities with the same count may come in either order.
#
# *Hint:* `value_counts()` counts and sorts, largest first. A horizontal bar chart draws the
# first row at the bottom: `fig, ax_cities = plt.subplots()`, then
# `listings_per_city.sort_values().plot.barh(ax=ax_cities)` puts the largest at the top.

# %% role="solution" grade_id="cities"
### BEGIN SOLUTION
listings_per_city = listings["city"].value_counts()
fig, ax_cities = plt.subplots()
listings_per_city.sort_values().plot.barh(ax=ax_cities)
ax_cities.set_xlabel("listings")
ax_cities.set_ylabel("")
ax_cities.set_title("Where the vendors deliver")
### END SOLUTION
plt.show()

# %% role="tests" grade_id="cities-test" points=1 needs="load-listings cities"
"""listings_per_city counts listings per city, largest first; ax_cities draws it."""
import matplotlib

assert isinstance(listings_per_city, pd.Series), _("listings_per_city should be a Series")
assert listings_per_city.sum() == len(listings), _("every listing counts once")
assert list(listings_per_city) == sorted(listings_per_city, reverse=True), _("sort largest first")
assert isinstance(ax_cities, matplotlib.axes.Axes), _("ax_cities should be the chart's axes")
assert len(ax_cities.patches) == len(listings_per_city), _("draw one bar per city")
hand_in({"counts": listings_per_city, "chart": ax_cities})

# %% [markdown]
# ## Task 10 · A new substance on the market (1 point)
#
# One category did not exist on the markets at the start of the period and appeared later.
# Find it: for each category, the time of its **first** listing; the new category is the one
# whose first listing came last. Store its name (text) in `new_category`, and the date and time
# of its first listing in `new_since`. (It is not necessarily the category with the fewest
# listings: a new product can sell well.)
#
# *Hint:* `listings.groupby("category")["listed_at"].min()` gives the first time per category;
# `.idxmax()` names the row with the latest one, `.max()` gives that time.

# %% role="solution" grade_id="new-category"
### BEGIN SOLUTION
first_seen = listings.groupby("category")["listed_at"].min()
new_category = first_seen.idxmax()
new_since = first_seen.max()
### END SOLUTION
first_seen.sort_values()

# %% role="tests" grade_id="new-category-test" points=1 needs="load-listings new-category"
"""new_category is the category that appeared on the markets during the period."""
assert isinstance(new_category, str), _("new_category should be a category name (text)")
assert new_category in set(listings["category"]), _("new_category should be one of the categories")
assert isinstance(new_since, pd.Timestamp), _(
    "new_since should be the time of the first listing (a Timestamp, e.g. first_seen.max())"
)
hand_in([new_category, new_since])

# %% [markdown]
# ## Task 11 · Prices week by week (1 point)
#
# Make a DataFrame `weekly_price`: one row per **week** (the index: the Monday the week starts
# on) and one column per category, holding that week's quantity-weighted price per unit in
# dollars (as in Task 5: dollars added up divided by units added up). A category without
# listings in a week has no value (`NaN`) there.
#
# *Hint:* `listings["listed_at"].dt.to_period("W").dt.start_time` is the Monday of each
# listing's week; put it in a column `week`. Then
# `listings.groupby(["week", "category"])[["price_usd", "quantity"]].sum()`, divide, and
# `.unstack("category")` turns the categories into columns.

# %% role="solution" grade_id="weekly-price"
### BEGIN SOLUTION
listings["week"] = listings["listed_at"].dt.to_period("W").dt.start_time
weekly = listings.groupby(["week", "category"])[["price_usd", "quantity"]].sum()
weekly_price = (weekly["price_usd"] / weekly["quantity"]).unstack("category")
### END SOLUTION
weekly_price.round(2)

# %% role="tests" grade_id="weekly-price-test" points=1 needs="load-listings rates price-usd weekly-price"
"""weekly_price holds each week's quantity-weighted USD price per unit, per category."""
assert isinstance(weekly_price, pd.DataFrame), _("weekly_price should be a DataFrame")
assert set(weekly_price.columns) == set(listings["category"]), _("one column per category")
assert pd.api.types.is_datetime64_any_dtype(weekly_price.index), _(
    "index the rows by the week's start (a date), e.g. with .dt.to_period('W').dt.start_time"
)
assert (weekly_price.index.day_of_week == 0).all(), _("a week starts on a Monday")
hand_in({str(c): weekly_price[c] for c in weekly_price.columns})

# %% [markdown]
# ## Task 12 · The trend chart (1 point)
#
# Draw `weekly_price` as a **line chart**, one line per category, with a dot on every week
# (`marker="o"`), and keep its axes in `ax_trend`. Label the axis with the unit and give a title.
# Which prices went up, which down, and when did the new category arrive?
#
# *Hint:* `fig, ax_trend = plt.subplots()`, then `weekly_price.plot(marker="o", ax=ax_trend)`.

# %% role="solution" grade_id="trend-chart"
### BEGIN SOLUTION
fig, ax_trend = plt.subplots()
weekly_price.plot(marker="o", ax=ax_trend)
ax_trend.set_ylabel("USD per gram (pcs: per piece)")
ax_trend.set_xlabel("week")
ax_trend.set_title("Weekly price per unit, by category")
ax_trend.legend(loc="upper left", bbox_to_anchor=(1, 1))
### END SOLUTION
plt.show()

# %% role="tests" grade_id="trend-chart-test" points=1 needs="load-listings rates price-usd weekly-price trend-chart"
"""ax_trend draws one line per category whose points are the weekly prices."""
import matplotlib

assert isinstance(ax_trend, matplotlib.axes.Axes), _("ax_trend should be the axes of .plot()")
_lines = {line.get_label(): line for line in ax_trend.get_lines()}
assert set(_lines) == set(weekly_price.columns), _("draw one line per category (a column each)")
assert ax_trend.get_ylabel() and ax_trend.get_title(), _("give the chart an axis label and a title")
hand_in(
    {
        str(line.get_label()): {
            "y": [float(y) for y in line.get_ydata()],
            "marker": str(line.get_marker()),
        }
        for line in ax_trend.get_lines()
    }
)

# %% [markdown]
# ## Part 3 · Vendors
#
# ## Task 13 · Vendor activity and ratings (2 points)
#
# Each listing shows its account's `rating` and the number of reviews behind it (`n_reviews`).
# A 5.0 from one review says less than a 4.6 from 80. Make a DataFrame `vendor_stats` with one
# row per account (the index: `market` and `vendor`, in that order) and the columns
#
# | column | what |
# | --- | --- |
# | `listings` | the account's number of listings |
# | `reviews` | its `n_reviews` added up |
# | `rating` | its ratings **weighted by the number of reviews**: sum of `rating × n_reviews` divided by the sum of `n_reviews` |
#
# sorted by `listings`, most active first (accounts with the same number of listings may come in
# any order).
#
# *Hint:* make a column `listings["rating_x_reviews"] = listings["rating"] * listings["n_reviews"]`,
# then `listings.groupby(["market", "vendor"]).agg(listings=("listing_id", "count"),
# reviews=("n_reviews", "sum"), points=("rating_x_reviews", "sum"))`, divide, and
# `.sort_values("listings", ascending=False)`.

# %% role="solution" grade_id="vendor-stats"
### BEGIN SOLUTION
listings["rating_x_reviews"] = listings["rating"] * listings["n_reviews"]
vendor_stats = listings.groupby(["market", "vendor"]).agg(
    listings=("listing_id", "count"),
    reviews=("n_reviews", "sum"),
    points=("rating_x_reviews", "sum"),
)
vendor_stats["rating"] = vendor_stats["points"] / vendor_stats["reviews"]
vendor_stats = vendor_stats.sort_values("listings", ascending=False)
### END SOLUTION
vendor_stats.round(2)

# %% role="tests" grade_id="vendor-stats-test" points=2 needs="load-listings vendor-stats"
"""vendor_stats gives per account its listings, reviews and review-weighted rating."""
assert isinstance(vendor_stats, pd.DataFrame), _("vendor_stats should be a DataFrame")
assert {"listings", "reviews", "rating"} <= set(vendor_stats.columns), _(
    "vendor_stats needs the columns listings, reviews and rating"
)
assert list(vendor_stats.index.names) == ["market", "vendor"], _(
    "index by market and vendor: groupby(['market', 'vendor'])"
)
assert vendor_stats["listings"].sum() == len(listings), _("every listing counts once")
assert list(vendor_stats["listings"]) == sorted(vendor_stats["listings"], reverse=True), _(
    "sort by listings, most active first"
)
hand_in(vendor_stats.reset_index()[["market", "vendor", "listings", "reviews", "rating"]])

# %% [markdown]
# ## Part 4 · Linking accounts across markets
#
# Vendors move between markets and open several accounts. Three traces link accounts:
#
# - the **same PGP key** (same full fingerprint, as in assignment 03): strong; buyers check keys,
#   and a vendor cannot publish another vendor's key and read their orders;
# - a **reused user name**, often lightly disguised (`FrostLynx`, `frost_lynx77`,
#   `frostlynx78`): weak on its own; anyone can pick a name like somebody else's, and common
#   words (animals, colours) give look-alikes by chance;
# - a **shared payout address** (a bitcoin address published by two accounts): strong, but only
#   where the evidence shows one. The listings carry no addresses, and the vendor shops you
#   crawled in assignment 02 (`sites/`) publish one address each: in this case none is shared.
#
# ## Task 14 · Keys of the market accounts (1 point)
#
# Read every key under `keys/<market>/<handle>.asc` **except the forum folder** into a DataFrame
# `account_keys` with the columns `market`, `handle`, `account` (the text `"market/handle"`) and
# `fingerprint`, one row per key file, sorted by `account`.
#
# *Hint:* as in assignment 03: `sorted(evidence.glob("keys/*/*.asc"))`, skip paths whose
# `path.parent.name` is `"forum"`, `pgp.read_key(path.read_text()).fingerprint`.

# %% role="solution" grade_id="account-keys"
### BEGIN SOLUTION
rows = []
for path in sorted(evidence.glob("keys/*/*.asc")):
    if path.parent.name == "forum":
        continue
    rows.append(
        {
            "market": path.parent.name,
            "handle": path.stem,
            "account": f"{path.parent.name}/{path.stem}",
            "fingerprint": pgp.read_key(path.read_text()).fingerprint,
        }
    )
account_keys = pd.DataFrame(rows).sort_values("account").reset_index(drop=True)
### END SOLUTION
account_keys

# %% role="tests" grade_id="account-keys-test" points=1 needs="account-keys"
"""account_keys has one row per market key file with its account and full fingerprint."""
assert isinstance(account_keys, pd.DataFrame), _("account_keys should be a DataFrame")
assert {"market", "handle", "account", "fingerprint"} <= set(account_keys.columns), _(
    "account_keys needs the columns market, handle, account and fingerprint"
)
assert "forum" not in set(account_keys["market"]), _("leave out the forum folder")
assert list(account_keys["account"]) == sorted(account_keys["account"]), _("sort by account")
assert (account_keys["fingerprint"].str.len() == 40).all(), _(
    "take the full 40-digit fingerprint, not a key ID"
)
hand_in(account_keys[["market", "handle", "account", "fingerprint"]])

# %% [markdown]
# ## Task 15 · Normalise a user name (1 point)
#
# Write a function `normalise_handle(handle)` that returns the core of a user name, so that
# disguised copies look alike. In this order:
#
# 1. make it lower case;
# 2. remove the separators: underscores `_`, hyphens `-`, dots `.` and spaces (every other
#    character stays);
# 3. remove the digits at the **end** (digits inside the name, or at its start, stay).
#
# For example `"Frost_Lynx-77"` becomes `"frostlynx"`.
#
# *Hint:* `text.lower()`, `text.replace("_", "")` (once per separator), and
# `text.rstrip("0123456789")` strips digits from the end only.


# %% role="solution" grade_id="normalise-handle"
def normalise_handle(handle):
    ### BEGIN SOLUTION
    core = handle.lower()
    for separator in "_-. ":
        core = core.replace(separator, "")
    return core.rstrip("0123456789")
    ### END SOLUTION


[normalise_handle(h) for h in ["Frost_Lynx-77", "frostlynx", "frost.lynx78"]]

# %% role="tests" grade_id="normalise-handle-test" points=1 needs="normalise-handle"
"""normalise_handle lower-cases, drops separators and trailing digits, and nothing else."""
assert normalise_handle("Frost_Lynx-77") == "frostlynx", _(
    "'Frost_Lynx-77' should become 'frostlynx'"
)
assert isinstance(normalise_handle("abc"), str), _("return the normalised name as text")
hand_in_calls(normalise_handle, "normalise-handle-test")

# %% [markdown]
# ## Task 16 · How alike are two user names? (1 point)
#
# Write a function `handle_similarity(a, b)` that returns a number from 0 (nothing in common) to
# 1 (the same): the similarity of the **normalised** names, as measured by Python's `difflib`
# ("ratio": twice the number of matching characters divided by the total length of both).
#
# *Hint:* `difflib.SequenceMatcher(None, text_a, text_b).ratio()`, on
# `normalise_handle(a)` and `normalise_handle(b)`.


# %% role="solution" grade_id="handle-similarity"
def handle_similarity(a, b):
    ### BEGIN SOLUTION
    return difflib.SequenceMatcher(None, normalise_handle(a), normalise_handle(b)).ratio()
    ### END SOLUTION


handle_similarity("Frost_Lynx-77", "frostlynx78"), handle_similarity("frostlynx", "frostyak")

# %% role="tests" grade_id="handle-similarity-test" points=1 needs="normalise-handle handle-similarity"
"""handle_similarity is difflib's ratio of the two normalised names."""
import numbers

_s = handle_similarity("Frost_Lynx-77", "frostlynx78")
assert isinstance(_s, numbers.Real) and 0 <= _s <= 1, _(
    "return a number between 0 and 1 (.ratio())"
)
assert _s == 1, _("compare the NORMALISED names: these two are the same name")
hand_in_calls(handle_similarity, "handle-similarity-test")

# %% [markdown]
# ## Task 17 · Links and how sure they are (2 points)
#
# Compare every pair of accounts on **different markets** (two accounts on the same market are
# not one vendor's cross-market presence; leave those pairs out). Make a DataFrame `links`
# with one row per pair that is linked by a key or by a name, and the columns
#
# | column | what |
# | --- | --- |
# | `account_a`, `account_b` | the two accounts (`market/handle`), `account_a` alphabetically first |
# | `same_key` | `True` if both published a key with the same full fingerprint |
# | `name_similarity` | `handle_similarity` of the two handles |
# | `strength` | `"strong"` if `same_key`; otherwise `"weak"` if `name_similarity >= 0.8` |
#
# Pairs with neither a shared key nor a similarity of at least 0.8 are not linked: leave them
# out.
#
# *Hint:* `itertools.combinations(account_keys.itertuples(), 2)` gives every pair of rows once
# (in `account` order, so the first is alphabetically first); `row.market`, `row.handle`,
# `row.account`, `row.fingerprint` read a row. Collect one dictionary per linked pair and call
# `pd.DataFrame(rows, columns=[...the five column names...])` (with the names, the table has its
# columns even when no pair is linked).

# %% role="solution" grade_id="links"
### BEGIN SOLUTION
rows = []
for a, b in itertools.combinations(account_keys.itertuples(), 2):
    if a.market == b.market:
        continue
    same_key = a.fingerprint == b.fingerprint
    similarity = handle_similarity(a.handle, b.handle)
    if same_key:
        strength = "strong"
    elif similarity >= 0.8:
        strength = "weak"
    else:
        continue
    rows.append(
        {
            "account_a": a.account,
            "account_b": b.account,
            "same_key": same_key,
            "name_similarity": similarity,
            "strength": strength,
        }
    )
links = pd.DataFrame(
    rows, columns=["account_a", "account_b", "same_key", "name_similarity", "strength"]
)
### END SOLUTION
links.sort_values(["strength", "name_similarity"], ascending=[True, False])

# %% role="tests" grade_id="links-test" points=2 needs="account-keys normalise-handle handle-similarity links"
"""links lists cross-market pairs linked by key (strong) or by a similar name (weak)."""
assert isinstance(links, pd.DataFrame), _("links should be a DataFrame")
assert {"account_a", "account_b", "same_key", "name_similarity", "strength"} <= set(
    links.columns
), _("links needs the columns account_a, account_b, same_key, name_similarity and strength")
assert set(links["strength"]) <= {"strong", "weak"}, _("strength is 'strong' or 'weak'")
assert (links["account_a"] < links["account_b"]).all(), _("account_a comes alphabetically first")
assert (
    links["account_a"].str.split("/").str[0] != links["account_b"].str.split("/").str[0]
).all(), _("compare only accounts on different markets")
hand_in(links[["account_a", "account_b", "same_key", "name_similarity", "strength"]])

# %% [markdown]
# Look at your weak links. Some join accounts whose keys differ but whose names are the same
# brand; some join two vendors who happen to like the same animal. Nothing in the name tells
# you which is which.
#
# ## Task 18 · The intelligence note (3 points, marked by your instructor)
#
# In six to ten sentences for the task force, using **your** numbers: which categories are
# offered where and at what price per unit (say the currency and the unit); how prices moved
# and when the new category appeared; which cities and vendors stand out; and which accounts you
# would report as one vendor, with how sure you are and why (key, name, both). Say what a weak
# name link would need before it goes into a report, and what your prices cannot tell (what do
# listings not show?).

# %% [markdown] role="answer" grade_id="intelligence-note" points=3
# YOUR ANSWER HERE

# %% [markdown]
# ## Key points
#
# - Convert every price to **one currency at the day's rate** before comparing; bitcoin moves.
# - Compare **per unit**, and never mix grams with pieces; weight averages by what they count:
#   total dollars over total units, ratings by their number of reviews.
# - `groupby`, `crosstab` and `unstack` turn listings into tables; a bar or line chart shows a
#   table's shape at a glance. Test a chart's data, not just its looks.
# - A new category shows up as a late **first listing**; weekly prices show the trend.
# - A shared **full key fingerprint** is a strong link; a similar **user name** is a weak lead,
#   even after normalising (case, separators, trailing digits): confirm it with a key, a payout
#   address, writing style or timing before you report it.
