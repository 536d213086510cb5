"""Backoff with jitter, Retry-After, and the health probe."""

from __future__ import annotations

import pytest

from central.server import CentralServer
from sync.client import CentralClient, retry_after_seconds
from sync.connectivity import Backoff, Connectivity


def test_backoff_grows_with_jitter_and_caps() -> None:
    low, high = (
        Backoff(base_s=1, cap_s=8, rng=lambda: 0.0),
        Backoff(base_s=1, cap_s=8, rng=lambda: 1.0),
    )
    assert [low.next() for _ in range(6)] == [0.5, 1, 2, 4, 4, 4]
    assert [high.next() for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    high.reset()
    assert high.next() == 1
    assert Backoff(base_s=1).next(retry_after=30) == 30


def test_retry_after_forms() -> None:
    assert retry_after_seconds("12") == 12
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after_seconds("999999") == 3600


@pytest.mark.asyncio
async def test_probe_follows_central(central: CentralServer) -> None:
    client = CentralClient(central.url, timeout=2)
    try:
        probe = Connectivity(client, timeout_s=1)
        assert await probe.probe()
        central.stop()
        assert not await probe.probe()
        central.restart()
        assert await probe.probe()
    finally:
        await client.close()
