"""When each shopper last heard from us: the one place that says so.

The outreach lists use it to tell news from old news ("back in stock since we last spoke")
and to drop a purchase someone already followed up. Issue 14 adds the messages sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sync import overlay, wire
from sync.commands.effects import NewNote
from sync.read.base import chunks

_SOURCES = (
    # an associate's note of a conversation with the shopper
    "SELECT shopper_id, max(created_at) FROM notes WHERE shopper_id IN ({marks}) "
    "AND json_extract(data, '$.kind') = 'interaction' GROUP BY shopper_id",
    # a follow-up task done for them
    "SELECT shopper_id, max(json_extract(data, '$.closed_at')) FROM tasks "
    "WHERE shopper_id IN ({marks}) AND status = 'done' "
    "AND json_extract(data, '$.kind') = 'follow_up' GROUP BY shopper_id",
    # a contact with the contact centre
    "SELECT shopper_id, max(opened_at) FROM support_contacts WHERE shopper_id IN ({marks}) "
    "GROUP BY shopper_id",
)


def _later(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return a or b
    return a if wire.parse_ts(a) >= wire.parse_ts(b) else b


def last_heard_from_us(conn: sqlite3.Connection, shopper_ids: Iterable[str]) -> dict[str, str]:
    """shopper id -> when they last heard from us (the latest interaction note, done
    follow-up task or support contact; an interaction noted on this tablet counts at once).
    Shoppers we never spoke to are absent."""
    wanted = set(shopper_ids)
    latest: dict[str, str] = {}
    for chunk, marks in chunks(wanted):
        for sql in _SOURCES:
            for sid, when in conn.execute(sql.format(marks=marks), chunk):
                if when:
                    latest[sid] = _later(latest.get(sid), when) or when
    ov = overlay.Overlay(conn, overlay.for_table(conn, "notes"))
    for a, note in ov.created("notes", NewNote):
        if note.kind == "interaction" and a.shopper_id is not None and a.shopper_id in wanted:
            latest[a.shopper_id] = _later(latest.get(a.shopper_id), a.created_at) or a.created_at
    return latest
