"""Tracing bitcoin: CoinJoin detection, address clustering, change, peel chains and taint.

Every function takes a ledger as a list of Esplora transaction dicts (see
:mod:`darktrail.ledger`) or as a prebuilt :class:`~darktrail.ledger.LedgerIndex`. Build the
index once when you call several functions on a large ledger::

    index = LedgerIndex(txs)
    clusters = cluster_by_common_inputs(index)
    flows = taint(index, {(stolen_txid, 0)}, policy="fifo")

All of these are *heuristics*: they encode what wallets usually do, not what they must do.
A cluster, a change output or a taint figure is a lead to corroborate, never proof.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from darktrail.bitcoin import DUST
from darktrail.ledger import LedgerIndex, as_index

__all__ = [
    "CHANGE_HEURISTICS",
    "DUST",
    "TAINT_POLICIES",
    "Clusters",
    "LedgerIndex",
    "PeelHop",
    "change_address_reuse",
    "change_one_time",
    "change_optimal",
    "change_round_payment",
    "change_same_script_type",
    "cluster_by_common_inputs",
    "coinjoins",
    "follow_peel_chain",
    "is_coinjoin",
    "taint",
]

#: Names accepted by :func:`taint`.
TAINT_POLICIES = ("poison", "haircut", "fifo")

Ledger = Iterable[Mapping[str, Any]] | LedgerIndex
ChangeHeuristic = Callable[[Mapping[str, Any], Any], "int | None"]


# --------------------------------------------------------------------------- CoinJoin


def is_coinjoin(tx: Mapping[str, Any], *, dust: int = DUST) -> bool:
    """Tell whether a transaction looks like an equal-output CoinJoin.

    The rule (the course's, after BlockSci's ``isCoinjoin``, Kalodner et al. 2020):

    1. at least 2 inputs and at least 3 outputs;
    2. with ``n`` outputs, ``p = (n + 1) // 2`` participants (each gets one equal output
       and, except perhaps one, a change output) and ``p`` is not more than the number of
       inputs;
    3. the most common output value appears exactly ``p`` times;
    4. that value is not dust (``> dust`` satoshis).

    Parameters
    ----------
    tx : dict
        A transaction in the Esplora shape.
    dust : int, default 546
        Values at or below this are dust.

    Returns
    -------
    bool
        True if the transaction matches the rule. A coinbase never does.

    Notes
    -----
    If several values tie for most common, the transaction counts as a CoinJoin when any
    of them is above dust (BlockSci picks one arbitrarily).

    The rule fits JoinMarket-style joins (``p`` equal outputs plus up to ``p`` change
    outputs). It misses joins with many more equal outputs than change outputs, such as
    Whirlpool (5 inputs, 5 equal outputs: 5 is not ``(5 + 1) // 2``) and Wasabi (several
    denominations), and it can flag an ordinary batch payout that happens to pay equal
    amounts. BlockSci also requires ``p`` distinct input *addresses* and treats exactly
    546 and 2730 sat as dust; the course rule counts inputs and uses ``<= dust``.

    Examples
    --------
    >>> def tx(n_in, values):
    ...     spend = {"txid": "f" * 64, "vout": 0, "is_coinbase": False,
    ...              "prevout": {"value": 10**6}}
    ...     return {"vin": [spend] * n_in, "vout": [{"value": v} for v in values]}
    >>> is_coinjoin(tx(3, [50_000, 50_000, 50_000, 1_234, 8_000]))
    True
    >>> is_coinjoin(tx(3, [546, 546, 546, 1_234, 8_000]))  # equal outputs are dust
    False
    >>> is_coinjoin(tx(2, [50_000, 50_000, 50_000, 1_234, 8_000]))  # 3 participants, 2 inputs
    False
    """
    vin = tx["vin"]
    if any(inp.get("is_coinbase") for inp in vin):
        return False
    return _equal_output_rule(len(vin), [out["value"] for out in tx["vout"]], dust)


def _equal_output_rule(n_in: int, values: list[int], dust: int) -> bool:
    n_out = len(values)
    if n_in < 2 or n_out < 3:
        return False
    participants = (n_out + 1) // 2
    if participants > n_in:
        return False
    counts = Counter(values)
    top = max(counts.values())
    if top != participants:
        return False
    return any(value > dust for value, count in counts.items() if count == top)


def _coinjoin_mask(index: LedgerIndex, dust: int = DUST) -> np.ndarray:
    """Return a boolean array: which transactions of the index match :func:`is_coinjoin`."""
    n_in, n_out = index.n_in, index.n_out
    has_coinbase = np.zeros(index.n_tx, dtype=bool)
    has_coinbase[index.in_tx[index.in_coinbase]] = True
    candidates = (n_in >= 2) & (n_out >= 3) & ((n_out + 1) // 2 <= n_in) & ~has_coinbase
    mask = np.zeros(index.n_tx, dtype=bool)
    out_ptr = index.out_ptr
    for t in np.flatnonzero(candidates).tolist():
        values = index.out_value[out_ptr[t] : out_ptr[t + 1]].tolist()
        mask[t] = _equal_output_rule(int(n_in[t]), values, dust)
    return mask


def coinjoins(txs: Ledger, *, dust: int = DUST) -> list[str]:
    """Return the txids of the transactions that :func:`is_coinjoin` flags, in ledger order.

    Examples
    --------
    >>> spend = {"txid": "f" * 64, "vout": 0, "is_coinbase": False, "prevout": {"value": 9}}
    >>> coinjoins([{"txid": "cj", "vin": [spend, spend],
    ...             "vout": [{"value": 5000}, {"value": 5000}, {"value": 700}]}])
    ['cj']
    """
    index = as_index(txs)
    return [index.txids[t] for t in np.flatnonzero(_coinjoin_mask(index, dust)).tolist()]


# --------------------------------------------------------------------------- clustering


class Clusters(Mapping[str, str]):
    """Addresses grouped into clusters (presumed wallets); a mapping address -> cluster id.

    A cluster's id is the smallest address in it (string order), so ids do not depend on
    the order of the ledger. Every address of the ledger is in exactly one cluster; an
    address that was never merged is a cluster of its own.

    Examples
    --------
    >>> clusters = Clusters(["b", "a", "c"], np.array([0, 0, 2]))
    >>> clusters.of("b"), clusters.members("a"), clusters.n_clusters
    ('a', ['a', 'b'], 2)
    >>> dict(clusters)
    {'b': 'a', 'a': 'a', 'c': 'c'}
    """

    def __init__(
        self,
        addresses: list[str],
        labels: np.ndarray,
        address_id: Mapping[str, int] | Callable[[], Mapping[str, int]] | None = None,
    ) -> None:
        self._addresses = addresses
        self._lookup = address_id
        self._labels = labels
        self._order = np.argsort(labels, kind="stable")
        sorted_labels = labels[self._order]
        change = np.flatnonzero(sorted_labels[1:] != sorted_labels[:-1]) + 1
        self._starts = np.concatenate([[0], change]).astype(np.int64) if len(labels) else change
        self._ends = np.append(self._starts[1:], len(labels)).astype(np.int64)
        self._group_of_label = {
            int(label): g for g, label in enumerate(sorted_labels[self._starts].tolist())
        }
        self._cids: list[str] | None = None
        self._cid_cache: dict[int, str] = {}

    @property
    def _address_id(self) -> Mapping[str, int]:
        if callable(self._lookup):
            self._lookup = self._lookup()
        if self._lookup is None:
            self._lookup = {a: k for k, a in enumerate(self._addresses)}
        return self._lookup

    def _group(self, address: str) -> int:
        try:
            k = self._address_id[address]
        except (KeyError, TypeError):
            raise KeyError(f"address {address!r} does not appear in the ledger") from None
        return self._group_of_label[int(self._labels[k])]

    def _group_cid(self, g: int) -> str:
        if self._cids is not None:
            return self._cids[g]
        if g not in self._cid_cache:
            members = self._order[self._starts[g] : self._ends[g]].tolist()
            self._cid_cache[g] = min(self._addresses[k] for k in members)
        return self._cid_cache[g]

    def _all_cids(self) -> list[str]:
        if self._cids is None:
            addresses = self._addresses
            # Most clusters are single addresses: name every group by its first member,
            # then fix the groups with several members.
            cids = [addresses[k] for k in self._order[self._starts].tolist()]
            for g in np.flatnonzero(self._ends - self._starts > 1).tolist():
                members = self._order[self._starts[g] : self._ends[g]].tolist()
                cids[g] = min(addresses[k] for k in members)
            self._cids = cids
        return self._cids

    def of(self, address: str) -> str:
        """Return the id of the cluster holding ``address`` (KeyError if unknown)."""
        return self._group_cid(self._group(address))

    def members(self, cluster_id: str) -> list[str]:
        """Return the addresses of a cluster, sorted (KeyError if no such cluster)."""
        g = self._group(cluster_id)
        if self._group_cid(g) != cluster_id:
            raise KeyError(f"{cluster_id!r} is an address but not a cluster id; use .of() first")
        return sorted(self._addresses[k] for k in self._order[self._starts[g] : self._ends[g]])

    def same(self, address_a: str, address_b: str) -> bool:
        """Tell whether two addresses are in the same cluster."""
        return self._group(address_a) == self._group(address_b)

    def sizes(self) -> pd.Series:
        """Return cluster sizes indexed by cluster id, largest first (ties by id)."""
        cids = self._all_cids()
        sizes = self._ends - self._starts
        by_id = np.array(sorted(range(len(cids)), key=cids.__getitem__), dtype=np.int64)
        ranked = by_id[np.argsort(-sizes[by_id], kind="stable")]
        index = pd.Index([cids[g] for g in ranked.tolist()], name="cluster")
        return pd.Series(sizes[ranked], index=index, name="size")

    def to_frame(self) -> pd.DataFrame:
        """Return a table ``address, cluster`` with one row per address."""
        cids = np.array(self._all_cids(), dtype=object)
        groups = np.array([self._group_of_label[label] for label in self._labels.tolist()])
        return pd.DataFrame(
            {"address": self._addresses, "cluster": cids[groups] if len(groups) else []}
        )

    @property
    def n_clusters(self) -> int:
        """Number of clusters."""
        return len(self._starts)

    def __getitem__(self, address: str) -> str:
        return self.of(address)

    def __iter__(self) -> Iterator[str]:
        return iter(self._addresses)

    def __len__(self) -> int:
        return len(self._addresses)

    def __repr__(self) -> str:
        return f"<Clusters: {len(self)} addresses in {self.n_clusters} clusters>"


def cluster_by_common_inputs(
    txs: Ledger,
    skip_coinjoin: bool = True,
    *,
    change: ChangeHeuristic | None = None,
) -> Clusters:
    """Cluster addresses with the common-input-ownership heuristic (and optionally change).

    All input addresses of a transaction are assumed to belong to one wallet, since one
    party had to sign for all of them. Coinbase transactions have no input address and
    are skipped; CoinJoins (:func:`is_coinjoin`) are skipped unless ``skip_coinjoin`` is
    False, because their inputs belong to different people.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        The ledger.
    skip_coinjoin : bool, default True
        Do not merge the inputs of transactions that look like CoinJoins.
    change : callable, optional
        A change heuristic such as :func:`change_optimal`. When given, the output it
        designates is merged into the cluster of the transaction's inputs as well.
        This grows clusters a lot, and a wrong guess merges two people's wallets.

    Returns
    -------
    Clusters
        Mapping address -> cluster id for every address in the ledger.

    Notes
    -----
    Union-find (disjoint sets) with path halving and union by size: time nearly linear in
    the number of inputs. The heuristic breaks on CoinJoins it does not recognise and on
    payjoins (the receiver adds an input), and services that pool deposits (exchanges,
    markets) form "super-clusters" of many users.

    Examples
    --------
    >>> def spend(address):
    ...     return {"txid": "f" * 64, "vout": 0, "is_coinbase": False,
    ...             "prevout": {"scriptpubkey_address": address, "value": 1000}}
    >>> txs = [
    ...     {"txid": "t1", "vin": [spend("a1"), spend("a2")],
    ...      "vout": [{"scriptpubkey_address": "shop", "value": 1900}]},
    ...     {"txid": "t2", "vin": [spend("a2"), spend("a3")],
    ...      "vout": [{"scriptpubkey_address": "shop", "value": 1900}]},
    ... ]
    >>> clusters = cluster_by_common_inputs(txs)
    >>> clusters.members(clusters.of("a3")), clusters.of("shop")
    (['a1', 'a2', 'a3'], 'shop')
    """
    index = as_index(txs)
    n_addr = len(index.addresses)
    parent = list(range(n_addr))
    size = [1] * n_addr

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a == b:
            return
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]

    eligible = np.ones(index.n_tx, dtype=bool)
    eligible[index.in_tx[index.in_coinbase]] = False
    if skip_coinjoin:
        eligible &= ~_coinjoin_mask(index)

    # Link every input address of a transaction to the transaction's first input address.
    rows = np.flatnonzero(eligible[index.in_tx] & (index.in_addr >= 0))
    owners = index.in_tx[rows]
    addrs = index.in_addr[rows]
    if len(rows):
        _, first, inverse = np.unique(owners, return_index=True, return_inverse=True)
        anchors = addrs[first][inverse]
        differ = anchors != addrs
        for a, b in zip(anchors[differ].tolist(), addrs[differ].tolist(), strict=True):
            union(a, b)

    if change is not None:
        for t in np.flatnonzero(eligible).tolist():
            k = change(index.txs[t], index)
            if k is None:
                continue
            if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < index.n_out[t]:
                raise ValueError(
                    f"change heuristic returned {k!r} for transaction {index.txids[t]}, "
                    f"which has {index.n_out[t]} outputs"
                )
            out_addr = int(index.out_addr[index.out_ptr[t] + k])
            in_addrs = index.in_addr[index.in_ptr[t] : index.in_ptr[t + 1]]
            in_addrs = in_addrs[in_addrs >= 0]
            if out_addr >= 0 and len(in_addrs):
                union(int(in_addrs[0]), out_addr)

    labels = np.array(parent, dtype=np.int64)
    while True:  # pointer jumping until every address points at its root
        jumped = labels[labels]
        if np.array_equal(jumped, labels):
            break
        labels = jumped
    return Clusters(index.addresses, labels, lambda: index.address_id)


# --------------------------------------------------------------------------- change


def _payable_outputs(tx: Mapping[str, Any]) -> list[int]:
    """Output numbers that pay an address (OP_RETURN and other address-less outputs are not)."""
    return [k for k, out in enumerate(tx["vout"]) if out.get("scriptpubkey_address")]


def _spent_prevouts(tx: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    """The prevouts of a transaction's inputs, or None for a coinbase."""
    prevouts = []
    for i, inp in enumerate(tx["vin"]):
        if inp.get("is_coinbase"):
            return None
        if not inp.get("prevout"):
            raise ValueError(f"transaction {tx.get('txid')}: vin[{i}] has no prevout")
        prevouts.append(inp["prevout"])
    return prevouts


