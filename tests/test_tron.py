"""Tests for darktrail.tron against published TRON, Keccak-256, secp256k1 and EIP-55 vectors."""

import functools
import hashlib
import json
import random
from decimal import Decimal

import pandas as pd
import pytest

from darktrail.tron import addresses as tron_addresses
from darktrail.tron.addresses import (
    TRANSFER_TOPIC,
    TronAddressError,
    address_from_private_key,
    address_from_public_key,
    decode,
    decompress_public_key,
    encode,
    evm_checksum,
    find_addresses,
    from_evm,
    from_hex,
    is_valid,
    keccak256,
    public_key_from_private,
    to_evm,
    to_hex,
)
from darktrail.tron.flows import (
    balances,
    deposit_addresses,
    fee_funders,
    flow_graph,
    follow_funds,
    shared_fee_funders,
)
from darktrail.tron.transfers import (
    ACCOUNT_COLUMNS,
    SUN_PER_TRX,
    TRANSFER_COLUMNS,
    TRX_COLUMNS,
    USDT_CONTRACT,
    TransferRecordError,
    read_accounts,
    read_trc20_events,
    read_trc20_transfers,
    read_trx_transfers,
    to_smallest_unit,
    token_amounts,
    token_units,
    transfer_from_log,
)


def fixed_key(name: str) -> int:
    """A fixed private key for a fictional test address (never anybody's real key)."""
    return int.from_bytes(hashlib.sha256(f"darktrail test key: {name}".encode()).digest(), "big")


@functools.cache
def fictional(name: str) -> str:
    return address_from_private_key(fixed_key(name))


# --------------------------------------------------------------------------- Keccak-256

# Published Keccak-256 digests (the Keccak team's submission padding, as Ethereum uses it).
KECCAK256_VECTORS = [
    (b"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
    (b"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    (
        b"The quick brown fox jumps over the lazy dog",
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
    ),
    # The ERC-20 / TRC-20 Transfer event topic, as every block explorer shows it.
    (
        b"Transfer(address,address,uint256)",
        "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
    ),
]


@pytest.mark.parametrize(("message", "digest"), KECCAK256_VECTORS)
def test_keccak256_published_vectors(message, digest):
    """keccak256 gives the published digests."""
    assert keccak256(message).hex() == digest


def test_keccak256_is_not_sha3_256():
    """Keccak-256 differs from NIST SHA3-256 (hashlib.sha3_256) on the same input."""
    assert keccak256(b"").hex() != hashlib.sha3_256(b"").hexdigest()
    assert TRANSFER_TOPIC == KECCAK256_VECTORS[3][1]


@pytest.mark.parametrize("length", [0, 1, 55, 135, 136, 137, 271, 272, 273, 1000])
def test_permutation_matches_hashlib_sha3_with_sha3_padding(length):
    """With SHA3's padding byte the same sponge gives hashlib's SHA3-256, over block edges."""
    data = random.Random(length).randbytes(length)
    assert tron_addresses._sponge(data, 136, 0x06, 32) == hashlib.sha3_256(data).digest()


def test_keccak256_rejects_text():
    """A str is not hashed silently (which encoding would it be?)."""
    with pytest.raises(TypeError, match="needs bytes"):
        keccak256("abc")


# --------------------------------------------------------------------------- secp256k1

# Multiples of the base point G (SEC 2; widely published): k -> (x, y).
SECP256K1_MULTIPLES = {
    1: (
        "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
    ),
    2: (
        "c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
        "1ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a",
    ),
    3: (
        "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9",
        "388f7b0f632de8140fe337e62a37f3566500a99934c2231b6cb9fd7584b8e672",
    ),
}


@pytest.mark.parametrize("k", sorted(SECP256K1_MULTIPLES))
def test_public_key_of_small_private_keys(k):
    """k*G matches the published coordinates, uncompressed and compressed."""
    x, y = SECP256K1_MULTIPLES[k]
    assert public_key_from_private(k).hex() == "04" + x + y
    parity = "03" if int(y, 16) & 1 else "02"
    assert public_key_from_private(k, compressed=True).hex() == parity + x


def test_n_minus_one_times_g_is_minus_g():
    """(n-1)G = -G: same x, y = p - Gy (the group order n from SEC 2)."""
    x, y = SECP256K1_MULTIPLES[1]
    minus_y = tron_addresses._P - int(y, 16)
    assert public_key_from_private(tron_addresses._N - 1).hex() == "04" + x + f"{minus_y:064x}"


@pytest.mark.parametrize("name", ["even", "odd", "shop", "courier", "exchanger"])
def test_decompression_round_trips(name):
    """Decompressing the compressed key gives the uncompressed key back (both y parities)."""
    full = public_key_from_private(fixed_key(name))
    assert decompress_public_key(public_key_from_private(fixed_key(name), compressed=True)) == full


def test_decompression_covers_both_parities():
    """The test keys above include an even and an odd y, so both branches run."""
    names = ["even", "odd", "shop", "courier", "exchanger"]
    parities = {public_key_from_private(fixed_key(n), compressed=True)[0] for n in names}
    assert parities == {2, 3}


def test_decompression_rejects_x_off_the_curve():
    """x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square mod p)."""
    with pytest.raises(ValueError, match="not on the secp256k1 curve"):
        decompress_public_key(b"\x02" + (5).to_bytes(32, "big"))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (b"\x04" + bytes(31), "33 .compressed., 64 .x . y. or 65"),
        (b"\x05" + bytes(32), "33 bytes starting 02 or 03"),
        (b"\x02" + bytes(64), "starts with 04"),
        (bytes(64), "not on the secp256k1 curve"),
    ],
)
def test_bad_public_keys_are_named(key, message):
    """A public key of the wrong length, prefix or point is refused with the reason."""
    with pytest.raises(ValueError, match=message):
        address_from_public_key(key)


