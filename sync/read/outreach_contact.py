"""When each shopper last heard from us: the one place that says so.

The outreach lists use it to tell news from old news ("back in stock since we last spoke")
and to drop a purchase someone already followed up. Issue 14 adds the messages sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sync import overlay
from sync.commands.effects import NewNote
from sync.read.base import chunks
from sync.read.outreach_words import at

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
    return a if at(a) >= at(b) else b


def last_heard_from_us(conn: sqlite3.Connection, shopper_ids: Iterable[str]) -> dict[str, str]:
    """shopper id -> when they last heard from us (the latest interaction note, done
    follow-up task or support contact; an interaction noted or a follow-up marked done on
    this tablet counts at once).
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
    for sid, when in _done_here(conn, wanted):
        latest[sid] = _later(latest.get(sid), when) or when
    return latest


def _done_here(conn: sqlite3.Connection, wanted: set[str]) -> list[tuple[str, str]]:
    """(shopper id, when) of follow-up tasks this tablet marked done (not confirmed yet)."""
    actives = [a for a in overlay.for_table(conn, "tasks") if a.shopper_id in wanted]
    ov = overlay.Overlay(conn, actives)
    done = []
    for a in actives:
        if a.shopper_id is None or a.target_id is None:
            continue
        fields: dict[str, object] = {}
        for _, change in ov.field_changes("tasks", a.target_id):
            fields.update(change)
        if fields.get("status") != "done":
            continue
        kind = conn.execute(
            "SELECT json_extract(data, '$.kind') FROM tasks WHERE id = ?", (a.target_id,)
        ).fetchone()
        if kind is not None and kind[0] == "follow_up":
            done.append((a.shopper_id, str(fields.get("closed_at") or a.created_at)))
    return done
