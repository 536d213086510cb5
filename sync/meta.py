"""Small key -> JSON value store in the cache's ``meta`` table (cursor, device, lock-out)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import Any

from sync.records import DeviceInfo

CURSOR = "cursor"
LAST_SEQ = "last_seq"
LAST_SYNC_AT = "last_sync_at"
INITIAL_SYNC_DONE = "initial_sync_done"
DEVICE = "device"
SIGNIN_FAILURES = "signin_failures"  # {staff_id: {"count": n, "locked_until": ts|None}}
LAST_COMMAND_NUMBER = "last_command_number"
LAST_APPLIED_NUMBER = "last_applied_number"


def get(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, separators=(",", ":"))),
    )


def delete(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))


def put_device(conn: sqlite3.Connection, info: DeviceInfo) -> None:
    """Keep this device's enrollment (the token itself lives in the keyring)."""
    put(conn, DEVICE, dataclasses.asdict(info))
