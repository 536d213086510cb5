"""Devices (enrollment, bearer tokens) and staff sign-in (PIN check with lock-out)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from central.db import CentralDB
from sync.wire import utc_now

MAX_FAILURES = 5
LOCKOUT_S = 300.0


@dataclass(frozen=True, slots=True)
class Device:
    id: str
    store_id: str
    mode: str


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def enroll_device(db: CentralDB, store_id: str, mode: str, name: str) -> tuple[Device, str]:
    """A new device of ``store_id``; returns it and its bearer token (shown once)."""
    token = secrets.token_urlsafe(32)
    device = Device(id=f"dev-{uuid.uuid4().hex[:16]}", store_id=store_id, mode=mode)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO devices (id, token_sha256, store_id, mode, name, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (device.id, token_digest(token), store_id, mode, name, utc_now()),
        )
    return device, token


def device_for_token(db: CentralDB, token: str) -> Device | None:
    row = db.one(
        "SELECT id, store_id, mode FROM devices WHERE token_sha256 = ?", (token_digest(token),)
    )
    if row is None:
        return None
    return Device(id=str(row[0]), store_id=str(row[1]), mode=str(row[2]))


# checked instead of a real hash when the staff id cannot sign in on the device, so
# every failed sign-in costs about the same time (same scrypt cost as the demo's hashes)
DUMMY_ASSOCIATE: dict[str, Any] = {
    "pin_n": 16384,
    "pin_r": 8,
    "pin_p": 1,
    "pin_salt": "00" * 16,
    "pin_hash": "00" * 32,
}


def verify_pin(pin: str, associate: dict[str, Any]) -> bool:
    """scrypt(pin, salt, n, r, p, dklen=32) against the associate's stored hash."""
    n, r, p = int(associate["pin_n"]), int(associate["pin_r"]), int(associate["pin_p"])
    try:
        digest = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=bytes.fromhex(associate["pin_salt"]),
            n=n,
            r=r,
            p=p,
            dklen=32,
            maxmem=128 * r * (n + p + 2) + 1024 * 1024,
        )
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(digest.hex(), str(associate["pin_hash"]).lower())


def locked_for(db: CentralDB, staff_id: str, now: float | None = None) -> float:
    """Seconds the staff id stays locked (0 when not locked)."""
    row = db.one("SELECT locked_until FROM signin_failures WHERE staff_id = ?", (staff_id,))
    now = time.time() if now is None else now
    if row is None or row[0] is None:
        return 0.0
    return max(0.0, float(row[0]) - now)


def record_failure(db: CentralDB, staff_id: str) -> float:
    """Count a wrong PIN; returns the lock time started by it (0 when not locked yet)."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT failures, locked_until FROM signin_failures WHERE staff_id = ?",
            (staff_id,),
        ).fetchone()
        failures = (int(row[0]) if row else 0) + 1
        locked_until = None
        if failures >= MAX_FAILURES:
            locked_until = time.time() + LOCKOUT_S
        conn.execute(
            "INSERT INTO signin_failures (staff_id, failures, locked_until) VALUES (?, ?, ?)"
            " ON CONFLICT (staff_id) DO UPDATE SET failures = excluded.failures,"
            " locked_until = excluded.locked_until",
            (staff_id, 0 if locked_until else failures, locked_until),
        )
    return LOCKOUT_S if locked_until else 0.0


def clear_failures(db: CentralDB, staff_id: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM signin_failures WHERE staff_id = ?", (staff_id,))
