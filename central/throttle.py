"""Throttling failed attempts: a sliding window per client address and one for everyone.

Enrollment uses it: each wrong enrollment code counts against the address it came from
and against the whole server. While either window is full, every attempt (a right code
too) is answered 429 ``too_many_attempts`` with ``Retry-After``, without being checked or
counted; the window empties by itself as its failures age past ``window_s``.

The windows live in the serving process's memory: a restart empties them, and each
worker process of a multi-worker deployment (``--workers N``) has its own, so N workers
hear up to N times the limits. The address is the client's as uvicorn sees it: the TCP
peer's, or behind a proxy on the same machine the right-most address of its
``X-Forwarded-For`` that is not the proxy's (uvicorn trusts that header from 127.0.0.1 and
::1 only; ``FORWARDED_ALLOW_IPS`` names a proxy elsewhere: docs/running-central.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """At most ``per_address`` failures from one address and ``overall`` failures in all
    within any ``window_s`` seconds."""

    per_address: int = 10
    overall: int = 100
    window_s: float = 60.0

    def __post_init__(self) -> None:
        if (
            self.per_address < 1
            or self.overall < 1
            or not (0 < self.window_s < math.inf)  # also refuses NaN
        ):
            raise ValueError("throttle limits must be positive")


class FailureWindow:
    """Failed attempts within the last ``limits.window_s`` seconds (thread-safe)."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._all: deque[float] = deque()
        self._by_address: dict[str, deque[float]] = {}

    def retry_after(self, address: str) -> float:
        """Seconds until an attempt from ``address`` is heard again (0: now)."""
        with self._lock:
            now = self._clock()
            self._forget(now)
            wait = 0.0
            if len(self._all) >= self.limits.overall:
                wait = self._all[0] + self.limits.window_s - now
            mine = self._by_address.get(address)
            if mine is not None and len(mine) >= self.limits.per_address:
                wait = max(wait, mine[0] + self.limits.window_s - now)
            return max(0.0, wait)

    def failed(self, address: str) -> None:
        """Count one failed attempt from ``address``."""
        with self._lock:
            now = self._clock()
            self._forget(now)
            self._all.append(now)
            self._by_address.setdefault(address, deque()).append(now)

    def _forget(self, now: float) -> None:
        """Drop failures older than the window (and addresses left with none).

        Each remembered address holds a failure that is also in ``_all``, and ``_all``
        stops growing once it is full, so at most ``overall`` addresses are remembered.
        """
        horizon = now - self.limits.window_s
        while self._all and self._all[0] <= horizon:
            self._all.popleft()
        for address in [a for a, times in self._by_address.items() if times[0] <= horizon]:
            times = self._by_address[address]
            while times and times[0] <= horizon:
                times.popleft()
            if not times:
                del self._by_address[address]
