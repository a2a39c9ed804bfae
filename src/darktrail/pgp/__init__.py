"""Real, GnuPG-compatible OpenPGP for synthetic evidence, deterministic from a seed.

Keys, cleartext signatures and encrypted messages are built packet by packet (RFC 9580, the
successor of RFC 4880) so that the same seed and timestamps always give byte-identical
evidence, and GnuPG 2.2 imports, verifies and decrypts all of it. What a notebook checks with
this module, ``gpg`` checks the same way.

Examples
--------
>>> from darktrail import pgp
>>> key = pgp.generate_key(b"vendor-seed-0001" * 2, "Vendor <vendor@example.invalid>", 1709251200)
>>> signed = pgp.clearsign(key, "New mirror: example.onion\\n", 1709337600)
>>> pgp.verify_clearsigned(signed, pgp.armor_public_key(key)).valid
True
>>> pgp.fingerprint(pgp.armor_public_key(key)) == key.fingerprint
True
"""

from darktrail.pgp.cleartext import Verification, clearsign, verify_clearsigned
from darktrail.pgp.collisions import ShortIdCollision, colliding_short_ids, find_short_id_collision
from darktrail.pgp.encryption import decrypt, encrypt
from darktrail.pgp.keys import (
    PublicKey,
    SecretKey,
    armor_public_key,
    armor_secret_key,
    fingerprint,
    generate_key,
    key_id,
    read_key,
    read_keys,
    read_secret_key,
    short_key_id,
)

__all__ = [
    "PublicKey",
    "SecretKey",
    "ShortIdCollision",
    "Verification",
    "armor_public_key",
    "armor_secret_key",
    "clearsign",
    "colliding_short_ids",
    "decrypt",
    "encrypt",
    "find_short_id_collision",
    "fingerprint",
    "generate_key",
    "key_id",
    "read_key",
    "read_keys",
    "read_secret_key",
    "short_key_id",
    "verify_clearsigned",
]
