"""Shoppers: search, recently viewed, one shopper, and forgetting those fetched on demand."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Literal

from sync import fts, wire
from sync.read import new_shoppers
from sync.read.base import CacheBase, chunks
from sync.records import ShopperHit

log = logging.getLogger("clienteling.sync.store")

SHOPPER_TABLES = (
    "carts",
    "wishlist_items",
    "orders",
    "reservations",
    "notes",
    "support_contacts",
    "product_views",
    "client_assignments",
)
"""The cache's tables of a shopper's own rows (by ``shopper_id``)."""

MatchKind = Literal["loyalty", "phone", "email", "name", "text"]

RECENT_KEEP = 50


def _shopper_rows(conn: sqlite3.Connection, ids: list[str]) -> dict[str, sqlite3.Row]:
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    return {
        r["id"]: r
        for r in conn.execute(
            "SELECT id, first_name, last_name, tier, points, data, loyalty_id, home_store_id, "
            f"last_visit_at FROM shoppers WHERE id IN ({marks})",
            ids,
        )
    }


def _hit(row: sqlite3.Row, kind: MatchKind, stores: dict[str, wire.Store]) -> ShopperHit:
    data = json.loads(row["data"])
    home = stores.get(row["home_store_id"])
    return ShopperHit(
        id=row["id"],
        name=f"{row['first_name']} {row['last_name']}",
        tier=row["tier"],
        points=row["points"],
        email=data["email"],
        phone=data["phone"],
        loyalty_id=row["loyalty_id"],
        home_store_id=row["home_store_id"],
        home_store_name=home.name if home else row["home_store_id"],
        last_visit_at=row["last_visit_at"],
        match=kind,
    )


class ShopperReads(CacheBase):
    def has_shopper(self, shopper_id: str) -> bool:
        """The shopper is on this device (signed up here and not pulled yet counts)."""
        with self.db.read() as conn:
            return new_shoppers.shopper_record(conn, shopper_id) is not None

    def shopper(self, shopper_id: str) -> wire.Shopper | None:
        """The shopper (the one they were merged into; or signed up here, not pulled yet)."""
        with self.db.read() as conn:
            return new_shoppers.shopper_record(conn, shopper_id)

    def wishlist_item(self, item_id: str) -> wire.WishlistItem | None:
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT data FROM wishlist_items WHERE id = ?", (item_id,)
            ).fetchone()
        return wire.WishlistItem.model_validate_json(row[0]) if row else None

    def search_shoppers(self, text: str, limit: int = 25) -> list[ShopperHit]:
        """Shoppers matching what a person typed, best first.

        Exact loyalty number, phone (any of +353 / 00353 / 0 / no prefix) or email first,
        then name prefix ("first", "last", "first last", "last first"), then any word
        prefix over name, email, phone and loyalty number. Never raises on odd input.
        """
        text = fts.clean((text or "")[: fts.MAX_INPUT]).strip()
        limit = max(1, min(int(limit), 200))
        if not text:
            return []
        found: dict[str, MatchKind] = {}
        stores = self._stores()

        def take(kind: MatchKind, sql: str, params: Sequence[Any]) -> None:
            if len(found) >= limit:
                return
            for row in conn.execute(sql, (*params, limit + len(found))):
                if row[0] not in found:
                    found[row[0]] = kind
                    if len(found) >= limit:
                        return

        with self.db.read() as conn:
            only_digits = fts.digits(text)
            phoneish = fts.looks_like_phone(text)
            if phoneish and len(only_digits) == 12 and only_digits == text.replace(" ", ""):
                take(
                    "loyalty",
                    "SELECT id FROM shoppers WHERE loyalty_id = ? LIMIT ?",
                    (only_digits,),
                )
            if phoneish:
                local = fts.phone_local(text)
                if len(local) >= 6:
                    take("phone", "SELECT id FROM shoppers WHERE phone_local = ? LIMIT ?", (local,))
            if "@" in text:
                take(
                    "email", "SELECT id FROM shoppers WHERE email_l = ? LIMIT ?", (text.casefold(),)
                )
            key = fts.query_name_key(text)
            if key and not phoneish:
                end = key + "\U0010ffff"
                take(
                    "name",
                    "SELECT id FROM shoppers WHERE name_key >= ? AND name_key < ? "
                    "ORDER BY name_key LIMIT ?",
                    (key, end),
                )
                take(
                    "name",
                    "SELECT id FROM shoppers WHERE last_key >= ? AND last_key < ? "
                    "ORDER BY last_key LIMIT ?",
                    (key, end),
                )
            if phoneish and only_digits:
                query: str | None = fts.digits_query(only_digits)
            else:
                query = fts.prefix_query(text)
            if query:
                take(
                    "text",
                    "SELECT s.id FROM shoppers_fts f JOIN shoppers s ON s.rid = f.rowid "
                    "WHERE shoppers_fts MATCH ? LIMIT ?",
                    (query,),
                )
            rows = _shopper_rows(conn, list(found))
            gone = new_shoppers.merged_away(conn, found)
            signed_up = new_shoppers.pending_hits(conn, text, stores)
        return signed_up + [
            _hit(rows[sid], found[sid], stores) for sid in found if sid in rows and sid not in gone
        ]

    def recent_shoppers(self, limit: int = 8) -> list[ShopperHit]:
        with self.db.read() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT shopper_id FROM recent_shoppers ORDER BY rowid DESC LIMIT ?", (limit,)
                )
            ]
            rows = _shopper_rows(conn, ids)
        stores = self._stores()
        return [_hit(rows[i], "name", stores) for i in ids if i in rows]

    def mark_viewed(self, shopper_id: str) -> None:
        with self.db.write() as conn:
            # Re-inserting gives the row the highest rowid: rowid order is recency order.
            conn.execute("DELETE FROM recent_shoppers WHERE shopper_id = ?", (shopper_id,))
            conn.execute(
                "INSERT INTO recent_shoppers (shopper_id, viewed_at) VALUES (?, ?)",
                (shopper_id, self.now()),
            )
            conn.execute(
                "DELETE FROM recent_shoppers WHERE rowid NOT IN (SELECT rowid FROM "
                "recent_shoppers ORDER BY rowid DESC LIMIT ?)",
                (RECENT_KEEP,),
            )

    def purge_fetched(self, days: int) -> int:
        """Forget shoppers fetched on demand (outside the store's book) that nobody opened
        on this device for ``days`` days, with their carts, orders, ... Shoppers with a
        command still waiting are kept. Returns how many shoppers were removed."""
        cutoff = (wire.parse_ts(self.now()) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self.db.write() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT s.id FROM shoppers s LEFT JOIN recent_shoppers r ON r.shopper_id = s.id "
                    "WHERE s.fetched = 1 AND coalesce(r.viewed_at, s.refreshed_at) < ? "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.shopper_id = s.id "
                    "AND o.state = 'pending')",
                    (cutoff,),
                )
            ]
            for chunk, marks in chunks(ids):
                for table in SHOPPER_TABLES:
                    conn.execute(f"DELETE FROM {table} WHERE shopper_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM recent_shoppers WHERE shopper_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM shoppers WHERE id IN ({marks})", chunk)
        if ids:
            log.info(
                "purged %d shopper(s) fetched on demand and not opened for %d days", len(ids), days
            )
        return len(ids)

    def forget_all_shoppers(self) -> int:
        """A kiosk holds no shopper records (see ``central.kiosk``): remove any this cache
        holds (written by an app from before, or sent by an older central) with every
        shopper's carts, orders, notes, the staff list, and the names in queued commands'
        summaries, overwriting the freed bytes (``secure_delete``) and emptying the WAL.
        Returns how many shoppers were removed; one cheap read when there is nothing."""
        tables = (*SHOPPER_TABLES, "recent_shoppers")
        with self.db.read() as conn:
            held = conn.execute(
                "SELECT (SELECT count(*) FROM shoppers) + (SELECT count(*) FROM associates)"
                + "".join(f" + (SELECT count(*) FROM {t})" for t in tables)
            ).fetchone()[0]
            shoppers = conn.execute("SELECT count(*) FROM shoppers").fetchone()[0]
        if not held:
            return 0
        with self.db.write() as conn:
            conn.execute("PRAGMA secure_delete=ON")
            for table in (*tables, "shoppers", "associates"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("INSERT INTO shoppers_fts(shoppers_fts) VALUES ('delete-all')")
            conn.execute("UPDATE outbox SET summary = name WHERE shopper_id IS NOT NULL")
        self.db.checkpoint()
        log.info("kiosk: removed %d shopper record(s) a kiosk must not hold", shoppers)
        return int(shoppers)
