"""Loyalty points on the tablet: a shopper's balance with the queued redemptions taken off,
and what points may go toward (an order placed here, a return), each possibly still
waiting in the outbox.

Queued commands show through their declared effects (``Effects.points`` for the balance,
``Effects.fields`` on ``orders`` for the points an order spends): nothing here knows a
command by name, but for a return still queued, read through ``return_items``' own args
(its contract) since a return has no row before central makes it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from sync import overlay, wire
from sync.commands import return_items
from sync.commands.effects import NewOrder
from sync.read.base import CacheBase
from sync.records import OrderView, PointsView
from sync.rules import loyalty

POLICY_ID = "chain"


@dataclass(frozen=True)
class OrderToward:
    """An order points may go toward: its total, whose and where it was placed, and the
    points already on it (central's, or a queued redemption's)."""

    id: str
    shopper_id: str
    store_id: str | None
    channel: str
    status: str
    total_cents: int
    points_redeemed: int
    pending: bool  # still queued here (``place_order`` not yet applied)


@dataclass(frozen=True)
class ReturnToward:
    """A return points may go toward: central's (``made``) or one queued here (``queued``
    with the order it is for, when the cache holds it)."""

    shopper_id: str
    made: wire.Return | None = None
    queued: return_items.Args | None = None
    order: wire.Order | None = None


def policy(conn: sqlite3.Connection) -> wire.Policy | None:
    row = conn.execute("SELECT data FROM policies WHERE id = ?", (POLICY_ID,)).fetchone()
    return wire.Policy.model_validate_json(row[0]) if row else None


def points_view(
    conn: sqlite3.Connection, shopper_id: str, confirmed: int, ov: overlay.Overlay
) -> PointsView | None:
    """The balance as shown: central's ``confirmed`` points plus the active commands'
    changes (None before the first sync brings the policy)."""
    rules = policy(conn)
    if rules is None:
        return None
    delta = ov.points_delta(shopper_id)
    balance = max(0, confirmed + delta)
    return PointsView(
        shopper_id=shopper_id,
        balance=balance,
        in_flight=max(0, -delta),
        worth_cents=loyalty.value_cents(rules, balance),
        point_value_cents=rules.point_value_cents,
        min_redeem_points=rules.min_redeem_points,
        max_redeem_percent=rules.max_redeem_percent,
    )


def with_points(view: OrderView, ov: overlay.Overlay) -> OrderView:
    """The order with the points queued redemptions spend on it laid over."""
    for _a, fields in ov.field_changes("orders", view.id):
        if "points_redeemed" in fields:
            view = replace(
                view,
                points_redeemed=int(fields["points_redeemed"]),
                points_value_cents=int(fields.get("points_value_cents", 0)),
            )
    return view


class PointsReads(CacheBase):
    def points(self, shopper_id: str) -> PointsView | None:
        """``shopper_id``'s points as the tablet shows them (None: not in the cache, or no
        policy yet)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT points FROM shoppers WHERE id = ?", (shopper_id,)).fetchone()
            if row is None:
                return None
            ov = overlay.Overlay(conn, overlay.for_shopper(conn, shopper_id))
            return points_view(conn, shopper_id, int(row[0] or 0), ov)

    def points_order(self, order_id: str) -> OrderToward | None:
        """The order ``order_id`` as points see it: central's copy, or one queued here."""
        with self.db.read() as conn:
            ov = overlay.Overlay(conn, overlay.for_table(conn, "orders"))
            spent = 0
            for _a, fields in ov.field_changes("orders", order_id):
                spent = int(fields.get("points_redeemed", spent))
            row = conn.execute("SELECT data FROM orders WHERE id = ?", (order_id,)).fetchone()
            if row is not None:
                o = wire.Order.model_validate_json(row[0])
                return OrderToward(
                    id=o.id,
                    shopper_id=o.shopper_id,
                    store_id=o.store_id,
                    channel=o.channel,
                    status=o.status,
                    total_cents=o.total_cents,
                    points_redeemed=o.points_redeemed or spent,
                    pending=False,
                )
            for a, new in ov.created("orders", NewOrder):
                if new.id == order_id:
                    return OrderToward(
                        id=new.id,
                        shopper_id=a.shopper_id or "",
                        store_id=a.store_id,
                        channel="store",
                        status=new.status,
                        total_cents=sum(ln.price_cents * ln.qty for ln in new.lines),
                        points_redeemed=spent,
                        pending=True,
                    )
        return None

    def points_return(self, return_id: str) -> ReturnToward | None:
        """The return ``return_id`` as points see it: central's, or one queued here."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM returns WHERE id = ?", (return_id,)).fetchone()
            if row is not None:
                made = wire.Return.model_validate_json(row[0])
                return ReturnToward(shopper_id=made.shopper_id, made=made)
            for a in overlay.by_names(conn, [return_items.NAME]):
                if a.args.get("return_id") != return_id:
                    continue
                args = return_items.Args.model_validate(a.args)
                found = conn.execute(
                    "SELECT data FROM orders WHERE id = ?", (args.order_id,)
                ).fetchone()
                order = wire.Order.model_validate_json(found[0]) if found else None
                shopper = a.shopper_id or (order.shopper_id if order else "")
                return ReturnToward(shopper_id=shopper, queued=args, order=order)
        return None
