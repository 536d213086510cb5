"""Credit where it is due: which touch an online order is credited to, and why, written once.

The rule
--------
An order the shopper placed **online** (channel ``web`` or ``app``) within
``policy.attribution_days`` (14 by default) **after** a touch of that shopper is credited to
the **last** touch before it: its associate and store (a kiosk identification credits the
store alone, it has no associate). A touch after the order, or more than the window before
it, earns nothing. An order placed in a store is never "influenced": it is the store's own
sale. Each order is credited at most once (the credit's id is the order's id), when central
first receives it; the order's later updates and replays of its record change nothing.

Central applies it (``central.clienteling.attribution``) when an online order arrives; the
tablet shows the result (``Cache.influenced_sales``) with the reason this module wrote, e.g.
"Ordered online 3 days after Aoife sent their cart by email".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sync import wire
from sync.wire import parse_ts

ONLINE_CHANNELS = frozenset({"web", "app"})
"""Order channels that can be influenced (a store order is the store's own sale)."""

BY_CHANNEL = {"email": "by email", "sms": "by text message", "whatsapp": "on WhatsApp"}

_DONE = {
    "message": "sent them a message",
    "shared_cart": "sent their cart",
    "pay_link": "sent them a pay link",
    "note": "wrote a note about them",
    "reservation": "reserved an item for them",
    "cart_edit": "edited their cart",
    "offer": "gave them a personal offer",
}
"""What the associate did, by touch kind (a kiosk identification is the shopper's own)."""


def influenceable(order: wire.Order) -> bool:
    """Whether the order may be credited to a touch at all (placed online)."""
    return order.channel in ONLINE_CHANNELS


def last_touch(
    order: wire.Order, touches: Iterable[wire.Touch], window_days: int
) -> wire.Touch | None:
    """The shopper's last touch at or before the order and no more than ``window_days``
    before it (ties: the later recorded id), or None."""
    placed = parse_ts(order.created_at)
    earliest = placed - timedelta(days=window_days)
    eligible = [
        t
        for t in touches
        if t.shopper_id == order.shopper_id and earliest <= parse_ts(t.at) <= placed
    ]
    return max(eligible, key=lambda t: (parse_ts(t.at), t.id), default=None)


def _days(touched: datetime, placed: datetime) -> str:
    days = (placed.date() - touched.date()).days
    if days <= 0:
        return "the same day"
    return "1 day after" if days == 1 else f"{days} days after"


def reason(
    order: wire.Order, touch: wire.Touch, message_channel: wire.MessageChannel | None = None
) -> str:
    """The sentence a credit carries: where the order was placed, how long after, who (the
    associate's first name) did what (``message_channel``: how a message, cart or pay link
    was sent, when known)."""
    where = "in the app" if order.channel == "app" else "online"
    when = _days(parse_ts(touch.at), parse_ts(order.created_at))
    if touch.kind == "kiosk_identification":
        what = "they identified at a kiosk in store"
    else:
        who = touch.staff_name.split()[0] if touch.staff_name else "an associate"
        what = f"{who} {_DONE[touch.kind]}"
        if message_channel is not None and touch.kind in ("message", "shared_cart", "pay_link"):
            what += f" {BY_CHANNEL[message_channel]}"
    if when == "the same day":
        return f"Ordered {where} the same day {what}"
    return f"Ordered {where} {when} {what}"


def credit_for(
    order: wire.Order,
    touches: Iterable[wire.Touch],
    window_days: int,
    *,
    channels: Mapping[str, wire.MessageChannel] | None = None,
) -> tuple[wire.Touch, str] | None:
    """The touch an online ``order`` is credited to and the reason, or None (a store
    order, or no touch of the shopper within ``window_days`` before it). ``channels``: the
    channel of each message a touch names (``source_id`` -> channel), for the reason."""
    if not influenceable(order):
        return None
    touch = last_touch(order, touches, window_days)
    if touch is None:
        return None
    return touch, reason(order, touch, (channels or {}).get(touch.source_id))
