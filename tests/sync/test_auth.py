"""Sign-in online and offline, with a lock-out that survives a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from central.server import CentralServer
from sync.auth import SignIn
from sync.client import CentralClient
from sync.errors import SignInError
from sync.store import Cache
from tests.sync.live import synced_cache


@pytest.fixture
def clock() -> list[float]:
    return [1_000_000.0]


@pytest.mark.asyncio
async def test_online_then_offline_sign_in(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    cache = await synced_cache(central.url, enrolled_device, tmp_path / "c.db")
    client = CentralClient(central.url, token=enrolled_device["token"])
    try:
        session = await SignIn(cache, client).sign_in("A1001", "1234")
        assert session.online and session.name == "Aoife Byrne" and session.role == "manager"
        await SignIn(cache, client).sign_in("A1002", "2468")  # offline needs one online first
        with pytest.raises(SignInError) as info:
            await SignIn(cache, client).sign_in("A1001", "9999")
        assert info.value.reason == "wrong_pin"
    finally:
        await client.close()
    offline = CentralClient("http://127.0.0.1:9", token="t" * 40, timeout=1)
    try:
        session = await SignIn(cache, offline).sign_in("a1002", "2468")
        assert not session.online and session.staff_id == "A1002" and session.store_id == "S001"
        with pytest.raises(SignInError) as info:
            await SignIn(cache, offline).sign_in("A1005", "5678")  # another store's
        assert info.value.reason == "offline_unknown"
    finally:
        await offline.close()
        cache.close()


@pytest.mark.asyncio
async def test_five_wrong_pins_lock_for_five_minutes_across_restarts(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path, clock: list[float]
) -> None:
    cache = await synced_cache(central.url, enrolled_device, tmp_path / "c.db")
    online = CentralClient(central.url, token=enrolled_device["token"])
    try:
        await SignIn(cache, online).sign_in("A1003", "1357")  # offline needs one online first
    finally:
        await online.close()
    offline = CentralClient("http://127.0.0.1:9", timeout=1)
    signin = SignIn(cache, offline, clock=lambda: clock[0])
    try:
        for _ in range(4):
            with pytest.raises(SignInError) as info:
                await signin.sign_in("A1003", "0000")
            assert info.value.reason == "wrong_pin"
        with pytest.raises(SignInError) as info:
            await signin.sign_in("A1003", "0000")
        assert info.value.reason == "locked" and "5 more minutes" in info.value.message
        cache.close()
        cache = Cache(tmp_path / "c.db")  # a restart keeps the lock
        signin = SignIn(cache, offline, clock=lambda: clock[0])
        with pytest.raises(SignInError) as info:
            await signin.sign_in("A1003", "1357")  # even the right PIN
        assert info.value.reason == "locked"
        clock[0] += 301
        session = await signin.sign_in("A1003", "1357")
        assert session.staff_id == "A1003" and not session.online
    finally:
        await offline.close()
        cache.close()


@pytest.mark.asyncio
async def test_pin_format_is_checked_before_anything(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.db")
    try:
        with pytest.raises(SignInError, match="4 to 8 digits"):
            await SignIn(cache, None).sign_in("A1001", "12a4")
        with pytest.raises(SignInError) as info:
            await SignIn(cache, None).sign_in("A1001", "1234")
        assert info.value.reason == "offline_unknown"
    finally:
        cache.close()
