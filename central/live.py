"""Parked long-polls on the changes feed (``GET /v1/sync/wait``), woken when their feed moves.

A device that is online and idle holds one request open; it is answered as soon as the
device's feed (its store and ``'*'``, a kiosk's allow-list only) ends past the device's
cursor, else empty after its wait. A parked request holds no thread and no database
connection: it is a future in :class:`Watcher`, on the event loop.

How a commit is noticed, from any process on either engine:

* one ticker per process runs while anything is parked: every :data:`TICK_S` (and at
  once after a write this process served, :class:`PokeAfterWrites`) it reads the newest
  ``seq`` of all the feeds (``max(seq)`` of ``entities``: one primary-key look-up, off the
  loop in a thread); when it moved, one query names the stores (and entities) written
  since, and only the parked groups of those stores re-read their head
  (:meth:`central.feed.Feed.head`, two index look-ups per (store, kiosk) group, not per
  device);
* a waiter that just arrived is checked the same way (its group's head), so a cursor
  already behind returns at once.

Why polling and not PostgreSQL's LISTEN/NOTIFY: the same code serves SQLite (which has no
notification between processes) and PostgreSQL, catches writes made by other worker
processes, by the expiry sweep and by any tool on the database, and costs one index
look-up per process per tick (measured in ``make bench-live``: well under 1 % of a core
with 1,000 parked devices). LISTEN would need a connection held per process and a NOTIFY
in every write path, for at most ~100 ms less delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from dataclasses import dataclass, field

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from central.db import GLOBAL_SCOPE, CentralDB, database_errors
from central.feed import Feed

log = logging.getLogger("clienteling.central.live")

TICK_S = 0.2
"""How often a process looks for commits (by any process) while devices are parked."""

MAX_WAIT_S = 25
"""The longest a device may park (``wait``), below common proxies' 60 s read timeout."""

SCAN_LIMIT = 5000
"""Past this many new rows in one tick, every parked group re-reads its head instead of
naming the stores written (a bulk import)."""

Key = tuple[str, bool]
"""A parked group: (store id, kiosk)."""


@dataclass
class _Group:
    waiters: list[tuple[int, asyncio.Future[int]]] = field(default_factory=list)
    dirty: bool = True


class Watcher:
    """The parked long-polls of one process (``app.state.live``). Loop-thread only."""

    def __init__(self, db: CentralDB, feed: Feed, tick_s: float = TICK_S) -> None:
        self.db = db
        self.feed = feed
        self.tick_s = tick_s
        self._groups: dict[Key, _Group] = {}
        self._last: int | None = None  # the newest seq the ticker has seen
        self._poke: asyncio.Event | None = None
        self._ticker: asyncio.Task[None] | None = None
        self.ticks = 0  # head reads so far (the benchmark reports them)
        self.released = False  # central is stopping: nobody parks any more

    @property
    def parked(self) -> int:
        """Requests waiting now."""
        return sum(len(g.waiters) for g in self._groups.values())

    async def wait(self, store_id: str, kiosk: bool, after: int, timeout: float) -> int | None:
        """The head of the feed once it is past ``after`` (at once when it already is), or
        ``None`` after ``timeout`` seconds (at once while central stops)."""
        if self.released:
            return None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        group = self._groups.setdefault((store_id, kiosk), _Group())
        entry = (after, future)
        group.waiters.append(entry)
        group.dirty = True  # a newcomer: its head is read on the next tick, at once
        self.poke()
        try:
            head = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None
        finally:
            with contextlib.suppress(ValueError):
                group.waiters.remove(entry)
            if not group.waiters and self._groups.get((store_id, kiosk)) is group:
                del self._groups[(store_id, kiosk)]
        return head if head > after else None  # release_all() answers "nothing new"

    def poke(self) -> None:
        """Look for commits now (a write just ended, or a device just parked)."""
        if self._poke is None:
            self._poke = asyncio.Event()
        self._poke.set()
        if not self._groups:
            return  # nobody parked: nothing to look for
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.get_running_loop().create_task(
                self._tick_while_parked(), name="live-feed-ticker"
            )

    def release_all(self) -> None:
        """Answer every parked request now with "nothing new", and stop looking for
        commits (central is stopping); a request that comes to park after this is
        answered at once."""
        self.released = True
        if self._ticker is not None:
            self._ticker.cancel()
        for group in list(self._groups.values()):
            for after, future in group.waiters:
                if not future.done():
                    future.set_result(after)

    async def close(self) -> None:
        """:meth:`release_all`, then wait for the ticker to end (so no task is left pending
        when the loop closes)."""
        self.release_all()
        if self._ticker is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker

    async def _tick_while_parked(self) -> None:
        assert self._poke is not None
        while self._groups:
            self._poke.clear()
            try:
                await self._tick()
            except database_errors() as error:  # a database hiccup: parked devices wait on
                log.warning("looking for new commits failed: %s", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), self.tick_s)
        self._last = None  # nobody parked: the next newcomer starts from a fresh read

    async def _tick(self) -> None:
        newest = await asyncio.to_thread(self._newest)
        self.ticks += 1
        last, self._last = self._last, newest
        if last is not None and newest > last:
            written = await asyncio.to_thread(self._written_since, last, newest)
            for key, group in self._groups.items():
                if written is None or GLOBAL_SCOPE in written or key[0] in written:
                    group.dirty = True
        dirty = [key for key, group in self._groups.items() if group.dirty]
        for key in dirty:
            found = self._groups.get(key)
            if found is None:
                continue
            found.dirty = False
            head = await asyncio.to_thread(self.feed.head, key[0], kiosk=key[1])
            for after, future in found.waiters:
                if head > after and not future.done():
                    future.set_result(head)

    def _newest(self) -> int:
        row = self.db.one("SELECT coalesce(max(seq), 0) FROM entities")
        return int(row[0]) if row else 0

    def _written_since(self, last: int, newest: int) -> set[str] | None:
        """The scopes (store ids, ``'*'``) of the rows written in ``(last, newest]``;
        ``None`` when too many to name."""
        if newest - last > SCAN_LIMIT:
            return None
        rows = self.db.all(
            "SELECT DISTINCT s.store_id FROM entities e JOIN entity_scopes s"
            " ON s.entity = e.entity AND s.id = e.id WHERE e.seq > ? AND e.seq <= ?",
            (last, newest),
        )
        return {str(row[0]) for row in rows}


class PokeAfterWrites:
    """ASGI middleware: after a request that may have written (any method but GET, HEAD
    and OPTIONS) the watcher looks for commits at once, so a device parked on this process
    hears of this process's writes in milliseconds rather than at the next tick."""

    def __init__(self, app: ASGIApp, watcher: Watcher) -> None:
        self.app = app
        self.watcher = watcher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.watcher.poke()


class ReleasingServer(uvicorn.Server):
    """uvicorn's server that answers every parked long-poll ("nothing new") as it begins
    to shut down: its graceful shutdown waits for requests in flight, and a parked one
    would otherwise hold a SIGTERM for up to its whole wait."""

    def __init__(self, config: uvicorn.Config, watcher: Watcher) -> None:
        super().__init__(config)
        self.watcher = watcher

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self.watcher.close()
        await super().shutdown(sockets=sockets)
