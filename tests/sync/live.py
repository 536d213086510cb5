"""Helpers for tests against the real central: a device cache, an engine, polling."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from sync import credentials
from sync.client import CentralClient
from sync.connectivity import Backoff
from sync.engine import SyncEngine
from sync.records import DeviceInfo
from sync.store import Cache
from tests.support.central_server import http_client

DeviceEngine = Callable[..., tuple[Cache, SyncEngine]]
"""The ``device_engine`` fixture: ``(device, file=, token=, **engine_args) -> (cache, engine)``."""

MockEngine = Callable[..., SyncEngine]
"""The ``mock_engine`` fixture: ``(handler, cache=None, **engine_args) -> engine``."""


def device_cache(path: Path, device: dict[str, Any], url: str | None = None) -> Cache:
    """A cache for an enrolled device (its token in the keyring)."""
    cache = Cache(path)
    cache.set_device(
        DeviceInfo(
            device_id=device["device_id"],
            store_id=device["store_id"],
            mode=device["mode"],
            central_url=url or device["url"],
            device_name="test tablet",
        )
    )
    credentials.set_token(device["device_id"], device["token"])
    return cache


def engine(cache: Cache, url: str, token: str, **kwargs: Any) -> SyncEngine:
    kwargs.setdefault("backoff", Backoff(base_s=0.05, cap_s=0.3))
    kwargs.setdefault("interval_s", 60.0)
    return SyncEngine(cache, CentralClient(url, token=token, timeout=5.0), **kwargs)


async def close(eng: SyncEngine) -> None:
    await eng.stop()
    await eng.client.close()


async def synced_cache(url: str, device: dict[str, Any], path: Path) -> Cache:
    """A device cache after one full sync with central at ``url`` (the caller closes it)."""
    cache = device_cache(path, device)
    eng = engine(cache, url, device["token"])
    try:
        await eng.sync_once()
    finally:
        await close(eng)
    return cache


def central_view(url: str, token: str) -> httpx.Client:
    """A second, independent client to look at central directly."""
    return http_client(url, token)


def feed_counts(url: str, token: str) -> dict[str, int]:
    """Live entities per kind in a device's whole feed, read straight from central."""
    latest: dict[tuple[str, str], bool] = {}
    cursor = ""
    with central_view(url, token) as client:
        while True:
            body = client.get("/v1/sync/changes", params={"cursor": cursor, "limit": 2000}).json()
            for change in body["changes"]:
                latest[(change["entity"], change["id"])] = not change["deleted"]
            cursor = body["next_cursor"]
            if not body["has_more"]:
                break
    counts: dict[str, int] = {}
    for (entity, _), alive in latest.items():
        if alive:
            counts[entity] = counts.get(entity, 0) + 1
    return counts


def available_at_central(url: str, token: str, sku: str, store_id: str) -> int:
    with central_view(url, token) as client:
        stores = client.get("/v1/inventory", params={"sku": sku}).json()["stores"]
    return int(next(s["available"] for s in stores if s["store_id"] == store_id))


def push_raw(url: str, token: str, commands: list[dict[str, Any]]) -> dict[str, Any]:
    with central_view(url, token) as client:
        response = client.post("/v1/sync/commands", json={"commands": commands})
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body
