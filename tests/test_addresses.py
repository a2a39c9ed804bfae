"""Tests for darktrail.addresses against the official BIP-173, BIP-350 and Bitcoin Core vectors."""

import hashlib

import pytest

from darktrail import addresses
from darktrail.addresses import (
    _ripemd160_python,
    base58check_decode,
    base58check_encode,
    bech32_decode,
    bech32_encode,
    esplora_type,
    find_addresses,
    hash160,
    is_valid,
    p2pkh,
    p2sh,
    p2tr,
    p2wpkh,
    p2wsh,
    parse,
    scriptpubkey,
)

# BIP-173 "Test vectors": valid Bech32 strings.
BECH32_VALID = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]

# BIP-350 "Test vectors for Bech32m": valid Bech32m strings.
BECH32M_VALID = [
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
]

# BIP-173 invalid Bech32 strings, with the reason the BIP gives (as a message fragment).
BECH32_INVALID = [
    ("\x201nwldj5", "invalid character"),
    ("\x7f1axkwrx", "invalid character"),
    ("\x801eym55h", "invalid character"),
    (
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
        "bad length",
    ),
    ("pzry9x0s0muk", "no separator"),
    ("1pzry9x0s0muk", "empty human-readable prefix"),
    ("x1b4n0q5v", "invalid character"),
    ("li1dgmt3", "checksum too short"),
    ("de1lg7wt\xff", "invalid character"),
    ("A1G7SGD8", "bad checksum"),
    ("10a06t8", "empty human-readable prefix"),
    ("1qzzfhee", "empty human-readable prefix"),
]

# BIP-350 invalid Bech32m strings.
BECH32M_INVALID = [
    ("\x201xj0phk", "invalid character"),
    ("\x7f1g6xzxy", "invalid character"),
    ("\x801vctc34", "invalid character"),
    (
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
        "bad length",
    ),
    ("qyrz8wqd2c9m", "no separator"),
    ("1qyrz8wqd2c9m", "empty human-readable prefix"),
    ("y1b0jsk6g", "invalid character"),
    ("lt1igcx5c0", "invalid character"),
    ("in1muywd", "checksum too short"),
    ("mm1crxm3i", "invalid character"),
    ("au1s5cgom", "invalid character"),
    ("M1VUXWEZ", "bad checksum"),
    ("16plkw9", "empty human-readable prefix"),
    ("1p2gdwpf", "empty human-readable prefix"),
]

