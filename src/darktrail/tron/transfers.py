"""TRC-20 and TRX transfer records from the TRON HTTP API, read into pandas.

TRC-20 token transfers (USDT above all) come from TronGrid's
``GET /v1/accounts/<address>/transactions/trc20``, one record per ``Transfer`` event::

    {"transaction_id": "5f1c...e2", "block_timestamp": 1718000000000,
     "from": "T...", "to": "T...", "type": "Transfer", "value": "250000000",
     "token_info": {"symbol": "USDT", "address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
                    "decimals": 6, "name": "Tether USD"}}

``value`` is a decimal string in the token's smallest unit (USDT has 6 decimals, so
``"250000000"`` is 250 USDT) and ``block_timestamp`` is milliseconds since 1970 (UTC).
TRX itself moves in ``TransferContract`` transactions, from
``GET /v1/accounts/<address>/transactions``, in sun (1 TRX = 1,000,000 sun)::

    {"txID": "9a0b...", "block_timestamp": 1718000000000,
     "ret": [{"contractRet": "SUCCESS", "fee": 0}],
     "raw_data": {"contract": [{"type": "TransferContract", "parameter": {"value": {
         "amount": 30000000, "owner_address": "41...", "to_address": "41..."}}}]}}

The same transfers appear as contract *events*: TronGrid's
``GET /v1/contracts/<token>/events?event_name=Transfer`` gives ``result`` with ``from`` and
``to`` in the EVM form (``0x`` and 40 hex digits) and ``value`` as a decimal string
(:func:`read_trc20_events`); the node's ``gettransactioninfobyid`` gives the raw log, with
``topics`` (the event signature's Keccak-256, then the two addresses left-padded to 32
bytes) and ``data`` (the value as a 32-byte word) (:func:`transfer_from_log`).

Account records (``GET /v1/accounts/<address>``) give an address's balances at the time
of the query: ``balance`` in sun and ``trc20`` as a list of ``{contract: "amount"}``
objects, with ``create_time`` and ``latest_opration_time`` (TronGrid's spelling) in ms.

Amounts stay Python ints in the smallest unit everywhere (the frames hold them in an
``object`` column, so 18-decimal tokens do not overflow int64); :func:`token_units` shows
them as exact :class:`~decimal.Decimal` token amounts. A float never touches an amount.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from darktrail.tron.addresses import (
    TRANSFER_TOPIC,
    TronAddressError,
    decode,
    from_evm,
    from_hex,
)

__all__ = [
    "SUN_PER_TRX",
    "TRANSFER_COLUMNS",
    "TRX_COLUMNS",
    "USDT_CONTRACT",
    "USDT_DECIMALS",
    "ACCOUNT_COLUMNS",
    "TransferRecordError",
    "read_accounts",
    "read_trc20_events",
    "read_trc20_transfers",
    "read_trx_transfers",
    "to_smallest_unit",
    "token_amounts",
    "token_units",
    "transfer_from_log",
]

#: Tether's USDT TRC-20 contract on TRON mainnet (public; the format vector of this module).
USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
#: Decimal places of USDT on TRON: 1 USDT = 1,000,000 of its smallest unit.
USDT_DECIMALS = 6
#: Sun in one TRX.
SUN_PER_TRX = 1_000_000

#: Columns of :func:`read_trc20_transfers`.
TRANSFER_COLUMNS = [
    "transaction_id",
    "time",
    "from",
    "to",
    "value",
    "token",
    "token_address",
    "decimals",
]
#: Columns of :func:`read_trx_transfers`.
TRX_COLUMNS = ["transaction_id", "time", "from", "to", "value", "fee", "status"]
#: Columns of :func:`read_accounts`.
ACCOUNT_COLUMNS = ["address", "created", "last_operation", "trx", "token_balance"]


_HEX = frozenset("0123456789abcdefABCDEF")


class TransferRecordError(ValueError):
    """Transfer records are malformed; ``problems`` lists each, naming the record and field."""

    def __init__(self, problems: Sequence[str], source: str) -> None:
        self.problems = list(problems)
        self.source = source
        shown = "\n  ".join(self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n  {shown}{more}")


# --------------------------------------------------------------------------- amounts


def _check_decimals(decimals: Any) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, int | np.integer):
        raise ValueError(f"decimals must be an integer from 0 to 77, got {decimals!r}")
    if not 0 <= decimals <= 77:
        raise ValueError(f"decimals must be an integer from 0 to 77, got {decimals!r}")
    return int(decimals)


def token_units(value: int, decimals: int) -> Decimal:
    """Return an amount in the token's smallest unit as an exact number of tokens.

    Parameters
    ----------
    value : int
        Amount in the smallest unit (as in a record's ``value``).
    decimals : int
        The token's decimal places (``token_info.decimals``; 6 for USDT, 6 for TRX in sun).

    Returns
    -------
    decimal.Decimal
        The amount with exactly ``decimals`` decimal places.

    Raises
    ------
    ValueError
        If ``value`` is not an integer (a float would hide rounding) or ``decimals`` is not
        an integer from 0 to 77.

    Examples
    --------
    >>> token_units(250_000_000, 6)
    Decimal('250.000000')
    >>> token_units(1, 6)
    Decimal('0.000001')
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"token_units needs an integer amount in the smallest unit, got {value!r}")
    places = _check_decimals(decimals)
    return Decimal(int(value)).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def to_smallest_unit(amount: Decimal | str | int, decimals: int, *, where: str = "amount") -> int:
    """Return a token amount (``"12.5"`` USDT) as an integer of the smallest unit.

    Parameters
    ----------
    amount : Decimal, str or int
        The amount in tokens. Floats are refused: write the amount as text.
    decimals : int
        The token's decimal places.
    where : str, default "amount"
        Where the amount came from, for the error message.

    Returns
    -------
    int
        The amount in the smallest unit.

    Raises
    ------
    ValueError
        If the amount is a float, not a number, negative, or finer than the token allows.

    Examples
    --------
    >>> to_smallest_unit("12.5", 6)
    12500000
    >>> to_smallest_unit("0.0000001", 6)
    Traceback (most recent call last):
    ...
    ValueError: amount: '0.0000001' has more than 6 decimal places
    """
    places = _check_decimals(decimals)
    if isinstance(amount, bool) or not isinstance(amount, Decimal | str | int):
        raise ValueError(f"{where}: expected a Decimal, str or int amount, got {amount!r}")
    try:
        number = Decimal(amount)
    except InvalidOperation:
        raise ValueError(f"{where}: {amount!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{where}: {amount!r} is not a non-negative amount")
    scaled = number.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{where}: {amount!r} has more than {places} decimal places")
    return int(scaled)


