"""The discriminating cases 03-encryption relies on exist in every trainee's world.

See the docstring of exercises/03-encryption/answers.py for what each trap separates.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections import Counter

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from darktrail import pgp
from darktrail.world import generate
from darktrail.world.truth import SignedMessage

TRAINEES = [f"qa-{n:02d}" for n in range(40)]


@pytest.fixture(scope="module")
def worlds():
    return {t: generate("default", t, course_key=bytes(32)) for t in TRAINEES}


def _keys(world):
    return {
        path: pgp.read_key(data.decode("ascii"))
        for path, data in world.files.items()
        if path.startswith("keys/")
    }


def _seized(world):
    secret = next(d for p, d in world.files.items() if p.startswith("seized/keys/"))
    return pgp.read_secret_key(secret.decode("ascii"))


def test_phone_exhibits_are_evidence_and_open(worlds):
    """The phone extraction decodes, opens and cracks as the notebook says, in every world."""
    import hashlib

    for world in worlds.values():
        phone = json.loads(world.files["messages/phone_extraction.json"])
        truth = world.truth.phone
        clip = phone["clipboard_manager"]["text"]
        text = urllib.parse.unquote(bytes.fromhex(base64.b64decode(clip).decode()).decode())
        assert text == truth.clipboard and text.split(": ")[1] == truth.vault_key
        sealed = bytes.fromhex(phone["notes_app"]["note"])
        key = bytes.fromhex(text[-64:])
        note = AESGCM(key).decrypt(sealed[:12], sealed[12:], None).decode("utf-8")
        assert note == truth.note
        assert not note.isascii(), "Latin-1 decoding must garble the note"
        wallet = phone["wallet_app"]
        assert (
            hashlib.pbkdf2_hmac(
                "sha256",
                truth.pin.encode(),
                bytes.fromhex(wallet["pin_salt"]),
                wallet["pin_iterations"],
            ).hex()
            == wallet["pin_hash"]
        )
        rsa, chat = truth.rsa, phone["chat"]
        assert rsa.p * rsa.q == chat["vendor_rsa_key"]["n"] and rsa.p < rsa.q
        m = pow(chat["number_sent_to_vendor"], rsa.d, chat["vendor_rsa_key"]["n"])
        assert m.to_bytes(4, "big").decode() == truth.intercepted_text
        assert m.to_bytes(4, "little").decode("latin-1") != truth.intercepted_text


def test_phone_answers_differ_between_trainees(worlds):
    """Each trainee's PIN, note and intercept are their own (>= 90% of pairs differ)."""
    for field in ("pin", "note", "intercepted_text", "vault_key"):
        counts = Counter(getattr(w.truth.phone, field) for w in worlds.values())
        same = sum(c * (c - 1) // 2 for c in counts.values())
        assert same / (40 * 39 / 2) <= 0.1, field


def test_suspect_key_collides_with_a_forum_key(worlds):
    """A forum key has the seized key's short ID and user id, not its fingerprint."""
    for world in worlds.values():
        seized = _seized(world)
        keys = _keys(world)
        forum = [k for p, k in keys.items() if p.startswith("keys/forum/")]
        clash = [k for k in forum if k.short_key_id == seized.short_key_id]
        assert clash and all(k.fingerprint != seized.fingerprint for k in clash)
        assert any(k.user_ids[0] == seized.public.user_ids[0] for k in clash)
        mine = [p for p, k in keys.items() if k.fingerprint == seized.fingerprint]
        assert len(mine) >= 2, "the suspect reuses the key: one account only must not pass"


def test_reused_keys_of_another_vendor_share_a_short_id(worlds):
    """Another vendor reuses a key: 'every duplicated short ID' lists more than the clash."""
    for world in worlds.values():
        seized = _seized(world)
        counts = Counter((k.short_key_id, k.fingerprint) for k in _keys(world).values())
        assert any(n >= 2 and fpr != seized.fingerprint for (_s, fpr), n in counts.items())


def test_every_world_has_an_edited_and_an_impostor_message(worlds):
    """Task 14: one message edited after signing, one signed by the impostor, per world."""
    for world in worlds.values():
        kinds = Counter(
            f.kind for f in world.truth.messages.values() if isinstance(f, SignedMessage)
        )
        assert kinds["edited"] >= 1 and kinds["impostor"] >= 1 and kinds["genuine"] >= 1


def test_small_seized_files_for_the_same_evidence_probes(worlds):
    """The grader's same_evidence probes pick two seized files under 20 kB."""
    for world in worlds.values():
        small = [p for p, d in world.files.items() if p.startswith("seized/") and len(d) < 20_000]
        assert len(small) >= 2
