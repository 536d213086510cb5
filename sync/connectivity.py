"""Is central reachable? A cheap health probe, and backoff with jitter between tries.

The Qt layer may add ``QNetworkInformation`` on top (a reachability hint that calls
``SyncEngine.nudge()``); this module needs no Qt and decides with a real request.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from sync.client import CentralClient
from sync.errors import AuthError, BadData, Offline, ServerError

log = logging.getLogger("clienteling.sync.connectivity")


class Backoff:
    """Exponential backoff with "equal jitter": half the delay fixed, half random.

    ``next(retry_after)`` never waits less than central asked for with ``Retry-After``.
    """

    def __init__(
        self, base_s: float = 1.0, cap_s: float = 60.0, rng: Callable[[], float] = random.random
    ) -> None:
        self.base_s = base_s
        self.cap_s = cap_s
        self._rng = rng
        self.attempt = 0

    def next(self, retry_after: float | None = None) -> float:
        delay = min(self.cap_s, self.base_s * float(1 << min(self.attempt, 30)))
        self.attempt += 1
        jittered = delay / 2 + self._rng() * delay / 2
        if retry_after is not None:
            return max(jittered, retry_after)
        return jittered

    def reset(self) -> None:
        self.attempt = 0


@dataclass(frozen=True)
class Watch:
    """What the idle probe learnt: central answered, and where the device's feed ends
    (``None`` when central did not say)."""

    reachable: bool
    head: str | None = None


class Connectivity:
    """Probes ``GET /v1/health`` with a short timeout; an enrolled device's idle watch
    asks ``GET /v1/sync/head`` instead, which also says whether the feed moved."""

    def __init__(self, client: CentralClient, timeout_s: float = 3.0) -> None:
        self.client = client
        self.timeout_s = timeout_s

    async def probe(self) -> bool:
        try:
            await self.client.health(timeout=self.timeout_s)
        except (Offline, ServerError, BadData, AuthError):
            return False
        return True

    async def watch(self) -> Watch:
        """The idle probe: reachable, and the feed's head (for a device with a token)."""
        if not self.client.token:
            return Watch(await self.probe())
        try:
            head = await self.client.sync_head(timeout=self.timeout_s)
        except AuthError:
            return Watch(True)  # central answered; the next round says why it refused
        except (Offline, ServerError, BadData):
            return Watch(False)
        return Watch(True, head.cursor)
