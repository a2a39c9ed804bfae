"""Public-key encryption to a Curve25519 ECDH subkey, as ``gpg --encrypt`` does.

A message is a Public-Key Encrypted Session Key packet (PKESK v3, section 5.1) followed by a
Symmetrically Encrypted Integrity Protected Data packet (SEIPD v1, section 5.13.1):

* the session key is wrapped with ECDH: X25519 between an ephemeral key and the recipient's
  subkey, the KDF of section 11.5 (SHA-256), then AES key wrap (RFC 3394);
* the data (a Literal Data packet) is encrypted with AES-256 in OpenPGP CFB mode behind a
  random prefix and followed by an MDC (SHA-1) that exposes any modification.

Encryption here is deterministic: the ephemeral key, session key and prefix come from a seed,
so the same evidence is rebuilt byte for byte. Section numbers refer to RFC 9580.
"""

from __future__ import annotations

import bz2
import hashlib
import zlib
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from darktrail.pgp.keys import PublicKey, SecretKey, read_key, read_secret_key, to_timestamp
from darktrail.pgp.packets import ARMOR_MESSAGE, Reader, armor, dearmor, mpi, packet, read_packets
from darktrail.pgp.signatures import ECDH, OID_CURVE25519, KeyPacket

__all__ = ["decrypt", "encrypt"]

# Packet tags (section 5).
TAG_PKESK, TAG_COMPRESSED, TAG_SED, TAG_LITERAL = 1, 8, 9, 11
TAG_SEIPD, TAG_MDC, TAG_AEAD = 18, 19, 20
AES256 = 9
_AES_KEY_SIZES = {7: 16, 8: 24, 9: 32}  # symmetric algorithm IDs (section 9.3)
_KDF_HASHES = {8: "sha256", 9: "sha384", 10: "sha512"}
_ANONYMOUS_SENDER = b"Anonymous Sender    "  # 20 octets (section 11.5)


# --- OpenPGP CFB (section 5.13.1: no IV, a random prefix instead, no resynchronisation) ---


def _xor(data: bytes, stream: bytes) -> bytes:
    size = len(data)
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream[:size], "big")).to_bytes(
        size, "big"
    )


def _cfb_encrypt(key: bytes, data: bytes) -> bytes:
    """AES-CFB with an all-zero IV, built on the AES block function."""
    block = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    previous, out = bytes(16), []
    for start in range(0, len(data), 16):
        chunk = _xor(data[start : start + 16], block.update(previous))
        out.append(chunk)
        previous = chunk
    return b"".join(out)


def _cfb_decrypt(key: bytes, data: bytes) -> bytes:
    """Inverse of :func:`_cfb_encrypt`; the key stream is E(previous ciphertext block)."""
    block = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    full = (len(data) - 1) // 16 * 16 if data else 0
    return _xor(data, block.update(bytes(16) + data[:full]))


# --- ECDH session-key wrapping (section 5.1.6 and 11.5) ------------------------------------


def _kek(shared: bytes, subkey: KeyPacket) -> bytes:
    """Derive the key-encryption key from the X25519 shared secret (section 11.5)."""
    kdf = subkey.fields[2]  # 0x03, 0x01, hash ID, cipher ID
    if len(kdf) != 4 or kdf[2] not in _KDF_HASHES or kdf[3] not in _AES_KEY_SIZES:
        raise ValueError(f"unsupported ECDH KDF parameters {kdf.hex()} on key {subkey.key_id}")
    param = (
        subkey.fields[0]
        + bytes([ECDH])
        + kdf
        + _ANONYMOUS_SENDER
        + bytes.fromhex(subkey.fingerprint)
    )
    digest = hashlib.new(_KDF_HASHES[kdf[2]], b"\x00\x00\x00\x01" + shared + param).digest()
    return digest[: _AES_KEY_SIZES[kdf[3]]]


def _encryption_subkey(key: PublicKey) -> KeyPacket:
    for candidate in (*key.subkeys, key.primary):
        if candidate.algorithm == ECDH and candidate.fields[0] == OID_CURVE25519:
            return candidate
    raise ValueError(f"key {key.fingerprint} has no Curve25519 encryption subkey")


def _session_checksum(session_key: bytes) -> bytes:
    return (sum(session_key) % 65536).to_bytes(2, "big")


