"""A shopper's messages as their timeline shows them: what central confirmed (queued, sent,
delivered, failed, and the shopper's replies), what waits on this device (``pending``),
and what central refused (``refused``, with its sentence), newest first.

The pending and refused ones come from the outbox through the ``creates`` hook of the
commands that add messages (``Effects(table="messages")``), never by a command's name.
A refused message is not a ``message`` at central; it stays in the thread (and on the
attention list) so the associate sees why it did not go.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sync import overlay, wire
from sync.commands import registry
from sync.commands.effects import Active, NewMessage
from sync.read.base import CacheBase
from sync.records import MessageView

MESSAGES = "messages"
REFUSED = ("rejected", "dismissed")  # a dismissed rejection still tells why in the thread


def _attached(value: Any) -> dict[str, Any]:
    """The attachment fields of a view, from a message's (or a command's) attachments."""
    try:
        a = wire.Attachments.model_validate(value or {})
    except ValueError:
        return {}
    return {
        "skus": tuple(a.skus),
        "look_title": a.look.title if a.look else None,
        "look_skus": tuple(a.look.skus) if a.look else (),
        "shares_cart": a.cart_id is not None,
        "pay_order_id": a.pay_order_id,
    }


def confirmed_view(m: wire.Message) -> MessageView:
    return MessageView(
        id=m.id,
        direction=m.direction,
        channel=m.channel,
        purpose=m.purpose,
        subject=m.subject,
        body=m.body,
        status=m.status,
        created_at=m.created_at,
        status_note=m.status_note,
        by=overlay.author_view(m.author),
        reply_to=m.reply_to,
        sent_at=m.sent_at,
        delivered_at=m.delivered_at,
        **_attached(m.attachments.model_dump(mode="json")),
    )


def queued_view(
    a: Active, m: NewMessage, ov: overlay.Overlay, *, note: str | None = None
) -> MessageView:
    """A message this device queued: ``pending`` until central answers, ``queued`` once
    it accepted it (until its row is pulled), ``refused`` (``note``: central's reason)."""
    status = "refused" if note is not None else "pending" if a.pending else "queued"
    return MessageView(
        id=m.id,
        direction="out",
        channel=m.channel,
        purpose=m.purpose,
        subject=m.subject,
        body=m.body,
        status=status,
        created_at=a.created_at,
        status_note=note,
        by=ov.by(a),
        pending=a.pending,
        command_id=a.id,
        **_attached(a.args.get("attachments")),
    )


def _refused(conn: sqlite3.Connection, shopper_id: str, ov: overlay.Overlay) -> list[MessageView]:
    names = registry.names_where(lambda e: e.table == MESSAGES and e.creates is not None)
    if not names:
        return []
    marks = ",".join("?" for _ in names)
    states = ",".join("?" for _ in REFUSED)
    rows = conn.execute(
        f"SELECT * FROM outbox WHERE shopper_id = ? AND name IN ({marks}) "
        f"AND state IN ({states}) ORDER BY number",
        (shopper_id, *names, *REFUSED),
    ).fetchall()
    views = []
    for row in rows:
        a = overlay.active_row(row)
        hook = registry.effects(a.name).creates
        made = hook(a) if hook is not None else None
        if isinstance(made, NewMessage):
            views.append(queued_view(a, made, ov, note=str(row["message"] or "")))
    return views


class MessageReads(CacheBase):
    def messages(self, shopper_id: str) -> list[MessageView]:
        """The shopper's messages, both ways, newest first: confirmed, waiting on this
        device, and refused by central (with the reason)."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT data FROM messages WHERE shopper_id = ?", (shopper_id,)
            ).fetchall()
            views = [confirmed_view(wire.Message.model_validate_json(r[0])) for r in rows]
            ov = overlay.Overlay(conn, overlay.for_shopper(conn, shopper_id))
            views += [queued_view(a, m, ov) for a, m in ov.created(MESSAGES, NewMessage)]
            views += _refused(conn, shopper_id, ov)
        views.sort(key=lambda v: v.id)
        views.sort(key=lambda v: wire.parse_ts(v.created_at), reverse=True)
        return views
