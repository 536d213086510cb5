"""``return_items`` on central: re-validated with the shared rules against central's order
and policy, applied exactly once, with its stock, credit, points and exchange."""

from __future__ import annotations

import re
from typing import Any

from tests.central.helpers import DBReader, Device, new_id
from tests.central.integration_support import System, webshop
from tests.central.return_support import (
    SCARF,
    SHOE,
    SHOE_43,
    get,
    item,
    put_order,
    put_policy,
    put_stock,
    return_args,
)

MANAGER, ASSOCIATE = "A1001", "A1002"  # both at S001

__all__ = ["webshop"]  # the fixture


def _shopper(db: DBReader) -> str:
    return db.shopper_only_in("S001")


def _rejected(result: dict[str, Any], code: str) -> str:
    assert (result["status"], result["code"]) == ("rejected", code), result
    message = str(result["message"])
    assert message.endswith(".") or message.endswith(":")
    return message


def test_a_return_is_applied_once_and_a_replay_answers_the_same(
    device: Device, db: DBReader
) -> None:
    order = put_order(db, _shopper(db))
    command = device.next("return_items", return_args(order, item(SHOE, 1)))
    first = device.send(command)["results"][0]
    assert first["status"] == "applied", first
    number = first["created"]["number"]
    assert re.fullmatch(r"R-S001-\d{6}", number)
    assert first["created"]["refund_cents"] == 12000
    seq = db.value("SELECT max(seq) FROM entities")
    again = device.send(command)["results"][0]
    assert again == first
    assert db.value("SELECT max(seq) FROM entities") == seq
    returns = db.rows(
        f"SELECT id FROM entities WHERE entity = 'return' AND {db.json('order_id')} = ?",
        order["id"],
    )
    assert len(returns) == 1
    stored = get(db, "return", returns[0][0])
    assert stored is not None and stored["number"] == number and stored["store_id"] == "S001"
    assert stored["order_channel"] == "web" and stored["author"]["staff_id"] == "A1001"
    after = get(db, "order", order["id"])
    assert after is not None and after["lines"][0]["returned_qty"] == 1
    assert after["status"] == "delivered"
    events = db.rows(
        "SELECT type FROM integration_events WHERE entity = 'return' AND id = ?", returns[0][0]
    )
    assert events == [("return.created",)]
    # the next return of this store takes the next number
    second = device.run("return_items", return_args(order, item(SCARF, 1)))
    assert second["created"]["number"] == f"R-S001-{int(number[-6:]) + 1:06d}"


def test_everything_back_marks_the_order_returned_and_refunded(
    device: Device, db: DBReader
) -> None:
    order = put_order(db, _shopper(db))
    result = device.run("return_items", return_args(order, item(SHOE, 2), item(SCARF, 1)))
    assert result["status"] == "applied", result
    after = get(db, "order", order["id"])
    assert after is not None and after["status"] == "returned"
    assert after["payment"]["status"] == "refunded"
    assert [ln["returned_qty"] for ln in after["lines"]] == [2, 1]


def test_an_over_return_is_refused_with_its_reason(device: Device, db: DBReader) -> None:
    order = put_order(db, _shopper(db))
    assert device.run("return_items", return_args(order, item(SHOE, 2)))["status"] == "applied"
    message = _rejected(
        device.run("return_items", return_args(order, item(SHOE, 1))), "over_returned"
    )
    assert "Only 0 of AT-TRN-101-BLK-42" in message and order["number"] in message
    _rejected(device.run("return_items", return_args(order, item(SHOE_43, 1))), "over_returned")


def test_unknown_and_cancelled_orders_are_refused(device: Device, db: DBReader) -> None:
    ghost = {"id": "order-nope", "number": "W-0"}
    message = _rejected(device.run("return_items", return_args(ghost)), "unknown_order")
    assert "receipt" in message
    cancelled = put_order(db, _shopper(db), status="cancelled")
    _rejected(device.run("return_items", return_args(cancelled)), "not_returnable")


