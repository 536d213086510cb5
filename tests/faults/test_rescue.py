"""Queued work survives a cache file emptied under the device: refused, then rescued once."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from central.server import CentralServer
from sync import rescue
from sync.cli import main as sync_main
from sync.errors import CacheError
from sync.records import OutboxEntry
from sync.store import Cache
from tests.faults.test_exactly_once import reservations_at_central, stock_and_shopper
from tests.support.signed_in import signed_in
from tests.sync.live import available_at_central, close, device_cache, engine


async def _sync(cache: Cache, url: str, token: str) -> None:
    eng = engine(cache, url, token)
    try:
        await eng.sync_once()
    finally:
        await close(eng)


async def _synced_with_a_reservation(
    path: Path, device: dict[str, Any], url: str
) -> tuple[Cache, OutboxEntry, str, str]:
    """A synced device's cache with one reservation waiting: (cache, entry, sku, shopper)."""
    cache = device_cache(path, device, url)
    await _sync(cache, url, device["token"])
    sku, sid = stock_and_shopper(cache)
    entry = signed_in(cache).reserve_item(shopper_id=sid, sku=sku, qty=1)
    return cache, entry, sku, sid


@pytest.mark.asyncio
async def test_emptied_cache_is_refused_and_a_rescue_pushed_twice_applies_once(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite3"
    token = enrolled_device["token"]
    cache, entry, sku, sid = await _synced_with_a_reservation(path, enrolled_device, central.url)
    before = available_at_central(central.url, token, sku, "S001")  # not sent yet
    rid = entry.args["reservation_id"]
    saved = rescue.export_pending(cache)
    cache.close()
    assert saved is not None and saved.parent == tmp_path
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    lines = rescue.read_rescue(saved)
    assert [(c["id"], c["number"]) for c in lines] == [(entry.id, 1)]

    os.truncate(path, 0)  # the disk gave back an empty file
    with pytest.raises(CacheError) as info:
        Cache(path)
    assert info.value.kind == "lost"
    assert enrolled_device["device_id"] in str(info.value)
    assert f"--rescue {saved}" in str(info.value)
    with pytest.raises(CacheError):  # and again: never starts over on its own
        Cache(path)

    for _ in range(2):  # the rescue pushed twice, the second time into a wiped cache
        cache = rescue.prepare(path, saved, reset=False)
        try:
            device = cache.device()
            assert device is not None and device.device_id == enrolled_device["device_id"]
            await _sync(cache, central.url, token)
            assert cache.pending_count() == 0
            assert rescue.import_rescue(cache, lines) == 0  # already in the outbox
        finally:
            cache.close()
        os.truncate(path, 0)

    mine = [r for r in reservations_at_central(central.url, token, sid) if r["id"] == rid]
    assert len(mine) == 1
    assert available_at_central(central.url, token, sku, "S001") == before - 1


@pytest.mark.asyncio
async def test_reset_saves_waiting_commands_first_and_sends_them(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite3"
    token = enrolled_device["token"]
    cache, entry, _, sid = await _synced_with_a_reservation(path, enrolled_device, central.url)
    cache.close()

    cache = rescue.prepare(path, None, reset=True)
    try:
        saved = rescue.latest(tmp_path)
        assert saved is not None
        assert [c["id"] for c in rescue.read_rescue(saved)] == [entry.id]
        assert list(tmp_path.glob("cache.sqlite3.broken-*"))  # moved aside, not deleted
        assert cache.pending_count() == 1
        await _sync(cache, central.url, token)
        assert cache.pending_count() == 0
    finally:
        cache.close()
    rid = entry.args["reservation_id"]
    assert [r["id"] for r in reservations_at_central(central.url, token, sid)].count(rid) == 1


def test_a_rescue_file_of_another_device_is_refused(tmp_path: Path) -> None:
    cache = device_cache(
        tmp_path / "c.db",
        {
            "device_id": "D-A",
            "store_id": "S001",
            "mode": "associate",
            "url": "http://x",
            "token": "t",
        },
    )
    try:
        with pytest.raises(CacheError) as info:
            rescue.import_rescue(
                cache,
                [
                    {
                        "device_id": "D-B",
                        "id": "c1",
                        "number": 1,
                        "name": "add_note",
                        "args": {},
                        "created_at": "2026-01-01T00:00:00Z",
                        "staff_id": None,
                    }
                ],
            )
        assert "another device" in str(info.value)
    finally:
        cache.close()


def test_cli_refuses_an_emptied_cache_then_rescues_it_once(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite3"
    token = enrolled_device["token"]
    device_cache(path, enrolled_device, central.url).close()

    def cli(*args: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        code = sync_main([*args, "--cache", str(path)], out=out, err=err)
        return code, out.getvalue() + err.getvalue()

    assert cli("--once")[0] == 0
    cache = Cache(path)
    sku, sid = stock_and_shopper(cache)
    entry = signed_in(cache).reserve_item(shopper_id=sid, sku=sku, qty=1)
    saved = rescue.export_pending(cache)
    cache.close()
    assert saved is not None
    os.truncate(path, 0)

    for args in (("--status",), ("--once",)):
        code, text = cli(*args)
        assert code == 2 and "empty or missing" in text and "Traceback" not in text
    for _ in range(2):
        code, text = cli("--rescue", str(saved))
        assert code == 0, text
        assert "0 waiting" in text
    rid = entry.args["reservation_id"]
    assert [r["id"] for r in reservations_at_central(central.url, token, sid)].count(rid) == 1
