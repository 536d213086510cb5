"""The one way to run async work from a widget on the qasync loop.

``spawn(coro, success=..., failure=...)`` schedules a coroutine, keeps a reference so it
is not garbage-collected mid-flight, and calls ``success(result)`` or ``failure(exc)`` on
the Qt thread. An exception nobody handles is logged once, never swallowed silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from sync.logs import describe_exception

log = logging.getLogger("clienteling.ui")

T = TypeVar("T")

_running: set[asyncio.Task[Any]] = set()


def spawn(
    coro: Coroutine[Any, Any, T],
    *,
    success: Callable[[T], None] | None = None,
    failure: Callable[[BaseException], None] | None = None,
) -> asyncio.Task[T]:
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def _done(t: asyncio.Task[T]) -> None:
        _running.discard(t)
        if t.cancelled():
            return
        exc = t.exception()
        if exc is not None:
            if failure is not None:
                failure(exc)
            else:
                log.error("background task failed: %s", describe_exception(exc))
            return
        if success is not None:
            success(t.result())

    task.add_done_callback(_done)
    return task


def running_tasks() -> int:
    """How many spawned tasks are still in flight (tests wait on this)."""
    return len(_running)
