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
* Known failures become :class:`sync.errors.CacheError` with a sentence for a person,
  told apart by their real cause (SQLite's result code, and for an I/O error the data
  folder's free space and writability): ``full``, ``readonly``, ``unreadable`` (damaged),
  ``locked``, ``disk``; anything else is a bug and propagates.
* The file's integrity is checked on open (``PRAGMA quick_check``: all of it for a file
  up to :data:`FULL_CHECK_BYTES`, else the outbox and meta tables, where queued work
  lives) and again by :meth:`Database.check` before a sync: a damaged file is refused
  before anything is written into it.
"""

from __future__ import annotations

import contextlib
import errno
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
# Checked whole on open up to this size (quick_check reads every page: ~1.8 s for a
# 140 MB file read cold from disk); a larger file gets its outbox and meta checked on
# open and the whole file before each sync (:meth:`Database.check`).
FULL_CHECK_BYTES = 32 * 1024 * 1024

FULL = (
    "The tablet's storage is full, so the app can't save. Free some space "
    "(or ask IT), then try again; nothing you entered was lost."
)
LOCKED = (
    "The app's local data is busy (is the app open twice?). Close the other copy and try again."
)
DAMAGED = (
    "The app's local data file is damaged (or is not a Clienteling file), so the app stopped "
    "before changing it. Ask IT to run 'clienteling sync --reset', which first saves the "
    "actions still waiting to a rescue file."
)
READONLY = (
    "The app can't write its local data (the data folder is read-only or belongs to another "
    "user); nothing was lost. Ask IT to check the data folder's permissions and the disk."
)
DISK = (
    "The tablet's storage failed while the app was using its local data; nothing was "
    "changed: try again, and if it keeps happening ask IT to check the disk."
)

_MESSAGES = {
    "full": FULL,
    "locked": LOCKED,
    "unreadable": DAMAGED,
    "readonly": READONLY,
    "disk": DISK,
}

# SQLite's primary result codes (the low byte of an extended code).
_PRIMARY = {
    3: "readonly",  # SQLITE_PERM
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    8: "readonly",  # SQLITE_READONLY and its extended codes
    10: "disk",  # SQLITE_IOERR_*: refined by the folder's state (full, read-only)
    11: "unreadable",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    14: "unreadable",  # SQLITE_CANTOPEN: refined by the folder's state (read-only)
    23: "readonly",  # SQLITE_AUTH
    26: "unreadable",  # SQLITE_NOTADB
}
_IOERR_READS = {"SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ"}
LOW_SPACE_BYTES = 1_000_000  # less free space than this in the data folder: "full"
_ERRNO_KINDS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EACCES: "readonly",
    errno.EPERM: "readonly",
    errno.EROFS: "readonly",
    errno.EIO: "disk",
}


def folder_state(folder: Path) -> str | None:
    """``"full"`` or ``"readonly"`` when the folder's disk says so, else None."""
    try:
        stats = os.statvfs(folder)
    except OSError:
        return None
    if stats.f_flag & os.ST_RDONLY:
        return "readonly"
    if stats.f_bavail * stats.f_frsize < LOW_SPACE_BYTES:
        return "full"
    if not os.access(folder, os.W_OK):
        return "readonly"
    return None


def _kind_from_code(exc: sqlite3.Error, folder: Path | None) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    kind = _PRIMARY.get(code & 0xFF)
    if kind in ("disk", "unreadable") and folder is not None:
        # an I/O error or a file that can't be opened: a full or read-only disk is the
        # cause more often than damage, and the advice differs (a reset loses nothing
        # only when the file really is damaged)
        kind = folder_state(folder) or kind
    if kind == "disk" and getattr(exc, "sqlite_errorname", "") in _IOERR_READS:
        kind = "unreadable"
    return kind


def _kind_from_text(exc: sqlite3.Error) -> str | None:
    text = str(exc).lower()
    if "disk is full" in text:
        return "full"
    if "locked" in text:
        return "locked"
    if "not a database" in text or "malformed" in text or "unable to open" in text:
        return "unreadable"
    if "readonly" in text:
        return "readonly"
    return None


