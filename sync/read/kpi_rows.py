"""The tables behind the dashboard's figures: the rows a manager sees when a tile opens
(and exports as CSV), built from :class:`kpi_facts.Facts`. Names as the screen shows them,
never contact details."""

from __future__ import annotations

from collections.abc import Iterable

from sync import wire
from sync.read.kpi_facts import Facts

KIOSK = "Kiosk"
"""Who made it when no associate did (a kiosk, or a shopper's own action)."""


def who(author: wire.Author | None) -> str:
    return author.name if author is not None else KIOSK


def staff(c: wire.Credit) -> str:
    return c.staff_name or KIOSK


def reservation_rows(f: Facts, items: Iterable[wire.Reservation]) -> list[tuple[object, ...]]:
    return [
        (
            r.id,
            r.created_at,
            f.names.get(r.shopper_id, ""),
            f.products.get(r.sku, r.sku),
            r.qty,
            r.status,
            who(r.author),
        )
        for r in sorted(items, key=lambda r: r.created_at)
    ]


RESERVATION_COLUMNS = ("Reservation", "Created", "Shopper", "Product", "Qty", "Status", "By")


def order_rows(f: Facts) -> list[tuple[object, ...]]:
    return [
        (
            o.number,
            o.created_at,
            f.names.get(o.shopper_id, ""),
            o.fulfilment.type,
            o.status,
            o.total_cents,
            who(o.author),
        )
        for o in sorted(f.endless_aisle, key=lambda o: o.created_at)
    ]


def message_rows(f: Facts, items: Iterable[wire.Message]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for m in sorted(items, key=lambda m: m.created_at):
        order = f.pay_orders.get(m.attachments.pay_order_id or "")
        rows.append(
            (
                m.id,
                m.created_at,
                f.names.get(m.shopper_id, ""),
                m.channel,
                m.status,
                who(m.author),
                order.number if order else "",
                order.payment.status if order else "",
            )
        )
    return rows


def credit_rows(f: Facts, items: Iterable[wire.Credit]) -> list[tuple[object, ...]]:
    return [
        (
            c.order_id,
            c.ordered_at,
            f.names.get(c.shopper_id, ""),
            c.order_channel,
            c.total_cents,
            staff(c),
            c.touch_kind,
            c.touched_at,
        )
        for c in sorted(items, key=lambda c: c.ordered_at)
    ]


CREDIT_COLUMNS = (
    "Order",
    "Ordered",
    "Shopper",
    "Channel",
    "Total (cents)",
    "Associate",
    "Touch",
    "Touched",
)