def token_amounts(transfers: pd.DataFrame) -> pd.Series:
    """Return the ``value`` column of a transfer frame in token units, as Decimals.

    Examples
    --------
    >>> frame = pd.DataFrame({"value": [1_500_000, 7], "decimals": [6, 6]})
    >>> token_amounts(frame).tolist()
    [Decimal('1.500000'), Decimal('0.000007')]
    """
    return pd.Series(
        [token_units(v, d) for v, d in zip(transfers["value"], transfers["decimals"], strict=True)],
        index=transfers.index,
        dtype=object,
        name="amount",
    )


# --------------------------------------------------------------------------- reading


def _records(data: Any) -> tuple[list[Any], str]:
    """Flatten a file, a TronGrid page ({"data": [...]}), a list of pages or a list of records."""
    source = "records"
    if isinstance(data, str | os.PathLike):
        source = os.fspath(data)
        try:
            with open(data, encoding="utf-8") as handle:
                data = json.load(handle)
        except json.JSONDecodeError as error:
            raise TransferRecordError([f"not JSON: {error}"], source) from None
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, Iterable) or isinstance(data, str | bytes):
        raise TransferRecordError(
            [f"expected a list of records, got {type(data).__name__}"], source
        )
    records: list[Any] = []
    for item in data:
        if isinstance(item, Mapping) and "data" in item and isinstance(item["data"], list):
            if item.get("success") is False:
                error = item.get("error")
                raise TransferRecordError([f"a page says success: false ({error!r})"], source)
            records.extend(item["data"])
        else:
            records.append(item)
    return records, source


def _address(value: Any, where: str, problems: list[str]) -> str | None:
    try:
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and (text[:2].lower() == "0x" or len(text) == 42):
            return from_hex(text)  # the node API's "41..." form
        decode(value)
        return value.strip()
    except TronAddressError as error:
        problems.append(f"{where}: {error}")
        return None