@pytest.mark.parametrize("key", [0, tron_addresses._N, bytes(31), True])
def test_bad_private_keys_are_refused(key):
    """Zero, n, a short key and a bool are not private keys."""
    with pytest.raises(ValueError):
        public_key_from_private(key)


# --------------------------------------------------------------------------- TRON addresses

# Private key 1: its public key is G; its Ethereum address 0x7E5F...5Bdf is the best-known
# EVM vector, and the TRON address is 0x41 and the same 20 bytes.
KEY_ONE_ADDRESS = "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC"
KEY_ONE_EVM = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"

# tronpy's documentation, ``generate_address`` example output (a published throwaway key).
TRONPY_EXAMPLE = {
    "private_key": "c5e6a5b71d109f1879c2fe48a10f31b55c13d0cfe46c80cd55456c823d7be0ec",
    "public_key": "76a4228aea00e52495339f125dbdb06aebdc50c32f7bd17cd341bef28efb3af1"
    "e75de3839a353426858aa8d0cdf6d5b1a8bc0777d737e86e35b4c8d8416bb540",
    "hex_address": "41ab737d3fc5828dcaf7d605477435d6f3fce02392",
    "base58check_address": "TRbkuCKpqPCFEnWTExeeuADA4pNF9Mqwfb",
}

# Format vectors (Base58Check <-> hex): the TRON developer docs' "Account" page example, and
# the USDT TRC-20 contract (public, on every explorer).
FORMAT_VECTORS = [
    ("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "418840e6c55b9ada326d211d818c34a994aeced808"),
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "41a614f803b6fd780986a42c78ec9c7f77e6ded13c"),
    (KEY_ONE_ADDRESS, "417e5f4552091a69125d5dfcb7b8c2659029395bdf"),
]

# EIP-55's own test cases (all caps, all lower, mixed).
EIP55_VECTORS = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


def test_address_of_private_key_one():
    """Private key 1 gives the published TRON and EVM addresses."""
    assert address_from_private_key(1) == KEY_ONE_ADDRESS
    assert to_evm(KEY_ONE_ADDRESS, checksum=True) == KEY_ONE_EVM


def test_tronpy_documented_key_pair():
    """The documented private key -> public key -> hex -> Base58Check chain holds."""
    private = bytes.fromhex(TRONPY_EXAMPLE["private_key"])
    public = public_key_from_private(private)
    assert public[1:].hex() == TRONPY_EXAMPLE["public_key"]
    for form in (public, public[1:], public_key_from_private(private, compressed=True)):
        assert address_from_public_key(form) == TRONPY_EXAMPLE["base58check_address"]
    assert to_hex(TRONPY_EXAMPLE["base58check_address"]) == TRONPY_EXAMPLE["hex_address"]


@pytest.mark.parametrize(("base58", "hex_form"), FORMAT_VECTORS)
def test_base58_and_hex_forms(base58, hex_form):
    """Base58Check and hex forms convert both ways; upper case and 0x41 are accepted."""
    assert to_hex(base58) == hex_form
    assert from_hex(hex_form) == base58
    assert from_hex(hex_form.upper()) == base58
    assert from_hex("0x" + hex_form) == base58
    assert encode(bytes.fromhex(hex_form)) == base58
    assert encode(bytes.fromhex(hex_form)[1:]) == base58
    assert decode(base58).hex() == hex_form
    assert is_valid(base58)


@pytest.mark.parametrize(("base58", "hex_form"), FORMAT_VECTORS)
def test_evm_form_and_log_topic(base58, hex_form):
    """The EVM form is the hex form without 41; a log topic is it left-padded to 32 bytes."""
    assert to_evm(base58) == "0x" + hex_form[2:]
    assert from_evm("0x" + hex_form[2:]) == base58
    assert from_evm("0x" + "00" * 12 + hex_form[2:]) == base58
    assert from_evm(to_evm(base58, checksum=True)) == base58


@pytest.mark.parametrize("checksummed", EIP55_VECTORS)
def test_eip55_vectors(checksummed):
    """evm_checksum reproduces EIP-55's test cases from lower case."""
    assert evm_checksum(checksummed.lower()) == checksummed