def _only(candidates: list[int]) -> int | None:
    return candidates[0] if len(candidates) == 1 else None


def change_optimal(tx: Mapping[str, Any], ledger: Any = None) -> int | None:
    """Guess the change output as the only output smaller than the smallest input.

    A wallet would not have added an input larger than the change: it could have left
    that input out ("optimal change", Nick 2015; BlockSci ``OptimalChange``).

    Parameters
    ----------
    tx : dict
        A transaction in the Esplora shape.
    ledger : any, optional
        Unused; accepted so that all change heuristics share one signature.

    Returns
    -------
    int or None
        The ``vout`` of the change output, or None when no output or more than one output
        qualifies, or for a coinbase or a transaction with fewer than two payable outputs.

    Notes
    -----
    Fails when the wallet selects coins in other ways (privacy-aware or "spend all from
    an address" selection), and when the *payment* is the small output of a large
    input, as in a peel chain: there the payment is below the input and the change is not.

    Examples
    --------
    >>> def tx(inputs, outputs):
    ...     spend = lambda v: {"txid": "f" * 64, "vout": 0, "is_coinbase": False,
    ...                        "prevout": {"scriptpubkey_address": "in", "value": v}}
    ...     return {"vin": [spend(v) for v in inputs],
    ...             "vout": [{"scriptpubkey_address": f"o{k}", "value": v}
    ...                      for k, v in enumerate(outputs)]}
    >>> change_optimal(tx([60_000, 50_000], [90_000, 19_000]))
    1
    >>> change_optimal(tx([60_000, 50_000], [30_000, 25_000, 54_000])) is None  # two below
    True
    """
    prevouts = _spent_prevouts(tx)
    payable = _payable_outputs(tx)
    if not prevouts or len(payable) < 2:
        return None
    smallest = min(p["value"] for p in prevouts)
    return _only([k for k in payable if tx["vout"][k]["value"] < smallest])


