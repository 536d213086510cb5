"""Enrollment codes an operator issues, and enrolling a device with one.

A code is bound to one store and one mode, has a number of uses and an expiry, and can be
revoked. Central keeps only its sha256 (the code is shown once, when it is created): a
generated code carries 100 random bits, so the hash cannot be searched back to it.
Codes are compared without regard to case or surrounding spaces.

Enrolling spends one use, in the same transaction that creates the device. A code that
is unknown, used up, expired, revoked, or bound to another store or mode is refused the
same way (:class:`CodeRefused`): the answer says nothing about which codes exist.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from central.auth import Device, token_digest
from central.db import CentralDB
from central.demo_data.enrollment import (
    DEMO_CODE_USES,
    DEMO_CODE_VALID_DAYS,
    DEMO_ENROLLMENT_CODES,
    demo_code_id,
)
from central.storage.dialect import Conn
from sync.wire import utc_now

MODES = ("associate", "kiosk")
MAX_USES = 1_000_000

# Crockford's base32 without look-alikes (no I, L, O, U): 20 characters carry 100 bits
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP_LEN = 5, 4


class CodeRefused(Exception):
    """The code does not enroll this device (which reason is never told)."""


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """An issued code as ``codes list`` shows it (never the code itself)."""

    id: str
    store_id: str
    mode: str
    uses_left: int
    expires_at: str
    revoked_at: str | None
    created_at: str

    def state(self, now: str | None = None) -> str:
        """``revoked``, ``expired``, ``used up`` or ``active``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= (now or utc_now()):
            return "expired"
        return "used up" if self.uses_left <= 0 else "active"


def code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


def new_code() -> str:
    """A fresh code: five groups of four characters, 100 random bits (``7KQ2-…``)."""
    chars = [secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LEN)]
    return "-".join("".join(chars[i : i + _GROUP_LEN]) for i in range(0, len(chars), _GROUP_LEN))


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issue_code(
    conn: Conn,
    store_id: str,
    mode: str,
    uses: int,
    valid_for: timedelta,
    *,
    code: str | None = None,
    code_id: str | None = None,
) -> tuple[CodeInfo, str]:
    """Store a new code (generated unless given); returns it and the code (shown once)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if not 1 <= uses <= MAX_USES:
        raise ValueError(f"uses must be 1 to {MAX_USES}")
    code = code or new_code()
    now = datetime.now(UTC)
    info = CodeInfo(
        id=code_id or f"ec-{uuid.uuid4().hex[:10]}",
        store_id=store_id,
        mode=mode,
        uses_left=uses,
        expires_at=_timestamp(now + valid_for),
        revoked_at=None,
        created_at=_timestamp(now),
    )
    conn.execute(
        "INSERT INTO enrollment_codes (id, code_sha256, store_id, mode, uses_left,"
        " expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            info.id,
            code_digest(code),
            store_id,
            mode,
            uses,
            info.expires_at,
            info.created_at,
        ),
    )
    return info, code


def add_demo_codes(conn: Conn, stores: set[str]) -> int:
    """The demo codes (``central.demo_data.enrollment``) of the demo stores in ``stores``."""
    added = 0
    for (store_id, mode), code in DEMO_ENROLLMENT_CODES.items():
        if store_id in stores:
            issue_code(
                conn,
                store_id,
                mode,
                DEMO_CODE_USES,
                timedelta(days=DEMO_CODE_VALID_DAYS),
                code=code,
                code_id=demo_code_id(store_id, mode),
            )
            added += 1
    return added


_COLUMNS = "id, store_id, mode, uses_left, expires_at, revoked_at, created_at"


def _info(row: tuple[object, ...]) -> CodeInfo:
    return CodeInfo(
        id=str(row[0]),
        store_id=str(row[1]),
        mode=str(row[2]),
        uses_left=int(str(row[3])),
        expires_at=str(row[4]),
        revoked_at=None if row[5] is None else str(row[5]),
        created_at=str(row[6]),
    )


def list_codes(db: CentralDB) -> list[CodeInfo]:
    rows = db.all(f"SELECT {_COLUMNS} FROM enrollment_codes ORDER BY created_at, id")
    return [_info(row) for row in rows]


def find_code(db: CentralDB, code_id: str) -> CodeInfo | None:
    row = db.one(f"SELECT {_COLUMNS} FROM enrollment_codes WHERE id = ?", (code_id,))
    return None if row is None else _info(row)


def revoke_code(db: CentralDB, code_id: str) -> CodeInfo | None:
    """Revoke a code (a code already revoked keeps its first time); ``None`` when unknown."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE enrollment_codes SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
            (utc_now(), code_id),
        )
    return find_code(db, code_id)


def _spend_use(conn: Conn, code: str, store_id: str, mode: str) -> str:
    """Spend one use of ``code`` for a device of ``store_id`` in ``mode``; its id."""
    row = conn.execute(
        "UPDATE enrollment_codes SET uses_left = uses_left - 1"
        " WHERE code_sha256 = ? AND store_id = ? AND mode = ? AND uses_left > 0"
        " AND revoked_at IS NULL AND expires_at > ? RETURNING id",
        (code_digest(code), store_id, mode, utc_now()),
    ).fetchone()
    if row is None:
        raise CodeRefused
    return str(row[0])


def enroll_device(
    db: CentralDB, code: str, store_id: str, mode: str, name: str, replaces: str | None = None
) -> tuple[Device, str]:
    """A new device of ``store_id`` enrolled with ``code``; returns it and its bearer token
    (shown once). Raises :class:`CodeRefused` and changes nothing when the code does not
    enroll it.

    ``replaces``: the device this one was before (the same tablet enrolled again, keeping
    its outbox). It is recorded only when that device is one IT revoked, of the same store
    and mode; then its sessions still vouch for the work done on it before the revocation
    (``central.auth.session_vouches``). Any other value is ignored: naming a device that
    is still in use gains nothing."""
    token = secrets.token_urlsafe(32)
    device = Device(id=f"dev-{uuid.uuid4().hex[:16]}", store_id=store_id, mode=mode)
    with db.transaction() as conn:
        code_id = _spend_use(conn, code, store_id, mode)
        predecessor = None
        if replaces is not None:
            row = conn.execute(
                "SELECT id FROM devices WHERE id = ? AND store_id = ? AND mode = ?"
                " AND revoked_at IS NOT NULL",
                (replaces, store_id, mode),
            ).fetchone()
            predecessor = None if row is None else str(row[0])
        conn.execute(
            "INSERT INTO devices (id, token_sha256, store_id, mode, name, created_at,"
            " enrollment_code_id, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (device.id, token_digest(token), store_id, mode, name, utc_now(), code_id, predecessor),
        )
    return device, token
