"""Following USDT on TRON: the flow graph, funds hop by hop, deposit addresses, fee funders.

How account-model tracing differs from UTXO tracing
---------------------------------------------------
Bitcoin (:mod:`darktrail.trace`) moves *coins*: a transaction spends whole earlier outputs
and creates new ones, so every satoshi has a path, and two heuristics do most of the work:
the inputs spent together probably belong to one wallet (common-input clustering), and one
output of a payment is usually the sender's change. TRON, like Ethereum, keeps *accounts*:
an address has a balance per token, and a TRC-20 ``Transfer`` lowers one balance and raises
another. That changes what an investigator can and cannot conclude:

* **No change outputs.** A payment of 250 USDT moves exactly 250 USDT; the rest stays in
  the sender's balance under the same address. There is nothing to guess about change, and
  no fresh change address to link: wallets reuse one address for years.
* **No common-input clustering.** A transfer has exactly one sender. Two addresses are never
  tied together by being spent together, so clustering must come from elsewhere.
* **Funds mix inside a balance.** Once 250 USDT from a buyer joins a balance of 10,000, no
  rule of the chain says which 250 leave next. An attribution rule has to be chosen:
  :func:`follow_funds` uses **first in, first out** (see its Notes).
* **What links addresses instead:** the *TRX that pays the fees*. Sending USDT costs energy
  and bandwidth, paid by burning TRX (or by staked or rented energy), so a fresh wallet
  usually receives some TRX before its first USDT transfer; addresses topped up by the
  same funder, often minutes apart and with the same
  amount, are probably run by one operator (:func:`fee_funders`, :func:`shared_fee_funders`).
  *Timing* (a wallet that always moves within minutes of another's receipts, or at the same
  hours) and *amounts* (the exact sum in, the exact sum out, round figures, an exchanger's
  order of 1,000 USDT met by a transfer of 1,000 USDT) do the rest. Exchanges and exchangers
  show the pattern of :func:`deposit_addresses`: many senders, swept onward quickly and
  almost entirely to one hot wallet.
* **Issuers can freeze.** Tether can blacklist an address in the USDT contract; what a freeze
  request must name is the addresses and the amounts they still hold, as of a given time
  (:attr:`FundsTrace.held`).

All of these are heuristics: they encode what operators usually do, not what they must do.
A cluster, a deposit address or a traced amount is a lead to corroborate, never proof.
"""

from __future__ import annotations

import bisect
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import networkx as nx
import pandas as pd

from darktrail.tron.transfers import TRANSFER_COLUMNS, read_trc20_transfers, read_trx_transfers

__all__ = [
    "FundsTrace",
    "balances",
    "deposit_addresses",
    "fee_funders",
    "flow_graph",
    "follow_funds",
    "shared_fee_funders",
]


# --------------------------------------------------------------------------- the graph


