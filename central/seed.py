"""Seeding a new central database with the demo store (or a scaled copy of it).

``seed_database(location, "demo")`` = ``demo_data.generate(2000)``; ``"scale:N"`` =
``generate(N)``. It runs only on a new (empty) database, in one transaction: on SQLite
with ``executemany`` in batches, on PostgreSQL with ``COPY``
(``central.storage.bulk_postgres``); scope rows are built with a few set-based statements
at the end, so 100,000 shoppers take seconds, not minutes. Seeding also issues the demo
enrollment codes of the seeded demo stores (``central.demo_data.enrollment``).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from central.clienteling.co_purchase import compute_co_purchases
from central.db import GLOBAL_SCOPE, open_db
from central.enrollment import add_demo_codes
from central.entities import GLOBAL_ENTITIES, STORE_ENTITIES, dumps, shopper_of
from central.search import product_fts_row, shopper_fts_row
from central.storage.sqlite import SQLiteDB

log = logging.getLogger("clienteling.central")

DEMO_SHOPPERS = 2000
_BATCH = 5000

Generator = Callable[[int], Iterable[tuple[str, dict[str, Any]]]]


def parse_spec(spec: str) -> int | None:
    """Number of shoppers for a seed spec; ``None`` for ``none``. Raises ``ValueError``."""
    if spec == "none":
        return None
    if spec == "demo":
        return DEMO_SHOPPERS
    if spec.startswith("scale:"):
        try:
            n = int(spec.removeprefix("scale:"))
        except ValueError:
            raise ValueError(f"bad seed spec {spec!r}: scale:N needs a number") from None
        if n < 1 or n > 5_000_000:
            raise ValueError(f"bad seed spec {spec!r}: N must be 1..5000000")
        return n
    raise ValueError(f"bad seed spec {spec!r}: use demo, scale:N or none")


def _default_generator(shoppers: int) -> Iterator[tuple[str, dict[str, Any]]]:
    from central import demo_data

    yield from demo_data.generate(shoppers)


def seed_database(location: Path | str, spec: str, *, generator: Generator | None = None) -> bool:
    """Create and seed the database at ``location`` (a path or a ``postgresql://`` URL)
    when it is new. Returns whether it did.

    ``generator`` replaces ``central.demo_data.generate`` (tests only).
    """
    shoppers = parse_spec(spec)
    db = open_db(location)
    try:
        if db.meta("epoch") is None:
            db.set_meta("epoch", uuid.uuid4().hex[:12])
        if shoppers is None or not db.is_empty():
            return False
        started = time.perf_counter()
        gen = generator or _default_generator
        if isinstance(db, SQLiteDB):
            count = _bulk_insert(db, gen(shoppers))
        else:
            from central.storage.bulk_postgres import bulk_insert
            from central.storage.postgres import PostgresDB

            assert isinstance(db, PostgresDB)
            count = bulk_insert(db, gen(shoppers))
        with db.transaction() as conn:
            kind = db.dialect.json_text("data", "kind")
            stores = {
                str(row[0])
                for row in conn.execute(
                    f"SELECT id FROM entities WHERE entity = 'store' AND {kind} = 'store'"
                )
            }
            codes = add_demo_codes(conn, stores)
        compute_co_purchases(db)  # "often bought together" from the seeded orders
        log.info(
            "seeded %d entities (%d shoppers, spec %s) and %d demo enrollment codes in %.1f s",
            count,
            shoppers,
            spec,
            codes,
            time.perf_counter() - started,
        )
        return True
    finally:
        db.close()


class Book:
    """Which stores' books each shopper is in, as the rows go by (the seeded stores'
    ``kind`` learnt from the store rows, which come first)."""

    def __init__(self) -> None:
        self.store_kinds: dict[str, str] = {}
        self.shopper_stores: dict[str, set[str]] = {}

    def add(self, shopper_id: str | None, store_id: Any) -> None:
        if shopper_id and self.store_kinds.get(store_id) == "store":
            self.shopper_stores.setdefault(shopper_id, set()).add(str(store_id))

    def see(self, entity: str, data: dict[str, Any], shopper_id: str | None) -> None:
        if entity == "store":
            self.store_kinds[str(data["id"])] = str(data["kind"])
        elif entity == "shopper":
            self.add(shopper_id, data.get("home_store_id"))
            self.add(shopper_id, data.get("last_visit_store_id"))
        elif entity == "reservation" or (entity == "order" and data.get("channel") == "store"):
            self.add(shopper_id, data.get("store_id"))

    def pairs(self) -> Iterator[tuple[str, str]]:
        return ((sh, st) for sh, stores in self.shopper_stores.items() for st in stores)


def entity_row(entity: str, data: dict[str, Any], seq: int) -> tuple[Any, ...]:
    """A row of ``entities`` as seeding writes it: ``(entity, id, version, updated_at,
    deleted, data, seq, scope_all, shopper_id)``."""
    return (
        entity,
        data["id"],
        data.get("version", 1),
        data["updated_at"],
        0,
        dumps(data),
        seq,
        int(entity in GLOBAL_ENTITIES),
        shopper_of(entity, data),
    )


def _bulk_insert(db: SQLiteDB, rows: Iterable[tuple[str, dict[str, Any]]]) -> int:
    conn = db.conn
    conn.execute("PRAGMA synchronous = OFF")
    book = Book()
    batch: list[tuple[Any, ...]] = []
    shopper_fts: list[tuple[Any, ...]] = []
    product_fts: list[tuple[Any, ...]] = []
    seq = 0

    def flush() -> None:
        conn.executemany(
            "INSERT INTO entities (entity, id, version, updated_at, deleted, data, seq,"
            " scope_all, shopper_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch,
        )
        conn.executemany(
            "INSERT INTO shopper_fts (id, first_name, last_name, email, phone, loyalty_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            shopper_fts,
        )
        conn.executemany(
            "INSERT INTO product_fts (id, sku, name, brand, category, subcategory, colour,"
            " barcode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            product_fts,
        )
        batch.clear()
        shopper_fts.clear()
        product_fts.clear()

    with db.transaction():
        for entity, data in rows:
            seq += 1
            batch.append(entity_row(entity, data, seq))
            book.see(entity, data, shopper_of(entity, data))
            if entity == "shopper":
                shopper_fts.append(shopper_fts_row(data))
            elif entity == "product":
                product_fts.append(product_fts_row(data))
            if len(batch) >= _BATCH:
                flush()
        flush()
        _build_scopes(db, book)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA analysis_limit = 1000")  # approximate statistics are enough
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return seq


def _build_scopes(db: SQLiteDB, book: Book) -> None:
    conn = db.conn
    conn.execute(
        "INSERT INTO entity_scopes (store_id, entity, id, seq)"
        " SELECT ?, entity, id, seq FROM entities WHERE scope_all = 1",
        (GLOBAL_SCOPE,),
    )
    placeholders = ", ".join("?" for _ in STORE_ENTITIES)
    conn.execute(
        "INSERT INTO entity_scopes (store_id, entity, id, seq)"
        " SELECT json_extract(data, '$.store_id'), entity, id, seq FROM entities"
        f" WHERE entity IN ({placeholders})",
        tuple(sorted(STORE_ENTITIES)),
    )
    conn.execute("CREATE TEMP TABLE seed_book (shopper_id TEXT NOT NULL, store_id TEXT NOT NULL)")
    conn.executemany("INSERT INTO seed_book (shopper_id, store_id) VALUES (?, ?)", book.pairs())
    conn.execute("CREATE INDEX temp.seed_book_shopper ON seed_book (shopper_id)")
    conn.execute(
        "INSERT OR IGNORE INTO entity_scopes (store_id, entity, id, seq)"
        " SELECT b.store_id, e.entity, e.id, e.seq FROM seed_book b"
        " JOIN entities e ON e.shopper_id = b.shopper_id"
    )
    conn.execute(
        "INSERT OR IGNORE INTO entity_scopes (store_id, entity, id, seq)"
        " SELECT json_extract(e.data, '$.store_id'), e.entity, e.id, e.seq FROM entities e"
        " JOIN entities s ON s.entity = 'store' AND s.id = json_extract(e.data, '$.store_id')"
        " AND json_extract(s.data, '$.kind') = 'store'"
        " WHERE e.entity = 'reservation'"
    )
    conn.execute("DROP TABLE temp.seed_book")
