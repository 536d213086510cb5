"""A shopper's record as the tablet shows it: the confirmed record with the edits still
waiting (or applied and not pulled yet) laid over it, field by field, and what central
said about edits it could not keep (a field changed later on another channel).

The profile reads the shopper through :func:`with_edits`; the edit dialog and the order
dialog's saved addresses read :meth:`ShopperEditReads.shopper_as_shown`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sync import overlay, wire
from sync.commands.effects import Active
from sync.read.base import CacheBase

NOTICE_DAYS = 3
"""How long the profile says that an edit was overruled by a newer change elsewhere."""


@dataclass(frozen=True, slots=True)
class EditNotice:
    """Central applied an edit made here but kept some fields from a newer change made on
    another channel (``fields``: ``email``, ``consent.sms``...); ``message`` says so."""

    command_id: str
    fields: tuple[str, ...]
    message: str
    at: str


def _holding_version(a: Active) -> int:
    answered = a.result.get("version") if a.result else None
    return answered if isinstance(answered, int) else int(a.base.get("version", 0)) + 1


def _apply(data: dict[str, Any], fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if name.startswith("consent."):
            data["consent"][name.split(".", 1)[1]] = value
        elif name in wire.EDITABLE_FIELDS:
            data[name] = value


def with_edits(ov: overlay.Overlay, shopper: wire.Shopper) -> wire.Shopper:
    """``shopper`` with the fields the active commands set on it, in command order (a
    command central applied is left out once the copy pulled since holds it)."""
    data: dict[str, Any] | None = None
    for a, fields in ov.field_changes("shoppers", shopper.id):
        if not a.pending and shopper.version >= _holding_version(a):
            continue
        if data is None:
            data = shopper.model_dump(mode="json")
        _apply(data, fields)
    return shopper if data is None else wire.Shopper.model_validate(data)


def shopper_as_shown(conn: sqlite3.Connection, shopper_id: str) -> wire.Shopper | None:
    row = conn.execute("SELECT data FROM shoppers WHERE id = ?", (shopper_id,)).fetchone()
    if row is None:
        return None
    shopper = wire.Shopper.model_validate_json(row[0])
    return with_edits(overlay.Overlay(conn, overlay.for_shopper(conn, shopper_id)), shopper)


class ShopperEditReads(CacheBase):
    def shopper_as_shown(self, shopper_id: str) -> wire.Shopper | None:
        """The shopper's record with this tablet's edits that central has not sent back
        yet (None: not on this tablet)."""
        with self.db.read() as conn:
            return shopper_as_shown(conn, shopper_id)

    def saved_addresses(self, shopper_id: str) -> list[wire.Address]:
        """The shopper's saved delivery addresses, the default first."""
        shopper = self.shopper_as_shown(shopper_id)
        if shopper is None:
            return []
        return sorted(shopper.addresses, key=lambda a: not a.is_default)

    def edit_notices(self, shopper_id: str) -> list[EditNotice]:
        """Edits of this shopper central applied in the last :data:`NOTICE_DAYS` days
        while keeping some fields from a newer change elsewhere, newest first (any
        command whose answer names ``overruled`` fields)."""
        since = (wire.parse_ts(self.now()) - timedelta(days=NOTICE_DAYS)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT id, result, resolved_at FROM outbox WHERE shopper_id = ? "
                "AND state = 'applied' AND resolved_at >= ? "
                "AND json_array_length(json_extract(result, '$.overruled')) > 0 "
                "ORDER BY number DESC",
                (shopper_id, since),
            ).fetchall()
        notices = []
        for r in rows:
            result = json.loads(r["result"] or "{}")
            fields = tuple(str(f) for f in result.get("overruled") or ())
            if fields:
                notices.append(
                    EditNotice(r["id"], fields, str(result.get("message") or ""), r["resolved_at"])
                )
        return notices
