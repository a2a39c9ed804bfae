# %% [markdown]
# # Walkthrough 02 · Malicious sites
#
# Instructor demonstration before assignment `02-malicious-sites` (about 35 minutes). Everyone in
# the room sees the same shared case (`case_evidence()`); the trainees then triage their own
# crawl.
#
# 1. What a crawler saves, and how to read it with pandas.
# 2. Identifiers in a page: a pattern finds candidates, a checksum decides.
# 3. OPSEC leaks: `/server-status`, open directories, EXIF GPS.
# 4. Phishing clones: the page lies, the signed mirror list does not.
# 5. Linking sites: shared identifiers as a graph, and the template trap.

# %%
import html
import re

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from PIL import Image
from PIL.ExifTags import GPSTAGS, TAGS

from darktrail import addresses, onion, pgp
from darktrail.evidence import case_evidence

evidence = case_evidence()
crawl = pd.read_csv(evidence / "sites" / "crawl.csv")
crawl.head()

# %% [markdown]
# ## 1 · What the crawler saved
#
# One row per request. A table of status codes per path shows at a glance which sites
# answered what: every site was asked for `/server-status`; most said 404.

# %%
pd.crosstab(crawl["path"].where(~crawl["path"].str.endswith((".jpg", ".exe")), "(file)"),
            crawl["status"])  # fmt: skip

# %% [markdown]
# A front page, raw. The `<title>` is what a browser tab shows; it is also the first thing a
# phisher copies.

# %%
first = crawl[crawl["path"] == "/"].iloc[0]
page = (evidence / first["file"]).read_text(encoding="utf-8")
print(page[:900])

# %% [markdown]
# Headers are `Name: value` lines after a status line. `Server` and `X-Powered-By` give away
# the software; an Apache server is worth a look at `/server-status`. Here with pandas string
# methods on all header files at once:

# %%
site_ids = sorted(crawl["site_id"].unique())
raw = pd.Series(
    {s: (evidence / "sites" / s / "headers.txt").read_text(encoding="utf-8") for s in site_ids}
)
raw.str.extract(r"Server: (?P<server>[^\r\n]+)").value_counts()

# %% [markdown]
# ## 2 · Identifiers: candidates, then checks
#
# A regular expression finds strings of the right *shape*. Watch what a loose Bitcoin pattern
# (no word boundaries) finds in every saved page — addresses, but also pieces of PGP key
# blocks — and what the checksum keeps.

# %%
loose = re.compile(r"bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}")
everything = "\n".join(
    (evidence / f).read_text(encoding="utf-8")
    for f in crawl["file"].dropna()
    if f.endswith(".html")
)
candidates = pd.Series(loose.findall(everything), dtype=str).drop_duplicates()
verdict = pd.DataFrame({"candidate": candidates, "valid": candidates.map(addresses.is_valid)})
verdict["valid"].value_counts()

# %% [markdown]
# One typed character wrong and the checksum fails — the pattern still matches:

# %%
example = addresses.find_addresses(everything)[0]
typo = example[:-3] + ("q" if example[-3] != "q" else "p") + example[-2:]
pd.DataFrame(
    {
        "string": [example, typo],
        "looks like an address": [bool(re.fullmatch(r"bc1\w{30,60}|[13]\w{25,34}", s)) for s in (example, typo)],
        "is_valid": [addresses.is_valid(example), addresses.is_valid(typo)],
    }
)  # fmt: skip

# %% [markdown]
# The same two steps work for other identifiers: find, then check. A PGP key block is found
# by its armor lines and identified by its fingerprint; an SSH banner carries the host key.

# %%
blocks = re.findall(
    r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", everything, re.S
)
print(len(blocks), "key blocks; first fingerprint:", pgp.fingerprint(blocks[0]))
banner_file = next((evidence / "sites").glob("*/ssh_22.txt"))
print(banner_file.read_text(encoding="utf-8"))

# %% [markdown]
# ## 3 · OPSEC leaks
#
# **`/server-status`**. Tor hands every visitor to the web server from `127.0.0.1`, and Debian's
# Apache shows its status page to `127.0.0.1`. The heading names the machine's real address;
# the table names every site it serves.

# %%
status_row = crawl[(crawl["path"] == "/server-status") & (crawl["status"] == 200)].iloc[0]
status = (evidence / status_row["file"]).read_text(encoding="utf-8")
print(re.search(r"<h1>(.*)</h1>", status).group(1))
print(re.findall(r"<td>([^<>]+:80)</td>", status))

# %% [markdown]
# **Open directories**: "Index of /..." pages list files nobody linked to.

# %%
listing = next(
    f
    for f in crawl["file"].dropna()
    if f.endswith(".html") and "<title>Index of" in (evidence / f).read_text(encoding="utf-8")
)
print(listing)
print(re.findall(r'<a href="([^"]+)">', (evidence / listing).read_text(encoding="utf-8")))

# %% [markdown]
# **EXIF**. A phone photo keeps the camera, the time and often the GPS fix. Pillow reads the
# same tags as `exiftool`; the GPS block is a separate directory (tag `0x8825`).

