"""Central on PostgreSQL: for a chain (many stores, many devices, several worker processes).

psycopg 3 and its pool, no ORM: central's SQL is hand-written and on hot paths (the feed,
commands, seeding), so it stays visible at its call site and runs as written; the few
places where the engines differ are named fragments of :mod:`central.storage.dialect`.
A statement keeps SQLite's ``?`` placeholders and is translated once for psycopg.

Guarantees, the same as SQLite's single writer gives:

* **Commits in ``seq`` order.** Every write transaction first takes
  ``pg_advisory_xact_lock(WRITE_LOCK)`` (every process, every worker), and ``seq`` comes
  from ``nextval('entities_seq')`` inside it. A transaction that took a smaller ``seq``
  has committed before a larger one is taken, so a device's cursor can never pass a row
  that commits later with a smaller ``seq``.
* **Exactly once.** Command results keep their unique ``(device_id, command_id)`` and
  ``(device_id, number)``; applying a batch locks the device's row (``SELECT … FOR
  UPDATE``) and stock is read with ``FOR UPDATE`` before it changes.
* **Reads never wait on a Python lock.** :meth:`PostgresDB.reading` is a ``REPEATABLE READ
  READ ONLY`` transaction on a pooled connection; :meth:`PostgresDB.all` and
  :meth:`PostgresDB.one` run in autocommit on one. Inside this thread's own write
  transaction, reads see its uncommitted writes.

Migrations: ``central.storage.migrations_postgres``, each in a transaction, under an
advisory lock so two processes starting together migrate once; a database newer than
this code is refused (:class:`SchemaTooNew`). Central takes no copy before a migration on
PostgreSQL: backups of a server database are IT's job (``pg_dump`` or the server's own
base backups and WAL archiving).

A URL is shown to people and logs only without its password (:func:`redact`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from central.storage.base import (
    CentralDB,
    DatabaseUnavailable,
    SchemaTooNew,
    redact,
)
from central.storage.dialect import POSTGRESQL, to_psycopg
from central.storage.migrations_postgres import MIGRATIONS

log = logging.getLogger("clienteling.central")

WRITE_LOCK = 0x43_6C_69_65_6E_74  # "Client": the advisory lock every write transaction takes
MIGRATE_LOCK = WRITE_LOCK + 1
CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_MS = 10_000
"""How long a writer waits for the write lock (or a row lock) before it fails, as SQLite's
busy timeout: a stuck transaction turns into errors a device retries, not a pile-up."""


def connect(url: str) -> psycopg.Connection[Any]:
    """One autocommit connection; :class:`DatabaseUnavailable` (one line, no password)
    when the server cannot be reached or refuses us."""
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise DatabaseUnavailable(
            f"cannot reach the PostgreSQL database {redact(url)}: {reason}"
        ) from None


def schema_version_of(url: str) -> int:
    """The central schema version of the database at ``url`` (0: none, nothing created)."""
    with connect(url) as conn:
        found = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return 0
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0


class PgConn:
    """A psycopg connection that takes central's ``?`` statements (the :class:`Conn` of
    ``central.storage.dialect``)."""

    __slots__ = ("raw",)

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> psycopg.Cursor[Any]:
        return self.raw.execute(to_psycopg(sql), tuple(parameters))

    def executemany(
        self, sql: str, seq_of_parameters: Iterable[Sequence[Any]], /
    ) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        cursor.executemany(to_psycopg(sql), seq_of_parameters)
        return cursor


class PostgresDB(CentralDB):
    """A pool of connections to one PostgreSQL database; per thread, the connection of its
    write transaction or read snapshot, if any."""

    dialect = POSTGRESQL

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self.url = url
        self.location = redact(url)
        self._local = threading.local()
        self._version = self._migrate()
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={
                "autocommit": True,
                "connect_timeout": CONNECT_TIMEOUT_S,
                "options": f"-c lock_timeout={LOCK_TIMEOUT_MS}",
            },
            open=False,
            name="central",
        )
        self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)

    # -- schema ---------------------------------------------------------------------------

    @property
    def user_version(self) -> int:
        return self._version

    def _migrate(self) -> int:
        from central.storage.sqlite import SCHEMA_VERSION

        if MIGRATIONS[-1][0] != SCHEMA_VERSION:  # a migration was added on one side only
            raise RuntimeError(
                f"PostgreSQL migrations reach schema {MIGRATIONS[-1][0]}, SQLite's {SCHEMA_VERSION}"
            )
        with connect(self.url) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
            if current > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"database schema {current} is newer than this server ({SCHEMA_VERSION})"
                )
            for version, script in MIGRATIONS:
                if version <= current:
                    continue
                log.info("migrating central database to schema %d", version)
                with conn.transaction():
                    conn.execute(script.encode())
                    conn.execute("DELETE FROM schema_version")
                    conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
                current = version
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))
        return current

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[PgConn]:
        """``BEGIN`` and the write lock .. ``COMMIT``; nested calls join the outer one."""
        local = self._local
        joined: PgConn | None = getattr(local, "writer", None)
        if joined is not None:
            yield joined
            return
        raw = self._pool.getconn()
        conn = PgConn(raw)
        try:
            raw.execute("BEGIN")
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            local.writer = conn
            try:
                yield conn
            except BaseException:
                local.writer = None
                raw.execute("ROLLBACK")
                raise
            local.writer = None
            raw.execute("COMMIT")
        finally:
            local.writer = None
            self._pool.putconn(raw)

    def _savepoint_conn(self) -> PgConn:
        conn: PgConn | None = getattr(self._local, "writer", None)
        if conn is None:
            raise RuntimeError("a savepoint needs this thread's transaction")
        return conn

    # -- reads ----------------------------------------------------------------------------

    def _current(self) -> PgConn | None:
        """This thread's transaction or snapshot, if it is inside one."""
        local = self._local
        found: PgConn | None = getattr(local, "writer", None) or getattr(local, "reader", None)
        return found

    @contextmanager
    def reading(self) -> Iterator[PgConn]:
        current = self._current()
        if current is not None:
            yield current
            return
        raw = self._pool.getconn()
        try:
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._local.reader = conn = PgConn(raw)
            try:
                yield conn
            finally:
                self._local.reader = None
                raw.execute("COMMIT")
        finally:
            self._pool.putconn(raw)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        current = self._current()
        if current is not None:
            return list(current.execute(sql, params).fetchall())
        with self._pool.connection() as raw:
            return list(PgConn(raw).execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        current = self._current()
        if current is not None:
            row = current.execute(sql, params).fetchone()
        else:
            with self._pool.connection() as raw:
                row = PgConn(raw).execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        with self.transaction() as conn:
            return conn.execute(sql, params)

    def close(self) -> None:
        self._pool.close()
