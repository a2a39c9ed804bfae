"""Tests for darktrail.onion: Tor's own vectors, error messages, keys and vanity search."""

import base64
import hashlib
import random

import pytest

from darktrail import onion
from darktrail.onion import (
    OnionAddress,
    address_from_pubkey,
    checksum,
    expected_vanity_tries,
    is_valid,
    keypair_from_seed,
    lookalike_pubkey,
    parse,
    vanity_keypair,
)

# tor src/test/test_hs_common.c, test_build_address (pubkey from hs_build_address.py).
TOR_PUBKEY = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
TOR_ADDRESS = "25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid"
# RFC 8032 section 7.1, TEST 1: the seed whose public key is TOR_PUBKEY.
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")

# Encodings of ed25519 points of small order (1, 2, 4, 4, 8, 8), as blocklisted by libsodium.
SMALL_ORDER_POINTS = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
]


def _encode(pubkey: bytes, check: bytes, version: int) -> str:
    return base64.b32encode(pubkey + check + bytes([version])).decode().lower()


def test_tor_build_address_vector():
    """The public key from Tor's test_build_address gives Tor's address."""
    assert address_from_pubkey(TOR_PUBKEY) == TOR_ADDRESS + ".onion"


def test_address_is_62_characters_lower_case():
    """An address is 56 lower-case base32 characters plus '.onion'."""
    address = address_from_pubkey(TOR_PUBKEY)
    assert len(address) == 62
    assert address == address.lower()


def test_checksum_is_sha3_of_prefix_key_and_version():
    """The checksum is the first two bytes of SHA3-256('.onion checksum' | key | version)."""
    expected = hashlib.sha3_256(b".onion checksum" + TOR_PUBKEY + b"\x03").digest()[:2]
    assert checksum(TOR_PUBKEY) == expected
    assert checksum(TOR_PUBKEY, 4) != expected


def test_rfc8032_seed_gives_the_tor_vector_key():
    """keypair_from_seed derives RFC 8032's public key from RFC 8032's seed."""
    assert keypair_from_seed(RFC8032_SEED) == (RFC8032_SEED, TOR_PUBKEY)


def test_parse_returns_the_three_fields():
    """parse splits an address into version 3, the public key and the checksum."""
    assert parse(TOR_ADDRESS) == OnionAddress(3, TOR_PUBKEY, checksum(TOR_PUBKEY))


@pytest.mark.parametrize(
    "spelling",
    [
        TOR_ADDRESS,
        TOR_ADDRESS + ".onion",
        TOR_ADDRESS.upper() + ".ONION",
        "www." + TOR_ADDRESS + ".onion",
        "a.b." + TOR_ADDRESS + ".onion",
        "  " + TOR_ADDRESS + ".onion.\n",
    ],
)
def test_parse_accepts_what_tor_accepts(spelling):
    """Suffix optional, any case, subdomains and a trailing dot name the same service."""
    assert parse(spelling).pubkey == TOR_PUBKEY


def test_round_trip_for_random_keys():
    """address_from_pubkey and parse are inverse for keys made by cryptography."""
    rng = random.Random(2021)
    for _ in range(20):
        _, pub = keypair_from_seed(rng.randbytes(32))
        assert parse(address_from_pubkey(pub)).pubkey == pub


def test_tor_validate_address_vectors():
    """Tor's test_validate_address cases are rejected for Tor's reasons."""
    with pytest.raises(ValueError, match="bad length"):
        parse("blah")
    with pytest.raises(ValueError, match="bad length"):
        parse("p3xnclpu4mu22dwaurjtsybyqk4xfjmcfz6z62yl24uwmhjatiwnlnadb")
    with pytest.raises(ValueError, match="bad checksum"):
        parse("l5satjgud6gucryazcyvyvhuxhr74u6ygigiuyixe3a6ysis67ororad")
    with pytest.raises(ValueError, match="bad checksum"):
        parse("btojiu7nu5y5iwut64eufevogqdw4wmqzugnoluw232r4t3ecsfv37ad")
    with pytest.raises(ValueError, match="not base32"):
        parse("?" * 56)
    assert is_valid(TOR_ADDRESS)


