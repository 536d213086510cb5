"""The one place that owns central's SQLite connection.

WAL on, ``foreign_keys`` on, a busy timeout, the schema version in ``PRAGMA user_version``
with ordered migrations. One writer connection behind one lock: writes run in
:meth:`CentralDB.transaction` (``BEGIN IMMEDIATE`` under the lock), so the order of ``seq``
numbers is the order of commits. Reads (:meth:`CentralDB.one`, :meth:`CentralDB.all`,
:meth:`CentralDB.reading`) never take that lock: each serving thread reads on a read-only
connection of its own (WAL lets readers run beside the writer, each on the last commit),
except inside a transaction of its own thread, which reads its own uncommitted writes.

Plain ``sqlite3``, no sqlite-utils: the schema is a list of SQL migrations, and every
write is on a hot path (commands, seeding) where plain ``executemany`` is the fast way.

Storage
-------
``entities``       the latest state of every entity (or its tombstone), keyed by
                   ``(entity, id)``; ``seq`` (the rowid) is reassigned on every write, so
                   the changes feed is this table ordered by ``seq``.
``entity_scopes``  which store's devices receive an entity (``store_id = '*'`` for every
                   device); carries a copy of the entity's ``seq`` so a device's feed is
                   one index range scan.
``shopper_fts``, ``product_fts``  FTS5 indexes for the look-up routes.
``devices``, ``device_commands``  enrolled devices (token as sha256) and every command
                   result, for exactly-once application, with its author (staff id,
                   session, signed in online or offline).
``signin_failures`` failed PIN counters for the lock-out, per (device, staff id).
``staff_sessions`` a session per online sign-in, bound to (device, staff id): issued
                   time and the end of its offline vouching window (``expires_at``).
``enrollment_codes`` codes an operator issued (sha256 only), each for one store and one
                   mode, with uses left, an expiry and a revocation time.
``reservation_devices`` the device that created each reservation (who may cancel it
                   besides its store); central's own record, never in the feed.
``counters``       small named counters (order numbers).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger("clienteling.central")

GLOBAL_SCOPE = "*"

_MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE entities (
        seq INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        data TEXT,
        scope_all INTEGER NOT NULL DEFAULT 0,
        shopper_id TEXT,
        UNIQUE (entity, id)
    );
    CREATE INDEX entities_shopper ON entities (shopper_id) WHERE shopper_id IS NOT NULL;
    CREATE TABLE entity_scopes (
        store_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (store_id, entity, id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_scopes_feed ON entity_scopes (store_id, seq);
    CREATE INDEX entity_scopes_entity ON entity_scopes (entity, id);
    CREATE VIRTUAL TABLE shopper_fts USING fts5 (
        id UNINDEXED, first_name, last_name, email, phone, loyalty_id,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE product_fts USING fts5 (
        id UNINDEXED, sku, name, brand, category, subcategory, colour, barcode,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        store_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_number INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE device_commands (
        device_id TEXT NOT NULL REFERENCES devices (id),
        number INTEGER NOT NULL,
        command_id TEXT NOT NULL,
        name TEXT NOT NULL,
        result TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        PRIMARY KEY (device_id, number),
        UNIQUE (device_id, command_id)
    );
    CREATE TABLE signin_failures (
        staff_id TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        locked_until REAL
    );
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: enrollment codes issued by an operator, revocable devices, reservation creators
    """
    CREATE TABLE enrollment_codes (
        id TEXT PRIMARY KEY,
        code_sha256 TEXT NOT NULL UNIQUE,
        store_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        uses_left INTEGER NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        created_at TEXT NOT NULL
    );
    ALTER TABLE devices ADD COLUMN revoked_at TEXT;
    ALTER TABLE devices ADD COLUMN enrollment_code_id TEXT;
    CREATE TABLE reservation_devices (
        reservation_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id)
    );
    """,
    # 3: staff sessions bound to a device, lock-outs per device, the author of each command
    """
    CREATE TABLE staff_sessions (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id),
        staff_id TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX staff_sessions_device ON staff_sessions (device_id, staff_id);
    DROP TABLE signin_failures;
    CREATE TABLE signin_failures (
        device_id TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        failures INTEGER NOT NULL,
        locked_until REAL,
        PRIMARY KEY (device_id, staff_id)
    );
    ALTER TABLE device_commands ADD COLUMN staff_id TEXT;
    ALTER TABLE device_commands ADD COLUMN session_id TEXT;
    ALTER TABLE device_commands ADD COLUMN signed_in TEXT;
    """,
    # 4: kiosk-shopper sessions (central.kiosk): a kiosk's right to one shopper's projection
    """
    CREATE TABLE kiosk_sessions (
        id_sha256 TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id),
        shopper_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX kiosk_sessions_by_device ON kiosk_sessions (device_id, shopper_id, expires_at);
    """,
    # 5: a device enrolled again after IT revoked it names the device it replaces, so the
    # work it kept (done there before the revocation) is still vouched for
    """
    ALTER TABLE devices ADD COLUMN replaces TEXT;
    """,
]

SCHEMA_VERSION = len(_MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer central than this one."""


class CentralDB:
    """Owns the writer connection (shared by the server's threads under one lock) and a
    read-only connection per thread that reads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
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
            script = _MIGRATIONS[number - 1]
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

    @contextmanager
    def savepoint(self, name: str = "sp") -> Iterator[None]:
        """A savepoint inside the current transaction: rolled back alone on an exception."""
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

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
        """A connection whose statements all see one committed state (a read transaction
        on this thread's reader; the writer itself inside this thread's transaction)."""
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

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def is_empty(self) -> bool:
        return self.one("SELECT 1 FROM entities LIMIT 1") is None

    def close(self) -> None:
        with self._readers_lock:
            self._closed = True
            readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()
        with self.lock:
            self.conn.close()
