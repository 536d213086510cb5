"""Returns still in this device's outbox: the ones waiting (pending, or applied and not
yet pulled), the ones central refused and why, and the units of an order they take."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sync import overlay
from sync.commands import registry
from sync.commands.effects import Active, NewReturn
from sync.read.base import names


def returning_actives(conn: sqlite3.Connection, *, rejected: bool = False) -> list[Active]:
    """Outbox rows of the commands that add returns: active ones (pending, or applied and
    not yet pulled), and with ``rejected`` the ones central refused too."""
    actives = overlay.for_table(conn, "returns")
    if not rejected:
        return actives
    commands = registry.names_where(lambda e: e.table == "returns")
    marks = ",".join("?" for _ in commands)
    refused = [
        overlay.active_row(r)
        for r in conn.execute(
            f"SELECT * FROM outbox WHERE name IN ({marks}) AND state = 'rejected' ORDER BY number",
            commands,
        )
    ]
    return actives + refused


def new_returns(
    conn: sqlite3.Connection, actives: Iterable[Active]
) -> list[tuple[Active, NewReturn]]:
    """The returns these outbox rows add (not yet pulled from central), in command order."""
    rows = []
    for a in actives:
        for effects in registry.effects(a.name).parts():
            if effects.table == "returns" and effects.creates is not None:
                made = effects.creates(a)
                if isinstance(made, NewReturn):
                    rows.append((a, made))
    ov = overlay.Overlay(conn, [])
    return [(a, r) for a, r in rows if not ov.confirmed("returns", r.id)]


def in_flight(conn: sqlite3.Connection, order_id: str) -> dict[str, int]:
    """SKU -> units of ``order_id`` that returns still waiting in the outbox take."""
    taken: dict[str, int] = {}
    for _, r in new_returns(conn, returning_actives(conn)):
        if r.order_id == order_id:
            for ln in r.lines:
                taken[ln.sku] = taken.get(ln.sku, 0) + ln.qty
    return taken


def refusals(conn: sqlite3.Connection, actives: Iterable[Active]) -> dict[str, str]:
    """Outbox id -> central's sentence, for the refused ones of ``actives``."""
    ids = [a.id for a in actives if a.state == "rejected"]
    return names(conn, "SELECT id, message FROM outbox WHERE id IN ({marks})", ids)