def encrypt(
    plaintext: bytes | str,
    recipient: PublicKey | SecretKey | str,
    *,
    seed: bytes,
    filename: str = "",
    encrypted_at: int | datetime = 0,
) -> str:
    """Encrypt ``plaintext`` to ``recipient`` as an armored OpenPGP message gpg can decrypt.

    Parameters
    ----------
    plaintext : bytes or str
        The message; str is encoded as UTF-8.
    recipient : PublicKey, SecretKey or str
        The recipient's key (armored or read); its Curve25519 subkey is used.
    seed : bytes
        Secret seed (at least 16 bytes) from which the ephemeral key, session key and
        CFB prefix are derived, together with the recipient and the plaintext.
    filename : str
        File name stored in the Literal Data packet (``gpg --decrypt`` shows it).
    encrypted_at : int or datetime
        Date stored in the Literal Data packet (gpg stores the time of encryption);
        0 when not given.

    Returns
    -------
    str
        ``-----BEGIN PGP MESSAGE-----`` armor; identical for identical inputs.

    Raises
    ------
    ValueError
        If the recipient has no Curve25519 encryption key or the seed is too short.

    Examples
    --------
    >>> from darktrail.pgp import generate_key
    >>> key = generate_key(b"buyer-seed-00001" * 2, "Buyer <buyer@example.invalid>", 1709251200)
    >>> message = encrypt("Ship to: 1 Example Street", key.public, seed=b"order-0001" * 2)
    >>> message.splitlines()[0]
    '-----BEGIN PGP MESSAGE-----'
    >>> decrypt(message, key)
    b'Ship to: 1 Example Street'
    """
    if not isinstance(seed, bytes) or len(seed) < 16:
        raise ValueError("seed must be at least 16 bytes")
    if isinstance(plaintext, str):
        plaintext = plaintext.encode("utf-8")
    if not isinstance(plaintext, bytes):
        raise ValueError(f"plaintext must be bytes or str, got {type(plaintext).__name__}")
    if isinstance(recipient, SecretKey):
        recipient = recipient.public
    elif isinstance(recipient, str):
        recipient = read_key(recipient)
    subkey = _encryption_subkey(recipient)

    # Every "random" value is derived from the seed, bound to recipient and plaintext.
    material = hashlib.sha256(
        seed + bytes.fromhex(subkey.fingerprint) + hashlib.sha256(plaintext).digest()
    ).digest()

    def derive(purpose: bytes) -> bytes:
        return hashlib.sha256(b"darktrail.pgp/encrypt/" + purpose + b"\0" + material).digest()

    session_key = derive(b"session key")
    ephemeral = X25519PrivateKey.from_private_bytes(derive(b"ephemeral key"))
    recipient_point = subkey.fields[1][1:]  # drop the 0x40 native-point prefix
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_point))
    # Section 11.5: cipher ID, session key, checksum, PKCS#5 padding to 8-octet blocks.
    message = bytes([AES256]) + session_key + _session_checksum(session_key)
    pad = 8 - len(message) % 8
    wrapped = aes_key_wrap(_kek(shared, subkey), message + bytes([pad]) * pad)
    pkesk = (
        bytes([3])
        + bytes.fromhex(subkey.key_id)
        + bytes([ECDH])
        + mpi(b"\x40" + ephemeral.public_key().public_bytes_raw())
        + bytes([len(wrapped)])
        + wrapped
    )

    name = filename.encode("utf-8")
    if len(name) > 255:
        raise ValueError(f"filename is longer than 255 bytes: {filename!r}")
    date = to_timestamp(encrypted_at, "encrypted_at").to_bytes(4, "big")
    literal = packet(TAG_LITERAL, b"b" + bytes([len(name)]) + name + date + plaintext)
    prefix = derive(b"cfb prefix")[:16]
    prefix += prefix[-2:]  # the repeated octets let a decryptor spot a wrong key early
    mdc_header = bytes([0xC0 | TAG_MDC, 20])
    mdc = hashlib.sha1(prefix + literal + mdc_header).digest()
    encrypted = _cfb_encrypt(session_key, prefix + literal + mdc_header + mdc)
    data = packet(TAG_PKESK, pkesk) + packet(TAG_SEIPD, b"\x01" + encrypted)
    return armor(ARMOR_MESSAGE, data)


# --- decryption ---------------------------------------------------------------------------


