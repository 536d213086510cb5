"""The first sync of an empty cache: many pages a transaction, indexes and FTS built once.

Keeping every secondary index and both FTS indexes in step row by row costs several
times what inserting the rows costs. While a cache has never finished its first sync
(and has no cursor yet, or is already loading this way), the pull:

* sets the entity tables' secondary indexes and triggers aside (:func:`apply_pages`, in
  the first batch's transaction): their SQL is kept in ``meta`` under :data:`DEFERRED`,
  so a restart after a kill knows the load is under way and what to rebuild;
* applies pages in batches of about :data:`BATCH_ROWS` changes, one transaction each,
  with the cursor of the batch's last page (:func:`sync.apply.apply_page`, same version
  and tombstone rules): a kill loses at most the batch in flight, pulled again;
* at the end (:func:`finish`), in one durable transaction, creates the indexes and
  triggers again from the kept SQL and fills each FTS index with one ``rebuild`` from
  its content table.

Until :func:`finish` has run, ``INITIAL_SYNC_DONE`` is not set, so the cache never
passes for complete while its indexes are set aside.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence

from sync import meta
from sync.apply import apply_page
from sync.db import Database
from sync.pages import ReadPage
from sync.schema import DERIVED_REFILL, ENTITY_TABLES, STAMP
from sync.store import Cache

log = logging.getLogger("clienteling.sync.bulk")

DEFERRED = "bulk_deferred"
"""Meta key: the SQL of the indexes and triggers set aside while a first sync loads."""

BATCH_ROWS = 5_000
"""Changes applied per transaction while loading (a kill costs at most this many). Small
enough that a batch in memory keeps garbage collection pauses short on the UI thread."""


def wanted(cache: Cache) -> bool:
    """Whether the next pull loads in bulk: an unfinished first sync that has either not
    started (no cursor) or started in bulk."""
    with cache.db.read() as conn:
        if meta.get(conn, meta.INITIAL_SYNC_DONE, False):
            return False
        return meta.get(conn, DEFERRED) is not None or meta.get(conn, meta.CURSOR) is None


def drop_deferrable(conn: sqlite3.Connection) -> list[str]:
    """Drop the entity tables' secondary indexes and triggers; returns their SQL."""
    tables = [spec.table for spec in ENTITY_TABLES.values()]
    marks = ", ".join("?" for _ in tables)
    found = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY type, name",
        tables,
    ).fetchall()
    for kind, name, _ in found:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    return [str(sql) for _, _, sql in found]


def _set_aside(conn: sqlite3.Connection) -> None:
    if meta.get(conn, DEFERRED) is not None:
        return  # a load that a kill interrupted: already set aside
    found = drop_deferrable(conn)
    meta.put(conn, DEFERRED, found)
    log.info("first sync: loading in bulk (%d indexes and triggers set aside)", len(found))


def apply_pages(db: Database, pages: Sequence[ReadPage], *, now: str | None = None) -> int:
    """Apply validated pages (with their texts) in one transaction; returns the changes."""
    with db.write(durable=False) as conn:
        _set_aside(conn)
        for read in pages:
            apply_page(db, read.page, now=now, texts=read.texts)
        stamp_all(conn)
    return sum(len(read.page.changes) for read in pages)


def stamp_all(conn: sqlite3.Connection) -> None:
    """A new stamp for every table (``schema._v12``): the batch wrote with the triggers
    that stamp each write set aside, so no count remembered before it may hold after."""
    conn.execute(f"UPDATE table_stamps SET stamp = {STAMP}")


def _fts_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name"
        )
    ]


def rebuild(conn: sqlite3.Connection, deferred: list[str]) -> None:
    """Create the dropped indexes and triggers again, then fill every FTS index and every
    table the triggers keep (``schema.DERIVED_REFILL``: a shopper's important dates)."""
    for sql in deferred:
        conn.execute(sql)
    for fts in _fts_tables(conn):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    for sql in DERIVED_REFILL:
        conn.execute(sql)


def finish(db: Database) -> None:
    """Build the indexes, triggers and FTS indexes set aside (one durable transaction)."""
    with db.write() as conn:
        deferred = meta.get(conn, DEFERRED)
        if deferred is None:
            return
        rebuild(conn, deferred)
        stamp_all(conn)
        meta.delete(conn, DEFERRED)
    log.info("first sync: indexes and search built")
