"""Tests for darktrail.pgp: deterministic OpenPGP that GnuPG accepts byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import datetime, timezone

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
    home = tempfile.mkdtemp(prefix="dtgpg")
    os.chmod(home, 0o700)
    runner = Gpg(home)
    try:
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
    with pytest.raises(ValueError, match="ASCII-armored"):
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


def test_impostor_signature_is_rejected(vendor, impostor):
    """A message signed by another key with the same User ID is not valid for the vendor."""
    result = pgp.verify_clearsigned(pgp.clearsign(impostor, TEXT, SIGNED_AT), vendor.public)
    assert not result.valid
    assert result.signer_fingerprint == impostor.fingerprint
    assert impostor.fingerprint in result.reason


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
