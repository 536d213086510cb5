"""The sync engine's two worker threads, so the asyncio loop (the Qt event loop under
qasync) never stalls: one runs every SQLite write (writes are serial anyway), the other
validates big pages while the page before is being written."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def _db_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="clienteling-db")


def _parse_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="clienteling-parse")


class Workers:
    """``await workers.db(fn, *args)`` runs ``fn(*args)`` on the database thread;
    ``await workers.parse(fn, *args)`` on the parsing thread."""

    def __init__(self) -> None:
        self._executor = _db_thread()
        self._parser = _parse_thread()

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    async def parse(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._parser, functools.partial(fn, *args))

    async def restart(self) -> None:
        """Wait for the work in flight, then stand ready with fresh threads."""
        executor, parser = self._executor, self._parser
        # threads start only when work is submitted: a fresh pool costs nothing until then
        self._executor = _db_thread()
        self._parser = _parse_thread()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, parser.shutdown, True)
        await loop.run_in_executor(None, executor.shutdown, True)
