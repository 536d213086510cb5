"""The scoping case of ``return_items`` (collected by ``test_store_scoping``'s ``CASES``)."""

from __future__ import annotations

from typing import Any

from tests.central.helpers import DBReader
from tests.central.return_support import SHOE, get, item, put_order, put_stock, return_args
from tests.central.test_authorization import assert_not_allowed


def case_return_items(make_device: Any, db: DBReader) -> None:
    cork, kiosk = make_device("S002"), make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    order = put_order(db, shopper)  # a web order of a Dublin shopper
    put_stock(db, "S001", SHOE, on_hand=2)
    put_stock(db, "S002", SHOE, on_hand=2)
    kiosk.identify(db.loyalty(shopper))
    seq = db.value("SELECT max(seq) FROM entities")
    assert_not_allowed(kiosk.run("return_items", return_args(order), staff_id=None))
    # acting as another store's staff
    assert_not_allowed(cork.run("return_items", return_args(order), staff_id="A1001"))
    assert db.value("SELECT max(seq) FROM entities") == seq
    # allowed: Cork takes back a web order of a Dublin shopper; the return and stock are Cork's
    args = return_args(order, item(SHOE, 1))
    result = cork.run("return_items", args, staff_id="A1005")
    assert result["status"] == "applied", result
    assert result["created"]["number"].startswith("R-S002-")
    stored = get(db, "return", args["return_id"])
    assert stored is not None and stored["store_id"] == "S002"
    assert db.stock("S002", SHOE)["on_hand"] == 3 and db.stock("S001", SHOE)["on_hand"] == 2
    # Cork now serves the shopper: the return reaches Cork's tablets
    changes, _ = cork.pull_all()
    assert ("return", args["return_id"]) in changes