def change_round_payment(
    tx: Mapping[str, Any], ledger: Any = None, *, digits: int = 5
) -> int | None:
    """Guess the change as the only output that is *not* a round number.

    People pay round amounts (0.05 BTC); change is whatever is left, rarely round.
    "Round" means a multiple of ``10**digits`` satoshis (default 0.001 BTC).

    Parameters
    ----------
    tx : dict
        A transaction in the Esplora shape.
    ledger : any, optional
        Unused; accepted so that all change heuristics share one signature.
    digits : int, default 5
        A value is round when divisible by ``10**digits`` sat. BlockSci's ``PowerOfTen``
        uses 6 (0.01 BTC).

    Returns
    -------
    int or None
        The ``vout`` of the only non-round output when at least one other output is round;
        None otherwise (all round, none round, several non-round, or a coinbase).

    Notes
    -----
    Prices on markets are set in dollars or euros, so the BTC amount of a payment is
    usually *not* round, and the heuristic says nothing. A round change (the payer spends
    a round input) or a round payment that is really a self-transfer fools it.

    Examples
    --------
    >>> def tx(outputs):
    ...     spend = {"txid": "f" * 64, "vout": 0, "is_coinbase": False,
    ...              "prevout": {"scriptpubkey_address": "in", "value": 10**7}}
    ...     return {"vin": [spend], "vout": [{"scriptpubkey_address": f"o{k}", "value": v}
    ...                                      for k, v in enumerate(outputs)]}
    >>> change_round_payment(tx([5_000_000, 4_987_654]))
    1
    >>> change_round_payment(tx([5_012_345, 4_987_654])) is None
    True
    """
    if _spent_prevouts(tx) is None:
        return None
    payable = _payable_outputs(tx)
    if len(payable) < 2:
        return None
    unit = 10**digits
    not_round = [k for k in payable if tx["vout"][k]["value"] % unit != 0]
    return _only(not_round) if len(not_round) < len(payable) else None


