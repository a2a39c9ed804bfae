"""OpenPGP keys: deterministic generation, armor, parsing and fingerprints.

A generated key is what ``gpg --quick-generate-key NAME future-default`` (GnuPG 2.2) makes: an
Ed25519 primary key (EdDSA legacy, algorithm 22) for certifying and signing, one User ID with
a positive self-certification, and a Curve25519 ECDH subkey (algorithm 18, KDF SHA-256 /
AES-128 key wrap) for encryption. Unlike gpg, it derives everything from a seed and fixed
timestamps, so the same seed always gives byte-identical keys.

Section numbers refer to RFC 9580.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from darktrail.pgp.packets import (
    ARMOR_PUBLIC_KEY,
    ARMOR_SECRET_KEY,
    Reader,
    armor,
    dearmor_all,
    mpi,
    packet,
    read_packets,
    subpacket,
)
from darktrail.pgp.signatures import (
    ECDH,
    EDDSA_LEGACY,
    OID_CURVE25519,
    OID_ED25519,
    KeyPacket,
    key_hash_prefix,
    make_signature,
    parse_key_packet,
    user_id_hash_prefix,
)

__all__ = [
    "PublicKey",
    "SecretKey",
    "armor_public_key",
    "armor_secret_key",
    "fingerprint",
    "generate_key",
    "key_id",
    "read_key",
    "read_keys",
    "read_secret_key",
    "short_key_id",
    "to_timestamp",
]

# Packet tags (section 5).
TAG_SIGNATURE, TAG_SECRET_KEY, TAG_PUBLIC_KEY, TAG_SECRET_SUBKEY = 2, 5, 6, 7
TAG_USER_ID, TAG_PUBLIC_SUBKEY = 13, 14

# Signature types (section 5.2.1).
SIG_POSITIVE_CERTIFICATION, SIG_SUBKEY_BINDING = 0x13, 0x18

# KDF parameters of a GnuPG 2.2 Curve25519 subkey: 3 octets follow, reserved 0x01,
# SHA-256 (8), AES-128 (7) (section 5.5.5.6).
_KDF_SHA256_AES128 = bytes([3, 1, 8, 7])

# Self-signature subpackets GnuPG 2.2 writes, in its order (section 5.2.3.7).
_PRIMARY_KEY_FLAGS = subpacket(27, b"\x03")  # certify + sign
_SUBKEY_FLAGS = subpacket(27, b"\x0c")  # encrypt communications + storage
_PREFERENCES = (
    subpacket(11, bytes([9, 8, 7, 2]))  # ciphers: AES-256, AES-192, AES-128, 3DES
    + subpacket(21, bytes([10, 9, 8, 11, 2]))  # hashes: SHA-512, -384, -256, -224, SHA-1
    + subpacket(22, bytes([2, 3, 1]))  # compression: ZLIB, BZip2, ZIP
    + subpacket(30, b"\x01")  # features: SEIPD v1 (MDC)
    + subpacket(23, b"\x80")  # keyserver: no-modify
)


def to_timestamp(moment: int | datetime, what: str = "time") -> int:
    """Return ``moment`` as Unix seconds that fit OpenPGP's 4-octet time fields.

    Raises
    ------
    ValueError
        For a naive datetime (its time zone would be a guess) or a time outside 1970-2106.

    Examples
    --------
    >>> to_timestamp(datetime(2024, 3, 1, tzinfo=timezone.utc))
    1709251200
    """
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError(f"{what} must be a timezone-aware datetime, got naive {moment}")
        moment = int(moment.timestamp())
    if isinstance(moment, bool) or not isinstance(moment, int):
        raise ValueError(f"{what} must be an int (Unix seconds) or datetime, got {moment!r}")
    if not 0 <= moment < 2**32:
        raise ValueError(f"{what} {moment} does not fit an OpenPGP timestamp (1970-2106)")
    return moment


@dataclass(frozen=True)
class PublicKey:
    """A transferable public key: primary key, User IDs and subkeys (section 10.1).

    Attributes
    ----------
    primary : KeyPacket
        The primary key; its fingerprint identifies the whole key.
    user_ids : tuple of str
        User IDs in packet order, e.g. ``("vendor <vendor@example.invalid>",)``.
    subkeys : tuple of KeyPacket
        Subkeys, e.g. the ECDH encryption subkey.
    packets : bytes
        The binary key as exported by ``gpg --export``.
    """

    primary: KeyPacket
    user_ids: tuple[str, ...]
    subkeys: tuple[KeyPacket, ...]
    packets: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"PublicKey(fingerprint={self.fingerprint!r}, user_ids={self.user_ids!r})"

    @property
    def fingerprint(self) -> str:
        """40 upper-case hex digits, as ``gpg --with-colons`` prints them."""
        return self.primary.fingerprint

    @property
    def key_id(self) -> str:
        """Long key ID: the last 16 hex digits of the fingerprint."""
        return self.primary.fingerprint[-16:]

    @property
    def short_key_id(self) -> str:
        """Short key ID: the last 8 hex digits of the fingerprint (collisions are cheap)."""
        return self.primary.fingerprint[-8:]

    @property
    def created(self) -> datetime:
        """Creation time of the primary key, in UTC."""
        return datetime.fromtimestamp(self.primary.created, timezone.utc)

    @property
    def algorithm(self) -> str:
        """Public-key algorithm of the primary key, e.g. ``"EdDSA (legacy)"``."""
        return self.primary.algorithm_name

    def find_key(self, key_id: str) -> KeyPacket | None:
        """Return the primary key or subkey whose long key ID or fingerprint is ``key_id``.

        Short (8-digit) key IDs are refused: anyone can make a key that matches one.
        """
        wanted = key_id.upper().replace(" ", "")
        if len(wanted) not in (16, 40):
            raise ValueError(f"need a 16-digit key ID or 40-digit fingerprint, got {key_id!r}")
        for candidate in (self.primary, *self.subkeys):
            if candidate.fingerprint.endswith(wanted):
                return candidate
        return None


@dataclass(frozen=True)
class SecretKey:
    """An unprotected secret key: the public key plus its secret scalars.

    The secret values never appear in ``repr``.
    """

    public: PublicKey
    packets: bytes = field(repr=False)
    signing_seed: bytes = field(repr=False)
    decryption_scalar: bytes | None = field(repr=False, default=None)

    def __repr__(self) -> str:
        return f"SecretKey(fingerprint={self.fingerprint!r}, user_ids={self.user_ids!r})"

    @property
    def fingerprint(self) -> str:
        """40 upper-case hex digits of the primary key's fingerprint."""
        return self.public.fingerprint

    @property
    def key_id(self) -> str:
        """Long key ID (16 hex digits)."""
        return self.public.key_id

    @property
    def short_key_id(self) -> str:
        """Short key ID (8 hex digits)."""
        return self.public.short_key_id

    @property
    def user_ids(self) -> tuple[str, ...]:
        """User IDs of the key."""
        return self.public.user_ids

    @property
    def created(self) -> datetime:
        """Creation time of the primary key, in UTC."""
        return self.public.created


