"""Tests for darktrail.pgp: deterministic OpenPGP that GnuPG accepts byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from darktrail import pgp

SEED = b"darktrail test vendor seed 0001"
UID = "Night Owl <nightowl@example.invalid>"
CREATED = 1709251200  # 2024-03-01 00:00:00 UTC
SIGNED_AT = 1709337600
TEXT = "Official mirrors of Example Market:\n- exampleabc.onion\nFrom now on PGP only.  \n"

GPG = shutil.which("gpg")
needs_gpg = pytest.mark.skipif(GPG is None, reason="gpg (GnuPG) is not installed")


@pytest.fixture(scope="module")
def vendor() -> pgp.SecretKey:
    return pgp.generate_key(SEED, UID, CREATED)


@pytest.fixture(scope="module")
def impostor() -> pgp.SecretKey:
    return pgp.generate_key(b"darktrail test impostor seed 02", UID, CREATED)


class Gpg:
    """gpg in a throw-away GNUPGHOME (never the user's keyring)."""

    def __init__(self, home: str) -> None:
        self.home = home

    def run(self, *args: str, stdin: str | bytes = b"") -> subprocess.CompletedProcess:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        return subprocess.run(
            [GPG, "--batch", "--no-tty", "--status-fd", "2", *args],
            input=data,
            capture_output=True,
            env={**os.environ, "GNUPGHOME": self.home},
            timeout=60,
            check=False,
        )

    def ok(self, *args: str, stdin: str | bytes = b"") -> bytes:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        return result.stdout


@pytest.fixture(scope="module")
def gpg(vendor: pgp.SecretKey) -> Iterator[Gpg]:
    # A short path under /tmp keeps gpg-agent's socket path within the Unix limit.
    home = tempfile.mkdtemp(prefix="dtgpg")  # mkdtemp makes it private (mode 0700)
    runner = Gpg(home)
    try:
        # A low S2K count keeps passphrase protection in the tests fast (default ~100 ms).
        Path(home, "gpg-agent.conf").write_text("s2k-count 65536\n")
        runner.ok("--import", stdin=pgp.armor_secret_key(vendor))
        yield runner
    finally:
        subprocess.run(
            ["gpgconf", "--kill", "all"],
            env={**os.environ, "GNUPGHOME": home},
            capture_output=True,
            check=False,
        )
        shutil.rmtree(home, ignore_errors=True)


# --- keys ---------------------------------------------------------------------------------


def test_same_seed_gives_identical_armor():
    """The same seed, User ID and time give byte-identical public and secret key blocks."""
    first, second = (pgp.generate_key(SEED, UID, CREATED) for _ in range(2))
    assert pgp.armor_public_key(first) == pgp.armor_public_key(second)
    assert pgp.armor_secret_key(first) == pgp.armor_secret_key(second)


def test_different_seeds_give_different_fingerprints(vendor, impostor):
    """Two seeds give two different keys even with the same User ID and time."""
    assert vendor.fingerprint != impostor.fingerprint


def test_datetime_and_timestamp_are_equivalent(vendor):
    """An aware datetime and its Unix seconds give the same key."""
    moment = datetime.fromtimestamp(CREATED, timezone.utc)
    assert pgp.generate_key(SEED, UID, moment) == vendor
    assert vendor.created == moment


def test_naive_datetime_is_rejected():
    """A naive datetime raises ValueError instead of guessing a time zone."""
    with pytest.raises(ValueError, match="timezone-aware"):
        pgp.generate_key(SEED, UID, datetime(2024, 3, 1))


def test_key_ids_are_fingerprint_suffixes(vendor):
    """Long and short key IDs are the last 16 and 8 hex digits of the fingerprint."""
    assert len(vendor.fingerprint) == 40 and vendor.fingerprint == vendor.fingerprint.upper()
    assert vendor.key_id == vendor.fingerprint[-16:]
    assert vendor.short_key_id == vendor.fingerprint[-8:]


def test_fingerprint_helpers_read_public_and_secret_blocks(vendor):
    """fingerprint/key_id/short_key_id give the same answer from public and secret armor."""
    for block in (pgp.armor_public_key(vendor), pgp.armor_secret_key(vendor)):
        assert pgp.fingerprint(block) == vendor.fingerprint
        assert pgp.key_id(block) == vendor.key_id
        assert pgp.short_key_id(block) == vendor.short_key_id


def test_read_key_round_trips(vendor):
    """read_key and read_secret_key recover the generated key from its armor."""
    assert pgp.read_key(pgp.armor_public_key(vendor)) == vendor.public
    assert pgp.read_key(pgp.armor_secret_key(vendor)) == vendor.public
    assert pgp.read_secret_key(pgp.armor_secret_key(vendor)) == vendor
    assert pgp.read_key(pgp.armor_public_key(vendor)).user_ids == (UID,)


def test_corrupted_armor_raises_value_error(vendor):
    """A key block with a flipped base64 character fails its CRC-24 with ValueError."""
    lines = pgp.armor_public_key(vendor).splitlines()
    lines[3] = ("B" if lines[3][0] != "B" else "C") + lines[3][1:]
    with pytest.raises(ValueError, match="CRC-24"):
        pgp.fingerprint("\n".join(lines))


def test_missing_armor_raises_value_error():
    """Text without an armored key raises ValueError naming what is missing."""
    with pytest.raises(ValueError, match="PGP PUBLIC KEY BLOCK"):
        pgp.fingerprint("just some forum text")


# --- cleartext signatures -----------------------------------------------------------------


def test_clearsign_is_deterministic(vendor):
    """Signing the same text at the same time gives identical messages."""
    assert pgp.clearsign(vendor, TEXT, SIGNED_AT) == pgp.clearsign(vendor, TEXT, SIGNED_AT)


def test_clearsign_verifies(vendor):
    """A message verifies against its signer, returning the text, signer and time."""
    result = pgp.verify_clearsigned(pgp.clearsign(vendor, TEXT, SIGNED_AT), vendor.public)
    assert result.valid, result.reason
    assert result.text == TEXT
    assert result.signer_fingerprint == vendor.fingerprint
    assert result.signed_at == datetime.fromtimestamp(SIGNED_AT, timezone.utc)
    assert result.hash_algorithm == "SHA256"


def test_clearsign_escapes_dashes(vendor):
    """Lines starting with '-' or 'From ' are dash-escaped in the message."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT)
    assert "\n- - exampleabc.onion\n" in signed
    assert "\n- From now on" in signed


def test_edited_word_is_bad_signature(vendor):
    """Changing one word after signing makes the signature BAD."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT)
    result = pgp.verify_clearsigned(signed.replace("mirrors", "mirror"), vendor.public)
    assert not result.valid
    assert "BAD signature" in result.reason


def test_whitespace_and_crlf_do_not_break_signature(vendor):
    """CRLF line endings and trailing blanks are outside the signed data (RFC 9580 7.2)."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT)
    mangled = signed.replace("Market:\n", "Market: \t\n").replace("\n", "\r\n")
    assert pgp.verify_clearsigned(mangled, vendor.public).valid


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("", "Hash header (MD5)"),
        ("Hash: SHA512\n", "Hash header"),
        ("Hash: SHA256\nComment: x\n", "invalid header"),
    ],
)
def test_bad_armor_headers_invalidate_like_gpg(vendor, header, reason):
    """A missing or wrong Hash header, or any other header, is refused as gpg refuses it."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT).replace("Hash: SHA256\n", header)
    result = pgp.verify_clearsigned(signed, vendor)
    assert not result.valid
    assert reason in result.reason


def test_impostor_signature_is_rejected(vendor, impostor):
    """A message signed by another key with the same User ID is not valid for the vendor."""
    result = pgp.verify_clearsigned(pgp.clearsign(impostor, TEXT, SIGNED_AT), vendor.public)
    assert not result.valid
    assert result.signer_fingerprint == impostor.fingerprint
    assert impostor.fingerprint in result.reason


def test_backdated_signature_is_a_time_conflict(vendor):
    """A signature dated before the key was created is rejected, as gpg does."""
    result = pgp.verify_clearsigned(pgp.clearsign(vendor, TEXT, CREATED - 86400), vendor)
    assert not result.valid
    assert "time conflict" in result.reason


def test_garbage_signature_is_invalid_not_an_error(vendor):
    """A well-armored signature block with garbage inside gives valid=False."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT)
    head = signed[: signed.index("-----BEGIN PGP SIGNATURE-----")]
    garbage = pgp.packets.armor(pgp.packets.ARMOR_SIGNATURE, b"\x88\x05garbage")
    result = pgp.verify_clearsigned(head + garbage, vendor.public)
    assert not result.valid and result.reason


def test_unsigned_text_raises_value_error(vendor):
    """Text without the cleartext framework raises ValueError."""
    with pytest.raises(ValueError, match="not a cleartext-signed message"):
        pgp.verify_clearsigned("hello", vendor.public)


# --- gpg interoperability -----------------------------------------------------------------


@needs_gpg
def test_gpg_fingerprint_matches(gpg, vendor):
    """gpg --with-colons reports the fingerprint we compute."""
    listing = gpg.ok("--with-colons", "--fingerprint", vendor.fingerprint).decode()
    fprs = [line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")]
    assert fprs[0] == vendor.fingerprint
    assert fprs[1] == vendor.public.subkeys[0].fingerprint


@needs_gpg
def test_gpg_exports_our_bytes(gpg, vendor):
    """gpg re-exports the imported key byte for byte as we wrote it."""
    assert gpg.ok("--armor", "--export", vendor.fingerprint).decode() == pgp.armor_public_key(
        vendor
    )
    exported = gpg.ok("--armor", "--export-secret-keys", vendor.fingerprint).decode()
    assert exported == pgp.armor_secret_key(vendor)


@needs_gpg
def test_gpg_verifies_our_clearsigned_message(gpg, vendor):
    """gpg --verify reports a good signature by the vendor's key."""
    result = gpg.run("--verify", stdin=pgp.clearsign(vendor, TEXT, SIGNED_AT))
    assert result.returncode == 0
    assert f"[GNUPG:] VALIDSIG {vendor.fingerprint}" in result.stderr.decode()


@needs_gpg
def test_gpg_reports_bad_signature_after_edit(gpg, vendor):
    """gpg --verify reports BADSIG when one word was changed."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT).replace("mirrors", "mirror")
    result = gpg.run("--verify", stdin=signed)
    assert result.returncode != 0
    assert "[GNUPG:] BADSIG" in result.stderr.decode()


@needs_gpg
def test_gpg_rejects_impostor_signature(gpg, impostor):
    """gpg cannot verify a message signed by a key it does not hold (the impostor's)."""
    result = gpg.run("--verify", stdin=pgp.clearsign(impostor, TEXT, SIGNED_AT))
    assert result.returncode != 0
    assert f"[GNUPG:] ERRSIG {impostor.key_id}" in result.stderr.decode()


@needs_gpg
def test_gpg_rejects_backdated_signature(gpg, vendor):
    """gpg refuses a signature dated before the key's creation (Time conflict)."""
    result = gpg.run("--verify", stdin=pgp.clearsign(vendor, TEXT, CREATED - 86400))
    assert result.returncode != 0
    assert "[GNUPG:] ERRSIG" in result.stderr.decode()


@needs_gpg
@pytest.mark.parametrize("header", ["", "Hash: SHA512\n", "Hash: SHA256\nComment: x\n"])
def test_gpg_refuses_bad_armor_headers(gpg, vendor, header):
    """gpg does not accept the messages with bad headers that verify_clearsigned refuses."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT).replace("Hash: SHA256\n", header)
    result = gpg.run("--verify", stdin=signed)
    assert result.returncode != 0
    assert "[GNUPG:] GOODSIG" not in result.stderr.decode()


EDITS = {
    "untouched": lambda m: m,
    "trailing blanks": lambda m: m.replace("Market:\n", "Market: \t \n"),
    "CRLF line ends": lambda m: m.replace("\n", "\r\n"),
    "one word": lambda m: m.replace("mirrors", "mirror"),
    "dash-escape removed": lambda m: m.replace("- - example", "- example"),
    "line inserted": lambda m: m.replace("Market:\n", "Market:\nnew.onion\n"),
    "blank line before signature": lambda m: m.replace(
        "\n-----BEGIN PGP SIG", "\n\n-----BEGIN PGP SIG"
    ),
    "text after the signature": lambda m: m + "P.S. send coins to the new address\n",
    "leading space": lambda m: m.replace("\nOfficial", "\n Official"),
}


@needs_gpg
@pytest.mark.parametrize("edit", list(EDITS))
def test_gpg_and_verify_clearsigned_agree_on_edits(gpg, vendor, edit):
    """After each kind of edit, gpg and verify_clearsigned give the same verdict."""
    signed = pgp.clearsign(vendor, TEXT, SIGNED_AT)
    edited = EDITS[edit](signed)
    assert (edited == signed) == (edit == "untouched")
    gpg_good = "[GNUPG:] GOODSIG" in gpg.run("--verify", stdin=edited).stderr.decode()
    assert pgp.verify_clearsigned(edited, vendor).valid == gpg_good


@needs_gpg
def test_gpg_clearsign_equals_ours(gpg, vendor):
    """gpg --clearsign with our key at the same time gives exactly our message."""
    signed = gpg.ok(
        "--faked-system-time", f"{SIGNED_AT}!", "--clearsign", "-u", vendor.fingerprint, stdin=TEXT
    )
    assert signed.decode() == pgp.clearsign(vendor, TEXT, SIGNED_AT)


@needs_gpg
def test_gpg_clearsigned_message_verifies_here(gpg, vendor):
    """A message gpg clearsigned now verifies with verify_clearsigned."""
    signed = gpg.ok("--clearsign", "-u", vendor.fingerprint, stdin="Payment received, thanks\n")
    result = pgp.verify_clearsigned(signed.decode(), pgp.armor_public_key(vendor))
    assert result.valid, result.reason
    assert result.text == "Payment received, thanks\n"


# --- published test vectors ---------------------------------------------------------------

# RFC 9580, Appendix A.1: sample v4 Ed25519Legacy key, and A.2: its signature over "OpenPGP".
RFC9580_A1_KEY = """-----BEGIN PGP PUBLIC KEY BLOCK-----

xjMEU/NfCxYJKwYBBAHaRw8BAQdAPwmJlL3ZFu1AUxl5NOSofIBzOhKA1i+AEJku
Q+47JAY=
-----END PGP PUBLIC KEY BLOCK-----
"""
RFC9580_A1_FINGERPRINT = "C959BDBAFA32A2F89A153B678CFDE12197965A9A"
RFC9580_A2_SIGNATURE = """-----BEGIN PGP SIGNATURE-----

iF4EABYIAAYFAlX5X5UACgkQjP3hIZeWWpr2IgD/VvkMypjiECY3vZg/2xbBMd/S
ftgr9N3lYG4NdWrtM2YBANCcT6EVJ/A44PV/IgHYLy6iyQMyZfps60iehUuuYbQE
-----END PGP SIGNATURE-----
"""

# draft-bre-openpgp-samples-01: Alice (Ed25519 + Curve25519, unprotected secret key) and
# Bob (RSA-3072) with their stated fingerprints.
ALICE_SECRET_KEY = """-----BEGIN PGP PRIVATE KEY BLOCK-----
Comment: Alice's OpenPGP Transferable Secret Key
Comment: https://www.ietf.org/id/draft-bre-openpgp-samples-01.html

lFgEXEcE6RYJKwYBBAHaRw8BAQdArjWwk3FAqyiFbFBKT4TzXcVBqPTB3gmzlC/U
b7O1u10AAP9XBeW6lzGOLx7zHH9AsUDUTb2pggYGMzd0P3ulJ2AfvQ4RtCZBbGlj
ZSBMb3ZlbGFjZSA8YWxpY2VAb3BlbnBncC5leGFtcGxlPoiQBBMWCAA4AhsDBQsJ
CAcCBhUKCQgLAgQWAgMBAh4BAheAFiEE64W7X6M6deFelE5j8jFVDE9H444FAl2l
nzoACgkQ8jFVDE9H447pKwD6A5xwUqIDprBzrHfahrImaYEZzncqb25vkLV2arYf
a78A/R3AwtLQvjxwLDuzk4dUtUwvUYibL2sAHwj2kGaHnfICnF0EXEcE6RIKKwYB
BAGXVQEFAQEHQEL/BiGtq0k84Km1wqQw2DIikVYrQrMttN8d7BPfnr4iAwEIBwAA
/3/xFPG6U17rhTuq+07gmEvaFYKfxRB6sgAYiW6TMTpQEK6IeAQYFggAIBYhBOuF
u1+jOnXhXpROY/IxVQxPR+OOBQJcRwTpAhsMAAoJEPIxVQxPR+OOWdABAMUdSzpM
hzGs1O0RkWNQWbUzQ8nUOeD9wNbjE3zR+yfRAQDbYqvtWQKN4AQLTxVJN5X5AWyb
Pnn+We1aTBhaGa86AQ==
=n8OM
-----END PGP PRIVATE KEY BLOCK-----
"""
ALICE_FINGERPRINT = "EB85BB5FA33A75E15E944E63F231550C4F47E38E"
# "helloworld" encrypted to Alice by OpenPGP.js (binary message from its published tests).
ALICE_HELLO_WORLD = bytes.fromhex(
    "c15e034766f6b9d5f21eb612010740 6c86fbfa2309fa5cb45cc8c6d39e2fd8a4fea08e07c3ad1536c69d017c"
    "4232433028c12f736249cf514b200f09eb388f36756bb846c97a2d5d8dea6caf931993311c9ab37becc8926b"
    "ffadae37dc73f6d0d23b010cb5507f905d05536f70d9d235f686668913e55672254615970dc2b89f7b427ca0"
    "2f688ea58a9c53f1f1b7e33a49072983ca8941acd1d3331ecf"
)
BOB_PUBLIC_KEY = """-----BEGIN PGP PUBLIC KEY BLOCK-----
Comment: Bob's OpenPGP certificate

mQGNBF2lnPIBDAC5cL9PQoQLTMuhjbYvb4Ncuuo0bfmgPRFywX53jPhoFf4Zg6mv
/seOXpgecTdOcVttfzC8ycIKrt3aQTiwOG/ctaR4Bk/t6ayNFfdUNxHWk4WCKzdz
/56fW2O0F23qIRd8UUJp5IIlN4RDdRCtdhVQIAuzvp2oVy/LaS2kxQoKvph/5pQ/
5whqsyroEWDJoSV0yOb25B/iwk/pLUFoyhDG9bj0kIzDxrEqW+7Ba8nocQlecMF3
X5KMN5kp2zraLv9dlBBpWW43XktjcCZgMy20SouraVma8Je/ECwUWYUiAZxLIlMv
9CurEOtxUw6N3RdOtLmYZS9uEnn5y1UkF88o8Nku890uk6BrewFzJyLAx5wRZ4F0
qV/yq36UWQ0JB/AUGhHVPdFf6pl6eaxBwT5GXvbBUibtf8YI2og5RsgTWtXfU7eb
SGXrl5ZMpbA6mbfhd0R8aPxWfmDWiIOhBufhMCvUHh1sApMKVZnvIff9/0Dca3wb
vLIwa3T4CyshfT0AEQEAAbQhQm9iIEJhYmJhZ2UgPGJvYkBvcGVucGdwLmV4YW1w
bGU+iQHOBBMBCgA4AhsDBQsJCAcCBhUKCQgLAgQWAgMBAh4BAheAFiEE0aZuGiOx
gsmYD3iM+/zIKgFeczAFAl2lnvoACgkQ+/zIKgFeczBvbAv/VNk90a6hG8Od9xTz
XxH5YRFUSGfIA1yjPIVOnKqhMwps2U+sWE3urL+MvjyQRlyRV8oY9IOhQ5Esm6DO
ZYrTnE7qVETm1ajIAP2OFChEc55uH88x/anpPOXOJY7S8jbn3naC9qad75BrZ+3g
9EBUWiy5p8TykP05WSnSxNRt7vFKLfEB4nGkehpwHXOVF0CRNwYle42bg8lpmdXF
DcCZCi+qEbafmTQzkAqyzS3nCh3IAqq6Y0kBuaKLm2tSNUOlZbD+OHYQNZ5Jix7c
ZUzs6Xh4+I55NRWl5smrLq66yOQoFPy9jot/Qxikx/wP3MsAzeGaZSEPc0fHp5G1
6rlGbxQ3vl8/usUV7W+TMEMljgwd5x8POR6HC8EaCDfVnUBCPi/Gv+egLjsIbPJZ
ZEroiE40e6/UoCiQtlpQB5exPJYSd1Q1txCwueih99PHepsDhmUQKiACszNU+RRo
zAYau2VdHqnRJ7QYdxHDiH49jPK4NTMyb/tJh2TiIwcmsIpGuQGNBF2lnPIBDADW
ML9cbGMrp12CtF9b2P6z9TTT74S8iyBOzaSvdGDQY/sUtZXRg21HWamXnn9sSXvI
DEINOQ6A9QxdxoqWdCHrOuW3ofneYXoG+zeKc4dC86wa1TR2q9vW+RMXSO4uImA+
Uzula/6k1DogDf28qhCxMwG/i/m9g1c/0aApuDyKdQ1PXsHHNlgd/Dn6rrd5y2AO
baifV7wIhEJnvqgFXDN2RXGjLeCOHV4Q2WTYPg/S4k1nMXVDwZXrvIsA0YwIMgIT
86Rafp1qKlgPNbiIlC1g9RY/iFaGN2b4Ir6GDohBQSfZW2+LXoPZuVE/wGlQ01rh
827KVZW4lXvqsge+wtnWlszcselGATyzqOK9LdHPdZGzROZYI2e8c+paLNDdVPL6
vdRBUnkCaEkOtl1mr2JpQi5nTU+gTX4IeInC7E+1a9UDF/Y85ybUz8XV8rUnR76U
qVC7KidNepdHbZjjXCt8/Zo+Tec9JNbYNQB/e9ExmDntmlHEsSEQzFwzj8sxH48A
EQEAAYkBtgQYAQoAIBYhBNGmbhojsYLJmA94jPv8yCoBXnMwBQJdpZzyAhsMAAoJ
EPv8yCoBXnMw6f8L/26C34dkjBffTzMj5Bdzm8MtF67OYneJ4TQMw7+41IL4rVcS
KhIhk/3Ud5knaRtP2ef1+5F66h9/RPQOJ5+tvBwhBAcUWSupKnUrdVaZQanYmtSx
cVV2PL9+QEiNN3tzluhaWO//rACxJ+K/ZXQlIzwQVTpNhfGzAaMVV9zpf3u0k14i
tcv6alKY8+rLZvO1wIIeRZLmU0tZDD5HtWDvUV7rIFI1WuoLb+KZgbYn3OWjCPHV
dTrdZ2CqnZbG3SXw6awH9bzRLV9EXkbhIMez0deCVdeo+wFFklh8/5VK2b0vk/+w
qMJxfpa1lHvJLobzOP9fvrswsr92MA2+k901WeISR7qEzcI0Fdg8AyFAExaEK6Vy
jP7SXGLwvfisw34OxuZr3qmx1Sufu4toH3XrB7QJN8XyqqbsGxUCBqWif9RSK4xj
zRTe56iPeiSJJOIciMP9i2ldI+KgLycyeDvGoBj0HCLO3gVaBe4ubVrj5KjhX2PV
NEJd3XZRzaXZE2aAMQ==
=NXei
-----END PGP PUBLIC KEY BLOCK-----
"""
BOB_FINGERPRINT = "D1A66E1A23B182C9980F788CFBFCC82A015E7330"
BOB_SUBKEY_FINGERPRINT = "1DDCE15F09217CEE2F3B37607C2FAA4DF93C37B2"


def test_rfc9580_sample_key_fingerprint():
    """The RFC 9580 A.1 Ed25519Legacy key has the fingerprint the RFC states."""
    assert pgp.fingerprint(RFC9580_A1_KEY) == RFC9580_A1_FINGERPRINT
    assert pgp.key_id(RFC9580_A1_KEY) == "8CFDE12197965A9A"
    assert pgp.short_key_id(RFC9580_A1_KEY) == "97965A9A"


def test_rfc9580_sample_signature_verifies():
    """The RFC 9580 A.2 signature over "OpenPGP" checks out, and not over other data."""
    from darktrail.pgp.packets import dearmor, read_packets
    from darktrail.pgp.signatures import parse_signature, verify_signature

    key = pgp.read_key(RFC9580_A1_KEY)
    (signature_packet,) = read_packets(dearmor(RFC9580_A2_SIGNATURE)[1])
    signature = parse_signature(signature_packet.body)
    assert signature.issuer_key_id == key.key_id
    assert verify_signature(signature, key.primary, b"OpenPGP")
    assert not verify_signature(signature, key.primary, b"OpenPGQ")


def test_rsa_sample_key_fingerprints():
    """Bob's RSA-3072 sample key and subkey have their published fingerprints."""
    bob = pgp.read_key(BOB_PUBLIC_KEY)
    assert pgp.fingerprint(BOB_PUBLIC_KEY) == bob.fingerprint == BOB_FINGERPRINT
    assert bob.algorithm == "RSA"
    assert [subkey.fingerprint for subkey in bob.subkeys] == [BOB_SUBKEY_FINGERPRINT]
    assert bob.user_ids == ("Bob Babbage <bob@openpgp.example>",)


def test_sample_secret_key_reads_and_decrypts_openpgpjs_message():
    """Alice's sample secret key reads, and decrypts a message OpenPGP.js encrypted to her."""
    alice = pgp.read_secret_key(ALICE_SECRET_KEY)
    assert alice.fingerprint == ALICE_FINGERPRINT
    assert pgp.decrypt(ALICE_HELLO_WORLD, alice) == b"helloworld"


# --- encryption ---------------------------------------------------------------------------

PLAINTEXT = "Order #4411: 2 units, ship to the drop address\n"


def test_encrypt_is_deterministic(vendor):
    """The same plaintext, recipient and seed give the same armored message."""
    first = pgp.encrypt(PLAINTEXT, vendor.public, seed=b"order seed 0001!")
    assert first == pgp.encrypt(PLAINTEXT, pgp.armor_public_key(vendor), seed=b"order seed 0001!")
    assert first != pgp.encrypt(PLAINTEXT, vendor.public, seed=b"order seed 0002!")


def test_encrypt_decrypt_round_trip(vendor):
    """decrypt recovers exactly the bytes encrypt was given, with key object or armor."""
    data = bytes(range(256)) * 5
    message = pgp.encrypt(data, vendor, seed=b"binary seed 0001")
    assert pgp.decrypt(message, vendor) == data
    assert pgp.decrypt(message, pgp.armor_secret_key(vendor)) == data


def test_decrypt_with_wrong_key_names_the_recipient(vendor, impostor):
    """Decrypting with a key the message is not addressed to raises ValueError naming it."""
    message = pgp.encrypt(PLAINTEXT, vendor, seed=b"order seed 0001!")
    with pytest.raises(ValueError, match=vendor.public.subkeys[0].key_id):
        pgp.decrypt(message, impostor)


def test_modified_ciphertext_fails_integrity_check(vendor):
    """Flipping one ciphertext bit makes decryption fail instead of returning altered text."""
    from darktrail.pgp.packets import ARMOR_MESSAGE, armor, dearmor

    data = bytearray(dearmor(pgp.encrypt(PLAINTEXT, vendor, seed=b"order seed 0001!"))[1])
    data[-5] ^= 0x01
    with pytest.raises(ValueError, match="MDC|integrity"):
        pgp.decrypt(armor(ARMOR_MESSAGE, bytes(data)), vendor)


def test_public_key_cannot_decrypt(vendor):
    """A public key block passed as a secret key raises a clear ValueError."""
    message = pgp.encrypt(PLAINTEXT, vendor, seed=b"order seed 0001!")
    with pytest.raises(ValueError, match="public key block"):
        pgp.decrypt(message, pgp.armor_public_key(vendor))


# --- short key ID collisions --------------------------------------------------------------

COLLISION_RANGE = (CREATED, CREATED + 2**17)
COLLISION_UIDS = (UID, "Night Owl (new key) <nightowl@example.invalid>")


@pytest.fixture(scope="module")
def colliding() -> tuple[pgp.SecretKey, pgp.SecretKey]:
    return pgp.colliding_short_ids(b"darktrail collision seed", COLLISION_UIDS, COLLISION_RANGE)


def test_colliding_keys_share_short_id_only(colliding):
    """The two keys share the 8-digit short ID but differ in long ID and fingerprint."""
    first, second = colliding
    assert first.short_key_id == second.short_key_id
    assert first.key_id != second.key_id
    assert first.user_ids == (COLLISION_UIDS[0],) and second.user_ids == (COLLISION_UIDS[1],)


def test_colliding_keys_are_deterministic(colliding):
    """The same seed gives the same colliding pair, created inside the range."""
    again = pgp.colliding_short_ids(b"darktrail collision seed", COLLISION_UIDS, COLLISION_RANGE)
    assert again == colliding
    for key in colliding:
        assert COLLISION_RANGE[0] <= key.created.timestamp() < COLLISION_RANGE[1]


def test_one_collision_search_serves_any_user_ids(colliding):
    """The search result makes the same colliding keys under other User IDs."""
    found = pgp.find_short_id_collision(b"darktrail collision seed", COLLISION_RANGE)
    assert found.keys(COLLISION_UIDS) == colliding
    renamed = found.keys(("Mr X <x@example.invalid>", "Mr Y <y@example.invalid>"))
    assert [key.fingerprint for key in renamed] == [key.fingerprint for key in colliding]
    assert found.short_key_id == colliding[0].short_key_id


def test_colliding_impostor_signature_is_rejected(colliding):
    """A message signed by the key with the same short ID fails against the genuine key."""
    genuine, lookalike = colliding
    result = pgp.verify_clearsigned(pgp.clearsign(lookalike, TEXT, SIGNED_AT), genuine)
    assert not result.valid
    assert result.signer_fingerprint == lookalike.fingerprint
    assert result.signer_key_id == lookalike.key_id


def test_collision_needs_a_wide_enough_range():
    """A range too short for a birthday collision raises ValueError saying to widen it."""
    with pytest.raises(ValueError, match="widen"):
        pgp.colliding_short_ids(
            b"darktrail collision seed", COLLISION_UIDS, (CREATED, CREATED + 50)
        )


# --- gpg interoperability: encryption and other key types ---------------------------------


@needs_gpg
def test_gpg_decrypts_our_message(gpg, vendor):
    """gpg --decrypt with the imported secret key recovers our plaintext."""
    message = pgp.encrypt(
        PLAINTEXT,
        vendor.public,
        seed=b"order seed 0001!",
        filename="order.txt",
        encrypted_at=CREATED,
    )
    assert gpg.ok("--decrypt", stdin=message).decode() == PLAINTEXT
    listing = gpg.ok("--list-packets", stdin=message).decode()
    assert f'mode b (62), created {CREATED}, name="order.txt"' in listing


@needs_gpg
def test_we_decrypt_gpg_message(gpg, vendor):
    """decrypt opens a compressed, streamed message gpg encrypted to the vendor's key."""
    data = ("A long order list line with details\n" * 3000).encode()
    message = gpg.ok(
        "--trust-model", "always", "--armor", "--encrypt", "-r", vendor.fingerprint, stdin=data
    )
    assert pgp.decrypt(message.decode(), vendor) == data


@needs_gpg
def test_gpg_shows_the_short_id_collision(gpg, colliding):
    """gpg imports both colliding keys and lists the same short key ID for both."""
    for key in colliding:
        gpg.ok("--import", stdin=pgp.armor_public_key(key))
    short = colliding[0].short_key_id
    listing = gpg.ok("--with-colons", "--list-keys", short).decode()
    fprs = {line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")}
    assert {key.fingerprint for key in colliding} <= fprs


@needs_gpg
@pytest.mark.parametrize("algorithm", ["rsa2048", "nistp256", "brainpoolP256r1", "dsa2048"])
def test_gpg_made_key_fingerprint_and_signature(gpg, algorithm):
    """For RSA, ECDSA and DSA keys made by gpg, our fingerprint and verification agree."""
    uid = f"Old Vendor {algorithm} <{algorithm}@example.invalid>"
    gpg.ok("--passphrase", "", "--quick-generate-key", uid, algorithm, "sign", "never")
    armored = gpg.ok("--armor", "--export", uid).decode()
    listing = gpg.ok("--with-colons", "--fingerprint", uid).decode()
    expected = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    assert pgp.fingerprint(armored) == expected
    signed = gpg.ok("--clearsign", "-u", expected, stdin=TEXT).decode()
    assert pgp.verify_clearsigned(signed, armored).valid
    assert not pgp.verify_clearsigned(signed.replace("mirrors", "mirror"), armored).valid


@needs_gpg
def test_gpg_made_unprotected_key_decrypts_gpg_message(gpg):
    """A gpg-made Ed25519/Curve25519 key exported without passphrase decrypts gpg's message."""
    uid = "Seized Laptop <laptop@example.invalid>"
    gpg.ok("--passphrase", "", "--quick-generate-key", uid, "future-default", "default", "never")
    secret = gpg.ok("--armor", "--export-secret-keys", f"<{uid.split('<')[1]}").decode()
    message = gpg.ok(
        "--trust-model", "always", "--armor", "--encrypt", "-r", uid, stdin="meet at 9"
    )
    assert pgp.decrypt(message.decode(), secret) == b"meet at 9"


@needs_gpg
def test_passphrase_protected_key_is_refused(gpg):
    """A passphrase-protected secret key raises ValueError saying so."""
    uid = "Careful Vendor <careful@example.invalid>"
    protect = ("--pinentry-mode", "loopback", "--passphrase", "correct horse")
    gpg.ok(*protect, "--quick-generate-key", uid, "future-default", "default", "never")
    secret = gpg.ok(*protect, "--armor", "--export-secret-keys", "<careful@example.invalid>")
    with pytest.raises(ValueError, match="passphrase-protected"):
        pgp.read_secret_key(secret.decode())


@needs_gpg
@pytest.mark.parametrize("text", ["", "a", "a\n\n\n", "-\n--\n- x\n", "Ünïcode €\n\n  x \t\n"])
def test_gpg_clearsign_equals_ours_on_edge_cases(gpg, vendor, text):
    """gpg and clearsign agree byte for byte on empty text, blank lines, dashes, Unicode."""
    signed = gpg.ok(
        "--faked-system-time", f"{SIGNED_AT}!", "--clearsign", "-u", vendor.fingerprint, stdin=text
    )
    assert signed.decode() == pgp.clearsign(vendor, text, SIGNED_AT)


def test_read_keys_finds_every_key_on_a_page(vendor, impostor):
    """read_keys returns all keys of a page with several armored blocks and other text."""
    page = (
        "<pre>Vendor key:\n"
        + pgp.armor_public_key(vendor)
        + "</pre><p>Old key</p><pre>"
        + pgp.clearsign(vendor, "hello", SIGNED_AT)
        + pgp.armor_public_key(impostor)
        + "</pre>"
    )
    assert [key.fingerprint for key in pgp.read_keys(page)] == [
        vendor.fingerprint,
        impostor.fingerprint,
    ]
    assert pgp.read_key(page) == vendor.public


def test_signed_post_inside_a_page_verifies(vendor):
    """A clearsigned post copied with the page text around it still verifies."""
    page = (
        "Forum > Announcements\n\n" + pgp.clearsign(vendor, TEXT, SIGNED_AT) + "\nReply | Quote\n"
    )
    assert pgp.verify_clearsigned(page, vendor.public).valid


def test_find_key_refuses_short_key_ids(vendor):
    """Looking a key up by an 8-digit short ID raises ValueError: it is not unique."""
    assert vendor.public.find_key(vendor.key_id) == vendor.public.primary
    with pytest.raises(ValueError, match="16-digit"):
        vendor.public.find_key(vendor.short_key_id)