def _integer(value: Any, where: str, problems: list[str], *, text_ok: bool) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if text_ok and isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    kind = "a float (amounts must be exact)" if isinstance(value, float) else repr(value)
    problems.append(f"{where}: expected a non-negative integer, got {kind}")
    return None


def _is_txid(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in _HEX for c in value)


def _utc_ms(milliseconds: list[Any]) -> pd.Series:
    return pd.to_datetime(pd.Series(milliseconds, dtype="int64"), unit="ms", utc=True)


def _transfer_frame(
    rows: list[tuple], columns: tuple[str, ...], dtypes: dict[str, str] | None = None
) -> pd.DataFrame:
    """Rows ``(transaction_id, time in ms, *columns)`` as a frame in time order. Amounts stay
    Python ints (``object`` columns: int64 would overflow on large token amounts)."""
    names = ("transaction_id", "time", *columns)
    frame = pd.DataFrame(
        {
            name: pd.Series([r[i] for r in rows], dtype=(dtypes or {}).get(name, object))
            for i, name in enumerate(names)
            if name != "time"
        }
    )
    frame.insert(1, "time", _utc_ms([r[1] for r in rows]))
    return frame.sort_values("time", kind="stable", ignore_index=True)


def _record_name(i: int, record: Mapping[str, Any], key: str) -> str:
    txid = record.get(key)
    return f"record {i}" + (f" ({txid[:16]}...)" if isinstance(txid, str) and txid else "")


def read_trc20_transfers(
    records: Any, *, token: str | None = None, keep_duplicates: bool = False
) -> pd.DataFrame:
    """Read TronGrid ``transactions/trc20`` records into a frame, one row per token transfer.

    Parameters
    ----------
    records : list of dict, dict, or path
        The records; a TronGrid response page (``{"data": [...], "success": true}``) or a
        list of pages; or the path of a JSON file holding any of these.
    token : str, optional
        Keep only this token: its contract address (``T...``) or its symbol (``"USDT"``).
    keep_duplicates : bool, default False
        Records fetched for several accounts repeat the transfers between them; identical
        records (same transaction, from, to, value and token) are kept once unless this
        is True.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRANSFER_COLUMNS`: ``transaction_id, time, from, to, value, token,
        token_address, decimals``, sorted by time (stable: records in the same block keep
        their order). ``time`` is UTC; ``value`` holds Python ints in the smallest unit;
        ``token`` is the symbol. Records whose ``type`` is not ``"Transfer"`` (TronGrid
        also lists ``"Approval"`` events, which move nothing) are left out.

    Raises
    ------
    TransferRecordError
        Listing every malformed record: a missing field, an address that fails its
        checksum or prefix (with the reason), a value that is not a whole non-negative
        number in the smallest unit (a float is refused), bad decimals or timestamp.

    Examples
    --------
    >>> usdt = {"symbol": "USDT", "address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    ...         "decimals": 6, "name": "Tether USD"}
    >>> frame = read_trc20_transfers([{
    ...     "transaction_id": "ab" * 32, "block_timestamp": 1718000000000,
    ...     "from": "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC",
    ...     "to": "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
    ...     "type": "Transfer", "value": "250000000", "token_info": usdt}])
    >>> row = frame.iloc[0]
    >>> row["time"], row["value"], row["token"], token_units(row["value"], row["decimals"])
    (Timestamp('2024-06-10 06:13:20+0000', tz='UTC'), 250000000, 'USDT', Decimal('250.000000'))
    """
    items, source = _records(records)
    problems: list[str] = []
    rows: list[tuple[Any, ...]] = []
    for i, record in enumerate(items):
        if not isinstance(record, Mapping):
            problems.append(f"record {i}: expected an object, got {type(record).__name__}")
            continue
        name = _record_name(i, record, "transaction_id")
        missing = [
            f
            for f in ("transaction_id", "from", "to", "value", "token_info", "block_timestamp")
            if f not in record
        ]
        if missing:
            problems.append(f"{name}: missing field(s) {', '.join(missing)}")
            continue
        if record.get("type", "Transfer") != "Transfer":
            continue
        txid = record["transaction_id"]
        if not _is_txid(txid):
            problems.append(f"{name}: transaction_id: expected 64 hex digits, got {txid!r}")
        info = record["token_info"]
        if not isinstance(info, Mapping) or not {"address", "decimals", "symbol"} <= set(info):
            problems.append(f"{name}: token_info: needs address, decimals and symbol")
            continue
        decimals = _integer(
            info["decimals"], f"{name}: token_info.decimals", problems, text_ok=True
        )
        row = (
            txid.lower() if isinstance(txid, str) else txid,
            _integer(
                record["block_timestamp"], f"{name}: block_timestamp", problems, text_ok=False
            ),
            _address(record["from"], f"{name}: from", problems),
            _address(record["to"], f"{name}: to", problems),
            _integer(record["value"], f"{name}: value", problems, text_ok=True),
            str(info["symbol"]),
            _address(info["address"], f"{name}: token_info.address", problems),
            decimals,
        )
        rows.append(row)
    if problems:
        raise TransferRecordError(problems, source)
    if not keep_duplicates:
        seen: set[tuple[Any, ...]] = set()
        unique = []
        for row in rows:
            key = (row[0], row[2], row[3], row[4], row[6])
            if key not in seen:
                seen.add(key)
                unique.append(row)
        rows = unique
    if token is not None:
        rows = [r for r in rows if token in (r[5], r[6])]
    columns = ("from", "to", "value", "token", "token_address", "decimals")
    return _transfer_frame(rows, columns, {"decimals": "int64"})


