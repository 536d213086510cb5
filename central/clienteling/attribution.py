"""Crediting online orders to the touch that led to them (the rule: ``sync.rules.attribution``).

When an order placed online (web or app) first reaches central, as an integration record
from the web shop, the app or a commerce platform's adapter
(``central.integration.records``), :func:`credit_online_order` looks at the shopper's
touches (``central.clienteling.touches``) and, when one falls within
``policy.attribution_days`` before the order, writes a ``credit`` (``wire.Credit``, id = the
order's id) for the last of them: its associate (none for a kiosk identification) and its
store, with the reason in a sentence. It runs in the record's transaction.

Once only: an order that already has a credit, or that was already looked at, is never
credited again (a replayed or updated record of the order changes nothing, even when
touches were added since). The credited store is added to the shopper's book, so its
tablets receive the credit (and the order) through their feed.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from central import policy
from central.entities import Entities
from central.storage.dialect import Conn
from sync import wire
from sync.rules.attribution import credit_for, influenceable

log = logging.getLogger("clienteling.central")


def _touches(conn: Conn, shopper_id: str) -> list[wire.Touch]:
    rows = conn.execute(
        "SELECT data FROM entities WHERE entity = 'touch' AND shopper_id = ? AND deleted = 0",
        (shopper_id,),
    ).fetchall()
    return [wire.Touch.model_validate_json(r[0]) for r in rows]


def _channels(conn: Conn, shopper_id: str) -> dict[str, wire.MessageChannel]:
    """The channel of each of the shopper's messages (what a message touch names)."""
    rows = conn.execute(
        "SELECT id, data FROM entities WHERE entity = 'message' AND shopper_id = ? AND deleted = 0",
        (shopper_id,),
    ).fetchall()
    channels: dict[str, wire.MessageChannel] = {}
    for id_, raw in rows:
        channel = json.loads(raw).get("channel")
        if channel in ("email", "sms", "whatsapp"):
            channels[str(id_)] = channel
    return channels


def credit_online_order(
    conn: Conn, entities: Entities, order_data: dict[str, Any]
) -> dict[str, Any] | None:
    """Credit the order central just stored to its shopper's last touch within the window;
    the credit's data, or None (not online, not the order's first arrival at central,
    already credited, or no touch in the window)."""
    order = wire.Order.model_validate(order_data)
    if order.version != 1 or not influenceable(order):
        return None
    held = conn.execute(
        "SELECT 1 FROM entities WHERE entity = 'credit' AND id = ?", (order.id,)
    ).fetchone()
    if held is not None:
        return None
    window = policy.current(conn).attribution_days
    found = credit_for(
        order,
        _touches(conn, order.shopper_id),
        window,
        channels=_channels(conn, order.shopper_id),
    )
    if found is None:
        return None
    touch, reason = found
    credit = wire.Credit(
        id=order.id,
        version=1,
        updated_at=order.updated_at,
        order_id=order.id,
        shopper_id=order.shopper_id,
        order_channel=order.channel,
        ordered_at=order.created_at,
        total_cents=order.total_cents,
        store_id=touch.store_id,
        staff_id=touch.staff_id,
        staff_name=touch.staff_name,
        touch_id=touch.id,
        touch_kind=touch.kind,
        touched_at=touch.at,
        reason=reason,
    )
    entities.extend_shopper_scope(conn, order.shopper_id, [touch.store_id])
    stored = entities.put(
        conn, "credit", credit.model_dump(mode="json", exclude={"version", "updated_at"})
    )
    log.info("order %s credited to touch %s (%s)", order.id, touch.id, touch.kind)
    return stored
