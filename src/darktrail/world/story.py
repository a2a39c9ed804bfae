"""The planted case told as transactions: who pays whom, when, and what the truth records.

Phases (dates relative to the scenario start):

1. day 0-2: a mining pool's coinbases; the pool pays miners and exchange deposit addresses;
   exchanges sweep deposits into hot wallets.
2. weekly until two weeks before the end: exchanges send batched withdrawals to buyers
   (round amounts), buyers pay orders into per-order market escrow addresses, markets sweep
   escrow into a hot wallet and pay vendors in one batch (minus a 5 % commission); a few
   buyers pay vendor shops directly, and some victims pay a phishing clone.
3. cash-out: a dusting spammer tags used addresses; the suspect consolidates and peels
   toward exchange deposit addresses, then sells the rest to an OTC exchanger, who deposits
   at an exchange; another vendor mixes through a CoinJoin, then deposits; other vendors
   deposit directly; the phisher cashes out; exchanges sweep their deposits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..bitcoin import COIN, DUST, input_vsize
from .case import Case
from .ledger import Ledger, add_files
from .prices import price_on
from .truth import (
    AddressOwner,
    BatchedPayout,
    CashOut,
    ChangeTrap,
    CoinJoin,
    CoinJoinParticipant,
    DustAttack,
    Entity,
    MoneyTrail,
    Order,
    OtcTrade,
    PeelChain,
    PeelHop,
    PhishingPayment,
    ShopPayment,
    Sweep,
)

__all__ = ["Trail", "build", "tell"]

_WALLET_TYPES = ("v0_p2wpkh", "v0_p2wpkh", "p2sh", "p2pkh")


def build(case: Case) -> None:
    """Build the classroom ledger (the planted case), add the ``ledger/`` files and record
    the money trail in ``case.truth["ledger"]``."""
    rng = case.rng("ledger")
    ledger = Ledger(case, rng)
    trail = tell(case, ledger, rng)
    case.cast["ledger"] = ledger
    add_files(case, ledger, trail.core_samples)
    case.truth["ledger"] = trail.record(ledger)


@dataclass
class Trail:
    """The money trail while the story is told; :meth:`record` freezes it."""

    sweeps: list[Sweep] = field(default_factory=list)
    batched_payouts: list[BatchedPayout] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    peel_chains: list[PeelChain] = field(default_factory=list)
    cashouts: list[CashOut] = field(default_factory=list)
    otc: list[OtcTrade] = field(default_factory=list)
    dust: DustAttack | None = None
    coinjoin: CoinJoin | None = None
    phishing_payments: list[PhishingPayment] = field(default_factory=list)
    shop_payments: list[ShopPayment] = field(default_factory=list)
    change_traps: list[ChangeTrap] = field(default_factory=list)
    core_samples: list[str] = field(default_factory=list)

    def record(self, ledger: Ledger) -> MoneyTrail:
        """The trail as the truth keeps it, with the owner of every address of ``ledger``."""
        return MoneyTrail(
            sweeps=tuple(self.sweeps),
            batched_payouts=tuple(self.batched_payouts),
            orders=tuple(self.orders),
            peel_chains=tuple(self.peel_chains),
            cashouts=tuple(self.cashouts),
            otc=tuple(self.otc),
            dust=self.dust,
            coinjoin=self.coinjoin,
            phishing_payments=tuple(self.phishing_payments),
            shop_payments=tuple(self.shop_payments),
            change_traps=tuple(self.change_traps),
            core_samples=tuple(self.core_samples),
            addresses={a: AddressOwner(**info) for a, info in sorted(ledger.addresses.items())},
            entities={e: Entity(**info) for e, info in ledger.entities.items()},
        )


def _round_up(sats: int, step: int) -> int:
    return -(-sats // step) * step


def tell(case: Case, ledger: Ledger, rng) -> Trail:
    """Run the story on ``ledger``; return the planted patterns."""
    sc = case.scenario
    params = sc["ledger"]
    start = ledger.start
    days = (sc.end - sc.start).days + 1

    def at(day: float, hour: float = 0.0) -> dt.datetime:
        return start + dt.timedelta(days=day, hours=hour, minutes=rng.randrange(60))

    trail = Trail()

    # --- cast as wallets --------------------------------------------------------------
    ledger.entity("pool", "miner", "mining pool", "p2pkh")
    miners = [ledger.entity(f"miner{i}", "miner", f"miner {i}", "v0_p2wpkh") for i in (1, 2)]
    exchanges = []
    for ex in case.cast["exchanges"]:
        hot_type = rng.choice(("p2sh", "v0_p2wpkh", "p2pkh"))
        ledger.entity(ex["id"], "exchange", ex["name"], hot_type)
        ledger.wallet(f"{ex['id']}/deposit", ex["id"], rng.choice(("p2sh", "v0_p2wpkh")))
        exchanges.append(ex["id"])
    markets = {}
    for m in case.cast["markets"]:
        ledger.entity(m["id"], "market", m["name"], rng.choice(_WALLET_TYPES))
        ledger.wallet(f"{m['id']}/escrow", m["id"], rng.choice(("p2sh", "v0_p2wsh", "p2pkh")))
        markets[m["slug"]] = m["id"]
    vendors = {v["id"]: v for v in case.cast["vendors"]}
    for v in vendors.values():
        ledger.entity(v["id"], "vendor", v["accounts"][0]["handle"], rng.choice(_WALLET_TYPES))
    buyers = [
        ledger.entity(f"b{i + 1}", "buyer", f"buyer {i + 1}", rng.choice(_WALLET_TYPES))
        for i in range(max(1, params["n_buyers"]))
    ]
    buyer_exchange = {b: rng.choice(exchanges) for b in buyers}
    n_mixers = max(1, params["coinjoin_participants"] - 1)
    mixers = [
        ledger.entity(f"cj{i + 1}", "mixer", f"coinjoin user {i + 1}", "v0_p2wpkh")
        for i in range(n_mixers)
    ]
    otc = ledger.entity("otc1", "otc", case.cast["otc"]["name"], rng.choice(("p2pkh", "p2sh")))
    spammer = ledger.entity("dust1", "spammer", "dusting spammer", "p2pkh")
    phisher = ledger.entity("op1", "scammer", case.cast["phisher"]["handle"], "v0_p2wpkh")
    suspect = case.cast["suspect"]
    mixing_vendor = next(v for v in vendors if v != suspect)

    # --- phase 1: mining and exchange funding -----------------------------------------
    for i in range(3):
        ledger.coinbase("pool", start + dt.timedelta(minutes=10 * i + 1), rng.randint(2, 9) * 10**7)
    payouts = []
    for ex in exchanges:
        address, script = ledger.address(f"{ex}/deposit", "deposit")
        payouts.append((address, script, rng.randint(900, 1100) * COIN // 100))
    for miner in miners:
        address, script = ledger.address(miner, "receive")
        payouts.append((address, script, rng.randint(50, 200) * COIN // 100))
    tx = ledger.spend("pool", payouts, at(1, 2))
    trail.batched_payouts.append(BatchedPayout(tx["txid"], "pool", len(payouts)))
    for ex in exchanges:
        _sweep(ledger, ex, at(1, 8), trail)

    # --- phase 2: weekly trade --------------------------------------------------------
    listings = case.cast.get("listings") or []
    by_account = defaultdict(list)
    for item in listings:
        by_account[(item["vendor"], item["market"])].append(item)
    accounts = sorted(by_account)
    weights = [len(by_account[a]) for a in accounts]
    trade_days = max(7, days - 16)
    weeks = list(range(2, trade_days, 7))
    orders_left = params["n_orders"]
    shop_vendors = rng.sample(sorted(vendors), min(len(vendors), sc["sites"]["vendor_shops"]))
    shop_addresses = {v: ledger.address(v, "shop") for v in shop_vendors}
    phishing_address = ledger.address(phisher, "phishing-payment")
    scam_addresses = [
        ledger.address(phisher, "scam-shop") for _ in range(sc["sites"]["scam_shops"])
    ]
    case.cast["shop_addresses"] = {v: a for v, (a, _) in shop_addresses.items()}
    case.cast["phishing_address"] = phishing_address[0]
    case.cast["scam_addresses"] = [a for a, _ in scam_addresses]
    for w, week_start in enumerate(weeks):
        n_week = orders_left // (len(weeks) - w)
        orders_left -= n_week
        week_orders = []
        for _ in range(n_week):
            account = rng.choices(accounts, weights)[0] if accounts else None
            item = rng.choice(by_account[account]) if account else None
            usd = item["usd"] if item else rng.uniform(30, 300)
            day = week_start + rng.uniform(1, 5)
            btc = int(usd / price_on(case, start + dt.timedelta(days=day))["usd"] * COIN)
            week_orders.append(
                {"buyer": rng.choice(buyers), "account": account, "item": item,
                 "sats": btc, "day": day, "kind": "order"}
            )  # fmt: skip
        # Direct shop orders and phishing victims (paid outside the market's escrow).
        for vendor_id in shop_vendors:
            if rng.random() < 0.6:
                usd = rng.uniform(40, 250)
                week_orders.append({"buyer": rng.choice(buyers), "sats": int(usd / 8000 * COIN),
                                    "day": week_start + rng.uniform(1, 5), "kind": "shop",
                                    "vendor": vendor_id})  # fmt: skip
        if w >= 1:
            for _ in range(rng.randint(1, 2)):
                week_orders.append({"buyer": rng.choice(buyers),
                                    "sats": rng.randint(8, 40) * 100_000,
                                    "day": week_start + rng.uniform(1, 5), "kind": "phishing"})  # fmt: skip
        # Exchanges pay out to this week's buyers (and, the first week, other customers).
        needs = defaultdict(int)
        for order in week_orders:
            needs[order["buyer"]] += order["sats"] + 30_000
        by_exchange = defaultdict(list)
        for buyer in sorted(needs):
            address, script = ledger.address(buyer, "receive")
            by_exchange[buyer_exchange[buyer]].append(
                (address, script, _round_up(needs[buyer], 100_000))
            )
        if w == 0:
            # The first CoinJoin user asks for two withdrawals (two addresses); see below.
            for who in [*mixers, mixers[0], spammer]:
                address, script = ledger.address(who, "receive")
                by_exchange[rng.choice(exchanges)].append(
                    (address, script, rng.randint(14, 40) * COIN // 100)
                )
        for ex in sorted(by_exchange):
            tx = ledger.spend(ex, by_exchange[ex], at(week_start, 9))
            trail.batched_payouts.append(BatchedPayout(tx["txid"], ex, len(by_exchange[ex])))
        # Orders.
        sales = defaultdict(int)
        for order in sorted(week_orders, key=lambda o: o["day"]):
            when = start + dt.timedelta(days=order["day"])
            if order["kind"] == "order":
                vendor_id, market_slug = order["account"]
                market = markets[market_slug]
                address, script = ledger.address(f"{market}/escrow", "escrow")
                tx = ledger.spend(order["buyer"], [(address, script, order["sats"])], when)
                sales[(market, vendor_id, market_slug)] += order["sats"]
                trail.orders.append(
                    Order(txid=tx["txid"], buyer=order["buyer"], market=market_slug,
                          vendor=vendor_id, listing_id=order["item"]["listing_id"]
                          if order["item"] else None, sats=order["sats"])
                )  # fmt: skip
            elif order["kind"] == "shop":
                address, script = shop_addresses[order["vendor"]]
                tx = ledger.spend(order["buyer"], [(address, script, order["sats"])], when)
                trail.shop_payments.append(
                    ShopPayment(tx["txid"], order["vendor"], address, order["sats"])
                )
            else:
                address, script = phishing_address
                tx = ledger.spend(order["buyer"], [(address, script, order["sats"])], when)
                trail.phishing_payments.append(
                    PhishingPayment(tx["txid"], order["buyer"], address, order["sats"])
                )
        # Markets sweep escrow and pay vendors in one batch.
        for market in sorted({m for m, _, _ in sales}):
            if ledger.wallets[f"{market}/escrow"]:
                tx = ledger.spend(market, [(*ledger.address(market, "hot"), 0)], at(week_start, 150),
                                  coins=list(ledger.wallets[f"{market}/escrow"]), sweep=True)  # fmt: skip
                trail.sweeps.append(Sweep(tx["txid"], market, len(tx["vin"])))
            batch = []
            for (mk, vendor_id, slug), sats in sorted(sales.items()):
                if mk != market:
                    continue
                handle = next(a["handle"] for a in vendors[vendor_id]["accounts"]
                              if a["market"] == slug)  # fmt: skip
                address, script = ledger.address(vendor_id, f"market-withdrawal:{slug}/{handle}")
                batch.append((address, script, sats * 95 // 100))
            tx = ledger.spend(market, batch, at(week_start, 160))
            trail.batched_payouts.append(BatchedPayout(tx["txid"], market, len(batch)))

    # --- phase 3: cash-out ------------------------------------------------------------
    cash_day = trade_days + 1
    targets = [a for a, info in ledger.addresses.items()
               if info["kind"] in ("vendor", "buyer") and info["role"] != "shop"]  # fmt: skip
    dusted = rng.sample(sorted(targets), min(len(targets), params["dust_outputs"]))
    victims = [(a, bytes.fromhex(_script_of(ledger, a)), DUST) for a in dusted]
    if victims:
        tx = ledger.spend(spammer, victims, at(cash_day - 1, 3))
        trail.dust = DustAttack(tx["txid"], tuple(dusted), DUST)

    # The suspect: consolidate, peel toward exchange deposits, sell the rest to the OTC desk.
    coins = [u for u in ledger.wallets[suspect] if u.value > DUST]
    tx = ledger.spend(suspect, [(*ledger.address(suspect, "consolidation"), 0)], at(cash_day, 10),
                      coins=coins, sweep=True)  # fmt: skip
    hops, t = [], at(cash_day, 12)
    for _ in range(params["peel_hops"]):
        utxo = ledger.wallets[suspect][-1]  # the consolidated coin, then each hop's change
        ex = rng.choice(exchanges)
        pay = max(DUST * 10, (utxo.value * rng.randint(6, 14) // 100) // 100_000 * 100_000)
        deposit = ledger.address(f"{ex}/deposit", "deposit")
        current = ledger.spend(suspect, [(*deposit, pay)], t, coins=[utxo])
        hops.append(PeelHop(current["txid"], ex, deposit[0], pay))
        trail.cashouts.append(CashOut(txid=current["txid"], vendor=suspect, exchange=ex,
                                      address=deposit[0], sats=pay, via="peel chain",
                                      fifo_sats=pay))  # fmt: skip
        t += dt.timedelta(hours=rng.randint(3, 20))
    trail.peel_chains.append(PeelChain(suspect, tx["txid"], tuple(hops)))
    # The desk first buys coins from another seller (a miner): clean coins it holds already.
    seller = max(miners, key=lambda m: (ledger.balance(m), m))
    seller_coin = max(ledger.wallets[seller], key=lambda u: (u.value, u.txid))
    selling = ledger.wallets[suspect][-1].value  # what the vendor is about to sell the desk
    bought = min(seller_coin.value * 3 // 4, selling * rng.randint(30, 90) // 100)
    bought = max(100_000, bought // 100_000 * 100_000)
    desk_in = ledger.address(otc, "receive")
    seller_tx = ledger.spend(seller, [(*desk_in, bought)], t - dt.timedelta(hours=rng.randint(2, 9)),
                             coins=[seller_coin])  # fmt: skip
    trail.otc.append(OtcTrade(seller_tx["txid"], seller=seller, address=desk_in[0], sats=bought))
    otc_address = ledger.address(otc, "receive")
    utxo = ledger.wallets[suspect][-1]
    otc_tx = ledger.spend(suspect, [(*otc_address, 0)], t, coins=[utxo], sweep=True)
    sold = otc_tx["vout"][0]["value"]
    trail.otc.append(OtcTrade(otc_tx["txid"], seller=suspect, address=otc_address[0], sats=sold))
    # The desk deposits part of what it holds in one payment, its older (clean) coin first,
    # and keeps the rest as change: FIFO, haircut and poison give three different figures.
    clean = ledger.take(otc, seller_tx["txid"], desk_in[0])
    dirty = ledger.take(otc, otc_tx["txid"], otc_address[0])
    paid = (clean.value + dirty.value * rng.randint(30, 80) // 100) // 100_000 * 100_000
    if not clean.value < paid < clean.value + dirty.value - 100_000:
        paid = clean.value + dirty.value // 2
    ex = rng.choice(exchanges)
    deposit = ledger.address(f"{ex}/deposit", "deposit")
    tx = ledger.spend(otc, [(*deposit, paid)], t + dt.timedelta(hours=rng.randint(2, 30)),
                      coins=[clean, dirty], change_at=1)  # fmt: skip
    trail.cashouts.append(CashOut(txid=tx["txid"], vendor=suspect, exchange=ex,
                                  address=deposit[0], sats=paid, via="otc",
                                  fifo_sats=paid - clean.value))  # fmt: skip
    case.cast["seized_refs"] = {
        "otc_address": otc_address[0],
        "otc_btc": f"{sold / COIN:.8f}",
        "otc_txid": otc_tx["txid"],
        "otc_time": otc_tx["status"]["block_time"],
        "otc_kzt_price": price_on(case, t)["kzt"],
        "deposit_address": hops[0].deposit_address if hops else deposit[0],
        "wallet": _wallet_history(ledger, suspect),
    }

    # Before mixing, the first CoinJoin user tops up an exchange account from both coins and
    # sends the change back to the first coin's address (a careless wallet): the two addresses
    # form one careful cluster, which the naive cluster of the CoinJoin then swallows whole.
    reuser = mixers[0]
    both = sorted(ledger.wallets[reuser], key=lambda u: (u.txid, u.vout))
    if len(both) >= 2:
        top_up = min(u.value for u in both) * rng.randint(30, 60) // 100 // 100_000 * 100_000
        ex = rng.choice(exchanges)
        deposit = ledger.address(f"{ex}/deposit", "deposit")
        back = (both[0].address, both[0].script)
        tx = ledger.spend(reuser, [(*deposit, max(top_up, 100_000))], at(cash_day + 1, 9),
                          coins=both, change_to=back)  # fmt: skip
        trail.cashouts.append(CashOut(txid=tx["txid"], vendor=None, entity=reuser,
                                      exchange=ex, address=deposit[0],
                                      sats=max(top_up, 100_000), via="direct"))  # fmt: skip

    # Another vendor mixes through a CoinJoin, then deposits the mixed coin.
    _coinjoin(case, ledger, rng, mixing_vendor, mixers, at(cash_day + 2, 14), exchanges, trail)

    # One vendor first sells part of their coins: two coins, each larger than the round
    # deposit, so the change is larger than the smaller input and the deposit the only
    # output below it: optimal change (and nothing else) takes the deposit for the change.
    for vendor_id in sorted(vendors):
        coins = sorted((u for u in ledger.wallets[vendor_id] if u.value > 200_000),
                       key=lambda u: (-u.value, u.txid, u.vout))[:2]  # fmt: skip
        if vendor_id in (suspect, mixing_vendor) or len(coins) < 2:
            continue
        pay = coins[1].value * rng.randint(30, 70) // 100 // 100_000 * 100_000 or 100_000
        ex = rng.choice(exchanges)
        deposit = ledger.address(f"{ex}/deposit", "deposit")
        tx = ledger.spend(vendor_id, [(*deposit, pay)], at(cash_day + rng.randint(1, 3), 16),
                          coins=coins)  # fmt: skip
        trail.cashouts.append(CashOut(txid=tx["txid"], vendor=vendor_id, exchange=ex,
                                      address=deposit[0], sats=pay, via="partial"))  # fmt: skip
        paid_to = [o.get("scriptpubkey_address") for o in tx["vout"]].index(deposit[0])
        trail.change_traps.append(ChangeTrap(tx["txid"], payment_vout=paid_to,
                                             change_vout=1 - paid_to,
                                             fools=("optimal change",)))  # fmt: skip
        break

    # Other vendors deposit directly; the phisher cashes out.
    for vendor_id in sorted(vendors):
        if vendor_id in (suspect, mixing_vendor) or not ledger.wallets[vendor_id]:
            continue
        coins = [u for u in ledger.wallets[vendor_id] if u.value > DUST]
        if not coins or rng.random() < 0.3:
            continue
        ex = rng.choice(exchanges)
        deposit = ledger.address(f"{ex}/deposit", "deposit")
        tx = ledger.spend(vendor_id, [(*deposit, 0)], at(cash_day + rng.randint(1, 8), 11),
                          coins=coins, sweep=True)  # fmt: skip
        trail.cashouts.append(CashOut(txid=tx["txid"], vendor=vendor_id, exchange=ex,
                                      address=deposit[0], sats=tx["vout"][0]["value"],
                                      via="direct"))  # fmt: skip
    if ledger.wallets[phisher]:
        ex = rng.choice(exchanges)
        deposit = ledger.address(f"{ex}/deposit", "deposit")
        tx = ledger.spend(phisher, [(*deposit, 0)], at(cash_day + 3, 22), sweep=True,
                          coins=list(ledger.wallets[phisher]))  # fmt: skip
        trail.cashouts.append(CashOut(txid=tx["txid"], vendor=None, entity=phisher,
                                      exchange=ex, address=deposit[0],
                                      sats=tx["vout"][0]["value"], via="direct"))  # fmt: skip
    for ex in exchanges:
        _sweep(ledger, ex, at(days - 2, 4), trail)
    trail.core_samples = [trail.peel_chains[0].hops[0].txid] if hops else []
    trail.core_samples.append(trail.batched_payouts[1].txid)
    return trail


def _script_of(ledger: Ledger, address: str) -> str:
    for tx in reversed(ledger.txs):
        for out in tx["vout"]:
            if out.get("scriptpubkey_address") == address:
                return out["scriptpubkey"]
    raise KeyError(address)


def _sweep(ledger: Ledger, exchange: str, when: dt.datetime, trail: Trail) -> None:
    coins = list(ledger.wallets[f"{exchange}/deposit"])
    if not coins:
        return
    tx = ledger.spend(exchange, [(*ledger.address(exchange, "hot"), 0)], when, coins=coins,
                      sweep=True)  # fmt: skip
    trail.sweeps.append(Sweep(tx["txid"], exchange, len(coins)))


def _wallet_history(ledger: Ledger, wallet_id: str) -> list[tuple[str, int, int]]:
    """(txid, net value for the wallet, block time) of every transaction touching it."""
    mine = {a for a, info in ledger.addresses.items() if info["wallet"] == wallet_id}
    rows = []
    for tx in ledger.txs:
        value = sum(o["value"] for o in tx["vout"] if o.get("scriptpubkey_address") in mine)
        value -= sum(
            i["prevout"]["value"]
            for i in tx["vin"]
            if i["prevout"] and i["prevout"]["scriptpubkey_address"] in mine
        )
        touched = any(o.get("scriptpubkey_address") in mine for o in tx["vout"]) or any(
            i["prevout"] and i["prevout"]["scriptpubkey_address"] in mine for i in tx["vin"]
        )
        if touched:
            rows.append((tx["txid"], value, tx["status"]["block_time"]))
    return rows


def _coinjoin(case, ledger, rng, vendor_id, mixers, when, exchanges, trail: Trail) -> None:
    """One CoinJoin: k participants, k equal outputs, at most k change outputs."""
    coins = {vendor_id: [u for u in ledger.wallets[vendor_id] if u.value > DUST]}
    for m in mixers:
        coins[m] = list(ledger.wallets[m])
    smallest = min(sum(u.value for u in c) for c in coins.values())
    denomination = max(DUST * 20, (smallest * 8 // 10) // 100_000 * 100_000)
    feerate = rng.randint(5, 15)
    outputs, inputs, per = [], [], []
    for who in [vendor_id, *mixers]:
        mine = coins[who]
        vbytes = sum(input_vsize(u.stype) for u in mine) + 31 * 2
        fee = feerate * vbytes
        change = sum(u.value for u in mine) - denomination - fee
        equal = ledger.address(who, "coinjoin-output", "v0_p2wpkh")
        outputs.append((denomination, equal[1], equal[0]))
        if change >= DUST:
            ch = ledger.address(who, "change", mine[0].stype)
            outputs.append((change, ch[1], ch[0]))
        inputs.extend(mine)
        per.append(CoinJoinParticipant(entity=who, equal_output=equal[0], inputs=len(mine)))
    rng.shuffle(outputs)
    total_in = sum(u.value for u in inputs)
    fee = total_in - sum(v for v, _, _ in outputs)
    for who in coins:
        spent = {(u.txid, u.vout) for u in coins[who]}
        ledger.wallets[who] = [u for u in ledger.wallets[who] if (u.txid, u.vout) not in spent]
    rng.shuffle(inputs)
    tx = ledger._emit(inputs, outputs, when, fee=fee)
    trail.coinjoin = CoinJoin(tx["txid"], denomination, tuple(per))
    # The vendor deposits the mixed coin at an exchange.
    mixed = next(p.equal_output for p in per if p.entity == vendor_id)
    utxo = ledger.take(vendor_id, tx["txid"], mixed)
    ex = rng.choice(exchanges)
    deposit = ledger.address(f"{ex}/deposit", "deposit")
    tx2 = ledger.spend(vendor_id, [(*deposit, 0)], when + dt.timedelta(hours=rng.randint(5, 40)),
                       coins=[utxo], sweep=True)  # fmt: skip
    trail.cashouts.append(CashOut(txid=tx2["txid"], vendor=vendor_id, exchange=ex,
                                  address=deposit[0], sats=tx2["vout"][0]["value"],
                                  via="coinjoin"))  # fmt: skip