def change_same_script_type(tx: Mapping[str, Any], ledger: Any = None) -> int | None:
    """Guess the change as the only output of the same script type as all the inputs.

    A wallet makes its change address with its own address type (a P2WPKH wallet gets
    P2WPKH change), while the payee's address can be of any type.

    Parameters
    ----------
    tx : dict
        A transaction in the Esplora shape.
    ledger : any, optional
        Unused; accepted so that all change heuristics share one signature.

    Returns
    -------
    int or None
        The ``vout`` of the only output whose ``scriptpubkey_type`` equals the type shared
        by all inputs; None if the inputs mix types, or no or several outputs match.

    Notes
    -----
    Says nothing when payer and payee use the same wallet software, which is common
    (most modern wallets default to ``v0_p2wpkh``). Wallets migrating types (spending
    P2PKH coins to P2WPKH change) defeat it.

    Examples
    --------
    >>> spend = {"txid": "f" * 64, "vout": 0, "is_coinbase": False,
    ...          "prevout": {"scriptpubkey_type": "v0_p2wpkh", "value": 10**6}}
    >>> pay = lambda kind: {"scriptpubkey_address": kind, "scriptpubkey_type": kind,
    ...                     "value": 1000}
    >>> change_same_script_type({"vin": [spend], "vout": [pay("p2pkh"), pay("v0_p2wpkh")]})
    1
    >>> change_same_script_type({"vin": [spend], "vout": [pay("v0_p2wpkh")] * 2}) is None
    True
    """
    prevouts = _spent_prevouts(tx)
    payable = _payable_outputs(tx)
    if not prevouts or len(payable) < 2:
        return None
    types = {p.get("scriptpubkey_type") for p in prevouts}
    if len(types) != 1 or None in types:
        return None
    (kind,) = types
    return _only([k for k in payable if tx["vout"][k].get("scriptpubkey_type") == kind])


