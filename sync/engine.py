"""``SyncEngine``: keeps the cache in step with central, on an asyncio loop.

It syncs on start, when the connection comes back (a cheap health probe with backoff
while offline), every ``interval_s`` seconds and soon after each local command
(:meth:`SyncEngine.nudge`); between syncs, while online, a probe every ``watch_s``
notices a central that stopped answering, and pulls at once when central's feed for this
device moved (``GET /v1/sync/head``: a kiosk's call reaches the tablets within seconds).
With ``live_wait_s`` (the app's), one long-poll held at central replaces that probe
while it works (:mod:`sync.live`): a change reaches the cache within about a second. One sync runs at a time: pull, push, then pull again when the
push changed something. Failures back off with jitter and honour ``Retry-After``: until
then no sync starts, nudges or not (a nudge then means "sync as soon as allowed").
When central says IT revoked the device, syncing stops for good (the outbox is kept), and
so it does when the cache fails its integrity check at the start of the run loop.

Validation of big pages runs in a worker thread and every SQLite write runs on the
engine's single database thread, so the loop (the Qt event loop under qasync) never
stalls; while page N is applied, page N+1 is already on its way.

The observable :class:`sync.records.SyncState` is pushed to ``subscribe()`` callbacks on
the loop thread whenever it changes.

This module holds the life cycle, the run loop and one round; the parts live next to it:
:mod:`sync.pull` (the changes feed), :mod:`sync.push` (the outbox), :mod:`sync.pacing`
(when the next round may start), :mod:`sync.state_feed` (the observable state) and
:mod:`sync.workers` (the database and parsing threads).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sync import device, meta, outbox, wire
from sync.apply import apply_profile
from sync.client import CentralClient
from sync.connectivity import Backoff, Connectivity
from sync.errors import (
    AuthError,
    BadData,
    CacheError,
    DeviceRevoked,
    Offline,
    ServerError,
    SyncError,
)
from sync.live import LiveFeed
from sync.logs import describe_exception
from sync.pacing import Pacer
from sync.pull import pull_changes
from sync.push import push_pending
from sync.records import ShopperProfileView, SyncState
from sync.state_feed import StateCallback, StateFeed, initial_state
from sync.store import Cache
from sync.wire.kpis import ChainKpis, ChainPeriod
from sync.workers import Workers

log = logging.getLogger("clienteling.sync.engine")

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
        watch_s: float = 5.0,
        purge_days: int | None = None,
        snapshots: bool = False,
        live_wait_s: float = 0.0,
    ) -> None:
        self.cache = cache
        self.client = client
        self.interval_s = interval_s
        self.watch_s = watch_s  # while online and idle, probe central this often (0: never)
        self.page_limit = page_limit
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.purge_days = purge_days
        # a tablet's first sync from its store's snapshot (``sync.snapshot``): the app and
        # the CLI ask for it; off by default, so a scripted central need not serve the route
        self.snapshots = snapshots
        self._last_purge = -math.inf
        self._pacer = Pacer()
        self._backoff = backoff or Backoff()
        self._connectivity = Connectivity(client, probe_timeout_s)
        self._workers = Workers()
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._feed = StateFeed(initial_state(cache))
        # while idle, one long-poll parked at central instead of the timed probe (sync.live)
        self._live = (
            LiveFeed(
                client, self._live_cursor, self._pacer.nudge, self._live_lost, wait_s=live_wait_s
            )
            if live_wait_s > 0
            else None
        )
        self._live_task: asyncio.Task[None] | None = None

    # -- observable state --------------------------------------------------------------

    @property
    def state(self) -> SyncState:
        return self._feed.state

    def subscribe(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback(state)`` on the loop thread after every change; returns an
        unsubscribe function."""
        return self._feed.subscribe(callback)

    def refresh_counts(self) -> None:
        self._feed.update(
            pending=self.cache.pending_count(), attention=self.cache.attention_count()
        )

    # -- life cycle --------------------------------------------------------------------

    async def start(self) -> None:
        """Start syncing in the background (a first sync right away)."""
        if self._task is not None:
            return
        self._ensure_loop_objects()
        assert self._loop is not None
        self._task = self._loop.create_task(self._run(), name="clienteling-sync")
        if self._live is not None:
            self._live_task = self._loop.create_task(self._live.run(), name="clienteling-live")

    async def stop(self) -> None:
        live, self._live_task = self._live_task, None
        if live is not None:
            live.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await live
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._workers.restart()

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
        self._pacer.nudge()

    def _ensure_loop_objects(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._lock = asyncio.Lock()
            self._pacer.bind()

    async def _run(self) -> None:
        try:  # once a session, the whole file: a damaged cache is never synced into
            await self._workers.db(self.cache.db.check)
        except CacheError as exc:
            log.error("the cache failed its integrity check: not syncing")
            self._feed.update(last_error=exc.message)
            return
        while True:
            self._pacer.clear()
            if self._feed.state.offline_since is not None:
                if not await self._connectivity.probe():
                    # a nudge (e.g. the OS says the network is back) may probe early:
                    # a health probe costs central nothing
                    await self._pacer.sleep(self._backoff.next())
                    continue
                self._feed.set_online()
            delay = self.interval_s
            try:
                await self.sync_once()
                self._backoff.reset()
                self._pacer.release()
            except Offline as exc:
                delay = self._backoff.next(exc.retry_after)  # the next round probes first
            except ServerError as exc:
                delay = self._pacer.hold(self._backoff.next(exc.retry_after))
            except DeviceRevoked:
                log.warning("IT revoked this device: syncing stops, the outbox is kept")
                return
            except AuthError:
                delay = max(self.interval_s, 60.0)
            except (BadData, CacheError):
                delay = self._pacer.hold(self._backoff.next())
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the loop outlives a bug; logged, shown calmly
                log.error("sync failed unexpectedly: %s", describe_exception(exc))
                self._feed.update(last_error="Sync failed unexpectedly; see the log.")
                delay = self._pacer.hold(self._backoff.next())
            await self._wait_watching(delay)

    async def _wait_watching(self, delay: float) -> None:
        """Wait ``delay`` for the next round (less when nudged). While online, probe central
        every ``watch_s`` meanwhile, so a connection that dies while nothing is being synced
        shows as offline within seconds, not at the next sync or the next action. A probe is
        ``GET /v1/sync/head``: one indexed read on central, one small request per device;
        when the feed's head is not this device's cursor, the next round starts now."""
        loop = asyncio.get_running_loop()
        end = loop.time() + delay
        while (left := end - loop.time()) > 0:
            if (
                self._feed.state.offline_since is not None
                or self.watch_s <= 0
                or self._pacer.held
                or (self._live is not None and self._live.holding)  # it tells of news
            ):
                await self._pacer.sleep(left)
                return
            await self._pacer.sleep(min(left, self.watch_s))
            if self._pacer.nudged or loop.time() >= end:
                return
            watch = await self._connectivity.watch()
            if not watch.reachable:
                log.info("central stopped answering between syncs: offline")
                self._feed.set_offline()
                return
            if watch.head is not None and self._behind(watch.head):
                return  # the feed moved: pull now

    def _live_cursor(self) -> str | None:
        try:
            return self.cache.cursor()
        except CacheError:
            return None  # the round reports what is wrong with the cache

    def _live_lost(self) -> None:
        """The held long-poll was cut: offline until central's health says otherwise."""
        self._feed.set_offline()
        self._pacer.nudge()

    def _behind(self, head: str) -> bool:
        """Central's feed for this device ends past this device's cursor."""
        try:
            return head != (self.cache.cursor() or "")
        except CacheError:
            return True  # the round reports what is wrong with the cache

    # -- one sync ----------------------------------------------------------------------

    async def sync_once(self) -> SyncReport:
        """Pull, push, pull again if needed. Raises the ``SyncError`` that stopped it."""
        self._ensure_loop_objects()
        assert self._lock is not None
        async with self._lock:
            self._feed.update(syncing=True)
            try:
                pulled = await self._pull()
                pushed = await self._push()
                if pushed.applied or pushed.rejected:
                    pulled += await self._pull()
                now = wire.utc_now()
                await self._workers.db(self.cache.put_meta, meta.LAST_SYNC_AT, now)
                await self._maybe_purge()
                self._feed.set_online()
                pending = self.cache.pending_count()
                attention = self.cache.attention_count()
                self._feed.update(
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
                self._feed.set_offline()
                self._feed.update(last_error=exc.message)
                raise
            except DeviceRevoked as exc:
                await self._workers.db(device.mark_revoked, self.cache, wire.utc_now())
                revoked = DeviceRevoked(self.cache.pending_count())
                self._feed.set_online()  # central answered
                self._feed.update(last_error=revoked.message)
                raise revoked from exc
            except SyncError as exc:
                self._feed.update(last_error=exc.message)
                raise
            finally:
                self._feed.update(syncing=False, progress_done=0, progress_total=0)
                with contextlib.suppress(CacheError):
                    self.refresh_counts()

    async def _pull(self) -> int:
        pulled = await pull_changes(
            self.cache,
            self.client,
            self._workers,
            self.page_limit,
            reached=self._feed.set_online,
            progress=self._progress,
            from_snapshot=self.snapshots,
        )
        device = self.cache.device()
        if device is not None and device.mode == "kiosk":  # a kiosk holds no shopper records
            await self._workers.db(self.cache.forget_all_shoppers)
            await self._workers.db(self.cache.forget_typed_contacts)  # a kiosk's sign-ups
        return pulled

    async def _maybe_purge(self) -> None:
        if self.purge_days is None or time.monotonic() - self._last_purge < 24 * 3600:
            return
        self._last_purge = time.monotonic()
        await self._workers.db(self.cache.purge_fetched, self.purge_days)

    def _progress(self, done: int, total: int) -> None:
        self._feed.update(progress_done=done, progress_total=total)
        if self.on_progress is not None:
            try:
                self.on_progress(done, total)
            except Exception as exc:  # noqa: BLE001 - a progress callback's bug must not stop the sync
                log.error("progress callback failed: %s", describe_exception(exc))

    async def _push(self) -> outbox.PushOutcome:
        return await push_pending(
            self.cache,
            self.client,
            self._workers,
            self.batch_size,
            counts_changed=self.refresh_counts,
            held_up=lambda message: self._feed.update(last_error=message),
        )

    # -- on demand ---------------------------------------------------------------------

    async def fetch_shopper(self, shopper_id: str) -> ShopperProfileView | None:
        """Fetch a shopper outside the store's book from central and keep them."""
        profile = await self.client.shopper(shopper_id)
        await self._workers.db(apply_profile, self.cache.db, profile)
        return self.cache.shopper_profile(shopper_id)

    async def fetch_order(self, number: str) -> wire.Order | None:
        """An order not on this device, found at central by its number (any channel): its
        shopper is fetched and kept (``fetch_shopper``), so the order is here from now on.
        None when central has no such order."""
        found = await self.client.order_by_number(number)
        if found is None:
            return None
        await self.fetch_shopper(found.shopper_id)
        return self.cache.order(found.id)

    async def open_kiosk_session(self, loyalty_id: str) -> wire.KioskSession | None:
        """A kiosk identifies a shopper at central (nothing of them is written here)."""
        return await self.client.open_kiosk_session(loyalty_id)

    async def kiosk_session(self, session_id: str) -> wire.KioskSession | None:
        return await self.client.kiosk_session(session_id)

    async def end_kiosk_session(self, session_id: str) -> None:
        await self.client.end_kiosk_session(session_id)

    async def search_remote_shoppers(self, q: str, limit: int = 25) -> list[wire.ShopperSummary]:
        """Central's shopper search (for shoppers not on this device)."""
        return list((await self.client.search_shoppers(q, limit)).shoppers)

    async def fetch_chain_kpis(self, kind: ChainPeriod) -> ChainKpis:
        """Central's comparison of this store's figures with the chain's (today, 7d, 30d):
        online only (``Offline`` otherwise; the store's own figures work without it,
        ``Cache.store_kpis``). ``ValueError`` when the device is not enrolled."""
        device = self.cache.device()
        if device is None:
            raise ValueError("this device is not enrolled")
        return await self.client.chain_kpis(device.store_id, kind)
