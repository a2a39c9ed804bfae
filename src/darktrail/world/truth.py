"""The ground truth of a case as typed records: what really happened, for the grader only.

:func:`darktrail.world.generate` returns the truth as a :class:`Truth`; the locker stores it
as JSON in each trainee's answer record (:mod:`darktrail.course.locker`) and reads it back
with :meth:`Truth.from_json`; the judges (``exercises/<NN>/answers.py``) and the world's
tests read it by attribute (``truth.ledger.coinjoin.txid``, ``truth.seized.altered``).

The JSON shape is stable: one object per record, the attribute names as keys (except
:attr:`OtcTrade.seller`, stored as ``"from"``), lists for tuples, ``null`` for an unknown
value, and a few keys left out when they do not apply (marked *absent if None* below: e.g.
:attr:`CashOut.fifo_sats`, or :attr:`Site.btc` of a site that shows no address). A change to
that shape must raise :data:`darktrail.world.WORLD_VERSION`, which every truth records.
Decoding is strict: a missing, unknown or mistyped field raises :class:`TruthError` naming
the field's path (``truth.ledger.cashouts[3].sats``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

__all__ = [
    "Account",
    "AccountKey",
    "AddressOwner",
    "AnalyticsTrap",
    "BatchedPayout",
    "Canary",
    "CashOut",
    "ChangeTrap",
    "CoinJoin",
    "CoinJoinParticipant",
    "DustAttack",
    "EncryptedMessage",
    "Entity",
    "Filler",
    "ImpostorKey",
    "KeyCollision",
    "Keys",
    "Listings",
    "Market",
    "MarketAnalytics",
    "MoneyTrail",
    "Operator",
    "Order",
    "OtcTrade",
    "PeelChain",
    "PeelHop",
    "PhishingPayment",
    "Phone",
    "Seized",
    "ShopPayment",
    "SignedMessage",
    "Site",
    "Sites",
    "Sweep",
    "ToyRsa",
    "Truth",
    "TruthError",
    "Vendor",
    "WalletEdit",
    "json_shape",
]


class TruthError(ValueError):
    """A truth record does not have the expected shape; the message names the field."""


def _absent() -> Any:
    """A field left out of the JSON when it is None (and None when the JSON leaves it out)."""
    return field(default=None, metadata={"absent": True})


# --- the suspect and the other vendors ----------------------------------------------------


@dataclass(frozen=True)
class Account:
    """A vendor's account on one market."""

    market: str  #: market slug
    handle: str


@dataclass(frozen=True)
class Vendor:
    """A vendor (``truth.vendors[vendor_id]``): who they are and where they sell."""

    person: str
    accounts: tuple[Account, ...]
    city: str
    suspect: bool  #: True for the case's suspect


@dataclass(frozen=True)
class Listings:
    """What the listings hide: the category that is new, each market's pricing currency."""

    new_category: str
    market_currency: dict[str, str]  #: market slug -> currency code


# --- keys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountKey:
    """The key a market account really signs with (``truth.keys.accounts["market/handle"]``)."""

    vendor: str
    fingerprint: str


@dataclass(frozen=True)
class ImpostorKey:
    """A key posted elsewhere in a vendor's name."""

    file: str  #: evidence path of the key
    impersonates: str  #: vendor id
    fingerprint: str
    how: str  #: e.g. ``"collision"`` (same short key ID) or ``"lookalike uid"``


@dataclass(frozen=True)
class KeyCollision:
    """A vendor's genuine key and an impostor key sharing its short key ID."""

    vendor: str
    short_key_id: str
    genuine: str  #: fingerprint
    impostor: str  #: fingerprint


@dataclass(frozen=True)
class Keys:
    """Whose key is whose."""

    accounts: dict[str, AccountKey]  #: ``"market/handle"`` -> key
    impostors: tuple[ImpostorKey, ...]
    collision: KeyCollision | None


# --- the money trail ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sweep:
    """An entity sweeping its deposit or escrow addresses into one output."""

    txid: str
    entity: str
    inputs: int


@dataclass(frozen=True)
class BatchedPayout:
    """One transaction paying many (a pool, an exchange's withdrawals, a market's payouts)."""

    txid: str
    payer: str
    outputs: int


@dataclass(frozen=True)
class Order:
    """A buyer paying an order into a market's escrow."""

    txid: str
    buyer: str
    market: str  #: market slug
    vendor: str
    listing_id: str | None
    sats: int


@dataclass(frozen=True)
class PeelHop:
    """One hop of a peel chain: a payment to an exchange deposit address."""

    txid: str
    exchange: str
    deposit_address: str
    sats: int