def change_address_reuse(tx: Mapping[str, Any], ledger: Any = None) -> int | None:
    """Guess the change as the only output paying back to one of the input addresses.

    Parameters
    ----------
    tx : dict
        A transaction in the Esplora shape.
    ledger : any, optional
        Unused; accepted so that all change heuristics share one signature.

    Returns
    -------
    int or None
        The ``vout`` of the only output whose address is also an input address; None if
        no output or several outputs pay an input address, or for a coinbase.

    Notes
    -----
    The most reliable of these heuristics when it fires, since only the owner of the
    input key is likely to pay to it; but it fires only for careless wallets, and a
    self-transfer to the same address or a payment to a reused shared address (an
    exchange deposit address paid twice) fools it.

    Examples
    --------
    >>> spend = {"txid": "f" * 64, "vout": 0, "is_coinbase": False,
    ...          "prevout": {"scriptpubkey_address": "vendor", "value": 10**6}}
    >>> pay = lambda a: {"scriptpubkey_address": a, "value": 1000}
    >>> change_address_reuse({"vin": [spend], "vout": [pay("shop"), pay("vendor")]})
    1
    """
    prevouts = _spent_prevouts(tx)
    payable = _payable_outputs(tx)
    if not prevouts or len(payable) < 2:
        return None
    spent_from = {p.get("scriptpubkey_address") for p in prevouts} - {None}
    return _only([k for k in payable if tx["vout"][k]["scriptpubkey_address"] in spent_from])


