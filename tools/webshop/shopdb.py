"""The web shop's own database: master data, the shop's records, its outbox and cursor.

* ``master``: products, promotions, stores and shopper accounts (read-only here), seeded
  from ``central.demo_data`` on first start, the retailer's shared master data;
* ``records``: what the shop itself owns (carts, wishlist items, web orders, support
  requests, product views), each with the shop's own ``version`` of it;
* ``outbox``: changes not yet accepted by central, sent in order by ``tools.webshop.link``;
* ``in_store``: orders and reservations that stores made for the shop's shoppers, as the
  events feed told them; ``meta``: the events cursor.

One connection behind a lock (the web app serves requests from a thread pool).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from central import demo_data

Row = dict[str, Any]

SCHEMA = """
CREATE TABLE IF NOT EXISTS master (
    entity TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (entity, id));
CREATE TABLE IF NOT EXISTS records (
    entity TEXT NOT NULL, id TEXT NOT NULL, shopper_id TEXT NOT NULL,
    version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
    PRIMARY KEY (entity, id));
CREATE INDEX IF NOT EXISTS records_shopper ON records (shopper_id, entity);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, id TEXT NOT NULL,
    version INTEGER NOT NULL, deleted INTEGER NOT NULL, data TEXT NOT NULL,
    problem TEXT);
CREATE TABLE IF NOT EXISTS in_store (
    entity TEXT NOT NULL, id TEXT NOT NULL, shopper_id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (entity, id));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

MASTER = ("store", "product", "promotion", "shopper")
"""Master data the shop takes from the retailer's shared demo data."""

OWN = ("cart", "wishlist_item", "order")
"""The shop's own history in the demo data: what came from the web channel, and every
online cart (a shopper has one, ``cart-SHOPPER``, shared by the web shop and the app)."""


CENTRAL_OWNED = ("version", "updated_at")
"""Fields central stamps on every record it accepts; the shop never sends them."""


def _wire_body(data: Row) -> Row:
    return {k: v for k, v in data.items() if k not in CENTRAL_OWNED}


class ShopDB:
    """The shop's SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(SCHEMA)
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- seeding ----------------------------------------------------------------------------

    def seed_if_empty(self, shoppers: int = 2000) -> bool:
        """Take the master data and the web channel's history from ``central.demo_data``
        (the generator central's ``--seed demo`` runs, so every id agrees). Returns whether
        it seeded."""
        if self.get_meta("seeded"):
            return False
        with self.transaction() as conn:
            for entity, data in demo_data.generate(shoppers):
                if entity in MASTER:
                    conn.execute(
                        "INSERT OR REPLACE INTO master VALUES (?, ?, ?)",
                        (entity, data["id"], json.dumps(data)),
                    )
                elif entity in OWN and (entity == "cart" or data.get("channel") == "web"):
                    # central has these from its own seed: the shop's version 0, not sent
                    conn.execute(
                        "INSERT OR REPLACE INTO records VALUES (?, ?, ?, 0, 0, ?)",
                        (entity, data["id"], data["shopper_id"], json.dumps(data)),
                    )
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', '1')")
        return True

    # -- reading ----------------------------------------------------------------------------

    def master(self, entity: str) -> list[Row]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT data FROM master WHERE entity = ? ORDER BY id", (entity,)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def master_one(self, entity: str, id_: str) -> Row | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM master WHERE entity = ? AND id = ?", (entity, id_)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def records(self, entity: str, shopper_id: str) -> list[Row]:
        """The shopper's live records of ``entity``, newest change last."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT data FROM records WHERE entity = ? AND shopper_id = ? AND deleted = 0"
                " ORDER BY rowid",
                (entity, shopper_id),
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def record_version(self, entity: str, id_: str) -> int:
        with self._lock:
            row = self._conn.execute(
                "SELECT version FROM records WHERE entity = ? AND id = ?", (entity, id_)
            ).fetchone()
        return int(row[0]) if row else 0

    def in_store(self, entity: str, shopper_id: str) -> list[Row]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT data FROM in_store WHERE entity = ? AND shopper_id = ?",
                (entity, shopper_id),
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def count(self, sql: str, *args: object) -> int:
        with self._lock:
            return int(self._conn.execute(sql, args).fetchone()[0])

    # -- writing ----------------------------------------------------------------------------

    def change(self, entity: str, data: Row, *, deleted: bool = False) -> int:
        """Write one of the shop's records and queue it for central in one transaction:
        its version goes up by one. Returns the new version."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT version FROM records WHERE entity = ? AND id = ?", (entity, data["id"])
            ).fetchone()
            version = (int(row[0]) if row else 0) + 1
            body = json.dumps(data)
            conn.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                (entity, data["id"], data["shopper_id"], version, int(deleted), body),
            )
            conn.execute(
                "INSERT INTO outbox (entity, id, version, deleted, data) VALUES (?, ?, ?, ?, ?)",
                (entity, data["id"], version, int(deleted), body),
            )
        return version

    def pending(self, limit: int = 200) -> list[tuple[int, Row]]:
        """Outbox rows central has not accepted yet (problems left aside), oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, entity, id, version, deleted, data FROM outbox"
                " WHERE problem IS NULL ORDER BY seq LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            (
                int(seq),
                {
                    "entity": entity,
                    "id": id_,
                    "version": int(version),
                    "deleted": bool(deleted),
                    "data": None if deleted else _wire_body(json.loads(data)),
                },
            )
            for seq, entity, id_, version, deleted, data in rows
        ]

    def settle(self, done: list[int], problems: dict[int, str]) -> None:
        with self.transaction() as conn:
            conn.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in done])
            conn.executemany(
                "UPDATE outbox SET problem = ? WHERE seq = ?",
                [(p, s) for s, p in problems.items()],
            )

    def take_events(self, rows: list[tuple[str, Row, bool]], cursor: str) -> None:
        """Keep what the events feed said about the shop's shoppers (entity, its data, and
        whether the event removed it), with the new cursor."""
        with self.transaction() as conn:
            for entity, data, removed in rows:
                if entity == "wishlist_item":  # a store added or removed a wishlist item
                    conn.execute(
                        "INSERT INTO records VALUES ('wishlist_item', ?, ?, 0, ?, ?) ON CONFLICT"
                        " (entity, id) DO UPDATE SET deleted = excluded.deleted,"
                        " data = excluded.data",
                        (data["id"], data["shopper_id"], int(removed), json.dumps(data)),
                    )
                    continue
                if entity == "cart":  # a store edited the online cart: the shop's copy follows
                    conn.execute(
                        "INSERT INTO records VALUES ('cart', ?, ?, 0, 0, ?) ON CONFLICT"
                        " (entity, id) DO UPDATE SET data = excluded.data",
                        (data["id"], data["shopper_id"], json.dumps(data)),
                    )
                    continue
                conn.execute(
                    "INSERT OR REPLACE INTO in_store VALUES (?, ?, ?, ?)",
                    (entity, data["id"], data["shopper_id"], json.dumps(data)),
                )
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('events_cursor', ?)", (cursor,))
