"""Undo on the device: the reservation shows the status it goes back to until central answers."""

from __future__ import annotations

import pytest

from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.store import Cache
from tests.sync.test_commands import in_stock, shopper_id


def test_undo_ready_and_collected_show_at_once(cache: Cache, commands: Commands) -> None:
    sku, available = in_stock(cache)
    made = commands.reserve_item(shopper_id=shopper_id(cache), sku=sku, qty=1)
    rid = str(made.args["reservation_id"])
    with pytest.raises(InvalidInput, match="already pending"):
        commands.set_reservation_status(reservation_id=rid, status="pending")
    commands.set_reservation_status(reservation_id=rid, status="ready")
    undo = commands.set_reservation_status(reservation_id=rid, status="pending")
    assert undo.summary.startswith("Undo: mark")
    view = cache.reservation(rid)
    assert view is not None and view.status == "pending" and view.pending
    commands.set_reservation_status(reservation_id=rid, status="collected")
    commands.set_reservation_status(reservation_id=rid, status="ready")
    view = cache.reservation(rid)
    assert view is not None and view.status == "ready" and view.pending
    assert cache.available(sku, "S001") == available - 1  # still held, never on sale
