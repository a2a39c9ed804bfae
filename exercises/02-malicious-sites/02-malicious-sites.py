# %% [markdown]
# # 02 · Malicious sites: triage a crawl, find the leaks, link the operators
#
# **Time:** about 120 minutes · **Graded:** 30 autograded points and 5 points marked by your
# instructor
#
# **Objectives.** By the end of this notebook you can
#
# 1. read a crawl of onion sites with `pandas`: pages, HTTP headers, what each site exposed;
# 2. extract the identifiers investigators follow — e-mail addresses, analytics IDs, SSH host
#    keys, PGP keys and Bitcoin addresses — and tell a real Bitcoin address from a string that
#    only looks like one (its checksum);
# 3. find operational-security (OPSEC) leaks the way scanners such as OnionScan do: an open
#    Apache `/server-status` page, open directory listings, GPS coordinates in photos;
# 4. classify sites (market mirror, phishing clone, vendor shop, scam shop, malware dropper)
#    from evidence, not from what a page says about itself;
# 5. link sites that share an operator with a `networkx` graph, without being fooled by an
#    identifier that thousands of unrelated sites share, and draw it.
#
# Every task says exactly which variable to produce and which call to use.

# %% [markdown]
# ## The case
#
# The cyber unit crawled the onion sites named in the case: the mirrors of the three markets,
# the shops that vendors advertise, and addresses that users reported on forums. For each site
# the crawler saved the front page, the HTTP response headers, `robots.txt`, the SSH banner seen
# on port 22 of the same onion service, and whatever else it could fetch: `/server-status`,
# directory listings, product photos.
#
# Some of these sites are not what they claim. Users of the markets lose money to **phishing
# clones** (a copy of a market's login page on a lookalike address that steals passwords and
# deposits), **scam shops** (take the payment, never deliver) and a **malware dropper** (a
# "secure wallet" that steals wallets). Your job: triage the crawl, pull out every lead, decide
# what each site is, and tell the prosecutor which sites are run by the same people.
#
# Tor hides where a server is. It does not hide what the operator *puts on* the server: the
# same SSH key, the same e-mail, the same ad account, a status page left open. Those leaks are
# what link sites to each other and, in the end, to a person.

# %% role="readonly"
import html
import re
from itertools import combinations

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from PIL import Image

from darktrail import addresses, onion, pgp
from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls

evidence = my_evidence()
sites = evidence / "sites"
print(_("Your evidence folder:"), evidence)

# %% [markdown]
# ## Task 1 · The crawl (1 point)
#
# `sites/crawl.csv` lists every request the crawler made: `site_id` (our name for the site,
# `s01`, `s02`, ...), the site's `url`, the `path` requested, the HTTP `status` (200 found, 404
# not found), the `content_type` and the `file` where the answer was saved (relative to the
# evidence folder; empty when nothing was saved).
#
# Read it into `crawl` and store the number of different sites in `n_sites` (a whole number).
#
# *Hint:* `pd.read_csv(sites / "crawl.csv")`; `crawl["site_id"].nunique()` counts distinct
# values; wrap it in `int(...)`.

# %% role="solution" grade_id="load-crawl"
### BEGIN SOLUTION
crawl = pd.read_csv(sites / "crawl.csv")
n_sites = int(crawl["site_id"].nunique())
### END SOLUTION
crawl.head(10)

# %% role="tests" grade_id="load-crawl-test" points=1 needs="load-crawl"
"""crawl is the crawl table and n_sites the number of sites in it."""
assert isinstance(crawl, pd.DataFrame), _("crawl should be a DataFrame: use pd.read_csv")
assert {"site_id", "url", "path", "status", "file"} <= set(crawl.columns), _(
    "crawl lacks the columns of crawl.csv"
)
import numbers

assert isinstance(n_sites, numbers.Integral), _("n_sites should be a whole number (use int(...))")
assert n_sites < len(crawl), _("count the distinct site_id values, not the rows")
hand_in((crawl, n_sites))

# %% [markdown]
# ## Task 2 · Front pages and their titles (1 point)
#
# Make a DataFrame `pages` with **one row per site**, indexed by `site_id`, with three columns:
#
# - `url`: the site's address (as in the crawl);
# - `html`: the text of the site's front page (the row whose `path` is `"/"`);
# - `title`: the text between `<title>` and `</title>` in that page, with HTML entities such as
#   `&amp;` turned back into characters.
#
# *Hint:* `front = crawl[crawl["path"] == "/"].set_index("site_id")`; read a page with
# `(evidence / file).read_text(encoding="utf-8")`; `pages["html"].str.extract(r"<title>(.*?)</title>",
# expand=False)` pulls the title out of every page; `.map(html.unescape)` decodes entities.

# %% role="solution" grade_id="front-pages"
### BEGIN SOLUTION
front = crawl[crawl["path"] == "/"].set_index("site_id")
pages = front[["url"]].copy()
pages["html"] = [(evidence / file).read_text(encoding="utf-8") for file in front["file"]]
pages["title"] = pages["html"].str.extract(r"<title>(.*?)</title>", expand=False).map(html.unescape)
### END SOLUTION
pages[["url", "title"]]

# %% role="tests" grade_id="front-pages-test" points=1 needs="load-crawl front-pages"
"""pages holds each site's front page and title, indexed by site_id."""
assert isinstance(pages, pd.DataFrame), _("pages should be a DataFrame")
assert {"url", "html", "title"} <= set(pages.columns), _("pages needs columns url, html and title")
assert pages.index.is_unique, _("pages should have one row per site, indexed by site_id")
assert not pages["title"].str.contains("<title>").any(), _(
    "title should be the text between the tags, without the tags"
)
hand_in({site_id: list(pages.loc[site_id, ["url", "html", "title"]]) for site_id in pages.index})

