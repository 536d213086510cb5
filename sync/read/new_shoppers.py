"""Shoppers signed up on this device and shoppers merged into another: what every read
of a shopper goes through (:func:`shopper_record`) so that

* a shopper whose ``create_shopper`` is still active shows at once (search finds them and
  their profile opens, with no loyalty number) until central's record is pulled;
* a record a manager merged into another (``Shopper.merged_into``) is never listed again
  and opening it opens the record it was merged into, on every device, as soon as the
  pull brings the merge (central moved its orders, notes, carts... to that record);
* the manager's ``duplicate_shopper`` task shows both records side by side
  (:meth:`NewShopperReads.duplicate_pair`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from sync import fts, overlay, wire
from sync.commands.effects import NewShopper
from sync.read.base import CacheBase
from sync.records import ShopperHit

TABLE = "shoppers"
MAX_HOPS = 5  # a merged record merged again: follow a short chain, never loop


def _confirmed(conn: sqlite3.Connection, shopper_id: str) -> wire.Shopper | None:
    row = conn.execute("SELECT data FROM shoppers WHERE id = ?", (shopper_id,)).fetchone()
    return wire.Shopper.model_validate_json(row[0]) if row else None


def signed_up_here(conn: sqlite3.Connection) -> list[wire.Shopper]:
    """Shoppers whose sign-up on this device is active and not pulled yet, newest first."""
    actives = overlay.for_table(conn, TABLE)
    if not actives:
        return []
    created = overlay.Overlay(conn, actives).created(TABLE, NewShopper)
    return [row.shopper for _, row in reversed(created)]


def shopper_record(conn: sqlite3.Connection, shopper_id: str) -> wire.Shopper | None:
    """The shopper as every read shows them: central's record (the one it was merged into,
    when merged), else the sign-up still waiting on this device; None when unknown."""
    current = _confirmed(conn, shopper_id)
    hops = 0
    while current is not None and current.merged_into and hops < MAX_HOPS:
        kept = _confirmed(conn, current.merged_into)
        if kept is None:
            break  # the record it went into is not here yet: show what we have
        current, hops = kept, hops + 1
    if current is not None:
        return current
    return next((s for s in signed_up_here(conn) if s.id == shopper_id), None)


def merged_away(conn: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """Of ``ids``, the records merged into another (never listed in search)."""
    wanted = list(ids)
    if not wanted:
        return set()
    marks = ",".join("?" for _ in wanted)
    rows = conn.execute(
        f"SELECT id FROM shoppers WHERE id IN ({marks}) "
        "AND json_extract(data, '$.merged_into') IS NOT NULL",
        wanted,
    )
    return {r[0] for r in rows}


def _matches(s: wire.Shopper, text: str) -> bool:
    words = [w.casefold() for w in text.split() if w]
    if not words:
        return False
    local = fts.phone_local(text) if fts.looks_like_phone(text) else ""
    if local and len(local) >= 6 and fts.phone_local(s.phone).startswith(local):
        return True
    fields = [s.first_name.casefold(), s.last_name.casefold(), s.email.casefold()]
    return all(any(f.startswith(w) for f in fields) for w in words)


def pending_hits(
    conn: sqlite3.Connection, text: str, stores: dict[str, wire.Store]
) -> list[ShopperHit]:
    """Search results among the shoppers signed up here and not pulled yet."""
    hits = []
    for s in signed_up_here(conn):
        if _matches(s, text):
            home = stores.get(s.home_store_id)
            hits.append(
                ShopperHit(
                    id=s.id,
                    name=f"{s.first_name} {s.last_name}",
                    tier=s.tier,
                    points=s.points,
                    email=s.email,
                    phone=s.phone,
                    loyalty_id=s.loyalty_id,
                    home_store_id=s.home_store_id,
                    home_store_name=home.name if home else s.home_store_id,
                    last_visit_at=None,
                    match="name",
                )
            )
    return hits


class NewShopperReads(CacheBase):
    def duplicate_pair(self, task_id: str) -> tuple[wire.Shopper, wire.Shopper] | None:
        """A ``duplicate_shopper`` task's two records: (the new sign-up, the shopper it may
        be), as central sent them (not followed through a merge); None when either is not
        on this tablet or the task is of another kind."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM tasks WHERE id = ?", (task_id,)).fetchone()
            if row is None:
                return None
            task = json.loads(row[0])
            new_id, known_id = task.get("shopper_id"), task.get("duplicate_of")
            if not new_id or not known_id:
                return None
            new, known = _confirmed(conn, new_id), _confirmed(conn, known_id)
        if new is None or known is None:
            return None
        return new, known

    def forget_typed_contacts(self) -> int:
        """A kiosk keeps nothing a shopper typed once it is of no more use: the last name,
        email and phone in the args of its commands that central has answered (applied
        and pulled since, or refused) are blanked; the first name, which the kiosk
        shows, stays. Returns how many commands were blanked."""
        with self.db.write() as conn:
            cur = conn.execute(
                "UPDATE outbox SET args = json_set(args, '$.last_name', '-', '$.email', '', "
                "'$.phone', '') WHERE ((state = 'applied' AND settled = 1) "
                "OR state IN ('rejected', 'dismissed')) "
                "AND (json_extract(args, '$.email') NOT IN ('') "
                "OR json_extract(args, '$.phone') NOT IN ('') "
                "OR json_extract(args, '$.last_name') NOT IN ('-'))"
            )
            return int(cur.rowcount)

    def is_signed_up_here(self, shopper_id: str) -> bool:
        """The shopper's sign-up on this device has not been accepted and pulled yet."""
        with self.db.read() as conn:
            return _confirmed(conn, shopper_id) is None and any(
                s.id == shopper_id for s in signed_up_here(conn)
            )
