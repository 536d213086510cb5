"""The events feed: what stores did that the retailer's systems must act on.

An event is written in the same transaction as the command that caused it, by one place:
a handler's writes go through ``Context.put``, which notes each entity it wrote, and
``central.commands.batch`` hands those to :func:`emit` once the handler has succeeded,
inside the command's savepoint. So a rejected command leaves no event, and a replayed
command (answered from ``device_commands``) writes no second one: each event exists
exactly once. Records from the integration API write none (the retailer's systems already
know what they sent).

Which writes are events is :data:`EVENT_TYPES`, one line per entity. ``seq`` is the total
order (commits happen in ``seq`` order on both engines, see ``central.storage``), and a
consumer's cursor is the decimal ``seq`` of the last event it read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from central.db import CentralDB
from central.entities import dumps
from central.integration.models import EventsPage, IntegrationEvent
from central.storage.dialect import Conn
from sync.wire import utc_now

MAX_EVENTS_PAGE = 1000


@dataclass(frozen=True, slots=True)
class EventRule:
    """The event type a write of an entity makes: ``created`` when the write made the
    entity (central's version 1), ``changed`` for any later write, ``deleted`` when a
    command removed it (``Context.delete``; its data is its last state); ``None``: no event."""

    created: str | None = None
    changed: str | None = None
    deleted: str | None = None

    def type_for(self, created: bool, deleted: bool = False) -> str | None:
        if deleted:
            return self.deleted
        return self.created if created else self.changed


# Add an event type with one line, e.g. when commands make returns, shoppers or messages:
# "return": EventRule(created="return.created"), "shopper": EventRule(created="shopper.created")
EVENT_TYPES: dict[str, EventRule] = {
    "order": EventRule(created="order.placed"),
    "reservation": EventRule(created="reservation.created", changed="reservation.status_changed"),
    "cart": EventRule(created="cart.updated", changed="cart.updated"),
    "note": EventRule(created="note.added"),
    "wishlist_item": EventRule(created="wishlist_item.added", deleted="wishlist_item.removed"),
    "offer": EventRule(created="offer.created", changed="offer.changed"),
    "sign_off": EventRule(created="day.signed_off"),
    "redemption": EventRule(created="points.redeemed"),
    "shopper": EventRule(created="shopper.created", changed="shopper.changed"),
    "return": EventRule(created="return.created"),
}


@dataclass(frozen=True, slots=True)
class Written:
    """One entity a command wrote (its data after the write)."""

    entity: str
    data: dict[str, Any]
    created: bool
    deleted: bool = False


class BadCursor(ValueError):
    """An events cursor central did not give."""


def emit(conn: Conn, writes: Iterable[Written], store_id: str | None) -> int:
    """Write the events of one command's writes (one per entity written, with its last
    state; "created" when any of its writes created it). Returns how many."""
    merged: dict[tuple[str, str], Written] = {}
    for w in writes:
        key = (w.entity, str(w.data["id"]))
        first = merged.get(key)
        created = w.created or (first is not None and first.created)
        if w.deleted and created:
            merged.pop(key)  # made and removed by the same command: nothing happened
            continue
        merged[key] = Written(w.entity, w.data, created, w.deleted)
    count = 0
    for (entity, id_), w in merged.items():
        rule = EVENT_TYPES.get(entity)
        type_ = rule.type_for(w.created, w.deleted) if rule else None
        if type_ is None:
            continue
        conn.execute(
            "INSERT INTO integration_events (type, entity, id, store_id, occurred_at, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                type_,
                entity,
                id_,
                store_id,
                utc_now() if w.deleted else str(w.data.get("updated_at") or utc_now()),
                dumps(w.data),
            ),
        )
        count += 1
    return count


def parse_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not cursor.isdigit() or len(cursor) > 18:
        raise BadCursor(cursor)
    return int(cursor)


def events_after(db: CentralDB, cursor: str | None, limit: int = 100) -> EventsPage:
    """Up to ``limit`` events after ``cursor`` ("" or None: from the first), in order;
    ``next_cursor`` is the cursor to send next (the same one when there was nothing).
    Raises :class:`BadCursor`."""
    after = parse_cursor(cursor)
    limit = max(1, min(limit, MAX_EVENTS_PAGE))
    rows = db.all(
        "SELECT seq, type, entity, id, store_id, occurred_at, data FROM integration_events"
        " WHERE seq > ? ORDER BY seq LIMIT ?",
        (after, limit + 1),
    )
    has_more = len(rows) > limit
    events = [
        IntegrationEvent(
            cursor=str(seq),
            type=str(type_),
            entity=str(entity),
            id=str(id_),
            store_id=None if store_id is None else str(store_id),
            occurred_at=str(occurred_at),
            data=json.loads(data),
        )
        for seq, type_, entity, id_, store_id, occurred_at, data in rows[:limit]
    ]
    next_cursor = events[-1].cursor if events else str(after)
    return EventsPage(events=events, next_cursor=next_cursor, has_more=has_more)
