"""The scoping case of ``redeem_points`` (collected by ``test_store_scoping``)."""

from __future__ import annotations

from typing import Any

from tests.central.helpers import DBReader
from tests.central.points_support import entity, place_order, redeem, shopper_with_points
from tests.central.test_authorization import assert_not_allowed


def _refused(db: DBReader, device: Any, args: dict[str, Any], **kw: Any) -> dict[str, Any]:
    seq = db.value("SELECT max(seq) FROM entities")
    result: dict[str, Any] = device.run("redeem_points", args, **kw)
    assert result["status"] == "rejected", result
    assert db.value("SELECT max(seq) FROM entities") == seq
    return result


def case_redeem_points(make_device: Any, db: DBReader) -> None:
    dublin, cork, kiosk = make_device("S001"), make_device("S002"), make_device("S001", "kiosk")
    shopper = shopper_with_points(db, "S001", 5000)
    order = place_order(dublin, db, shopper)
    points = 500
    # refused: a kiosk, and another store's tablet (the order is Dublin's)
    assert_not_allowed(_refused(db, kiosk, redeem(shopper, points, order["id"]), staff_id=None))
    assert_not_allowed(_refused(db, cork, redeem(shopper, points, order["id"]), staff_id="A1005"))
    # allowed: the store that placed the order
    result = dublin.run("redeem_points", redeem(shopper, points, order["id"]))
    assert result["status"] == "applied", result
    assert entity(db, "shopper", shopper)["points"] == 4500
