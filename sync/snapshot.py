"""A new tablet's first sync from its store's snapshot, then the delta from its cursor.

Central builds, once per store, the SQLite file that *is* a tablet's cache after the
store's feed up to a cursor (``central.snapshots``, ``GET /v1/sync/snapshot``). Into an
empty cache (no cursor, no unsent command) :func:`first_sync`:

1. **downloads** it in a worker thread (:mod:`sync.snapshot_download`) to
   ``<cache>.snapshot.part`` beside the cache, resuming with ``Range`` from the bytes it
   has after a cut connection (now, or at the next start);
2. **verifies** it off the event loop: the sha256 of the bytes is the ETag, the gzip
   stream is whole (its CRC), the file is a cache of this app's schema and holds the
   cursor central named, and no command;
3. **installs** it on the database thread: the device's own meta (enrollment, command
   numbers, sessions) and recent shoppers are put into it, then it replaces the open
   cache's content in one SQLite transaction (the backup API, into the cache's write
   connection): a kill before the commit leaves the empty cache as it was, the open read
   connection sees the new content at its next read, and no file is swapped under a
   connection. A cache that holds any unsent command is refused, whatever else.

The pull then goes on from the snapshot's cursor as usual. Anything wrong (no route, no
snapshot yet, another schema, a bad checksum) is logged once and the pull loads the feed
in bulk instead (:mod:`sync.bulk`); a cut that does not heal raises ``Offline`` and the
next round resumes the download.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import logging
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from sync import bulk, meta
from sync.client import CentralClient
from sync.schema import SCHEMA_VERSION
from sync.snapshot_download import Fetched, SnapshotFiles, Unusable, download
from sync.store import Cache
from sync.workers import Workers

log = logging.getLogger("clienteling.sync.snapshot")

SYNC_KEYS = frozenset(
    {meta.CURSOR, meta.LAST_SEQ, meta.INITIAL_SYNC_DONE, meta.LAST_SYNC_AT, bulk.DEFERRED}
)
"""Meta the snapshot brings (where the feed stands); every other key is the device's own."""

INSTALL_STEP_PAGES = 256
"""Pages copied per backup step (1 MB): the install reports progress between steps (all
steps are one transaction on the cache)."""

DOWNLOAD_SHARE = 0.7
"""Of the progress bar: the download, then the install (verifying shows no progress)."""

_CHUNK = 1 << 20

Progress = Callable[[int, int], None]


def eligible(cache: Cache) -> bool:
    """A tablet whose cache has never pulled anything and holds no command."""
    device = cache.device()
    if device is None or device.mode != "associate":
        return False
    with cache.db.read() as conn:
        if conn.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is not None:
            return False
        return _empty(conn)


def _empty(conn: sqlite3.Connection) -> bool:
    return all(meta.get(conn, key) is None for key in (meta.CURSOR, bulk.DEFERRED)) and not (
        meta.get(conn, meta.INITIAL_SYNC_DONE, False)
    )