def flow_graph(transfers: pd.DataFrame | Any) -> nx.MultiDiGraph:
    """Build the account-model flow graph: addresses as nodes, one edge per token transfer.

    Parameters
    ----------
    transfers : pandas.DataFrame or records
        A frame from :func:`~darktrail.tron.transfers.read_trc20_transfers`, or records it
        can read.

    Returns
    -------
    networkx.MultiDiGraph
        An edge ``from -> to`` per transfer, keyed ``"<transaction_id>:<n>"`` (``n`` counts
        transfers within one transaction), with attributes ``amount`` (int, smallest unit),
        ``time`` (UTC), ``transaction_id``, ``token`` (symbol), ``token_address``,
        ``decimals`` and ``order`` (position in time order). ``graph.graph["tokens"]`` maps
        each token contract to its symbol and decimals.

    Raises
    ------
    ValueError
        If a frame lacks one of the transfer columns.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "transaction_id": ["aa" * 32, "bb" * 32], "time": pd.to_datetime(
    ...         ["2024-06-10 06:00", "2024-06-10 06:05"], utc=True),
    ...     "from": ["buyer", "shop"], "to": ["shop", "exchanger"],
    ...     "value": [250_000_000, 250_000_000], "token": "USDT",
    ...     "token_address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "decimals": 6})
    >>> graph = flow_graph(frame)
    >>> [(u, v, d["amount"]) for u, v, d in graph.edges(data=True)]
    [('buyer', 'shop', 250000000), ('shop', 'exchanger', 250000000)]
    """
    frame = transfers if isinstance(transfers, pd.DataFrame) else read_trc20_transfers(transfers)
    missing = [c for c in TRANSFER_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"flow_graph: the transfer frame lacks column(s) {', '.join(missing)}")
    frame = frame.sort_values("time", kind="stable")
    graph = nx.MultiDiGraph()
    graph.graph["tokens"] = {}
    counts: dict[str, int] = defaultdict(int)
    columns = [frame[c].tolist() for c in TRANSFER_COLUMNS]
    for order, (txid, time, sender, recipient, value, token, contract, decimals) in enumerate(
        zip(*columns, strict=True)
    ):
        key = f"{txid}:{counts[txid]}"
        counts[txid] += 1
        graph.graph["tokens"][contract] = {"symbol": token, "decimals": int(decimals)}
        graph.add_edge(
            sender,
            recipient,
            key=key,
            transaction_id=txid,
            time=time,
            amount=int(value),
            token=token,
            token_address=contract,
            decimals=int(decimals),
            order=order,
        )
    return graph


def _token(graph: nx.MultiDiGraph, token: str | None) -> tuple[str, str, int]:
    """Resolve ``token`` (symbol, contract, or None when the graph holds one token)."""
    tokens: dict[str, dict[str, Any]] = graph.graph.get("tokens") or {
        d["token_address"]: {"symbol": d["token"], "decimals": d["decimals"]}
        for _, _, d in graph.edges(data=True)
    }
    if token is None:
        if len(tokens) != 1:
            names = ", ".join(f"{v['symbol']} ({k})" for k, v in tokens.items()) or "none"
            raise ValueError(f"the graph holds {len(tokens)} tokens ({names}): say which one")
        (contract,) = tokens
    else:
        matches = [k for k, v in tokens.items() if token in (k, v["symbol"])]
        if len(matches) != 1:
            found = "no" if not matches else "several"
            raise ValueError(f"token {token!r}: {found} token in the graph matches")
        (contract,) = matches
    return contract, tokens[contract]["symbol"], int(tokens[contract]["decimals"])


