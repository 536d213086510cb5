"""Offline PIN verifiers: a PIN checked on this device alone, with a key the cache never holds.

Central never sends PIN hashes to a device. After a member of staff signs in *online* on
this device, :func:`remember` keeps a verifier for them in the cache's ``meta`` table::

    HMAC-SHA256(key, "clienteling offline pin v1" | staff id | signed-in time | scrypt(pin, salt))

with a fresh random ``salt`` for each staff id (each time they sign in online), and
``key`` 32 random bytes kept in the OS keyring (:func:`sync.credentials.offline_pin_key`),
never in the cache or a file. A copy of the cache file is useless on its own: without
this device's keyring entry no PIN can be tried against it. The staff id and the time of
the online sign-in are inside the MAC, so editing the file can neither move one person's
verifier onto another's staff id nor make a sign-in look more recent.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import asdict, dataclass, replace
from typing import Any

from sync import credentials, meta
from sync.rules.signin import PIN_N, PIN_P, PIN_R, hash_pin
from sync.store import Cache

log = logging.getLogger("clienteling.sync.auth")

OFFLINE_PINS = "offline_pins"
"""``meta`` key: ``{staff_id: Verifier fields}`` (salt, n, r, p, signed_in_at, verifier)."""

_CONTEXT = b"clienteling offline pin v1"

LEGACY_PIN_FIELDS = ("pin_salt", "pin_hash", "pin_n", "pin_r", "pin_p")
"""What an associate record carried before central stopped sending PIN hashes."""


@dataclass(frozen=True, slots=True)
class Verifier:
    """One staff id's offline verifier on this device."""

    salt: str  # hex, 16 random bytes
    n: int
    r: int
    p: int
    signed_in_at: str  # the online sign-in it was made at (ISO, UTC)
    verifier: str  # hex HMAC-SHA256


def _mac(key: bytes, staff_id: str, pin: str, v: Verifier) -> str:
    stretched = bytes.fromhex(hash_pin(pin, v.salt, v.n, v.r, v.p))
    message = b"\0".join(
        (_CONTEXT, staff_id.encode("utf-8"), v.signed_in_at.encode("ascii"), stretched)
    )
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def remember(cache: Cache, device_id: str, staff_id: str, pin: str, signed_in_at: str) -> None:
    """Keep a verifier for ``staff_id`` after central accepted ``pin`` (slow: scrypt; call
    it off the event loop). Raises ``KeyringUnavailable`` when the keyring can't be used."""
    key = credentials.offline_pin_key(device_id, create=True)
    assert key is not None  # made when missing
    draft = Verifier(secrets.token_hex(16), PIN_N, PIN_R, PIN_P, signed_in_at, verifier="")
    made = replace(draft, verifier=_mac(key, staff_id, pin, draft))
    with cache.db.write() as conn:
        record = _record(meta.get(conn, OFFLINE_PINS, {}))
        record[staff_id] = asdict(made)
        meta.put(conn, OFFLINE_PINS, record)


def stored(cache: Cache, staff_id: str) -> Verifier | None:
    """The verifier kept for ``staff_id`` on this device, if any."""
    entry = _record(cache.get_meta(OFFLINE_PINS, {})).get(staff_id)
    try:
        return Verifier(**entry) if isinstance(entry, dict) else None
    except TypeError:
        return None


def check(cache: Cache, device_id: str, staff_id: str, pin: str) -> bool | None:
    """Whether ``pin`` is ``staff_id``'s, by this device's verifier (slow: scrypt).

    ``None`` when it can't be told here: no verifier for the staff id, or no key in this
    device's keyring (the cache was copied, or the keyring was reset). Raises
    ``KeyringUnavailable`` when the keyring can't be used at all.
    """
    verifier = stored(cache, staff_id)
    if verifier is None:
        return None
    key = credentials.offline_pin_key(device_id, create=False)
    if key is None:
        log.warning("an offline PIN verifier is kept but this device's keyring has no key")
        return None
    try:
        candidate = _mac(key, staff_id, pin, verifier)
    except (ValueError, MemoryError):  # a damaged entry (salt or cost)
        return None
    return hmac.compare_digest(candidate, verifier.verifier.lower())


def forget(cache: Cache, staff_id: str) -> None:
    """Drop ``staff_id``'s verifier (central refused a PIN for them: a changed or revoked
    PIN must not keep working offline here)."""
    if stored(cache, staff_id) is None:
        return
    with cache.db.write() as conn:
        record = _record(meta.get(conn, OFFLINE_PINS, {}))
        record.pop(staff_id, None)
        meta.put(conn, OFFLINE_PINS, record)


def scrub_legacy_hashes(cache: Cache) -> int:
    """Remove PIN hashes a cache received before central stopped sending them (the
    deleted bytes are overwritten: ``secure_delete``); returns how many records had any."""
    paths = ", ".join(f"'$.{field}'" for field in LEGACY_PIN_FIELDS)
    with cache.db.read() as conn:
        found = conn.execute(
            "SELECT count(*) FROM associates WHERE json_type(data, '$.pin_hash') IS NOT NULL"
        ).fetchone()[0]
    if not found:
        return 0
    with cache.db.write() as conn:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute(
            f"UPDATE associates SET data = json_remove(data, {paths}) "
            "WHERE json_type(data, '$.pin_hash') IS NOT NULL"
        )
    log.info("removed the PIN hashes of %d cached associates", found)
    return int(found)


def _record(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}
