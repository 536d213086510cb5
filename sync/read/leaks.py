"""The leak points behind the dashboard's tiles (``Cache.leak_list``): where a shopper
dropped out in the period, each with its way forward.

* ``expired_holds``: reservations for this store whose hold ran out uncollected in the
  period (``reach_out``);
* ``unpaid_links``: pay links sent from this store in the period whose order is still
  unpaid and not cancelled (``resend_link``), one row per order;
* ``abandoned_carts``: online carts left abandoned in the period by shoppers of this
  store's book, home store or assigned here (``offer``);
* ``rejected``: this device's commands central rejected and nobody dismissed yet
  (``resolve``), whatever the period: an open rejection stays open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sync import wire
from sync.read.base import shopper_names
from sync.read.kpi_facts import Facts, ended_as
from sync.read.kpi_types import LEAK_ACTIONS, LeakKind, LeakRow
from sync.rules.loyalty import money


def _expired_holds(conn: sqlite3.Connection, f: Facts) -> list[LeakRow]:
    rows = [
        (
            r.shopper_id,
            f"{f.products.get(r.sku, r.sku)} × {r.qty}: the hold ran out uncollected",
            at,
            r.id,
        )
        for r, at in ended_as(f, "expired")
    ]
    return _rows(conn, "expired_holds", rows)


def _unpaid_links(conn: sqlite3.Connection, f: Facts) -> list[LeakRow]:
    latest: dict[str, wire.Message] = {}
    for m in f.messages:
        order_id = m.attachments.pay_order_id
        if order_id and (order_id not in latest or latest[order_id].created_at < m.created_at):
            latest[order_id] = m
    rows = []
    for order_id, m in latest.items():
        order = f.pay_orders.get(order_id)
        if order is None or order.payment.status != "pending" or order.status == "cancelled":
            continue
        what = f"Order {order.number}, {money(order.total_cents)}: link sent by {m.channel}, unpaid"
        rows.append((order.shopper_id, what, m.created_at, order.id))
    return _rows(conn, "unpaid_links", rows)


def _abandoned_carts(conn: sqlite3.Connection, f: Facts) -> list[LeakRow]:
    found = conn.execute(
        "SELECT data FROM carts WHERE status = 'abandoned' AND updated_at >= ? "
        "AND updated_at < ? AND shopper_id IN (SELECT id FROM shoppers WHERE home_store_id = ? "
        "UNION SELECT shopper_id FROM client_assignments WHERE store_id = ?)",
        (f.start, f.end, f.store_id, f.store_id),
    ).fetchall()
    rows = []
    for (raw,) in found:
        cart = wire.Cart.model_validate_json(raw)
        if not cart.lines:
            continue
        items = sum(line.qty for line in cart.lines)
        total = sum(line.qty * line.price_cents for line in cart.lines)
        what = (
            f"{items} item{'s' if items != 1 else ''}, {money(total)}, left on the {cart.channel}"
        )
        rows.append((cart.shopper_id, what, cart.updated_at, cart.id))
    return _rows(conn, "abandoned_carts", rows)


def _rejected(conn: sqlite3.Connection, f: Facts) -> list[LeakRow]:
    found = conn.execute(
        "SELECT id, shopper_id, summary, message, created_at FROM outbox "
        "WHERE state = 'rejected' ORDER BY number"
    ).fetchall()
    rows = []
    for entry_id, shopper_id, summary, message, created_at in found:
        what = f"{summary}: {message}" if message else summary
        rows.append((shopper_id, what, created_at, entry_id))
    return _rows(conn, "rejected", rows)


def _rows(
    conn: sqlite3.Connection, kind: LeakKind, rows: Sequence[tuple[str | None, str, str, str]]
) -> list[LeakRow]:
    who = shopper_names(conn, (s for s, *_ in rows if s))
    return sorted(
        (
            LeakRow(s, who.get(s, "") if s else "", what, when, LEAK_ACTIONS[kind], ref)
            for s, what, when, ref in rows
        ),
        key=lambda row: (row.when, row.ref_id),
        reverse=True,
    )


LEAKS = {
    "expired_holds": _expired_holds,
    "unpaid_links": _unpaid_links,
    "abandoned_carts": _abandoned_carts,
    "rejected": _rejected,
}


def leak_rows(conn: sqlite3.Connection, kind: LeakKind, f: Facts) -> list[LeakRow]:
    """The leak list ``kind`` (``KeyError`` for an unknown kind), newest first."""
    return LEAKS[kind](conn, f)
