"""The engine against the real central on loopback."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.server import CentralServer
from sync import meta, wire
from sync.client import CentralClient
from sync.commands import Commands
from sync.engine import SyncEngine
from sync.errors import AuthError, BadData, Offline
from sync.records import SyncState
from tests.sync.live import (
    available_at_central,
    central_view,
    close,
    device_cache,
    engine,
    feed_counts,
    push_raw,
    wait_for,
)


def first_in_stock(cache: Any, store: str = "S001", exactly: int | None = None) -> str:
    with cache.db.read() as conn:
        if exactly is None:
            row = conn.execute("SELECT sku FROM inventory WHERE store_id = ? AND available > 2 "
                               "ORDER BY sku LIMIT 1", (store,)).fetchone()
        else:
            row = conn.execute("SELECT sku FROM inventory WHERE store_id = ? AND available = ? "
                               "ORDER BY sku LIMIT 1", (store, exactly)).fetchone()
    return str(row[0])


def some_shopper(cache: Any) -> str:
    with cache.db.read() as conn:
        return str(conn.execute("SELECT id FROM shoppers WHERE home_store_id = 'S001' "
                                "ORDER BY id LIMIT 1").fetchone()[0])


@pytest.mark.asyncio
async def test_first_sync_matches_what_central_scoped(
        central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path) -> None:
    cache = device_cache(tmp_path / "c.db", enrolled_device)
    progress: list[tuple[int, int]] = []
    states: list[SyncState] = []
    eng = engine(cache, central.url, enrolled_device["token"], page_limit=700,
                 on_progress=lambda d, t: progress.append((d, t)))
    eng.subscribe(states.append)
    try:
        report = await eng.sync_once()
    finally:
        await close(eng)
    expected = feed_counts(central.url, enrolled_device["token"])
    counts = {k: v for k, v in cache.counts().items() if v}
    assert counts == expected
    assert report.pulled >= sum(expected.values())
    assert cache.cursor() and cache.initial_sync_done() and cache.last_sync_at()
    assert len(progress) > 2
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert progress[-1][0] == progress[-1][1]
    assert all(d <= t for d, t in progress)
    assert any(s.syncing and s.progress_total for s in states)
    assert states[-1].online and not states[-1].syncing and states[-1].initial_sync_done
    # S001's device sees S001's associates, not other stores'
    assert cache.associate("A1001") is not None and cache.associate("A1005") is None
    cache.close()


@pytest.mark.asyncio
async def test_incremental_sync_with_deletions(
        central: CentralServer, enroll_device: Any, tmp_path: Path) -> None:
    mine = enroll_device()
    other = enroll_device()
    cache = device_cache(tmp_path / "c.db", mine)
    eng = engine(cache, central.url, mine["token"])
    try:
        await eng.sync_once()
        with cache.db.read() as conn:
            item = json.loads(conn.execute(
                "SELECT w.data FROM wishlist_items w JOIN shoppers s ON s.id = w.shopper_id "
                "LIMIT 1").fetchone()[0])
        note_id = str(uuid.uuid4())
        now = wire.utc_now()
        body = push_raw(central.url, other["token"], [
            {"id": str(uuid.uuid4()), "number": 1, "name": "add_note", "created_at": now,
             "args": {"note_id": note_id, "shopper_id": item["shopper_id"],
                      "text": "From the other tablet."}},
            {"id": str(uuid.uuid4()), "number": 2, "name": "move_wishlist_item_to_cart",
             "created_at": now, "args": {"wishlist_item_id": item["id"], "qty": 1}},
        ])
        assert [r["status"] for r in body["results"]] == ["applied", "applied"]
        cursor = cache.cursor()
        report = await eng.sync_once()
        assert 0 < report.pulled < 50
        assert cache.cursor() != cursor
        profile = cache.shopper_profile(item["shopper_id"])
        assert profile is not None
        assert any(n.id == note_id and not n.pending for n in profile.notes)
        assert all(w.key != item["id"] for w in profile.wishlist)  # tombstone applied
        assert any(line.key == item["sku"] for line in profile.cart)
        with cache.db.read() as conn:
            assert conn.execute("SELECT version FROM tombstones WHERE entity = 'wishlist_item' "
                                "AND id = ?", (item["id"],)).fetchone() is not None
        assert (await eng.sync_once()).pulled == 0
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_commands_made_while_central_is_down_are_pushed_when_it_returns(
        central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path) -> None:
    cache = device_cache(tmp_path / "c.db", enrolled_device)
    eng = engine(cache, central.url, enrolled_device["token"])
    commands = Commands(cache)
    commands.subscribe(lambda entry: eng.nudge())
    try:
        await eng.sync_once()
        sku = first_in_stock(cache)
        sid = some_shopper(cache)
        before = available_at_central(central.url, enrolled_device["token"], sku, "S001")
        central.stop()
        with pytest.raises(Offline):
            await eng.sync_once()
        assert not eng.state.online and eng.state.offline_since
        await eng.start()
        made = commands.reserve_item(shopper_id=sid, sku=sku, qty=1, staff_id="A1001")
        note = commands.add_note(shopper_id=sid, text="Asked about waterproofing.")
        await wait_for(lambda: eng.state.pending == 2)
        assert cache.available(sku, "S001") == cache.product(sku).stock[0].available  # type: ignore[union-attr]
        central.restart()
        await wait_for(lambda: eng.state.online and eng.state.pending == 0
                       and not eng.state.syncing, timeout=30)
        assert cache.pending_count() == 0 and cache.attention_count() == 0
        assert available_at_central(central.url, enrolled_device["token"], sku, "S001") \
            == before - 1
        with central_view(central.url, enrolled_device["token"]) as client:
            profile = client.get(f"/v1/shoppers/{sid}").json()
        assert made.args["reservation_id"] in [r["id"] for r in profile["reservations"]]
        assert note.args["note_id"] in [n["id"] for n in profile["notes"]]
        # the confirmed rows arrived; nothing shows pending any more
        await wait_for(lambda: not any(
            r.pending for r in cache.shopper_profile(sid).reservations))  # type: ignore[union-attr]
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_two_devices_race_for_the_last_unit(
        central: CentralServer, enroll_device: Any, tmp_path: Path) -> None:
    dev_a, dev_b = enroll_device(name="tablet A"), enroll_device(name="tablet B")
    cache_a = device_cache(tmp_path / "a.db", dev_a)
    cache_b = device_cache(tmp_path / "b.db", dev_b)
    eng_a = engine(cache_a, central.url, dev_a["token"])
    eng_b = engine(cache_b, central.url, dev_b["token"])
    try:
        await eng_a.sync_once()
        await eng_b.sync_once()
        sku = first_in_stock(cache_a, exactly=1)
        sid = some_shopper(cache_a)
        await eng_b.client.close()
        eng_b.client = CentralClient("http://127.0.0.1:9", token=dev_b["token"], timeout=1)
        # B is offline; both reserve the last one
        b_entry = Commands(cache_b).reserve_item(shopper_id=sid, sku=sku, qty=1)
        a_entry = Commands(cache_a).reserve_item(shopper_id=sid, sku=sku, qty=1)
        assert cache_b.available(sku, "S001") == 0  # optimistic
        report_a = await eng_a.sync_once()
        assert report_a.applied == 1
        with pytest.raises(Offline):
            await eng_b.sync_once()
        # B comes back
        eng_b.client = CentralClient(central.url, token=dev_b["token"], timeout=5)
        report_b = await eng_b.sync_once()
        assert report_b.rejected == 1 and report_b.applied == 0
        attention = cache_b.outbox()
        assert len(attention) == 1 and attention[0].id == b_entry.id
        assert attention[0].state == "rejected" and attention[0].code == "out_of_stock"
        assert attention[0].message and "None left" in attention[0].message
        assert eng_b.state.attention == 1
        profile_b = cache_b.shopper_profile(sid)
        assert profile_b is not None
        ids_b = {r.id for r in profile_b.reservations}
        assert b_entry.args["reservation_id"] not in ids_b  # reverted
        assert a_entry.args["reservation_id"] in ids_b  # A's, confirmed, pulled
        assert cache_b.available(sku, "S001") == 0
        assert cache_a.outbox() == [] and cache_a.pending_count() == 0
    finally:
        await close(eng_a)
        await close(eng_b)
        cache_a.close()
        cache_b.close()


@pytest.mark.asyncio
async def test_fetch_shopper_on_demand_is_kept(
        central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path) -> None:
    cache = device_cache(tmp_path / "c.db", enrolled_device)
    eng = engine(cache, central.url, enrolled_device["token"])
    try:
        await eng.sync_once()
        with central_view(central.url, enrolled_device["token"]) as client:
            found = client.get("/v1/shoppers", params={"q": "a", "limit": 100}).json()
        outsider = next(s["id"] for s in found["shoppers"] if not cache.has_shopper(s["id"]))
        remote = await eng.search_remote_shoppers("a")
        assert any(s.id == outsider for s in remote)
        profile = await eng.fetch_shopper(outsider)
        assert profile is not None and profile.shopper.id == outsider
        assert cache.has_shopper(outsider)
        await eng.sync_once()
        assert cache.has_shopper(outsider)
        assert cache.search_shoppers(profile.shopper.loyalty_id)[0].id == outsider
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_bad_token_is_auth_error(central: CentralServer, enrolled_device: dict[str, Any],
                                       tmp_path: Path) -> None:
    cache = device_cache(tmp_path / "c.db", enrolled_device)
    eng = engine(cache, central.url, "x" * 40)
    try:
        with pytest.raises(AuthError):
            await eng.sync_once()
        assert eng.state.last_error and "enroll" in eng.state.last_error
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_malformed_page_from_the_network_changes_nothing(tmp_path: Path) -> None:
    from sync.store import Cache
    from tests.sync.helpers import DEVICE

    good = {"changes": [], "next_cursor": "c.1", "has_more": False, "total_estimate": 0}
    bad = {"changes": [{"seq": 1, "entity": "shopper", "id": "SH1", "version": 1,
                        "data": {"id": "SH1"}}], "next_cursor": "c.2", "has_more": False}
    pages = [good, bad]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages.pop(0))

    cache = Cache(tmp_path / "c.db")
    cache.set_device(DEVICE)
    client = CentralClient("http://central.test", token="t" * 40,
                           transport=httpx.MockTransport(handler))
    eng = SyncEngine(cache, client)
    try:
        await eng.sync_once()
        assert cache.cursor() == "c.1"
        with pytest.raises(BadData):
            await eng.sync_once()
        assert cache.cursor() == "c.1" and cache.counts()["shopper"] == 0
        assert eng.state.last_error
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_retry_after_and_server_errors(tmp_path: Path) -> None:
    from sync.errors import ServerError
    from sync.store import Cache
    from tests.sync.helpers import DEVICE

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "7"},
                              json={"title": "busy", "status": 503, "detail": "x",
                                    "code": "busy"})

    cache = Cache(tmp_path / "c.db")
    cache.set_device(DEVICE)
    client = CentralClient("http://central.test", token="t" * 40,
                           transport=httpx.MockTransport(handler))
    eng = SyncEngine(cache, client)
    try:
        with pytest.raises(ServerError) as info:
            await eng.sync_once()
        assert info.value.retry_after == 7 and info.value.status == 503
        from sync.connectivity import Backoff

        assert Backoff(base_s=0.01).next(info.value.retry_after) == 7
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_engine_loop_syncs_on_start_and_after_a_command(
        central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path) -> None:
    cache = device_cache(tmp_path / "c.db", enrolled_device)
    eng = engine(cache, central.url, enrolled_device["token"], interval_s=3600)
    commands = Commands(cache)
    commands.subscribe(lambda entry: eng.nudge())
    try:
        await eng.start()
        await wait_for(lambda: eng.state.initial_sync_done and not eng.state.syncing)
        entry = commands.add_note(shopper_id=some_shopper(cache), text="Loves the red boots.")
        await wait_for(lambda: cache.pending_count() == 0 and not eng.state.syncing)
        with cache.db.read() as conn:
            assert conn.execute("SELECT state FROM outbox WHERE id = ?",
                                (entry.id,)).fetchone()[0] == "applied"
            assert meta.get(conn, meta.LAST_APPLIED_NUMBER) == 1
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_purge_forgets_old_fetched_shoppers_only(
        central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path) -> None:
    cache = device_cache(tmp_path / "c.db", enrolled_device)
    eng = engine(cache, central.url, enrolled_device["token"])
    try:
        await eng.sync_once()
        with central_view(central.url, enrolled_device["token"]) as client:
            found = client.get("/v1/shoppers", params={"q": "e", "limit": 100}).json()
        outsider = next(s["id"] for s in found["shoppers"] if not cache.has_shopper(s["id"]))
        await eng.fetch_shopper(outsider)
        books = cache.counts()["shopper"]
        assert cache.purge_fetched(90) == 0
        cache.now = lambda: "2099-01-01T00:00:00Z"  # type: ignore[method-assign]
        assert cache.purge_fetched(90) == 1
        assert not cache.has_shopper(outsider) and cache.counts()["shopper"] == books - 1
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_a_reset_cache_renumbers_instead_of_getting_stuck(
        central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path) -> None:
    first = device_cache(tmp_path / "first.db", enrolled_device)
    eng = engine(first, central.url, enrolled_device["token"])
    try:
        await eng.sync_once()
        sid = some_shopper(first)
        Commands(first).add_note(shopper_id=sid, text="one")
        Commands(first).add_note(shopper_id=sid, text="two")
        assert (await eng.sync_once()).applied == 2
    finally:
        await close(eng)
        first.close()
    # the tablet's data was wiped; same device, same token: its numbering starts at 1 again
    fresh = device_cache(tmp_path / "fresh.db", enrolled_device)
    eng = engine(fresh, central.url, enrolled_device["token"])
    try:
        await eng.sync_once()
        entry = Commands(fresh).add_note(shopper_id=sid, text="three")
        assert entry.number == 1
        report = await eng.sync_once()
        assert report.applied == 1 and fresh.pending_count() == 0
        with fresh.db.read() as conn:
            assert meta.get(conn, meta.LAST_APPLIED_NUMBER) == 3
    finally:
        await close(eng)
        fresh.close()
