"""Central on SQLite: the embedded default (the demo, a single store, the tests).

WAL on, ``foreign_keys`` on, a busy timeout, the schema version in ``PRAGMA user_version``
with ordered migrations (``central.storage.migrations_sqlite``) and a copy of the file
next to it before a migration touches it. One writer connection behind one lock: writes
run in :meth:`SQLiteDB.transaction` (``BEGIN IMMEDIATE`` under the lock), so the order of
``seq`` numbers is the order of commits. Reads never take that lock: each serving thread
reads on a read-only connection of its own (WAL lets readers run beside the writer, each
on the last commit), except inside a transaction of its own thread, which reads its own
uncommitted writes.

Plain ``sqlite3``, no sqlite-utils: every write is on a hot path (commands, seeding) where
plain ``executemany`` is the fast way.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from central.storage.base import CentralDB, SchemaTooNew
from central.storage.dialect import SQLITE
from central.storage.migrations_sqlite import MIGRATIONS

log = logging.getLogger("clienteling.central")

SCHEMA_VERSION = len(MIGRATIONS)


class SQLiteDB(CentralDB):
    """Owns the writer connection (shared by the server's threads under one lock) and a
    read-only connection per thread that reads."""

    dialect = SQLITE

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.lock = threading.RLock()
        self._owner: int | None = None  # the thread inside transaction(), if any
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()  # taken only to open or close a reader
        self._closed = False
        conn = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=10.0
        )
        self.conn = conn
        self._depth = 0
        try:
            with self.lock:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA busy_timeout = 10000")
                conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except BaseException:
            conn.close()
            raise

    # -- schema ---------------------------------------------------------------------------

    @property
    def user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.user_version
        if current > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"database schema {current} is newer than this server ({SCHEMA_VERSION})"
            )
        if 0 < current < SCHEMA_VERSION:
            self._backup(current)
        for number in range(current + 1, SCHEMA_VERSION + 1):
            log.info("migrating central database to schema %d", number)
            script = MIGRATIONS[number - 1]
            # executescript commits; the version is written in the same script.
            self.conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def _backup(self, version: int) -> None:
        """A copy of the database as it was, next to it, before a migration touches it."""
        target = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        log.info("copying the database to %s before migrating", target.name)
        copy = sqlite3.connect(str(target))
        try:
            self.conn.backup(copy)
        finally:
            copy.close()

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` .. ``COMMIT`` under the lock; nested calls join the outer one."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            self._owner = threading.get_ident()
            try:
                yield self.conn
            except BaseException:
                self._depth = 0
                self._owner = None
                self.conn.execute("ROLLBACK")
                raise
            self._depth = 0
            self._owner = None
            self.conn.execute("COMMIT")

    def _savepoint_conn(self) -> sqlite3.Connection:
        return self.conn

    # -- reads ----------------------------------------------------------------------------

    def _reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (opened on first use, closed by close())."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        conn = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=10.0
        )
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")  # as the writer says, for any who ask
        conn.execute("PRAGMA query_only = ON")
        with self._readers_lock:
            if self._closed:
                conn.close()
                raise sqlite3.ProgrammingError("the central database is closed")
            self._readers.append(conn)
        self._local.conn = conn
        return conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on this thread's reader (the writer itself inside this
        thread's transaction)."""
        if self._owner == threading.get_ident():
            yield self.conn
            return
        conn = self._reader()
        if conn.in_transaction:  # a reading() inside another: the same snapshot
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._owner == threading.get_ident():
            return list(self.conn.execute(sql, params).fetchall())
        return list(self._reader().execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        if self._owner == threading.get_ident():
            row = self.conn.execute(sql, params).fetchone()
        else:
            cursor = self._reader().execute(sql, params)
            row = cursor.fetchone()
            cursor.close()  # ends the statement, so the reader holds no snapshot
        return tuple(row) if row is not None else None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, params)

    def close(self) -> None:
        with self._readers_lock:
            self._closed = True
            readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()
        with self.lock:
            self.conn.close()