# --- generation ---------------------------------------------------------------------------


def _derive(seed: bytes, purpose: bytes) -> bytes:
    """Derive 32 secret bytes for one ``purpose`` from ``seed`` (domain-separated SHA-256)."""
    return hashlib.sha256(b"darktrail.pgp/" + purpose + b"\0" + seed).digest()


def _checksum(secret_fields: bytes) -> bytes:
    """Two-octet sum of the secret MPIs of an unprotected key (section 5.5.3)."""
    return (sum(secret_fields) % 65536).to_bytes(2, "big")


def _eddsa_body(public: bytes, created: int) -> bytes:
    return (
        bytes([4])
        + created.to_bytes(4, "big")
        + bytes([EDDSA_LEGACY])
        + OID_ED25519
        + mpi(b"\x40" + public)
    )


def _ecdh_body(public: bytes, created: int) -> bytes:
    return (
        bytes([4])
        + created.to_bytes(4, "big")
        + bytes([ECDH])
        + OID_CURVE25519
        + mpi(b"\x40" + public)
        + _KDF_SHA256_AES128
    )


def signing_seed_for(seed: bytes) -> bytes:
    """Return the Ed25519 seed that :func:`generate_key` derives from ``seed``."""
    return _derive(seed, b"ed25519 primary key")


