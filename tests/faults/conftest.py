"""A device whose every request to central goes through a :class:`FaultProxy`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest_asyncio

from central.server import CentralServer
from sync.engine import SyncEngine
from sync.store import Cache
from tests.faults.proxy import FaultProxy
from tests.sync.live import close, device_cache, engine


@dataclass
class ProxiedDevice:
    proxy: FaultProxy
    cache: Cache
    engine: SyncEngine
    token: str


@pytest_asyncio.fixture
async def proxied_device(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> AsyncIterator[ProxiedDevice]:
    """An enrolled S001 device (its cache in tmp, its engine not started) talking to the
    real central through a proxy that forwards until a test tells it to break."""
    proxy = await FaultProxy("127.0.0.1", central.port).start()
    cache = device_cache(tmp_path / "c.db", enrolled_device)
    eng = engine(cache, proxy.url, enrolled_device["token"])
    try:
        yield ProxiedDevice(proxy, cache, eng, enrolled_device["token"])
    finally:
        await close(eng)
        await proxy.stop()
        cache.close()
