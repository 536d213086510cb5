"""The one wrapper that owns the cache's SQLite connections.

* One **write** connection, used from any thread under a lock:
  the engine applies pages on its worker thread, the UI writes commands on the main thread;
  each write is one short ``BEGIN IMMEDIATE`` transaction (:meth:`Database.write`).
* One **read** connection for the read API (``query_only``). WAL lets it read a consistent
  snapshot (:meth:`Database.read`) while a page is being written, so the UI never waits
  for a sync.
* The file is created with mode 0600 (and re-chmodded if it exists), WAL, foreign keys,
  a busy timeout; the schema version lives in ``PRAGMA user_version`` and the ordered
  migrations of :mod:`sync.schema` run on open, after a backup copy of the file.
* Plain ``sqlite3`` throughout: the schema is ordered SQL migrations (its FTS5 indexes
  use options, such as prefix indexes, that sqlite-utils cannot express) and a pull's
  inserts are the hot path (~3.4x faster than through sqlite-utils).
* Known failures (disk full, locked, not a database, unreadable) become
  :class:`sync.errors.CacheError` with a sentence for a person; anything else is a bug and
  propagates.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from sync.errors import CacheError

log = logging.getLogger("clienteling.sync.db")

Migration = Callable[[sqlite3.Connection], None]

BUSY_TIMEOUT_MS = 5000

_MESSAGES = {
    "full": "The tablet's storage is full, so the app can't save. Free some space "
    "(or ask IT), then try again; nothing you entered was lost.",
    "locked": "The app's local data is busy (is the app open twice?). Close the other "
    "copy and try again.",
    "unreadable": "The app's local data file can't be read (it is damaged or not a "
    "Clienteling file). Ask IT to reset this device's data.",
    "readonly": "The app can't write its local data file (permissions or a read-only "
    "disk). Ask IT to check the data folder.",
}

_KINDS = {
    "SQLITE_FULL": "full",
    "SQLITE_IOERR_WRITE": "full",
    "SQLITE_BUSY": "locked",
    "SQLITE_LOCKED": "locked",
    "SQLITE_BUSY_SNAPSHOT": "locked",
    "SQLITE_NOTADB": "unreadable",
    "SQLITE_CORRUPT": "unreadable",
    "SQLITE_CANTOPEN": "unreadable",
    "SQLITE_IOERR": "unreadable",
    "SQLITE_IOERR_READ": "unreadable",
    "SQLITE_IOERR_SHORT_READ": "unreadable",
    "SQLITE_READONLY": "readonly",
    "SQLITE_PERM": "readonly",
    "SQLITE_AUTH": "readonly",
}


def cache_error_for(exc: sqlite3.Error) -> CacheError | None:
    """The ``CacheError`` a known SQLite failure maps to, or None for a bug."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    kind = _KINDS.get(name)
    if kind is None and name.startswith("SQLITE_IOERR"):
        kind = "unreadable"
    if kind is None:
        text = str(exc).lower()
        if "disk is full" in text or "database or disk is full" in text:
            kind = "full"
        elif "locked" in text:
            kind = "locked"
        elif "not a database" in text or "malformed" in text or "unable to open" in text:
            kind = "unreadable"
        elif "readonly" in text:
            kind = "readonly"
    if kind is None:
        return None
    return CacheError(_MESSAGES[kind], kind=kind)


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn known SQLite failures into ``CacheError``; let bugs through."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = cache_error_for(exc)
        if mapped is None:
            raise
        log.warning("cache failure (%s): %s", mapped.kind, getattr(exc, "sqlite_errorname", ""))
        raise mapped from exc


