"""The chain-wide comparison through the real central: ``SyncEngine.fetch_chain_kpis``
returns every store's value of the compared figures and the chain's median, and the
store's own line equals what its tablet computes offline from its synced cache (one
definition, ``sync.read.kpi_figures``); offline, it says so and the store's figures work."""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from central.server import CentralServer
from sync.errors import Offline
from sync.wire.kpis import CHAIN_KEYS
from tests.sync import live
from tests.sync.live import DeviceEngine


@pytest.mark.asyncio
async def test_the_chain_comparison_matches_the_stores_own_figures(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    chain = await eng.fetch_chain_kpis("30d")
    assert chain.store_id == "S001" and chain.kind == "30d"
    assert [f.key for f in chain.figures] == list(CHAIN_KEYS)
    stores = {s.id for s in cache.stores() if s.kind == "store"}
    now = cache.store_now("S001")
    own = cache.store_kpis("S001", cache.store_period("30d", "S001"), now)
    assert own.as_of == cache.last_sync_at()
    for fig in chain.figures:
        assert {s.store_id for s in fig.stores} == stores
        assert fig.median == statistics.median(s.value for s in fig.stores)
        assert fig.how == own.get(fig.key).how
        mine = next(s for s in fig.stores if s.store_id == "S001")
        assert mine.value == own.get(fig.key).value, fig.key
    # the demo's store has figures to compare (not all zero)
    assert any(s.value > 0 for f in chain.figures for s in f.stores)


@pytest.mark.asyncio
async def test_offline_the_comparison_says_so_and_the_store_figures_still_work(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    cut_off = live.engine(cache, "http://127.0.0.1:9", enrolled_device["token"])
    try:
        with pytest.raises(Offline):
            await cut_off.fetch_chain_kpis("7d")
    finally:
        await live.close(cut_off)
    kpis = cache.store_kpis("S001", cache.store_period("7d", "S001"), cache.store_now("S001"))
    assert kpis.as_of == cache.last_sync_at() != ""