def primary_body_suffix(seed: bytes) -> bytes:
    """Return the primary key packet body after its creation time (constant per seed)."""
    public = Ed25519PrivateKey.from_private_bytes(signing_seed_for(seed)).public_key()
    return _eddsa_body(public.public_bytes_raw(), 0)[5:]


def generate_key(
    seed: bytes,
    user_id: str,
    created: int | datetime,
    *,
    encryption_subkey: bool = True,
) -> SecretKey:
    """Generate an Ed25519 OpenPGP key deterministically from ``seed``.

    Parameters
    ----------
    seed : bytes
        Secret seed (any length, at least 16 bytes); the signing key and the ECDH subkey are
        derived from it with domain-separated SHA-256.
    user_id : str
        The User ID, conventionally ``"Name <mail@example.invalid>"``.
    created : int or datetime
        Creation time (Unix seconds or aware datetime) of the key, its subkey and self-signatures.
    encryption_subkey : bool
        Add a Curve25519 ECDH subkey, as gpg does by default.

    Returns
    -------
    SecretKey

    Raises
    ------
    ValueError
        For a short seed, an empty User ID or a bad time.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> key.fingerprint
    '7040EF10A78853522BD8EF6051603FF3F0C91A65'
    >>> key.key_id == key.fingerprint[-16:], key.short_key_id == key.fingerprint[-8:]
    (True, True)
    >>> key == generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    True
    """
    if not isinstance(seed, bytes) or len(seed) < 16:
        raise ValueError("seed must be at least 16 bytes")
    if not isinstance(user_id, str) or not user_id.strip() or "\n" in user_id:
        raise ValueError(f"user_id must be a non-empty single line, got {user_id!r}")
    created = to_timestamp(created, "created")

    signing_seed = signing_seed_for(seed)
    signing_public = Ed25519PrivateKey.from_private_bytes(signing_seed).public_key()
    primary_body = _eddsa_body(signing_public.public_bytes_raw(), created)
    primary, _ = parse_key_packet(primary_body)
    uid = user_id.encode("utf-8")
    certification = make_signature(
        signing_seed,
        primary,
        SIG_POSITIVE_CERTIFICATION,
        created,
        key_hash_prefix(primary_body) + user_id_hash_prefix(uid),
        extra_subpackets=_PRIMARY_KEY_FLAGS + _PREFERENCES,
    )
    secret_fields = mpi(signing_seed)
    public_packets = [
        packet(TAG_PUBLIC_KEY, primary_body),
        packet(TAG_USER_ID, uid),
        packet(TAG_SIGNATURE, certification),
    ]
    secret_packets = [
        packet(TAG_SECRET_KEY, primary_body + b"\x00" + secret_fields + _checksum(secret_fields)),
        *public_packets[1:],
    ]
    subkeys: tuple[KeyPacket, ...] = ()
    scalar = None
    if encryption_subkey:
        # RFC 7748 clamping, so the stored scalar is exactly what X25519 uses.
        clamped = bytearray(_derive(seed, b"cv25519 encryption subkey"))
        clamped[0] &= 248
        clamped[31] = (clamped[31] & 127) | 64
        scalar = bytes(clamped)
        sub_public = X25519PrivateKey.from_private_bytes(scalar).public_key().public_bytes_raw()
        sub_body = _ecdh_body(sub_public, created)
        binding = make_signature(
            signing_seed,
            primary,
            SIG_SUBKEY_BINDING,
            created,
            key_hash_prefix(primary_body) + key_hash_prefix(sub_body),
            extra_subpackets=_SUBKEY_FLAGS,
        )
        # Curve25519 secrets are stored as a big-endian MPI: the native octets reversed.
        sub_secret = mpi(scalar[::-1])
        public_packets += [packet(TAG_PUBLIC_SUBKEY, sub_body), packet(TAG_SIGNATURE, binding)]
        secret_packets += [
            packet(TAG_SECRET_SUBKEY, sub_body + b"\x00" + sub_secret + _checksum(sub_secret)),
            packet(TAG_SIGNATURE, binding),
        ]
        subkeys = (parse_key_packet(sub_body)[0],)

    public = PublicKey(primary, (user_id,), subkeys, b"".join(public_packets))
    return SecretKey(public, b"".join(secret_packets), signing_seed, scalar)


