"""Integration keys: what a retailer's system (web shop, OMS, contact centre) presents on
``/v1/integration/*`` (``Authorization: Bearer <key>``), never a device token.

An operator creates one per system (``python -m central integrations create NAME``); the
key is shown once and central keeps only its sha256, as it does for device tokens. A
key's ``name`` is the *source* its records' versions belong to
(``central.integration.records``): revoking a key and creating one with the same name
continues that source's versions. At most one live key per name.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from central.auth import token_digest
from central.db import CentralDB
from sync.wire import parse_ts, utc_now

KEY_PREFIX = "ck_"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
NAME_RULE = "1 to 40 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"
LAST_USED_EVERY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per key (a write per request is waste)."""


class KeyProblem(ValueError):
    """A key that cannot be created or revoked: a sentence for the operator."""


@dataclass(frozen=True, slots=True)
class IntegrationKey:
    """A key as ``integrations list`` shows it (never the key itself)."""

    id: str
    name: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


_COLUMNS = "id, name, created_at, last_used_at, revoked_at"


def _key(row: tuple[Any, ...]) -> IntegrationKey:
    def text(v: Any) -> str | None:
        return None if v is None else str(v)

    return IntegrationKey(str(row[0]), str(row[1]), str(row[2]), text(row[3]), text(row[4]))


def create_key(db: CentralDB, name: str) -> tuple[IntegrationKey, str]:
    """A new key for the system ``name``: its record and the key (shown once)."""
    if not NAME_RE.match(name):
        raise KeyProblem(f"{name!r} is not a key name: use {NAME_RULE}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = IntegrationKey(
        id=f"ik-{secrets.token_hex(6)}",
        name=name,
        created_at=utc_now(),
        last_used_at=None,
        revoked_at=None,
    )
    with db.transaction() as conn:
        live = conn.execute(
            "SELECT 1 FROM integration_keys WHERE name = ? AND revoked_at IS NULL", (name,)
        ).fetchone()
        if live is not None:
            raise KeyProblem(
                f"a live key named {name} exists; revoke it first"
                f" (python -m central integrations revoke {name})."
            )
        conn.execute(
            "INSERT INTO integration_keys (id, name, key_sha256, created_at) VALUES (?, ?, ?, ?)",
            (record.id, name, token_digest(key), record.created_at),
        )
    return record, key


def list_keys(db: CentralDB) -> list[IntegrationKey]:
    rows = db.all(f"SELECT {_COLUMNS} FROM integration_keys ORDER BY created_at, id")
    return [_key(r) for r in rows]


def revoke_key(db: CentralDB, name: str) -> tuple[IntegrationKey, bool]:
    """Revoke the live key named ``name``: ``(key, True)``, or ``(its last key, False)``
    when it was revoked already. :class:`KeyProblem` when no key has this name."""
    with db.transaction() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM integration_keys WHERE name = ?"
            " ORDER BY revoked_at IS NULL DESC, created_at DESC",
            (name,),
        ).fetchall()
        if not rows:
            raise KeyProblem(f"there is no integration key named {name}.")
        found = _key(rows[0])
        if found.revoked_at is not None:
            return found, False
        now = utc_now()
        conn.execute("UPDATE integration_keys SET revoked_at = ? WHERE id = ?", (now, found.id))
    return replace(found, revoked_at=now), True


def key_for(db: CentralDB, key: str) -> IntegrationKey | None:
    """The key record behind ``key`` (revoked or not); ``None`` when unknown. Notes its
    use (at most once per :data:`LAST_USED_EVERY`)."""
    row = db.one(
        f"SELECT {_COLUMNS} FROM integration_keys WHERE key_sha256 = ?", (token_digest(key),)
    )
    if row is None:
        return None
    found = _key(row)
    now = datetime.now(UTC)
    if found.revoked_at is None and (
        found.last_used_at is None or now - parse_ts(found.last_used_at) >= LAST_USED_EVERY
    ):
        with db.transaction() as conn:
            conn.execute(
                "UPDATE integration_keys SET last_used_at = ? WHERE id = ?", (utc_now(), found.id)
            )
    return found


def is_integration_key(db: CentralDB, token: str) -> bool:
    """Whether ``token`` is an integration key (a device route refuses it with a reason)."""
    row = db.one("SELECT 1 FROM integration_keys WHERE key_sha256 = ?", (token_digest(token),))
    return row is not None
