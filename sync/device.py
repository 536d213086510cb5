"""Enrollment: this device gets an id and a token from central with the store's code.

The token goes to the keyring (:mod:`sync.credentials`) *before* the device is recorded
in the cache, so a device in the cache always has its token (or the keyring lost it, and
:func:`token` says so).

The code itself is not kept: the keyring holds a slow salted hash of it (scrypt,
``sync.rules.signin.hash_pin``), the IT-exit verifier of a kiosk (:func:`exit_code_matches`),
and the caller removes it from the provisioning file
(``sync.settings.forget_enrollment_code``). When central says IT revoked the device,
:func:`mark_revoked` notes it in the cache (for ``--self-test``); enrolling again clears it.
"""

from __future__ import annotations

import hmac
import logging
import math
import secrets

from pydantic import ValidationError

from sync import meta, outbox, wire
from sync.client import CentralClient
from sync.credentials import get_token, set_token
from sync.errors import InvalidInput, NotEnrolled, ServerError
from sync.records import DeviceInfo
from sync.rules.signin import PIN_N, PIN_P, PIN_R, hash_pin
from sync.schema import ENTITY_TABLES
from sync.sessions import STAFF_SESSIONS
from sync.store import Cache

log = logging.getLogger("clienteling.sync.device")

REVOKED_AT = "device_revoked_at"
"""Cache meta key: when central first answered ``device_revoked`` (None: not revoked)."""


def _exit_key(device_id: str) -> str:
    return f"{device_id}:it-exit"


def _too_many_attempts(retry_after: float | None) -> str:
    minutes = max(1, math.ceil((retry_after or 60.0) / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many wrong codes from here; try again in {minutes} {unit}."


async def enroll(
    cache: Cache, client: CentralClient, code: str, store_id: str, mode: str, device_name: str
) -> DeviceInfo:
    """Enroll with central; keep the token in the keyring and the device in the cache.

    Raises ``InvalidInput`` (bad code / store / mode), ``Offline``, ``ServerError``,
    ``KeyringUnavailable``.
    """
    previous = cache.device()
    try:
        request = wire.EnrollRequest(
            enrollment_code=code,
            store_id=store_id,
            mode=mode,  # type: ignore[arg-type]
            device_name=device_name,
            # enrolled again (IT revoked it): the work it kept was vouched for there
            replaces=previous.device_id if previous is not None else None,
        )
    except ValidationError as exc:
        fields = {str(e["loc"][0]) for e in exc.errors()}
        errors = {}
        if "enrollment_code" in fields:
            errors["enrollment_code"] = "Enter the enrollment code IT gave you."
        if "store_id" in fields:
            errors["store_id"] = "Enter the store id, for example S001."
        if "mode" in fields:
            errors["mode"] = "Choose associate or kiosk."
        if "device_name" in fields:
            errors["device_name"] = "Give the device a name of 1 to 100 characters."
        raise InvalidInput(errors or {"": "Check the enrollment details."}) from exc
    try:
        answer = await client.enroll(request)
    except ServerError as exc:
        if exc.code == "bad_enrollment_code":
            raise InvalidInput({"enrollment_code": "This enrollment code is not valid."}) from exc
        if exc.code == "too_many_attempts":
            message = _too_many_attempts(exc.retry_after)
            raise InvalidInput({"enrollment_code": message}) from exc
        if exc.code == "unknown_store":
            raise InvalidInput({"store_id": f"Central has no store {store_id}."}) from exc
        raise
    set_token(answer.device_id, answer.token)
    keep_exit_verifier(answer.device_id, code)
    info = DeviceInfo(
        device_id=answer.device_id,
        store_id=answer.store_id,
        mode=answer.mode,
        central_url=client.base_url,
        device_name=device_name,
    )
    with cache.db.write() as conn:
        if previous is not None and previous.store_id != info.store_id:
            # Another store's book: start the cache over (the outbox is kept).
            for spec in ENTITY_TABLES.values():
                conn.execute(f"DELETE FROM {spec.table}")
            conn.execute("DELETE FROM tombstones")
            conn.execute("DELETE FROM recent_shoppers")
            for key in (meta.CURSOR, meta.LAST_SEQ, meta.INITIAL_SYNC_DONE, meta.LAST_SYNC_AT):
                meta.delete(conn, key)
        meta.put_device(conn, info)
        meta.delete(conn, REVOKED_AT)
        # the sessions were the old device's: an associate signs in online here first
        meta.delete(conn, STAFF_SESSIONS)
        outbox.reset_numbering(conn)
    client.token = answer.token
    log.info("enrolled as %s for store %s (%s)", info.device_id, info.store_id, info.mode)
    return info


def token(cache: Cache) -> str:
    """This device's token from the keyring; ``NotEnrolled`` when there is none."""
    device = cache.device()
    if device is None:
        raise NotEnrolled()
    value = get_token(device.device_id)
    if not value:
        raise NotEnrolled(
            "This device's token is missing from the keyring; enroll it again "
            "with the store's enrollment code."
        )
    return value


def keep_exit_verifier(device_id: str, code: str) -> None:
    """Keep a slow salted hash of ``code`` in the keyring, to check the IT exit against."""
    salt = secrets.token_hex(16)
    set_token(_exit_key(device_id), f"{salt}${hash_pin(code, salt)}")


def has_exit_verifier(device_id: str) -> bool:
    return bool(get_token(_exit_key(device_id)))


def exit_code_matches(device_id: str, typed: str) -> bool:
    """Whether ``typed`` is the code this device enrolled with (its hash in the keyring).

    False when the keyring holds no verifier for the device.
    """
    stored = get_token(_exit_key(device_id))
    salt, _, digest = (stored or "").partition("$")
    if not (salt and digest):
        return False
    try:
        candidate = hash_pin(typed, salt, PIN_N, PIN_R, PIN_P)
    except ValueError:
        return False
    return hmac.compare_digest(candidate, digest)


def mark_revoked(cache: Cache, when: str) -> None:
    """Note (once) that central refused this device as revoked."""
    with cache.db.write() as conn:
        if meta.get(conn, REVOKED_AT) is None:
            meta.put(conn, REVOKED_AT, when)


def revoked_at(cache: Cache) -> str | None:
    """When central first said IT revoked this device, or None."""
    value = cache.get_meta(REVOKED_AT)
    return str(value) if value else None
