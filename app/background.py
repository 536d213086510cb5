"""The one way to run async work from a widget on the qasync loop.

``spawn(coro, success=..., failure=...)`` schedules a coroutine, keeps a reference so it
is not garbage-collected mid-flight, and calls ``success(result)`` on the Qt thread, or
``failure(error)`` with a known failure (``sync.errors.SyncError``: offline, central's
answer, the cache file). Any other exception is a bug: it goes to ``sys.excepthook``
(``app.crash``), which logs it and shows the generic banner, and ``failure`` gets an
``app.crash.UnexpectedError`` (the generic text) to put its screen right; a bug is never
swallowed and never shown as its own text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from app import crash
from sync.errors import SyncError
from sync.logs import describe_exception

log = logging.getLogger("clienteling.ui")

T = TypeVar("T")

_running: set[asyncio.Task[Any]] = set()


def spawn(
    coro: Coroutine[Any, Any, T],
    *,
    success: Callable[[T], None] | None = None,
    failure: Callable[[SyncError], None] | None = None,
) -> asyncio.Task[T]:
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def _done(t: asyncio.Task[T]) -> None:
        _running.discard(t)
        if t.cancelled():
            return
        exc = t.exception()
        if exc is None:
            if success is not None:
                success(t.result())
        elif not isinstance(exc, SyncError):
            crash.report(exc)
            if failure is not None:
                failure(crash.UnexpectedError())
        elif failure is not None:
            failure(exc)
        else:
            log.warning("background task failed: %s", describe_exception(exc))

    task.add_done_callback(_done)
    return task