def read_trx_transfers(transactions: Any) -> pd.DataFrame:
    """Read TronGrid ``transactions`` records and keep the TRX transfers (``TransferContract``).

    Parameters
    ----------
    transactions : list of dict, dict, or path
        Transactions as TronGrid's ``/v1/accounts/<address>/transactions`` returns them (or
        a page, a list of pages, a JSON file). Addresses may be hex (``41...``, the default)
        or Base58Check (``visible=true``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRX_COLUMNS`: ``transaction_id, time, from, to, value, fee, status``.
        ``value`` and ``fee`` are Python ints in sun; ``status`` is ``ret[0].contractRet``
        (``"SUCCESS"`` for a transfer that happened). Other contract types (token calls,
        staking, votes) are left out; identical transactions are kept once.

    Raises
    ------
    TransferRecordError
        Listing every malformed transfer, naming the record and the field.

    Examples
    --------
    >>> tx = {"txID": "cd" * 32, "block_timestamp": 1718000000000,
    ...       "ret": [{"contractRet": "SUCCESS", "fee": 1100000}],
    ...       "raw_data": {"contract": [{"type": "TransferContract", "parameter": {"value": {
    ...           "amount": 30000000,
    ...           "owner_address": "417e5f4552091a69125d5dfcb7b8c2659029395bdf",
    ...           "to_address": "418840e6c55b9ada326d211d818c34a994aeced808"}}}]}}
    >>> frame = read_trx_transfers([tx])
    >>> frame.loc[0, ["from", "to", "value", "fee"]].tolist()
    ['TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC', 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', 30000000, 1100000]
    """
    items, source = _records(transactions)
    problems: list[str] = []
    rows: dict[str, tuple[Any, ...]] = {}
    for i, tx in enumerate(items):
        if not isinstance(tx, Mapping):
            problems.append(f"record {i}: expected an object, got {type(tx).__name__}")
            continue
        name = _record_name(i, tx, "txID")
        try:
            contract = tx["raw_data"]["contract"][0]
            kind = contract["type"]
        except (KeyError, IndexError, TypeError):
            problems.append(f"{name}: missing raw_data.contract[0].type")
            continue
        if kind != "TransferContract":
            continue
        value = contract.get("parameter", {}).get("value", {})
        missing = [f for f in ("amount", "owner_address", "to_address") if f not in value]
        missing += [f for f in ("txID", "block_timestamp") if f not in tx]
        if missing:
            problems.append(f"{name}: missing field(s) {', '.join(missing)}")
            continue
        ret = (tx.get("ret") or [{}])[0]
        rows[tx["txID"]] = (
            tx["txID"],
            _integer(tx["block_timestamp"], f"{name}: block_timestamp", problems, text_ok=False),
            _address(value["owner_address"], f"{name}: owner_address", problems),
            _address(value["to_address"], f"{name}: to_address", problems),
            _integer(value["amount"], f"{name}: amount", problems, text_ok=False),
            _integer(ret.get("fee", 0), f"{name}: ret.fee", problems, text_ok=False),
            str(ret.get("contractRet", "SUCCESS")),
        )
    if problems:
        raise TransferRecordError(problems, source)
    return _transfer_frame(list(rows.values()), ("from", "to", "value", "fee", "status"))


