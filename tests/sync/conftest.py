"""Fixtures for the sync tests: a template cache with the demo data, copied per test, and
engines (against the real central, or a scripted ``httpx.MockTransport``) closed for you."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from central.server import CentralServer
from sync import wire
from sync.apply import apply_page
from sync.client import CentralClient
from sync.engine import SyncEngine
from sync.queueing import Commands
from sync.store import Cache
from tests.sync import live
from tests.sync.helpers import DEVICE, demo_changes, pages
from tests.sync.live import DeviceEngine, MockEngine


@pytest.fixture(scope="session")
def demo_raw_changes() -> list[dict[str, Any]]:
    return demo_changes(300)


@pytest.fixture(scope="session")
def cache_template(
    tmp_path_factory: pytest.TempPathFactory, demo_raw_changes: list[dict[str, Any]]
) -> Path:
    path = tmp_path_factory.mktemp("cache-template") / "cache.sqlite3"
    cache = Cache(path)
    cache.set_device(DEVICE)
    for raw in pages(demo_raw_changes, 1000):
        apply_page(cache.db, wire.validate_page(raw))
    cache.close()
    return path


@pytest.fixture
def cache(cache_template: Path, tmp_path: Path) -> Iterator[Cache]:
    path = tmp_path / "cache.sqlite3"
    shutil.copyfile(cache_template, path)
    path.chmod(0o600)
    c = Cache(path)
    yield c
    c.close()


@pytest.fixture
def empty_cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "empty.sqlite3")
    c.set_device(DEVICE)
    yield c
    c.close()


@pytest.fixture
def commands(cache: Cache) -> Commands:
    return Commands(cache, DEVICE)


@pytest_asyncio.fixture
async def device_engine(central: CentralServer, tmp_path: Path) -> AsyncIterator[DeviceEngine]:
    """``device_engine(device, file="c.db", token=None, **engine_args) -> (cache, engine)``:
    an enrolled device's cache and its engine against the real central (``token``
    overrides the device's). Every engine and cache made is closed after the test."""
    made: list[tuple[Cache, SyncEngine]] = []

    def make(
        device: dict[str, Any], file: str = "c.db", token: str | None = None, **kwargs: Any
    ) -> tuple[Cache, SyncEngine]:
        cache = live.device_cache(tmp_path / file, device)
        eng = live.engine(cache, central.url, token or device["token"], **kwargs)
        made.append((cache, eng))
        return cache, eng

    yield make
    for cache, eng in reversed(made):
        await live.close(eng)
        cache.close()


@pytest_asyncio.fixture
async def mock_engine(tmp_path: Path) -> AsyncIterator[MockEngine]:
    """``mock_engine(handler, cache=None, **engine_args) -> engine``: an engine whose central
    is ``handler`` (an ``httpx.MockTransport`` or the function it wraps), on ``cache`` or on
    a fresh empty cache of the test device. Closed after the test (and the cache it made)."""
    made: list[tuple[Cache | None, SyncEngine]] = []

    def make(
        handler: httpx.MockTransport | Callable[[httpx.Request], httpx.Response],
        cache: Cache | None = None,
        **kwargs: Any,
    ) -> SyncEngine:
        own = None
        if cache is None:
            cache = own = Cache(tmp_path / "c.db")
            cache.set_device(DEVICE)
        transport = handler if isinstance(handler, httpx.MockTransport) else None
        client = CentralClient(
            "http://central.test",
            token="t" * 40,
            transport=transport or httpx.MockTransport(handler),  # type: ignore[arg-type]
        )
        eng = SyncEngine(cache, client, **kwargs)
        made.append((own, eng))
        return eng

    yield make
    for own, eng in reversed(made):
        await live.close(eng)
        if own is not None:
            own.close()
