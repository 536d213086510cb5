"""Store snapshots: a tablet's whole first sync as one file, built once per store.

A new tablet's first sync validates and inserts every row of its store's feed (about
200,000 for a store of 100,000 shoppers): several times the cost of writing the same
rows. Central instead builds, once per store, the SQLite file that *is* a tablet's cache
after pulling the feed up to a cursor, and serves it (``GET /v1/sync/snapshot``); the
tablet verifies it, puts its own identity in and pulls the delta from that cursor
(``sync.snapshot``).

* **One definition of the cache.** The file is built with the device's own code: the
  schema of ``sync.schema`` (``sync.db.Database``), the pages a tablet of the store would
  receive (``central.feed``: the same rows, the same per-row rules), read and validated by
  ``sync.pages.read_page`` and loaded by ``sync.bulk`` (indexes and FTS built once). Of
  central's database it reads nothing but its feed (``Feed.page``); the only SQL here is
  on the snapshot file itself.
* **Stored once, compressed.** The SQLite file (vacuumed, one file, no WAL) is stored as
  gzip level 1 (:data:`ENCODING`): about a third of the bytes for a fraction of a second
  on the tablet, which pays on any store link slower than loopback (measured figures in
  ``tests/benchmarks/RESULTS.md``). Its ``sha256`` (of the served bytes) is the ETag.
* **Files.** In ``folder`` (default: next to central's database, :func:`default_folder`),
  mode 0600: ``<store>-<sha256[:16]>.sqlite3.gz`` and ``<store>.json`` saying which file
  is current (written last, atomically). A new build never changes a file a download may
  be reading; the previous file is kept until the next build, so a download that resumes
  across one rebuild still finds its bytes.
* **When.** A snapshot older than ``max_age_s`` (:data:`DEFAULT_MAX_AGE_S`,
  ``--snapshot-max-age``) is rebuilt in the background when a tablet asks for it (the old
  one is served meanwhile: the delta covers what it lacks), as is a store that has none
  (that tablet is told 404 and syncs from the feed). One build at a time per store, across
  worker processes too: an exclusive ``flock`` on ``<store>.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from central.feed import Feed, render_page
from sync import bulk
from sync.db import Database
from sync.pages import read_page
from sync.schema import SCHEMA_VERSION

log = logging.getLogger("clienteling.central.snapshots")

DEFAULT_MAX_AGE_S = 6 * 3600.0
"""A store's snapshot older than this is rebuilt when a tablet next asks (``--snapshot-max-age``):
the older it is, the longer the delta a new tablet pulls after it."""

ENCODING = "gzip"
"""How a snapshot is stored and served: gzip level 1 of the SQLite file."""

BUILD_PAGE = 5_000
"""Feed rows read per page while building (one ``sync.bulk`` batch each)."""

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Snapshot:
    """One built snapshot of a store (its ``<store>.json``)."""

    store_id: str
    file: str  # the served file's name in the folder
    sha256: str  # of the served (compressed) bytes: the ETag
    size: int  # served bytes
    raw_size: int  # the SQLite file's bytes
    cursor: str  # the feed cursor the cache holds everything up to
    schema: int  # the cache schema version (``sync.schema.SCHEMA_VERSION``)
    rows: int
    built_at: float  # time.time()
    build_s: float
    compress_s: float  # of build_s: gzip level 1


def default_folder(db: Path | str) -> Path:
    """Where snapshots live by default: ``<database>.snapshots`` next to a database file
    (for a database URL, ``central-snapshots`` in the working folder)."""
    text = str(db)
    if "://" in text:
        return Path("central-snapshots").resolve()
    path = Path(text)
    return path.with_name(path.name + ".snapshots")


class Snapshots:
    """The snapshots of every store, in ``folder``. ``cursor(seq)`` makes the feed cursor
    of a ``seq`` (``Central.cursor``)."""

    def __init__(
        self,
        feed: Feed,
        cursor: Callable[[int], str],
        folder: Path,
        max_age_s: float = DEFAULT_MAX_AGE_S,
    ) -> None:
        self.feed = feed
        self.cursor = cursor
        self.folder = Path(folder)
        self.max_age_s = max_age_s
        self._building: set[str] = set()  # stores this process builds now
        self._building_lock = threading.Lock()

    # -- reading ------------------------------------------------------------------------

    def current(self, store_id: str) -> Snapshot | None:
        """The store's latest built snapshot, or None."""
        try:
            raw = json.loads((self.folder / f"{store_id}.json").read_text(encoding="utf-8"))
            snap = Snapshot(**raw)
        except (OSError, ValueError, TypeError):
            return None
        return snap if self.path(snap).exists() else None

    def path(self, snap: Snapshot) -> Path:
        return self.folder / snap.file

    def stale(self, snap: Snapshot) -> bool:
        return time.time() - snap.built_at > self.max_age_s

    def ensure(self, store_id: str) -> Snapshot | None:
        """The store's snapshot to serve now (None: none yet); a missing or stale one is
        (re)built in a background thread meanwhile."""
        snap = self.current(store_id)
        if snap is None or self.stale(snap) or snap.schema != SCHEMA_VERSION:
            self.build_later(store_id)
        return snap

    def build_later(self, store_id: str) -> None:
        """Build the store's snapshot in a background thread, unless one is being built."""
        with self._building_lock:
            if store_id in self._building:
                return
            self._building.add(store_id)

        def run() -> None:
            try:
                self.build(store_id, wait=False)
            except Exception:  # a thread's failure has no caller to raise to
                log.exception("building the snapshot of store %s failed", store_id)
            finally:
                with self._building_lock:
                    self._building.discard(store_id)

        threading.Thread(target=run, name=f"snapshot-{store_id}", daemon=True).start()

    # -- building -----------------------------------------------------------------------

    def build(self, store_id: str, *, wait: bool = True) -> Snapshot | None:
        """Build the store's snapshot now (blocking); returns it. ``wait=False``: None at
        once when another build of this store holds the lock (in any process)."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _exclusive(self.folder / f"{store_id}.lock", wait=wait) as held:
            if not held:
                return None
            before = self.current(store_id)
            if not wait and before is not None and not self.stale(before):
                return before  # another process built it while this one waited
            return self._build(store_id, before)

    def _build(self, store_id: str, before: Snapshot | None) -> Snapshot:
        started = time.perf_counter()
        work = self.folder / f".{store_id}.{os.getpid()}.building.sqlite3"
        _remove(work)
        try:
            rows = _load(self.feed, self.cursor, store_id, work)
            cursor = _compact(work)
            packing = time.perf_counter()
            sha, size = _compress(work, self.folder / f".{store_id}.{os.getpid()}.gz")
            compress_s = time.perf_counter() - packing
            name = f"{store_id}-{sha[:16]}.sqlite3.gz"
            os.replace(self.folder / f".{store_id}.{os.getpid()}.gz", self.folder / name)
            snap = Snapshot(
                store_id=store_id,
                file=name,
                sha256=sha,
                size=size,
                raw_size=work.stat().st_size,
                cursor=cursor,
                schema=SCHEMA_VERSION,
                rows=rows,
                built_at=time.time(),
                build_s=round(time.perf_counter() - started, 3),
                compress_s=round(compress_s, 3),
            )
            _write_private(self.folder / f"{store_id}.json", json.dumps(asdict(snap)).encode())
        finally:
            _remove(work)
            _remove(self.folder / f".{store_id}.{os.getpid()}.gz")
        keep = {snap.file} | ({before.file} if before else set())
        for old in self.folder.glob(f"{store_id}-*.sqlite3.gz"):
            if old.name not in keep:
                _remove(old)
        log.info(
            "snapshot of store %s built: %d rows, %.1f MB served (%.1f MB raw) in %.1f s",
            store_id,
            rows,
            size / 1e6,
            snap.raw_size / 1e6,
            snap.build_s,
        )
        return snap


def _load(feed: Feed, cursor: Callable[[int], str], store_id: str, path: Path) -> int:
    """A tablet's first sync of the store into a fresh cache at ``path``: the pages a
    tablet receives, read by ``sync.pages`` and loaded by ``sync.bulk``."""
    db = Database(path)
    rows = 0
    try:
        after = 0
        built_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        while True:
            page = feed.page(store_id, after, BUILD_PAGE)
            last = page.last_seq
            body = render_page(
                page, cursor(after if last is None else last), kiosk=False, device_id=""
            )
            rows += bulk.apply_pages(db, [read_page(body)], now=built_at)
            if not page.has_more or last is None:
                break
            after = last
        bulk.finish(db)
    finally:
        db.close()
    return rows


def _compact(path: Path) -> str:
    """One self-contained file (no WAL), vacuumed; returns the cursor it holds."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
        row = conn.execute("SELECT value FROM meta WHERE key = 'cursor'").fetchone()
    finally:
        conn.close()
    return str(json.loads(row[0])) if row else ""


def _compress(source: Path, target: Path) -> tuple[str, int]:
    """gzip level 1 of ``source`` into ``target`` (0600); returns (sha256, size) of it."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        while chunk := src.read(_CHUNK):
            packed = packer.compress(chunk)
            digest.update(packed)
            size += len(packed)
            out.write(packed)
        packed = packer.flush()
        digest.update(packed)
        size += len(packed)
        out.write(packed)
    return digest.hexdigest(), size


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


@contextlib.contextmanager
def _exclusive(path: Path, *, wait: bool) -> Iterator[bool]:
    """An exclusive ``flock`` on ``path`` (held by one process and thread at a time);
    yields False at once when ``wait`` is False and someone else holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