# %% [markdown]
# ## Task 3 · HTTP response headers (1 point)
#
# `sites/<site_id>/headers.txt` holds the raw response headers of each front page: a status
# line (`HTTP/1.1 200 OK`), then lines `Name: value`. Headers such as `Server` and
# `X-Powered-By` tell you the software and its version — and an Apache server is one to probe
# for `/server-status`.
#
# Build a DataFrame `headers` indexed by `site_id` (every site of `pages`), with **one column
# per header name** (`Date`, `Server`, `Content-Type`, ...). A header a site did not send is
# missing (`NaN`).
#
# *Hint:* for one file, `text.splitlines()[1:]` skips the status line, and
# `line.split(": ", 1)` splits a header into name and value; collect one dict per site into a
# dict `{site_id: {name: value}}` and turn it into a table with
# `pd.DataFrame.from_dict(rows, orient="index")`.


# %% role="solution" grade_id="parse-headers"
### BEGIN SOLUTION
def read_headers(path):
    """The headers of a raw HTTP response as a dict (the status line skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split(": ", 1) for line in lines if line)


headers = pd.DataFrame.from_dict(
    {site_id: read_headers(sites / site_id / "headers.txt") for site_id in pages.index},
    orient="index",
)
### END SOLUTION
headers[["Server", "X-Powered-By"]]

# %% role="tests" grade_id="parse-headers-test" points=1 needs="load-crawl front-pages parse-headers"
"""headers has one row per site and one column per header name."""
assert isinstance(headers, pd.DataFrame), _("headers should be a DataFrame")
assert "Server" in headers.columns, _("headers needs one column per header name, e.g. Server")
assert set(headers.index) == set(pages.index), _("headers needs one row per site of pages")
assert not any(str(c).startswith("HTTP/") for c in headers.columns), _("skip the status line")
assert headers.columns.is_unique, _("headers needs one column per header name, each once")
assert not headers["Server"].dropna().astype(str).str.startswith(" ").any(), _(
    "split each line at ': ' (colon and space): a value should not start with a space"
)
hand_in(
    {
        site_id: {name: value for name, value in row.items() if not pd.isna(value)}
        for site_id, row in headers.iterrows()
    }
)

# %% [markdown]
# ## Task 4 · E-mail addresses (1 point)
#
# An e-mail address on a site is a lead: the provider can be asked who opened the mailbox, and
# the same address on two sites links them.
#
# Make a dict `emails` that maps **every** `site_id` of `pages` to the sorted list of distinct
# e-mail addresses found in its front page (an empty list when there is none).
#
# *Hint:* `re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)` finds e-mail-shaped strings;
# `sorted(set(...))` removes repeats (a `mailto:` link shows the address twice).

# %% role="solution" grade_id="find-emails"
### BEGIN SOLUTION
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
emails = {site_id: sorted(set(EMAIL.findall(page))) for site_id, page in pages["html"].items()}
### END SOLUTION
{site_id: found for site_id, found in emails.items() if found}

# %% role="tests" grade_id="find-emails-test" points=1 needs="load-crawl front-pages find-emails"
"""emails maps every site to the sorted distinct e-mail addresses of its front page."""
assert isinstance(emails, dict), _("emails should be a dict {site_id: [addresses]}")
assert set(emails) == set(pages.index), _("emails needs a key for every site, even with no e-mail")
assert all(isinstance(v, list) for v in emails.values()), _("each value should be a list")
assert all(v == sorted(set(v)) for v in emails.values()), _(
    "each list should be sorted and hold each address once"
)
hand_in(emails)

# %% [markdown]
# ## Task 5 · Analytics and advertising IDs (1 point)
#
# Site owners paste tracking code into their pages. The code carries the owner's account:
# Google Analytics IDs look like `UA-12345678-1`, advertising publisher IDs like
# `pub-1234567890123456` (the page writes it `ca-pub-...`). The advertiser knows who gets paid.
#
# Make a dict `analytics` mapping every `site_id` to the sorted list of distinct IDs
# (`UA-...` and `pub-...`, written like that) in its front page.
#
# *Hint:* one pattern for both: `r"\b(?:UA-\d+-\d+|pub-\d{16})\b"`.

# %% role="solution" grade_id="find-analytics"
### BEGIN SOLUTION
ANALYTICS = re.compile(r"\b(?:UA-\d+-\d+|pub-\d{16})\b")
analytics = {
    site_id: sorted(set(ANALYTICS.findall(page))) for site_id, page in pages["html"].items()
}
### END SOLUTION
analytics

# %% role="tests" grade_id="find-analytics-test" points=1 needs="load-crawl front-pages find-analytics"
"""analytics maps every site to the sorted distinct UA- and pub- IDs of its front page."""
assert isinstance(analytics, dict), _("analytics should be a dict {site_id: [ids]}")
assert set(analytics) == set(pages.index), _("analytics needs a key for every site")
assert all(i.startswith(("UA-", "pub-")) for v in analytics.values() for i in v), _(
    "write the IDs as UA-... and pub-... (without the ca- of ca-pub-...)"
)
hand_in(analytics)

# %% [markdown]
# ## Task 6 · SSH host keys (1 point)
#
# Many operators leave SSH open on their onion service to administer it. The server answers
# with its **host key**, which is made once per server: two onion addresses answering with the
# same host key are the same machine. `sites/<site_id>/ssh_22.txt` holds what the crawler saw.
#
# Make a dict `ssh_keys` mapping each `site_id` **that has an `ssh_22.txt`** to its host-key
# fingerprint, written as in the file (`SHA256:` followed by 43 characters).
#
# *Hint:* `(sites / site_id / "ssh_22.txt").exists()`;
# `re.search(r"SHA256:[A-Za-z0-9+/]{43}", text).group(0)`.

# %% role="solution" grade_id="find-ssh"
### BEGIN SOLUTION
ssh_keys = {}
for site_id in pages.index:
    banner = sites / site_id / "ssh_22.txt"
    if banner.exists():
        text = banner.read_text(encoding="utf-8")
        ssh_keys[site_id] = re.search(r"SHA256:[A-Za-z0-9+/]{43}", text).group(0)
### END SOLUTION
ssh_keys

# %% role="tests" grade_id="find-ssh-test" points=1 needs="load-crawl front-pages find-ssh"
"""ssh_keys maps each site with an SSH banner to its SHA256 host-key fingerprint."""
assert isinstance(ssh_keys, dict), _("ssh_keys should be a dict {site_id: 'SHA256:...'}")
assert all(isinstance(v, str) and v.startswith("SHA256:") for v in ssh_keys.values()), _(
    "write each fingerprint as in the file, starting with SHA256:"
)
assert all(not v.endswith(".") for v in ssh_keys.values()), _(
    "leave out the full stop that ends the sentence in the banner"
)
hand_in(ssh_keys)

# %% [markdown]
# ## Task 7 · PGP keys in pages (1 point)
#
# Vendors publish their PGP public key so buyers can encrypt addresses. A key is identified by
# its **fingerprint** (40 hexadecimal digits); the same fingerprint on a shop and on a market
# means the same key holder.
#
# Make a dict `pgp_keys` mapping every `site_id` to the list of fingerprints of the PGP public
# key blocks in its front page (an empty list when there is none).
#
# *Hint:* a block runs from `-----BEGIN PGP PUBLIC KEY BLOCK-----` to
# `-----END PGP PUBLIC KEY BLOCK-----`; find them with
# `re.findall(r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", page, re.S)`
# (`re.S` lets `.` cross line ends), and compute each fingerprint with `pgp.fingerprint(block)`.

# %% role="solution" grade_id="find-pgp"
### BEGIN SOLUTION
PGP_BLOCK = re.compile(
    r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", re.S
)
pgp_keys = {
    site_id: [pgp.fingerprint(block) for block in PGP_BLOCK.findall(page)]
    for site_id, page in pages["html"].items()
}
### END SOLUTION
{site_id: keys for site_id, keys in pgp_keys.items() if keys}

# %% role="tests" grade_id="find-pgp-test" points=1 needs="load-crawl front-pages find-pgp"
"""pgp_keys maps every site to the fingerprints of the PGP key blocks in its page."""
assert isinstance(pgp_keys, dict), _("pgp_keys should be a dict {site_id: [fingerprints]}")
assert set(pgp_keys) == set(pages.index), _("pgp_keys needs a key for every site")
assert all(len(f) == 40 for v in pgp_keys.values() for f in v), _(
    "a fingerprint is 40 hexadecimal digits: use pgp.fingerprint(block)"
)
hand_in(pgp_keys)

# %% [markdown]
# ## Task 8 · Bitcoin addresses, checked (2 points)
#
# A Bitcoin address carries a **checksum**: change one character and it no longer verifies.
# A regular expression only finds strings of the right *shape* — a typo, a made-up string, a
# string whose checksum is fine but whose version byte names no Bitcoin address type, or a
# piece of a PGP block or a session cookie can have that shape too. `addresses.is_valid`
# checks all of it. Reporting such a string to an exchange wastes a legal request at best and
# names an innocent person at worst.
#
# Write a function `bitcoin_addresses(text)` that returns the **valid** Bitcoin addresses in
# `text`, in the order they first appear, each once. Find candidates with a pattern, then keep
# only those for which `addresses.is_valid(candidate)` is true.
#
# *Hint:* a pattern for mainnet candidates (bech32 `bc1...`, or Base58 starting with 1 or 3):
# `r"bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}"`. It is loose on purpose: in a
# page with a PGP key block it often also matches pieces of the base64 text — try
# `re.findall(pattern, pages.loc[site_id, "html"])` on a vendor shop. Loop over the candidates
# and append those that verify and are not yet in your list.


# %% role="solution" grade_id="btc-function"
def bitcoin_addresses(text):
    ### BEGIN SOLUTION
    pattern = r"bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}"
    found = []
    for candidate in re.findall(pattern, text):
        if addresses.is_valid(candidate) and candidate not in found:
            found.append(candidate)
    return found
    ### END SOLUTION


bitcoin_addresses("pay to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 today")

# %% role="tests" grade_id="btc-function-test" points=2 needs="btc-function"
"""bitcoin_addresses keeps the addresses whose checksum verifies, in order, each once."""
# BIP-173's test vector, then the same with its last character changed (checksum fails).
_good = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
_legacy = addresses.p2pkh(bytes(range(20)))
assert bitcoin_addresses(f"send to {_good} now") == [_good], _(
    "a valid bc1 address in a sentence should be found"
)
assert bitcoin_addresses(f"{_legacy} and {_legacy} again") == [_legacy], _(
    "find legacy addresses (starting with 1) too, and list each address once"
)
assert bitcoin_addresses("nothing here") == [], _("return an empty list when there is none")
assert bitcoin_addresses(f"{_good[:-1]}5 then {_good}") == [_good], _(
    "the first string has the shape of an address but its checksum fails: check with addresses.is_valid"
)
hand_in_calls(bitcoin_addresses, "btc-function-test")

# %% [markdown]
# ## Task 9 · Bitcoin addresses per site (1 point)
#
# Apply your function to every front page: make a dict `btc` mapping every `site_id` to the
# list `bitcoin_addresses(page)` returns for its page.

# %% role="solution" grade_id="btc-sites"
### BEGIN SOLUTION
btc = {site_id: bitcoin_addresses(page) for site_id, page in pages["html"].items()}
### END SOLUTION
{site_id: found for site_id, found in btc.items() if found}

# %% role="tests" grade_id="btc-sites-test" points=1 needs="load-crawl front-pages btc-function btc-sites"
"""btc maps every site to the valid Bitcoin addresses on its front page."""
assert isinstance(btc, dict) and set(btc) == set(pages.index), _(
    "btc should be a dict with a key for every site"
)
assert all(isinstance(v, list) for v in btc.values()), _("each value should be a list")
hand_in(btc)

# %% [markdown]
# ## Task 10 · The `/server-status` leak: a clearnet IP (1 point)
#
# Apache's `mod_status` page (`/server-status`) is meant for the administrator, but on a
# default Debian install it answers every request from `127.0.0.1` — and Tor delivers every
# visitor from `127.0.0.1`. Its heading names the server's **real (clearnet) IP address**, and
# its table lists every virtual host on the same server. OnionScan checks every site for it.
#
# Find the crawl rows for `/server-status` that were answered (status 200) and read each saved
# page. Make a dict `clearnet_ip` mapping those `site_id`s to the IP in the heading
# `Apache Server Status for <IP> (via 127.0.0.1)`.
#
# *Hint:* `crawl[(crawl["path"] == "/server-status") & (crawl["status"] == 200)]`;
# `re.search(r"Server Status for ([\d.]+)", text).group(1)`. The *Client* column shows
# `127.0.0.1` for everyone: that is Tor, not the server.

# %% role="solution" grade_id="status-ip"
### BEGIN SOLUTION
status_pages = crawl[(crawl["path"] == "/server-status") & (crawl["status"] == 200)]
status_text = {
    site_id: (evidence / file).read_text(encoding="utf-8")
    for site_id, file in zip(status_pages["site_id"], status_pages["file"])
}
clearnet_ip = {
    site_id: re.search(r"Server Status for ([\d.]+)", text).group(1)
    for site_id, text in status_text.items()
}
### END SOLUTION
clearnet_ip

# %% role="tests" grade_id="status-ip-test" points=1 needs="load-crawl status-ip"
"""clearnet_ip maps each site with an open server-status page to the server's IP."""
import ipaddress