def test_too_late_unless_a_manager_overrides_within_the_override_days(
    device: Device, db: DBReader
) -> None:
    late = put_order(db, _shopper(db), days_ago=40)
    message = _rejected(device.run("return_items", return_args(late)), "too_late")
    assert "30-day return window" in message and "manager" in message
    override = {"override": True, "override_reason": "Shopper was abroad"}
    _rejected(
        device.run("return_items", return_args(late, **override), staff_id=ASSOCIATE),
        "not_allowed",
    )
    ok = device.run("return_items", return_args(late, **override), staff_id=MANAGER)
    assert ok["status"] == "applied", ok
    stored = get(db, "return", ok["created"]["return_id"])
    assert stored is not None and stored["override_by"] == MANAGER
    assert stored["override_reason"] == "Shopper was abroad"
    gone = put_order(db, _shopper(db), days_ago=70)
    message = _rejected(
        device.run("return_items", return_args(gone, **override), staff_id=MANAGER), "too_late"
    )
    assert "even a manager" in message


def test_the_window_is_centrals_policy_per_channel(device: Device, db: DBReader) -> None:
    put_policy(db, return_days={"web": 60, "app": 30, "store": 30})
    web = put_order(db, _shopper(db), days_ago=40)
    assert device.run("return_items", return_args(web))["status"] == "applied"
    app = put_order(db, _shopper(db), days_ago=40, channel="app")
    _rejected(device.run("return_items", return_args(app)), "too_late")


def test_an_item_the_policy_bars_needs_a_manager(device: Device, db: DBReader) -> None:
    put_policy(db, not_returnable_categories=["accessories"])
    order = put_order(db, _shopper(db))
    message = _rejected(
        device.run("return_items", return_args(order, item(SCARF))), "not_returnable"
    )
    assert "cannot be returned" in message
    override = {"override": True, "override_reason": "Faulty clasp"}
    _rejected(
        device.run("return_items", return_args(order, item(SCARF), **override), staff_id=ASSOCIATE),
        "not_returnable",
    )
    ok = device.run("return_items", return_args(order, item(SCARF), **override), staff_id=MANAGER)
    assert ok["status"] == "applied", ok
    # an item the policy takes back needs no override: none is recorded
    plain = device.run("return_items", return_args(order, item(SHOE), **override), staff_id=MANAGER)
    stored = get(db, "return", plain["created"]["return_id"])
    assert stored is not None and stored["override_by"] is None


def test_stock_comes_back_here_only_if_it_can_be_sold_again(device: Device, db: DBReader) -> None:
    put_stock(db, "S001", SHOE, on_hand=4, reserved=1)
    order = put_order(db, _shopper(db))
    device.run("return_items", return_args(order, item(SHOE, 1, "damaged")))
    assert db.stock("S001", SHOE) == {"on_hand": 4, "reserved": 1, "available": 3}
    device.run("return_items", return_args(order, item(SHOE, 1, "opened")))
    assert db.stock("S001", SHOE) == {"on_hand": 5, "reserved": 1, "available": 4}


def test_store_credit_and_points_come_back_to_the_shopper(device: Device, db: DBReader) -> None:
    shopper_id = _shopper(db)
    before = get(db, "shopper", shopper_id)
    assert before is not None
    order = put_order(db, shopper_id, points_redeemed=1000)  # total 289.95
    result = device.run(
        "return_items", return_args(order, item(SHOE, 1), refund_method="store_credit")
    )
    assert result["status"] == "applied", result
    assert result["created"]["points_back"] == 1000 * 12000 // 28995 == 413
    after = get(db, "shopper", shopper_id)
    assert after is not None
    assert after["store_credit_cents"] == before.get("store_credit_cents", 0) + 12000
    assert after["points"] == before["points"] + 413
    original = device.run("return_items", return_args(order, item(SCARF, 1)))
    assert original["created"]["points_back"] == 1000 * 4995 // 28995
    again = get(db, "shopper", shopper_id)
    assert again is not None and again["store_credit_cents"] == after["store_credit_cents"]


def test_an_exchange_held_here_is_ready_with_its_difference(device: Device, db: DBReader) -> None:
    put_stock(db, "S001", SHOE_43, on_hand=3)
    order = put_order(db, _shopper(db))
    rid = new_id()
    swap = {"kind": "reserve", "sku": SHOE_43, "qty": 1, "reservation_id": rid}
    args = return_args(order, item(SHOE, 1), refund_method="exchange", exchange=swap)
    result = device.run("return_items", args)
    assert result["status"] == "applied", result
    held = get(db, "reservation", rid)
    assert held is not None and (held["status"], held["store_id"]) == ("ready", "S001")
    assert held["shopper_id"] == order["shopper_id"] and held["sku"] == SHOE_43
    assert db.stock("S001", SHOE_43)["reserved"] == 1
    stored = get(db, "return", args["return_id"])
    assert stored is not None and stored["refund_method"] == "exchange"
    exchange = stored["exchange"]
    assert exchange["reservation_id"] == rid and 0 < exchange["price_cents"] <= 13995
    assert exchange["difference_cents"] == exchange["price_cents"] - 12000
    assert result["created"]["difference_cents"] == exchange["difference_cents"]