# %%
photo_file = crawl.loc[crawl["content_type"] == "image/jpeg", "file"].iloc[0]
with Image.open(evidence / photo_file) as photo:
    exif = photo.getexif()
    gps = exif.get_ifd(0x8825)
print({TAGS.get(tag, tag): value for tag, value in exif.items() if tag in TAGS})
print({GPSTAGS.get(tag, tag): value for tag, value in gps.items()})

# %% [markdown]
# Degrees, minutes and seconds become decimal degrees as `d + m/60 + s/3600` (negative for
# south and west). Here the latitude only; the trainees write the function.

# %%
d, m, s = (float(x) for x in gps[2])
print(gps[1], round(d + m / 60 + s / 3600, 5))

# %% [markdown]
# ## 4 · Phishing clones
#
# Pages with the same title, side by side. Which one is the market?

# %%
pages = crawl[crawl["path"] == "/"].set_index("site_id")
titles = pages["file"].map(
    lambda f: html.unescape(
        re.search(r"<title>(.*?)</title>", (evidence / f).read_text(encoding="utf-8")).group(1)
    )
)
market_folders = sorted(p for p in (evidence / "markets").iterdir() if p.is_dir())
checks = {
    folder: pgp.verify_clearsigned(
        (folder / "mirrors.txt.asc").read_text(encoding="utf-8"),
        (folder / "market.asc").read_text(encoding="utf-8"),
    )
    for folder in market_folders
}
names = {folder: c.text.splitlines()[0].split(":")[0] for folder, c in checks.items()}
# The market whose name is on the most pages.
market_folder = max(market_folders, key=lambda f: titles.str.contains(names[f]).sum())
signed = (market_folder / "mirrors.txt.asc").read_text(encoding="utf-8")
check, name = checks[market_folder], names[market_folder]
print(check.valid, check.reason)
same_title = pages.loc[titles.str.contains(name, regex=False), ["url"]]
same_title["on the signed list"] = [
    u.removeprefix("http://") in onion.find_onions(check.text) for u in same_title["url"]
]
same_title

# %% [markdown]
# A lookalike shares the first characters on purpose (a vanity key), and its checksum is
# valid. Only the signed list separates them — and only if its signature verifies. Change one
# address in the list and the signature fails:

# %%
genuine = onion.find_onions(check.text)[0]
forged = signed.replace(genuine, genuine[:5] + "a" * 51 + ".onion")
print(pgp.verify_clearsigned(forged, (market_folder / "market.asc").read_text("utf-8")).reason)

# %% [markdown]
# ## 5 · Linking sites
#
# Put sites and identifiers in one graph (a *bipartite* graph: site nodes and identifier
# nodes). Sites in one connected piece are linked through something they share. Here with two
# kinds of identifiers only: SSH host keys and analytics IDs.

# %%
B = nx.Graph()
for site_id in site_ids:
    B.add_node(site_id, part="site")
    page = (evidence / "sites" / site_id / "index.html").read_text(encoding="utf-8")
    for found in re.findall(r"\b(?:UA-\d+-\d+|pub-\d{16})\b", page):
        B.add_edge(site_id, found)
    banner = evidence / "sites" / site_id / "ssh_22.txt"
    if banner.exists():
        B.add_edge(site_id, re.search(r"SHA256:\S{43}", banner.read_text("utf-8")).group(0))


def site_groups(graph):
    """Sizes of the groups of sites that share something (identifier nodes not counted)."""
    return sorted(
        (sum(n in site_ids for n in part) for part in nx.connected_components(graph)),
        reverse=True,
    )


print("groups with every identifier:", site_groups(B))

# %% [markdown]
# One enormous group: rival markets, a vendor and strangers "run by one person"? Look at the
# identifier with the most sites:

# %%
degree = pd.Series({n: B.degree(n) for n in B if n not in site_ids}).sort_values(ascending=False)
degree.head(3)

# %% [markdown]
# It appears on mirrors of *different* markets, each signed by a different key: it came with
# the MarketKit template ("powered by MarketKit" in every footer), like a default password.
# It proves a shared template, not a shared operator. Take it out and look again:

# %%
B.remove_node(degree.index[0])
print("groups without the template ID:", site_groups(B))
fig, ax = plt.subplots(figsize=(8, 6))
nx.draw_networkx(
    B,
    nx.spring_layout(B, seed=2),
    ax=ax,
    node_size=[300 if n in site_ids else 60 for n in B],
    node_color=["tab:blue" if n in site_ids else "tab:gray" for n in B],
    labels={n: n for n in site_ids},
    font_size=8,
)
ax.set_title("Sites (blue) and the SSH keys and analytics IDs they share (grey)")
ax.axis("off")
plt.show()

# %% [markdown]
# In the assignment the trainees add every kind of identifier (e-mail, PGP, Bitcoin, clearnet
# IP, co-hosted sites), classify each site, and name the groups in their own crawl.