def _make_private(path: Path) -> None:
    """Create ``path`` with mode 0600 if missing; tighten it (and WAL/SHM) if present."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if extra.exists() and (extra.stat().st_mode & 0o777) != 0o600:
                os.chmod(extra, 0o600)


class Database:
    """The cache file: a locked write connection, a read connection, migrations."""

    def __init__(self, path: Path | str, migrations: Sequence[Migration] | None = None) -> None:
        from sync import schema  # late: schema imports nothing from here

        self.path = Path(path)
        self._migrations = list(schema.MIGRATIONS if migrations is None else migrations)
        self._write_lock = threading.RLock()
        self._read_lock = threading.RLock()
        self._in_write = threading.local()
        self._in_read = threading.local()
        self._sync_level = "NORMAL"
        self.generation = 0  # bumped after every committed write (read-side caches key on it)
        with translate_errors():
            _make_private(self.path)
            self._wconn = self._connect()
            self._wconn.execute("PRAGMA journal_mode=WAL")
            self._migrate()
            self._rconn = self._connect()
            self._rconn.execute("PRAGMA query_only=ON")
        _make_private(self.path)
        self._closed = False

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA cache_size=-16000")
        # Touch the file so a wrong file fails here ("file is not a database").
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn

    # -- migrations --------------------------------------------------------------------

    @property
    def user_version(self) -> int:
        return int(self._wconn.execute("PRAGMA user_version").fetchone()[0])

    def quick_check(self) -> str:
        """SQLite's ``PRAGMA quick_check`` answer: ``"ok"`` for a sound file."""
        with self.read() as conn:
            return str(conn.execute("PRAGMA quick_check").fetchone()[0])

    def _migrate(self) -> None:
        current = self.user_version
        target = len(self._migrations)
        if current > target:
            raise CacheError(
                "This device's local data was written by a newer version of the app. "
                "Update the app (or ask IT to reset the device's data).",
                kind="unreadable",
            )
        if current == target:
            return
        if current > 0:
            self.backup(
                self.path.with_name(
                    f"{self.path.name}.v{current}-{time.strftime('%Y%m%d%H%M%S')}.bak"
                )
            )
        for version in range(current, target):
            log.info("migrating cache schema %d -> %d", version, version + 1)
            self._wconn.execute("BEGIN IMMEDIATE")
            try:
                self._migrations[version](self._wconn)
                self._wconn.execute(f"PRAGMA user_version={version + 1}")
                self._wconn.execute("COMMIT")
            except BaseException:
                self._wconn.execute("ROLLBACK")
                raise

    def backup(self, dest: Path) -> Path:
        """Copy the database (consistently, via SQLite's backup API) to ``dest`` (0600)."""
        fd = os.open(dest, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        target = sqlite3.connect(dest)
        try:
            with self._write_lock:
                self._wconn.backup(target)
        finally:
            target.close()
        log.info("cache backed up before migration to %s", dest.name)
        return dest

    # -- access ------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` .. ``COMMIT``), serialised by a lock.

        ``durable`` (the default) syncs the commit to disk (``synchronous=FULL``): what a
        person did survives a power cut once this returns. Bulk page applies pass
        ``durable=False`` (``NORMAL``: still atomic, and a lost page is pulled again).
        Nested use on the same thread joins the outer transaction.
        """
        with self._write_lock:
            if getattr(self._in_write, "active", False):
                yield self._wconn
                return
            with translate_errors():
                level = "FULL" if durable else "NORMAL"
                if level != self._sync_level:
                    self._wconn.execute(f"PRAGMA synchronous={level}")
                    self._sync_level = level
                self._wconn.execute("BEGIN IMMEDIATE")
                self._in_write.active = True
                try:
                    yield self._wconn
                except BaseException:
                    self._in_write.active = False
                    with contextlib.suppress(sqlite3.Error):
                        self._wconn.execute("ROLLBACK")
                    raise
                self._in_write.active = False
                try:
                    self._wconn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self._wconn.execute("ROLLBACK")
                    raise
                self.generation += 1

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read snapshot on the read connection (never blocks on a writer).

        Nested use on the same thread shares the outer snapshot.
        """
        with self._read_lock:
            depth = getattr(self._in_read, "depth", 0)
            if depth:
                self._in_read.depth = depth + 1
                try:
                    yield self._rconn
                finally:
                    self._in_read.depth = depth
                return
            with translate_errors():
                self._rconn.execute("BEGIN")
                self._in_read.depth = 1
                try:
                    yield self._rconn
                finally:
                    self._in_read.depth = 0
                    self._rconn.execute("COMMIT")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._read_lock:
            self._rconn.close()
        with self._write_lock:
            with contextlib.suppress(sqlite3.Error):
                self._wconn.execute("PRAGMA optimize")
            self._wconn.close()
