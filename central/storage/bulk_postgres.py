"""Seeding a new PostgreSQL database in bulk: ``COPY``, then set-based scope statements.

``COPY … FROM STDIN`` streams the rows in PostgreSQL's own format (no statement per row, no
round trip per batch): entities, the ``tsvector`` of every shopper and product
(``central.search``), and the shoppers' books into a temporary table; the scope rows are
then built by a few ``INSERT … SELECT``, all in one transaction. ``entities_seq`` is set
past the last seeded ``seq`` so the first write continues from there, and ``ANALYZE``
gives the planner its statistics before the first device asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from central.search import product_fields, shopper_fields, tsvector_text
from central.storage.base import GLOBAL_SCOPE
from central.storage.postgres import PgConn, PostgresDB

if TYPE_CHECKING:
    from central.seed import Book

_ENTITY_COLUMNS = "entity, id, version, updated_at, deleted, data, seq, scope_all, shopper_id"


def bulk_insert(db: PostgresDB, rows: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Copy ``rows`` into the new database; returns how many entities."""
    from central.entities import STORE_ENTITIES, shopper_of
    from central.seed import Book, entity_row

    book = Book()
    seq = 0
    shoppers: list[tuple[str, str]] = []
    products: list[tuple[str, str]] = []
    with db.transaction() as conn:
        # one COPY at a time on a connection: the search rows wait in memory meanwhile
        with (
            conn.raw.cursor() as cursor,
            cursor.copy(f"COPY entities ({_ENTITY_COLUMNS}) FROM STDIN") as copy,
        ):
            for entity, data in rows:
                seq += 1
                copy.write_row(entity_row(entity, data, seq))
                book.see(entity, data, shopper_of(entity, data))
                if entity == "shopper":
                    shoppers.append((data["id"], tsvector_text(shopper_fields(data))))
                elif entity == "product":
                    products.append((data["id"], tsvector_text(product_fields(data))))
        _copy(conn, "COPY shopper_search (id, terms) FROM STDIN", shoppers)
        _copy(conn, "COPY product_search (id, terms) FROM STDIN", products)
        if seq:
            conn.execute("SELECT setval('entities_seq', ?)", (seq,))
        _build_scopes(conn, book, sorted(STORE_ENTITIES))
    with db.transaction() as conn:
        conn.execute("ANALYZE")
    return seq


def _copy(conn: PgConn, statement: str, rows: Iterable[tuple[Any, ...]]) -> None:
    with conn.raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _build_scopes(conn: PgConn, book: Book, store_entities: list[str]) -> None:
    store_of = "(data::json ->> 'store_id')"
    conn.execute(
        "INSERT INTO entity_scopes (store_id, entity, id, seq)"
        " SELECT ?, entity, id, seq FROM entities WHERE scope_all = 1",
        (GLOBAL_SCOPE,),
    )
    conn.execute(
        "INSERT INTO entity_scopes (store_id, entity, id, seq)"
        f" SELECT {store_of}, entity, id, seq FROM entities WHERE entity = ANY(?)",
        (store_entities,),
    )
    conn.execute(
        'CREATE TEMP TABLE seed_book (shopper_id TEXT COLLATE "C" NOT NULL,'
        " store_id TEXT NOT NULL) ON COMMIT DROP"
    )
    _copy(conn, "COPY seed_book FROM STDIN", book.pairs())
    conn.execute("ANALYZE seed_book")
    conn.execute(
        "INSERT INTO entity_scopes (store_id, entity, id, seq)"
        " SELECT b.store_id, e.entity, e.id, e.seq FROM seed_book b"
        " JOIN entities e ON e.shopper_id = b.shopper_id"
        " ON CONFLICT DO NOTHING"
    )
    conn.execute(
        "INSERT INTO entity_scopes (store_id, entity, id, seq)"
        " SELECT (e.data::json ->> 'store_id'), e.entity, e.id, e.seq FROM entities e"
        " JOIN entities s ON s.entity = 'store' AND s.id = (e.data::json ->> 'store_id')"
        " AND (s.data::json ->> 'kind') = 'store'"
        " WHERE e.entity = 'reservation'"
        " ON CONFLICT DO NOTHING"
    )
