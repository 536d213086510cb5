"""The engine against the real central on loopback."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.server import CentralServer
from sync import meta, wire
from sync.client import CentralClient
from sync.errors import AuthError, BadData, Offline
from sync.queueing import Commands
from sync.records import SyncState
from tests.support.central_server import BACKENDS
from tests.support.signed_in import open_session, signed_in
from tests.support.waiting import wait_for
from tests.sync.helpers import DEVICE
from tests.sync.live import (
    DeviceEngine,
    MockEngine,
    available_at_central,
    central_view,
    feed_counts,
    push_raw,
)


def first_in_stock(cache: Any, store: str = "S001", exactly: int | None = None) -> str:
    with cache.db.read() as conn:
        if exactly is None:
            row = conn.execute(
                "SELECT sku FROM inventory WHERE store_id = ? AND available > 2 "
                "ORDER BY sku LIMIT 1",
                (store,),
            ).fetchone()
        else:
            row = conn.execute(
                "SELECT sku FROM inventory WHERE store_id = ? AND available = ? "
                "ORDER BY sku LIMIT 1",
                (store, exactly),
            ).fetchone()
    return str(row[0])


def some_shopper(cache: Any) -> str:
    with cache.db.read() as conn:
        return str(
            conn.execute(
                "SELECT id FROM shoppers WHERE home_store_id = 'S001' ORDER BY id LIMIT 1"
            ).fetchone()[0]
        )


def problem(
    status: int, code: str, title: str, detail: str, retry_after: int | None = None
) -> httpx.Response:
    """A problem answer (RFC 9457) as central sends it."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    body = {"title": title, "status": status, "detail": detail, "code": code}
    return httpx.Response(status, headers=headers, json=body)


def outside_the_book(central: CentralServer, device: dict[str, Any], cache: Any, q: str) -> str:
    """A shopper central finds for ``q`` who is not in this device's cache."""
    with central_view(central.url, device["token"]) as client:
        found = client.get("/v1/shoppers", params={"q": q, "limit": 100}).json()
    return str(next(s["id"] for s in found["shoppers"] if not cache.has_shopper(s["id"])))


