"""Live to the tablet: one long-poll held open on central's feed while the device is idle.

Instead of asking ``GET /v1/sync/head`` every few seconds, the engine keeps one
``GET /v1/sync/wait`` parked at central (:class:`LiveFeed`); central answers as soon as this
device's feed moves (``central.live``), the engine pulls (``news``), and the rows are in
the cache -- and on screen, which follows pulls -- within about a second of central
accepting them. The next long-poll waits past the head it was told of, so a pull that
cannot run yet (central said ``Retry-After``) never turns this into a busy loop.

* central without the route (404: an older central) -> ``holding`` is false and the
  engine's timed probe does the work; the route is asked for again after
  :data:`RETRY_UNSUPPORTED_S`;
* a cut connection -> ``lost`` (the engine shows offline and probes central's health as
  it does) and the long-poll reconnects with jittered backoff;
* the engine's ``stop()`` (closing, IT revoked the device) cancels it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sync.client import CentralClient
from sync.connectivity import Backoff
from sync.errors import AuthError, BadData, DeviceRevoked, Offline, ServerError

log = logging.getLogger("clienteling.sync.live")

LIVE_WAIT_S = 25.0
"""How long one long-poll stays parked at central before it is asked again: below the
60 s read timeout of common proxies (central allows up to ``central.live.MAX_WAIT_S``)."""

AUTH_RETRY_S = 60.0
"""How long after a refused token the long-poll asks again (the engine's round says why)."""

RETRY_UNSUPPORTED_S = 600.0
"""How long a device on a central without the long-poll waits before asking again."""


class LiveFeed:
    """The long-poll loop (:meth:`run`, a task of the engine's).

    ``cursor()``: the cache's cursor (``None`` before the first pull); ``news()``: central's
    feed moved past it (pull now); ``lost()``: central stopped answering while held.
    ``holding`` says a long-poll is being held, so the timed probe may rest."""

    def __init__(
        self,
        client: CentralClient,
        cursor: Callable[[], str | None],
        news: Callable[[], None],
        lost: Callable[[], None],
        *,
        wait_s: float = LIVE_WAIT_S,
        backoff: Backoff | None = None,
    ) -> None:
        self.client = client
        self.wait_s = wait_s
        self.holding = False
        self._cursor = cursor
        self._news = news
        self._lost = lost
        self._backoff = backoff or Backoff(base_s=0.5, cap_s=10.0)
        self._known: str | None = None  # the head central last told of

    async def run(self) -> None:
        while (delay := await self._once()) is not None:
            if delay:
                await asyncio.sleep(delay)

    async def _once(self) -> float | None:
        """One long-poll; returns how long to wait before the next (0: at once; ``None``:
        never again, IT revoked the device)."""
        try:
            head = await self.client.wait_head(self._known or self._cursor(), self.wait_s)
        except ServerError as exc:
            self.holding = False
            if exc.status == 404:
                log.info("central has no long-poll: the device probes on a timer")
                return RETRY_UNSUPPORTED_S
            return self._backoff.next(exc.retry_after)
        except Offline:
            if self.holding:
                log.info("the long-poll was cut: reconnecting")
                self._lost()
            self.holding = False
            return self._backoff.next()
        except DeviceRevoked:
            self.holding = False
            return None  # the engine's round says so and stops syncing
        except AuthError:
            self.holding = False  # the engine's round reports it
            return max(AUTH_RETRY_S, self._backoff.next())
        except BadData:
            self.holding = False
            return self._backoff.next()
        self._backoff.reset()
        self.holding = True
        if head is not None:
            self._known = head.cursor
            if head.cursor != self._cursor():
                self._news()
        return 0.0