@dataclass(frozen=True)
class PeelChain:
    """A vendor's consolidation (``start_txid``) and the hops peeled off it."""

    vendor: str
    start_txid: str
    hops: tuple[PeelHop, ...]


@dataclass(frozen=True)
class CashOut:
    """Coins arriving at an exchange deposit address: where criminal money meets a name."""

    txid: str
    vendor: str | None  #: the vendor cashing out, None for someone else (``entity``)
    exchange: str
    address: str  #: the deposit address
    sats: int
    via: str  #: ``"peel chain"``, ``"otc"``, ``"coinjoin"``, ``"partial"`` or ``"direct"``
    entity: str | None = _absent()  #: who cashes out when it is not a vendor
    fifo_sats: int | None = _absent()  #: the vendor's coin in it by FIFO (peel chain, OTC)


@dataclass(frozen=True)
class OtcTrade:
    """Coins sold to the OTC desk (stored as JSON key ``"from"`` for the seller)."""

    txid: str
    seller: str = field(metadata={"json": "from"})
    address: str  #: the desk's receiving address
    sats: int


@dataclass(frozen=True)
class DustAttack:
    """A spammer's dust sent to used addresses."""

    txid: str
    addresses: tuple[str, ...]
    sats: int  #: per address


@dataclass(frozen=True)
class CoinJoinParticipant:
    """One participant of the CoinJoin and their equal-valued output."""

    entity: str
    equal_output: str  #: address
    inputs: int


@dataclass(frozen=True)
class CoinJoin:
    """The CoinJoin a vendor mixes through."""

    txid: str
    denomination: int
    participants: tuple[CoinJoinParticipant, ...]


@dataclass(frozen=True)
class PhishingPayment:
    """A victim paying a phishing clone's deposit address."""

    txid: str
    buyer: str
    address: str
    sats: int


@dataclass(frozen=True)
class ShopPayment:
    """A buyer paying a vendor's own shop directly."""

    txid: str
    vendor: str
    address: str
    sats: int


@dataclass(frozen=True)
class ChangeTrap:
    """A payment where the named change heuristics pick the payment as change."""

    txid: str
    payment_vout: int
    change_vout: int
    fools: tuple[str, ...]  #: names of the heuristics it fools


@dataclass(frozen=True)
class AddressOwner:
    """Who holds an address (``truth.ledger.addresses[address]``) and what it is for."""

    entity: str
    kind: str  #: the entity's kind (``"vendor"``, ``"exchange"``, ...)
    wallet: str
    role: str  #: e.g. ``"deposit"``, ``"change"``, ``"market-withdrawal:<market>/<handle>"``


@dataclass(frozen=True)
class Entity:
    """Someone on the ledger (``truth.ledger.entities[entity_id]``)."""

    kind: str
    name: str


@dataclass(frozen=True)
class MoneyTrail:
    """The ledger's planted patterns (``truth.ledger``) and the owner of every address."""

    sweeps: tuple[Sweep, ...]
    batched_payouts: tuple[BatchedPayout, ...]
    orders: tuple[Order, ...]
    peel_chains: tuple[PeelChain, ...]
    cashouts: tuple[CashOut, ...]
    otc: tuple[OtcTrade, ...]
    dust: DustAttack | None
    coinjoin: CoinJoin | None
    phishing_payments: tuple[PhishingPayment, ...]
    shop_payments: tuple[ShopPayment, ...]
    change_traps: tuple[ChangeTrap, ...]
    core_samples: tuple[str, ...]  #: txids given as Bitcoin Core output
    addresses: dict[str, AddressOwner]
    entities: dict[str, Entity]


@dataclass(frozen=True)
class Filler:
    """Scale worlds only: how many background transactions surround the case."""

    transactions: int
    chains: int


# --- markets and sites --------------------------------------------------------------------


@dataclass(frozen=True)
class Canary:
    """A market's warrant canary and whether it can be trusted."""

    date: str  #: ISO date
    block_height: int
    block_hash: str
    block_on_chain: bool
    kind: str  #: how it was planted, e.g. ``"stale, forged block"``
    status: str  #: the right verdict: ``"ok"``, ``"stale"``, ...


@dataclass(frozen=True)
class Market:
    """A market (``truth.markets[slug]``): its genuine mirrors and the addresses that are not."""

    name: str
    mirrors: tuple[str, ...]
    signing_fingerprint: str
    canary: Canary
    unsigned_backup_mirror: str | None
    phishing: tuple[str, ...]
    lookalikes: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """A crawled onion site (``truth.sites.sites[site_id]``): what it is and who runs it."""

    url: str
    kind: str  #: ``"market mirror"``, ``"phishing clone"``, ``"vendor shop"``, ...
    operator: str
    analytics: tuple[str, ...]
    ssh_host_key: str | None
    imitates: str | None = _absent()
    clearnet_ip: str | None = _absent()
    photo_gps: tuple[float, float] | None = _absent()
    camera: str | None = _absent()
    btc: str | None = _absent()
    btc_extra: tuple[str, ...] | None = _absent()
    btc_decoys: tuple[str, ...] | None = _absent()
    pgp_keys: tuple[str, ...] | None = _absent()
    market: str | None = _absent()  #: market slug of a mirror or clone


