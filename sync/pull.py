"""Pulling the changes feed: every page after the cursor, written one transaction a page.

A producer fetches and validates page N+1 (validation on the parsing thread) while page N
is written on the database thread; a bad page stops the pull before it is written. A
first sync into an empty cache starts from the store's snapshot when central has one
(:mod:`sync.snapshot`), else loads in bulk (:mod:`sync.bulk`): pages are
written in batches of ``bulk.BATCH_ROWS`` changes a transaction, and the indexes and
search are built once at the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sync import bulk, meta, outbox
from sync.apply import apply_page
from sync.client import CentralClient
from sync.db import Database
from sync.pages import ReadPage, read_page
from sync.store import Cache
from sync.workers import Workers


async def pull_changes(
    cache: Cache,
    client: CentralClient,
    workers: Workers,
    page_limit: int,
    *,
    reached: Callable[[], None],
    progress: Callable[[int, int], None],
    from_snapshot: bool = False,
) -> int:
    """Pull every page after the cursor; returns how many changes were applied.

    ``reached()`` is called when a page has arrived (central is reachable) and
    ``progress(done, total)`` after each page is written (while loading in bulk: read and
    validated; its batch is written a few pages later). Raises the error that stopped it.
    ``from_snapshot``: an empty tablet cache is first filled from its store's snapshot
    (:mod:`sync.snapshot`; bytes for progress), then the pull goes on from its cursor.
    """
    cursor = cache.cursor()
    initial = not cache.initial_sync_done()
    if initial and cursor is None and from_snapshot:
        from sync import snapshot  # a tablet's first sync only: imported when needed

        got = await snapshot.first_sync(cache, client, workers, progress)
        if got:
            reached()
            cursor = cache.cursor()
            shown = progress  # the delta's progress goes on from the snapshot's

            def progress(done: int, total: int) -> None:
                shown(got + done, got + total)

    loading = initial and bulk.wanted(cache)
    mark = outbox.settle_mark(cache)
    ready: asyncio.Queue[ReadPage | BaseException] = asyncio.Queue(maxsize=2)

    async def produce() -> None:
        next_cursor = cursor
        try:
            while True:
                raw = await client.changes_raw(next_cursor, page_limit)
                read = await workers.parse(read_page, raw)
                await ready.put(read)
                if not read.page.has_more:
                    return
                next_cursor = read.page.next_cursor
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            await ready.put(exc)

    producer = asyncio.ensure_future(produce())
    done = 0
    batch: list[ReadPage] = []
    try:
        while True:
            item = await ready.get()
            if isinstance(item, BaseException):
                raise item
            reached()
            batch.append(item)
            page = item.page
            done += len(page.changes)
            held = sum(len(read.page.changes) for read in batch)
            if not loading or not page.has_more or held >= bulk.BATCH_ROWS:
                await workers.db(bulk.apply_pages if loading else _apply_each, cache.db, batch)
                batch = []
            if not page.has_more:
                progress(done, done)
                break
            progress(done, done + max(0, page.total_estimate - len(page.changes)))
    finally:
        if not producer.done():
            producer.cancel()
            # asyncio.wait never raises the producer's cancellation, but does raise
            # this task's own: suppressing CancelledError around ``await producer``
            # swallowed a stop() that landed here, and stop() then waited forever
            await asyncio.wait({producer})
    if loading:
        await workers.db(bulk.finish, cache.db)
    await workers.db(outbox.settle, cache, mark)
    if initial:
        await workers.db(cache.put_meta, meta.INITIAL_SYNC_DONE, True)
        if from_snapshot:  # what a snapshot install killed after its commit left beside
            from sync.snapshot_download import SnapshotFiles

            await workers.parse(SnapshotFiles.beside(cache.path).discard)
    return done


def _apply_each(db: Database, pages: list[ReadPage]) -> None:
    for read in pages:
        apply_page(db, read.page, texts=read.texts)