@pytest.mark.parametrize("position", [0, 10, 51, 55])
def test_one_character_typo_fails_the_checksum(position):
    """Changing any one character, even the version character at the end, is a bad checksum."""
    char = "a" if TOR_ADDRESS[position] != "a" else "b"
    typo = TOR_ADDRESS[:position] + char + TOR_ADDRESS[position + 1 :]
    with pytest.raises(ValueError, match="bad checksum"):
        parse(typo)


def test_unknown_version_is_named():
    """A correctly checksummed address with version byte 4 is an unknown version."""
    address = _encode(TOR_PUBKEY, checksum(TOR_PUBKEY, 4), 4)
    with pytest.raises(ValueError, match="unknown version 4"):
        parse(address)


@pytest.mark.parametrize(
    "v2", ["trailv2xmpl4test", "TRAILV2XMPL4TEST.onion", "www.abcdefghij234567.onion"]
)
def test_v2_address_is_reported_as_retired(v2):
    """A 16-character address is a v2 address, retired by Tor in 2021."""
    with pytest.raises(ValueError, match=r"retired v2 onion address \(16 characters, retired"):
        parse(v2)


def test_url_is_rejected_with_a_hint():
    """A full URL is not an address; the error says to pass the host name."""
    with pytest.raises(ValueError, match="URL"):
        parse(f"http://{TOR_ADDRESS}.onion/index.html")


def test_non_string_is_rejected():
    """Bytes are not accepted in place of a string."""
    with pytest.raises(ValueError, match="string"):
        parse(TOR_ADDRESS.encode())


def test_error_message_quotes_the_address():
    """Every error names the address it is about."""
    with pytest.raises(ValueError, match="'blah'"):
        parse("blah")


@pytest.mark.parametrize("hex_point", SMALL_ORDER_POINTS)
def test_small_order_keys_are_rejected(hex_point):
    """Keys of small order (neutral element, torsion points) do not make valid addresses."""
    address = address_from_pubkey(bytes.fromhex(hex_point))
    with pytest.raises(ValueError, match="not a valid ed25519 public key"):
        parse(address)


def test_old_tor_vector_has_a_torsion_component():
    """Tor's pre-validation test vector p3xn... has a torsion component, so Tor now rejects it."""
    with pytest.raises(ValueError, match="torsion component"):
        parse("p3xnclpu4mu22dwaurjtsybyqk4xfjmcfz6z62yl24uwmhjatiwnlnad")


def test_key_off_the_curve_is_rejected():
    """32 bytes of 0x42 (Tor's earliest test key) are not a point on the curve."""
    with pytest.raises(ValueError, match="not a point on the curve"):
        parse(address_from_pubkey(b"\x42" * 32))


def test_about_one_in_eight_curve_points_has_prime_order():
    """Of random points on the curve, about 1/8 pass the torsion check (cofactor 8)."""
    rng = random.Random(8)
    on_curve = prime_order = 0
    while on_curve < 240:
        pub = rng.randbytes(32)
        if onion._decode_point(pub) is None:
            continue
        on_curve += 1
        prime_order += onion._ed25519_problem(pub) is None
    assert 10 <= prime_order <= 55  # expected 30


def test_keys_from_cryptography_always_pass():
    """Every key cryptography derives from a seed is in the prime-order subgroup."""
    rng = random.Random(5)
    for _ in range(50):
        _, pub = keypair_from_seed(rng.randbytes(32))
        assert onion._ed25519_problem(pub) is None


def test_keypair_from_seed_rejects_wrong_length():
    """A seed must be exactly 32 bytes."""
    with pytest.raises(ValueError, match="32 bytes"):
        keypair_from_seed(bytes(31))


def test_address_from_pubkey_rejects_wrong_length():
    """A public key must be exactly 32 bytes."""
    with pytest.raises(ValueError, match="32 bytes"):
        address_from_pubkey(bytes(33))


def test_expected_vanity_tries_is_32_to_the_n():
    """Each base32 character costs a factor of 32."""
    assert [expected_vanity_tries(n) for n in range(4)] == [1, 32, 1024, 32768]
    with pytest.raises(ValueError):
        expected_vanity_tries(-1)


def test_vanity_keypair_matches_prefix_and_seed():
    """The vanity key's address has the prefix, and its seed re-derives the same key."""
    seed, pub = vanity_keypair("dt", random.Random(11))
    assert address_from_pubkey(pub).startswith("dt")
    assert keypair_from_seed(seed) == (seed, pub)


