"""OpenPGP v4 key packets and v4 signatures: parse, fingerprint, make and check them.

Section numbers refer to RFC 9580. Signing covers the one key type darktrail generates,
Ed25519 in its "legacy EdDSA" form (algorithm 22), which GnuPG 2.2 creates and reads;
checking also covers RSA, ECDSA and DSA, so signatures from ordinary gpg keys can be verified.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature

from darktrail.pgp.packets import Reader, mpi, subpacket

__all__ = [
    "ALGORITHM_NAMES",
    "HASH_IDS",
    "HASH_NAMES",
    "KeyPacket",
    "OID_CURVE25519",
    "OID_ED25519",
    "Signature",
    "key_hash_prefix",
    "make_signature",
    "parse_key_packet",
    "parse_signature",
    "user_id_hash_prefix",
    "verify_signature",
]

# Public-key algorithm IDs (section 9.1).
RSA, ELGAMAL, DSA, ECDH, ECDSA, EDDSA_LEGACY = 1, 16, 17, 18, 19, 22
ALGORITHM_NAMES = {
    1: "RSA",
    2: "RSA (encrypt only)",
    3: "RSA (sign only)",
    16: "Elgamal",
    17: "DSA",
    18: "ECDH",
    19: "ECDSA",
    20: "Elgamal (legacy)",
    22: "EdDSA (legacy)",
    25: "X25519",
    26: "X448",
    27: "Ed25519",
    28: "Ed448",
}

# Hash algorithm IDs (section 9.5) and the names used in "Hash:" armor headers (section 7).
HASH_NAMES = {
    1: "MD5",
    2: "SHA1",
    3: "RIPEMD160",
    8: "SHA256",
    9: "SHA384",
    10: "SHA512",
    11: "SHA224",
}
HASH_IDS = {name: number for number, name in HASH_NAMES.items()}
_HASHLIB = {2: "sha1", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224"}
_CRYPTOGRAPHY_HASHES = {
    2: hashes.SHA1,
    8: hashes.SHA256,
    9: hashes.SHA384,
    10: hashes.SHA512,
    11: hashes.SHA224,
}

# Curve OIDs as they appear in key packets: one length octet, then the DER body (section 9.2).
OID_ED25519 = bytes.fromhex("09 2b 06 01 04 01 da 47 0f 01")  # 1.3.6.1.4.1.11591.15.1
OID_CURVE25519 = bytes.fromhex("0a 2b 06 01 04 01 97 55 01 05 01")  # 1.3.6.1.4.1.3029.1.5.1

# Signature subpacket types (section 5.2.3.7).
SUB_CREATED, SUB_ISSUER_KEY_ID, SUB_ISSUER_FINGERPRINT = 2, 16, 33


class KeyPacket(NamedTuple):
    """The public part of a v4 key packet (primary key or subkey, section 5.5.2)."""

    body: bytes
    created: int
    algorithm: int
    fields: tuple[bytes, ...]

    @property
    def fingerprint(self) -> str:
        """v4 fingerprint: SHA-1 over 0x99, the 2-octet body length and the body (5.5.4)."""
        return hashlib.sha1(key_hash_prefix(self.body)).hexdigest().upper()

    @property
    def key_id(self) -> str:
        """Long key ID: the low 64 bits of the fingerprint."""
        return self.fingerprint[-16:]

    @property
    def algorithm_name(self) -> str:
        """Human name of the public-key algorithm, e.g. ``"EdDSA (legacy)"``."""
        return ALGORITHM_NAMES.get(self.algorithm, f"algorithm {self.algorithm}")


def key_hash_prefix(body: bytes) -> bytes:
    """Return how a key packet body enters fingerprints and signatures (section 5.2.4)."""
    return b"\x99" + len(body).to_bytes(2, "big") + body


def user_id_hash_prefix(user_id: bytes) -> bytes:
    """Return how a User ID enters a certification signature (section 5.2.4)."""
    return b"\xb4" + len(user_id).to_bytes(4, "big") + user_id


def parse_key_packet(body: bytes) -> tuple[KeyPacket, int]:
    """Parse the public fields of a v4 public or secret key packet body.

    Returns the key and the offset where its public part ends (where the secret part of a
    secret-key packet starts). Only the layout of each algorithm's public fields is needed.

    Raises
    ------
    ValueError
        For a key version other than 4 or an unknown algorithm.
    """
    reader = Reader(body, "key packet")
    version = reader.byte()
    if version != 4:
        raise ValueError(f"only v4 OpenPGP keys are supported, found a version {version} key")
    created = reader.uint(4)
    algorithm = reader.byte()
    fields: list[bytes] = []
    if algorithm in (1, 2, 3):  # RSA: n, e
        fields += [reader.mpi(), reader.mpi()]
    elif algorithm == DSA:  # p, q, g, y
        fields += [reader.mpi() for _ in range(4)]
    elif algorithm in (16, 20):  # Elgamal: p, g, y
        fields += [reader.mpi() for _ in range(3)]
    elif algorithm in (ECDSA, EDDSA_LEGACY, ECDH):  # curve OID, point (SOS)
        oid_length = reader.byte()
        fields += [bytes([oid_length]) + reader.take(oid_length), reader.mpi()]
        if algorithm == ECDH:  # KDF parameters: length, 0x01, hash ID, cipher ID
            kdf_length = reader.byte()
            fields.append(bytes([kdf_length]) + reader.take(kdf_length))
    elif algorithm in (25, 26, 27, 28):  # native X25519, X448, Ed25519, Ed448 (5.5.5)
        fields.append(reader.take({25: 32, 26: 56, 27: 32, 28: 57}[algorithm]))
    else:
        raise ValueError(f"unknown public-key algorithm {algorithm} in key packet")
    return KeyPacket(body[: reader.pos], created, algorithm, tuple(fields)), reader.pos


class Signature(NamedTuple):
    """A parsed v4 signature packet (section 5.2.3)."""

    sig_type: int
    algorithm: int
    hash_algorithm: int
    hashed_area: bytes  # version .. hashed subpackets: exactly what the trailer hashes
    unhashed_subpackets: bytes
    hash_prefix: bytes  # left 16 bits of the signed hash
    values: tuple[bytes, ...]  # algorithm-specific MPIs
    created: int | None
    issuer_fingerprint: str | None
    issuer_key_id: str | None

    @property
    def hash_name(self) -> str:
        """Name of the hash algorithm as in a ``Hash:`` header, e.g. ``"SHA256"``."""
        return HASH_NAMES.get(self.hash_algorithm, f"hash {self.hash_algorithm}")

    def trailer(self) -> bytes:
        """The bytes appended to the signed data before hashing (section 5.2.4)."""
        return self.hashed_area + b"\x04\xff" + len(self.hashed_area).to_bytes(4, "big")


def _subpackets(area: bytes) -> list[tuple[int, bytes]]:
    """Split a subpacket area into (type, data) pairs; criticality bit dropped."""
    reader = Reader(area, "signature subpacket")
    found = []
    while reader.remaining():
        first = reader.byte()
        if first < 192:
            length = first
        elif first < 255:
            length = ((first - 192) << 8) + reader.byte() + 192
        else:
            length = reader.uint(4)
        if length == 0:
            raise ValueError("empty signature subpacket")
        data = reader.take(length)
        found.append((data[0] & 0x7F, data[1:]))
    return found


def parse_signature(body: bytes) -> Signature:
    """Parse a v4 signature packet body.

    Raises
    ------
    ValueError
        If the packet is truncated or not a v4 signature.
    """
    reader = Reader(body, "signature packet")
    version = reader.byte()
    if version != 4:
        raise ValueError(f"only v4 signatures are supported, found version {version}")
    sig_type, algorithm, hash_algorithm = reader.byte(), reader.byte(), reader.byte()
    hashed = reader.take(reader.uint(2))
    hashed_area = body[: reader.pos]
    unhashed = reader.take(reader.uint(2))
    hash_prefix = reader.take(2)
    values = []
    while reader.remaining():
        values.append(reader.mpi())
    created = issuer_fingerprint = issuer_key_id = None
    for kind, data in _subpackets(hashed):
        if kind == SUB_CREATED and len(data) == 4:
            created = int.from_bytes(data, "big")
        elif kind == SUB_ISSUER_FINGERPRINT and len(data) == 21 and data[0] == 4:
            issuer_fingerprint = data[1:].hex().upper()
        elif kind == SUB_ISSUER_KEY_ID and len(data) == 8:
            issuer_key_id = data.hex().upper()
    if issuer_fingerprint is not None:  # the signed fingerprint outranks any key ID
        issuer_key_id = issuer_fingerprint[-16:]
    for kind, data in _subpackets(unhashed):  # unsigned, so only a hint
        if kind == SUB_ISSUER_KEY_ID and len(data) == 8 and issuer_key_id is None:
            issuer_key_id = data.hex().upper()
    return Signature(
        sig_type,
        algorithm,
        hash_algorithm,
        hashed_area,
        unhashed,
        hash_prefix,
        tuple(values),
        created,
        issuer_fingerprint,
        issuer_key_id,
    )


def make_signature(
    signing_seed: bytes,
    signer: KeyPacket,
    sig_type: int,
    signed_at: int,
    data: bytes,
    *,
    hash_algorithm: int = 8,
    extra_subpackets: bytes = b"",
) -> bytes:
    """Sign ``data`` with an Ed25519 (EdDSA legacy) key; return the signature packet body.

    The hashed area carries the issuer fingerprint and creation time, then
    ``extra_subpackets``; the unhashed area carries the issuer key ID, as GnuPG 2.2 does.
    Ed25519 is deterministic, so equal inputs give equal bytes.
    """
    if hash_algorithm not in _HASHLIB:
        raise ValueError(f"unsupported hash algorithm {hash_algorithm}")
    hashed = (
        subpacket(SUB_ISSUER_FINGERPRINT, b"\x04" + bytes.fromhex(signer.fingerprint))
        + subpacket(SUB_CREATED, signed_at.to_bytes(4, "big"))
        + extra_subpackets
    )
    hashed_area = (
        bytes([4, sig_type, EDDSA_LEGACY, hash_algorithm]) + len(hashed).to_bytes(2, "big") + hashed
    )
    trailer = hashed_area + b"\x04\xff" + len(hashed_area).to_bytes(4, "big")
    digest = hashlib.new(_HASHLIB[hash_algorithm], data + trailer).digest()
    # EdDSA legacy signs the digest itself; R and S travel as two MPIs (section 5.2.3.3).
    raw = Ed25519PrivateKey.from_private_bytes(signing_seed).sign(digest)
    unhashed = subpacket(SUB_ISSUER_KEY_ID, bytes.fromhex(signer.key_id))
    return (
        hashed_area
        + len(unhashed).to_bytes(2, "big")
        + unhashed
        + digest[:2]
        + mpi(raw[:32])
        + mpi(raw[32:])
    )


# Curves of ECDSA keys, by the OID field of the key packet (section 9.2).
_ECDSA_CURVES = {
    bytes.fromhex("08 2a 86 48 ce 3d 03 01 07"): ec.SECP256R1,
    bytes.fromhex("05 2b 81 04 00 22"): ec.SECP384R1,
    bytes.fromhex("05 2b 81 04 00 23"): ec.SECP521R1,
    bytes.fromhex("09 2b 24 03 03 02 08 01 01 07"): ec.BrainpoolP256R1,
    bytes.fromhex("09 2b 24 03 03 02 08 01 01 0b"): ec.BrainpoolP384R1,
    bytes.fromhex("09 2b 24 03 03 02 08 01 01 0d"): ec.BrainpoolP512R1,
}


def verify_signature(signature: Signature, key: KeyPacket, data: bytes) -> bool:
    """Return True if ``signature`` over ``data`` was made by ``key``.

    Supports the keys gpg 2.2 makes: EdDSA legacy (Ed25519), RSA, ECDSA and DSA.
    Returns False, never raises, for a signature that does not check out.

    Raises
    ------
    ValueError
        If the key or hash algorithm is not supported.
    """
    if signature.hash_algorithm not in _HASHLIB:
        raise ValueError(f"unsupported hash algorithm {signature.hash_name}")
    if signature.algorithm != key.algorithm and {signature.algorithm, key.algorithm} != {1, 3}:
        return False
    hashed_input = data + signature.trailer()
    digest = hashlib.new(_HASHLIB[signature.hash_algorithm], hashed_input).digest()
    if digest[:2] != signature.hash_prefix:
        return False  # the quick check of section 5.2.3 already fails
    values = signature.values
    hash_class = _CRYPTOGRAPHY_HASHES[signature.hash_algorithm]
    try:
        if key.algorithm == EDDSA_LEGACY:
            oid, point = key.fields[0], key.fields[1]
            if oid != OID_ED25519 or len(point) != 33 or point[0] != 0x40:
                raise ValueError("only Ed25519 EdDSA keys are supported")
            if len(values) != 2 or max(len(value) for value in values) > 32:
                return False
            # EdDSA legacy signs the digest itself (section 5.2.3.3).
            raw = values[0].rjust(32, b"\0") + values[1].rjust(32, b"\0")
            Ed25519PublicKey.from_public_bytes(point[1:]).verify(raw, digest)
        elif key.algorithm in (1, 3):
            n, e = (int.from_bytes(value, "big") for value in key.fields)
            if len(values) != 1:
                return False
            size = (n.bit_length() + 7) // 8
            rsa.RSAPublicNumbers(e, n).public_key().verify(
                values[0].rjust(size, b"\0"), hashed_input, padding.PKCS1v15(), hash_class()
            )
        elif key.algorithm in (ECDSA, DSA):
            if len(values) != 2:
                return False
            r, s = (int.from_bytes(value, "big") for value in values)
            der = encode_dss_signature(r, s)
            if key.algorithm == ECDSA:
                curve = _ECDSA_CURVES.get(key.fields[0])
                if curve is None:
                    raise ValueError(f"unsupported ECDSA curve (OID field {key.fields[0].hex()})")
                public = ec.EllipticCurvePublicKey.from_encoded_point(curve(), key.fields[1])
                public.verify(der, digest, ec.ECDSA(Prehashed(hash_class())))
            else:
                p, q, g, y = (int.from_bytes(value, "big") for value in key.fields)
                public = dsa.DSAPublicNumbers(y, dsa.DSAParameterNumbers(p, q, g)).public_key()
                public.verify(der, digest, Prehashed(hash_class()))
        else:
            raise ValueError(f"cannot check signatures made with {key.algorithm_name} keys")
    except InvalidSignature:
        return False
    return True
