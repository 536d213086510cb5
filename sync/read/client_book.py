"""The client book: who looks after which shopper at a store, and the books to browse.

``client_book(store_id, scope, staff_id, text, limit)`` lists "my clients" (assigned to
``staff_id`` here), the store's book (shoppers whose home store is here, who last visited
here, or whom an associate here looks after) or every shopper on this tablet, by name,
filtered by what a person typed (name, email, phone, loyalty number: the same FTS index
as the shopper search, :mod:`sync.fts`). ``looked_after_by`` names a shopper's associate
for the profile; ``book_sizes`` counts each associate's clients (the transfer dialog).

Commands that change who looks after whom declare an ``assigns`` effect
(:class:`sync.commands.effects.AssignmentChange`); it is laid over the confirmed
``client_assignments`` rows here, in command order, so an assignment (and a transfer's
many) shows at once and a rejected one disappears by itself.

Fast at the 100k-shopper scale: "mine" starts from the ``(store_id, staff_id)`` index,
the store book and "all" walk the ``name_key`` index and stop at ``limit`` rows (the store
book of a big store holds tens of thousands: the view asks for a page and a search
narrows it), and the details (assignment, last order) are looked up for that page only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sync import fts, overlay, wire
from sync.commands import registry
from sync.commands.effects import AssignmentChange
from sync.read.base import CacheBase
from sync.records import AssignmentView, ClientRow

Scope = Literal["mine", "store", "all"]

MAX_LIMIT = 1000

BROAD = 3000
"""A search matching at least this many shoppers (``"a"``, ``"087"``) walks the name index
and stops at the page; a narrower one starts from its FTS matches."""

_NOT_SPENT = ("cancelled", "returned")


@dataclass(frozen=True, slots=True)
class _Now:
    """Who looks after a shopper once the active commands are applied."""

    staff_id: str | None
    staff_name: str | None
    pending: bool


def _ids(values: Iterable[str]) -> str:
    """One parameter holding many ids (read with ``json_each``)."""
    return json.dumps(sorted(set(values)))


def _changes(conn: sqlite3.Connection, store_id: str) -> list[tuple[AssignmentChange, bool]]:
    """The active commands' assignment changes at ``store_id`` (with whether each is
    pending), in command order."""
    names = registry.names_where(lambda e: e.assigns is not None)
    found = []
    for a in overlay.by_names(conn, names):
        hook = registry.effects(a.name).assigns
        if hook is not None:
            change = hook(a)
            if change.store_id == store_id:
                found.append((change, a.pending))
    return found


def _overlaid(conn: sqlite3.Connection, store_id: str) -> dict[str, _Now]:
    """shopper id -> who looks after them, for the shoppers active commands move."""
    state: dict[str, _Now] = {}
    for change, pending in _changes(conn, store_id):
        if change.shopper_id is not None:
            targets = [change.shopper_id]
        else:  # a transfer: everyone the giver looks after, as the commands before left it
            confirmed = conn.execute(
                "SELECT shopper_id FROM client_assignments WHERE store_id = ? AND staff_id = ?",
                (store_id, change.from_staff_id),
            )
            targets = [r[0] for r in confirmed if r[0] not in state]
            targets += [sid for sid, now in state.items() if now.staff_id == change.from_staff_id]
        for target in targets:
            state[target] = _Now(change.staff_id, change.staff_name, pending)
    return state


@dataclass(frozen=True, slots=True)
class _Match:
    """The condition on shoppers ``s`` for what a person typed, and its FTS query."""

    sql: str = ""
    params: tuple[Any, ...] = ()
    fts_query: str | None = None

    def broad(self, conn: sqlite3.Connection) -> bool:
        """Whether the FTS query matches at least ``BROAD`` shoppers (counted to there)."""
        if self.fts_query is None:
            return False
        found = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM shoppers_fts WHERE shoppers_fts MATCH ? LIMIT ?)",
            (self.fts_query, BROAD),
        ).fetchone()[0]
        return int(found) >= BROAD


def _text_match(text: str, *, broad: bool = False) -> _Match | None:
    """What a person typed as a condition (an empty one when nothing was typed; None when
    nothing searchable is left, so nothing matches). ``broad``: the FTS rows are only
    checked (``+s.rid``), so the query walks the name index instead of starting there."""
    text = fts.clean((text or "")[: fts.MAX_INPUT]).strip()
    if not text:
        return _Match()
    rid = "+s.rid" if broad else "s.rid"
    fts_rows = f"{rid} IN (SELECT rowid FROM shoppers_fts WHERE shoppers_fts MATCH ?)"
    if fts.looks_like_phone(text):
        digits = fts.digits_query(fts.digits(text))
        return _Match(f"(s.phone_local = ? OR {fts_rows})", (fts.phone_local(text), digits), digits)
    if "@" in text:
        return _Match("s.email_l = ?", (text.casefold(),))
    query = fts.prefix_query(text)
    return _Match(fts_rows, (query,), query) if query else None


class ClientBookReads(CacheBase):
    def client_book(
        self,
        store_id: str,
        scope: Scope,
        staff_id: str | None,
        text: str = "",
        limit: int = 200,
    ) -> list[ClientRow]:
        """Shoppers of the book ``scope`` at ``store_id``, by name, at most ``limit``."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        match = _text_match(text)
        if match is None or (scope == "mine" and not staff_id):
            return []
        with self.db.read() as conn:
            moved = _overlaid(conn, store_id)
            where: list[str] = []
            params: list[Any] = []
            if scope == "mine":
                confirmed = conn.execute(
                    "SELECT shopper_id FROM client_assignments WHERE store_id = ? AND staff_id = ?",
                    (store_id, staff_id),
                )
                mine = {r[0] for r in confirmed if r[0] not in moved}
                mine.update(sid for sid, now in moved.items() if now.staff_id == staff_id)
                where.append("s.id IN (SELECT value FROM json_each(?))")
                params.append(_ids(mine))
            elif scope == "store":
                # the cheap tests first: most shoppers of a store's cache are homed there
                where.append(
                    "(s.home_store_id = ? OR s.id IN (SELECT shopper_id FROM client_assignments "
                    "WHERE store_id = ? AND staff_id IS NOT NULL) "
                    "OR s.id IN (SELECT value FROM json_each(?)) "
                    "OR json_extract(s.data, '$.last_visit_store_id') = ?)"
                )
                taken = (sid for sid, now in moved.items() if now.staff_id)
                params += [store_id, store_id, _ids(taken), store_id]
            if scope != "mine" and match.broad(conn):
                match = _text_match(text, broad=True) or match
            if match.sql:
                where.append(match.sql)
                params += match.params
            rows = conn.execute(
                "SELECT s.id, s.first_name, s.last_name, s.tier, s.points, s.last_visit_at "
                f"FROM shoppers s WHERE {' AND '.join(where) or '1'} "
                "ORDER BY s.name_key LIMIT ?",
                (*params, limit),
            ).fetchall()
            page = [r[0] for r in rows]
            assigned = self._assigned(conn, store_id, page, moved)
            orders = _orders(conn, page)
        found = []
        for r in rows:
            now = assigned.get(r[0])
            last_order, spent = orders.get(r[0], (None, 0))
            found.append(
                ClientRow(
                    shopper_id=r[0],
                    name=f"{r[1]} {r[2]}",
                    tier=r[3],
                    points=r[4],
                    looked_after_by=now.staff_name if now and now.staff_id else None,
                    staff_id=now.staff_id if now else None,
                    last_visit_at=r[5],
                    last_order_at=last_order,
                    lifetime_cents=spent,
                    pending=bool(now and now.pending),
                )
            )
        return found

    def looked_after_by(self, shopper_id: str, store_id: str) -> AssignmentView | None:
        """Who looks after the shopper at ``store_id`` (None: nobody yet)."""
        with self.db.read() as conn:
            now = self._assigned(conn, store_id, [shopper_id], _overlaid(conn, store_id))
        found = now.get(shopper_id)
        if found is None or found.staff_id is None:
            return None
        return AssignmentView(found.staff_id, found.staff_name or found.staff_id, found.pending)

    def book_sizes(self, store_id: str) -> dict[str, int]:
        """staff id -> how many shoppers they look after at ``store_id``."""
        with self.db.read() as conn:
            sizes = {
                r[0]: int(r[1])
                for r in conn.execute(
                    "SELECT staff_id, count(*) FROM client_assignments "
                    "WHERE store_id = ? AND staff_id IS NOT NULL GROUP BY staff_id",
                    (store_id,),
                )
            }
            moved = _overlaid(conn, store_id)
            if moved:
                for r in conn.execute(
                    "SELECT staff_id FROM client_assignments WHERE store_id = ? "
                    "AND staff_id IS NOT NULL AND shopper_id IN (SELECT value FROM json_each(?))",
                    (store_id, _ids(moved)),
                ):
                    sizes[r[0]] -= 1
                for now in moved.values():
                    if now.staff_id:
                        sizes[now.staff_id] = sizes.get(now.staff_id, 0) + 1
        return {staff: n for staff, n in sizes.items() if n > 0}

    def store_staff(self, store_id: str) -> list[wire.Associate]:
        """The associates of ``store_id`` (active or not), by name."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT data FROM associates WHERE store_id = ? ORDER BY name", (store_id,)
            ).fetchall()
        return [wire.Associate.model_validate_json(r[0]) for r in rows]

    def _assigned(
        self,
        conn: sqlite3.Connection,
        store_id: str,
        shopper_ids: list[str],
        moved: dict[str, _Now],
    ) -> dict[str, _Now]:
        """shopper id -> who looks after them at ``store_id`` (confirmed, then overlaid)."""
        found: dict[str, _Now] = {}
        rows = conn.execute(
            "SELECT a.shopper_id, a.staff_id, json_extract(a.data, '$.staff_name'), m.name "
            "FROM client_assignments a LEFT JOIN associates m ON m.id = a.staff_id "
            "WHERE a.id IN (SELECT ? || ':' || value FROM json_each(?))",
            (store_id, _ids(shopper_ids)),
        )
        for shopper_id, staff_id, staff_name, known_name in rows:
            found[shopper_id] = _Now(staff_id, staff_name or known_name or staff_id, False)
        for shopper_id in shopper_ids:
            if shopper_id in moved:
                found[shopper_id] = moved[shopper_id]
        return found


def _orders(conn: sqlite3.Connection, shopper_ids: list[str]) -> dict[str, tuple[str, int]]:
    """shopper id -> (their last order's time, what their orders add up to)."""
    marks = ",".join("?" for _ in _NOT_SPENT)
    return {
        r[0]: (r[1], int(r[2] or 0))
        for r in conn.execute(
            "SELECT shopper_id, max(created_at), sum(CASE WHEN json_extract(data, '$.status') "
            f"IN ({marks}) THEN 0 ELSE json_extract(data, '$.total_cents') END) FROM orders "
            "WHERE shopper_id IN (SELECT value FROM json_each(?)) GROUP BY shopper_id",
            (*_NOT_SPENT, _ids(shopper_ids)),
        )
    }