# --- armor and parsing --------------------------------------------------------------------


def armor_public_key(key: PublicKey | SecretKey) -> str:
    """Return the ASCII-armored public key, as ``gpg --armor --export`` prints it.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> armor_public_key(key).splitlines()[0]
    '-----BEGIN PGP PUBLIC KEY BLOCK-----'
    """
    public = key.public if isinstance(key, SecretKey) else key
    return armor(ARMOR_PUBLIC_KEY, public.packets)


def armor_secret_key(key: SecretKey) -> str:
    """Return the unprotected secret key, as ``gpg --armor --export-secret-keys`` prints it.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> armor_secret_key(key).splitlines()[0]
    '-----BEGIN PGP PRIVATE KEY BLOCK-----'
    """
    if not isinstance(key, SecretKey):
        raise ValueError(f"armor_secret_key needs a SecretKey, got {type(key).__name__}")
    return armor(ARMOR_SECRET_KEY, key.packets)


def _key_blocks(key: str | bytes) -> list[list]:
    """Split armored or binary key data into one packet list per key (primary + parts)."""
    if isinstance(key, str):
        datas = [data for _, data in dearmor_all(key, (ARMOR_PUBLIC_KEY, ARMOR_SECRET_KEY))]
        if not datas:
            raise ValueError(
                f"no '-----BEGIN {ARMOR_PUBLIC_KEY}-----' or '-----BEGIN {ARMOR_SECRET_KEY}-----' "
                "block found (with its matching END line)"
            )
    elif isinstance(key, bytes):
        datas = [key]
    else:
        raise ValueError(f"expected an armored key (str) or binary key (bytes), got {key!r}")
    blocks: list[list] = []
    for data in datas:
        packets = list(read_packets(data))
        if not packets or packets[0].tag not in (TAG_PUBLIC_KEY, TAG_SECRET_KEY):
            raise ValueError("the key block does not start with a public or secret key packet")
        for found in packets:
            if found.tag in (TAG_PUBLIC_KEY, TAG_SECRET_KEY):
                blocks.append([])
            blocks[-1].append(found)
    return blocks


def _public_key(packets: list) -> PublicKey:
    """Build a PublicKey from the packets of one key; secret parts are dropped."""
    primary, _ = parse_key_packet(packets[0].body)
    user_ids: list[str] = []
    subkeys: list[KeyPacket] = []
    public_packets = [packet(TAG_PUBLIC_KEY, primary.body)]
    for tag, body in packets[1:]:
        if tag in (TAG_PUBLIC_SUBKEY, TAG_SECRET_SUBKEY):
            try:
                subkey, _ = parse_key_packet(body)
            except ValueError:
                continue  # skip subkeys of unknown kinds, as gpg does
            subkeys.append(subkey)
            public_packets.append(packet(TAG_PUBLIC_SUBKEY, subkey.body))
        elif tag == TAG_USER_ID:
            user_ids.append(body.decode("utf-8", errors="replace"))
            public_packets.append(packet(tag, body))
        elif tag in (TAG_SIGNATURE, 17):  # signatures and user attributes (photos)
            public_packets.append(packet(tag, body))
    return PublicKey(primary, tuple(user_ids), tuple(subkeys), b"".join(public_packets))