def change_one_time(tx: Mapping[str, Any], ledger: Ledger) -> int | None:
    """Guess the change as the only output to a fresh address, all others being seen before.

    Wallets make a new address for each change; payees are often known, reused addresses
    ("one-time change", Meiklejohn et al. 2013; BlockSci ``ClientChangeAddressBehavior``).

    Parameters
    ----------
    tx : dict
        A transaction in the Esplora shape; it must be in ``ledger``.
    ledger : iterable of dict or LedgerIndex
        The ledger that says which addresses were seen before. "Before" means an earlier
        transaction in :attr:`~darktrail.ledger.LedgerIndex.rank` order (block height,
        then ledger order). Pass a LedgerIndex when calling this in a loop.

    Returns
    -------
    int or None
        The ``vout`` of the only output whose address first appears in this transaction
        and is not an input address, when every other payable output's address appeared
        in an earlier transaction; None otherwise.

    Raises
    ------
    ValueError
        If ``tx`` is not in ``ledger``.

    Notes
    -----
    Depends on how much of the chain the ledger holds: an address seen outside it looks
    fresh. Fails when the payee also uses a fresh address (most modern wallets give one
    per invoice, and markets give one per order), so the heuristic is silent or, worse,
    picks the payment when the change address was reused.

    Examples
    --------
    >>> spend = lambda a: {"txid": "f" * 64, "vout": 0, "is_coinbase": False,
    ...                    "prevout": {"scriptpubkey_address": a, "value": 10**6}}
    >>> pay = lambda a, v: {"scriptpubkey_address": a, "value": v}
    >>> txs = [
    ...     {"txid": "t1", "vin": [spend("buyer")], "vout": [pay("market", 400_000)]},
    ...     {"txid": "t2", "vin": [spend("buyer2")],
    ...      "vout": [pay("market", 300_000), pay("fresh", 690_000)]},
    ... ]
    >>> change_one_time(txs[1], txs)
    1
    """
    index = as_index(ledger)
    t = index.position(tx.get("txid"))
    if index.in_coinbase[index.in_ptr[t] : index.in_ptr[t + 1]].any():
        return None
    first_seen = index.first_seen_rank()
    rank = index.rank[t]
    spent_from = set(index.in_addr[index.in_ptr[t] : index.in_ptr[t + 1]].tolist())
    fresh, seen = [], 0
    out_addrs = index.out_addr[index.out_ptr[t] : index.out_ptr[t + 1]].tolist()
    for k, addr in enumerate(out_addrs):
        if addr < 0:
            continue
        if first_seen[addr] < rank:
            seen += 1
        elif addr not in spent_from:
            fresh.append(k)
    payable = sum(addr >= 0 for addr in out_addrs)
    if len(fresh) == 1 and payable >= 2 and seen == payable - 1:
        return fresh[0]
    return None


#: The change heuristics by name; each is ``heuristic(tx, ledger) -> vout | None``.
CHANGE_HEURISTICS: dict[str, ChangeHeuristic] = {
    "one_time": change_one_time,
    "optimal": change_optimal,
    "round_payment": change_round_payment,
    "same_script_type": change_same_script_type,
    "address_reuse": change_address_reuse,
}


# --------------------------------------------------------------------------- peel chains


class PeelHop(NamedTuple):
    """One step of a peel chain: a payment peeled off, the rest carried on as change."""

    hop: int
    txid: str
    payment_vout: int
    payment_address: str | None
    payment_value: int
    change_vout: int
    change_address: str | None
    change_value: int