def _unwrap_session_key(body: bytes, key: SecretKey, subkey: KeyPacket) -> tuple[int, bytes]:
    """Recover (cipher ID, session key) from a PKESK v3 addressed to ``subkey``."""
    reader = Reader(body, "encrypted session key packet")
    reader.take(1 + 8 + 1)  # version, key ID, algorithm: checked by the caller
    point = reader.mpi()
    wrapped = reader.take(reader.byte())
    if len(point) != 33 or point[0] != 0x40:
        raise ValueError("malformed ephemeral Curve25519 point in the encrypted session key")
    private = X25519PrivateKey.from_private_bytes(key.decryption_scalar)
    shared = private.exchange(X25519PublicKey.from_public_bytes(point[1:]))
    try:
        padded = aes_key_unwrap(_kek(shared, subkey), wrapped)
    except InvalidUnwrap:
        raise ValueError(
            "the session key does not unwrap: wrong key or corrupted message"
        ) from None
    pad = padded[-1]
    if not 1 <= pad <= 8 or padded[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad padding on the decrypted session key")
    cipher, session_key, check = padded[0], padded[1:-pad][:-2], padded[1:-pad][-2:]
    if cipher not in _AES_KEY_SIZES or len(session_key) != _AES_KEY_SIZES[cipher]:
        raise ValueError(f"unsupported session cipher {cipher} (only AES is supported)")
    if _session_checksum(session_key) != check:
        raise ValueError("session key checksum mismatch: wrong key or corrupted message")
    return cipher, session_key


def _literal_data(data: bytes) -> bytes:
    """Return the contents of the Literal Data packet in decrypted packets."""
    for tag, body in read_packets(data):
        if tag == TAG_COMPRESSED:  # section 5.6: 0 none, 1 ZIP, 2 ZLIB, 3 BZip2
            algorithm, compressed = body[0], body[1:]
            if algorithm == 0:
                return _literal_data(compressed)
            if algorithm == 1:
                return _literal_data(zlib.decompress(compressed, -15))
            if algorithm == 2:
                return _literal_data(zlib.decompress(compressed))
            if algorithm == 3:
                return _literal_data(bz2.decompress(compressed))
            raise ValueError(f"unknown compression algorithm {algorithm}")
        if tag == TAG_LITERAL:
            reader = Reader(body, "literal data packet")
            reader.byte()  # format: b, t, u
            reader.take(reader.byte())  # file name
            reader.take(4)  # date
            return reader.rest()
    raise ValueError("the decrypted message holds no literal data")


def decrypt(message: str | bytes, secret_key: SecretKey | str) -> bytes:
    """Decrypt an OpenPGP message encrypted to ``secret_key`` (by gpg or :func:`encrypt`).

    Parameters
    ----------
    message : str or bytes
        Armored (or binary) ``PGP MESSAGE``.
    secret_key : SecretKey or str
        The recipient's unprotected secret key, read or armored.

    Returns
    -------
    bytes
        The plaintext.

    Raises
    ------
    ValueError
        If the message is malformed, is not addressed to this key, uses an unsupported
        cipher, lacks integrity protection or fails its integrity check (MDC).

    Examples
    --------
    >>> from darktrail.pgp import armor_secret_key, generate_key
    >>> key = generate_key(b"buyer-seed-00001" * 2, "Buyer <buyer@example.invalid>", 1709251200)
    >>> message = encrypt(b"wallet seed on page 3", key, seed=b"note-0001" * 2)
    >>> decrypt(message, armor_secret_key(key))  # as found on a seized laptop
    b'wallet seed on page 3'
    """
    if isinstance(secret_key, str):
        secret_key = read_secret_key(secret_key)
    if not isinstance(secret_key, SecretKey):
        raise ValueError(f"secret_key must be a SecretKey or armored text, got {secret_key!r}")
    if secret_key.decryption_scalar is None:
        raise ValueError(f"key {secret_key.fingerprint} has no Curve25519 decryption subkey")
    subkey = _encryption_subkey(secret_key.public)
    data = dearmor(message, ARMOR_MESSAGE)[1] if isinstance(message, str) else message
    recipients, session, encrypted = [], None, None
    for tag, body in read_packets(data):
        if tag == TAG_PKESK:
            if len(body) < 10 or body[0] != 3:
                continue
            key_id, algorithm = body[1:9].hex().upper(), body[9]
            recipients.append(key_id)
            if algorithm == ECDH and key_id in (subkey.key_id, "0000000000000000"):
                session = _unwrap_session_key(body, secret_key, subkey)
        elif tag == TAG_SEIPD:
            encrypted = body
        elif tag in (TAG_SED, TAG_AEAD):
            kind = "without integrity protection" if tag == TAG_SED else "with AEAD"
            raise ValueError(f"messages encrypted {kind} are not supported")
    if session is None:
        raise ValueError(
            f"message is encrypted to key IDs {', '.join(recipients) or '(none)'}, "
            f"not to this key's subkey {subkey.key_id}"
        )
    if encrypted is None:
        raise ValueError("message holds no encrypted data packet")
    if encrypted[:1] != b"\x01":
        raise ValueError(f"unsupported encrypted data packet version {encrypted[:1].hex()}")
    _, session_key = session  # the cipher is AES; its key size follows from the key
    plain = _cfb_decrypt(session_key, encrypted[1:])
    if len(plain) < 18 + 22 or plain[14:16] != plain[16:18]:
        raise ValueError("decryption failed: wrong session key (prefix check)")
    body, mdc = plain[:-22], plain[-22:]
    if mdc[:2] != bytes([0xD3, 0x14]) or hashlib.sha1(body + mdc[:2]).digest() != mdc[2:]:
        raise ValueError("integrity check (MDC) failed: the message was modified")
    return _literal_data(body[18:])