@dataclass(frozen=True)
class Operator:
    """Someone running sites (``truth.sites.operators["op1"]``: the phisher)."""

    kind: str
    handle: str
    email: str
    clearnet_ip: str
    ssh_host_key: str
    ad_id: str
    sites: tuple[str, ...]


@dataclass(frozen=True)
class AnalyticsTrap:
    """An analytics ID shared by sites of different operators (a template's)."""

    id: str
    sites: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class MarketAnalytics:
    """A market's own analytics ID, on its mirrors only."""

    id: str
    market: str
    why: str


@dataclass(frozen=True)
class Sites:
    """The crawl's truth."""

    sites: dict[str, Site]
    operators: dict[str, Operator]
    analytics_trap: AnalyticsTrap
    market_analytics: MarketAnalytics


# --- messages, phone, seized laptop -------------------------------------------------------


@dataclass(frozen=True)
class SignedMessage:
    """A clearsigned message in a vendor's name: genuine or forged, and how."""

    claimed_vendor: str
    genuine: bool
    kind: str  #: ``"genuine"``, ``"edited"``, ``"impostor"``, ...
    signer_fingerprint: str


@dataclass(frozen=True)
class EncryptedMessage:
    """An encrypted message: to whom, and what it says."""

    encrypted_to: str  #: fingerprint
    recipient_vendor: str
    plaintext: str


@dataclass(frozen=True)
class ToyRsa:
    """The suspect's home-made RSA key."""

    p: int
    q: int
    d: int


@dataclass(frozen=True)
class Phone:
    """What the suspect's phone extraction hides."""

    clipboard: str
    vault_key: str  #: hex
    note: str
    pin: str
    rsa: ToyRsa
    intercepted_text: str


@dataclass(frozen=True)
class WalletEdit:
    """The receipt the suspect lowered in the wallet export before seizure."""

    txid: str
    row: int
    chain_sats: int
    export_sats: int


@dataclass(frozen=True)
class Seized:
    """The seized laptop: the photo's position, the edited export, the altered file."""

    photo_gps: tuple[float, float]
    altered: str  #: path (relative to ``seized/``) of the file altered after imaging
    altered_offset: int
    sha256_in_manifest: str
    sha256_now: str
    wallet_edit: WalletEdit | None = _absent()


# --- the whole case -----------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """The ground truth of one world (instructor and grader only).

    Examples
    --------
    >>> from darktrail.world import generate
    >>> truth = generate("tiny", "t01", course_key=bytes(32)).truth
    >>> truth.ledger.coinjoin.txid == truth.to_json()["ledger"]["coinjoin"]["txid"]
    True
    >>> Truth.from_json(truth.to_json()) == truth
    True
    """

    scenario: str
    trainee: str | None
    world_version: int
    vendors: dict[str, Vendor]
    listings: Listings
    keys: Keys
    ledger: MoneyTrail
    markets: dict[str, Market]  #: market slug -> market
    messages: dict[str, SignedMessage | EncryptedMessage]  #: evidence path -> message
    phone: Phone
    sites: Sites
    seized: Seized
    filler: Filler | None = _absent()

    @property
    def suspect(self) -> str:
        """The suspect's vendor id."""
        return next(vid for vid, vendor in self.vendors.items() if vendor.suspect)

    def to_json(self) -> dict[str, Any]:
        """The truth as JSON-ready dicts and lists (the shape described in the module)."""
        return _encode(self)

    @classmethod
    def from_json(cls, data: Any, where: str = "truth") -> Truth:
        """Decode :meth:`to_json`'s output (or its JSON text, parsed).

        Parameters
        ----------
        data : dict
        where : str
            Name of the value in error messages (e.g. the file it came from).

        Raises
        ------
        TruthError
            If a field is missing, unknown or of the wrong type; the message names its path.

        Examples
        --------
        >>> Truth.from_json({"scenario": "tiny"})
        Traceback (most recent call last):
        ...
        darktrail.world.truth.TruthError: truth: the field 'trainee' of a Truth is missing
        """
        return _decode(cls, data, where)

    def write(self, path: str | Path) -> Path:
        """Write the truth as indented JSON to ``path``; return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False)
        path.write_text(text + "\n", "utf-8")
        return path

    @classmethod
    def read(cls, path: str | Path) -> Truth:
        """Read a truth file written by :meth:`write`.

        Raises
        ------
        TruthError
            If the file is not JSON or a record in it is malformed (the path and field named).
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise TruthError(f"{path}: not JSON ({error})") from error
        return cls.from_json(data, where=str(path))