def test_every_address_starts_with_t_and_has_34_characters():
    """Fictional addresses from many test keys are all T..., 34 long, and round-trip."""
    for i in range(30):
        address = fictional(f"round trip {i}")
        assert address[0] == "T" and len(address) == 34
        assert from_hex(to_hex(address)) == address == from_evm(to_evm(address))


def _with_bad_checksum(address: str) -> str:
    """Change one character so that the checksum breaks (a typo in a pasted address)."""
    i = 10
    replacement = "2" if address[i] != "2" else "3"
    return address[:i] + replacement + address[i + 1 :]


def test_each_failure_is_named():
    """bad length, invalid character, bad checksum and wrong prefix each have their reason."""
    good = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
    bitcoin_p2pkh = "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo"  # 34 characters, valid checksum
    cases = {
        good[:-1]: "bad length",
        good + "1": "bad length",
        good[:5] + "0" + good[6:]: "invalid character",
        good[:5] + "l" + good[6:]: "invalid character",
        _with_bad_checksum(good): "bad checksum",
        bitcoin_p2pkh: "wrong prefix",
        # A valid Base58Check string of 21 bytes with prefix 0x42, 34 characters long.
        tron_addresses.base58check_encode(b"\x42" + bytes(20)): "wrong prefix",
    }
    for text, reason in cases.items():
        with pytest.raises(TronAddressError) as caught:
            decode(text)
        assert caught.value.reason == reason, text
        assert reason in str(caught.value) and repr(text) in str(caught.value)
        assert not is_valid(text)


def test_hex_and_evm_errors_are_named():
    """The hex and EVM forms report a bad length, a non-hex digit and a wrong prefix."""
    cases = [
        (from_hex, "42a614f803b6fd780986a42c78ec9c7f77e6ded13c", "wrong prefix"),
        (from_hex, "41a614f803b6fd780986a42c78ec9c7f77e6ded13", "bad length"),
        (from_hex, "a614f803b6fd780986a42c78ec9c7f77e6ded13c", "bad length"),
        (from_hex, "41g614f803b6fd780986a42c78ec9c7f77e6ded13c", "invalid character"),
        (from_evm, "0xa614f803b6fd780986a42c78ec9c7f77e6ded1", "bad length"),
        (from_evm, "41a614f803b6fd780986a42c78ec9c7f77e6ded13c", "bad length"),
        (from_evm, "01" + "00" * 11 + "a614f803b6fd780986a42c78ec9c7f77e6ded13c", "wrong prefix"),
        (from_evm, "0xz614f803b6fd780986a42c78ec9c7f77e6ded13c", "invalid character"),
    ]
    for function, text, reason in cases:
        with pytest.raises(TronAddressError) as caught:
            function(text)
        assert caught.value.reason == reason, (function.__name__, text)


def test_hex_form_given_to_decode_says_so():
    """Passing the hex form where Base58Check is expected points to from_hex."""
    with pytest.raises(TronAddressError, match="use from_hex"):
        decode("41a614f803b6fd780986a42c78ec9c7f77e6ded13c")


def test_not_a_string():
    """None and bytes are refused with reason 'not a string'."""
    for function in (decode, from_hex, from_evm):
        with pytest.raises(TronAddressError) as caught:
            function(None)
        assert caught.value.reason == "not a string"


def test_find_addresses_in_chat_text_catches_the_typo():
    """Valid addresses are found once each; a mistyped one is reported with its reason."""
    shop, courier = fictional("shop wallet"), fictional("courier")
    typo = _with_bad_checksum(shop)
    text = (
        f"Оплата USDT TRC20: {shop}\nповторяю {shop}, курьер {courier}.\n"
        f"new wallet {typo} (BTC: 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo)"
    )
    assert find_addresses(text) == [shop, courier]
    assert find_addresses(text, invalid=True) == [(typo, "bad checksum")]
    zero, short = courier[:7] + "0" + courier[8:], shop[:20] + shop[21:]
    assert find_addresses(f"{zero} / {short}", invalid=True) == [
        (zero, "invalid character"),
        (short, "bad length"),
    ]


def test_partly_funded_payment_is_one_source():
    """A receipt whose sender had some funds on record and some not is one source row."""
    a = fictional("partly funded")
    records = [usdt_record(BUYER, a, "5", 0), usdt_record(a, SHOP, "8", 1)]
    trace = follow_funds(flow_graph(read_trc20_transfers(records)), SHOP)
    assert trace.sources[["from", "amount"]].values.tolist() == [[a, 8_000_000]]


# --------------------------------------------------------------------------- transfer records

USDT_INFO = {"symbol": "USDT", "address": USDT_CONTRACT, "decimals": 6, "name": "Tether USD"}
T0 = 1_718_000_000_000  # 2024-06-10 06:13:20 UTC, in milliseconds
MINUTE = 60_000


