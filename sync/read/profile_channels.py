"""What the other channels add to a shopper's profile: contacts with the contact centre
(merged into the timeline with the notes, by time), where the cart, its lines and the
wishlist items came from and when they last changed, and the products viewed online
recently. Pure functions of confirmed rows and the overlay; ``sync.read.profile`` calls them
inside its read snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sync import overlay, wire
from sync.commands.effects import Cart
from sync.records import NoteView, Provenance, SupportContactView

TimelineEntry = NoteView | SupportContactView


def support_contacts(conn: sqlite3.Connection, shopper_id: str) -> list[SupportContactView]:
    """The shopper's contacts with the contact centre, newest first."""
    rows = conn.execute(
        "SELECT data FROM support_contacts WHERE shopper_id = ? ORDER BY opened_at DESC, id",
        (shopper_id,),
    )
    views = []
    for (data,) in rows:
        c = wire.SupportContact.model_validate_json(data)
        views.append(
            SupportContactView(
                id=c.id,
                channel=c.channel,
                subject=c.subject,
                summary=c.summary,
                agent=c.agent,
                status=c.status,
                opened_at=c.opened_at,
                closed_at=c.closed_at,
            )
        )
    return views


def timeline(
    notes: Iterable[NoteView], contacts: Iterable[SupportContactView]
) -> tuple[TimelineEntry, ...]:
    """Notes and support contacts in one list, newest first (ties: notes first, then id)."""
    entries: list[TimelineEntry] = [*notes, *contacts]
    entries.sort(key=lambda e: (isinstance(e, SupportContactView), e.id))
    entries.sort(key=lambda e: wire.parse_ts(e.created_at), reverse=True)
    return tuple(entries)


def recent_views(
    conn: sqlite3.Connection, shopper_id: str, now: str, days: int
) -> list[wire.ProductView]:
    """Products the shopper viewed online in the last ``days`` days, newest first, one
    per SKU (the latest view)."""
    since = wire.parse_ts(now) - timedelta(days=days)
    rows = conn.execute(
        "SELECT data FROM product_views WHERE shopper_id = ? ORDER BY viewed_at DESC, id",
        (shopper_id,),
    )
    seen: set[str] = set()
    views = []
    for (data,) in rows:
        v = wire.ProductView.model_validate_json(data)
        if wire.parse_ts(v.viewed_at) < since:
            break
        if v.sku not in seen:
            seen.add(v.sku)
            views.append(v)
    return views


def cart_origin(confirmed: wire.Cart | None, cart: Cart, ov: overlay.Overlay) -> Provenance | None:
    """The cart's channel and its last change: this tablet's latest edit while one is
    active (in store, by whom), else the channel the cart lives on and its ``updated_at``."""
    if cart.changed_by:  # an edit made here that the confirmed cart does not hold yet
        latest = max(cart.changed_by.values(), key=lambda a: a.number)
        return Provenance("store", latest.created_at, ov.by(latest), latest.pending)
    if confirmed is None:
        return None
    return Provenance(confirmed.channel, confirmed.updated_at)


def line_origin(
    confirmed: wire.Cart | None, cart: Cart, ov: overlay.Overlay, sku: str, line: dict[str, Any]
) -> Provenance:
    """Where one cart line came from: this tablet's edit, an associate's in a store
    (``changed_by``), or the cart's own channel when the shopper added it online."""
    active = cart.changed_by.get(sku)
    if active is not None:
        return Provenance("store", active.created_at, ov.by(active), active.pending)
    by = overlay.author_view(line.get("changed_by"))
    if by is not None:
        return Provenance("store", None, by)
    return Provenance(confirmed.channel if confirmed else "web", line.get("added_at"))


def wishlist_origin(item: wire.WishlistItem) -> Provenance:
    return Provenance(item.channel, item.updated_at)