assert isinstance(clearnet_ip, dict) and clearnet_ip, _(
    "clearnet_ip should be a dict {site_id: 'IP'} with the sites whose /server-status answered"
)
for _ip in clearnet_ip.values():
    ipaddress.ip_address(_ip)  # a ValueError here means: not an IP address
hand_in(clearnet_ip)

# %% [markdown]
# ## Task 11 · Co-hosted sites (1 point)
#
# The *VHost* column of a status page names every site the server is handling (`name:80`).
# Sites on one server are run by one administrator.
#
# Make a dict `cohosted` mapping each `site_id` of `clearnet_ip` to the list of host names in
# the VHost column of its status page, in page order, without the `:80`.
#
# *Hint:* the crawler saved each status page as `sites/<site_id>/server-status.html`;
# `re.findall(r"<td>([^<>]+):80</td>", text)`.

# %% role="solution" grade_id="status-vhosts"
### BEGIN SOLUTION
cohosted = {}
for site_id in clearnet_ip:
    text = (sites / site_id / "server-status.html").read_text(encoding="utf-8")
    cohosted[site_id] = re.findall(r"<td>([^<>]+):80</td>", text)
### END SOLUTION
cohosted

# %% role="tests" grade_id="status-vhosts-test" points=1 needs="load-crawl status-ip status-vhosts"
"""cohosted lists the virtual hosts of each open server-status page."""
assert isinstance(cohosted, dict), _("cohosted should be a dict {site_id: [host names]}")
assert set(cohosted) == set(clearnet_ip), _("cohosted needs the same sites as clearnet_ip")
assert all(not h.endswith(":80") for v in cohosted.values() for h in v), _("drop the :80")
hand_in(cohosted)

