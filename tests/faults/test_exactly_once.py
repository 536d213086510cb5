"""Exactly once, whatever breaks: a cut answer, a killed process, a black-holed network."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from central.server import CentralServer
from sync.client import CentralClient
from sync.errors import Offline
from sync.store import Cache
from tests.faults.conftest import ProxiedDevice
from tests.support.signed_in import open_session, signed_in
from tests.sync.live import (
    available_at_central,
    central_view,
    close,
    device_cache,
    engine,
)

ROOT = Path(__file__).resolve().parents[2]


def stock_and_shopper(cache: Cache) -> tuple[str, str]:
    with cache.db.read() as conn:
        sku = conn.execute(
            "SELECT sku FROM inventory WHERE store_id = 'S001' AND available > 2 "
            "ORDER BY sku LIMIT 1"
        ).fetchone()[0]
        sid = conn.execute(
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    return str(sku), str(sid)


def reservations_at_central(url: str, token: str, sid: str) -> list[dict[str, Any]]:
    with central_view(url, token) as client:
        body: list[dict[str, Any]] = client.get(f"/v1/shoppers/{sid}").json()["reservations"]
    return body


@pytest.mark.asyncio
async def test_cut_answer_then_retry_creates_nothing_new(
    central: CentralServer, proxied_device: ProxiedDevice
) -> None:
    proxy, cache, eng = proxied_device.proxy, proxied_device.cache, proxied_device.engine
    token = proxied_device.token
    await eng.sync_once()
    sku, sid = stock_and_shopper(cache)
    before = available_at_central(central.url, token, sku, "S001")
    entry = signed_in(cache).reserve_item(shopper_id=sid, sku=sku, qty=1)
    rid = entry.args["reservation_id"]

    proxy.cut_response_after(b"POST /v1/sync/commands")
    with pytest.raises(Offline):
        await eng.sync_once()
    assert proxy.cuts == 1
    # central applied it; the device does not know yet
    assert cache.pending_count() == 1
    assert [r["id"] for r in reservations_at_central(central.url, token, sid)].count(rid) == 1
    assert available_at_central(central.url, token, sku, "S001") == before - 1

    report = await eng.sync_once()  # the retry: same id, same number
    assert report.applied == 1 and report.rejected == 0
    entry_after = cache.outbox_entry(entry.id)
    assert entry_after is not None and entry_after.state == "applied"
    assert entry_after.attempts == 2 and entry_after.number == entry.number
    assert [r["id"] for r in reservations_at_central(central.url, token, sid)].count(rid) == 1
    assert available_at_central(central.url, token, sku, "S001") == before - 1
    # and the device shows it once, confirmed, with stock counted once
    profile = cache.shopper_profile(sid)
    assert profile is not None
    assert [r.id for r in profile.reservations].count(rid) == 1
    assert not next(r for r in profile.reservations if r.id == rid).pending
    assert cache.available(sku, "S001") == before - 1


@pytest.mark.asyncio
async def test_order_cut_answer_keeps_one_order_and_its_payment_link(
    central: CentralServer, proxied_device: ProxiedDevice
) -> None:
    proxy, cache, eng = proxied_device.proxy, proxied_device.cache, proxied_device.engine
    token = proxied_device.token
    await eng.sync_once()
    sku, sid = stock_and_shopper(cache)
    entry = signed_in(cache).place_order(
        shopper_id=sid,
        lines=[(sku, 1)],
        fulfilment_type="ship_to_home",
        address="12 Eyre Square, Galway",
        payment_method="pay_by_link",
    )
    proxy.cut_response_after(b"POST /v1/sync/commands")
    with pytest.raises(Offline):
        await eng.sync_once()
    await eng.sync_once()
    with central_view(central.url, token) as client:
        orders = client.get(f"/v1/shoppers/{sid}").json()["orders"]
    mine = [o for o in orders if o["id"] == entry.args["order_id"]]
    assert len(mine) == 1
    profile = cache.shopper_profile(sid)
    assert profile is not None
    shown = [o for o in profile.orders if o.id == entry.args["order_id"]]
    assert len(shown) == 1 and shown[0].payment_link == mine[0]["payment"]["link"]
    assert shown[0].number == mine[0]["number"]


@pytest.mark.asyncio
async def test_blackholed_network_times_out_as_offline(proxied_device: ProxiedDevice) -> None:
    proxy, cache, eng = proxied_device.proxy, proxied_device.cache, proxied_device.engine
    await eng.client.close()
    eng.client = CentralClient(proxy.url, token=proxied_device.token, timeout=0.5)
    proxy.blackhole()
    with pytest.raises(Offline):
        await eng.sync_once()
    proxy.refuse()
    with pytest.raises(Offline):
        await eng.sync_once()
    proxy.forward()
    await eng.sync_once()
    assert cache.initial_sync_done()


CHILD = textwrap.dedent("""
    import signal, sys
    from sync.queueing import Commands
    from sync.records import Actor
    from sync.store import Cache
    cache = Cache(sys.argv[1])
    commands = Commands(cache)
    commands.sign_in(Actor("A1001", sys.argv[4], "online"))  # as the app binds it
    entry = commands.reserve_item(shopper_id=sys.argv[2], sku=sys.argv[3], qty=1)
    print("done", entry.id, flush=True)
    signal.pause()  # the test SIGKILLs this process now
""")


@pytest.mark.asyncio
async def test_sigkill_right_after_a_command_loses_nothing_and_doubles_nothing(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    token = enrolled_device["token"]
    path = tmp_path / "c.db"
    cache = device_cache(path, enrolled_device)
    eng = engine(cache, central.url, token)
    await eng.sync_once()
    await close(eng)
    sku, sid = stock_and_shopper(cache)
    before = available_at_central(central.url, token, sku, "S001")
    session_id = open_session(central.url, token)
    cache.close()

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), sid, sku, session_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("done "), child.stderr.read() if child.stderr else ""
        command_id = line.split()[1]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()

    cache = Cache(path)
    eng = engine(cache, central.url, token)
    try:
        pending = cache.outbox(("pending",))
        assert [e.id for e in pending] == [command_id]
        assert (await eng.sync_once()).applied == 1
        assert (await eng.sync_once()).applied == 0
        entry = cache.outbox_entry(command_id)
        assert entry is not None and entry.state == "applied" and entry.attempts == 1
        rid = entry.args["reservation_id"]
        assert [r["id"] for r in reservations_at_central(central.url, token, sid)].count(rid) == 1
        assert available_at_central(central.url, token, sku, "S001") == before - 1
    finally:
        await close(eng)
        cache.close()
