"""When each shopper last heard from us: the one place that says so.

The outreach lists use it to tell news from old news ("back in stock since we last spoke")
and to drop a purchase someone already followed up. Hearing from us: an interaction noted,
a follow-up done, a contact with the contact centre, or a message sent to them (any but
one that failed; a message queued on this tablet counts at once).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from sync import overlay
from sync.commands.effects import NewMessage, NewNote
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
    # a message we sent them (a reply of theirs is not us; one that failed never reached them)
    "SELECT shopper_id, max(created_at) FROM messages WHERE shopper_id IN ({marks}) "
    "AND status != 'failed' AND json_extract(data, '$.direction') IS NOT 'in' GROUP BY shopper_id",
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
    for sid, when in heard_here(conn, wanted):
        latest[sid] = _later(latest.get(sid), when) or when
    return latest


def heard_here(conn: sqlite3.Connection, wanted: set[str] | None = None) -> list[tuple[str, str]]:
    """(shopper id, when) of what this tablet did and central has not confirmed yet: an
    interaction noted, a message queued, a follow-up marked done (of the ``wanted``
    shoppers; None: all)."""
    found = []
    ov = overlay.Overlay(conn, overlay.for_table(conn, "notes"))
    for a, note in ov.created("notes", NewNote):
        sid = a.shopper_id
        if note.kind == "interaction" and sid is not None and (wanted is None or sid in wanted):
            found.append((sid, a.created_at))
    sent = overlay.Overlay(conn, overlay.for_table(conn, "messages"))
    for a, _message in sent.created("messages", NewMessage):
        sid = a.shopper_id
        if sid is not None and (wanted is None or sid in wanted):
            found.append((sid, a.created_at))
    return found + _done_here(conn, wanted)


def _done_here(conn: sqlite3.Connection, wanted: set[str] | None) -> list[tuple[str, str]]:
    """(shopper id, when) of follow-up tasks this tablet marked done (not confirmed yet)."""
    actives = [
        a
        for a in overlay.for_table(conn, "tasks")
        if a.shopper_id is not None and (wanted is None or a.shopper_id in wanted)
    ]
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


def heard_since_sql(conn: sqlite3.Connection, shopper: str, since: str) -> tuple[str, list[str]]:
    """An SQL condition: the shopper (the column ``shopper``) heard from us at or after
    ``since`` (an SQL timestamp expression), by the same sources as
    :func:`last_heard_from_us`; and its parameters (what this tablet did, as JSON: none
    when it did nothing, the common case, so no row reads it).
    Timestamps compare to the second, as :func:`~sync.read.outreach_words.at` reads them:
    a stored time whose first 19 characters are at or after ``since``'s is at or after
    them whole, so the notes and support contacts are a range of their (shopper, time)
    index, not every row of the shopper's."""
    s = f"substr({since}, 1, 19)"
    sql = (
        f"(EXISTS (SELECT 1 FROM notes hn WHERE hn.shopper_id = {shopper} "
        f"AND hn.created_at >= {s} "
        "AND json_extract(hn.data, '$.kind') = 'interaction') "
        f"OR EXISTS (SELECT 1 FROM tasks ht WHERE ht.shopper_id = {shopper} "
        "AND ht.status = 'done' AND json_extract(ht.data, '$.kind') = 'follow_up' "
        f"AND substr(json_extract(ht.data, '$.closed_at'), 1, 19) >= {s}) "
        f"OR EXISTS (SELECT 1 FROM support_contacts hs WHERE hs.shopper_id = {shopper} "
        f"AND hs.opened_at >= {s}) "
        f"OR EXISTS (SELECT 1 FROM messages hm WHERE hm.shopper_id = {shopper} "
        f"AND hm.created_at >= {s} AND hm.status != 'failed' "
        "AND json_extract(hm.data, '$.direction') IS NOT 'in')"
    )
    here = heard_here(conn)
    if not here:
        return sql + ")", []
    return (
        sql + " OR EXISTS (SELECT 1 FROM json_each(?) hh WHERE json_extract(hh.value, '$[0]') = "
        f"{shopper} AND substr(json_extract(hh.value, '$[1]'), 1, 19) >= {s}))",
        [json.dumps(here)],
    )
