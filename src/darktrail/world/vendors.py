"""``keys/``: vendor PGP keys as published on the markets and on forums.

Some vendors reuse one key across markets under different names (same fingerprint, different
handles); others make a key per account. Impostors publish keys carrying a vendor's user id,
one of them with the same *short* key ID as the suspect's genuine key (a 32-bit collision), so
only the full fingerprint tells them apart.

The short-ID collision costs about half a second to find, so it is searched once per scenario
(cached) with placeholder user ids; each trainee's world then re-issues the two keys under
its own vendor's user id. The fingerprint does not cover user ids, so the collision holds.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from .. import pgp
from .case import Case, unix_time
from .rng import derive_seed
from .truth import AccountKey, ImpostorKey, KeyCollision, Keys

__all__ = ["build", "colliding_pair"]

_PLACEHOLDER = "collision <collision@example.invalid>"


@lru_cache(maxsize=8)
def _collision_for_scenario(scenario_seed: int, created_end: int) -> tuple[int, int, int]:
    """(attempt, created_first, created_second) of the scenario's short-ID collision."""
    seed = derive_seed(scenario_seed, "pgp-collision").to_bytes(8, "big") * 4
    first, second = pgp.colliding_short_ids(
        seed, (_PLACEHOLDER, _PLACEHOLDER), (created_end - 2**17, created_end)
    )
    for attempt in range(64):
        seeds = _collision_seeds(seed, attempt)
        probe = pgp.generate_key(seeds[0], _PLACEHOLDER, first.public.primary.created)
        if probe.fingerprint == first.fingerprint:
            return attempt, first.public.primary.created, second.public.primary.created
    raise RuntimeError("could not re-derive the short key ID collision")  # pragma: no cover


def _collision_seeds(seed: bytes, attempt: int) -> list[bytes]:
    # Mirrors darktrail.pgp.collisions' seed derivation, checked by fingerprint above.
    return [
        hashlib.sha256(
            b"darktrail.pgp/collision/" + label + b"\0" + attempt.to_bytes(4, "big") + seed
        ).digest()
        for label in (b"first", b"second")
    ]


def colliding_pair(case: Case, user_id: str) -> tuple[pgp.SecretKey, pgp.SecretKey]:
    """Two different keys with equal short key IDs, both carrying ``user_id``."""
    end = unix_time(case.scenario.start) - 86_400 * 20
    attempt, created_a, created_b = _collision_for_scenario(case.scenario.seed, end)
    seed = derive_seed(case.scenario.seed, "pgp-collision").to_bytes(8, "big") * 4
    seeds = _collision_seeds(seed, attempt)
    keys = (
        pgp.generate_key(seeds[0], user_id, created_a),
        pgp.generate_key(seeds[1], user_id, created_b),
    )
    # The trainee's world decides which of the two is the genuine vendor's key.
    if case.rng("collision-order").random() < 0.5:
        keys = keys[::-1]
    return keys


def build(case: Case) -> None:
    """Make vendor, impostor and market keys; add ``keys/`` files; keep keys in the cast."""
    rng = case.rng("keys")
    start = case.scenario.start
    vendors = case.cast["vendors"]
    suspect = case.cast["suspect"]
    n_impostors = case.scenario["messages"]["forged_impostor"]
    # The collision victim is the suspect: an impostor's forum key shares the short key ID of
    # the seized key, so matching the suspect's accounts by short ID (or by user id) picks up
    # the impostor too. Other impostors copy the user id of another vendor when there is one.
    victims = [v for v in vendors if v["id"] != suspect] or vendors
    collision_victim = suspect if n_impostors else None
    rng.choice(victims)  # the draw that once chose the victim: keeps the other keys as they were
    keys: dict[str, dict] = {}
    accounts: dict[str, AccountKey] = {}
    impostors: list[ImpostorKey] = []
    collision = None
    for v in vendors:
        reuse = v["id"] in (vendors[0]["id"], vendors[1]["id"]) or rng.random() < 0.5
        created = unix_time(start, -rng.randint(30, 400) * 86_400 + rng.randrange(86_400))
        account_keys = {}
        for n, account in enumerate(v["accounts"]):
            if n == 0 or not reuse:
                uid = f"{account['handle']} <{account['handle']}@{v['email'].split('@')[1]}>"
                if v["id"] == collision_victim and n == 0:
                    genuine, impostor = colliding_pair(case, uid)
                    key = genuine
                    collision = KeyCollision(
                        vendor=v["id"],
                        short_key_id=key.short_key_id,
                        genuine=genuine.fingerprint,
                        impostor=impostor.fingerprint,
                    )
                    keys[f"impostor:{v['id']}:collision"] = {"key": impostor, "uid": uid}
                else:
                    key = pgp.generate_key(rng.randbytes(32), uid, created + n * 3600)
            account_keys[(account["market"], account["handle"])] = key
            accounts[f"{account['market']}/{account['handle']}"] = AccountKey(
                vendor=v["id"], fingerprint=key.fingerprint
            )
            case.add(
                f"keys/{account['market']}/{account['handle']}.asc",
                pgp.armor_public_key(key),
                "keys",
                f"PGP public key of vendor {account['handle']} as published on {account['market']}",
            )
        keys[v["id"]] = {"accounts": account_keys, "main": next(iter(account_keys.values()))}
    # Impostors: keys with a vendor's user id, "announced" on a forum.
    forum = []
    if collision:
        entry = keys[f"impostor:{collision_victim}:collision"]
        forum.append((collision_victim, entry["key"], entry["uid"], "collision"))
    for i in range(max(0, n_impostors - len(forum))):
        target = rng.choice(victims)
        main = keys[target["id"]]["main"]
        uid = main.public.user_ids[0]
        fake = pgp.generate_key(
            rng.randbytes(32), uid, unix_time(start, rng.randint(5, 40) * 86_400)
        )
        keys[f"impostor:{target['id']}:{i}"] = {"key": fake, "uid": uid}
        forum.append((target["id"], fake, uid, "same user id"))
    for vendor_id, key, uid, how in forum:
        handle = uid.split(" ")[0]
        name = f"{handle}_new_key"
        while f"keys/forum/{name}.asc" in case.files:
            name += "_2"
        case.add(
            f"keys/forum/{name}.asc",
            pgp.armor_public_key(key),
            "keys",
            f"PGP key posted on a forum as the new key of {handle}",
        )
        impostors.append(
            ImpostorKey(file=f"keys/forum/{name}.asc", impersonates=vendor_id,
                        fingerprint=key.fingerprint, how=how)
        )  # fmt: skip
    case.cast["keys"] = keys
    case.truth["keys"] = Keys(accounts, tuple(impostors), collision)
