"""The client book end to end against the real central: a manager assigns and transfers
while central is down, the tablet pushes when it returns, and the store's other tablet
sees who looks after whom after its pull."""

from __future__ import annotations

from typing import Any

import pytest

from central.server import CentralServer
from sync.errors import Offline
from tests.support.signed_in import signed_in
from tests.support.waiting import wait_for
from tests.sync.live import DeviceEngine


def _book_shoppers(cache: Any, n: int) -> list[str]:
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' ORDER BY id LIMIT ?", (n,)
        )
        return [r[0] for r in rows]


@pytest.mark.asyncio
async def test_assigned_offline_reaches_the_other_tablet_after_reconnecting(
    central: CentralServer,
    enroll_device: Any,
    device_engine: DeviceEngine,
) -> None:
    cache, eng = device_engine(enroll_device("S001"), "a.db")
    other, other_eng = device_engine(enroll_device("S001"), "b.db")
    commands = signed_in(cache, "A1001")  # Aoife manages S001
    commands.subscribe(lambda entry: eng.nudge())
    await eng.sync_once()
    await other_eng.sync_once()
    first, second = _book_shoppers(cache, 2)

    central.stop()
    with pytest.raises(Offline):
        await eng.sync_once()
    await eng.start()
    commands.assign_client(action="assign", shopper_id=first, staff_id="A1002")
    commands.assign_client(action="assign", shopper_id=second, staff_id="A1002")
    commands.assign_client(action="transfer", from_staff_id="A1002", staff_id="A1003")
    # offline, the tablet shows it at once: both moved on to Niamh, waiting for central
    assert {r.shopper_id for r in cache.client_book("S001", "mine", "A1003")} == {first, second}
    assert all(r.pending for r in cache.client_book("S001", "mine", "A1003"))
    assert cache.book_sizes("S001") == {"A1003": 2}
    assert other.looked_after_by(first, "S001") is None

    central.restart()
    await wait_for(
        lambda: eng.state.online and eng.state.pending == 0 and not eng.state.syncing,
        timeout=30,
    )
    assert cache.attention_count() == 0
    await wait_for(lambda: not any(r.pending for r in cache.client_book("S001", "mine", "A1003")))
    await other_eng.sync_once()
    seen = other.looked_after_by(first, "S001")
    assert seen is not None and (seen.staff_id, seen.staff_name, seen.pending) == (
        "A1003",
        "Niamh Kavanagh",
        False,
    )
    assert [r.shopper_id for r in other.client_book("S001", "mine", "A1002")] == []
    assert other.book_sizes("S001") == {"A1003": 2}