def read_accounts(accounts: Any, *, token: str = USDT_CONTRACT) -> pd.DataFrame:
    """Read TronGrid account records (``/v1/accounts/<address>``): balances at query time.

    Parameters
    ----------
    accounts : list of dict, dict, or path
        Account records, a page, a list of pages, or a JSON file of any of these.
        ``address`` may be hex (``41...``) or Base58Check.
    token : str, default :data:`USDT_CONTRACT`
        The TRC-20 contract whose balance goes in ``token_balance``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ACCOUNT_COLUMNS`: ``address`` (T...), ``created`` and
        ``last_operation`` (UTC; NaT when absent), ``trx`` (sun) and ``token_balance``
        (smallest unit; 0 when the account holds none), both Python ints.

    Raises
    ------
    TransferRecordError
        Listing every malformed record, naming it and the field.

    Examples
    --------
    >>> frame = read_accounts({"data": [{
    ...     "address": "417e5f4552091a69125d5dfcb7b8c2659029395bdf", "balance": 12500000,
    ...     "create_time": 1718000000000, "latest_opration_time": 1718600000000,
    ...     "trc20": [{"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t": "4750000000"}]}],
    ...     "success": True})
    >>> frame.loc[0, ["address", "trx", "token_balance"]].tolist()
    ['TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC', 12500000, 4750000000]
    """
    items, source = _records(accounts)
    problems: list[str] = []
    rows = []
    for i, account in enumerate(items):
        if not isinstance(account, Mapping) or "address" not in account:
            problems.append(f"record {i}: expected an account object with an address")
            continue
        name = f"record {i} ({account['address']})"
        holdings = 0
        for entry in account.get("trc20") or []:
            if not isinstance(entry, Mapping):
                problems.append(f"{name}: trc20: expected {{contract: amount}} objects")
                continue
            if token in entry:
                holdings = _integer(entry[token], f"{name}: trc20[{token}]", problems, text_ok=True)
        times = []
        for field in ("create_time", "latest_opration_time"):
            value = account.get(field)
            times.append(
                None
                if value is None
                else _integer(value, f"{name}: {field}", problems, text_ok=False)
            )
        rows.append(
            (
                _address(account["address"], f"{name}: address", problems),
                *times,
                _integer(account.get("balance", 0), f"{name}: balance", problems, text_ok=False),
                holdings,
            )
        )
    if problems:
        raise TransferRecordError(problems, source)
    return pd.DataFrame(
        {
            "address": pd.Series([r[0] for r in rows], dtype=object),
            "created": pd.to_datetime(
                pd.Series([r[1] for r in rows], dtype="Int64"), unit="ms", utc=True
            ),
            "last_operation": pd.to_datetime(
                pd.Series([r[2] for r in rows], dtype="Int64"), unit="ms", utc=True
            ),
            "trx": pd.Series([r[3] for r in rows], dtype=object),
            "token_balance": pd.Series([r[4] for r in rows], dtype=object),
        }
    )