def follow_peel_chain(
    txs: Ledger, start: str | tuple[str, int], max_hops: int = 1000
) -> list[PeelHop]:
    """Follow a peel chain along its change outputs and list the payments peeled off.

    A peel step is a transaction with 1 input and 2 outputs of different value: the
    smaller is the payment, the larger the change, which the next step spends.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        The ledger.
    start : str or (str, int)
        The first transaction of the chain (a txid), or the outpoint ``(txid, vout)``
        whose spender is the first transaction (the outpoint's own transaction may be
        outside the ledger).
    max_hops : int, default 1000
        Stop after this many steps.

    Returns
    -------
    list of PeelHop
        The steps in order. The chain stops before a transaction that is not a peel step,
        when the change is unspent in the ledger, or after ``max_hops`` steps. An empty
        list means ``start`` itself is not a peel step (or the outpoint is unspent).

    Raises
    ------
    ValueError
        If ``start`` is not in the ledger or ``max_hops`` is not positive.

    Examples
    --------
    >>> def step(txid, prev, value, pay):
    ...     return {"txid": txid,
    ...             "vin": [{"txid": prev, "vout": 1, "is_coinbase": False,
    ...                      "prevout": {"scriptpubkey_address": "w", "value": value}}],
    ...             "vout": [{"scriptpubkey_address": f"shop-{txid}", "value": pay},
    ...                      {"scriptpubkey_address": "w", "value": value - pay - 100}]}
    >>> txs = [step("s1", "s0", 100_000, 5_000), step("s2", "s1", 94_900, 7_000)]
    >>> [(h.txid, h.payment_address, h.payment_value) for h in follow_peel_chain(txs, "s1")]
    [('s1', 'shop-s1', 5000), ('s2', 'shop-s2', 7000)]
    """
    index = as_index(txs)
    if isinstance(max_hops, bool) or not isinstance(max_hops, int) or max_hops < 1:
        raise ValueError(f"max_hops must be a positive integer, got {max_hops!r}")
    if isinstance(start, tuple):
        if len(start) != 2:
            raise ValueError(f"start outpoint must be (txid, vout), got {start!r}")
        if start[0] not in index.tx_pos and start in index.external:
            spender = index.in_tx[index.external[start]]  # funding tx outside the ledger
        else:
            spender = index.out_spent_by[index.output_row(*start)]
        if spender < 0:
            return []
        t = int(spender)
    else:
        t = index.position(start)
    hops: list[PeelHop] = []
    while len(hops) < max_hops:
        if index.n_in[t] != 1 or index.n_out[t] != 2 or index.in_coinbase[index.in_ptr[t]]:
            break
        row = int(index.out_ptr[t])
        values = index.out_value[row : row + 2].tolist()
        if values[0] == values[1]:
            break
        change = 0 if values[0] > values[1] else 1
        payment = 1 - change
        addresses = [index.out_addr[row], index.out_addr[row + 1]]
        hops.append(
            PeelHop(
                hop=len(hops),
                txid=index.txids[t],
                payment_vout=payment,
                payment_address=_address(index, addresses[payment]),
                payment_value=values[payment],
                change_vout=change,
                change_address=_address(index, addresses[change]),
                change_value=values[change],
            )
        )
        t = int(index.out_spent_by[row + change])
        if t < 0:
            break
    return hops


def _address(index: LedgerIndex, addr: int) -> str | None:
    return None if addr < 0 else index.addresses[addr]


# --------------------------------------------------------------------------- taint


