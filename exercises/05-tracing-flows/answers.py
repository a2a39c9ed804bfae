"""Expected answers of 05-tracing-flows, computed from each trainee's frozen case.

Instructor-only: never released. For every graded cell, the wrong methods it must reject and
what in EVERY trainee's evidence separates each from the right method (the world traps are
asserted for 40 trainees by ``tests/test_traps_05.py``):

- consolidation: the first row of the history (an incoming payment), the last outgoing row
  (the sale to the desk) -- the history has incoming rows before the consolidation and 7+
  outgoing rows after it;
- tx-graph: edges reversed (spender -> parent), a graph of the first transactions only -- the
  edge set is compared whole, and every ledger has ~190 transactions with ~300 links;
- funded-by: the consolidation's successors, the input txids with repeats -- it has one
  successor (the first peel step) and its parents are market payouts (8+);
- addr-graph: the predecessors of the consolidation *transaction* (txids), its output address
  included, a partial graph -- node/edge counts and the address list are compared;
- coinjoin-rule (probes chosen per run): ``>= 546`` vs ``> 546`` (547 and 546 sat joins), no
  inputs test (p participants, p - 1 inputs), ``>=`` instead of ``==`` for the equal outputs
  (p + 1 equal outputs), fewer than 3 outputs, one input;
- find-coinjoin: ``is_coinjoin`` on the wrong list, the batch payouts -- exactly one planted
  CoinJoin, its txid differs per trainee;
- clusters: CoinJoin not skipped (careful = naive: every trainee's CoinJoin joins 5 wallets, so
  the cluster counts differ), the flags swapped (public check), a partial ledger;
- owners (glued wallets): the naive cluster's own id (one id), the naive cluster's addresses,
  the careful cluster of the one address -- the naive cluster of every trainee's CoinJoin input
  spans 5+ careful clusters;
- change-optimal (probes): the larger output, ``<=`` for "smaller", the largest input instead
  of the smallest, the first of several outputs below -- each has a probe that tells it apart;
- precision: right / guesses instead of right / checked (every trainee's folk rule has
  unchecked guesses), counting unchecked guesses as right, comparing with the last input --
  the world plants a partial vendor deposit that optimal change gets wrong (a checked, wrong
  guess) and buyers' payments into escrow that the folk rule gets wrong;
- peel-chain: starting at the consolidation (an empty chain), the chain from a txid of the
  wrong hop -- the list of 6 txids is compared;
- peel-cashouts: the change instead of the payment, the owner of the change (None) -- compared
  row by row;
- otc-cashout: the payment to the desk instead of the desk's deposit, output 1 (the desk's
  change) -- the desk's deposit has 2 inputs and 2 outputs for every trainee;
- sources: the consolidation's output instead of its inputs -- compared as a set;
- flows: the same policy for every key -- the planted desk deposit gets three different
  figures under the three policies for every trainee;
- at-rest: every reached output counted (each coin counted at each hop) -- differs by the
  deposits, which are all spent by sweeps;
- haircut-by-hand: dividing by the outputs' total (fee share kept), by the dirty input only --
  every sweep pays a fee of thousands of sat and mixes other deposits in;
- request-amounts: the deposits' whole values (= poison at the deposits), haircut at the
  deposits, poison at rest in the hot wallets -- the desk's deposit spends the desk's own older
  (clean) coin first, then the vendor's, and keeps change, so FIFO < haircut < the value at
  that deposit for every trainee;
- flow-chart: the bars unordered or under the wrong labels, sats instead of BTC -- labels are
  compared with their heights, in order.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import pandas as pd

from darktrail.course.judge import (
    Answers,
    FormError,
    Probe,
    _,
    any_text,
    hex_text,
    list_of,
    set_of,
    whole_number,
)
from darktrail.ledger import address_graph, transaction_graph
from darktrail.trace import (
    TAINT_POLICIES,
    change_address_reuse,
    change_one_time,
    change_optimal,
    change_round_payment,
    change_same_script_type,
    cluster_by_common_inputs,
    follow_peel_chain,
    is_coinjoin,
    taint,
)

answers = Answers()


def _service_of(case) -> dict[str, str]:
    def make():
        tags = pd.read_csv(io.BytesIO(case.files["ledger/tags.csv"]))
        return dict(zip(tags["address"], tags["name"], strict=True))

    return case.remember("tags", make)


def _consolidation(case) -> str:
    return case.truth.ledger.peel_chains[0].start_txid


def _sources(case) -> set[tuple[str, int]]:
    return {(i["txid"], i["vout"]) for i in case.ledger.tx(_consolidation(case))["vin"]}


def _flows(case, policy: str) -> dict:
    return case.remember(f"flows-{policy}", lambda: taint(case.ledger, _sources(case), policy))


def _hops(case):
    return follow_peel_chain(case.ledger, (_consolidation(case), 0))


def _desk_deposit(case) -> dict:
    ledger, hops = case.ledger, _hops(case)
    to_desk = ledger.spender(hops[-1].txid, hops[-1].change_vout)
    return ledger.tx(ledger.spender(to_desk, 0))


# -- forms ------------------------------------------------------------------------------


def _pair(value):
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise FormError(_("each item should be a pair (txid, vout)"))
    return (hex_text(value[0]), whole_number(value[1]))


def edge_set(value):
    """A set of graph edges (pairs of txids)."""
    if not isinstance(value, (frozenset, list, tuple)):
        raise FormError(_("tx_graph should be a networkx DiGraph"))
    return frozenset((hex_text(a), hex_text(b)) for a, b in value)


def graph_summary(value):
    """Nodes, edges and the sorted address list of Task 4."""
    if not isinstance(value, dict) or "vendor_addresses" not in value:
        raise FormError(_("vendor_addresses should be a list of addresses"))
    addresses = value["vendor_addresses"]
    if not isinstance(addresses, (list, tuple)):
        raise FormError(_("vendor_addresses should be a list of addresses"))
    return (
        whole_number(value["nodes"]),
        whole_number(value["edges"]),
        tuple(any_text(a) for a in addresses),
    )


def cluster_counts(value):
    if not isinstance(value, dict):
        raise FormError(_("cluster the whole ledger both times"))
    return tuple(whole_number(value[k]) for k in ("naive", "careful", "addresses"))


def _count_or_nan(value):
    if isinstance(value, float) and value != value:
        return None
    return round(float(value), 9)


def score_table(value):
    """{heuristic: (guesses, checked, right, precision or None)}."""
    if not isinstance(value, dict):
        raise FormError(_("scores should be a DataFrame"))
    return {
        str(name): (
            whole_number(row["guesses"]),
            whole_number(row["checked"]),
            whole_number(row["right"]),
            _count_or_nan(row["precision"]),
        )
        for name, row in value.items()
    }


def _row(value):
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        raise FormError(_("peel_cashouts needs the columns txid, address, owner and sats"))
    txid, address, owner, sats = value
    return (hex_text(txid), any_text(address), owner if owner is None else any_text(owner),
            whole_number(sats))  # fmt: skip


def cashout(value):
    if not isinstance(value, dict):
        raise FormError(_("otc_cashout should be a dictionary"))
    return _row([value.get(k) for k in ("txid", "address", "owner", "sats")])


def flow_maps(value):
    """{policy: {(txid, vout): dirty sats}}."""
    if not isinstance(value, dict) or set(value) != set(TAINT_POLICIES):
        raise FormError(_("flows needs the keys poison, haircut and fifo"))
    out = {}
    for policy, reached in value.items():
        if not isinstance(reached, dict):
            raise FormError(_("each value of flows should be the result of taint"))
        out[policy] = {_pair(k): whole_number(v) for k, v in reached.items()}
    return out


def per_key_sats(value):
    """{key: whole number of satoshis}."""
    if not isinstance(value, dict):
        raise FormError(_("the answer should map each key to a whole number of satoshis"))
    return {str(k): whole_number(v) for k, v in value.items()}


_LEADING_NUMBER = re.compile(r"^\s*\d+\s*[.):\-]?\s*")


def _label(text: str) -> str:
    return _LEADING_NUMBER.sub("", str(text)).strip()


def bars_in_order(chart):
    """A bar chart as [(label without its leading number, sats)], left to right."""
    if not isinstance(chart, dict) or "bars" not in chart:
        raise FormError(_("ax should be the axes of a bar chart"))
    bars = chart["bars"]
    horizontal = (
        bars
        and all(b["left"] == 0 for b in bars)
        and len({b["height"] for b in bars}) == 1
        and len({b["width"] for b in bars}) > 1
    )
    if horizontal:
        ordered = sorted(bars, key=lambda b: -b["y"])
        return [(_label(b["ylabel"]), round(b["width"] * 1e8)) for b in ordered]
    ordered = sorted(bars, key=lambda b: b["x"])
    return [(_label(b["label"]), round(b["height"] * 1e8)) for b in ordered]


# -- Part A -----------------------------------------------------------------------------


def _history(case) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(case.files["seized/wallet/electrum_history.csv"]))


@answers.value(
    "consolidation-test",
    form=hex_text,
    hint=_("take the first row whose value is negative (coins going out)"),
    mistakes={
        _("take the first row whose value is negative (coins going out), not the first row"): (
            lambda c: _history(c).iloc[0]["transaction_hash"]
        )
    },
)
def consolidation(case):
    return _consolidation(case)


@answers.value(
    "tx-graph-test",
    form=edge_set,
    hint=_("draw an edge from a transaction to every transaction that spends its outputs"),
)
def tx_graph(case):
    return sorted(transaction_graph(case.ledger).edges)


@answers.value(
    "funded-by-test",
    form=list_of(hex_text),
    hint=_("take the predecessors of the consolidation in tx_graph, sorted"),
)
def funded_by(case):
    return sorted({i["txid"] for i in case.ledger.tx(_consolidation(case))["vin"]})


@answers.value(
    "addr-graph-test",
    form=graph_summary,
    hint=_(
        "build addr_graph from the whole ledger and take the predecessors of the "
        "consolidation's output address, sorted"
    ),
)
def addr_graph(case):
    graph = address_graph(case.ledger)
    inputs = case.ledger.tx(_consolidation(case))["vin"]
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "vendor_addresses": sorted({i["prevout"]["scriptpubkey_address"] for i in inputs}),
    }


# -- Part B -----------------------------------------------------------------------------


def _fake_tx(rng, input_values, output_values):
    return {
        "txid": rng.randbytes(32).hex(),
        "vin": [
            {"txid": rng.randbytes(32).hex(), "vout": k, "is_coinbase": False,
             "prevout": {"scriptpubkey_address": f"in{k}", "value": v}}
            for k, v in enumerate(input_values)
        ],
        "vout": [{"scriptpubkey_address": f"out{k}", "value": v}
                 for k, v in enumerate(output_values)],
    }  # fmt: skip


def _distinct(rng, n, low, high, avoid):
    values = []
    while len(values) < n:
        v = rng.randint(low, high)
        if v not in values and v not in avoid:
            values.append(v)
    return values


def _join(rng, participants, inputs, equal, value, changes):
    outputs = [value] * equal + _distinct(rng, changes, 1_000, 900_000, {value})
    rng.shuffle(outputs)
    return _fake_tx(rng, [rng.randint(10**5, 10**7) for _ in range(inputs)], outputs)


def _no_top_tie(tx) -> bool:
    counts = Counter(out["value"] for out in tx["vout"]).most_common()
    return len(counts) < 2 or counts[0][1] != counts[1][1]


@answers.calls("coinjoin-rule-test", hint=_("apply every part of the course's CoinJoin rule"))
def coinjoin_probes(case, folder, rng):
    """Joins just above and at the dust limit, too few inputs, too many equal outputs."""
    p = rng.randint(3, 5)
    d = rng.randint(2, 40) * 10_000
    cases = [
        (_join(rng, p, p, p, d, p - 1), None),
        (_join(rng, p, p + 2, p, d, p), None),
        (_join(rng, p, p, p, 547, p - 1), _("547 sat is more than 546: not dust")),
        (_join(rng, p, p, p, 546, p - 1), _("equal outputs of 546 sat or less are dust")),
        (_join(rng, p, p, p, rng.randint(1, 545), p), _("equal outputs of 546 sat or less are dust")),
        (_join(rng, p, p - 1, p, d, p - 1), _("p participants need at least p inputs")),
        (_join(rng, p, p + 1, p + 1, d, p - 2), _("the most common value must appear exactly p times")),
        (_fake_tx(rng, [d, d], [d // 2, d // 2]), _("a CoinJoin has at least 3 outputs")),
        (_fake_tx(rng, [10 * d], [d, d, d]), _("a CoinJoin has at least 2 inputs")),
    ]  # fmt: skip
    ledger_txs = [
        t for t in case.transactions if not t["vin"][0].get("is_coinbase") and _no_top_tie(t)
    ]
    picks = [t for t in ledger_txs if is_coinjoin(t)] + rng.sample(ledger_txs, 6)
    cases += [(t, _("your rule disagrees with the course rule on a transaction of your ledger"))
              for t in picks]  # fmt: skip
    rng.shuffle(cases)
    return [Probe((tx,), is_coinjoin(tx), hint) for tx, hint in cases]


@answers.value(
    "find-coinjoin-test",
    form=set_of(hex_text),
    hint=_("apply your rule to every transaction of txs"),
)
def find_coinjoin(case):
    return [case.truth.ledger.coinjoin.txid]


@answers.value(
    "clusters-test",
    form=cluster_counts,
    hint=_("inputs of a CoinJoin must not be merged into one cluster; cluster the whole ledger"),
)
def clusters(case):
    naive = cluster_by_common_inputs(case.ledger, skip_coinjoin=False)
    careful = cluster_by_common_inputs(case.ledger, skip_coinjoin=True)
    return {"naive": naive.n_clusters, "careful": careful.n_clusters, "addresses": len(careful)}


def _cj_address(case):
    return case.ledger.tx(case.truth.ledger.coinjoin.txid)["vin"][0]["prevout"][
        "scriptpubkey_address"
    ]


@answers.value(
    "owners-test",
    form=set_of(any_text),
    hint=_("take the careful cluster id (clusters.of) of every address of the naive cluster"),
    mistakes={
        _("the ids should come from clusters (careful), not from naive"): lambda c: [
            cluster_by_common_inputs(c.ledger, skip_coinjoin=False).of(_cj_address(c))
        ]
    },
)
def glued(case):
    naive = cluster_by_common_inputs(case.ledger, skip_coinjoin=False)
    careful = cluster_by_common_inputs(case.ledger, skip_coinjoin=True)
    return sorted({careful.of(a) for a in naive.members(naive.of(_cj_address(case)))})


# -- Part C -----------------------------------------------------------------------------


def _optimal_probes(rng):
    k = rng.randint(3, 9) * 10_000
    return [
        ([6 * k, 5 * k], [9 * k, 2 * k - 1_000], _("the change is the only output below the smallest input")),
        ([7 * k, 8 * k], [k + 2_000, 14 * k], _("the change is the output below the smallest input, whatever its position")),
        ([10 * k], [3 * k, 7 * k - 900], _("with one input both outputs are below it: return None")),
        ([6 * k, 5 * k], [3 * k, 2 * k, 5 * k + 4_000], _("two outputs below the smallest input: return None")),
        ([5 * k, 6 * k], [5 * k, k], _("an output equal to the smallest input is not smaller than it")),
        ([2 * k, 3 * k], [2 * k + 500, 2 * k + 700], _("no output below the smallest input: return None")),
        ([4 * k, 9 * k], [6 * k, 4 * k + 300, k], _("compare with the smallest input, not the largest")),
        ([9 * k, 4 * k, 7 * k], [k, 16 * k, 2 * k + 100], _("the change is the only output below the smallest input")),
    ]  # fmt: skip


@answers.calls(
    "change-optimal-test",
    hint=_("return the index of the only output below the smallest input, else None"),
)
def optimal_probes(case, folder, rng):
    cases = [(_fake_tx(rng, i, o), h) for i, o, h in _optimal_probes(rng)]
    ledger_txs = [
        t for t in case.transactions
        if not any(i.get("is_coinbase") for i in t["vin"]) and len(t["vout"]) >= 2
        and all(o.get("scriptpubkey_address") for o in t["vout"])
    ]  # fmt: skip
    guessed = [t for t in ledger_txs if change_optimal(t) is not None]
    picks = guessed + rng.sample(ledger_txs, min(6, len(ledger_txs)))
    hint = _("your heuristic disagrees with optimal change on a transaction of your ledger")
    cases += [(t, hint) for t in picks]
    rng.shuffle(cases)
    return [Probe((tx,), change_optimal(tx), h) for tx, h in cases]


def _larger_output(tx, ledger=None):
    paid = [n for n, out in enumerate(tx["vout"]) if out.get("scriptpubkey_address")]
    return max(paid, key=lambda n: tx["vout"][n]["value"])


HEURISTICS = {
    "optimal change": change_optimal,
    "one-time change": change_one_time,
    "round payment": change_round_payment,
    "same script type": change_same_script_type,
    "address reuse": change_address_reuse,
    "larger output": _larger_output,
}


def _candidates(case):
    return [
        tx
        for tx in case.transactions
        if not any(inp.get("is_coinbase") for inp in tx["vin"])
        and not is_coinjoin(tx)
        and sum(1 for out in tx["vout"] if out.get("scriptpubkey_address")) >= 2
    ]


def score_rows(case, divide_by="checked", payer_input=0):
    service_of, ledger = _service_of(case), case.ledger
    table = {}
    for name, h in HEURISTICS.items():
        guesses = checked = right = 0
        for tx in _candidates(case):
            k = h(tx, ledger)
            if k is None:
                continue
            guesses += 1
            change = service_of.get(tx["vout"][k]["scriptpubkey_address"])
            if change is None:
                continue
            checked += 1
            payer = tx["vin"][payer_input]["prevout"]["scriptpubkey_address"]
            right += change == service_of.get(payer)
        base = checked if divide_by == "checked" else guesses
        precision = right / base if base else float("nan")
        table[name] = {"guesses": guesses, "checked": checked, "right": right,
                       "precision": precision}  # fmt: skip
    return table


@answers.value(
    "precision-test",
    form=score_table,
    hint=_(
        "count a guess when the heuristic does not return None; check it only when its change "
        "address is in the tag list; right when its service is the first input's service"
    ),
    mistakes={
        _("precision is right / checked: guesses that cannot be checked say nothing"): (
            lambda c: score_rows(c, divide_by="guesses")
        ),
    },
)
def precision(case):
    return score_rows(case)


# -- Part D -----------------------------------------------------------------------------


@answers.value(
    "peel-chain-test",
    form=list_of(hex_text),
    hint=_("follow every step of the chain from the outpoint (consolidation_txid, 0)"),
)
def peel_chain(case):
    return [h.txid for h in _hops(case)]


@answers.value(
    "peel-cashouts-test",
    form=list_of(_row),
    hint=_("take the payment (the smaller output) of each step, not the change, and its owner"),
)
def peel_cashouts(case):
    service_of = _service_of(case)
    return [
        [h.txid, h.payment_address, service_of.get(h.payment_address), h.payment_value]
        for h in _hops(case)
    ]


@answers.value(
    "otc-cashout-test",
    form=cashout,
    hint=_("follow two transactions: the payment to the desk, then the desk's deposit"),
)
def otc_cashout(case):
    out = _desk_deposit(case)["vout"][0]
    address = out["scriptpubkey_address"]
    return {"txid": _desk_deposit(case)["txid"], "address": address,
            "owner": _service_of(case).get(address), "sats": out["value"]}  # fmt: skip


# -- Part E -----------------------------------------------------------------------------


@answers.value("sources-test", form=set_of(_pair), hint=_("take every input of the consolidation"))
def sources(case):
    return sorted(_sources(case))


@answers.value("flows-test", form=flow_maps, hint=_("call taint with the policy named by the key"))
def flows(case):
    return {policy: _flows(case, policy) for policy in TAINT_POLICIES}


def _at_rest(case, everything=False):
    ledger = case.ledger
    return {
        policy: sum(
            v for (t, n), v in _flows(case, policy).items()
            if everything or ledger.spender(t, n) is None
        )
        for policy in TAINT_POLICIES
    }  # fmt: skip


@answers.value(
    "at-rest-test",
    form=per_key_sats,
    hint=_("count only outputs that nothing spends, or each coin is counted at every hop"),
    mistakes={
        _("count only outputs that nothing spends, or each coin is counted at every hop"): (
            lambda c: _at_rest(c, everything=True)
        )
    },
)
def at_rest(case):
    return _at_rest(case)


def _sweep(case):
    first = _hops(case)[0]
    return case.ledger.tx(case.ledger.spender(first.txid, first.payment_vout))


@answers.value(
    "haircut-by-hand-test",
    form=whole_number,
    hint=_(
        "divide by the total of the inputs: the fee's share of the dirty coins goes to the miner"
    ),
)
def haircut_by_hand(case):
    sweep, haircut = _sweep(case), _flows(case, "haircut")
    dirty = sum(haircut.get((i["txid"], i["vout"]), 0) for i in sweep["vin"])
    total = sum(i["prevout"]["value"] for i in sweep["vin"])
    return dirty * sweep["vout"][0]["value"] // total


def _deposits(case):
    service_of = _service_of(case)
    found = [(h.txid, h.payment_vout, service_of[h.payment_address]) for h in _hops(case)]
    desk = _desk_deposit(case)
    found.append((desk["txid"], 0, service_of[desk["vout"][0]["scriptpubkey_address"]]))
    return found


def request_under(case, policy):
    amounts: dict[str, int] = {}
    for txid, vout, owner in _deposits(case):
        if policy == "value":
            sats = case.ledger.tx(txid)["vout"][vout]["value"]
        else:
            sats = _flows(case, policy)[(txid, vout)]
        amounts[owner] = amounts.get(owner, 0) + sats
    return amounts


@answers.value(
    "request-amounts-test",
    form=per_key_sats,
    hint=_(
        "add up, per exchange, the FIFO taint of each deposit: the peeled payments and the desk's"
    ),
    mistakes={
        _(
            "the desk's deposit also spent the desk's own coin: take its FIFO taint, not its value"
        ): (lambda c: request_under(c, "value")),
        _("this case's policy is FIFO, not haircut"): lambda c: request_under(c, "haircut"),
    },
)
def request_amounts(case):
    return request_under(case, "fifo")


# -- Part F -----------------------------------------------------------------------------


@answers.value(
    "flow-chart-test",
    form=bars_in_order,
    hint=_(
        "one bar per cash-out in the order of the chain, the cash desk last, labelled with the "
        "exchange's name, as high as the amount in BTC"
    ),
)
def flow_chart(case):
    service_of = _service_of(case)
    rows = [(service_of[h.payment_address], h.payment_value) for h in _hops(case)]
    out = _desk_deposit(case)["vout"][0]
    rows.append((service_of[out["scriptpubkey_address"]], out["value"]))
    return {
        "bars": [
            {"label": f"{k + 1}. {name}", "height": sats / 1e8, "left": k - 0.4, "width": 0.8,
             "x": float(k), "y": sats / 2e8, "ylabel": ""}
            for k, (name, sats) in enumerate(rows)
        ]
    }  # fmt: skip
