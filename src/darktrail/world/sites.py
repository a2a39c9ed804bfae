"""``sites/``: a crawl of onion sites with the operational-security leaks investigators use.

Site kinds: genuine market mirrors, vendor shops, phishing clones (a copy of a market's page
on a lookalike address with the phisher's payment address), scam shops and a malware dropper
(a fake "secure wallet" download). Each site folder holds what the crawler saved: pages,
``headers.txt`` (raw HTTP response headers of ``/``), ``robots.txt``, sometimes an exposed
Apache ``server-status`` page (leaking the clearnet IP and co-hosted virtual hosts), an open
directory listing, photos with EXIF, and ``ssh_22.txt`` (the SSH banner and host-key
fingerprint seen on port 22 of the onion service).

Identifiers that really join sites to one operator: the phisher's SSH host key, clearnet IP,
e-mail and ad-network ``pub-`` ID; a vendor's PGP key, bitcoin address and e-mail. The trap:
every market mirror (and one shop) carries the same ``UA-`` analytics ID because the popular
market template ships it; it proves a shared template, not a shared operator.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape

from .. import addresses, onion, pgp
from .case import Case, csv_bytes
from .images import jpeg_with_exif
from .people import CITY_COORDINATES
from .truth import AnalyticsTrap, MarketAnalytics, Operator, Site, Sites

__all__ = ["build"]

_CRAWL_HEADER = ["site_id", "url", "path", "status", "content_type", "file"]
#: A site's identifiers that are lists (the truth keeps those a site has).
_SITE_LISTS = ("photo_gps", "btc_extra", "btc_decoys", "pgp_keys")
_CAMERAS = (("Xiaomi", "Redmi Note 7"), ("Apple", "iPhone 7"), ("samsung", "SM-J730F"))


def _digits(rng, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _ssh_fingerprint(rng) -> str:
    return "SHA256:" + base64.b64encode(rng.randbytes(32)).decode().rstrip("=")


def _page(title: str, body: str, analytics: list[str], lang: str = "ru") -> str:
    tags = "".join(
        f'<script async src="https://www.googletagmanager.example/gtag/js?id={a}"></script>\n'
        f"<script>gtag('config', '{a}');</script>\n"
        if a.startswith("UA-")
        else f'<script data-ad-client="ca-{a}" src="https://ads.example/adsbygoogle.js"></script>\n'
        for a in analytics
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{tags}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _headers(rng, when: dt.datetime, server: str, length: int, powered: str | None) -> str:
    lines = [
        "HTTP/1.1 200 OK",
        f"Date: {when:%a, %d %b %Y %H:%M:%S} GMT",
        f"Server: {server}",
        "Content-Type: text/html; charset=utf-8",
        f"Content-Length: {length}",
    ]
    if powered:
        lines.append(f"X-Powered-By: {powered}")
        lines.append(f"Set-Cookie: PHPSESSID={rng.randbytes(13).hex()}; path=/; HttpOnly")
    lines.append("Connection: close")
    return "\r\n".join(lines) + "\r\n\r\n"


def _server_status(rng, ip: str, vhosts: list[str], when: dt.datetime) -> str:
    rows = "".join(
        f"<tr><td><b>{i}-0</b></td><td>{rng.randint(1000, 30000)}</td><td>0/{rng.randint(1, 90)}/"
        f"{rng.randint(100, 9000)}</td><td><b>_</b></td><td>127.0.0.1</td><td>{escape(v)}:80</td>"
        f"<td nowrap>GET {rng.choice(['/', '/login', '/img/', '/catalog', '/download/'])} "
        "HTTP/1.1</td></tr>\n"
        for i, v in enumerate(vhosts)
    )
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html><head>\n'
        "<title>Apache Status</title>\n</head><body>\n"
        f"<h1>Apache Server Status for {ip} (via 127.0.0.1)</h1>\n\n"
        "<dl><dt>Server Version: Apache/2.4.38 (Debian) OpenSSL/1.1.1d</dt>\n"
        "<dt>Server MPM: prefork</dt>\n"
        f"<dt>Current Time: {when:%A, %d-%b-%Y %H:%M:%S} UTC</dt>\n</dl>\n"
        '<table border="0"><tr><th>Srv</th><th>PID</th><th>Acc</th><th>M</th>'
        "<th>Client</th><th>VHost</th><th>Request</th></tr>\n"
        f"{rows}</table>\n</body></html>\n"
    )


def _listing(path: str, files: list[tuple[str, str, str]]) -> str:
    rows = "".join(
        f'<tr><td><a href="{escape(n)}">{escape(n)}</a></td><td align="right">{d}</td>'
        f'<td align="right">{s}</td></tr>\n'
        for n, d, s in files
    )
    return (
        f'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n<head>\n'
        f"<title>Index of {path}</title>\n</head>\n<body>\n<h1>Index of {path}</h1>\n"
        "<table>\n<tr><th>Name</th><th>Last modified</th><th>Size</th></tr>\n"
        f'<tr><td><a href="../">Parent Directory</a></td><td></td><td>-</td></tr>\n'
        f"{rows}</table>\n<address>Apache/2.4.38 (Debian) Server Port 80</address>\n"
        "</body></html>\n"
    )


class _Crawl:
    def __init__(self, case: Case, rng) -> None:
        self.case, self.rng, self.rows = case, rng, []
        sc = case.scenario
        self.start = dt.datetime.combine(sc.end, dt.time(0)) - dt.timedelta(days=12)

    def when(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.rng.randrange(10 * 24 * 60))

    def save(self, site_id: str, url: str, path: str, name: str, data, ctype: str,
             what: str, status: int = 200) -> None:  # fmt: skip
        file = f"sites/{site_id}/{name}"
        self.case.add(file, data, "sites", f"{site_id}: {what}")
        self.rows.append([site_id, url, path, status, ctype, file])


def build(case: Case) -> None:
    """Add the crawl: sites, their files, ``sites/crawl.csv``; record operators in the truth."""
    rng = case.rng("sites")
    sc = case.scenario
    crawl = _Crawl(case, rng)
    template_ua = f"UA-{_digits(rng, 8)}-1"
    phisher_pub = f"pub-{_digits(rng, 16)}"
    phisher_ip = f"198.51.100.{rng.randint(2, 250)}"
    phisher_ssh = _ssh_fingerprint(rng)
    phisher_mail = case.cast["phisher"]["email"]
    sites = []  # (kind, operator, url, extra)

    for m in case.cast["markets"]:
        for address in case.cast["mirrors"][m["slug"]][:2]:
            sites.append({"kind": "market mirror", "operator": m["id"], "onion": address,
                          "market": m})  # fmt: skip
    for clone in case.cast["clones"]:
        m = next(x for x in case.cast["markets"] if x["slug"] == clone["market"])
        sites.append({"kind": "phishing clone", "operator": "op1", "onion": clone["address"],
                      "market": m, "imitates": clone["imitates"]})  # fmt: skip
    for vendor_id, address in sorted(case.cast.get("shop_addresses", {}).items()):
        vendor = next(v for v in case.cast["vendors"] if v["id"] == vendor_id)
        sites.append({"kind": "vendor shop", "operator": vendor_id, "vendor": vendor,
                      "btc": address, "onion": _new_onion(rng)})  # fmt: skip
    for address in case.cast.get("scam_addresses", []):
        sites.append({"kind": "scam shop", "operator": "op1", "btc": address,
                      "onion": _new_onion(rng)})  # fmt: skip
    for _ in range(sc["sites"]["droppers"]):
        sites.append({"kind": "malware dropper", "operator": "op1", "onion": _new_onion(rng)})
    rng.shuffle(sites)
    for n, site in enumerate(sites, start=1):
        site["id"] = f"s{n:02d}"
    phisher_onions = [s["onion"] for s in sites if s["operator"] == "op1"]
    market_ssh = {m["id"]: _ssh_fingerprint(rng) for m in case.cast["markets"]}
    leaky_market = rng.choice(case.cast["markets"])["id"]
    traps = _traps(case, sites, phisher_mail)
    ua_shop = next((s["id"] for s in sites if s["kind"] == "vendor shop"), None)
    shop_names = {}
    from .names import NameProvider

    names = NameProvider(case.rng("shop-names"))
    truth_sites: dict[str, Site] = {}
    for site in sites:
        sid, url = site["id"], f"http://{site['onion']}"
        kind = site["kind"]
        when = crawl.when()
        analytics, server, powered, ssh, status_page = [], "nginx", None, None, None
        robots = "User-agent: *\nDisallow: /admin/\n"
        extra_files = []
        if kind in ("market mirror", "phishing clone"):
            m = site["market"]
            analytics = [template_ua] + ([phisher_pub] if kind == "phishing clone" else [])
            if kind == "market mirror" and m["id"] == traps["own_ua_market"]:
                analytics.append(traps["own_ua"])
            deposit = (
                f"<p>Пополнение баланса / Top up: send BTC to <code>{case.cast['phishing_address']}"
                "</code> and your balance updates after 1 confirmation.</p>"
                if kind == "phishing clone"
                else "<p>Пополнение баланса / Top up: log in to see your personal deposit address."
                "</p>"
            )
            body = (
                f'<h1>{escape(m["name"])}</h1>\n<p>Вход / Log in</p>\n<form action="/login" '
                'method="post"><input name="user"><input name="password" type="password">'
                '<input name="captcha"></form>\n'
                f"{deposit}\n<p>Official mirrors are listed in our PGP-signed mirror list.</p>\n"
                f"<footer>&copy; 2020 {escape(m['name'])} &middot; powered by MarketKit 3.2"
                "</footer>"
            )
            server = "nginx/1.14.2"
            if kind == "market mirror":
                ssh = market_ssh[m["id"]]
                powered = "PHP/7.3.11"
                if m["id"] == leaky_market and site["onion"] == case.cast["mirrors"][m["slug"]][0]:
                    server = "Apache/2.4.38 (Debian)"
                    ip = f"203.0.113.{rng.randint(2, 250)}"
                    status_page = (ip, [site["onion"], *case.cast["mirrors"][m["slug"]][1:]])
                    site["clearnet_ip"] = ip
            else:
                ssh, server = phisher_ssh, "Apache/2.4.38 (Debian)"
                status_page = (phisher_ip, phisher_onions + ["static-cdn.example.net"])
                site["clearnet_ip"] = phisher_ip
            title = f"{m['name']} — вход"
        elif kind == "vendor shop":
            vendor = site["vendor"]
            handle = vendor["accounts"][0]["handle"]
            shop = names.shop()
            shop_names[sid] = shop
            key = case.cast["keys"][vendor["id"]]["main"]
            analytics = [template_ua] if sid == ua_shop else [f"UA-{_digits(rng, 8)}-1"]
            photo = f"product_{rng.randint(1, 40):02d}.jpg"
            body = (
                f"<h1>{escape(shop)}</h1>\n<p>Shop of {escape(handle)}. Dead drops in "
                f"{escape(vendor['city'])} within 2 hours of payment.</p>\n"
                f"<p>Direct orders: pay to <code>{site['btc']}</code>, then send the txid.</p>\n"
                f'<p>Contact: <a href="mailto:{vendor["email"]}">{vendor["email"]}</a></p>\n'
                f'<img src="/img/{photo}" alt="product">\n'
                f"<h2>Our PGP key</h2>\n<pre>\n{escape(pgp.armor_public_key(key))}</pre>"
            )
            ssh = _ssh_fingerprint(rng)
            if sid == traps["no_ssh_shop"]:
                ssh = None  # this vendor keeps port 22 closed
            lat, lon = CITY_COORDINATES.get(vendor["city"], (43.238, 76.945))
            lat, lon = (
                round(lat + rng.uniform(-0.04, 0.04), 5),
                round(lon + rng.uniform(-0.04, 0.04), 5),
            )
            taken = dt.datetime.combine(sc.start, dt.time(0)) + dt.timedelta(
                days=rng.randrange((sc.end - sc.start).days), minutes=rng.randrange(1440)
            )
            make, model = rng.choice(_CAMERAS)
            shades = [[rng.randint(30, 220) for _ in range(12)] for _ in range(9)]
            image = jpeg_with_exif(shades, make, model, taken, gps=(lat, lon))
            extra_files.append((f"/img/{photo}", f"img/{photo}", image, "image/jpeg",
                                "product photo"))  # fmt: skip
            listing = _listing(
                "/img", [(photo, f"{taken:%Y-%m-%d %H:%M}", f"{len(image) / 1024:.1f}K")]
            )
            extra_files.append(("/img/", "img/index.html", listing, "text/html",
                                "open directory listing"))  # fmt: skip
            site["photo_gps"] = [lat, lon]
            site["camera"] = f"{make} {model}"
            title = shop
        elif kind == "scam shop":
            shop = names.shop()
            shop_names[sid] = shop
            analytics = [phisher_pub]
            body = (
                f"<h1>{escape(shop)}</h1>\n<p>Лучшие цены / best prices. Any city, any amount. "
                "100% guarantee, 5000+ happy customers.</p>\n"
                f"<p>Pay to <code>{site['btc']}</code>, coordinates sent automatically.</p>\n"
                f"{traps['scam_extra'].get(sid, '')}"
                f'<p>Support: <a href="mailto:{phisher_mail}">{phisher_mail}</a></p>'
            )
            ssh, server = phisher_ssh, "Apache/2.4.38 (Debian)"
            title = shop
        else:  # malware dropper
            analytics = [phisher_pub]
            exe = "SecureWallet-2.1-setup.exe"
            body = (
                "<h1>SecureWallet 2.1</h1>\n<p>The safest bitcoin wallet for darknet shopping. "
                "Built-in Tor, automatic mixing.</p>\n"
                f'<p><a href="/download/{exe}">Download for Windows</a> (12.4 MB)</p>\n'
                f"<p>Partners and resellers: {traps['dropper_mail']}</p>\n"
                f"<p>Problems? Write to {phisher_mail}.</p>\n"
                f"<p>Support the developers: <code>{traps['dropper_decoy']}</code></p>"
            )
            site["btc_decoys"] = [traps["dropper_decoy"]]
            ssh, server = phisher_ssh, "Apache/2.4.38 (Debian)"
            listing = _listing("/download", [(exe, f"{when:%Y-%m-%d %H:%M}", "12M"),
                                             ("README.txt", f"{when:%Y-%m-%d %H:%M}", "312")])  # fmt: skip
            extra_files.append(("/download/", "download/index.html", listing, "text/html",
                                "open directory listing"))  # fmt: skip
            crawl.rows.append([sid, url, f"/download/{exe}", 200, "application/x-msdownload", ""])
            title = "SecureWallet & Mixer — download"
        html = _page(title, body, analytics)
        crawl.save(sid, url, "/", "index.html", html, "text/html", "front page")
        headers = _headers(rng, when, server, len(html.encode()), powered)
        case.add(f"sites/{sid}/headers.txt", headers, "sites", f"{sid}: HTTP response headers of /")
        crawl.save(sid, url, "/robots.txt", "robots.txt", robots, "text/plain", "robots.txt")
        for path, name, data, ctype, what in extra_files:
            crawl.save(sid, url, path, name, data, ctype, what)
        if status_page:
            crawl.save(sid, url, "/server-status", "server-status.html",
                       _server_status(rng, *status_page, when), "text/html",
                       "Apache mod_status page")  # fmt: skip
        else:
            crawl.rows.append([sid, url, "/server-status", 404, "text/html", ""])
        if ssh:
            banner = f"SSH-2.0-OpenSSH_7.9p1 Debian-10+deb10u2\nED25519 key fingerprint is {ssh}.\n"
            case.add(f"sites/{sid}/ssh_22.txt", banner, "sites",
                     f"{sid}: SSH banner and host key seen on port 22")  # fmt: skip
        listed = {k: tuple(site[k]) for k in _SITE_LISTS if k in site}
        truth_sites[sid] = Site(
            url=url + "/",
            kind=kind,
            operator=site["operator"],
            analytics=tuple(analytics),
            ssh_host_key=ssh,
            imitates=site.get("imitates"),
            clearnet_ip=site.get("clearnet_ip"),
            camera=site.get("camera"),
            btc=site.get("btc"),
            market=site["market"]["slug"] if "market" in site else None,
            **listed,
        )
    crawl.rows.sort(key=lambda r: (r[0], r[2]))
    case.add("sites/crawl.csv", csv_bytes(_CRAWL_HEADER, crawl.rows), "sites",
             "what the crawler fetched from each onion site", len(crawl.rows))  # fmt: skip
    case.truth["sites"] = Sites(
        sites=truth_sites,
        operators={
            "op1": Operator(kind="phisher", handle=case.cast["phisher"]["handle"],
                            email=phisher_mail, clearnet_ip=phisher_ip, ssh_host_key=phisher_ssh,
                            ad_id=phisher_pub,
                            sites=tuple(sorted(s for s, t in truth_sites.items()
                                               if t.operator == "op1"))),
        },
        analytics_trap=AnalyticsTrap(
            id=template_ua,
            sites=tuple(sorted(s for s, t in truth_sites.items() if template_ua in t.analytics)),
            why="shipped by the MarketKit template; shared by sites of different operators",
        ),
        market_analytics=MarketAnalytics(
            id=traps["own_ua"], market=traps["own_ua_market"],
            why="one market's own ID, on its mirrors only: not a template's"),
    )  # fmt: skip


def _traps(case: Case, sites: list[dict], phisher_mail: str) -> dict:
    """Cases that tell careful methods from careless ones, drawn from their own generator.

    - one vendor shop has no SSH banner (a site without ``ssh_22.txt``);
    - one market's mirrors carry the market's own analytics ID besides the template's (an ID
      on several mirrors is a template's only when the mirrors belong to different markets);
    - a scam shop shows a second, legacy payment address ("reserve wallet") between two
      mentions of its main one (order of first appearance, each once);
    - another scam shop shows a mistyped copy of its address (the checksum fails) and
      publishes the key posted on a forum as a vendor's "new key" (not that vendor's market
      key; the collision impostor shares the vendor's short key ID);
    - the dropper shows a Base58Check string with a good checksum but a version byte that is
      no Bitcoin address type, an e-mail with dots and hyphens before a full stop, and an
      ``&`` in its title.
    """
    rng = case.rng("sites-traps")
    markets = case.cast["markets"]
    out = {
        "own_ua_market": rng.choice(markets)["id"],
        "own_ua": f"UA-{_digits(rng, 8)}-1",
        "scam_extra": {},
    }
    shops = sorted(s["id"] for s in sites if s["kind"] == "vendor shop")
    out["no_ssh_shop"] = rng.choice(shops) if shops else None
    scams = sorted((s for s in sites if s["kind"] == "scam shop"), key=lambda s: s["id"])
    if scams:
        first, last = scams[0], scams[-1]
        reserve = addresses.p2pkh(rng.randbytes(20))
        first["btc_extra"] = [reserve]
        extra = (
            f"<p>Wallet busy? Use the reserve wallet <code>{reserve}</code>. Always copy the "
            f"address, never type it: main wallet <code>{first['btc']}</code>.</p>\n"
        )
        typo = _mistyped(rng, last["btc"])
        last["btc_decoys"] = [typo]
        forum = sorted(k for k in case.cast.get("keys", {}) if k.startswith("impostor:"))
        block = ""
        if forum:
            key = case.cast["keys"][forum[0]]["key"]
            last["pgp_keys"] = [key.fingerprint]
            block = f"<h2>Our new PGP key</h2>\n<pre>\n{escape(pgp.armor_public_key(key))}</pre>\n"
        mobile = f"<p>Mobile version, copy from here: {typo}</p>\n{block}"
        out["scam_extra"][first["id"]] = extra
        out["scam_extra"][last["id"]] = out["scam_extra"].get(last["id"], "") + mobile
    local = rng.choice(["sw.partners", "wallet.resellers", "secure.wallet-team"])
    out["dropper_mail"] = f"{local}-{_digits(rng, 3)}@mail.safe-box.example"
    while True:
        decoy = addresses.base58check_encode(bytes([rng.choice((6, 7))]) + rng.randbytes(20))
        if decoy.startswith("3") and not addresses.is_valid(decoy):
            break
    out["dropper_decoy"] = decoy
    return out


def _mistyped(rng, address: str) -> str:
    """``address`` with one character changed, as retyping by hand does: its checksum fails."""
    alphabet = (
        "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
        if address.lower().startswith("bc1")
        else "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    )
    while True:
        at = rng.randrange(8, len(address) - 1)
        typo = address[:at] + rng.choice(alphabet.replace(address[at], "")) + address[at + 1 :]
        if not addresses.is_valid(typo):
            return typo


def _new_onion(rng) -> str:
    return onion.address_from_pubkey(onion.keypair_from_seed(rng.randbytes(32))[1])