def test_an_exchange_ordered_online_is_an_order_of_this_store(device: Device, db: DBReader) -> None:
    put_stock(db, "WEB", SHOE_43, on_hand=10)
    order = put_order(db, _shopper(db))
    oid = new_id()
    swap = {
        "kind": "order",
        "sku": SHOE_43,
        "qty": 1,
        "order_id": oid,
        "fulfilment": "ship_to_store",
    }
    args = return_args(order, item(SHOE, 2), refund_method="exchange", exchange=swap)
    result = device.run("return_items", args)
    assert result["status"] == "applied", result
    placed = get(db, "order", oid)
    assert placed is not None and placed["channel"] == "store" and placed["store_id"] == "S001"
    assert placed["fulfilment"] == {"type": "ship_to_store", "store_id": "S001", "address": None}
    assert result["created"]["exchange_order_number"] == placed["number"]
    price = placed["lines"][0]["price_cents"]
    assert result["created"]["difference_cents"] == price - 24000 < 0
    assert (placed["status"], placed["payment"]["status"]) == ("paid", "paid")
    assert db.stock("WEB", SHOE_43)["reserved"] == 1


def test_an_exchange_must_be_coherent(device: Device, db: DBReader) -> None:
    order = put_order(db, _shopper(db))
    swap = {"kind": "reserve", "sku": SHOE_43, "qty": 1, "reservation_id": new_id()}
    _rejected(device.run("return_items", return_args(order, exchange=swap)), "invalid_args")
    _rejected(
        device.run("return_items", return_args(order, refund_method="exchange")), "invalid_args"
    )
    other_style = {"kind": "reserve", "sku": SCARF, "qty": 1, "reservation_id": new_id()}
    _rejected(
        device.run(
            "return_items",
            return_args(order, item(SHOE), refund_method="exchange", exchange=other_style),
        ),
        "invalid_args",
    )
    put_stock(db, "S001", SHOE_43, on_hand=0)
    none_here = return_args(order, refund_method="exchange", exchange=swap)
    message = _rejected(device.run("return_items", none_here), "out_of_stock")
    assert "order online" in message
    after = get(db, "order", order["id"])
    assert after is not None and after["lines"][0].get("returned_qty", 0) == 0


def test_an_order_is_found_by_its_number_however_typed(device: Device, db: DBReader) -> None:
    order = put_order(db, db.shopper_only_in("S002"))
    typed = "https://shop.example/orders/" + order["number"].lower().replace("-", "")
    found = device.client.get("/v1/orders", params={"number": typed})
    assert found.status_code == 200 and found.json()["id"] == order["id"]
    missing = device.client.get("/v1/orders", params={"number": "W-000000000"})
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_order"


def test_the_web_shop_hears_of_a_return_and_its_exchange_once(
    webshop: System, device: Device, db: DBReader
) -> None:
    start = webshop.events()["next_cursor"]
    put_stock(db, "S001", SHOE_43, on_hand=2)
    order = put_order(db, _shopper(db))
    swap = {"kind": "reserve", "sku": SHOE_43, "qty": 1, "reservation_id": new_id()}
    command = device.next(
        "return_items",
        return_args(order, item(SHOE, 1), refund_method="exchange", exchange=swap),
    )
    device.send(command)
    device.send(command)  # a replay writes no second event
    events = webshop.all_events(start)
    kinds = [(e["type"], e["id"]) for e in events]
    assert kinds.count(("return.created", command["args"]["return_id"])) == 1
    assert ("reservation.created", swap["reservation_id"]) in kinds
    [event] = [e for e in events if e["type"] == "return.created"]
    assert event["data"]["order_number"] == order["number"] and event["store_id"] == "S001"
    assert event["data"]["exchange"]["reservation_id"] == swap["reservation_id"]