# %% [markdown]
# ## Task 12 · New leads from the status pages (1 point)
#
# A status page can name sites the crawler never visited: another mirror, or a clearnet
# domain of the operator. Those are new leads.
#
# Store in `uncrawled` the sorted list of distinct host names in `cohosted` that are **not**
# the address of a crawled site.
#
# *Hint:* the crawled addresses are `pages["url"]` without `"http://"`
# (`.str.removeprefix("http://")`); sets subtract with `-`.

# %% role="solution" grade_id="new-leads"
### BEGIN SOLUTION
crawled = set(pages["url"].str.removeprefix("http://"))
uncrawled = sorted({host for hosts in cohosted.values() for host in hosts} - crawled)
### END SOLUTION
uncrawled

# %% role="tests" grade_id="new-leads-test" points=1 needs="load-crawl front-pages status-ip status-vhosts new-leads"
"""uncrawled lists the co-hosted names that the crawl never visited."""
assert isinstance(uncrawled, list) and uncrawled == sorted(set(uncrawled)), _(
    "uncrawled should be a sorted list, each name once"
)
assert not any(h.startswith("http") for h in uncrawled), _("write host names, not URLs")
hand_in(uncrawled)

# %% [markdown]
# ## Task 13 · Open directories (1 point)
#
# A web server that has no index page for a folder may list the folder's files instead
# ("Index of /img"). Listings show file names, dates and sizes the operator never linked.
#
# Store in `open_dirs` the sorted list of `(site_id, path)` pairs of the crawl rows whose
# saved page is a directory listing: its title starts with `Index of`.
#
# *Hint:* loop over `zip(crawl["site_id"], crawl["path"], crawl["file"])`; skip rows without a
# saved file (`pd.isna(file)`) and files that are not `.html`; check `"<title>Index of" in text`.
# A path ending in `/` is not enough: the front page `/` is not a listing.

# %% role="solution" grade_id="open-dirs"
### BEGIN SOLUTION
open_dirs = []
for site_id, path, file in zip(crawl["site_id"], crawl["path"], crawl["file"]):
    if pd.isna(file) or not file.endswith(".html"):
        continue
    if "<title>Index of" in (evidence / file).read_text(encoding="utf-8"):
        open_dirs.append((site_id, path))
open_dirs = sorted(open_dirs)
### END SOLUTION
open_dirs

# %% role="tests" grade_id="open-dirs-test" points=1 needs="load-crawl open-dirs"
"""open_dirs lists the (site_id, path) of every directory listing in the crawl."""
assert isinstance(open_dirs, list), _("open_dirs should be a list of (site_id, path) pairs")
assert all(len(p) == 2 for p in open_dirs), _("each item should be a pair (site_id, path)")
assert open_dirs == sorted(open_dirs), _("sort the list")
hand_in(open_dirs)

# %% [markdown]
# ## Task 14 · GPS in photos: degrees, minutes, seconds (1 point)
#
# Phones write the place a photo was taken into its EXIF metadata, as degrees, minutes and
# seconds plus a reference letter: `N`/`S` for latitude, `E`/`W` for longitude. Maps want
# decimal degrees: `degrees + minutes / 60 + seconds / 3600`, negative for `S` and `W`.
#
# Write a function `to_degrees(dms, ref)` that takes a triple `(degrees, minutes, seconds)` and
# a letter and returns decimal degrees as a `float`.