def cache_error_for(exc: sqlite3.Error, folder: Path | None = None) -> CacheError | None:
    """The ``CacheError`` a known SQLite failure maps to, or None for a bug.

    The kind comes from SQLite's result code (``SQLITE_FULL``, ``SQLITE_READONLY*``,
    ``SQLITE_CORRUPT``, ``SQLITE_NOTADB``...); for an I/O error or a file that can't be
    opened, the data ``folder``'s free space and writability tell full and read-only
    from damaged.
    """
    kind = _kind_from_code(exc, folder) or _kind_from_text(exc)
    if kind is None:
        return None
    return CacheError(_MESSAGES[kind], kind=kind)


def os_error_for(exc: OSError) -> CacheError | None:
    """The ``CacheError`` for a file-system failure on the data folder, or None."""
    kind = _ERRNO_KINDS.get(exc.errno or 0)
    return CacheError(_MESSAGES[kind], kind=kind) if kind else None


@contextlib.contextmanager
def translate_errors(folder: Path | None = None) -> Iterator[None]:
    """Turn known SQLite and file-system failures into ``CacheError``; let bugs through."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = cache_error_for(exc, folder)
        if mapped is None:
            raise
        log.warning("cache failure (%s): %s", mapped.kind, getattr(exc, "sqlite_errorname", ""))
        raise mapped from exc
    except OSError as exc:
        mapped = os_error_for(exc)
        if mapped is None:
            raise
        log.warning("cache failure (%s): %s", mapped.kind, errno.errorcode.get(exc.errno or 0))
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
        self.folder = self.path.parent
        self._closed = True
        with translate_errors(self.folder):
            self.was_new = not self.path.exists() or self.path.stat().st_size == 0
            _make_private(self.path)
            self._wconn = self._connect()
            try:
                if not self.was_new:
                    self._check_on_open()
                self._wconn.execute("PRAGMA journal_mode=WAL")
                self._migrate()
                self._rconn = self._connect()
                self._rconn.execute("PRAGMA query_only=ON")
            except BaseException:
                self._wconn.close()
                raise
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

    def check(self) -> None:
        """Refuse a damaged file (``CacheError`` kind ``unreadable``): call before a sync.

        The whole file is checked (about 80 ms for a 140 MB cache already in memory,
        1.8 s when read cold from disk).
        """
        with self._write_lock, translate_errors(self.folder):
            answer = str(self._wconn.execute("PRAGMA quick_check").fetchone()[0])
        if answer != "ok":
            log.error("cache integrity check failed")
            raise CacheError(DAMAGED, kind="unreadable")

    def _check_on_open(self) -> None:
        """A cheap integrity check before anything is written: the whole file when it is
        small, else the tables that hold queued work (``outbox``, ``meta``)."""
        conn = self._wconn
        if self.path.stat().st_size <= FULL_CHECK_BYTES:
            pragmas = ["PRAGMA quick_check"]
        else:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            pragmas = [f"PRAGMA quick_check({t})" for t in ("outbox", "meta") if t in tables]
        for pragma in pragmas:
            answer = str(conn.execute(pragma).fetchone()[0])
            if answer != "ok":
                log.error("cache integrity check failed on open")
                raise CacheError(DAMAGED, kind="unreadable")

    def _migrate(self) -> None:
        current = self.user_version
        target = len(self._migrations)
        if current > target:
            raise CacheError(
                "This device's local data was written by a newer version of the app. "
                "Update the app (or ask IT to run 'clienteling sync --reset').",
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
            with translate_errors(self.folder):
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
    def whole_file(self) -> Iterator[sqlite3.Connection]:
        """The write connection alone, outside any transaction, synced in full: for work on
        the whole file (the backup API copying a store snapshot in, ``sync.snapshot``)."""
        with self._write_lock, translate_errors(self.folder):
            if self._sync_level != "FULL":
                self._wconn.execute("PRAGMA synchronous=FULL")
                self._sync_level = "FULL"
            yield self._wconn
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
            with translate_errors(self.folder):
                self._rconn.execute("BEGIN")
                self._in_read.depth = 1
                try:
                    yield self._rconn
                finally:
                    self._in_read.depth = 0
                    self._rconn.execute("COMMIT")

    def checkpoint(self) -> None:
        """Copy the WAL into the file and truncate it (after a wipe, so that no page of
        what was removed stays in either)."""
        with self._write_lock, translate_errors(self.folder):
            self._wconn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
