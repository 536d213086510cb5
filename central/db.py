"""Central's database: SQLite for the demo and a single store, PostgreSQL for a chain.

:func:`open_db` takes a location, a file path or a ``postgresql://`` URL (``--db``), and
returns a :class:`CentralDB`; every module of central talks to that interface only:
``transaction()`` (one writer at a time, commits in ``seq`` order), ``savepoint()``,
``reading()`` (one consistent snapshot that never waits for a writer), ``all()``,
``one()``, ``execute()``, ``meta()``/``set_meta()``, ``is_empty()``, ``close()``. SQL
keeps ``?`` placeholders and portable forms; where the engines differ, ``db.dialect``
names the fragment (``central.storage.dialect``).

Why these two and psycopg: SQLite needs no server, which is right for the demo, a single
store and the tests; a chain's devices and worker processes outgrow one file and one
writer process, and PostgreSQL is the database server IT already runs and backs up.
psycopg 3 with its pool, no ORM: the SQL is hand-written and hot, so it stays visible and
runs as written. Engines: ``central.storage.sqlite`` and ``central.storage.postgres``;
their schemas: ``central.storage.migrations_sqlite`` / ``migrations_postgres``; search:
``central.search``.

Storage
-------
``entities``       the latest state of every entity (or its tombstone), keyed by
                   ``(entity, id)``; ``seq`` is reassigned on every write (SQLite: the next
                   rowid; PostgreSQL: ``nextval``), so the changes feed is this table ordered
                   by ``seq``. ``data`` is the entity's JSON as text, sent as stored.
``entity_scopes``  which store's devices receive an entity (``store_id = '*'`` for every
                   device); carries a copy of the entity's ``seq`` so a device's feed is
                   one index range scan.
search             ``shopper_fts``/``product_fts`` (FTS5) on SQLite, ``shopper_search``/
                   ``product_search`` (``tsvector``) on PostgreSQL: ``central.search``.
``devices``, ``device_commands``  enrolled devices (token as sha256) and every command
                   result, for exactly-once application, with its author (staff id,
                   session, signed in online or offline).
``signin_failures`` failed PIN counters for the lock-out, per (device, staff id).
``staff_sessions`` a session per online sign-in, bound to (device, staff id): issued
                   time and the end of its offline vouching window (``expires_at``).
``kiosk_sessions`` a kiosk's right to one shopper's projection (``central.kiosk``).
``enrollment_codes`` codes an operator issued (sha256 only), each for one store and one
                   mode, with uses left, an expiry and a revocation time.
``reservation_devices`` the device that created each reservation (who may cancel it
                   besides its store); central's own record, never in the feed.
``counters``       small named counters (order numbers).
``integration_keys`` keys of the retailer's systems (sha256 only), by name, with their
                   last use and revocation (``central.integration.keys``).
``integration_versions`` the source version (and body hash) of every record each source
                   sent, for idempotency (``central.integration.records``).
``integration_events`` what stores did, in ``seq`` order, written with the command that
                   caused it (``central.integration.events``).
"""

from __future__ import annotations

from pathlib import Path

from central.storage.base import (
    GLOBAL_SCOPE,
    CentralDB,
    DatabaseUnavailable,
    SchemaTooNew,
    database_errors,
    redact,
)
from central.storage.migrations_sqlite import MIGRATIONS as _MIGRATIONS
from central.storage.sqlite import SCHEMA_VERSION, SQLiteDB

__all__ = [
    "GLOBAL_SCOPE",
    "SCHEMA_VERSION",
    "CentralDB",
    "DB_HELP",
    "DatabaseUnavailable",
    "SchemaTooNew",
    "_MIGRATIONS",
    "database_errors",
    "display",
    "is_url",
    "location",
    "open_db",
]

URL_SCHEMES = ("postgresql://", "postgres://")
DB_HELP = "the SQLite database file, or a postgresql:// URL (PostgreSQL)"


def is_url(location: str | Path) -> bool:
    """Whether ``location`` names a PostgreSQL database (else it is a SQLite file)."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def open_db(location: str | Path) -> CentralDB:
    """The database at ``location`` (a path or a ``postgresql://`` URL), migrated to this
    code's schema. Raises :class:`DatabaseUnavailable` (PostgreSQL unreachable, or the
    psycopg extra missing) and :class:`SchemaTooNew`."""
    if is_url(location):
        try:
            from central.storage.postgres import PostgresDB
        except ImportError:
            raise DatabaseUnavailable(
                "PostgreSQL support is not installed: install central with its"
                " 'postgresql' extra (psycopg and psycopg-pool)"
            ) from None
        return PostgresDB(str(location))
    return SQLiteDB(location)


def location(value: str) -> str | Path:
    """``--db``'s value: a ``postgresql://`` URL as it is, else a file path (argparse type)."""
    return value if is_url(value) else Path(value)


def display(location: str | Path) -> str:
    """``location`` as it may be shown or logged (a URL without its password)."""
    if is_url(location):
        return redact(str(location))
    return str(location)