# BIP-350 valid segwit addresses (v0-v16) and their scriptPubKeys. These supersede BIP-173's
# segwit list, whose v0 entries reappear here unchanged.
SEGWIT_VALID = [
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
    (
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
    ),
    (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
    ),
    ("BC1SW50QGDZ25J", "6002751e"),
    ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"),
    (
        "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
        "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ),
    (
        "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
        "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    ),
]

# BIP-350 invalid segwit addresses, with the reason the BIP gives.
SEGWIT_INVALID_BIP350 = [
    ("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "unknown prefix"),
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "wrong variant"),
    ("tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "wrong variant"),
    ("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "wrong variant"),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "wrong variant"),
    ("tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "wrong variant"),
    ("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "invalid character"),
    ("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "bad witness version"),
    ("bc1pw5dgrnzv", "bad witness program length"),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
        "bad witness program length",
    ),
    ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "bad witness program length"),
    ("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "mixed case"),
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "zero padding"),
    ("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "non-zero padding"),
    ("bc1gmk9yu", "empty data section"),
]

# BIP-173 invalid segwit addresses (still invalid under BIP-350, some for a new reason).
SEGWIT_INVALID_BIP173 = [
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
    "bc1rw5uspcuh",
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
    "bc1gmk9yu",
]

# BIP-173's v1+ examples carry a Bech32 checksum; BIP-350 made them invalid.
BIP173_V1_PLUS_NOW_INVALID = [
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
]

# Bitcoin Core src/test/data/key_io_valid.json: Base58 and segwit destinations with scripts.
KEY_IO_VALID = [
    (
        "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",
        "76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac",
        "mainnet",
    ),
    (
        "36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm",
        "a914373b819a068f32b7a6b38b6b38729647cfde01c287",
        "mainnet",
    ),
    (
        "mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ",
        "76a914ce28b26c57472737f5c3561a1761185bd8589a4388ac",
        "testnet",
    ),
    (
        "2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK",
        "a914ce0bba75891ff9ec60148d4bd4a09ee2dc5c933187",
        "testnet",
    ),
    (
        "n4fajahJrAuKbN7uNsKjLjQkz9Qn5ewJXQ",
        "76a914fdeca3b08e38af53d7c4c60e3ad208ce5066441088ac",
        "testnet",
    ),
    (
        "2MxFajLApXpYk4VodBSZSt7rw8y4ryABkfA",
        "a91436e9f191e0b75036a77f65e2eaa4752443233fbe87",
        "testnet",
    ),
    (
        "1FjL87pn8ky6Vbavd1ZHeChRXtoxwRGCRd",
        "76a914a19331b7b2627e663e25a7b001e4c0dcc5e21bc788ac",
        "mainnet",
    ),
    (
        "3BZECeAH8gSKkjrTx8PwMrNQBLG18yHpvf",
        "a9146c382dcdf5b284760c8e3fead91f7422cd76aa8787",
        "mainnet",
    ),
    (
        "bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv",
        "00146100fc6343edc8c874496cb2f5bbfec88ea9b77c",
        "mainnet",
    ),
    (
        "bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7",
        "002027304b37f70e94bc8a0fbf500e0c957a80ebda87280ef58214d92f119811acdc",
        "mainnet",
    ),
    (
        "bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu",
        "51203c671ef1e3913f94980a9e146ba895908550ef4234abb7503d436521aba54c75",
        "mainnet",
    ),
    ("bc1z2rksukkjr8", "520250ed", "mainnet"),
    (
        "tb1qcrh3yqn4nlleplcez2yndq2ry8h9ncg3qh7n54",
        "0014c0ef1202759fff90ff19128936814321ee59e111",
        "testnet",
    ),
    (
        "bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9",
        "00146f58bac9506f9bfb821d62e69330410bb56f0085",
        "regtest",
    ),
    (
        "bcrt1pfwxjqvtt4tcxrtdluukfmy2dv7xd2qzdfy6kajv5nwn4yam3wxkq3553uh",
        "51204b8d20316baaf061adbfe72c9d914d678cd5004d49356ec9949ba752777171ac",
        "regtest",
    ),
]

# Published RIPEMD-160 test vectors (Dobbertin, Bosselaers, Preneel: "RIPEMD-160").
RIPEMD160_VECTORS = [
    (b"", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
    (b"a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
    (b"abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
    (b"message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
    (b"abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
    (
        b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "12a053384a9c0c88e405a06c27dcf49ada62eb2b",
    ),
    (
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "b0e20b6e3116640286ed3a87a5713079b21f5189",
    ),
    (b"1234567890" * 8, "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
    (b"a" * 1_000_000, "52783243c1697bdbe16d37f97f68f08325dc1528"),
]


@pytest.mark.parametrize("text", BECH32_VALID)
def test_bip173_valid_strings_decode_as_bech32(text):
    """Every BIP-173 valid string decodes, reports Bech32 and re-encodes to itself."""
    hrp, data, variant = bech32_decode(text)
    assert variant == "bech32"
    assert bech32_encode(hrp, data, variant) == text.lower()


@pytest.mark.parametrize("text", BECH32M_VALID)
def test_bip350_valid_strings_decode_as_bech32m(text):
    """Every BIP-350 valid string decodes, reports Bech32m and re-encodes to itself."""
    hrp, data, variant = bech32_decode(text)
    assert variant == "bech32m"
    assert bech32_encode(hrp, data, variant) == text.lower()


@pytest.mark.parametrize(("text", "reason"), BECH32_INVALID + BECH32M_INVALID)
def test_bip173_bip350_invalid_strings_are_rejected_with_reason(text, reason):
    """Every invalid BIP-173/350 string raises ValueError naming the BIP's reason."""
    with pytest.raises(ValueError, match=reason):
        bech32_decode(text)


@pytest.mark.parametrize(("address", "script"), SEGWIT_VALID)
def test_bip350_valid_addresses_give_their_scriptpubkey(address, script):
    """Every BIP-350 valid segwit address parses and maps to the BIP's scriptPubKey."""
    assert is_valid(address)
    assert scriptpubkey(address).hex() == script


@pytest.mark.parametrize(("address", "reason"), SEGWIT_INVALID_BIP350)
def test_bip350_invalid_addresses_are_rejected_with_reason(address, reason):
    """Every BIP-350 invalid segwit address raises ValueError naming the BIP's reason."""
    with pytest.raises(ValueError, match=f"(?i){reason}"):
        parse(address)


@pytest.mark.parametrize("address", SEGWIT_INVALID_BIP173 + BIP173_V1_PLUS_NOW_INVALID)
def test_bip173_invalid_and_superseded_addresses_are_rejected(address):
    """BIP-173's invalid addresses, and its Bech32-checksummed v1+ examples, are invalid."""
    assert not is_valid(address)


@pytest.mark.parametrize("address", BIP173_V1_PLUS_NOW_INVALID)
def test_bech32_checksum_on_v1_plus_is_the_wrong_variant(address):
    """A v1+ address with a Bech32 (not Bech32m) checksum is reported as the wrong variant."""
    with pytest.raises(ValueError, match="wrong variant"):
        parse(address)


@pytest.mark.parametrize(("address", "script", "network"), KEY_IO_VALID)
def test_bitcoin_core_key_io_vectors(address, script, network):
    """Bitcoin Core's key_io vectors parse to the right network and scriptPubKey."""
    assert parse(address).network == network
    assert scriptpubkey(address).hex() == script


@pytest.mark.parametrize(
    ("address", "network"), [(a, n) for a, _, n in KEY_IO_VALID if not a.startswith("bc1z")]
)
def test_encoders_rebuild_key_io_vectors(address, network):
    """Each encoder rebuilds the Bitcoin Core vector from its payload and network."""
    parsed = parse(address)
    encoders = {"p2pkh": p2pkh, "p2sh": p2sh, "p2wpkh": p2wpkh, "p2wsh": p2wsh, "p2tr": p2tr}
    assert encoders[parsed.type](parsed.payload, network) == address


def test_p2wsh_uppercase_address_is_valid_and_lowercase_encoded():
    """Bech32 addresses are case-insensitive (all upper is fine); encoders emit lower case."""
    upper = "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"
    assert parse(upper) == parse(upper.lower())
    assert p2wpkh(parse(upper).payload) == upper.lower()


@pytest.mark.parametrize(
    ("address", "kind", "esplora"),
    [
        ("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", "p2pkh", "p2pkh"),
        ("36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm", "p2sh", "p2sh"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "p2wpkh", "v0_p2wpkh"),
        (
            "bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7",
            "p2wsh",
            "v0_p2wsh",
        ),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "p2tr", "v1_p2tr"),
        ("BC1SW50QGDZ25J", "witness_unknown", "unknown"),
    ],
)
def test_type_and_esplora_type(address, kind, esplora):
    """Each address type maps to the Esplora scriptpubkey_type investigators see in JSON."""
    assert parse(address).type == kind
    assert esplora_type(address) == esplora


def test_witness_version_is_none_for_base58():
    """Base58 addresses carry no witness version; segwit ones do."""
    assert parse("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo").witness_version is None
    assert (
        parse("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0").witness_version == 1
    )


def test_base58_bad_checksum_is_named():
    """A one-character typo in a Base58 address fails its checksum."""
    with pytest.raises(ValueError, match="bad checksum"):
        parse("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mp")


def test_base58_invalid_character_is_named():
    """Base58 has no 0, O, I or l; such a character is reported with its position."""
    with pytest.raises(ValueError, match="invalid character '0' at position 5"):
        parse("1FsSi09rv4NeEwvJ2GvXrX7LyxYspbN2mo")


def test_base58_unknown_version_byte_is_an_unknown_prefix():
    """A valid Base58Check string with a non-address version byte is an unknown prefix."""
    text = base58check_encode(bytes([0x30]) + bytes(20))  # a Litecoin-style version
    with pytest.raises(ValueError, match="unknown prefix"):
        parse(text)


def test_base58_wrong_payload_length_is_bad_length():
    """A Base58Check string whose payload is not 20 bytes has a bad length."""
    with pytest.raises(ValueError, match="bad length"):
        parse(base58check_encode(bytes(19)))


def test_wif_private_key_is_not_an_address():
    """A WIF private key (starts with 5, K or L) is rejected as an unknown prefix."""
    with pytest.raises(ValueError, match="unknown prefix"):
        parse("5HsL2nZuEebU5nM3RxNVQD9GcAnvNMahqQskf4fkqHe54zwd14e")


@pytest.mark.parametrize("bad", ["", "   ", "hello", "0x1234"])
def test_garbage_is_rejected(bad):
    """Empty strings and non-address words are not valid addresses."""
    assert not is_valid(bad)


def test_parse_rejects_non_strings():
    """Passing bytes instead of str is a clear ValueError."""
    with pytest.raises(ValueError, match="must be a string"):
        parse(b"1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo")


def test_all_zero_hash160_vector():
    """The all-zero hash160 is the well-known 1111111111111111111114oLvT2."""
    assert p2pkh(bytes(20)) == "1111111111111111111114oLvT2"
    assert base58check_decode("1111111111111111111114oLvT2") == bytes(21)


def test_regtest_encoders_use_bcrt_and_testnet_version_bytes():
    """Regtest segwit uses hrp 'bcrt'; regtest Base58 shares testnet's version bytes."""
    assert p2wpkh(bytes(20), "regtest").startswith("bcrt1q")
    assert p2pkh(bytes(20), "regtest") == p2pkh(bytes(20), "testnet")
    assert parse(p2tr(bytes(32), "regtest")).network == "regtest"


def test_encoders_reject_wrong_lengths_and_networks():
    """Encoders refuse payloads of the wrong size and unknown network names."""
    with pytest.raises(ValueError, match="20 bytes"):
        p2wpkh(bytes(32))
    with pytest.raises(ValueError, match="32 bytes"):
        p2tr(bytes(20))
    with pytest.raises(ValueError, match="unknown network"):
        p2pkh(bytes(20), "signet")


def test_bech32_encode_rejects_unknown_variant():
    """Only 'bech32' and 'bech32m' are checksum variants."""
    with pytest.raises(ValueError, match="variant"):
        bech32_encode("bc", [0], "bech33")


@pytest.mark.parametrize(("message", "digest"), RIPEMD160_VECTORS)
def test_pure_python_ripemd160_matches_published_vectors(message, digest):
    """The pure-Python RIPEMD-160 fallback reproduces the algorithm's published vectors."""
    assert _ripemd160_python(message).hex() == digest


def test_ripemd160_falls_back_when_openssl_lacks_it(monkeypatch):
    """When hashlib has no ripemd160 (OpenSSL 3 default provider), the fallback is used."""
    real_new = hashlib.new

    def new_without_ripemd(name, *args, **kwargs):
        if name.lower() == "ripemd160":
            raise ValueError("unsupported hash type ripemd160")
        return real_new(name, *args, **kwargs)

    monkeypatch.setattr(addresses.hashlib, "new", new_without_ripemd)
    assert addresses.ripemd160(b"abc").hex() == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"


def test_hash160_of_a_compressed_public_key():
    """hash160 of the generator point's compressed key is the BIP-350/173 witness program."""
    pubkey = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    assert hash160(pubkey).hex() == "751e76e8199196d454941c45d1b3a323f1433bd6"


def test_find_addresses_keeps_only_checksum_valid_candidates():
    """Address-shaped strings with a bad checksum are dropped; valid ones kept in order."""
    text = (
        "Send to 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo (legacy), or 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mp,\n"
        "segwit: BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4; taproot "
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd. Again: "
        "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo"
    )
    assert find_addresses(text) == [
        "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    ]


def test_find_addresses_ignores_addresses_glued_to_other_words():
    """A candidate inside a longer alphanumeric run is not an address on its own."""
    assert find_addresses("x1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo") == []


def test_find_addresses_in_html_and_urls():
    """Addresses in HTML attributes and bitcoin: URIs are found."""
    html = (
        '<a href="bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.1">pay</a>'
        "<p>tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7</p>"
    )
    assert find_addresses(html) == [
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
    ]
