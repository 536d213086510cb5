"""``SyncEngine``: keeps the cache in step with central, on an asyncio loop.

It syncs on start, when the connection comes back (a cheap health probe with backoff
while offline), every ``interval_s`` seconds and soon after each local command
(:meth:`SyncEngine.nudge`). One sync runs at a time: pull, push, then pull again when the
push changed something. Failures back off with jitter and honour ``Retry-After``: until
then no sync starts, nudges or not (a nudge then means "sync as soon as allowed").

Validation of big pages runs in a worker thread and every SQLite write runs on the
engine's single database thread, so the loop (the Qt event loop under qasync) never
stalls; while page N is applied, page N+1 is already on its way.

The observable :class:`sync.records.SyncState` is pushed to ``subscribe()`` callbacks on
the loop thread whenever it changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from sync import meta, outbox, wire
from sync.apply import apply_page, apply_profile, parse_page
from sync.client import CentralClient
from sync.connectivity import Backoff, Connectivity
from sync.errors import AuthError, BadData, CacheError, Offline, ServerError, SyncError
from sync.logs import describe_exception
from sync.records import ShopperProfileView, SyncState
from sync.store import Cache

log = logging.getLogger("clienteling.sync.engine")

T = TypeVar("T")
StateCallback = Callable[[SyncState], None]
ProgressCallback = Callable[[int, int], None]

PAGE_LIMIT = 500


@dataclass(frozen=True)
class SyncReport:
    """What one ``sync_once()`` did."""

    pulled: int
    applied: int
    rejected: int
    refused: int
    pending: int
    attention: int


class SyncEngine:
    """See the module docstring. ``cache`` and ``client`` belong to the caller."""

    def __init__(
        self,
        cache: Cache,
        client: CentralClient,
        interval_s: float = 30.0,
        *,
        page_limit: int = PAGE_LIMIT,
        batch_size: int = outbox.BATCH_SIZE,
        on_progress: ProgressCallback | None = None,
        backoff: Backoff | None = None,
        probe_timeout_s: float = 3.0,
        purge_days: int | None = None,
    ) -> None:
        self.cache = cache
        self.client = client
        self.interval_s = interval_s
        self.page_limit = page_limit
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.purge_days = purge_days
        self._last_purge = -math.inf
        self._not_before = 0.0  # time.monotonic(): no request from the run loop before it
        self._backoff = backoff or Backoff()
        self._connectivity = Connectivity(client, probe_timeout_s)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clienteling-db")
        self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clienteling-parse")
        self._subscribers: list[StateCallback] = []
        self._lock: asyncio.Lock | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._state = SyncState(
            online=False,
            offline_since=None,
            syncing=False,
            progress_done=0,
            progress_total=0,
            last_sync_at=cache.last_sync_at(),
            last_error=None,
            pending=cache.pending_count(),
            attention=cache.attention_count(),
            initial_sync_done=cache.initial_sync_done(),
        )

    # -- observable state --------------------------------------------------------------

    @property
    def state(self) -> SyncState:
        return self._state

    def subscribe(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback(state)`` on the loop thread after every change; returns an
        unsubscribe function."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def _update(self, **changes: Any) -> None:
        new = dataclasses.replace(self._state, **changes)
        if new == self._state:
            return
        self._state = new
        for callback in list(self._subscribers):
            try:
                callback(new)
            except Exception as exc:  # noqa: BLE001 - a subscriber's bug must not stop the sync
                log.error("sync state subscriber failed: %s", describe_exception(exc))

    def _set_online(self) -> None:
        if not self._state.online:
            log.info("central reachable")
        self._update(online=True, offline_since=None)

    def _set_offline(self) -> None:
        if self._state.online or self._state.offline_since is None:
            log.info("central unreachable; working offline")
            self._update(online=False, offline_since=wire.utc_now())

    def refresh_counts(self) -> None:
        self._update(pending=self.cache.pending_count(), attention=self.cache.attention_count())

    # -- life cycle --------------------------------------------------------------------

    async def start(self) -> None:
        """Start syncing in the background (a first sync right away)."""
        if self._task is not None:
            return
        self._ensure_loop_objects()
        assert self._loop is not None
        self._task = self._loop.create_task(self._run(), name="clienteling-sync")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        executor, parser = self._executor, self._parser
        # threads start only when work is submitted: a fresh pool costs nothing until then
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clienteling-db")
        self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clienteling-parse")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, parser.shutdown, True)
        await loop.run_in_executor(None, executor.shutdown, True)

    def nudge(self) -> None:
        """Sync soon (after a local command). Safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._nudge()
        else:
            loop.call_soon_threadsafe(self._nudge)

    def _nudge(self) -> None:
        try:
            self.refresh_counts()
        except CacheError:
            log.warning("could not refresh outbox counts")
        if self._wake is not None:
            self._wake.set()

    def _ensure_loop_objects(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._lock = asyncio.Lock()
            self._wake = asyncio.Event()

    async def _db(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            self._wake.clear()
            if self._state.offline_since is not None:
                if not await self._connectivity.probe():
                    # a nudge (e.g. the OS says the network is back) may probe early:
                    # a health probe costs central nothing
                    await self._sleep(self._backoff.next())
                    continue
                self._set_online()
            delay = self.interval_s
            try:
                await self.sync_once()
                self._backoff.reset()
                self._not_before = 0.0
            except Offline as exc:
                delay = self._backoff.next(exc.retry_after)  # the next round probes first
            except ServerError as exc:
                delay = self._hold(self._backoff.next(exc.retry_after))
            except AuthError:
                delay = max(self.interval_s, 60.0)
            except (BadData, CacheError):
                delay = self._hold(self._backoff.next())
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the loop outlives a bug; logged, shown calmly
                log.error("sync failed unexpectedly: %s", describe_exception(exc))
                self._update(last_error="Sync failed unexpectedly; see the log.")
                delay = self._hold(self._backoff.next())
            await self._sleep(delay)

    def _hold(self, delay: float) -> float:
        """No request before ``delay`` seconds from now (``Retry-After``, backoff), nudges
        or not; returns ``delay``."""
        self._not_before = time.monotonic() + max(0.0, delay)
        return delay

    async def _sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less when nudged, but never past ``_not_before``: a nudge
        inside that window only means "sync as soon as allowed" (the event stays set)."""
        assert self._wake is not None
        deadline = time.monotonic() + max(0.0, seconds)
        while True:
            now = time.monotonic()
            if now >= deadline:
                return
            if self._wake.is_set():
                if now >= self._not_before:
                    return
                await asyncio.sleep(min(self._not_before, deadline) - now)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=deadline - now)
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # Python 3.11's wait_for returns normally when the event is set just as
                # the task is cancelled: stop() would then wait for it forever
                raise asyncio.CancelledError

    # -- one sync ----------------------------------------------------------------------

    async def sync_once(self) -> SyncReport:
        """Pull, push, pull again if needed. Raises the ``SyncError`` that stopped it."""
        self._ensure_loop_objects()
        assert self._lock is not None
        async with self._lock:
            self._update(syncing=True)
            try:
                pulled = await self._pull()
                pushed = await self._push()
                if pushed.applied or pushed.rejected:
                    pulled += await self._pull()
                now = wire.utc_now()
                await self._db(self.cache.put_meta, meta.LAST_SYNC_AT, now)
                await self._maybe_purge()
                self._set_online()
                pending = self.cache.pending_count()
                attention = self.cache.attention_count()
                self._update(
                    last_sync_at=now,
                    last_error=None,
                    pending=pending,
                    attention=attention,
                    initial_sync_done=True,
                )
                return SyncReport(
                    pulled=pulled,
                    applied=pushed.applied,
                    rejected=pushed.rejected,
                    refused=pushed.refused,
                    pending=pending,
                    attention=attention,
                )
            except Offline as exc:
                self._set_offline()
                self._update(last_error=exc.message)
                raise
            except SyncError as exc:
                self._update(last_error=exc.message)
                raise
            finally:
                self._update(syncing=False, progress_done=0, progress_total=0)
                with contextlib.suppress(CacheError):
                    self.refresh_counts()

    async def _pull(self) -> int:
        """Pull every page after the cursor: fetch and validate ahead (a producer), while
        the pages before are written (one transaction each, on the database thread)."""
        cursor = self.cache.cursor()
        initial = not self.cache.initial_sync_done()
        mark = outbox.settle_mark(self.cache)
        loop = asyncio.get_running_loop()
        ready: asyncio.Queue[wire.ChangesPage | BaseException] = asyncio.Queue(maxsize=2)

        async def produce() -> None:
            next_cursor = cursor
            try:
                while True:
                    raw = await self.client.changes_raw(next_cursor, self.page_limit)
                    page = await loop.run_in_executor(self._parser, parse_page, raw)
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
                self._set_online()
                await self._db(apply_page, self.cache.db, item)
                done += len(item.changes)
                total = done + max(0, item.total_estimate - len(item.changes))
                if not item.has_more:
                    self._progress(done, done)
                    break
                self._progress(done, total)
        finally:
            if not producer.done():
                producer.cancel()
                # asyncio.wait never raises the producer's cancellation, but does raise
                # this task's own: suppressing CancelledError around ``await producer``
                # swallowed a stop() that landed here, and stop() then waited forever
                await asyncio.wait({producer})
        await self._db(outbox.settle, self.cache, mark)
        if initial:
            await self._db(self.cache.put_meta, meta.INITIAL_SYNC_DONE, True)
        return done

    async def _maybe_purge(self) -> None:
        if self.purge_days is None or time.monotonic() - self._last_purge < 24 * 3600:
            return
        self._last_purge = time.monotonic()
        await self._db(self.cache.purge_fetched, self.purge_days)

    def _progress(self, done: int, total: int) -> None:
        self._update(progress_done=done, progress_total=total)
        if self.on_progress is not None:
            try:
                self.on_progress(done, total)
            except Exception as exc:  # noqa: BLE001 - a progress callback's bug must not stop the sync
                log.error("progress callback failed: %s", describe_exception(exc))

    async def _push(self) -> outbox.PushOutcome:
        """Send pending commands in batches of ``batch_size`` (number order).

        Central answers a whole request it cannot take with a 4xx, recording nothing:
        ``413`` (too big) halves the batch; ``422`` (invalid) sends one command at a time,
        and a command refused that way on its own can never be accepted: it is rejected
        (code ``invalid_args``, central's detail as the message) and goes on the attention
        list (its optimistic effect stops), so it does not block the commands after it.
        """
        total = outbox.PushOutcome()
        rebased = False
        size = max(1, self.batch_size)
        while True:
            batch = await self._db(outbox.pending_batch, self.cache, size)
            if not batch:
                break
            await self._db(outbox.mark_sent, self.cache, batch)
            try:
                response = await self.client.push_commands(batch)
            except ServerError as exc:
                if exc.status not in (413, 422):
                    raise
                if len(batch) > 1:
                    size = max(1, len(batch) // 2) if exc.status == 413 else 1
                    log.warning(
                        "central could not take %d command(s) at once (%d); sending %d at a time",
                        len(batch),
                        exc.status,
                        size,
                    )
                    continue
                message = (
                    exc.message
                    if exc.status == 422
                    else ("This action is too large for central to accept.")
                )
                outcome = await self._db(
                    outbox.reject_unsent, self.cache, batch[0], "invalid_args", message
                )
                total.rejected += outcome.rejected
                total.rejected_ids += outcome.rejected_ids
                rebased = False  # the numbers after it moved up: a new gap may be fixed
                self.refresh_counts()
                continue
            outcome = await self._db(outbox.record_results, self.cache, batch, response)
            total.applied += outcome.applied
            total.rejected += outcome.rejected
            total.refused += outcome.refused
            total.rejected_ids += outcome.rejected_ids
            self.refresh_counts()
            if outcome.stop:
                if not rebased and await self._db(outbox.rebase, self.cache, batch, response):
                    rebased = True
                    total.refused -= outcome.refused  # sent again now, renumbered
                    continue
                self._update(last_error="Some actions wait for earlier ones to reach central.")
                break
            if outcome.applied + outcome.rejected == 0:
                break
        return total

    # -- on demand ---------------------------------------------------------------------

    async def fetch_shopper(self, shopper_id: str) -> ShopperProfileView | None:
        """Fetch a shopper outside the store's book from central and keep them."""
        profile = await self.client.shopper(shopper_id)
        await self._db(apply_profile, self.cache.db, profile)
        return self.cache.shopper_profile(shopper_id)

    async def search_remote_shoppers(self, q: str, limit: int = 25) -> list[wire.ShopperSummary]:
        """Central's shopper search (for shoppers not on this device)."""
        return list((await self.client.search_shoppers(q, limit)).shoppers)
