"""Undo "ready" and "collected" shortly after, at the holding store (``sync.rules.reservations``).

A change is made old by writing an earlier ``updated_at`` into the served database (what a
reservation marked ready an hour ago looks like), never by sleeping.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sync.rules.reservations import UNDO_WINDOW
from tests.central.helpers import DBReader, Device, new_id
from tests.central.test_commands import reserve_args


def _reserved(device: Device, db: DBReader) -> tuple[str, str]:
    sku = db.sku_with_available("S001", 2)
    args = reserve_args("S001", sku, db.shopper_only_in("S001"))
    assert device.run("reserve_item", args)["status"] == "applied"
    return str(args["reservation_id"]), sku


def _status(device: Device, rid: str, status: str) -> dict[str, Any]:
    return device.run("set_reservation_status", {"reservation_id": rid, "status": status})


def _state(db: DBReader, rid: str) -> str:
    return str(db.value(f"SELECT {db.json('status')} FROM entities WHERE id = ?", rid))


def test_undo_ready_sets_it_pending_again(device: Device, db: DBReader) -> None:
    rid, _sku = _reserved(device, db)
    assert _status(device, rid, "ready")["status"] == "applied"
    assert _status(device, rid, "pending")["status"] == "applied"
    assert _state(db, rid) == "pending"
    assert _status(device, rid, "pending")["code"] == "invalid_state"  # nothing to undo


def test_undo_collected_puts_the_units_back_on_the_shelf(device: Device, db: DBReader) -> None:
    rid, sku = _reserved(device, db)
    held = db.stock("S001", sku)
    assert _status(device, rid, "collected")["status"] == "applied"
    assert db.stock("S001", sku)["on_hand"] == held["on_hand"] - 1
    assert _status(device, rid, "ready")["status"] == "applied"
    assert _state(db, rid) == "ready"
    assert db.stock("S001", sku) == held


def _backdate(db: DBReader, rid: str, field: str, moment: datetime) -> None:
    data = json.loads(db.value("SELECT data FROM entities WHERE id = ?", rid))
    data[field] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    db.write("UPDATE entities SET data = ? WHERE id = ?", json.dumps(data), rid)


def test_undo_too_late_is_invalid_state(device: Device, db: DBReader) -> None:
    rid, sku = _reserved(device, db)
    assert _status(device, rid, "collected")["status"] == "applied"
    _backdate(db, rid, "updated_at", datetime.now(UTC) - UNDO_WINDOW - timedelta(minutes=1))
    collected = db.stock("S001", sku)
    result = _status(device, rid, "ready")
    assert result["code"] == "invalid_state", result
    assert _state(db, rid) == "collected"
    assert db.stock("S001", sku) == collected


def test_undo_ready_after_the_hold_ended_is_invalid_state(device: Device, db: DBReader) -> None:
    rid, _sku = _reserved(device, db)
    assert _status(device, rid, "ready")["status"] == "applied"
    _backdate(db, rid, "hold_until", datetime.now(UTC) - timedelta(minutes=1))
    assert _status(device, rid, "pending")["code"] == "invalid_state"
    assert _state(db, rid) == "ready"


def test_undo_at_another_store_is_not_allowed(make_device: Any, db: DBReader) -> None:
    dublin, cork = make_device("S001"), make_device("S002")
    rid, _sku = _reserved(dublin, db)
    shopper = db.value(f"SELECT {db.json('shopper_id')} FROM entities WHERE id = ?", rid)
    note = {"note_id": new_id(), "shopper_id": shopper, "text": "In Cork today"}
    assert cork.run("add_note", note, staff_id="A1005")["status"] == "applied"  # Cork sees it
    assert _status(dublin, rid, "ready")["status"] == "applied"
    undo = {"reservation_id": rid, "status": "pending"}
    assert cork.run("set_reservation_status", undo, staff_id="A1005")["code"] == "not_allowed"
    assert _state(db, rid) == "ready"
