"""A return of an online order, made offline, applied exactly once: across a cut answer,
across a killed app, and between two tablets returning the last unit of the same line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from central.server import CentralServer
from sync.client import CentralClient
from sync.errors import Offline
from sync.store import Cache
from tests.central.helpers import DBReader
from tests.central.return_support import SHOE, get, put_order
from tests.faults.conftest import ProxiedDevice
from tests.support.signed_in import open_session, signed_in
from tests.sync.live import close, device_cache, engine

ROOT = Path(__file__).resolve().parents[2]

ITEM = {"sku": SHOE, "qty": 1, "reason": "too_large", "condition": "as_new"}


def web_order(central: CentralServer, shoe_qty: int = 2) -> dict[str, Any]:
    """An online order, delivered three days ago, of a shopper in S001's book."""
    db = DBReader(central.location)
    try:
        lines = [{"sku": SHOE, "qty": shoe_qty, "price_cents": 12000}]
        return put_order(db, db.shopper_only_in("S001"), lines=lines)
    finally:
        db.close()


def at_central(central: CentralServer, order_id: str) -> tuple[list[str], int]:
    """The returns central holds of the order, and how many of its shoe came back."""
    db = DBReader(central.location)
    try:
        ids = [
            str(r[0])
            for r in db.rows(
                f"SELECT id FROM entities WHERE entity = 'return' AND {db.json('order_id')} = ?",
                order_id,
            )
        ]
        order = get(db, "order", order_id)
    finally:
        db.close()
    assert order is not None
    return ids, int(order["lines"][0].get("returned_qty", 0))


def shoe_line(cache: Cache, order_id: str) -> tuple[int, int, int]:
    """(returned, in flight, left) of the shoe as the return screen shows it."""
    line = next(ln for ln in cache.returnable_lines(order_id) if ln.sku == SHOE)
    return line.returned, line.in_flight, line.left


@pytest.mark.asyncio
@pytest.mark.parametrize("cut", ["before_the_answer", "mid_answer"])
async def test_a_return_made_offline_survives_a_cut_answer_once(
    central: CentralServer, proxied_device: ProxiedDevice, cut: str
) -> None:
    proxy, cache, eng = proxied_device.proxy, proxied_device.cache, proxied_device.engine
    order = web_order(central)
    await eng.sync_once()
    assert cache.order_by_number(order["number"]) is not None
    commands = signed_in(cache)
    proxy.refuse()  # the store's connection drops (and the kept-alive one with it)
    await eng.client.close()
    eng.client = CentralClient(proxy.url, token=proxied_device.token, timeout=5.0)
    entry = commands.return_items(order_id=order["id"], items=[ITEM], refund_method="original")
    with pytest.raises(Offline):
        await eng.sync_once()
    [pending] = cache.returns_of_order(order["id"])
    assert pending.state == "pending" and pending.number == "pending"
    assert shoe_line(cache, order["id"]) == (0, 1, 1)

    proxy.forward()  # back, but the answer to the push is cut off
    if cut == "mid_answer":  # the status line and part of the headers arrive, then nothing
        proxy.cut_response_midway(b"POST /v1/sync/commands", after_bytes=60)
    else:
        proxy.cut_response_after(b"POST /v1/sync/commands")
    with pytest.raises(Offline):
        await eng.sync_once()
    assert proxy.cuts == 1 and cache.pending_count() == 1
    assert at_central(central, order["id"]) == ([entry.args["return_id"]], 1)

    report = await eng.sync_once()  # the retry: same id, same number, the first answer
    assert report.applied == 1 and report.rejected == 0
    assert at_central(central, order["id"]) == ([entry.args["return_id"]], 1)
    [applied] = cache.returns_of_order(order["id"])
    assert applied.state == "applied" and applied.number.startswith("R-S001-")
    assert shoe_line(cache, order["id"]) == (1, 0, 1)


CHILD = textwrap.dedent("""
    import signal, sys
    from sync.queueing import Commands
    from sync.records import Actor
    from sync.store import Cache
    cache = Cache(sys.argv[1])
    commands = Commands(cache)
    commands.sign_in(Actor("A1001", sys.argv[3], "online"))
    item = {"sku": sys.argv[4], "qty": 1, "reason": "too_large", "condition": "as_new"}
    entry = commands.return_items(order_id=sys.argv[2], items=[item], refund_method="store_credit")
    print("done", entry.id, flush=True)
    signal.pause()  # the test SIGKILLs this process now
""")


@pytest.mark.asyncio
async def test_a_return_made_offline_survives_a_killed_app_once(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    token = enrolled_device["token"]
    path = tmp_path / "c.db"
    order = web_order(central)
    cache = device_cache(path, enrolled_device)
    eng = engine(cache, central.url, token)
    await eng.sync_once()
    await close(eng)
    session_id = open_session(central.url, token)
    cache.close()

    # the app queues the return with no connection at all, then is killed
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), order["id"], session_id, SHOE],
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
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()

    cache = Cache(path)
    eng = engine(cache, central.url, token)
    try:
        assert [e.id for e in cache.outbox(("pending",))] == [command_id]
        assert shoe_line(cache, order["id"]) == (0, 1, 1)
        assert (await eng.sync_once()).applied == 1
        assert (await eng.sync_once()).applied == 0
        entry = cache.outbox_entry(command_id)
        assert entry is not None and entry.state == "applied" and entry.attempts == 1
        assert at_central(central, order["id"]) == ([entry.args["return_id"]], 1)
        [applied] = cache.returns_of_order(order["id"])
        assert applied.state == "applied" and applied.refund_method == "store_credit"
        shopper = cache.shopper(order["shopper_id"])
        assert shopper is not None and shopper.store_credit_cents >= 12000
    finally:
        await close(eng)
        cache.close()


@pytest.mark.asyncio
async def test_two_tablets_return_the_last_unit_offline_one_is_refused(
    central: CentralServer, enroll_device: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    order = web_order(central, shoe_qty=1)
    tablets = []
    for n in (1, 2):
        device = enroll_device("S001", "associate")
        cache = device_cache(tmp_path / f"t{n}.db", device)
        eng = engine(cache, central.url, device["token"])
        await eng.sync_once()
        tablets.append((cache, eng, signed_in(cache)))
    try:
        # both offline: each tablet sees the unit as still returnable and queues it
        entries = [
            commands.return_items(order_id=order["id"], items=[ITEM], refund_method="original")
            for _, _, commands in tablets
        ]
        (first, first_eng, _), (second, second_eng, _) = tablets
        assert (await first_eng.sync_once()).applied == 1
        report = await second_eng.sync_once()
        assert (report.applied, report.rejected) == (0, 1)
        refused = second.outbox_entry(entries[1].id)
        assert refused is not None and refused.state == "rejected"
        assert refused.code == "over_returned"
        assert refused.message == (
            f"Only 0 of {SHOE} can still come back on order {order['number']}"
            " (the rest was returned already or is being returned)."
        )
        returns, back = at_central(central, order["id"])
        assert returns == [entries[0].args["return_id"]] and back == 1
        # the second tablet says so on the order, and nothing is left to return
        shown = {r.id: r for r in second.returns_of_order(order["id"])}
        assert shown[entries[1].args["return_id"]].state == "rejected"
        assert shown[entries[1].args["return_id"]].reason == refused.message
        assert shown[entries[0].args["return_id"]].state == "applied"
        assert shoe_line(second, order["id"]) == (1, 0, 0)
        assert shoe_line(first, order["id"]) == (1, 0, 0)
    finally:
        for cache, eng, _ in tablets:
            await close(eng)
            cache.close()