def test_vanity_keypair_is_deterministic():
    """The same rng state gives the same vanity key."""
    assert vanity_keypair("q", random.Random(3)) == vanity_keypair("q", random.Random(3))


def test_vanity_keypair_accepts_upper_case_prefix():
    """The prefix is case-insensitive, like the address."""
    _, pub = vanity_keypair("Q7", random.Random(4))
    assert address_from_pubkey(pub).startswith("q7")


def test_vanity_keypair_gives_up_after_max_tries():
    """An unreachable budget raises ValueError instead of looping forever."""
    with pytest.raises(ValueError, match="in 3 tries"):
        vanity_keypair("zzzzzz", random.Random(0), max_tries=3)


@pytest.mark.parametrize("prefix", ["1", "o0", "b8", "ab-"])
def test_vanity_prefix_must_be_base32(prefix):
    """Characters that never occur in an onion address (0, 1, 8, 9, punctuation) are refused."""
    with pytest.raises(ValueError, match="cannot occur in an onion address"):
        vanity_keypair(prefix, random.Random(0))
    with pytest.raises(ValueError, match="cannot occur in an onion address"):
        lookalike_pubkey(prefix, random.Random(0))


@pytest.mark.parametrize("prefix", ["", "t", "tra", "trail", "abcdefghijklmnop", "a" * 50])
def test_lookalike_pubkey_has_prefix_and_is_valid(prefix):
    """A lookalike key of any prefix length makes a valid address starting with the prefix."""
    address = address_from_pubkey(lookalike_pubkey(prefix, random.Random(len(prefix))))
    assert address.startswith(prefix)
    assert is_valid(address)


def test_lookalike_pubkey_is_deterministic_and_varied():
    """The same rng state gives the same key; different states give different keys."""
    first = lookalike_pubkey("abc", random.Random(1))
    assert first == lookalike_pubkey("abc", random.Random(1))
    assert first != lookalike_pubkey("abc", random.Random(2))


def test_lookalike_prefix_length_is_limited():
    """Prefixes over 50 characters would fix the whole key and are refused."""
    with pytest.raises(ValueError, match="at most 50"):
        lookalike_pubkey("a" * 51, random.Random(0))


def test_lookalike_of_a_real_mirror_differs_after_the_prefix():
    """A lookalike sharing a 4-character prefix is a different, equally valid service."""
    real = TOR_ADDRESS + ".onion"
    fake = address_from_pubkey(lookalike_pubkey(real[:4], random.Random(9)))
    assert fake[:4] == real[:4] and fake != real
    assert is_valid(fake) and is_valid(real)


# Tor control-port key for the RFC 8032 seed: "ADD_ONION ED25519-V3:<this>" makes Tor answer
# ServiceID=25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.
RFC8032_EXPANDED_B64 = (
    "MHyDhk8oM8tCei7xwAoBPP3/J2jZgMCjpSDwBpBN6U+bTwr+KAt0aneGhOdUQlAgV7dHOgPwj5b1o46Sh+Afjw=="
)


def _sign_with_expanded_key(expanded: bytes, message: bytes) -> bytes:
    """RFC 8032 section 5.1.6 signing from an expanded key, as Tor signs descriptors."""
    scalar = int.from_bytes(expanded[:32], "little")
    public = onion.pubkey_from_expanded_key(expanded)
    r = int.from_bytes(hashlib.sha512(expanded[32:] + message).digest(), "little") % onion._L
    big_r = onion._encode_point(onion._scalar_mult(r, onion._BASE))
    k = hashlib.sha512(big_r + public + message).digest()
    s = (r + int.from_bytes(k, "little") * scalar) % onion._L
    return big_r + s.to_bytes(32, "little")


def test_expanded_key_of_rfc8032_seed_is_tors_control_port_key():
    """The expanded key of RFC 8032's seed is the ED25519-V3 key Tor maps to the vector address."""
    expanded = onion.expanded_secret_key(RFC8032_SEED)
    assert base64.b64encode(expanded).decode() == RFC8032_EXPANDED_B64
    assert onion.pubkey_from_expanded_key(expanded) == TOR_PUBKEY