def json_shape(tp: Any = None) -> str:
    """The JSON shape of the truth as text: every key (``?``: may be absent) and its type.

    Record names and field order are left out (renaming or reordering keeps the shape, and
    decoding ignores key order); the tests pin this text's
    hash to :data:`darktrail.world.WORLD_VERSION`, so a change of shape must raise it.

    Examples
    --------
    >>> json_shape(ToyRsa)
    '{d: int, p: int, q: int}'
    """
    tp = Truth if tp is None else tp
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        parts = []
        for f in dataclasses.fields(tp):
            key = f.metadata.get("json", f.name) + ("?" if f.metadata.get("absent") else "")
            parts.append(f"{key}: {json_shape(hints[f.name])}")
        return "{" + ", ".join(sorted(parts)) + "}"
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        return " | ".join(json_shape(a) for a in args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"[{json_shape(args[0])}...]"
        return "[" + ", ".join(json_shape(a) for a in args) + "]"
    if origin is dict:
        return f"{{str: {json_shape(args[1])}}}"
    return "null" if tp is type(None) else tp.__name__


# --- the codec ----------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None and f.metadata.get("absent"):
                continue
            out[f.metadata.get("json", f.name)] = _encode(item)
        return out
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _kind(tp: Any) -> str:
    """How a type reads in an error message."""
    if dataclasses.is_dataclass(tp):
        return f"{'an' if tp.__name__[0] in 'AEIOU' else 'a'} {tp.__name__}"
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        return " or ".join(_kind(a) for a in typing.get_args(tp))
    if origin is tuple or origin is list:
        return "a list"
    if origin is dict:
        return "an object"
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}.get(
        tp, "null" if tp is type(None) else str(tp)
    )


def _found(data: Any) -> str:
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."


def _decode(tp: Any, data: Any, where: str) -> Any:
    if dataclasses.is_dataclass(tp):
        return _decode_record(tp, data, where)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _decode(options[0], data, where)
        return _decode_choice(options, data, where)
    if origin is tuple:
        if not isinstance(data, list):
            raise TruthError(f"{where}: expected a list, found {_found(data)}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item, f"{where}[{n}]") for n, item in enumerate(data))
        if len(data) != len(args):
            raise TruthError(f"{where}: expected {len(args)} items, found {len(data)}")
        pairs = enumerate(zip(args, data, strict=True))
        return tuple(_decode(a, item, f"{where}[{n}]") for n, (a, item) in pairs)
    if origin is dict:
        if not isinstance(data, dict):
            raise TruthError(f"{where}: expected an object, found {_found(data)}")
        return {
            _decode(args[0], key, f"{where} key {key!r}"): _decode(
                args[1], item, f"{where}[{key!r}]"
            )
            for key, item in data.items()
        }
    if tp is float:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return float(data)
    elif tp is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
    elif isinstance(data, tp):
        return data
    raise TruthError(f"{where}: expected {_kind(tp)}, found {_found(data)}")


def _decode_record(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise TruthError(f"{where}: expected {_kind(cls)} (an object), found {_found(data)}")
    hints = _hints(cls)
    values, known = {}, set()
    for f in dataclasses.fields(cls):
        key = f.metadata.get("json", f.name)
        known.add(key)
        if key not in data:
            if f.metadata.get("absent"):
                continue
            raise TruthError(f"{where}: the field {key!r} of {_kind(cls)} is missing")
        values[f.name] = _decode(hints[f.name], data[key], f"{where}.{key}")
    unknown = sorted(set(data) - known)
    if unknown:
        raise TruthError(
            f"{where}: unknown field {unknown[0]!r} in {_kind(cls)} "
            f"(its fields: {', '.join(sorted(known))})"
        )
    return cls(**values)


def _decode_choice(options: list[Any], data: Any, where: str) -> Any:
    """A value of one of several record types: the one whose fields match the keys."""
    if isinstance(data, dict):
        for option in options:
            names = {f.metadata.get("json", f.name) for f in dataclasses.fields(option)}
            required = {
                f.metadata.get("json", f.name)
                for f in dataclasses.fields(option)
                if not f.metadata.get("absent")
            }
            if required <= set(data) <= names:
                return _decode_record(option, data, where)
    raise TruthError(
        f"{where}: expected {' or '.join(_kind(o) for o in options)}, "
        f"found an object with the keys {sorted(data) if isinstance(data, dict) else _found(data)}"
    )