def transfer_from_log(log: Mapping[str, Any]) -> tuple[str, str, str, int]:
    """Decode a raw TRC-20 ``Transfer`` log (as ``gettransactioninfobyid`` returns it).

    Parameters
    ----------
    log : dict
        ``{"address": <20-byte contract, hex>, "topics": [<Transfer topic>, <from>, <to>],
        "data": <value as a 32-byte hex word>}``.

    Returns
    -------
    (str, str, str, int)
        Token contract, sender and recipient (all ``T...``) and the value in the
        smallest unit.

    Raises
    ------
    ValueError
        If the log is not a ``Transfer`` event (other topic 0, or not three topics), or an
        address or the value is malformed.

    Examples
    --------
    >>> transfer_from_log({
    ...     "address": "a614f803b6fd780986a42c78ec9c7f77e6ded13c",
    ...     "topics": [TRANSFER_TOPIC,
    ...                "0" * 24 + "7e5f4552091a69125d5dfcb7b8c2659029395bdf",
    ...                "0" * 24 + "8840e6c55b9ada326d211d818c34a994aeced808"],
    ...     "data": f"{250_000_000:064x}"})
    ('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC', 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', 250000000)
    """
    topics = [str(t).lower().removeprefix("0x") for t in log.get("topics") or []]
    if len(topics) != 3 or topics[0] != TRANSFER_TOPIC:
        raise ValueError(
            "not a TRC-20 Transfer log: expected 3 topics, the first "
            f"Keccak-256('Transfer(address,address,uint256)') = {TRANSFER_TOPIC[:16]}..."
        )
    contract = str(log.get("address", ""))
    contract_t = (
        from_hex(contract) if len(contract.removeprefix("0x")) == 42 else from_evm(contract)
    )
    data = str(log.get("data", "")).removeprefix("0x")
    if len(data) != 64 or any(c not in _HEX for c in data):
        raise ValueError(f"Transfer log data: expected one 32-byte hex word, got {data!r}")
    return contract_t, from_evm(topics[1]), from_evm(topics[2]), int(data, 16)


def read_trc20_events(
    events: Any, *, symbol: str | None = None, decimals: int | None = None
) -> pd.DataFrame:
    """Read TronGrid contract events (``/v1/contracts/<token>/events``) of ``Transfer`` kind.

    Parameters
    ----------
    events : list of dict, dict, or path
        Event records (``transaction_id``, ``block_timestamp``, ``contract_address``,
        ``event_name``, ``result`` with ``from``, ``to`` in the EVM form and ``value``), a
        page, a list of pages, or a JSON file. Other events (``Approval``) are left out.
    symbol, decimals : optional
        The token's symbol and decimal places (events do not carry them). For the USDT
        contract they default to ``"USDT"`` and 6; for another token both are required.

    Returns
    -------
    pandas.DataFrame
        The same columns as :func:`read_trc20_transfers` (:data:`TRANSFER_COLUMNS`).

    Raises
    ------
    TransferRecordError
        Listing every malformed event, or a token whose symbol and decimals are unknown.

    Examples
    --------
    >>> frame = read_trc20_events([{
    ...     "transaction_id": "ab" * 32, "block_timestamp": 1718000000000,
    ...     "contract_address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    ...     "event_name": "Transfer", "result": {
    ...         "from": "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf",
    ...         "to": "0x8840e6c55b9ada326d211d818c34a994aeced808", "value": "250000000"}}])
    >>> frame.loc[0, ["from", "to", "value", "token"]].tolist()
    ['TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC', 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', 250000000, 'USDT']
    """
    items, source = _records(events)
    problems: list[str] = []
    records = []
    for i, event in enumerate(items):
        if not isinstance(event, Mapping):
            problems.append(f"record {i}: expected an object, got {type(event).__name__}")
            continue
        if event.get("event_name", "Transfer") != "Transfer":
            continue
        name = _record_name(i, event, "transaction_id")
        result = event.get("result")
        if not isinstance(result, Mapping) or not {"from", "to", "value"} <= set(result):
            problems.append(f"{name}: result needs from, to and value")
            continue
        parties = []
        for field in ("from", "to"):
            try:
                parties.append(from_evm(result[field]))
            except TronAddressError as error:
                problems.append(f"{name}: result.{field}: {error}")
        contract = _address(event.get("contract_address"), f"{name}: contract_address", problems)
        if len(parties) != 2 or contract is None:
            continue
        if contract == USDT_CONTRACT and symbol is None and decimals is None:
            info = {"symbol": "USDT", "decimals": USDT_DECIMALS}
        elif symbol is None or decimals is None:
            problems.append(f"{name}: token {contract}: pass symbol= and decimals= for it")
            continue
        else:
            info = {"symbol": symbol, "decimals": decimals}
        records.append(
            {
                "transaction_id": event.get("transaction_id"),
                "block_timestamp": event.get("block_timestamp"),
                "from": parties[0],
                "to": parties[1],
                "value": result["value"],
                "type": "Transfer",
                "token_info": {**info, "address": contract},
            }
        )
    if problems:
        raise TransferRecordError(problems, source)
    return read_trc20_transfers(records)
