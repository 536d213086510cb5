"""When the sync engine's run loop starts its next round.

It sleeps until a deadline or a nudge, whichever comes first, but never past a hold:
after a failure the engine holds off for the backoff delay or central's ``Retry-After``,
and a nudge inside that window only means "sync as soon as allowed".
"""

from __future__ import annotations

import asyncio
import contextlib
import time


class Pacer:
    """The run loop's alarm clock. ``bind()`` it on the loop it will run on."""

    def __init__(self) -> None:
        self._wake: asyncio.Event | None = None
        self._not_before = 0.0  # time.monotonic(): no request from the run loop before it

    def bind(self) -> None:
        """A fresh wake-up event for the running loop (an event belongs to one loop)."""
        self._wake = asyncio.Event()

    def nudge(self) -> None:
        """Wake the sleeper now, or as soon as the hold allows (on the loop thread)."""
        if self._wake is not None:
            self._wake.set()

    @property
    def nudged(self) -> bool:
        """A nudge came since the round started (the sleeper should start the next one)."""
        return self._wake is not None and self._wake.is_set()

    @property
    def held(self) -> bool:
        """Central asked for quiet (``Retry-After``) or a failure backs off: no request yet."""
        return time.monotonic() < self._not_before

    def clear(self) -> None:
        """Forget nudges so far (a round is starting)."""
        assert self._wake is not None
        self._wake.clear()

    def hold(self, delay: float) -> float:
        """No request before ``delay`` seconds from now (``Retry-After``, backoff), nudges
        or not; returns ``delay``."""
        self._not_before = time.monotonic() + max(0.0, delay)
        return delay

    def release(self) -> None:
        """Lift the hold (a round succeeded)."""
        self._not_before = 0.0

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less when nudged, but never past the hold: a nudge inside
        that window only means "sync as soon as allowed" (the event stays set)."""
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