def _txid(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def usdt_record(sender: str, recipient: str, usdt: str, minute: int, label: str = "", **extra):
    """A TronGrid ``transactions/trc20`` record moving ``usdt`` (text) at T0 + minute."""
    record = {
        "transaction_id": _txid(label or f"{sender}>{recipient}@{minute}:{usdt}"),
        "token_info": dict(USDT_INFO),
        "block_timestamp": T0 + minute * MINUTE,
        "from": sender,
        "to": recipient,
        "type": "Transfer",
        "value": str(to_smallest_unit(usdt, 6)),
    }
    record.update(extra)
    return record


def trx_record(sender, recipient, sun, minute, *, hex_form=True, kind="TransferContract"):
    """A TronGrid ``transactions`` record of a TRX transfer (addresses in hex by default)."""
    value = {"amount": sun, "owner_address": sender, "to_address": recipient}
    if hex_form:
        value = {**value, "owner_address": to_hex(sender), "to_address": to_hex(recipient)}
    return {
        "txID": _txid(f"trx {sender}>{recipient}@{minute}"),
        "block_timestamp": T0 + minute * MINUTE,
        "ret": [{"contractRet": "SUCCESS", "fee": 0}],
        "raw_data": {"contract": [{"type": kind, "parameter": {"value": value}}]},
    }


BUYER, SHOP, COURIER = fictional("buyer"), fictional("shop"), fictional("courier")


def test_reads_records_pages_and_files(tmp_path):
    """A list of records, a TronGrid page, a list of pages and a JSON file read the same."""
    records = [usdt_record(BUYER, SHOP, "250", 0), usdt_record(SHOP, COURIER, "40.5", 5)]
    page = {"data": records, "success": True, "meta": {"page_size": 2}}
    path = tmp_path / "trc20.json"
    path.write_text(json.dumps([page]), encoding="utf-8")
    frames = [read_trc20_transfers(x) for x in (records, page, [page], path, str(path))]
    for frame in frames:
        pd.testing.assert_frame_equal(frame, frames[0])
    frame = frames[0]
    assert list(frame.columns) == TRANSFER_COLUMNS
    assert frame["value"].tolist() == [250_000_000, 40_500_000]
    assert all(type(v) is int for v in frame["value"])
    assert str(frame["time"].dt.tz) == "UTC"
    assert frame["time"].iloc[0] == pd.Timestamp("2024-06-10 06:13:20", tz="UTC")
    assert token_amounts(frame).tolist() == [Decimal("250.000000"), Decimal("40.500000")]


def test_sorted_by_time_and_duplicates_dropped():
    """Newest-first pages come out oldest first; a transfer listed for both accounts once."""
    first, second = usdt_record(BUYER, SHOP, "250", 0), usdt_record(SHOP, COURIER, "40", 5)
    frame = read_trc20_transfers([second, first, second])
    assert frame["to"].tolist() == [SHOP, COURIER]
    assert len(read_trc20_transfers([second, first, second], keep_duplicates=True)) == 3


def test_approvals_are_not_transfers_and_token_filter():
    """Approval events are left out; token= keeps one token by symbol or contract."""
    other = {"symbol": "FAKE", "address": fictional("token contract"), "decimals": 18, "name": "x"}
    records = [
        usdt_record(BUYER, SHOP, "250", 0),
        usdt_record(BUYER, SHOP, "1000000", 1, type="Approval"),
        usdt_record(BUYER, SHOP, "1", 2, token_info=other),
    ]
    assert len(read_trc20_transfers(records)) == 2
    assert read_trc20_transfers(records, token="USDT")["token"].tolist() == ["USDT"]
    assert read_trc20_transfers(records, token=other["address"])["token"].tolist() == ["FAKE"]


def test_values_beyond_int64_stay_exact():
    """An 18-decimal token's value larger than int64 survives exactly."""
    big = {"symbol": "BIG", "address": fictional("big token"), "decimals": 18, "name": "x"}
    record = usdt_record(BUYER, SHOP, "1", 0, token_info=big, value=str(10**25 + 1))
    frame = read_trc20_transfers([record])
    assert frame["value"].iloc[0] == 10**25 + 1
    assert token_amounts(frame).iloc[0] == Decimal("10000000.000000000000000001")


def test_hex_form_addresses_in_records_are_read():
    """Records written with 41... addresses (the node API's form) come out as T..."""
    record = usdt_record(to_hex(BUYER), to_hex(SHOP), "3", 0)
    assert read_trc20_transfers([record])[["from", "to"]].values.tolist() == [[BUYER, SHOP]]


def test_malformed_records_are_all_listed():
    """Every problem is reported, each naming the record and the field."""
    records = [
        usdt_record(_with_bad_checksum(BUYER), SHOP, "1", 0),
        usdt_record(BUYER, SHOP, "1", 1, value=2.5),
        usdt_record(BUYER, SHOP, "1", 2, value="-3"),
        {"transaction_id": "ab" * 32},
        usdt_record(BUYER, "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", "1", 3),
        usdt_record(BUYER, SHOP, "1", 4, transaction_id="xyz"),
    ]
    with pytest.raises(TransferRecordError) as caught:
        read_trc20_transfers(records)
    problems = caught.value.problems
    assert len(problems) == 6
    assert problems[0].startswith("record 0") and "from" in problems[0]
    assert "bad checksum" in problems[0]
    assert "float" in problems[1] and "value" in problems[1]
    assert "'-3'" in problems[2]
    assert "missing field(s)" in problems[3]
    assert "wrong prefix" in problems[4] and "to:" in problems[4]
    assert "transaction_id" in problems[5]


def test_bad_json_file_names_the_file(tmp_path):
    """A file that is not JSON is named in the error."""
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(TransferRecordError, match="broken.json"):
        read_trc20_transfers(path)


def test_token_units_and_smallest_unit():
    """Conversions are exact both ways and refuse floats and excess precision."""
    assert token_units(1, 6) == Decimal("0.000001")
    assert to_smallest_unit(Decimal("0.000001"), 6) == 1
    assert to_smallest_unit("1000", 6) == 1_000_000_000
    assert to_smallest_unit(token_units(123_456_789, 6), 6) == 123_456_789
    for bad in (0.1, "1e-7", "-1", "abc", True):
        with pytest.raises(ValueError):
            to_smallest_unit(bad, 6)
    for bad in (1.0, "1"):
        with pytest.raises(ValueError, match="integer amount"):
            token_units(bad, 6)
    with pytest.raises(ValueError, match="decimals"):
        token_units(1, -1)


def test_read_trx_transfers_hex_and_base58():
    """TRX transfers read from hex or visible=true records; token calls are left out."""
    records = [
        trx_record(BUYER, SHOP, 30 * SUN_PER_TRX, 0),
        trx_record(SHOP, COURIER, 5 * SUN_PER_TRX, 1, hex_form=False),
        trx_record(SHOP, USDT_CONTRACT, 0, 2, kind="TriggerSmartContract"),
    ]
    frame = read_trx_transfers({"data": records, "success": True})
    assert list(frame.columns) == TRX_COLUMNS
    assert frame[["from", "to", "value"]].values.tolist() == [
        [BUYER, SHOP, 30_000_000],
        [SHOP, COURIER, 5_000_000],
    ]
    assert set(frame["status"]) == {"SUCCESS"}


def test_read_trx_transfers_names_bad_records():
    """A TRX transfer with a mistyped address or a float amount is reported."""
    bad = trx_record(BUYER, SHOP, 1, 0)
    bad["raw_data"]["contract"][0]["parameter"]["value"]["to_address"] = "41" + "zz" * 20
    floaty = trx_record(BUYER, COURIER, 1, 1)
    floaty["raw_data"]["contract"][0]["parameter"]["value"]["amount"] = 1.5
    with pytest.raises(TransferRecordError) as caught:
        read_trx_transfers([bad, floaty])
    assert "to_address" in caught.value.problems[0]
    assert "invalid character" in caught.value.problems[0]
    assert "float" in caught.value.problems[1]


# --------------------------------------------------------------------------- flows

# A small fictional case: buyers pay the shop, the shop passes money to its main wallet,
# which pays the exchanger; the exchanger's collecting address sweeps to an exchange
# deposit address, the exchange sweeps its deposits to its hot wallet.
BUYERS = [fictional(f"buyer {i}") for i in range(6)]
CLIENTS = [fictional(f"exchanger client {i}") for i in range(5)]
OLD_FUNDS, MAIN = fictional("earlier income"), fictional("shop main wallet")
DESK, EXCHANGE_DEPOSIT = fictional("exchanger desk"), fictional("exchange deposit of desk")
HOT, CARD_PAYOUT = fictional("exchange hot wallet"), fictional("withdrawal")
DEPOSITS = [fictional(f"exchange customer deposit {i}") for i in range(3)]
CUSTOMERS = [fictional(f"exchange customer {i}") for i in range(3)]


def case_records():
    """TronGrid-shaped USDT records of the case, newest first as TronGrid serves them."""
    r = [usdt_record(OLD_FUNDS, SHOP, "100", 0)]  # older balance, before the window
    for i, buyer in enumerate(BUYERS):  # 6 payments of 50..300 from minute 60 on
        r.append(usdt_record(buyer, SHOP, str(50 * (i + 1)), 60 + 10 * i))
    r.append(usdt_record(SHOP, MAIN, "600", 130))  # 100 old + 500 of the buyers' 1050
    r.append(usdt_record(SHOP, COURIER, "80", 140))  # a courier's pay: 80 traced
    r.append(usdt_record(MAIN, DESK, "600", 150))
    for i, client in enumerate(CLIENTS):
        r.append(usdt_record(client, DESK, "1000", 100 + i))
    r.append(usdt_record(DESK, EXCHANGE_DEPOSIT, "5600", 170))
    r.append(usdt_record(EXCHANGE_DEPOSIT, HOT, "5600", 175))
    for i, (customer, deposit) in enumerate(zip(CUSTOMERS, DEPOSITS, strict=True)):
        r.append(usdt_record(customer, deposit, str(700 + i), 200 + i))
        r.append(usdt_record(deposit, HOT, str(700 + i), 230 + i))
    r.append(usdt_record(HOT, CARD_PAYOUT, "3000", 300))
    return sorted(r, key=lambda x: -x["block_timestamp"])


def case_graph():
    return flow_graph(read_trc20_transfers(case_records()))


def test_flow_graph_nodes_edges_and_attributes():
    """Addresses are nodes, each transfer one edge with int amount, UTC time and token."""
    graph = case_graph()
    assert graph.number_of_edges() == len(case_records())
    assert SHOP in graph and HOT in graph
    (key, edge), *_ = graph[MAIN][DESK].items()
    assert edge["amount"] == 600_000_000 and type(edge["amount"]) is int
    assert edge["time"] == pd.Timestamp(T0 + 150 * MINUTE, unit="ms", tz="UTC")
    assert key == edge["transaction_id"] + ":0"
    assert graph.graph["tokens"] == {USDT_CONTRACT: {"symbol": "USDT", "decimals": 6}}


def test_follow_funds_fifo_amounts():
    """The buyers' 1050 USDT: older 100 leaves first, so 500 reach the main wallet."""
    trace = follow_funds(case_graph(), SHOP, since=pd.Timestamp(T0 + 30 * MINUTE, unit="ms"))
    usdt = 1_000_000
    assert trace.total == 1050 * usdt
    assert sorted(trace.sources["from"]) == sorted(BUYERS)
    first_hops = trace.hops[trace.hops["hop"] == 1].set_index("to")["amount"]
    assert first_hops[MAIN] == 500 * usdt and first_hops[COURIER] == 80 * usdt
    # The main wallet's 600 are the shop's older 100 and 500 of the buyers'; it sends all
    # 600 to the desk, so the second hop carries the same 500.
    assert trace.hops[trace.hops["hop"] == 2]["amount"].tolist() == [500 * usdt]
    assert trace.held_by(SHOP) == (1050 - 500 - 80) * usdt
    assert trace.held_by(COURIER) == 80 * usdt
    assert trace.conserved


def test_follow_funds_through_the_desk_to_the_hot_wallet():
    """FIFO through the desk: clients paid in before the shop, so traced funds go last."""
    usdt = 1_000_000
    trace = follow_funds(case_graph(), SHOP, since="2024-06-10 06:40", stop_at=[HOT])
    assert trace.held_by(HOT) == 500 * usdt  # the desk sent everything on
    held_at_hot = trace.held[trace.held["address"] == HOT]
    assert held_at_hot["followed"].tolist() == [False]
    # The hot wallet's payout is not followed: pooled funds belong to its customers.
    assert CARD_PAYOUT not in set(trace.hops["to"])
    assert trace.conserved


def test_without_stop_the_hot_wallet_payout_is_followed_fifo():
    """Without stop_at, FIFO runs through the hot wallet too and amounts stay conserved."""
    trace = follow_funds(case_graph(), SHOP, since="2024-06-10 06:40")
    assert trace.conserved
    # The hot wallet got the desk's 5600 first (500 traced, at the end), then 2103 more;
    # its 3000 payout takes the desk's 5600 lot only partly: no traced funds in it.
    assert trace.held_by(HOT) == 500_000_000
    assert trace.held_by(CARD_PAYOUT) == 0


def test_senders_filter_and_until():
    """senders= follows only some payments; until= is the state at that time."""
    graph = case_graph()
    two = follow_funds(graph, SHOP, senders=BUYERS[:2])
    assert two.total == (50 + 100) * 1_000_000
    assert two.conserved
    early = follow_funds(graph, SHOP, since="2024-06-10 06:40", until="2024-06-10 08:30")
    assert early.total == 1050 * 1_000_000  # all payments happened before 08:30
    assert early.as_of == pd.Timestamp("2024-06-10 08:30", tz="UTC")
    assert early.held_by(MAIN) == 500 * 1_000_000  # the main wallet pays the desk at 08:43
    assert early.held_by(DESK) == 0


def test_max_hops_holds_funds_where_the_last_hop_put_them():
    """With max_hops=1 the main wallet's traced 500 are held there, not followed on."""
    trace = follow_funds(case_graph(), SHOP, since="2024-06-10 06:40", max_hops=1)
    assert set(trace.hops["hop"]) == {1}
    assert trace.held_by(MAIN) == 500 * 1_000_000
    assert trace.conserved


def test_same_block_order_does_not_matter():
    """A -> B -> C in one block is replayed in the order that covers B, however listed."""
    a, b, c = fictional("block a"), fictional("block b"), fictional("block c")
    records = [usdt_record(a, b, "10", 5), usdt_record(b, c, "10", 5)]
    for order in (records, records[::-1]):
        trace = follow_funds(flow_graph(read_trc20_transfers(order)), b)
        assert trace.held_by(c) == 10_000_000
        assert trace.shortfalls.empty or set(trace.shortfalls["address"]) == {a}


def test_shortfall_is_reported_and_conservation_holds():
    """A sender with more out than in is named; the missing part is of unknown origin."""
    a, b = fictional("short a"), fictional("short b")
    records = [usdt_record(BUYER, a, "5", 0), usdt_record(a, b, "8", 1)]
    trace = follow_funds(flow_graph(read_trc20_transfers(records)), a)
    assert trace.total == 5_000_000 and trace.held_by(b) == 5_000_000
    assert trace.shortfalls[trace.shortfalls["address"] == a]["amount"].tolist() == [3_000_000]


@pytest.mark.parametrize("seed", range(20))
def test_random_flows_conserve_amounts(seed):
    """On random flows the followed total is always held somewhere, never negative."""
    rng = random.Random(seed)
    people = [fictional(f"random {seed} {i}") for i in range(7)]
    records = [usdt_record(BUYER, people[0], str(rng.randint(1, 500)), m) for m in range(5)]
    for minute in range(5, 80):
        sender, recipient = rng.sample(people, 2)
        amount = f"{rng.randint(1, 300)}.{rng.randint(0, 999999):06d}"
        label = f"{seed}:{minute}"
        records.append(usdt_record(sender, recipient, amount, minute // 3, label=label))
    graph = flow_graph(read_trc20_transfers(records))
    trace = follow_funds(graph, people[0], stop_at=[people[-1]], max_hops=rng.choice([None, 3]))
    assert trace.conserved
    assert all(type(v) is int and v > 0 for v in trace.held["amount"])
    carried = trace.hops.groupby("transaction_id")["amount"].sum()
    amounts = {d["transaction_id"]: d["amount"] for _, _, d in graph.edges(data=True)}
    assert all(carried[t] <= amounts[t] for t in carried.index)


def test_follow_funds_errors():
    """Unknown start, a start that is a stop, several tokens and a bad max_hops are named."""
    graph = case_graph()
    with pytest.raises(ValueError, match="not in the graph"):
        follow_funds(graph, fictional("nobody"))
    with pytest.raises(ValueError, match="also a stop address"):
        follow_funds(graph, SHOP, stop_at=[SHOP])
    with pytest.raises(ValueError, match="max_hops"):
        follow_funds(graph, SHOP, max_hops=0)
    with pytest.raises(ValueError, match="since"):
        follow_funds(graph, SHOP, since="not a date")
    other = {"symbol": "FAKE", "address": fictional("fake token"), "decimals": 6, "name": "x"}
    mixed = flow_graph(
        read_trc20_transfers(case_records() + [usdt_record(BUYER, SHOP, "1", 1, token_info=other)])
    )
    with pytest.raises(ValueError, match="2 tokens"):
        follow_funds(mixed, SHOP)
    assert follow_funds(mixed, SHOP, token="FAKE").total == 1_000_000


def test_deposit_addresses_find_the_desk_and_the_exchange_deposits():
    """The desk (many clients, swept at once) and the exchange's deposits are found."""
    graph = case_graph()
    desk = deposit_addresses(graph, min_senders=5)
    assert desk[["address", "hot_wallet"]].values.tolist() == [[DESK, EXCHANGE_DEPOSIT]]
    assert desk["received"].iloc[0] == 5600 * 1_000_000
    exchange = deposit_addresses(graph, min_senders=1, min_deposits=3)
    assert set(exchange["address"]) == set(DEPOSITS) | {EXCHANGE_DEPOSIT}
    assert set(exchange["hot_wallet"]) == {HOT}
    assert exchange["siblings"].tolist() == [4, 4, 4, 4]
    assert (exchange["median_delay"] <= pd.Timedelta("30min")).all()


def test_deposit_addresses_refuse_slow_or_partial_sweeps():
    """Forwarding half, or after three days, is not a deposit address's sweep."""
    slow, half, hot = fictional("slow"), fictional("half"), fictional("some hot wallet")
    records = []
    for i, client in enumerate(CLIENTS):
        records.append(usdt_record(client, slow, "10", i))
        records.append(usdt_record(client, half, "10", i))
    records.append(usdt_record(slow, hot, "50", 3 * 24 * 60))
    records.append(usdt_record(half, hot, "25", 10))
    graph = flow_graph(read_trc20_transfers(records))
    assert deposit_addresses(graph, min_senders=3).empty
    assert deposit_addresses(graph, min_senders=3, sweep_within="4D")["address"].tolist() == [slow]
    assert deposit_addresses(graph, min_senders=3, min_swept=0.5)["address"].tolist() == [half]


def test_fee_funders_link_the_shops_wallets():
    """Wallets first funded with TRX by the same address are grouped; later top-ups are not."""
    operator, stranger = fictional("operator"), fictional("stranger")
    wallets = [SHOP, MAIN, COURIER]
    trx = [trx_record(operator, w, 35 * SUN_PER_TRX, i) for i, w in enumerate(wallets)]
    trx.append(trx_record(stranger, BUYER, 10 * SUN_PER_TRX, 0))
    trx.append(trx_record(stranger, SHOP, 10 * SUN_PER_TRX, 50))  # a later top-up
    first = fee_funders(trx)
    assert first.set_index("address")["funder"].to_dict() == {
        SHOP: operator,
        MAIN: operator,
        COURIER: operator,
        BUYER: stranger,
    }
    groups = shared_fee_funders(trx)
    assert groups[["funder", "addresses", "n"]].values.tolist() == [
        [operator, tuple(sorted(wallets)), 3]
    ]
    assert shared_fee_funders(trx, [SHOP, BUYER]).empty


def test_read_accounts_balances_at_query_time():
    """Account records give TRX in sun and the token balance; absent fields are NaT / 0."""
    records = {
        "data": [
            {
                "address": to_hex(SHOP),
                "balance": 21_500_000,
                "create_time": T0,
                "latest_opration_time": T0 + 300 * MINUTE,
                "trc20": [{fictional("other token"): "5"}, {USDT_CONTRACT: "470000000"}],
            },
            {"address": COURIER, "balance": 0},
        ],
        "success": True,
    }
    frame = read_accounts(records)
    assert list(frame.columns) == ACCOUNT_COLUMNS
    assert frame[["address", "trx", "token_balance"]].values.tolist() == [
        [SHOP, 21_500_000, 470_000_000],
        [COURIER, 0, 0],
    ]
    assert frame["created"].iloc[0] == pd.Timestamp(T0, unit="ms", tz="UTC")
    assert pd.isna(frame["created"].iloc[1])
    with pytest.raises(TransferRecordError, match="bad checksum"):
        read_accounts([{"address": _with_bad_checksum(SHOP), "balance": 1}])


def test_balances_from_transfers_match_the_trace():
    """Balances are in minus out; at the end of the case the shop holds what FIFO says."""
    graph = case_graph()
    final = balances(graph)
    assert final[SHOP] == (100 + 1050 - 600 - 80) * 1_000_000
    assert final[HOT] == (5600 + 2103 - 3000) * 1_000_000
    assert final[BUYERS[0]] == -50 * 1_000_000  # the buyer's own funding is not in the data
    assert sum(final) == 0  # transfers only move funds
    assert balances(graph, "2024-06-10 06:30")[SHOP] == 100 * 1_000_000


def _event(record):
    """The same transfer as TronGrid's contract events API shows it (EVM-form addresses)."""
    return {
        "transaction_id": record["transaction_id"],
        "block_timestamp": record["block_timestamp"],
        "contract_address": USDT_CONTRACT,
        "event_name": "Transfer",
        "result_type": {"from": "address", "to": "address", "value": "uint256"},
        "result": {
            "from": to_evm(record["from"]),
            "to": to_evm(record["to"]),
            "value": record["value"],
        },
    }


def test_events_read_like_transfer_records():
    """Contract events (EVM-form addresses) give the same frame as the account records."""
    records = case_records()
    approval = {**_event(records[0]), "event_name": "Approval"}
    events = {"data": [_event(r) for r in records] + [approval], "success": True}
    pd.testing.assert_frame_equal(read_trc20_events(events), read_trc20_transfers(records))


def test_events_of_an_unknown_token_need_symbol_and_decimals():
    """Events carry no token_info: another token's symbol and decimals must be given."""
    event = {**_event(case_records()[0]), "contract_address": fictional("some token")}
    with pytest.raises(TransferRecordError, match="pass symbol= and decimals="):
        read_trc20_events([event])
    assert read_trc20_events([event], symbol="TKN", decimals=8)["decimals"].tolist() == [8]
    broken = _event(case_records()[0])
    broken["result"]["to"] = "0x1234"
    with pytest.raises(TransferRecordError, match="result.to.*bad length"):
        read_trc20_events([broken])


def test_raw_transfer_log():
    """A raw log decodes to contract, sender, recipient and value; other events are refused."""
    log = {
        "address": to_hex(USDT_CONTRACT)[2:],
        "topics": [TRANSFER_TOPIC, "00" * 12 + to_hex(SHOP)[2:], "00" * 12 + to_hex(COURIER)[2:]],
        "data": f"{40_500_000:064x}",
    }
    assert transfer_from_log(log) == (USDT_CONTRACT, SHOP, COURIER, 40_500_000)
    assert transfer_from_log({**log, "address": to_hex(USDT_CONTRACT)})[0] == USDT_CONTRACT
    approval_topic = keccak256(b"Approval(address,address,uint256)").hex()
    with pytest.raises(ValueError, match="not a TRC-20 Transfer log"):
        transfer_from_log({**log, "topics": [approval_topic, *log["topics"][1:]]})
    with pytest.raises(ValueError, match="32-byte hex word"):
        transfer_from_log({**log, "data": "0x12"})


def test_several_start_addresses_of_one_owner():
    """Shop and main wallet together: the move between them is hop 0, the desk is hop 1."""
    trace = follow_funds(case_graph(), [SHOP, MAIN], since="2024-06-10 06:40", stop_at=[HOT])
    assert trace.start == tuple(sorted([SHOP, MAIN]))
    assert trace.total == 1050 * 1_000_000  # the shop -> main move is not a new source
    hop_of = {(r["from"], r["to"]): r["hop"] for _, r in trace.hops.iterrows()}
    assert hop_of[SHOP, MAIN] == 0 and hop_of[MAIN, DESK] == 1 and hop_of[SHOP, COURIER] == 1
    assert hop_of[EXCHANGE_DEPOSIT, HOT] == 3
    assert trace.held_by(HOT) == 500 * 1_000_000 and trace.conserved
    with pytest.raises(ValueError, match="at least one start"):
        follow_funds(case_graph(), [])
