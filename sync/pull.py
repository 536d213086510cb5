"""Pulling the changes feed: every page after the cursor, written one transaction a page.

A producer fetches and validates page N+1 (validation on the parsing thread) while page N
is written on the database thread; a bad page stops the pull before it is written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sync import meta, outbox, wire
from sync.apply import apply_page, parse_page
from sync.client import CentralClient
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
) -> int:
    """Pull every page after the cursor; returns how many changes were applied.

    ``reached()`` is called when a page has arrived (central is reachable) and
    ``progress(done, total)`` after each page is written. Raises the error that stopped it.
    """
    cursor = cache.cursor()
    initial = not cache.initial_sync_done()
    mark = outbox.settle_mark(cache)
    ready: asyncio.Queue[wire.ChangesPage | BaseException] = asyncio.Queue(maxsize=2)

    async def produce() -> None:
        next_cursor = cursor
        try:
            while True:
                raw = await client.changes_raw(next_cursor, page_limit)
                page = await workers.parse(parse_page, raw)
                await ready.put(page)
                if not page.has_more:
                    return
                next_cursor = page.next_cursor
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            await ready.put(exc)

    producer = asyncio.ensure_future(produce())
    done = 0
    try:
        while True:
            item = await ready.get()
            if isinstance(item, BaseException):
                raise item
            reached()
            await workers.db(apply_page, cache.db, item)
            done += len(item.changes)
            total = done + max(0, item.total_estimate - len(item.changes))
            if not item.has_more:
                progress(done, done)
                break
            progress(done, total)
    finally:
        if not producer.done():
            producer.cancel()
            # asyncio.wait never raises the producer's cancellation, but does raise
            # this task's own: suppressing CancelledError around ``await producer``
            # swallowed a stop() that landed here, and stop() then waited forever
            await asyncio.wait({producer})
    await workers.db(outbox.settle, cache, mark)
    if initial:
        await workers.db(cache.put_meta, meta.INITIAL_SYNC_DONE, True)
    return done
