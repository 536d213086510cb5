"""Optimistic effects of queued commands, computed on top of the confirmed cache.

A command's effect shows while it is *active*: still ``pending`` in the outbox, or
``applied`` but not yet ``settled`` (no pull has completed since central applied it, so the
confirmed row may not be here yet). A rejected command is not active: its effect is
reverted simply by no longer being shown. Where a confirmed row with the client-chosen id
already exists (central applied it and a pull brought it, e.g. after a cut response), the
confirmed row wins and stock is not counted twice.

Nothing here knows a command by name: each command declares its effects
(:class:`sync.commands.effects.Effects`) and :class:`Overlay` calls those hooks for the
active rows of a read.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any, TypeVar

from sync import wire
from sync.commands import registry
from sync.commands.effects import Active, Cart, NewRow
from sync.records import AuthorView

ACTIVE = "(state = 'pending' OR (state = 'applied' AND settled = 0))"

R = TypeVar("R", bound=NewRow)


def _row(r: sqlite3.Row) -> Active:
    return Active(
        id=r["id"],
        number=r["number"],
        name=r["name"],
        args=json.loads(r["args"]),
        base=json.loads(r["base"]),
        result=(json.loads(r["result"]) if r["result"] else None) or {},
        state=r["state"],
        created_at=r["created_at"],
        staff_id=r["staff_id"],
        shopper_id=r["shopper_id"],
        store_id=r["store_id"],
        sku=r["sku"],
        target_id=r["target_id"],
        signed_in=r["signed_in"],
    )


active_row = _row
"""An outbox row in any state as an ``Active`` (reads that show refused commands too)."""


def for_shopper(conn: sqlite3.Connection, shopper_id: str) -> list[Active]:
    return [
        _row(r)
        for r in conn.execute(
            f"SELECT * FROM outbox WHERE shopper_id = ? AND {ACTIVE} ORDER BY number", (shopper_id,)
        )
    ]


def by_names(conn: sqlite3.Connection, names: Sequence[str]) -> list[Active]:
    if not names:
        return []
    marks = ",".join("?" for _ in names)
    return [
        _row(r)
        for r in conn.execute(
            f"SELECT * FROM outbox WHERE name IN ({marks}) AND {ACTIVE} ORDER BY number",
            tuple(names),
        )
    ]


def for_table(conn: sqlite3.Connection, table: str) -> list[Active]:
    """Active commands that add or change rows of ``table``."""
    return by_names(conn, registry.names_where(lambda e: e.table == table))


class Overlay:
    """The active commands of one read (in number order) and what their effects show."""

    def __init__(self, conn: sqlite3.Connection, actives: Sequence[Active]) -> None:
        self.conn = conn
        self.actives = list(actives)
        self._seen: dict[tuple[str, str], bool] = {}
        self._names: dict[str, str] = {}

    def confirmed(self, table: str, row_id: str) -> bool:
        """A confirmed row ``row_id`` of ``table`` is in the cache."""
        key = (table, row_id)
        if key not in self._seen:
            row = _one(self.conn, f"SELECT 1 FROM {table} WHERE id = ?", row_id)
            self._seen[key] = row is not None
        return self._seen[key]

    def confirmed_status(self, table: str, row_id: str) -> str | None:
        row = _one(self.conn, f"SELECT status FROM {table} WHERE id = ?", row_id)
        return None if row is None else str(row[0])

    @cached_property
    def _statuses(self) -> dict[tuple[str, str], tuple[str, Active]]:
        found: dict[tuple[str, str], tuple[str, Active]] = {}
        for a in self.actives:
            effects = registry.effects(a.name)
            if effects.status is not None and effects.table:
                found[(effects.table, a.target_id or "")] = (effects.status(a), a)
        return found

    def status(self, table: str, row_id: str) -> str | None:
        change = self._statuses.get((table, row_id))
        return change[0] if change else None

    def status_change(self, table: str, row_id: str) -> tuple[str, bool] | None:
        """(the status the last active command sets on the row, whether it is pending)."""
        change = self._statuses.get((table, row_id))
        return (change[0], change[1].pending) if change else None

    def status_command(self, table: str, row_id: str) -> Active | None:
        """The last active command that sets the row's status (who did it, and when)."""
        change = self._statuses.get((table, row_id))
        return change[1] if change else None

    def field_changes(self, table: str, row_id: str) -> list[tuple[Active, Mapping[str, Any]]]:
        """The fields each active command sets on the row (``Effects.fields``), in order."""
        changes = []
        for a in self.actives:
            effects = registry.effects(a.name)
            if effects.fields is not None and effects.table == table and a.target_id == row_id:
                changes.append((a, effects.fields(a)))
        return changes

    def status_by(self, table: str, row_id: str) -> AuthorView | None:
        """Who queued the last active command setting the row's status."""
        for a in reversed(self.actives):
            effects = registry.effects(a.name)
            if effects.status is not None and effects.table == table and a.target_id == row_id:
                return self.by(a)
        return None

    def by(self, a: Active) -> AuthorView | None:
        """Who queued ``a``: the signed-in associate's name from the cache (their staff id
        when it has no record of them), and whether they had signed in offline."""
        if a.staff_id is None:
            return None
        if a.staff_id not in self._names:
            row = _one(self.conn, "SELECT name FROM associates WHERE id = ?", a.staff_id)
            self._names[a.staff_id] = str(row[0]) if row else a.staff_id
        return AuthorView(self._names[a.staff_id], offline=a.signed_in == "offline")

    @cached_property
    def _created(self) -> list[tuple[str, Active, NewRow]]:
        rows = []
        for a in self.actives:
            for effects in registry.effects(a.name).parts():
                if effects.creates is not None and effects.table:
                    row = effects.creates(a)  # None: this use of the command adds no row
                    if row is not None:
                        rows.append((effects.table, a, row))
        return rows

    def created(self, table: str, kind: type[R]) -> list[tuple[Active, R]]:
        """Rows of ``table`` that active commands add and no pull has brought yet."""
        return [
            (a, row)
            for t, a, row in self._created
            if t == table and isinstance(row, kind) and not self.confirmed(table, row.id)
        ]

    def pending_ids(self, table: str) -> set[str]:
        """Confirmed rows of ``table`` whose creating command is still pending here."""
        return {
            row.id
            for t, a, row in self._created
            if t == table and a.pending and self.confirmed(table, row.id)
        }

    def cart(self, version: int, lines: Iterable[wire.CartLine | wire.KioskCartLine]) -> Cart:
        """The cart lines with every active cart edit applied in order."""
        cart = Cart(version, lines)
        for a in self.actives:
            hook = registry.effects(a.name).cart
            if hook is not None:
                hook(a, cart)
        return cart

    def stock_deltas(self, skus: Iterable[str] | None = None) -> dict[tuple[str, str], int]:
        """(store_id, sku) -> change in ``available`` from the active commands."""
        wanted = set(skus) if skus is not None else None
        deltas: dict[tuple[str, str], int] = defaultdict(int)
        for a in self.actives:
            hook = registry.effects(a.name).stock
            if hook is None:
                continue
            for d in hook(a, self):
                if wanted is None or d.sku in wanted:
                    deltas[(d.store_id, d.sku)] += d.delta
        return {k: v for k, v in deltas.items() if v}

    def points_delta(self, shopper_id: str) -> int:
        """The change in ``shopper_id``'s points balance from the active commands (< 0:
        points spent and not yet taken off central's copy here)."""
        total = 0
        for a in self.actives:
            hook = registry.effects(a.name).points
            if hook is not None and a.shopper_id == shopper_id:
                total += hook(a, self)
        return total


def _one(conn: sqlite3.Connection, sql: str, *params: Any) -> Any:
    return conn.execute(sql, params).fetchone()


def author_view(author: wire.Author | dict[str, Any] | None) -> AuthorView | None:
    """The author central recorded (``wire.Author``, or its data in a cart line)."""
    if author is None:
        return None
    if isinstance(author, dict):
        name, signed_in = author.get("name"), author.get("signed_in")
        return AuthorView(str(name), signed_in == "offline") if name else None
    return AuthorView(author.name, author.signed_in == "offline")


def stock_deltas(
    conn: sqlite3.Connection, skus: Iterable[str] | None = None
) -> dict[tuple[str, str], int]:
    """(store_id, sku) -> change in ``available`` from active commands (those with a stock
    effect, and those setting statuses a stock effect looks at)."""
    names = registry.names_where(lambda e: e.stock is not None or e.status is not None)
    actives = by_names(conn, names)
    return Overlay(conn, actives).stock_deltas(skus) if actives else {}
