"""A follow-up's life through the real central and two tablets' sync engines: the first
to complete it wins and the other tablet is told on its attention list; a follow-up made
while central is down is sent once when it returns; a rule's follow-up arrives by pull."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from central.clienteling.task_rules import run_task_rules
from central.db import open_db
from central.entities import Entities
from central.server import CentralServer
from sync.clienteling_rules import rule_task_id
from sync.errors import Offline
from tests.support.signed_in import signed_in
from tests.support.waiting import wait_for
from tests.sync.live import DeviceEngine, central_view


def _in(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tasks_at_central(url: str, token: str, task_id: str) -> list[dict[str, Any]]:
    """Every change of the task in the device's whole feed (its versions, once each)."""
    seen: list[dict[str, Any]] = []
    cursor = ""
    with central_view(url, token) as client:
        while True:
            body = client.get("/v1/sync/changes", params={"cursor": cursor, "limit": 2000}).json()
            seen += [c for c in body["changes"] if c["entity"] == "task" and c["id"] == task_id]
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return seen


@pytest.mark.asyncio
async def test_two_tablets_complete_the_same_follow_up_and_the_second_is_told(
    enroll_device: Any, device_engine: DeviceEngine
) -> None:
    cache_a, eng_a = device_engine(enroll_device(name="tablet A"), "a.db")
    cache_b, eng_b = device_engine(enroll_device(name="tablet B"), "b.db")
    await eng_a.sync_once()
    await eng_b.sync_once()
    aoife, ciaran = signed_in(cache_a, "A1001"), signed_in(cache_b, "A1002")
    made = aoife.create_task(message="Call about the boots", due_at=_in(hours=4))
    task_id = made.args["task_id"]
    await eng_a.sync_once()
    await eng_b.sync_once()
    (seen,) = [t for t in cache_b.follow_ups("S001") if t.id == task_id]
    assert (seen.status, seen.pending, seen.created_by_name) == ("open", False, "Aoife Byrne")
    # both mark it done before either hears of the other
    aoife.update_task(task_id=task_id, action="done")
    late = ciaran.update_task(task_id=task_id, action="done")
    assert cache_b.task(task_id).status == "done"  # type: ignore[union-attr]  # at once
    await eng_a.sync_once()
    await eng_b.sync_once()
    entry = cache_b.outbox_entry(late.id)
    assert entry is not None and (entry.state, entry.code) == ("rejected", "conflict")
    closed = cache_b.task(task_id)
    assert closed is not None and (closed.status, closed.closed_by_name) == ("done", "Aoife Byrne")
    assert entry.message == f"Already done by Aoife Byrne at {closed.closed_at[11:16]}."  # type: ignore[index]
    assert cache_b.attention_count() == 1 and cache_a.attention_count() == 0


@pytest.mark.asyncio
async def test_a_follow_up_made_offline_is_sent_once_when_central_returns(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    commands = signed_in(cache)
    commands.subscribe(lambda _entry: eng.nudge())
    central.stop()
    with pytest.raises(Offline):
        await eng.sync_once()
    await eng.start()
    made = commands.create_task(message="Ring back about the wedding suit", due_at=_in(days=1))
    task_id = made.args["task_id"]
    (shown,) = [t for t in cache.follow_ups("S001") if t.id == task_id]
    assert shown.pending
    central.restart()
    await wait_for(
        lambda: eng.state.online and eng.state.pending == 0 and not eng.state.syncing, 30
    )
    await wait_for(lambda: not cache.task(task_id).pending, 30)  # type: ignore[union-attr]
    changes = _tasks_at_central(central.url, enrolled_device["token"], task_id)
    assert len(changes) == 1 and changes[0]["data"]["version"] == 1  # made once
    assert cache.attention_count() == 0


@pytest.mark.asyncio
async def test_a_rule_follow_up_reaches_the_tablet_by_pull(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    db = open_db(central.location)
    try:
        with db.transaction() as conn:
            order = _order_of_a_home_shopper(conn, "S001")
            delivered = datetime.now(UTC) - timedelta(days=8)
            fulfilled = {**order, "fulfilled_at": delivered.strftime("%Y-%m-%dT%H:%M:%SZ")}
            Entities(db).put(conn, "order", fulfilled)  # as the seed's stamps write it
        assert run_task_rules(db) >= 1
    finally:
        db.close()
    await eng.sync_once()
    task = cache.task(rule_task_id("after_purchase", "S001", order["id"]))
    assert task is not None and task.rule == "after_purchase" and not task.pending
    assert task in cache.follow_ups("S001")
    assert task.message.startswith(f"Follow up on order {order['number']}: how is ")


def _order_of_a_home_shopper(conn: Any, store_id: str) -> dict[str, Any]:
    """An order of a shopper whose home store is ``store_id`` (and nobody looks after)."""
    for (raw,) in conn.execute("SELECT data FROM entities WHERE entity = 'order' ORDER BY seq"):
        order: dict[str, Any] = json.loads(raw)
        shopper = conn.execute(
            "SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", (order["shopper_id"],)
        ).fetchone()
        assigned = conn.execute(
            "SELECT 1 FROM entities WHERE entity = 'client_assignment' AND shopper_id = ?",
            (order["shopper_id"],),
        ).fetchone()
        if json.loads(shopper[0])["home_store_id"] == store_id and assigned is None:
            return order
    raise AssertionError(f"no order of a shopper of {store_id}")