@pytest.mark.asyncio
async def test_first_sync_matches_what_central_scoped(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    progress: list[tuple[int, int]] = []
    states: list[SyncState] = []
    cache, eng = device_engine(
        enrolled_device, page_limit=700, on_progress=lambda d, t: progress.append((d, t))
    )
    eng.subscribe(states.append)
    report = await eng.sync_once()
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


@pytest.mark.asyncio
async def test_incremental_sync_with_deletions(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    mine = enroll_device()
    other = enroll_device()
    cache, eng = device_engine(mine)
    await eng.sync_once()
    with cache.db.read() as conn:
        item = json.loads(
            conn.execute(
                "SELECT w.data FROM wishlist_items w JOIN shoppers s ON s.id = w.shopper_id LIMIT 1"
            ).fetchone()[0]
        )
    note_id = str(uuid.uuid4())
    now = wire.utc_now()
    aoife = {
        "staff_id": "A1001",
        "session_id": open_session(central.url, other["token"]),
        "signed_in": "online",
    }
    body = push_raw(
        central.url,
        other["token"],
        [
            {
                "id": str(uuid.uuid4()),
                "number": 1,
                "name": "add_note",
                "created_at": now,
                **aoife,
                "args": {
                    "note_id": note_id,
                    "shopper_id": item["shopper_id"],
                    "text": "From the other tablet.",
                },
            },
            {
                "id": str(uuid.uuid4()),
                "number": 2,
                "name": "move_wishlist_item_to_cart",
                "created_at": now,
                **aoife,
                "args": {"wishlist_item_id": item["id"], "qty": 1},
            },
        ],
    )
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
        assert (
            conn.execute(
                "SELECT version FROM tombstones WHERE entity = 'wishlist_item' AND id = ?",
                (item["id"],),
            ).fetchone()
            is not None
        )
    assert (await eng.sync_once()).pulled == 0


@pytest.mark.asyncio
async def test_commands_made_while_central_is_down_are_pushed_when_it_returns(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    commands = signed_in(cache)
    commands.subscribe(lambda entry: eng.nudge())
    await eng.sync_once()
    sku = first_in_stock(cache)
    sid = some_shopper(cache)
    before = available_at_central(central.url, enrolled_device["token"], sku, "S001")
    central.stop()
    with pytest.raises(Offline):
        await eng.sync_once()
    assert not eng.state.online and eng.state.offline_since
    await eng.start()
    local_before = cache.available(sku, "S001")
    assert local_before == before
    made = commands.reserve_item(shopper_id=sid, sku=sku, qty=1)
    note = commands.add_note(shopper_id=sid, text="Asked about waterproofing.")
    await wait_for(lambda: eng.state.pending == 2)
    assert cache.available(sku, "S001") == local_before - 1  # the optimistic hold
    central.restart()
    await wait_for(
        lambda: eng.state.online and eng.state.pending == 0 and not eng.state.syncing,
        timeout=30,
    )
    assert cache.pending_count() == 0 and cache.attention_count() == 0
    assert available_at_central(central.url, enrolled_device["token"], sku, "S001") == before - 1
    with central_view(central.url, enrolled_device["token"]) as client:
        profile = client.get(f"/v1/shoppers/{sid}").json()
    assert made.args["reservation_id"] in [r["id"] for r in profile["reservations"]]
    assert note.args["note_id"] in [n["id"] for n in profile["notes"]]
    # the confirmed rows arrived; nothing shows pending any more
    await wait_for(lambda: not any(r.pending for r in cache.shopper_profile(sid).reservations))  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_a_central_that_dies_while_idle_shows_offline_within_seconds(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    """Nothing to sync and the next round a minute away: the idle probe notices."""
    cache, eng = device_engine(enrolled_device, interval_s=60.0, watch_s=0.5)
    await eng.start()
    await wait_for(lambda: eng.state.online and eng.state.last_sync_at is not None, timeout=30)
    central.stop()
    await wait_for(lambda: not eng.state.online and eng.state.offline_since, timeout=5)
    central.restart()
    await wait_for(lambda: eng.state.online, timeout=30)


@pytest.mark.asyncio
@pytest.mark.parametrize("central_backend", BACKENDS, indirect=True)
async def test_two_devices_race_for_the_last_units(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    dev_a, dev_b = enroll_device(name="tablet A"), enroll_device(name="tablet B")
    cache_a, eng_a = device_engine(dev_a, "a.db")
    cache_b, eng_b = device_engine(dev_b, "b.db")
    await eng_a.sync_once()
    await eng_b.sync_once()
    # two left: availability is clamped at 0, so B holding both is visible as 2 -> 0
    sku = first_in_stock(cache_a, exactly=2)
    sid = some_shopper(cache_a)
    await eng_b.client.close()
    eng_b.client = CentralClient("http://127.0.0.1:9", token=dev_b["token"], timeout=1)
    # B is offline and reserves both; A reserves one
    assert cache_b.available(sku, "S001") == 2
    b_entry = signed_in(cache_b).reserve_item(shopper_id=sid, sku=sku, qty=2)
    a_entry = signed_in(cache_a).reserve_item(shopper_id=sid, sku=sku, qty=1)
    assert cache_b.available(sku, "S001") == 0  # optimistic
    assert cache_a.available(sku, "S001") == 1
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
    assert attention[0].message and "Only 1 left" in attention[0].message
    assert eng_b.state.attention == 1
    profile_b = cache_b.shopper_profile(sid)
    assert profile_b is not None
    ids_b = {r.id for r in profile_b.reservations}
    assert b_entry.args["reservation_id"] not in ids_b  # reverted
    assert a_entry.args["reservation_id"] in ids_b  # A's, confirmed, pulled
    assert cache_b.available(sku, "S001") == 1  # B's hold is gone, A's one is taken
    assert cache_a.outbox() == [] and cache_a.pending_count() == 0


@pytest.mark.asyncio
async def test_fetch_shopper_on_demand_is_kept(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    outsider = outside_the_book(central, enrolled_device, cache, "a")
    remote = await eng.search_remote_shoppers("a")
    assert any(s.id == outsider for s in remote)
    profile = await eng.fetch_shopper(outsider)
    assert profile is not None and profile.shopper.id == outsider
    assert cache.has_shopper(outsider)
    await eng.sync_once()
    assert cache.has_shopper(outsider)
    assert cache.search_shoppers(profile.shopper.loyalty_id)[0].id == outsider


@pytest.mark.asyncio
async def test_bad_token_is_auth_error(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    _, eng = device_engine(enrolled_device, token="x" * 40)
    with pytest.raises(AuthError):
        await eng.sync_once()
    assert eng.state.last_error and "enroll" in eng.state.last_error


@pytest.mark.asyncio
async def test_malformed_page_from_the_network_changes_nothing(mock_engine: MockEngine) -> None:
    good = {"changes": [], "next_cursor": "c.1", "has_more": False, "total_estimate": 0}
    bad = {
        "changes": [
            {"seq": 1, "entity": "shopper", "id": "SH1", "version": 1, "data": {"id": "SH1"}}
        ],
        "next_cursor": "c.2",
        "has_more": False,
    }
    pages = [good, bad]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages.pop(0))

    eng = mock_engine(handler)
    cache = eng.cache
    await eng.sync_once()
    assert cache.cursor() == "c.1"
    with pytest.raises(BadData):
        await eng.sync_once()
    assert cache.cursor() == "c.1" and cache.counts()["shopper"] == 0
    assert eng.state.last_error


@pytest.mark.asyncio
async def test_retry_after_and_server_errors(mock_engine: MockEngine) -> None:
    from sync.errors import ServerError

    def handler(request: httpx.Request) -> httpx.Response:
        return problem(503, "busy", "busy", "x", retry_after=7)

    eng = mock_engine(handler)
    with pytest.raises(ServerError) as info:
        await eng.sync_once()
    assert info.value.retry_after == 7 and info.value.status == 503
    from sync.connectivity import Backoff

    assert Backoff(base_s=0.01).next(info.value.retry_after) == 7


@pytest.mark.asyncio
async def test_engine_loop_syncs_on_start_and_after_a_command(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device, interval_s=3600)
    commands = signed_in(cache)
    commands.subscribe(lambda entry: eng.nudge())
    await eng.start()
    await wait_for(lambda: eng.state.initial_sync_done and not eng.state.syncing)
    entry = commands.add_note(shopper_id=some_shopper(cache), text="Loves the red boots.")
    await wait_for(lambda: cache.pending_count() == 0 and not eng.state.syncing)
    with cache.db.read() as conn:
        assert (
            conn.execute("SELECT state FROM outbox WHERE id = ?", (entry.id,)).fetchone()[0]
            == "applied"
        )
        assert meta.get(conn, meta.LAST_APPLIED_NUMBER) == 1


@pytest.mark.asyncio
async def test_purge_forgets_old_fetched_shoppers_only(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    outsider = outside_the_book(central, enrolled_device, cache, "e")
    await eng.fetch_shopper(outsider)
    books = cache.counts()["shopper"]
    assert cache.purge_fetched(90) == 0
    cache.now = lambda: "2099-01-01T00:00:00Z"  # type: ignore[method-assign]
    assert cache.purge_fetched(90) == 1
    assert not cache.has_shopper(outsider) and cache.counts()["shopper"] == books - 1


@pytest.mark.asyncio
async def test_a_reset_cache_renumbers_instead_of_getting_stuck(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    first, eng = device_engine(enrolled_device, "first.db")
    await eng.sync_once()
    sid = some_shopper(first)
    signed_in(first).add_note(shopper_id=sid, text="one")
    signed_in(first).add_note(shopper_id=sid, text="two")
    assert (await eng.sync_once()).applied == 2
    # the tablet's data was wiped; same device, same token: its numbering starts at 1 again
    fresh, eng = device_engine(enrolled_device, "fresh.db")
    await eng.sync_once()
    entry = signed_in(fresh).add_note(shopper_id=sid, text="three")
    assert entry.number == 1
    report = await eng.sync_once()
    assert report.applied == 1 and fresh.pending_count() == 0
    with fresh.db.read() as conn:
        assert meta.get(conn, meta.LAST_APPLIED_NUMBER) == 3


@pytest.mark.asyncio
async def test_a_nudge_does_not_cut_retry_after_short(mock_engine: MockEngine) -> None:
    """MockTransport: the real central cannot be made to answer 503 + Retry-After on demand."""
    import time

    requests: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(time.monotonic())
        if len(requests) == 1:
            return problem(503, "busy", "busy", "x", retry_after=2)
        return httpx.Response(
            200, json={"changes": [], "next_cursor": "c.1", "has_more": False, "total_estimate": 0}
        )

    eng = mock_engine(handler, interval_s=3600)
    await eng.start()
    await wait_for(lambda: eng.state.last_error is not None)
    eng.nudge()  # a local command right after the 503

    def nudged_again() -> bool:
        eng.nudge()  # and more of them while waiting
        return len(requests) >= 2

    # with interval_s=3600 a second request at all means the nudge was kept for later
    await wait_for(nudged_again, timeout=30)
    assert requests[1] - requests[0] >= 1.99  # Retry-After held despite the nudges
    await wait_for(lambda: eng.state.last_error is None and not eng.state.syncing)


def five_with(odd: str) -> tuple[str, ...]:
    """Five note texts, the third one ``odd``."""
    return ("one", "two", odd, "four", "five")


def _mock_central(
    fail: Callable[[list[dict[str, Any]]], httpx.Response | None],
) -> tuple[httpx.MockTransport, list[list[dict[str, Any]]]]:
    """A central that applies whatever it is sent unless ``fail(commands)`` answers."""
    posts: list[list[dict[str, Any]]] = []
    last = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            cursor = request.url.params.get("cursor", "c.0")
            return httpx.Response(
                200,
                json={"changes": [], "next_cursor": cursor, "has_more": False, "total_estimate": 0},
            )
        commands = json.loads(request.content)["commands"]
        posts.append(commands)
        failed = fail(commands)
        if failed is not None:
            return failed
        results = []
        for c in commands:
            last[0] = max(last[0], c["number"])
            results.append(
                {"id": c["id"], "number": c["number"], "status": "applied", "created": {}}
            )
        return httpx.Response(200, json={"results": results, "last_applied_number": last[0]})

    return httpx.MockTransport(handler), posts


@pytest.mark.asyncio
async def test_413_halves_the_batch_down_to_one(cache: Any, mock_engine: MockEngine) -> None:
    """MockTransport: central's body limit is 1 MB; five notes cannot reach it."""

    def fail(commands: list[dict[str, Any]]) -> httpx.Response | None:
        too_big = len(commands) > 2 or any(c["args"]["text"] == "HUGE" for c in commands)
        return (
            problem(413, "too_large", "Too large", "The request body is too large.")
            if too_big
            else None
        )

    transport, posts = _mock_central(fail)
    sid = some_shopper(cache)
    made = [Commands(cache, DEVICE).add_note(shopper_id=sid, text=t) for t in five_with("HUGE")]
    report = await mock_engine(transport, cache).sync_once()
    assert [len(p) for p in posts] == [5, 2, 2, 1, 1, 1]
    assert [[c["number"] for c in p] for p in posts][1:] == [[1, 2], [3, 4], [3], [3], [4]]
    assert report.applied == 4 and report.rejected == 1 and report.refused == 0
    assert cache.pending_count() == 0
    [stuck] = cache.outbox()
    assert stuck.id == made[2].id and stuck.code == "invalid_args" and stuck.message


@pytest.mark.asyncio
async def test_422_isolates_the_bad_command_and_the_rest_go_through(
    cache: Any, mock_engine: MockEngine
) -> None:
    """MockTransport: a command central refuses with 422 (a malformed ``created_at``,
    say) cannot be made through ``Commands``, which always writes valid ones."""

    def fail(commands: list[dict[str, Any]]) -> httpx.Response | None:
        if any(c["args"]["text"] == "bad" for c in commands):
            return problem(
                422,
                "invalid_request",
                "Invalid request",
                "commands.0.created_at: Input should be a valid datetime",
            )
        return None

    transport, posts = _mock_central(fail)
    sid = some_shopper(cache)
    made = [Commands(cache, DEVICE).add_note(shopper_id=sid, text=t) for t in five_with("bad")]
    assert any(
        n.id == made[2].args["note_id"]  # the optimistic note shows
        for n in cache.shopper_profile(sid).notes
    )  # type: ignore[union-attr]
    eng = mock_engine(transport, cache)
    report = await eng.sync_once()
    assert eng.state.attention == 1 and eng.state.pending == 0
    assert [len(p) for p in posts] == [5, 1, 1, 1, 1, 1]
    assert [p[0]["number"] for p in posts[1:]] == [1, 2, 3, 3, 4]
    assert report.applied == 4 and report.rejected == 1
    [stuck] = cache.outbox()
    assert stuck.id == made[2].id and stuck.state == "rejected"
    assert stuck.code == "invalid_args"
    assert stuck.message == "commands.0.created_at: Input should be a valid datetime"
    notes = {n.id for n in cache.shopper_profile(sid).notes}  # type: ignore[union-attr]
    assert made[2].args["note_id"] not in notes  # reverted
    with cache.db.read() as conn:
        states = dict(conn.execute("SELECT id, state FROM outbox").fetchall())
    assert [states[m.id] for m in made] == ["applied"] * 2 + ["rejected"] + ["applied"] * 2


@pytest.mark.asyncio
async def test_pushes_in_batches_in_number_order(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device, batch_size=2)
    posts: list[list[int]] = []
    answers: list[list[str]] = []

    async def on_request(request: httpx.Request) -> None:
        if request.method == "POST" and request.url.path == "/v1/sync/commands":
            posts.append([c["number"] for c in json.loads(request.content)["commands"]])

    async def on_response(response: httpx.Response) -> None:
        if response.request.method == "POST" and response.url.path == "/v1/sync/commands":
            await response.aread()
            answers.append([r["status"] for r in response.json()["results"]])

    http = eng.client._http  # the real client, with a counting hook
    http.event_hooks = {"request": [on_request], "response": [on_response]}
    await eng.sync_once()
    assert posts == []
    sid = some_shopper(cache)
    made = [signed_in(cache).add_note(shopper_id=sid, text=f"note {i}") for i in range(5)]
    report = await eng.sync_once()
    assert posts == [[1, 2], [3, 4], [5]]
    assert answers == [["applied", "applied"], ["applied", "applied"], ["applied"]]
    assert report.applied == 5 and cache.pending_count() == 0
    with cache.db.read() as conn:
        assert meta.get(conn, meta.LAST_APPLIED_NUMBER) == 5
        states = dict(conn.execute("SELECT id, state FROM outbox").fetchall())
    assert [states[m.id] for m in made] == ["applied"] * 5


@pytest.mark.asyncio
async def test_a_new_central_epoch_is_followed_not_stuck(
    central: CentralServer,
    enrolled_device: dict[str, Any],
    central_db_path: Path,
    tmp_path: Path,
    device_engine: DeviceEngine,
) -> None:
    import sqlite3

    def copy_db(src: Path, dst: Path) -> None:
        with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
            a.backup(b)
        a.close()
        b.close()

    cache, eng = device_engine(enrolled_device)
    backup = tmp_path / "central-backup.db"
    await eng.sync_once()
    central.stop()
    copy_db(central_db_path, backup)
    central.start()
    sid = some_shopper(cache)
    for i in range(3):
        signed_in(cache).add_note(shopper_id=sid, text=f"after the backup {i}")
    await eng.sync_once()  # the feed moved on past what the backup holds
    old = cache.cursor()
    assert old and (await eng.sync_once()).pulled == 0
    # central is restored from the backup under a new epoch: its feed ends lower
    central.stop()
    copy_db(backup, central_db_path)
    with sqlite3.connect(central_db_path) as conn:
        conn.execute("UPDATE meta SET value = 'newepoch0001' WHERE key = 'epoch'")
    conn.close()
    central.start()
    report = await eng.sync_once()
    assert report.pulled > 0
    new = cache.cursor()
    assert new and new.startswith("newepoch0001.") and new != old
    assert (await eng.sync_once()).pulled == 0  # following the new feed, not re-pulling
    assert cache.cursor() == new
