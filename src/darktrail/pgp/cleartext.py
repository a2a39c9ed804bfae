"""Cleartext signatures: the ``-----BEGIN PGP SIGNED MESSAGE-----`` posts of vendors and markets.

Implements the Cleartext Signature Framework of RFC 9580, section 7 (RFC 4880, section 7):
the text stays readable, lines starting with ``-`` (and, like gpg, ``From``) are
dash-escaped as ``- ``, and the signature covers the text with CRLF line endings and
trailing spaces and tabs removed from every line, without the line break before the
signature. That is why a post copied with Windows line endings or trailing blanks still
verifies, while changing one word (or re-wrapping a line) breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from darktrail.pgp.keys import PublicKey, SecretKey, read_key, to_timestamp
from darktrail.pgp.packets import ARMOR_SIGNATURE, armor, dearmor, packet, read_packets
from darktrail.pgp.signatures import HASH_IDS, make_signature, parse_signature, verify_signature

__all__ = ["Verification", "clearsign", "verify_clearsigned"]

_BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----"
_BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----"
SIG_BINARY, SIG_TEXT = 0x00, 0x01  # signature types (section 5.2.1)
_TAG_SIGNATURE = 2


@dataclass(frozen=True)
class Verification:
    """Outcome of checking a cleartext-signed message against one public key.

    Attributes
    ----------
    valid : bool
        True only if the signature is intact and made by the given key.
    reason : str
        Why, in words an investigator can put in a report.
    text : str
        The signed text, dash-escaping removed, ``\\n`` line endings, ending with ``\\n``.
    signer_fingerprint, signer_key_id : str or None
        When valid, the given key's (primary) fingerprint and key ID; otherwise the issuer
        named inside the signature, whoever made it (None if it names none).
    signed_at : datetime or None
        Signature creation time claimed by the signer (UTC).
    hash_algorithm : str or None
        Hash of the signature, e.g. ``"SHA256"``.
    """

    valid: bool
    reason: str
    text: str
    signer_fingerprint: str | None = None
    signer_key_id: str | None = None
    signed_at: datetime | None = None
    hash_algorithm: str | None = None


def _canonical(lines: list[str]) -> bytes:
    """Bytes a text signature covers: CRLF line ends, no trailing blanks (section 7.2)."""
    return "\r\n".join(line.rstrip(" \t") for line in lines).encode("utf-8")


def _text_lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the final newline is not part of the signed text
    return lines


def clearsign(
    key: SecretKey,
    text: str,
    signed_at: int | datetime,
    *,
    hash_algorithm: str = "SHA256",
) -> str:
    """Sign ``text`` as a cleartext-signed message, as ``gpg --clearsign`` does.

    Parameters
    ----------
    key : SecretKey
        The signer's key (its Ed25519 primary key signs).
    text : str
        The message; a final newline is optional and not signed.
    signed_at : int or datetime
        Signature creation time (Unix seconds or aware datetime). A time before the key's
        creation is allowed, to stage backdated forgeries; verifiers reject it.
    hash_algorithm : str
        ``"SHA256"`` (what gpg 2.2 picks by default), ``"SHA512"``,
        ``"SHA384"`` or ``"SHA224"``.

    Returns
    -------
    str
        The signed message; byte-identical for identical inputs.

    Examples
    --------
    >>> from darktrail.pgp import generate_key
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> signed = clearsign(key, "Mirror list\\n- abc.onion\\n", 1709251300)
    >>> print("\\n".join(signed.splitlines()[:6]))
    -----BEGIN PGP SIGNED MESSAGE-----
    Hash: SHA256
    <BLANKLINE>
    Mirror list
    - - abc.onion
    -----BEGIN PGP SIGNATURE-----
    """
    if not isinstance(key, SecretKey):
        raise ValueError(f"clearsign needs a SecretKey, got {type(key).__name__}")
    if not isinstance(text, str):
        raise ValueError(f"text must be str, got {type(text).__name__}")
    if hash_algorithm not in HASH_IDS or hash_algorithm in ("MD5", "SHA1", "RIPEMD160"):
        raise ValueError(f"hash_algorithm must be SHA224/256/384/512, got {hash_algorithm!r}")
    signed_at = to_timestamp(signed_at, "signed_at")
    lines = _text_lines(text)
    body = make_signature(
        key.signing_seed,
        key.public.primary,
        SIG_TEXT,
        signed_at,
        _canonical(lines),
        hash_algorithm=HASH_IDS[hash_algorithm],
    )
    # Dash-escape lines starting with "-"; gpg also escapes "From " (section 7.1 allows it).
    escaped = ["- " + line if line.startswith(("-", "From ")) else line for line in lines]
    return (
        f"{_BEGIN_SIGNED}\nHash: {hash_algorithm}\n\n"
        + "\n".join(escaped)
        + "\n"
        + armor(ARMOR_SIGNATURE, packet(_TAG_SIGNATURE, body))
    )


def _split_message(message: str) -> tuple[list[str], list[str], str]:
    """Return (armor header lines, dash-escaped text lines, signature armor) of a message."""
    if not isinstance(message, str):
        raise ValueError(f"a cleartext-signed message must be str, got {type(message).__name__}")
    lines = message.replace("\r\n", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.rstrip() == _BEGIN_SIGNED]
    if not starts:
        raise ValueError(f"not a cleartext-signed message: no '{_BEGIN_SIGNED}' line")
    start = starts[0] + 1
    try:
        blank = next(i for i in range(start, len(lines)) if not lines[i].strip())
    except StopIteration:
        raise ValueError("malformed signed message: no blank line after the headers") from None
    ends = [i for i in range(blank + 1, len(lines)) if lines[i].rstrip() == _BEGIN_SIGNATURE]
    if not ends:
        raise ValueError(f"malformed signed message: no '{_BEGIN_SIGNATURE}' line")
    headers = lines[start:blank]
    text = lines[blank + 1 : ends[0]]
    return headers, text, "\n".join(lines[ends[0] :])


def verify_clearsigned(message: str, public_key: str | PublicKey | SecretKey) -> Verification:
    """Check a cleartext-signed message against the public key it claims to come from.

    Parameters
    ----------
    message : str
        The whole signed message, from ``-----BEGIN PGP SIGNED MESSAGE-----`` to
        ``-----END PGP SIGNATURE-----`` (text around it is ignored).
    public_key : str, PublicKey or SecretKey
        The key to check against, armored or already read.

    Returns
    -------
    Verification
        ``valid`` is False, with a ``reason``, for an altered text, a signature by another
        key, a signature dated before the key was created (gpg's "Time conflict"), a
        missing or wrong ``Hash:`` header, or a signature block with no usable signature.
        Only ``text`` is authenticated: anything before or after the signed message
        (such as a line added under the signature) is not.

    Raises
    ------
    ValueError
        If the message or key is not well-formed armor (missing lines, bad base64, CRC error).

    Examples
    --------
    >>> from darktrail.pgp import generate_key
    >>> key = generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
    >>> signed = clearsign(key, "Price: 0.01 BTC\\n", 1709251300)
    >>> verify_clearsigned(signed, key.public).valid
    True
    >>> forged = signed.replace("0.01", "0.02")
    >>> result = verify_clearsigned(forged, key.public)
    >>> result.valid, result.reason
    (False, 'BAD signature: the text or the signature was altered after signing')
    """
    if isinstance(public_key, SecretKey):
        public_key = public_key.public
    elif isinstance(public_key, str):
        public_key = read_key(public_key)
    elif not isinstance(public_key, PublicKey):
        raise ValueError(f"public_key must be armored text or a PublicKey, got {public_key!r}")
    headers, escaped, signature_armor = _split_message(message)
    lines = [line[2:] if line.startswith("- ") else line for line in escaped]
    text = "\n".join(lines) + "\n"
    _, data = dearmor(signature_armor, ARMOR_SIGNATURE)

    def invalid(reason: str, signature=None) -> Verification:
        if signature is None:
            return Verification(False, reason, text)
        return Verification(
            False,
            reason,
            text,
            signature.issuer_fingerprint,
            signature.issuer_key_id,
            _when(signature.created),
            signature.hash_name,
        )

    try:
        signatures = [
            parse_signature(body) for tag, body in read_packets(data) if tag == _TAG_SIGNATURE
        ]
    except ValueError as error:
        return invalid(f"the signature block holds no readable signature ({error})")
    if not signatures:
        return invalid("the signature block holds no signature packet")
    signature = next(
        (s for s in signatures if s.issuer_key_id and public_key.find_key(s.issuer_key_id)),
        signatures[0],
    )
    issuer = signature.issuer_fingerprint or signature.issuer_key_id
    # A signature that names no issuer can only be tried against the primary key.
    signer = public_key.find_key(issuer) if issuer else public_key.primary
    if signer is None:
        return invalid(
            f"signed by key {issuer or '(unnamed)'}, not by the given key {public_key.fingerprint}",
            signature,
        )
    # Like gpg 2.2: only "Hash:" headers may precede the text, and without one MD5 is
    # assumed (RFC 4880, section 7), which no modern signature uses.
    unexpected = [header for header in headers if not header.startswith("Hash:")]
    if unexpected:
        return invalid(f"invalid header {unexpected[0]!r} in the signed message", signature)
    declared = {name.strip().upper() for header in headers for name in header[5:].split(",")} or {
        "MD5"
    }
    if signature.hash_name not in declared:
        return invalid(
            f"the Hash header ({', '.join(sorted(declared))}) does not match the "
            f"signature's hash {signature.hash_name}",
            signature,
        )
    if signature.sig_type not in (SIG_BINARY, SIG_TEXT):
        return invalid(
            f"signature type 0x{signature.sig_type:02x} is not a text signature", signature
        )
    if signature.created is not None and signature.created < signer.created:
        # gpg refuses these too ("Time conflict"): a backdated signature or a wrong clock.
        return invalid(
            f"time conflict: the signature claims {_when(signature.created):%Y-%m-%d %H:%M:%S} "
            f"UTC, before key {signer.key_id} was created "
            f"({_when(signer.created):%Y-%m-%d %H:%M:%S} UTC)",
            signature,
        )
    try:
        good = verify_signature(signature, signer, _canonical(lines))
    except ValueError as error:
        return invalid(f"cannot check this signature: {error}", signature)
    if not good:
        return invalid(
            "BAD signature: the text or the signature was altered after signing", signature
        )
    who = f" from {public_key.user_ids[0]!r}" if public_key.user_ids else ""
    return Verification(
        True,
        f"good signature{who}, key {public_key.fingerprint}",
        text,
        public_key.fingerprint,
        public_key.key_id,
        _when(signature.created),
        signature.hash_name,
    )


def _when(timestamp: int | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, timezone.utc)
