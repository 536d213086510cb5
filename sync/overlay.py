"""Optimistic effects of queued commands, computed on top of the confirmed cache.

A command's effect shows while it is *active*: still ``pending`` in the outbox, or
``applied`` but not yet ``settled`` (no pull has completed since central applied it, so the
confirmed row may not be here yet). A rejected command is not active: its effect is
reverted simply by no longer being shown. Where a confirmed row with the client-chosen id
already exists (central applied it and a pull brought it, e.g. after a cut response), the
confirmed row wins and stock is not counted twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

ACTIVE = "(state = 'pending' OR (state = 'applied' AND settled = 0))"


@dataclass(frozen=True)
class Active:
    """One active outbox row."""

    id: str
    number: int
    name: str
    args: dict[str, Any]
    base: dict[str, Any]
    result: dict[str, Any]
    state: str
    created_at: str
    staff_id: str | None
    shopper_id: str | None
    store_id: str | None
    sku: str | None
    target_id: str | None

    @property
    def pending(self) -> bool:
        return self.state == "pending"


def _row(r: sqlite3.Row) -> Active:
    return Active(
        id=r["id"],
        number=r["number"],
        name=r["name"],
        args=json.loads(r["args"]),
        base=json.loads(r["base"]),
        result=json.loads(r["result"]) if r["result"] else {},
        state=r["state"],
        created_at=r["created_at"],
        staff_id=r["staff_id"],
        shopper_id=r["shopper_id"],
        store_id=r["store_id"],
        sku=r["sku"],
        target_id=r["target_id"],
    )


def any_active(conn: sqlite3.Connection) -> bool:
    return conn.execute(f"SELECT 1 FROM outbox WHERE {ACTIVE} LIMIT 1").fetchone() is not None


def for_shopper(conn: sqlite3.Connection, shopper_id: str) -> list[Active]:
    return [
        _row(r)
        for r in conn.execute(
            f"SELECT * FROM outbox WHERE shopper_id = ? AND {ACTIVE} ORDER BY number", (shopper_id,)
        )
    ]


def by_names(conn: sqlite3.Connection, names: Sequence[str]) -> list[Active]:
    marks = ",".join("?" for _ in names)
    return [
        _row(r)
        for r in conn.execute(
            f"SELECT * FROM outbox WHERE name IN ({marks}) AND {ACTIVE} ORDER BY number",
            tuple(names),
        )
    ]


def existing_ids(conn: sqlite3.Connection, table: str, ids: Iterable[str]) -> set[str]:
    id_list = [i for i in ids if i]
    if not id_list:
        return set()
    marks = ",".join("?" for _ in id_list)
    return {
        r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", tuple(id_list))
    }


@dataclass
class ReservationEffects:
    """Reservations this device created or changed, not (yet) visible as confirmed."""

    created: list[Active] = field(default_factory=list)  # reserve_item without a confirmed row
    status: dict[str, tuple[str, bool]] = field(default_factory=dict)  # id -> (status, pending)
    pending_ids: set[str] = field(default_factory=set)  # confirmed rows still pending here


def reservation_effects(conn: sqlite3.Connection, actives: Sequence[Active]) -> ReservationEffects:
    eff = ReservationEffects()
    reserves = [a for a in actives if a.name == "reserve_item"]
    confirmed = existing_ids(conn, "reservations", (a.target_id or "" for a in reserves))
    for a in reserves:
        if a.target_id in confirmed:
            if a.pending:
                eff.pending_ids.add(a.target_id or "")
        else:
            eff.created.append(a)
    for a in actives:
        if a.name == "cancel_reservation":
            eff.status[a.target_id or ""] = ("cancelled", a.pending)
        elif a.name == "set_reservation_status":
            eff.status[a.target_id or ""] = (str(a.args["status"]), a.pending)
    return eff


ONLINE_WAREHOUSE = "WEB"


def stock_deltas(
    conn: sqlite3.Connection, skus: Iterable[str] | None = None
) -> dict[tuple[str, str], int]:
    """(store_id, sku) -> change in ``available`` from active commands.

    A reservation holds stock in its store; an order holds stock in the online warehouse;
    a cancel gives a confirmed reservation's stock back.
    """
    wanted = set(skus) if skus is not None else None
    actives = by_names(conn, ("reserve_item", "cancel_reservation", "place_order"))
    if not actives:
        return {}
    deltas: dict[tuple[str, str], int] = defaultdict(int)
    orders = [a for a in actives if a.name == "place_order"]
    if orders:
        placed = existing_ids(conn, "orders", (a.target_id or "" for a in orders))
        for a in orders:
            if a.target_id in placed:
                continue
            for line in a.args["lines"]:
                sku = str(line["sku"])
                if wanted is None or sku in wanted:
                    deltas[(ONLINE_WAREHOUSE, sku)] -= int(line["qty"])
    actives = [
        a for a in actives if a.name != "place_order" and (wanted is None or a.sku in wanted)
    ]
    if actives:
        eff = reservation_effects(conn, actives)
        cancelled = {rid for rid, (status, _) in eff.status.items() if status == "cancelled"}
        for a in eff.created:
            if a.target_id in cancelled:
                continue
            deltas[(str(a.args["store_id"]), str(a.args["sku"]))] -= int(a.args["qty"])
        cancels = [a for a in actives if a.name == "cancel_reservation"]
        if cancels:
            # A cancel gives stock back only while the confirmed reservation still holds it.
            holding = {
                r[0]
                for r in conn.execute(
                    "SELECT id FROM reservations WHERE status IN ('pending', 'ready') AND id IN ("
                    + ",".join("?" for _ in cancels)
                    + ")",
                    tuple(a.target_id for a in cancels),
                )
            }
            for a in cancels:
                if a.target_id in holding and a.store_id and a.sku:
                    deltas[(a.store_id, a.sku)] += int(a.base.get("qty", 0))
    return {k: v for k, v in deltas.items() if v}


def apply_cart_ops(
    lines: dict[str, dict[str, Any]],
    ops: Sequence[dict[str, Any]],
    prices: dict[str, int],
    now: str,
) -> None:
    """Apply update_cart ops to ``lines`` (sku -> line dict), in place."""
    for op in ops:
        sku = str(op["sku"])
        qty = int(op.get("qty", 1))
        if op["op"] == "add":
            if sku in lines:
                lines[sku]["qty"] = min(99, int(lines[sku]["qty"]) + qty)
            elif qty > 0:
                lines[sku] = {
                    "sku": sku,
                    "qty": min(99, qty),
                    "price_cents": prices.get(sku, 0),
                    "added_at": now,
                }
        elif op["op"] == "remove":
            lines.pop(sku, None)
        elif op["op"] == "set_qty":
            if qty <= 0:
                lines.pop(sku, None)
            elif sku in lines:
                lines[sku]["qty"] = min(99, qty)
            else:
                lines[sku] = {
                    "sku": sku,
                    "qty": min(99, qty),
                    "price_cents": prices.get(sku, 0),
                    "added_at": now,
                }
