"""Store scoping, one rule per command (each handler's docstring states it): a device of
another store, or a kiosk where the rule says so, is refused; the allowed case works."""

from __future__ import annotations

from typing import Any

from tests.central.helpers import DBReader, new_id
from tests.central.test_authorization import assert_not_allowed


def _pending_reservation(db: DBReader, store_id: str) -> str:
    value = db.value(
        "SELECT id FROM entities WHERE entity = 'reservation' AND deleted = 0"
        " AND json_extract(data, '$.store_id') = ?"
        " AND json_extract(data, '$.status') IN ('pending', 'ready')"
        " AND json_extract(data, '$.hold_until') > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " ORDER BY id LIMIT 1",
        store_id,
    )
    assert value
    return str(value)


def _status(db: DBReader, reservation_id: str) -> str:
    return str(
        db.value(
            "SELECT json_extract(data, '$.status') FROM entities"
            " WHERE entity = 'reservation' AND id = ?",
            reservation_id,
        )
    )


def test_a_note_does_not_let_another_store_cancel_a_reservation(
    make_device: Any, db: DBReader
) -> None:
    """The hole of issue 9.5: serving the shopper widened the book, and cancel only
    checked visibility."""
    reservation = _pending_reservation(db, "S001")
    shopper = db.value(
        "SELECT json_extract(data, '$.shopper_id') FROM entities"
        " WHERE entity = 'reservation' AND id = ?",
        reservation,
    )
    cork = make_device("S002")
    note = {"note_id": new_id(), "shopper_id": shopper, "text": "Visiting Cork"}
    assert cork.run("add_note", note, staff_id="A1005")["status"] == "applied"
    result = cork.run("cancel_reservation", {"reservation_id": reservation}, staff_id="A1005")
    assert_not_allowed(result)
    assert _status(db, reservation) != "cancelled"
    dublin = make_device("S001")
    ok = dublin.run("cancel_reservation", {"reservation_id": reservation})
    assert ok["status"] == "applied", ok
    assert _status(db, reservation) == "cancelled"