def _time(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {value!r} is not a date or time") from None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _edges(graph: nx.MultiDiGraph, contract: str) -> list[tuple[str, str, dict[str, Any]]]:
    edges = [(u, v, d) for u, v, d in graph.edges(data=True) if d["token_address"] == contract]
    return sorted(edges, key=lambda e: (e[2]["time"], e[2].get("order", 0)))


def balances(graph: nx.MultiDiGraph, as_of: Any = None, *, token: str | None = None) -> pd.Series:
    """Return each address's balance of a token from the transfers alone, as of a time.

    In the account model a balance is what came in minus what went out. Computed from a
    partial set of records it can come out negative: that address received funds the
    records do not show (compare with :func:`~darktrail.tron.transfers.read_accounts`).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        From :func:`flow_graph`.
    as_of : str or datetime, optional
        Count transfers up to this time (inclusive; a time without a zone is UTC).
    token : str, optional
        Symbol or contract; needed when the graph holds several tokens.

    Returns
    -------
    pandas.Series
        Python ints in the smallest unit, indexed by address, largest first.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "transaction_id": ["aa" * 32, "bb" * 32], "time": pd.to_datetime(
    ...         ["2024-06-10 06:00", "2024-06-10 06:05"], utc=True),
    ...     "from": ["buyer", "shop"], "to": ["shop", "exchanger"],
    ...     "value": [250, 200], "token": "USDT",
    ...     "token_address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "decimals": 6})
    >>> balances(flow_graph(frame)).to_dict()
    {'exchanger': 200, 'shop': 50, 'buyer': -250}
    """
    contract, _, _ = _token(graph, token)
    until = _time(as_of, "as_of")
    totals: dict[str, int] = defaultdict(int)
    for sender, recipient, edge in _edges(graph, contract):
        if until is not None and edge["time"] > until:
            break
        totals[sender] -= edge["amount"]
        totals[recipient] += edge["amount"]
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return pd.Series(
        [v for _, v in ordered], index=[a for a, _ in ordered], dtype=object, name="balance"
    )


# --------------------------------------------------------------------------- following funds


@dataclass
class FundsTrace:
    """Where the funds that reached the start addresses went, hop by hop (:func:`follow_funds`).

    Attributes
    ----------
    start : tuple of str
        The addresses whose receipts are followed.
    token, token_address : str
        Symbol and contract of the token followed.
    decimals : int
        The token's decimal places (for :func:`~darktrail.tron.transfers.token_units`).
    since, until : pandas.Timestamp or None
        The window of receipts at the start addresses that were followed.
    as_of : pandas.Timestamp or None
        Time of the last transfer taken into account: ``held`` is the state then.
    total : int
        Amount followed, in the smallest unit: the sum of ``sources.amount``.
    sources : pandas.DataFrame
        The receipts from outside that were followed: ``transaction_id, time, from, to,
        amount``.
    hops : pandas.DataFrame
        One row per transfer (and hop number) that carried followed funds: ``hop,
        transaction_id, time, from, to, amount, followed``. Hop 1 leaves the start
        addresses; hop 0 rows are moves among them. ``followed`` is False where the funds
        reached a stop address or ``max_hops``.
    held : pandas.DataFrame
        Where the followed funds are at ``as_of``: ``address, amount, followed``, largest
        first. ``held.amount.sum() == total`` always (amounts are conserved).
    shortfalls : pandas.DataFrame
        Transfers whose sender had sent more than the records show it receiving:
        ``transaction_id, time, address, amount`` (the missing amount, counted as funds of
        unknown origin). Expected for addresses at the edge of the data (buyers).
    """

    start: tuple[str, ...]
    token: str
    token_address: str
    decimals: int
    since: pd.Timestamp | None
    until: pd.Timestamp | None
    as_of: pd.Timestamp | None
    total: int
    sources: pd.DataFrame
    hops: pd.DataFrame
    held: pd.DataFrame
    shortfalls: pd.DataFrame

    @property
    def conserved(self) -> bool:
        """True when the amounts held add up to the amount followed (they always should)."""
        return int(sum(self.held["amount"])) == self.total

    def held_by(self, address: str) -> int:
        """Return the followed amount ``address`` holds at ``as_of`` (0 if none)."""
        return int(sum(self.held.loc[self.held["address"] == address, "amount"]))


def follow_funds(
    graph: nx.MultiDiGraph,
    start: str | Iterable[str],
    since: Any = None,
    *,
    until: Any = None,
    senders: Iterable[str] | None = None,
    token: str | None = None,
    stop_at: Iterable[str] = (),
    max_hops: int | None = None,
) -> FundsTrace:
    """Follow the funds that reached ``start`` onward, hop by hop, first in, first out.

    Every transfer in the graph (of the token) is replayed in time order, keeping each
    address's balance as a queue of lots. What arrives at a start address in the window
    from outside them (from ``senders``, if given) is marked as *followed*; when an address sends, the
    oldest lots leave first, and the followed part of them moves to the recipient as the
    next hop. Transfers before ``since`` are replayed too: they make up the older balance
    that, under first in first out, leaves before the followed funds.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        From :func:`flow_graph`.
    start : str or iterable of str
        The address whose receipts to follow (a shop's wallet, say), or several addresses
        of one owner (all the shop's wallets): moves among them are hop 0, not a hop.
    since, until : str or datetime, optional
        Follow receipts at the start addresses from ``since`` and up to ``until`` (inclusive). A time
        without a zone is UTC. Transfers after ``until`` are not replayed at all: ``held``
        is the state as of ``until`` (or of the last transfer).
    senders : iterable of str, optional
        Follow only receipts from these addresses (the buyers' payments, say).
    token : str, optional
        Symbol or contract address; needed when the graph holds several tokens.
    stop_at : iterable of str, default ()
        Addresses where following stops: funds that reach them are counted as held there
        and not followed further. Use it for exchange hot wallets and other pooled
        accounts, whose outflows belong to their customers, not to the funds followed.
    max_hops : int, optional
        Stop following after this many hops (funds are held where the last hop put them).

    Returns
    -------
    FundsTrace
        The sources, the hops, what is held where, and any shortfalls.

    Raises
    ------
    ValueError
        If a start address is not in the graph or is a stop address, the token is ambiguous, a
        time cannot be read, or ``max_hops`` is not a positive integer.

    Notes
    -----
    *Why first in, first out.* Account balances mix, so some attribution rule is needed.
    FIFO (Clayton's rule for mixed bank accounts) is the usual choice in asset-tracing and
    chain-analysis practice. It attributes whole amounts in the token's smallest unit, so
    every figure is an exact integer and the total is conserved to the unit; a
    proportional (haircut) rule would split each transfer into fractions of a unit that
    must be rounded. FIFO also tells a story one can check against the evidence: "the 250
    USDT that left at 06:05 were the buyer's payment of 06:00". Where that matters,
    compare with a proportional reading before asserting it.

    Transfers with the same timestamp (one block) are replayed so that a sender is first
    given what it receives in the block, whatever order the records came in.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "transaction_id": [c * 64 for c in "abcd"], "time": pd.to_datetime(
    ...         ["2024-06-01 00:00", "2024-06-10 06:00", "2024-06-10 07:00", "2024-06-10 08:00"],
    ...         utc=True),
    ...     "from": ["old", "buyer", "shop", "shop"], "to": ["shop", "shop", "x", "y"],
    ...     "value": [100, 250, 150, 200], "token": "USDT",
    ...     "token_address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "decimals": 6})
    >>> trace = follow_funds(flow_graph(frame), "shop", since="2024-06-10")
    >>> trace.total, trace.hops[["hop", "to", "amount"]].values.tolist()
    (250, [[1, 'x', 50], [1, 'y', 200]])
    >>> trace.held.values.tolist(), trace.conserved
    ([['y', 200, True], ['x', 50, True]], True)
    """
    starts = tuple(sorted({start} if isinstance(start, str) else set(start)))
    if not starts:
        raise ValueError("follow_funds needs at least one start address")
    stops = set(stop_at)
    for address in starts:
        if address not in graph:
            raise ValueError(f"start address {address!r} is not in the graph (no transfers)")
        if address in stops:
            raise ValueError(f"start address {address!r} is also a stop address")
    if max_hops is not None and (
        isinstance(max_hops, bool) or not isinstance(max_hops, int) or max_hops < 1
    ):
        raise ValueError(f"max_hops must be a positive integer, got {max_hops!r}")
    contract, symbol, decimals = _token(graph, token)
    since_t, until_t = _time(since, "since"), _time(until, "until")
    only_from = None if senders is None else set(senders)

    # A lot is [amount, hop]; hop None means funds not followed.
    queues: dict[str, deque[list[Any]]] = defaultdict(deque)
    balance: dict[str, int] = defaultdict(int)
    stopped: dict[str, int] = defaultdict(int)
    sources: list[tuple[Any, ...]] = []
    hops: list[tuple[Any, ...]] = []
    shortfalls: list[tuple[Any, ...]] = []
    as_of = None

    def receive(address: str, amount: int, hop: int | None) -> None:
        queue = queues[address]
        if queue and queue[-1][1] == hop:
            queue[-1][0] += amount
        else:
            queue.append([amount, hop])
        balance[address] += amount

    def take(address: str, amount: int, edge: dict[str, Any]) -> list[list[Any]]:
        queue, pieces, left = queues[address], [], amount
        while left and queue:
            lot = queue[0]
            part = min(left, lot[0])
            pieces.append([part, lot[1]])
            lot[0] -= part
            left -= part
            if not lot[0]:
                queue.popleft()
        balance[address] -= amount - left
        if left:
            shortfalls.append((edge["transaction_id"], edge["time"], address, left))
            pieces.append([left, None])
        return pieces

    def replay(sender: str, recipient: str, edge: dict[str, Any]) -> None:
        time, amount = edge["time"], edge["amount"]
        pieces = take(sender, amount, edge)
        source = (
            recipient in starts
            and sender not in starts
            and (since_t is None or time >= since_t)
            and (only_from is None or sender in only_from)
        )
        internal = sender in starts and recipient in starts
        by_hop: dict[int, int] = defaultdict(int)
        fresh = 0  # funds not followed so far
        for part, hop in pieces:
            if hop is None:
                fresh += part
            else:
                by_hop[hop if internal else hop + 1] += part
        if fresh and source:
            sources.append((edge["transaction_id"], time, sender, recipient, fresh))
            receive(recipient, fresh, 0)
        elif fresh:
            receive(recipient, fresh, None)
        for hop, part in sorted(by_hop.items()):
            followed = recipient not in stops and (max_hops is None or hop < max_hops)
            hops.append((hop, edge["transaction_id"], time, sender, recipient, part, followed))
            if followed:
                receive(recipient, part, hop)
            else:
                stopped[recipient] += part

    edges = [e for e in _edges(graph, contract) if until_t is None or e[2]["time"] <= until_t]
    i = 0
    while i < len(edges):
        j = i
        while j < len(edges) and edges[j][2]["time"] == edges[i][2]["time"]:
            j += 1
        pending = edges[i:j]
        while pending:
            sender, recipient, edge = pending.pop(_next_in_block(pending, balance))
            replay(sender, recipient, edge)
            as_of = edge["time"]
        i = j

    held: dict[tuple[str, bool], int] = defaultdict(int)
    for address, queue in queues.items():
        for amount, hop in queue:
            if hop is not None and amount:
                held[address, True] += amount
    for address, amount in stopped.items():
        held[address, False] += amount
    held_rows = sorted(((a, n, f) for (a, f), n in held.items()), key=lambda r: (-r[1], r[0]))
    return FundsTrace(
        start=starts,
        token=symbol,
        token_address=contract,
        decimals=decimals,
        since=since_t,
        until=until_t,
        as_of=as_of if until_t is None else until_t,
        total=sum(s[4] for s in sources),
        sources=_frame(sources, ["transaction_id", "time", "from", "to", "amount"]),
        hops=_frame(hops, ["hop", "transaction_id", "time", "from", "to", "amount", "followed"]),
        held=_frame(held_rows, ["address", "amount", "followed"]),
        shortfalls=_frame(shortfalls, ["transaction_id", "time", "address", "amount"]),
    )


def _next_in_block(pending: list[tuple[str, str, dict[str, Any]]], balance: dict[str, int]) -> int:
    """Pick which of the transfers of one block to replay next.

    First a transfer its sender can already cover; failing that, one whose sender receives
    nothing more in the block (its funds come from outside the records); else the first.
    """
    for k, (sender, _, edge) in enumerate(pending):
        if balance[sender] >= edge["amount"]:
            return k
    receiving = {recipient for _, recipient, _ in pending}
    return next((k for k, (sender, _, _) in enumerate(pending) if sender not in receiving), 0)


def _frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """A frame whose ``amount`` and ``value`` columns keep Python ints."""
    data = {}
    for k, column in enumerate(columns):
        values = [row[k] for row in rows]
        if column in ("amount", "value"):
            data[column] = pd.Series(values, dtype=object)
        elif column == "time":
            data[column] = pd.Series(pd.to_datetime(values, utc=True))
        else:
            data[column] = pd.Series(values, dtype=bool if column == "followed" else object)
    if "hop" in data:
        data["hop"] = data["hop"].astype("int64")
    return pd.DataFrame(data, columns=columns)


# --------------------------------------------------------------------------- deposit addresses


def deposit_addresses(
    graph: nx.MultiDiGraph,
    *,
    token: str | None = None,
    min_senders: int = 2,
    min_swept: float = 0.9,
    sweep_within: Any = "24h",
    min_deposits: int = 1,
) -> pd.DataFrame:
    """Find addresses that look like deposit addresses of an exchange or an exchanger.

    An exchange gives each customer a deposit address and *sweeps* what arrives, soon and
    almost entirely, to its hot wallet; an exchanger collects customers' payments on a few
    addresses and passes them on the same way. The rule:

    1. at least ``min_senders`` distinct addresses sent to it;
    2. at least ``min_swept`` of what it received, and of what it sent, went to one
       address, the *hot wallet*;
    3. the median time from a receipt to the next transfer to the hot wallet is at most
       ``sweep_within``;
    4. at least ``min_deposits`` addresses meeting 1-3 sweep to that hot wallet.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        From :func:`flow_graph`.
    token : str, optional
        Symbol or contract; needed when the graph holds several tokens.
    min_senders : int, default 2
        For an exchanger's collecting address, many (say 5); for an exchange's per-customer
        deposit addresses, 1, with ``min_deposits`` of 3 or more instead.
    min_swept : float, default 0.9
        Share (0-1) of the amount received, and of the amount sent, that went to the hot
        wallet.
    sweep_within : str or Timedelta, default "24h"
        The longest median delay between receipt and sweep.
    min_deposits : int, default 1
        How many such addresses must feed the same hot wallet.

    Returns
    -------
    pandas.DataFrame
        One row per deposit address: ``address, hot_wallet, senders, received, swept,
        share_swept, median_delay, siblings, hot_wallet_senders, hot_wallet_recipients``.
        ``received`` and ``swept`` are ints in the smallest unit; ``siblings`` counts the
        deposit addresses (this one included) that sweep to the same hot wallet;
        ``hot_wallet_senders`` and ``hot_wallet_recipients`` count the hot wallet's distinct
        counterparties. Sorted by hot wallet, then by amount received.

    Notes
    -----
    A shop's own collecting wallets match the rule too (buyers pay, the shop sweeps to its
    main wallet). What sets an exchange apart is the hot wallet: many deposit addresses
    feed it and it pays out to many recipients (``siblings``, ``hot_wallet_recipients``).
    Corroborate with what the exchange itself can be asked for.

    Examples
    --------
    >>> hours = pd.to_datetime(["2024-06-10 06:00", "2024-06-10 07:00",
    ...                         "2024-06-10 09:00", "2024-06-10 09:30"], utc=True)
    >>> frame = pd.DataFrame({
    ...     "transaction_id": [c * 64 for c in "abcd"], "time": hours,
    ...     "from": ["client1", "client2", "client3", "desk"],
    ...     "to": ["desk", "desk", "desk", "hot"], "value": [100, 200, 300, 600],
    ...     "token": "USDT", "token_address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    ...     "decimals": 6})
    >>> found = deposit_addresses(flow_graph(frame), min_senders=3)
    >>> found[["address", "hot_wallet", "senders", "swept"]].values.tolist()
    [['desk', 'hot', 3, 600]]
    """
    for name, value in (("min_senders", min_senders), ("min_deposits", min_deposits)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if (
        not isinstance(min_swept, int | float)
        or isinstance(min_swept, bool)
        or not 0 < min_swept <= 1
    ):
        raise ValueError(f"min_swept is a share between 0 and 1, got {min_swept!r}")
    try:
        within = pd.Timedelta(sweep_within)
    except (TypeError, ValueError):
        raise ValueError(f"sweep_within: {sweep_within!r} is not a duration") from None
    share = Fraction(str(min_swept))  # exact comparisons with integer amounts
    contract, _, _ = _token(graph, token)
    incoming: dict[str, list[tuple[pd.Timestamp, str, int]]] = defaultdict(list)
    outgoing: dict[str, list[tuple[pd.Timestamp, str, int]]] = defaultdict(list)
    for sender, recipient, edge in _edges(graph, contract):
        incoming[recipient].append((edge["time"], sender, edge["amount"]))
        outgoing[sender].append((edge["time"], recipient, edge["amount"]))

    candidates = []
    for address, receipts in incoming.items():
        sends = outgoing.get(address)
        senders = {s for _, s, _ in receipts}
        if not sends or len(senders) < min_senders:
            continue
        per_recipient: dict[str, int] = defaultdict(int)
        for _, recipient, amount in sends:
            per_recipient[recipient] += amount
        hot, swept = max(per_recipient.items(), key=lambda item: (item[1], item[0]))
        received, sent = sum(a for _, _, a in receipts), sum(per_recipient.values())
        if swept < share * received or swept < share * sent:
            continue
        sweep_times = sorted(t for t, r, _ in sends if r == hot)
        delays = []
        for t_in, _, _ in receipts:
            k = bisect.bisect_left(sweep_times, t_in)
            if k < len(sweep_times):
                delays.append(sweep_times[k] - t_in)
        if not delays:
            continue
        median = pd.Series(delays).median()
        if median > within:
            continue
        candidates.append((address, hot, len(senders - {hot}), received, swept, median))

    siblings: dict[str, int] = defaultdict(int)
    for row in candidates:
        siblings[row[1]] += 1
    rows = [
        (
            *row[:5],
            round(row[4] / row[3], 4),
            row[5],
            siblings[row[1]],
            len({s for _, s, _ in incoming.get(row[1], [])}),
            len({r for _, r, _ in outgoing.get(row[1], [])}),
        )
        for row in candidates
        if siblings[row[1]] >= min_deposits
    ]
    rows.sort(key=lambda r: (r[1], -r[3], r[0]))
    columns = [
        "address",
        "hot_wallet",
        "senders",
        "received",
        "swept",
        "share_swept",
        "median_delay",
        "siblings",
        "hot_wallet_senders",
        "hot_wallet_recipients",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("received", "swept"):
        frame[column] = pd.Series([r[columns.index(column)] for r in rows], dtype=object)
    frame["median_delay"] = pd.to_timedelta(frame["median_delay"])
    return frame


# --------------------------------------------------------------------------- fee funders


def fee_funders(
    trx_transfers: pd.DataFrame | Any, addresses: Iterable[str] | None = None
) -> pd.DataFrame:
    """Say who first sent TRX to each address: the funder that paid for its fees.

    A new TRON address cannot move USDT until it has TRX (or delegated energy) for the
    fees, so the first TRX it receives usually comes from whoever set it up.

    Parameters
    ----------
    trx_transfers : pandas.DataFrame or records
        From :func:`~darktrail.tron.transfers.read_trx_transfers`, or transactions it can
        read. Only successful transfers count.
    addresses : iterable of str, optional
        Only these addresses (T... form); by default every recipient.

    Returns
    -------
    pandas.DataFrame
        ``address, funder, time, value, transaction_id``: the first successful TRX transfer
        into each address (``value`` in sun), in the order of ``time``.

    Examples
    --------
    >>> trx = pd.DataFrame({
    ...     "transaction_id": ["a" * 64, "b" * 64, "c" * 64],
    ...     "time": pd.to_datetime(["2024-06-01 10:00", "2024-06-01 10:02",
    ...                             "2024-06-05 12:00"], utc=True),
    ...     "from": ["boss", "boss", "buyer"], "to": ["wallet1", "wallet2", "wallet1"],
    ...     "value": [30_000_000, 30_000_000, 5_000_000], "fee": 0, "status": "SUCCESS"})
    >>> fee_funders(trx)[["address", "funder", "value"]].values.tolist()
    [['wallet1', 'boss', 30000000], ['wallet2', 'boss', 30000000]]
    """
    frame = trx_transfers
    if not isinstance(frame, pd.DataFrame):
        frame = read_trx_transfers(trx_transfers)
    frame = frame[frame["status"] == "SUCCESS"].sort_values("time", kind="stable")
    wanted = None if addresses is None else set(addresses)
    first: dict[str, tuple[Any, ...]] = {}
    for txid, time, sender, recipient, value in zip(
        frame["transaction_id"],
        frame["time"],
        frame["from"],
        frame["to"],
        frame["value"],
        strict=True,
    ):
        if recipient not in first and (wanted is None or recipient in wanted):
            first[recipient] = (recipient, sender, time, int(value), txid)
    result = pd.DataFrame(
        list(first.values()), columns=["address", "funder", "time", "value", "transaction_id"]
    )
    result["value"] = pd.Series([r[3] for r in first.values()], dtype=object)
    return result


def shared_fee_funders(
    trx_transfers: pd.DataFrame | Any,
    addresses: Iterable[str] | None = None,
    *,
    min_addresses: int = 2,
) -> pd.DataFrame:
    """Group addresses by the funder that first sent them TRX (a link UTXO chains lack).

    Parameters
    ----------
    trx_transfers : pandas.DataFrame or records
        As for :func:`fee_funders`.
    addresses : iterable of str, optional
        The addresses to link (the shop's wallets found so far, say).
    min_addresses : int, default 2
        Report a funder only if it first funded at least this many of the addresses.

    Returns
    -------
    pandas.DataFrame
        ``funder, addresses, n, first, last``: the addresses (a sorted tuple) it funded
        first, how many, and when the first and the last of those fundings happened.
        Largest groups first.

    Notes
    -----
    An exchange's hot wallet "funds" every customer who withdraws TRX to a new address, so
    a funder that is itself a known hot wallet links nothing. Funding minutes apart, with
    equal amounts, says more than a shared funder alone.

    Examples
    --------
    >>> trx = pd.DataFrame({
    ...     "transaction_id": ["a" * 64, "b" * 64, "c" * 64],
    ...     "time": pd.to_datetime(["2024-06-01 10:00", "2024-06-01 10:02",
    ...                             "2024-06-03 09:00"], utc=True),
    ...     "from": ["boss", "boss", "hot"], "to": ["wallet1", "wallet2", "wallet3"],
    ...     "value": [30_000_000] * 3, "fee": 0, "status": "SUCCESS"})
    >>> shared_fee_funders(trx)[["funder", "addresses", "n"]].values.tolist()
    [['boss', ('wallet1', 'wallet2'), 2]]
    """
    if isinstance(min_addresses, bool) or not isinstance(min_addresses, int) or min_addresses < 1:
        raise ValueError(f"min_addresses must be a positive integer, got {min_addresses!r}")
    first = fee_funders(trx_transfers, addresses)
    rows = []
    for funder, group in first.groupby("funder", sort=True):
        if len(group) >= min_addresses:
            rows.append(
                (
                    funder,
                    tuple(sorted(group["address"])),
                    len(group),
                    group["time"].min(),
                    group["time"].max(),
                )
            )
    rows.sort(key=lambda r: (-r[2], r[0]))
    return pd.DataFrame(rows, columns=["funder", "addresses", "n", "first", "last"])
