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
    """``n`` shoppers of S001 nobody looks after yet (the demo gives every associate a book)."""
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' AND id NOT IN "
            "(SELECT shopper_id FROM client_assignments WHERE store_id = 'S001' "
            "AND staff_id IS NOT NULL) ORDER BY id LIMIT ?",
            (n,),
        )
        return [r[0] for r in rows]


def _book(cache: Any, staff: str) -> set[str]:
    return {r.shopper_id for r in cache.client_book("S001", "mine", staff, limit=1000)}


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
    his, hers, sizes = _book(cache, "A1002"), _book(cache, "A1003"), cache.book_sizes("S001")
    assert his and hers and _book(other, "A1003") == hers  # the demo's books
    moved = {*his, first, second}
    after = {k: v for k, v in sizes.items() if k != "A1002"} | {"A1003": len(hers) + len(moved)}

    central.stop()
    with pytest.raises(Offline):
        await eng.sync_once()
    await eng.start()
    commands.assign_client(action="assign", shopper_id=first, staff_id="A1002")
    commands.assign_client(action="assign", shopper_id=second, staff_id="A1002")
    commands.assign_client(action="transfer", from_staff_id="A1002", staff_id="A1003")
    # offline, the tablet shows it at once: both (and Ciarán's book) moved on to Niamh,
    # waiting for central
    niamh = cache.client_book("S001", "mine", "A1003", limit=1000)
    assert {r.shopper_id for r in niamh} == moved | hers
    assert all(r.pending == (r.shopper_id in moved) for r in niamh)
    assert cache.book_sizes("S001") == after
    assert other.looked_after_by(first, "S001") is None

    central.restart()
    await wait_for(
        lambda: eng.state.online and eng.state.pending == 0 and not eng.state.syncing,
        timeout=30,
    )
    assert cache.attention_count() == 0
    await wait_for(
        lambda: not any(r.pending for r in cache.client_book("S001", "mine", "A1003", limit=1000))
    )
    assert _book(cache, "A1003") == moved | hers
    await other_eng.sync_once()
    seen = other.looked_after_by(first, "S001")
    assert seen is not None and (seen.staff_id, seen.staff_name, seen.pending) == (
        "A1003",
        "Niamh Kavanagh",
        False,
    )
    assert [r.shopper_id for r in other.client_book("S001", "mine", "A1002")] == []
    assert other.book_sizes("S001") == after and _book(other, "A1003") == moved | hers