def read_key(key: str | bytes) -> PublicKey:
    """Read the first key of an armored (or binary) public or secret key block.

    Works for any v4 key (RSA, DSA, ECC) made by gpg; from a secret key block only the
    public parts are kept. Text around the armored block (a web page, a forum post) is
    ignored.

    Raises
    ------
    ValueError
        For malformed armor, a block that is not a key, or a non-v4 key.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> read_key(armor_secret_key(key)) == key.public
    True
    """
    return _public_key(_key_blocks(key)[0])


def read_keys(text: str | bytes) -> list[PublicKey]:
    """Read every key in ``text``: all armored key blocks, and every key inside each block.

    Useful on a market page or a seized keyring file that holds several keys.

    Raises
    ------
    ValueError
        If there is no key block, or a block is malformed.

    Examples
    --------
    >>> first = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> second = generate_key(b"vendor-seed-0002" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> page = "Our keys:\\n" + armor_public_key(first) + "Backup key:\\n" + armor_public_key(second)
    >>> [key.fingerprint for key in read_keys(page)] == [first.fingerprint, second.fingerprint]
    True
    """
    return [_public_key(packets) for packets in _key_blocks(text)]


def read_secret_key(key: str | bytes) -> SecretKey:
    """Read an unprotected Ed25519 + Curve25519 secret key block (as made by gpg or darktrail).

    Raises
    ------
    ValueError
        For a public key block, a passphrase-protected key or another algorithm.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> read_secret_key(armor_secret_key(key)) == key
    True
    """
    packets = _key_blocks(key)[0]
    if packets[0].tag != TAG_SECRET_KEY:
        raise ValueError("this is a public key block; a secret (private) key block is needed")
    signing_seed = scalar = None
    secret_packets: list[bytes] = []
    for tag, body in packets:
        secret_packets.append(packet(tag, body))
        if tag not in (TAG_SECRET_KEY, TAG_SECRET_SUBKEY):
            continue
        public, offset = parse_key_packet(body)
        reader = Reader(body[offset:], "secret key material")
        usage = reader.byte()
        if usage in (254, 255) and body[offset + 2 : offset + 3] == b"\x65":
            # GnuPG's "gnu-dummy" S2K (type 101): the secret part was left behind.
            raise ValueError(f"secret key {public.key_id} is a stub without its secret part")
        if usage != 0:
            raise ValueError(
                f"secret key {public.key_id} is passphrase-protected (S2K usage {usage}); "
                "export it without a passphrase first"
            )
        value = reader.mpi()
        if tag == TAG_SECRET_KEY:
            if public.algorithm != EDDSA_LEGACY or public.fields[0] != OID_ED25519:
                raise ValueError(f"primary key is {public.algorithm_name}, expected Ed25519")
            signing_seed = value.rjust(32, b"\0")
        elif public.algorithm == ECDH and public.fields[0] == OID_CURVE25519 and scalar is None:
            scalar = value.rjust(32, b"\0")[::-1]
    assert signing_seed is not None
    return SecretKey(_public_key(packets), b"".join(secret_packets), signing_seed, scalar)


def fingerprint(armored_key: str | bytes) -> str:
    """Return the v4 fingerprint (40 upper-case hex digits) of a public or secret key block.

    Computed from the key packet alone: SHA-1 over 0x99, the body length and the public
    key packet body (RFC 9580, section 5.5.4), so it works for RSA, DSA and ECC keys alike.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> fingerprint(armor_public_key(key)) == key.fingerprint
    True
    """
    return parse_key_packet(_key_blocks(armored_key)[0][0].body)[0].fingerprint


def key_id(armored_key: str | bytes) -> str:
    """Return the long key ID (last 16 hex digits of the fingerprint) of a key block.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> key_id(armor_public_key(key))
    '51603FF3F0C91A65'
    """
    return fingerprint(armored_key)[-16:]


def short_key_id(armored_key: str | bytes) -> str:
    """Return the short key ID (last 8 hex digits of the fingerprint) of a key block.

    Short IDs are easy to collide (see :func:`darktrail.pgp.colliding_short_ids`): never
    identify a vendor by one alone.

    Examples
    --------
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> short_key_id(armor_public_key(key))
    'F0C91A65'
    """
    return fingerprint(armored_key)[-8:]