async def first_sync(
    cache: Cache, client: CentralClient, workers: Workers, progress: Progress
) -> int:
    """Fill an empty tablet cache from its store's snapshot; returns the changes it held
    (at least 1), or 0: sync from the feed (the reason logged once). Raises ``Offline``,
    ``AuthError`` or ``ServerError`` as a pull would (the next round resumes the download).
    ``progress(done, total)`` in changes, on the loop's thread."""
    if not eligible(cache):
        return 0
    device = cache.device()
    assert device is not None
    files = SnapshotFiles.beside(cache.path)
    loop = asyncio.get_running_loop()

    def report(fraction: float, rows: int) -> None:  # from a worker thread
        """Progress in the feed's unit (changes), by bytes downloaded then copied."""
        loop.call_soon_threadsafe(progress, int(rows * min(1.0, fraction)), rows)

    def downloaded(have: int, got: Fetched) -> None:
        report(DOWNLOAD_SHARE * have / max(1, got.size), got.rows)

    stop = threading.Event()
    marks = [time.perf_counter()]
    try:
        fetched = await loop.run_in_executor(
            None, download, client, device.store_id, files, downloaded, stop
        )
        marks.append(time.perf_counter())
        await workers.parse(verify, files, fetched)
        marks.append(time.perf_counter())
        rows = fetched.rows
        await workers.db(
            install,
            cache,
            files.inflated,
            lambda copied: report(DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * copied, rows),
        )
        marks.append(time.perf_counter())
    except Unusable as exc:
        level = logging.INFO if exc.expected else logging.WARNING
        log.log(level, "first sync: no store snapshot (%s); loading from the feed", exc)
        await workers.parse(files.discard)
        return 0
    except asyncio.CancelledError:
        stop.set()  # the download thread stops at its next chunk; the part is kept
        files.drop_inflated()
        raise
    # removing a file of 140 MB takes the file system tens of milliseconds: not on the loop
    await workers.parse(files.discard)
    log.info(
        "first sync: store snapshot installed (%.1f MB; download %.2f s, verify %.2f s,"
        " install %.2f s); pulling the rest from %s",
        fetched.size / 1e6,
        *(later - earlier for earlier, later in itertools.pairwise(marks)),
        fetched.cursor,
    )
    return max(1, fetched.rows)


def verify(files: SnapshotFiles, fetched: Fetched) -> None:
    """Check the downloaded bytes and inflate them into ``files.inflated`` (0600)."""
    digest = hashlib.sha256()
    with files.part.open("rb") as part:
        while chunk := part.read(_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != fetched.sha256:
        raise Unusable("its checksum is not the one central sent")
    files.drop_inflated()
    unpack = zlib.decompressobj(31)  # gzip
    fd = os.open(files.inflated, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, files.part.open("rb") as part:
            while chunk := part.read(_CHUNK):
                out.write(unpack.decompress(chunk))
            out.write(unpack.flush())
    except zlib.error as exc:
        raise Unusable("it is not a whole gzip stream") from exc
    if not unpack.eof or unpack.unused_data:
        raise Unusable("it is not a whole gzip stream")
    try:
        conn = sqlite3.connect(f"file:{files.inflated}?mode=ro", uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            cursor = conn.execute("SELECT value FROM meta WHERE key = ?", (meta.CURSOR,)).fetchone()
            queued = conn.execute("SELECT 1 FROM outbox LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise Unusable("it is not a cache file") from exc
    if version != SCHEMA_VERSION:
        raise Unusable(f"it is a cache of schema {version}, this app's is {SCHEMA_VERSION}")
    if cursor is None or json.loads(cursor[0]) != fetched.cursor or queued is not None:
        raise Unusable("its contents are not what central said")


def install(cache: Cache, source: Path, progress: Callable[[float], None] | None = None) -> None:
    """Put the device's own meta into ``source``, then make it the cache's content in one
    transaction (see the module docstring); ``progress(share copied)`` between steps.
    ``Unusable`` (nothing changed) when the cache holds an unsent command or has pulled
    already."""

    def step(status: int, remaining: int, total: int) -> None:
        if progress is not None and total:
            progress(1 - remaining / total)

    with cache.db.whole_file() as live:
        if live.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is not None:
            raise Unusable("the cache holds commands not sent yet")
        if not _empty(live):
            raise Unusable("the cache has pulled already")
        own = [
            (str(key), str(value))
            for key, value in live.execute("SELECT key, value FROM meta")
            if key not in SYNC_KEYS
        ]
        recent = [
            tuple(r) for r in live.execute("SELECT shopper_id, viewed_at FROM recent_shoppers")
        ]
        snap = sqlite3.connect(source, isolation_level=None)
        try:
            snap.execute("BEGIN")
            snap.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                own,
            )
            snap.executemany("INSERT OR REPLACE INTO recent_shoppers VALUES (?, ?)", recent)
            snap.execute("COMMIT")
            snap.backup(live, pages=INSTALL_STEP_PAGES, progress=step)
        finally:
            snap.close()
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
