"""The engine's long-poll (``sync.live``) against the real central: a change lands in the
cache without the timed probe; an older central without the route gets the probe; a cut
long-poll shows offline and reconnects."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.db import CentralDB, open_db
from central.server import CentralServer
from sync.client import CentralClient
from sync.engine import SyncEngine
from sync.store import Cache
from tests.support import feed_writes
from tests.support.central_server import BACKENDS
from tests.support.waiting import wait_for
from tests.sync import live
from tests.sync.live import DeviceEngine

LANDS_WITHIN_S = 2.0
"""Central accepts a change -> it is in the cache (~0.3 s); generous for a loaded CI."""

SLOW = {"interval_s": 3600.0, "watch_s": 3600.0}
"""No timed round and no timed probe during a test: only the long-poll can bring news."""


@pytest.fixture
def writer(central: CentralServer) -> Iterator[CentralDB]:
    """Another connection to central's database (as another worker process would write)."""
    db = open_db(central.location)
    yield db
    db.close()


def has_task(cache: Cache, task_id: str) -> bool:
    with cache.db.read() as conn:
        return conn.execute("SELECT 1 FROM tasks WHERE id = ?", (task_id,)).fetchone() is not None


async def idle_and_holding(eng: Any) -> None:
    await eng.start()
    await wait_for(lambda: eng.state.initial_sync_done and not eng.state.syncing, timeout=60)
    await wait_for(lambda: eng._live.holding, what="the long-poll held")


@pytest.mark.asyncio
@pytest.mark.parametrize("central_backend", BACKENDS, indirect=True)
async def test_a_change_lands_without_the_timed_probe(
    enrolled_device: dict[str, Any], device_engine: DeviceEngine, writer: CentralDB
) -> None:
    cache, eng = device_engine(enrolled_device, live_wait_s=20.0, **SLOW)
    await idle_and_holding(eng)
    for message in ("Fitting room 2", "Till 3"):
        accepted = time.monotonic()
        task_id = feed_writes.write_task(writer, "S001", message)
        await wait_for(
            lambda t=task_id: has_task(cache, t), timeout=10, what="the task in the cache"
        )
        assert time.monotonic() - accepted < LANDS_WITHIN_S


class OlderCentral(httpx.AsyncBaseTransport):
    """The real central as one built before the long-poll: ``/v1/sync/wait`` is 404."""

    def __init__(self) -> None:
        self.real = httpx.AsyncHTTPTransport()
        self.waits = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/sync/wait":
            self.waits += 1
            return httpx.Response(404, json={"code": "not_found", "detail": "Not Found"})
        return await self.real.handle_async_request(request)

    async def aclose(self) -> None:
        await self.real.aclose()


@pytest.mark.asyncio
async def test_an_older_central_gets_the_timed_probe(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path, writer: CentralDB
) -> None:
    older = OlderCentral()
    cache = live.device_cache(tmp_path / "c.db", enrolled_device)
    client = CentralClient(central.url, enrolled_device["token"], transport=older)
    eng = SyncEngine(cache, client, 3600.0, watch_s=0.3, live_wait_s=20.0)
    try:
        await eng.start()
        await wait_for(lambda: eng.state.initial_sync_done and older.waits == 1, timeout=60)
        task_id = feed_writes.write_task(writer, "S001")
        await wait_for(lambda: has_task(cache, task_id), timeout=10, what="the probe's pull")
        assert older.waits == 1 and not eng._live.holding  # type: ignore[union-attr]
    finally:
        await live.close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_a_cut_long_poll_shows_offline_and_reconnects(
    central: CentralServer,
    enrolled_device: dict[str, Any],
    device_engine: DeviceEngine,
    writer: CentralDB,
) -> None:
    cache, eng = device_engine(enrolled_device, live_wait_s=20.0, **SLOW)
    await idle_and_holding(eng)
    central.stop()
    await wait_for(lambda: eng.state.offline_since is not None, timeout=5, what="offline")
    central.restart()
    await wait_for(lambda: eng.state.online and eng._live.holding, timeout=30, what="back")
    task_id = feed_writes.write_task(writer, "S001")
    await wait_for(lambda: has_task(cache, task_id), timeout=LANDS_WITHIN_S * 2)


@pytest.mark.asyncio
async def test_stop_cancels_the_long_poll(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    _, eng = device_engine(enrolled_device, live_wait_s=20.0, **SLOW)
    await idle_and_holding(eng)
    started = time.monotonic()
    await eng.stop()
    assert time.monotonic() - started < 1.0
    assert eng._live_task is None
    live = central._server.live  # type: ignore[union-attr]
    await wait_for(lambda: live.parked == 0, timeout=5, what="central saw the poll go")