def test_pubkey_from_expanded_key_agrees_with_cryptography():
    """The pure-Python base-point multiplication matches OpenSSL for random seeds."""
    rng = random.Random(17)
    for _ in range(10):
        seed, pub = keypair_from_seed(rng.randbytes(32))
        assert onion.pubkey_from_expanded_key(onion.expanded_secret_key(seed)) == pub


def test_vanity_expanded_keypair_matches_prefix_and_key():
    """The expanded vanity key has the prefix, and its public key re-derives from the secret."""
    expanded, pub = onion.vanity_expanded_keypair("dr", random.Random(21))
    assert address_from_pubkey(pub).startswith("dr")
    assert onion.pubkey_from_expanded_key(expanded) == pub
    assert is_valid(address_from_pubkey(pub))


def test_vanity_expanded_key_is_clamped():
    """The secret scalar keeps RFC 8032 clamping: multiple of 8, bit 254 set, bit 255 clear."""
    expanded, _ = onion.vanity_expanded_keypair("x", random.Random(2))
    scalar = int.from_bytes(expanded[:32], "little")
    assert scalar % 8 == 0 and scalar >> 254 == 1


def test_vanity_expanded_key_signs_verifiably():
    """A signature made with the vanity secret verifies under its public key (cryptography)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    expanded, pub = onion.vanity_expanded_keypair("m", random.Random(8))
    message = b"mirror list 2026-11-27"
    Ed25519PublicKey.from_public_bytes(pub).verify(
        _sign_with_expanded_key(expanded, message), message
    )


def test_vanity_expanded_keypair_is_deterministic():
    """The same rng state gives the same expanded vanity key."""
    first = onion.vanity_expanded_keypair("k", random.Random(6))
    assert first == onion.vanity_expanded_keypair("k", random.Random(6))


def test_vanity_expanded_keypair_gives_up_after_max_tries():
    """An unreachable budget raises ValueError, also when it is not a multiple of the batch."""
    with pytest.raises(ValueError, match="in 300 tries"):
        onion.vanity_expanded_keypair("zzzzzzz", random.Random(0), max_tries=300)


def test_hidden_service_files_are_byte_exact():
    """hostname, public and secret key files carry Tor's headers, lengths and contents."""
    expanded = onion.expanded_secret_key(RFC8032_SEED)
    files = onion.hidden_service_files(expanded)
    assert files["hostname"] == f"{TOR_ADDRESS}.onion\n".encode()
    assert files["hs_ed25519_public_key"] == b"== ed25519v1-public: type0 ==\0\0\0" + TOR_PUBKEY
    assert files["hs_ed25519_secret_key"] == b"== ed25519v1-secret: type0 ==\0\0\0" + expanded
    assert onion.address_from_secret_key_file(files["hs_ed25519_secret_key"]) == (
        TOR_ADDRESS + ".onion"
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\0" * 95, "96 bytes"),
        (b"== ed25519v1-public: type0 ==\0\0\0" + bytes(64), "header"),
    ],
)
def test_secret_key_file_errors(data, reason):
    """A truncated file or a public key file is refused with the reason."""
    with pytest.raises(ValueError, match=reason):
        onion.address_from_secret_key_file(data)


def test_expanded_key_functions_reject_wrong_lengths():
    """Seeds are 32 bytes, expanded keys 64."""
    with pytest.raises(ValueError, match="32 bytes"):
        onion.expanded_secret_key(bytes(64))
    with pytest.raises(ValueError, match="64 bytes"):
        onion.pubkey_from_expanded_key(bytes(32))


def test_find_onions_keeps_valid_addresses_from_text_and_urls():
    """Valid addresses are found in URLs and prose, normalised; typos and v2 are dropped."""
    lookalike = address_from_pubkey(lookalike_pubkey("25nj", random.Random(4)))
    text = (
        f"Official: http://{TOR_ADDRESS.upper()}.onion/market and {lookalike}\n"
        f"typo {TOR_ADDRESS[:-2]}xd.onion, old trailv2xmpl4test.onion, again {TOR_ADDRESS}"
    )
    assert onion.find_onions(text) == [TOR_ADDRESS + ".onion", lookalike]


def test_find_onions_ignores_longer_base32_runs():
    """A 56-character run inside a longer word is not an address."""
    assert onion.find_onions("x" + TOR_ADDRESS + "a") == []