# %% role="solution" grade_id="to-degrees"
def to_degrees(dms, ref):
    ### BEGIN SOLUTION
    degrees, minutes, seconds = (float(x) for x in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if ref in ("S", "W") else value
    ### END SOLUTION


to_degrees((43, 15, 0), "N")

# %% role="tests" grade_id="to-degrees-test" points=1 needs="to-degrees"
"""to_degrees turns EXIF degrees, minutes, seconds and N/S/E/W into decimal degrees."""
assert isinstance(to_degrees((43, 15, 0), "N"), float), _("return a float")
assert abs(to_degrees((43, 15, 0), "N") - 43.25) < 1e-9, _("15 minutes are a quarter degree")
hand_in_calls(to_degrees, "to-degrees-test")

# %% [markdown]
# ## Task 15 · Where were the product photos taken? (1 point)
#
# Make a dict `photo_gps` mapping the `site_id` of every crawled JPEG photo (crawl rows with
# `content_type` `image/jpeg`) to `(latitude, longitude)` in decimal degrees.
#
# This readonly cell shows how to read a photo's GPS block with Pillow (the same tags
# `exiftool` prints): tag 1 is the latitude reference, 2 the latitude, 3 the longitude
# reference, 4 the longitude.

# %% role="readonly"
GPS_IFD = 0x8825  # where EXIF keeps the GPS tags


def read_gps(path):
    """The EXIF GPS tags of a photo as a dict {tag number: value}."""
    with Image.open(path) as photo:
        return dict(photo.getexif().get_ifd(GPS_IFD))


# %% role="solution" grade_id="photo-gps"
### BEGIN SOLUTION
photos = crawl[crawl["content_type"] == "image/jpeg"]
photo_gps = {}
for site_id, file in zip(photos["site_id"], photos["file"]):
    gps = read_gps(evidence / file)
    photo_gps[site_id] = (to_degrees(gps[2], gps[1]), to_degrees(gps[4], gps[3]))
### END SOLUTION
photo_gps

# %% role="tests" grade_id="photo-gps-test" points=1 needs="load-crawl to-degrees photo-gps"
"""photo_gps gives each photo's latitude and longitude in decimal degrees."""
assert isinstance(photo_gps, dict) and photo_gps, _(
    "photo_gps should be a dict {site_id: (lat, lon)}"
)
assert all(len(v) == 2 for v in photo_gps.values()), _("each value is a pair (latitude, longitude)")
assert all(-90 <= v[0] <= 90 and -180 <= v[1] <= 180 for v in photo_gps.values()), _(
    "latitude comes first, then longitude, both in degrees"
)
hand_in(photo_gps)

# %% [markdown]
# ## Task 16 · The markets' signed mirror lists (1 point)
#
# A phishing clone copies a market's page exactly, title and all, and sits on a **valid**
# onion address that starts with the same characters as a real mirror (a "vanity" address).
# Neither the page nor the address checksum gives it away. Each market signs the list of its
# real mirrors with its PGP key: `markets/<market>/mirrors.txt.asc`, key `market.asc`.
#
# Make a dict `genuine_mirrors` mapping each market's **name** (the text before
# `: official mirrors` on the first line of the signed text, e.g. `"Kovyl Market"`) to the
# **set** of onion addresses (`xxx.onion`) in its list — only for lists whose signature
# verifies.
#
# *Hint:* for each folder in `sorted((evidence / "markets").iterdir())` that `.is_dir()`:
# `check = pgp.verify_clearsigned(signed_text, key_text)`; if `check.valid`, the signed text
# is `check.text`; `onion.find_onions(check.text)` returns the addresses in it.

# %% role="solution" grade_id="signed-mirrors"
### BEGIN SOLUTION
genuine_mirrors = {}
for folder in sorted((evidence / "markets").iterdir()):
    if not folder.is_dir():
        continue
    check = pgp.verify_clearsigned(
        (folder / "mirrors.txt.asc").read_text(encoding="utf-8"),
        (folder / "market.asc").read_text(encoding="utf-8"),
    )
    if check.valid:
        name = check.text.splitlines()[0].split(": official mirrors")[0]
        genuine_mirrors[name] = set(onion.find_onions(check.text))
### END SOLUTION
genuine_mirrors

# %% role="tests" grade_id="signed-mirrors-test" points=1 needs="signed-mirrors"
"""genuine_mirrors maps each market name to the onion addresses of its verified list."""
assert isinstance(genuine_mirrors, dict) and genuine_mirrors, _(
    "genuine_mirrors should be a dict {market name: set of addresses}"
)
assert all(isinstance(v, set) for v in genuine_mirrors.values()), _("each value should be a set")
assert all(a.endswith(".onion") and "/" not in a for v in genuine_mirrors.values() for a in v), _(
    "write addresses as xxx.onion, without http:// or /"
)
hand_in(genuine_mirrors)

# %% [markdown]
# ## Task 17 · Phishing clones (2 points)
#
# A site is a **phishing clone** when its page presents itself as a market (the market's name
# is in its title) but its address is **not** on that market's signed mirror list.
#
# 1. Write a function `claimed_market(title)` that returns the market name (a key of
#    `genuine_mirrors`) contained in `title`, or `None` when the title names no market.
# 2. Store in `phishing` the sorted list of the `site_id`s of the phishing clones.
#
# *Hint:* in `claimed_market`, loop over `genuine_mirrors` and `return name` when
# `name in title`; after the loop, `return None`. For each site, the address is
# `url.removeprefix("http://")`; compare it with `genuine_mirrors[claimed_market(title)]`. Do not
# compare only the first characters of the address: that is exactly what a vanity address
# fakes.


# %% role="solution" grade_id="flag-phishing"
### BEGIN SOLUTION
def claimed_market(title):
    """The market a page presents itself as (None if it names no market)."""
    return next((name for name in genuine_mirrors if name in title), None)


phishing = sorted(
    site_id
    for site_id, url, title in zip(pages.index, pages["url"], pages["title"])
    if claimed_market(title) is not None
    and url.removeprefix("http://") not in genuine_mirrors[claimed_market(title)]
)
### END SOLUTION
phishing

# %% role="tests" grade_id="flag-phishing-test" points=2 needs="load-crawl front-pages signed-mirrors flag-phishing"
"""phishing lists the sites that pose as a market from an address not on its signed list."""
assert isinstance(phishing, list), _("phishing should be a list of site_ids")
assert all(s in set(pages.index) for s in phishing), _("use the site_ids of pages")
assert phishing == sorted(set(phishing)), _("sort the list, each site once")
assert claimed_market("Cheap shop") is None, _(
    "claimed_market should return None for a title naming no market"
)
hand_in((phishing, {site_id: claimed_market(title) for site_id, title in pages["title"].items()}))

# %% [markdown]
# ## Task 18 · Malware droppers (1 point)
#
# Store in `droppers` the sorted list of the `site_id`s that offer a Windows program for
# download (a crawl row whose `path` ends in `.exe`). A "wallet" downloaded from an onion site
# is the classic way to steal the coins of darknet buyers.

# %% role="solution" grade_id="flag-droppers"
### BEGIN SOLUTION
droppers = sorted(set(crawl.loc[crawl["path"].str.endswith(".exe"), "site_id"]))
### END SOLUTION
droppers

# %% role="tests" grade_id="flag-droppers-test" points=1 needs="load-crawl flag-droppers"
"""droppers lists the sites that offer an executable download."""
assert isinstance(droppers, list) and droppers == sorted(set(droppers)), _(
    "droppers should be a sorted list of site_ids, each once"
)
assert set(droppers) <= set(crawl["site_id"]), _("use the site_ids of the crawl")
# Handed in with each site's address, as a report would name it.
hand_in({site_id: crawl.loc[crawl["site_id"] == site_id, "url"].iloc[0] for site_id in droppers})

# %% [markdown]
# ## Task 19 · Whose shop is it? (1 point)
#
# Vendors' public keys as published on each market are in `keys/<market>/<handle>.asc` (the
# folder `keys/forum/` holds keys posted elsewhere: leave it out). A shop publishing the same
# key (same fingerprint) is run by that vendor.
#
# Make a dict `shop_vendors` mapping every site that publishes a PGP key (non-empty
# `pgp_keys`) to the sorted list of market accounts, written `"<market>/<handle>"`, whose key
# has one of the site's fingerprints (an empty list if none matches).
#
# *Hint:* `sorted((evidence / "keys").glob("*/*.asc"))` lists the key files; for a path `p`,
# `p.parent.name` is the market and `p.stem` the handle.

# %% role="solution" grade_id="shop-vendors"
### BEGIN SOLUTION
market_keys = {
    f"{path.parent.name}/{path.stem}": pgp.fingerprint(path.read_text(encoding="utf-8"))
    for path in sorted((evidence / "keys").glob("*/*.asc"))
    if path.parent.name != "forum"
}
shop_vendors = {
    site_id: sorted(account for account, fpr in market_keys.items() if fpr in fprs)
    for site_id, fprs in pgp_keys.items()
    if fprs
}
### END SOLUTION
shop_vendors

# %% role="tests" grade_id="shop-vendors-test" points=1 needs="load-crawl front-pages find-pgp shop-vendors"
"""shop_vendors names the market accounts whose key a shop publishes."""
assert isinstance(shop_vendors, dict), _("shop_vendors should be a dict {site_id: [accounts]}")
assert set(shop_vendors) == {s for s, f in pgp_keys.items() if f}, _(
    "shop_vendors needs the sites that publish a PGP key, and only those"
)
assert all("/" in a for v in shop_vendors.values() for a in v), _(
    "write accounts as market/handle, e.g. kovyl-market/somehandle"
)
hand_in(shop_vendors)

# %% [markdown]
# ## Task 20 · What is each site? (2 points)
#
# Make a dict `site_kind` mapping every `site_id` to one of
# `"market mirror"`, `"phishing clone"`, `"vendor shop"`, `"scam shop"`, `"malware dropper"`:
#
# - a page that names a market: a **market mirror** if its address is on the signed list,
#   otherwise a **phishing clone**;
# - a site offering an `.exe`: a **malware dropper**;
# - any other site is a shop: a **vendor shop** if it publishes the key of a vendor known on a
#   market (`shop_vendors`), otherwise a **scam shop** (no key anyone can check, no history).


# %% role="solution" grade_id="classify"
### BEGIN SOLUTION
def kind_of(site_id, title):
    if site_id in phishing:
        return "phishing clone"
    if claimed_market(title) is not None:
        return "market mirror"
    if site_id in droppers:
        return "malware dropper"
    if shop_vendors.get(site_id):
        return "vendor shop"
    return "scam shop"


site_kind = {site_id: kind_of(site_id, title) for site_id, title in pages["title"].items()}
### END SOLUTION
pd.Series(site_kind).value_counts()

# %% role="tests" grade_id="classify-test" points=2 needs="load-crawl front-pages find-pgp signed-mirrors flag-phishing flag-droppers shop-vendors classify"
"""site_kind gives every site its kind, decided from the evidence."""
_kinds = {"market mirror", "phishing clone", "vendor shop", "scam shop", "malware dropper"}
assert isinstance(site_kind, dict) and set(site_kind) == set(pages.index), _(
    "site_kind should be a dict with a key for every site"
)
assert set(site_kind.values()) <= _kinds, _(
    "use exactly the five kinds: market mirror, phishing clone, vendor shop, scam shop, malware dropper"
)
hand_in(site_kind)

# %% [markdown]
# ## Task 21 · Justify one call (3 points, marked by your instructor)
#
# Pick **one phishing clone** and **one scam shop** from your evidence. For each, in two or
# three sentences, write down the evidence a prosecutor could check for your classification
# (name the files), and say why the page's own title or text would not have been enough.

# %% [markdown] role="answer" grade_id="justify-kinds" points=3
# The phishing clone shows the market's exact login page and title, but its address is not in
# the market's mirror list (`markets/<market>/mirrors.txt.asc`), whose signature verifies with
# the market's key; the address only shares its first characters with a real mirror (a vanity
# key). Unlike the genuine mirrors it shows one fixed deposit address instead of a personal one,
# carries an extra advertising ID, and its `/server-status` lists it beside scam and malware
# sites. The scam shop publishes no PGP key a buyer could check against a market vendor,
# promises any city and amount with "100% guarantee", and shares its SSH host key, e-mail and ad
# ID with the phishing and dropper sites: a page can claim anything, the shared infrastructure
# cannot be faked away.

# %% [markdown]
# ## Task 22 · A template's analytics ID is not an operator (1 point)
#
# The MarketKit template that all three markets use ships with **one** Google Analytics ID
# baked in, and copies of the template spread it further. An ID seen on mirrors of **different**
# markets shows a shared template, not a shared owner: linking sites through it would merge
# rival markets, a vendor and a phisher into one "gang".
#
# Store in `template_ids` the **set** of analytics IDs that appear on market mirrors (by your
# `site_kind`) of more than one market.
#
# *Hint:* for each market mirror, `claimed_market(title)` is its market; collect, per ID, the
# set of markets it was seen on (a dict of sets), then keep the IDs with more than one.

# %% role="solution" grade_id="template-ids"
### BEGIN SOLUTION
markets_per_id = {}
for site_id, kind in site_kind.items():
    if kind == "market mirror":
        for analytics_id in analytics[site_id]:
            market = claimed_market(pages.loc[site_id, "title"])
            markets_per_id.setdefault(analytics_id, set()).add(market)
template_ids = {i for i, markets in markets_per_id.items() if len(markets) > 1}
### END SOLUTION
template_ids

# %% role="tests" grade_id="template-ids-test" points=1 needs="load-crawl front-pages find-analytics find-pgp signed-mirrors flag-phishing flag-droppers shop-vendors classify template-ids"
"""template_ids holds the analytics IDs shared by mirrors of different markets."""
assert isinstance(template_ids, (set, frozenset)), _("template_ids should be a set of IDs")
assert all(i.startswith(("UA-", "pub-")) for i in template_ids), _("use the IDs from analytics")
hand_in(template_ids)

# %% [markdown]
# ## Task 23 · One table of leads (1 point)
#
# Put every identifier into one long table `leads` with columns `site_id`, `kind`, `value`:
# one row per identifier found on a site. The cell starts it for you with the e-mails; add
# rows for the analytics IDs (kind `"analytics"`), SSH host keys (`"ssh"`), PGP fingerprints
# (`"pgp"`), Bitcoin addresses (`"btc"`), clearnet IPs (`"ip"`), and the onion addresses:
# every site's own address (`"onion"`, from `pages["url"]` without `http://`) **and** every
# host in its `cohosted` list (also `"onion"`, so a status page links the sites it names).

# %% role="solution" grade_id="leads-table"
rows = []
for site_id, found in emails.items():
    rows += [(site_id, "email", value) for value in found]
### BEGIN SOLUTION
for site_id, found in analytics.items():
    rows += [(site_id, "analytics", value) for value in found]
for site_id, value in ssh_keys.items():
    rows.append((site_id, "ssh", value))
for site_id, found in pgp_keys.items():
    rows += [(site_id, "pgp", value) for value in found]
for site_id, found in btc.items():
    rows += [(site_id, "btc", value) for value in found]
for site_id, value in clearnet_ip.items():
    rows.append((site_id, "ip", value))
for site_id, url in pages["url"].items():
    rows.append((site_id, "onion", url.removeprefix("http://")))
for site_id, hosts in cohosted.items():
    rows += [(site_id, "onion", host) for host in hosts]
### END SOLUTION
leads = pd.DataFrame(rows, columns=["site_id", "kind", "value"])
leads["kind"].value_counts()

# %% role="tests" grade_id="leads-table-test" points=1 needs="load-crawl front-pages find-emails find-analytics find-ssh find-pgp btc-function btc-sites status-ip status-vhosts leads-table"
"""leads holds every identifier of every site, one row each."""
assert isinstance(leads, pd.DataFrame), _("leads should be a DataFrame")
assert list(leads.columns) == ["site_id", "kind", "value"], _(
    "leads needs the columns site_id, kind, value"
)
assert {"email", "analytics", "ssh", "pgp", "btc", "ip", "onion"} <= set(leads["kind"]), _(
    "add rows of every kind: email, analytics, ssh, pgp, btc, ip, onion"
)
hand_in(leads)

# %% [markdown]
# ## Task 24 · The graph of shared identifiers (2 points)
#
# Build an undirected `networkx` graph `G`:
#
# - one node for **every** `site_id` (also those that share nothing);
# - an edge between two sites that have the same `value` in `leads`, **except** values in
#   `template_ids`.
#
# *Hint:* `G = nx.Graph()`; `G.add_nodes_from(pages.index)`;
# `useful = leads[~leads["value"].isin(template_ids)]`; then
# `for value, group in useful.groupby("value"):` and, for every pair in
# `combinations(sorted(set(group["site_id"])), 2)`, `G.add_edge(a, b, identifier=value)`.

# %% role="solution" grade_id="build-graph"
### BEGIN SOLUTION
G = nx.Graph()
G.add_nodes_from(pages.index)
useful = leads[~leads["value"].isin(template_ids)]
for value, group in useful.groupby("value"):
    for a, b in combinations(sorted(set(group["site_id"])), 2):
        G.add_edge(a, b, identifier=value)
### END SOLUTION
print(G)

# %% role="tests" grade_id="build-graph-test" points=2 needs="load-crawl front-pages find-emails find-analytics find-ssh find-pgp btc-function btc-sites status-ip status-vhosts signed-mirrors flag-phishing flag-droppers shop-vendors classify template-ids leads-table build-graph"
"""G links sites that share an identifier other than a template's."""
assert isinstance(G, nx.Graph), _("G should be a networkx Graph")
assert set(G.nodes) == set(pages.index), _("G needs one node for every site, and only sites")
assert G.number_of_edges() > 0, _("add an edge for every pair of sites sharing a value")
hand_in({"nodes": sorted(G.nodes), "edges": sorted(sorted(edge) for edge in G.edges)})

# %% [markdown]
# ## Task 25 · Name the groups run by one operator (2 points)
#
# Each connected component of `G` with **two or more** sites is one operator's group.
#
# 1. Store in `operators` the list of those groups, each a sorted list of `site_id`s, the
#    whole list sorted.
# 2. Store in `phisher_sites` the group (a sorted list) that contains your phishing clones.
#
# *Hint:* `nx.connected_components(G)` gives the groups as sets.

# %% role="solution" grade_id="name-operators"
### BEGIN SOLUTION
operators = sorted(sorted(group) for group in nx.connected_components(G) if len(group) > 1)
phisher_sites = next(group for group in operators if phishing[0] in group)
### END SOLUTION
operators

# %% role="tests" grade_id="name-operators-test" points=2 needs="load-crawl front-pages find-emails find-analytics find-ssh find-pgp btc-function btc-sites status-ip status-vhosts signed-mirrors flag-phishing flag-droppers shop-vendors classify template-ids leads-table build-graph name-operators"
"""operators lists the groups of two or more linked sites; phisher_sites the phisher's."""
assert isinstance(operators, list) and all(isinstance(g, list) for g in operators), _(
    "operators should be a list of lists of site_ids"
)
assert all(len(g) > 1 and g == sorted(g) for g in operators), _(
    "keep groups of two or more sites, each sorted"
)
assert operators == sorted(operators), _("sort the list of groups")
assert phisher_sites in operators, _("phisher_sites should be one of the groups")
hand_in((operators, phisher_sites))

# %% [markdown]
# ## Task 26 · Draw the graph (1 point)
#
# Draw `G` with one colour per site kind and the site ids as labels, and keep the axes in `ax`.
#
# *Hint:* `fig, ax = plt.subplots(figsize=(8, 6))`; `pos = nx.spring_layout(G, seed=1)`;
# `nx.draw_networkx(G, pos, ax=ax, node_color=colors)` where `colors` lists one colour per node
# in `G.nodes` order (e.g. a dict from kind to a colour name); `ax.set_title(...)`.

# %% role="solution" grade_id="plot-graph"
### BEGIN SOLUTION
palette = {
    "market mirror": "tab:green",
    "phishing clone": "tab:red",
    "vendor shop": "tab:blue",
    "scam shop": "tab:orange",
    "malware dropper": "tab:purple",
}
fig, ax = plt.subplots(figsize=(8, 6))
pos = nx.spring_layout(G, seed=1)
nx.draw_networkx(G, pos, ax=ax, node_color=[palette[site_kind[n]] for n in G.nodes])
ax.set_title("Onion sites linked by shared identifiers (template analytics ID left out)")
ax.axis("off")
### END SOLUTION
plt.show()

# %% role="tests" grade_id="plot-graph-test" points=1 needs="load-crawl front-pages find-pgp signed-mirrors flag-phishing flag-droppers shop-vendors classify build-graph plot-graph"
"""ax shows the graph: one marker per site."""
import matplotlib.axes

assert isinstance(ax, matplotlib.axes.Axes), _("ax should be the axes you drew on")
assert ax.collections, _("draw the nodes on ax: nx.draw_networkx(G, pos, ax=ax)")
import matplotlib.colors
from matplotlib.collections import PathCollection


def _spot(xy):
    return (round(float(xy[0]), 4), round(float(xy[1]), 4))


_labels = {_spot(t.get_position()): t.get_text() for t in ax.texts}
_drawn = {}  # the label drawn at each node, and the node's colour
for _dots in (c for c in ax.collections if isinstance(c, PathCollection)):
    _faces = _dots.get_facecolors()
    for _i, _xy in enumerate(_dots.get_offsets()):
        _colour = matplotlib.colors.to_hex(_faces[_i % len(_faces)]) if len(_faces) else "none"
        _drawn[_labels.get(_spot(_xy), f"(unlabelled node {_i})")] = _colour
assert _drawn, _("draw the nodes on ax: nx.draw_networkx(G, pos, ax=ax)")
hand_in({"nodes": _drawn})

# %% [markdown]
# ## Task 27 · The next step (2 points, marked by your instructor)
#
# In three or four sentences: which identifiers tie the phisher's sites together, which of
# them can lead to a **person**, and to whom would you send a request or preservation order
# first? Why is the shared Google Analytics ID not one of them?

# %% [markdown] role="answer" grade_id="next-step" points=2
# The phisher's sites share one SSH host key (one machine), one advertising publisher ID, one
# e-mail address and, on the status pages, one clearnet IP and one list of co-hosted sites
# including a clearnet domain. The IP leads to a hosting provider (subscriber, payment, access
# logs), the e-mail to its provider, the ad ID to the ad network that pays the account, and the
# clearnet domain to its registrar: preserve the hosting provider's data first, before the
# server moves. The Google Analytics ID came with the MarketKit template and sits on every
# market's mirrors, so it links sites of rival operators and identifies no one.

# %% [markdown]
# ## Key points
#
# - Tor hides the server's location, not what the operator leaves on it: SSH host keys, e-mail
#   and ad accounts, PGP keys, Bitcoin addresses, status pages and photo metadata are leads.
# - A regular expression finds candidates; only the checksum (`addresses.is_valid`) makes a
#   string a Bitcoin address.
# - An open Apache `/server-status` leaks the clearnet IP and every co-hosted site; open
#   directories and EXIF GPS leak what the operator never meant to publish.
# - A page's title says what it claims to be; a market's **signed** mirror list says what it
#   is. Vanity addresses share the first characters of a real mirror on purpose.
# - Link sites by identifiers one operator controls; leave out identifiers shipped with a
#   template or shared by everyone, or rival markets become one "gang".
