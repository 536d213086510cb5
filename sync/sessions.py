"""The sessions central issued to associates on this device, kept by staff id.

An online sign-in answers a session id bound to this device and the associate
(``wire.SessionResponse``); the commands that associate queues here carry it, whether
they signed in online or, later, offline (``sync.auth``, ``sync.queueing``). A session id
is not a secret (only this device's token can use it), so it lives in the cache's
``meta`` table, next to the offline PIN verifiers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sync import meta
from sync.store import Cache

STAFF_SESSIONS = "staff_sessions"
"""``meta`` key: ``{staff_id: {"session_id": ..., "issued_at": ...}}``, the last online
sign-in of each associate on this device."""


@dataclass(frozen=True, slots=True)
class KnownSession:
    session_id: str
    issued_at: str


def remember(cache: Cache, staff_id: str, session_id: str, issued_at: str) -> None:
    """Keep the session of ``staff_id``'s online sign-in (replaces the one before)."""
    with cache.db.write() as conn:
        record = _record(meta.get(conn, STAFF_SESSIONS, {}))
        record[staff_id] = {"session_id": session_id, "issued_at": issued_at}
        meta.put(conn, STAFF_SESSIONS, record)


def last(conn: sqlite3.Connection, staff_id: str) -> KnownSession | None:
    """The session of ``staff_id``'s last online sign-in on this device, if any."""
    entry = _record(meta.get(conn, STAFF_SESSIONS, {})).get(staff_id)
    if not isinstance(entry, dict):
        return None
    session_id, issued_at = entry.get("session_id"), entry.get("issued_at")
    if not isinstance(session_id, str) or not isinstance(issued_at, str):
        return None
    return KnownSession(session_id, issued_at)


def _record(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}
