"""Devices (bearer tokens, listing, revocation) and staff sign-in (PIN check with lock-out).

Enrolling a device with a code is ``central.enrollment``'s.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from central.db import CentralDB
from central.storage.dialect import Conn
from sync.rules.signin import (
    LOCKOUT_S,
    PIN_N,
    PIN_P,
    PIN_R,
    StoredPin,
    after_wrong_pin,
    pin_matches,
    vouch_until,
)
from sync.wire import parse_ts, utc_now


@dataclass(frozen=True, slots=True)
class Device:
    """The device behind a request: ``revoked`` ones are refused at the door (401)."""

    id: str
    store_id: str
    mode: str
    revoked: bool = False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def device_for_token(db: CentralDB, token: str) -> Device | None:
    """The device holding ``token`` (revoked or not); ``None`` when no device holds it."""
    row = db.one(
        "SELECT id, store_id, mode, revoked_at FROM devices WHERE token_sha256 = ?",
        (token_digest(token),),
    )
    if row is None:
        return None
    return Device(
        id=str(row[0]), store_id=str(row[1]), mode=str(row[2]), revoked=row[3] is not None
    )


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    """An enrolled device as ``devices list`` shows it (never its token)."""

    id: str
    store_id: str
    mode: str
    name: str
    enrolled_at: str
    last_number: int
    enrollment_code_id: str | None
    revoked_at: str | None


_DEVICE_COLUMNS = (
    "id, store_id, mode, name, created_at, last_number, enrollment_code_id, revoked_at"
)


def _record(row: tuple[Any, ...]) -> DeviceRecord:
    return DeviceRecord(
        id=str(row[0]),
        store_id=str(row[1]),
        mode=str(row[2]),
        name=str(row[3]),
        enrolled_at=str(row[4]),
        last_number=int(row[5]),
        enrollment_code_id=None if row[6] is None else str(row[6]),
        revoked_at=None if row[7] is None else str(row[7]),
    )


def list_devices(db: CentralDB) -> list[DeviceRecord]:
    rows = db.all(f"SELECT {_DEVICE_COLUMNS} FROM devices ORDER BY created_at, id")
    return [_record(row) for row in rows]


def revoke_device(db: CentralDB, device_id: str) -> DeviceRecord | None:
    """Revoke a device: its token stops working; what it sent stays recorded.

    A device already revoked keeps its first time; ``None`` when no device has this id.
    """
    with db.transaction() as conn:
        conn.execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
            (utc_now(), device_id),
        )
    row = db.one(f"SELECT {_DEVICE_COLUMNS} FROM devices WHERE id = ?", (device_id,))
    return None if row is None else _record(row)


# checked instead of a real hash when the staff id cannot sign in on the device, so
# every failed sign-in costs about the same time (same scrypt cost as the demo's hashes)
DUMMY_PIN = StoredPin(pin_salt="00" * 16, pin_hash="00" * 32)


def stored_pin(associate: dict[str, Any]) -> StoredPin | None:
    """The PIN hash of an associate record (``None`` when it has none)."""
    try:
        return StoredPin(
            pin_salt=str(associate["pin_salt"]),
            pin_hash=str(associate["pin_hash"]),
            pin_n=int(associate.get("pin_n", PIN_N)),
            pin_r=int(associate.get("pin_r", PIN_R)),
            pin_p=int(associate.get("pin_p", PIN_P)),
        )
    except KeyError:
        return None


def verify_pin(pin: str, associate: dict[str, Any]) -> bool:
    """The shared PIN rule (``sync.rules.signin``) against an associate record."""
    stored = stored_pin(associate)
    return stored is not None and pin_matches(pin, stored)


def locked_for(db: CentralDB, device_id: str, staff_id: str, now: float | None = None) -> float:
    """Seconds the staff id stays locked on this device (0 when not locked).

    Lock-outs count per (device, staff id): wrong PINs typed on a kiosk or on another
    store's tablet never lock the associate out of their own tablet."""
    row = db.one(
        "SELECT locked_until FROM signin_failures WHERE device_id = ? AND staff_id = ?",
        (device_id, staff_id),
    )
    now = time.time() if now is None else now
    if row is None or row[0] is None:
        return 0.0
    return max(0.0, float(row[0]) - now)


def record_failure(db: CentralDB, device_id: str, staff_id: str) -> float:
    """Count a wrong PIN on this device; returns the lock time started by it (0 when not
    locked yet)."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT failures, locked_until FROM signin_failures"
            " WHERE device_id = ? AND staff_id = ?",
            (device_id, staff_id),
        ).fetchone()
        failures = after_wrong_pin(int(row[0]) if row else 0, time.time())
        conn.execute(
            "INSERT INTO signin_failures (device_id, staff_id, failures, locked_until)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (device_id, staff_id) DO UPDATE SET"
            " failures = excluded.failures, locked_until = excluded.locked_until",
            (device_id, staff_id, failures.count, failures.locked_until),
        )
    return LOCKOUT_S if failures.locked_until is not None else 0.0


def clear_failures(db: CentralDB, device_id: str, staff_id: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "DELETE FROM signin_failures WHERE device_id = ? AND staff_id = ?",
            (device_id, staff_id),
        )


@dataclass(frozen=True, slots=True)
class StaffSession:
    """A session central issued at an online sign-in, bound to one device and associate.

    ``vouch_until`` ends the offline vouching window: commands done under the session
    later than that are refused (``sync.rules.signin.vouched``)."""

    id: str
    device_id: str
    staff_id: str
    issued_at: str
    vouch_until: str


def open_session(db: CentralDB, device_id: str, staff_id: str, days: int) -> StaffSession:
    """A new session for ``staff_id`` on ``device_id`` (a random id, not a secret: only the
    device holding the token can use it)."""
    issued = utc_now()
    session = StaffSession(
        id=f"ses-{secrets.token_hex(16)}",
        device_id=device_id,
        staff_id=staff_id,
        issued_at=issued,
        vouch_until=vouch_until(issued, days),
    )
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO staff_sessions (id, device_id, staff_id, issued_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (session.id, device_id, staff_id, session.issued_at, session.vouch_until),
        )
    return session


def session_vouches(conn: Conn, device_id: str, session: StaffSession, done_at: str) -> bool:
    """Whether ``session`` vouches for work ``device_id`` did at ``done_at``: it is this
    device's, or it was issued to a device this one replaces (enrolled again after IT
    revoked it, :func:`central.enrollment.enroll_device`) and the work was done there
    before the revocation (the outbox the device kept). Replacements chain."""
    current = device_id
    for _ in range(8):  # a device replaced a few times at most
        if session.device_id == current:
            return True
        row = conn.execute("SELECT replaces FROM devices WHERE id = ?", (current,)).fetchone()
        if row is None or row[0] is None:
            return False
        current = str(row[0])
        revoked = conn.execute("SELECT revoked_at FROM devices WHERE id = ?", (current,)).fetchone()
        if revoked is None or revoked[0] is None or parse_ts(done_at) > parse_ts(str(revoked[0])):
            return False
    return False


def find_session(conn: Conn, session_id: str) -> StaffSession | None:
    row = conn.execute(
        "SELECT id, device_id, staff_id, issued_at, expires_at FROM staff_sessions WHERE id = ?",
        (session_id,),
    ).fetchone()
    if row is None:
        return None
    return StaffSession(*(str(v) for v in row))