def taint(
    txs: Ledger, sources: Iterable[tuple[str, int]], policy: str
) -> dict[tuple[str, int], int]:
    """Follow tainted (e.g. stolen or ransom) coins forward and say how much each output holds.

    Parameters
    ----------
    txs : iterable of dict or LedgerIndex
        The ledger.
    sources : iterable of (txid, vout)
        Outpoints that are fully tainted: every satoshi in them is "dirty".
    policy : {"poison", "haircut", "fifo"}
        How taint passes through a transaction (see Notes). There is no default: an
        investigator must say which policy a figure was computed with.

    Returns
    -------
    dict
        ``(txid, vout) -> tainted satoshis`` for the sources and for every output of every
        transaction that spends a tainted output, in the order they were reached. A source
        stays fully tainted even when tainted coins also reach it. An
        output that was reached but received no taint (possible with ``"fifo"`` or
        rounding) maps to 0. A tainted amount never exceeds the output's value.

    Raises
    ------
    ValueError
        If the policy is unknown, or a source is not an output (or spent outpoint) of the
        ledger.

    Notes
    -----
    Transactions are processed parents before children. For a transaction with inputs
    ``i`` (value ``v_i``, tainted part ``t_i``) and outputs ``o`` (value ``w_o``),
    ``T = sum t_i``, ``V = sum v_i``:

    ``"poison"``
        If ``T > 0``, every output is fully tainted: ``w_o``. Taint never shrinks; after a
        few hops most of the economy is "dirty".
    ``"haircut"``
        Each output gets the tainted share of its value, rounded down:
        ``floor(T * w_o / V)``. The fee's share, ``T * fee / V``, is lost to the miner (and
        rounding loses under 1 sat per output), so total taint only decreases.
    ``"fifo"``
        First in, first out (Clayton's case, 1816): lay the inputs on a line in input
        order, each as its own sequence of tainted/clean segments; the outputs take
        consecutive slices of the line in output order; what is left at the end is the
        fee. An output's taint is the tainted length of its slice, exact to the satoshi.
        Segments are remembered, so the position of dirty coins inside an output matters
        downstream.

    Examples
    --------
    A thief's output ``loot:0`` (6000 sat) is spent together with a clean 4000 sat coin;
    the transaction pays 5000 then 4900 sat, fee 100.

    >>> spend = lambda txid, v: {"txid": txid, "vout": 0, "is_coinbase": False,
    ...                          "prevout": {"scriptpubkey_address": txid, "value": v}}
    >>> txs = [
    ...     {"txid": "loot", "vin": [spend("hack", 6100)],
    ...      "vout": [{"scriptpubkey_address": "thief", "value": 6000}]},
    ...     {"txid": "mix", "vin": [spend("loot", 6000), spend("clean", 4000)],
    ...      "vout": [{"scriptpubkey_address": "x", "value": 5000},
    ...               {"scriptpubkey_address": "y", "value": 4900}]},
    ... ]
    >>> for policy in TAINT_POLICIES:
    ...     flows = taint(txs, {("loot", 0)}, policy)
    ...     print(policy, flows[("mix", 0)], flows[("mix", 1)])
    poison 5000 4900
    haircut 3000 2940
    fifo 5000 1000
    """
    if policy not in TAINT_POLICIES:
        raise ValueError(f"unknown taint policy {policy!r}: use one of {', '.join(TAINT_POLICIES)}")
    index = as_index(txs)
    # Memoryviews read the index's arrays without copying them; item access is as fast as
    # a list's, so a taint run costs what it reaches, not the size of the ledger.
    in_ptr = memoryview(index.in_ptr)
    out_ptr = memoryview(index.out_ptr)
    in_prev_out = memoryview(index.in_prev_out)
    in_value = memoryview(index.in_value)
    out_value = memoryview(index.out_value)
    out_spent_by = memoryview(index.out_spent_by)
    rank = memoryview(index.rank)
    by_rank = memoryview(index.order)
    txids = index.txids
    fifo = policy == "fifo"

    # Taint held by each output row (an int, or for FIFO a list of [length, dirty] segments);
    # sources whose transaction is outside the ledger are held by the input row spending them.
    held: dict[int, Any] = {}
    held_ext: dict[int, Any] = {}
    result: dict[tuple[str, int], int] = {}
    source_rows: set[int] = set()  # sources stay fully tainted even if reached again
    heap: list[int] = []  # ranks of the transactions waiting, so parents pop first
    queued: set[int] = set()

    def enqueue(t: int) -> None:
        if t >= 0 and t not in queued:
            queued.add(t)
            heapq.heappush(heap, rank[t])

    for source in sources:
        if not (
            isinstance(source, tuple)
            and len(source) == 2
            and isinstance(source[0], str)
            and isinstance(source[1], int)
        ):
            raise ValueError(f"a taint source must be an outpoint (txid, vout), got {source!r}")
        if source[0] in index.tx_pos:
            row = index.output_row(*source)
            value = out_value[row]
            spender = out_spent_by[row]
            store, key = held, row
        elif source in index.external:
            key = index.external[source]
            value = in_value[key]
            spender = int(index.in_tx[key])
            store = held_ext
        else:
            raise ValueError(f"taint source {source[0]}:{source[1]} is not in the ledger")
        store[key] = [[value, True]] if fifo else value
        if store is held:
            source_rows.add(key)
        result[source] = value
        if value > 0:
            enqueue(spender)

    while heap:
        t = by_rank[heapq.heappop(heap)]
        i0, i1, o0, o1 = in_ptr[t], in_ptr[t + 1], out_ptr[t], out_ptr[t + 1]
        txid = txids[t]
        if fifo:
            line: list[list[Any]] = []
            for i in range(i0, i1):
                prev = in_prev_out[i]
                segments = held.get(prev) if prev >= 0 else held_ext.get(i)
                line.extend(segments if segments is not None else [[in_value[i], False]])
            position, used = 0, 0
            for row in range(o0, o1):
                need = out_value[row]
                cut: list[list[Any]] = []
                dirty = 0
                while need > 0 and position < len(line):
                    length, is_dirty = line[position]
                    take = min(length - used, need)
                    if cut and cut[-1][1] == is_dirty:
                        cut[-1][0] += take
                    else:
                        cut.append([take, is_dirty])
                    if is_dirty:
                        dirty += take
                    need -= take
                    used += take
                    if used == length:
                        position, used = position + 1, 0
                if need > 0:  # outputs exceed inputs: the missing part is treated as clean
                    cut.append([need, False])
                if row in source_rows:
                    continue
                result[(txid, row - o0)] = dirty
                if dirty:
                    held[row] = cut
                    enqueue(out_spent_by[row])
            continue
        tainted_in = 0
        for i in range(i0, i1):
            prev = in_prev_out[i]
            tainted_in += held.get(prev, 0) if prev >= 0 else held_ext.get(i, 0)
        total_in = sum(in_value[i0:i1])
        for row in range(o0, o1):
            if row in source_rows:
                continue
            if policy == "poison":
                amount = out_value[row] if tainted_in else 0
            else:
                amount = tainted_in * out_value[row] // total_in if total_in else 0
                amount = min(amount, out_value[row])
            result[(txid, row - o0)] = amount
            if amount:
                held[row] = amount
                enqueue(out_spent_by[row])
    return result
