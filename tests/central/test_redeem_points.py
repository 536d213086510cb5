"""``redeem_points`` on central, on SQLite and PostgreSQL: applied once with the shared
loyalty rules (balance, minimum, share of the total), replayed without change, refused
with a reason, and two devices spending the same points at once: one of them only. Web
and app orders that spend points are held to the same rule (``central.integration``)."""

from __future__ import annotations

import threading
from typing import Any

from central.entities import Entities
from sync import wire
from sync.rules import loyalty
from tests.central.helpers import DBReader, Device, new_id
from tests.central.integration_support import System, record, webshop
from tests.central.points_support import entity, place_order, redeem, shopper_with_points

__all__ = ["webshop"]  # the fixture


def test_points_come_off_the_balance_and_the_order_once(device: Device, db: DBReader) -> None:
    shopper = shopper_with_points(db, "S001", 3000)
    order = place_order(device, db, shopper)
    cmd = device.next("redeem_points", redeem(shopper, 600, order["id"]))
    first = device.send(cmd)["results"][0]
    assert first["status"] == "applied", first
    assert first["created"]["balance"] == 2400
    assert first["created"]["left_to_pay_cents"] == order["total_cents"] - 600
    assert entity(db, "shopper", shopper)["points"] == 2400
    paid = entity(db, "order", order["id"])
    assert (paid["points_redeemed"], paid["points_value_cents"]) == (600, 600)
    made = entity(db, "redemption", cmd["args"]["redemption_id"])
    assert (made["points"], made["value_cents"], made["order_id"], made["store_id"]) == (
        600,
        600,
        order["id"],
        "S001",
    )
    assert made["author"]["staff_id"] == device.staff_id
    # the same command again (a retry after a cut answer): the first answer, nothing more
    before = db.digest()
    again = device.send(cmd)["results"][0]
    assert again == first
    assert db.digest() == before
    assert entity(db, "shopper", shopper)["points"] == 2400
    # a second redemption on the same order is refused
    twice = device.run("redeem_points", redeem(shopper, 500, order["id"]))
    assert (twice["status"], twice["code"]) == ("rejected", "invalid_state")


def test_more_than_the_balance_or_fewer_than_the_minimum_is_not_enough_points(
    device: Device, db: DBReader
) -> None:
    shopper = shopper_with_points(db, "S001", 700)
    order = place_order(device, db, shopper)
    before = db.digest()
    over = device.run("redeem_points", redeem(shopper, 701, order["id"]))
    assert (over["status"], over["code"]) == ("rejected", "not_enough_points")
    assert over["message"] == "The shopper has 700 points: use that many or fewer."
    under = device.run("redeem_points", redeem(shopper, 499, order["id"]))
    assert (under["status"], under["code"]) == ("rejected", "not_enough_points")
    assert "500 or more" in under["message"]
    assert db.digest() != before  # the device's command numbers only
    assert entity(db, "shopper", shopper)["points"] == 700
    assert "points_redeemed" not in entity(db, "order", order["id"]) or (
        entity(db, "order", order["id"])["points_redeemed"] == 0
    )


def test_points_pay_at_most_the_policy_share_of_the_total(device: Device, db: DBReader) -> None:
    shopper = shopper_with_points(db, "S001", 10_000_000)
    order = place_order(device, db, shopper)
    most = order["total_cents"] * 50 // 100  # the default policy: 50 %, 1 cent a point
    over = device.run("redeem_points", redeem(shopper, most + 1, order["id"]))
    assert (over["status"], over["code"]) == ("rejected", "invalid_args")
    assert f"{most:,} points at most" in over["message"]
    ok = device.run("redeem_points", redeem(shopper, most, order["id"]))
    assert ok["status"] == "applied", ok
    assert ok["created"]["left_to_pay_cents"] == order["total_cents"] - most


def test_points_for_an_order_that_was_refused_are_refused_too(device: Device, db: DBReader) -> None:
    shopper = shopper_with_points(db, "S001", 3000)
    result = device.run("redeem_points", redeem(shopper, 500, new_id()))
    assert (result["status"], result["code"]) == ("rejected", "unknown_order")
    assert entity(db, "shopper", shopper)["points"] == 3000


def test_two_devices_spending_the_same_points_at_once_one_is_refused(
    make_device: Any, db: DBReader
) -> None:
    first, second = make_device("S001"), make_device("S001")
    shopper = shopper_with_points(db, "S001", 1000)
    orders = [place_order(first, db, shopper), place_order(second, db, shopper)]
    results: dict[int, dict[str, Any]] = {}
    barrier = threading.Barrier(2)

    def go(n: int, dev: Device) -> None:
        cmd = dev.next("redeem_points", redeem(shopper, 800, orders[n]["id"]))
        barrier.wait()
        results[n] = dev.send(cmd)["results"][0]

    threads = [threading.Thread(target=go, args=(n, d)) for n, d in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    outcomes = sorted((r["status"], r.get("code")) for r in results.values())
    assert outcomes == [("applied", None), ("rejected", "not_enough_points")], results
    assert entity(db, "shopper", shopper)["points"] == 200


def _put_return(db: DBReader, shopper: str, order: dict[str, Any], **kw: Any) -> str:
    """A return central made (as ``return_items`` writes it)."""
    return_id = new_id()
    data = {
        "id": return_id,
        "number": "R-S001-000001",
        "order_id": order["id"],
        "order_number": order["number"],
        "order_channel": "store",
        "shopper_id": shopper,
        "store_id": "S001",
        "lines": [
            {
                "sku": order["lines"][0]["sku"],
                "qty": 1,
                "price_cents": order["lines"][0]["price_cents"],
                "reason": "too_small",
                "condition": "as_new",
            }
        ],
        "refund_method": kw.get("refund_method", "original"),
        "refund_cents": order["lines"][0]["price_cents"],
        "exchange": kw.get("exchange"),
        "created_at": wire.utc_now(),
    }
    wire.Return.model_validate({**data, "version": 1, "updated_at": data["created_at"]})
    with db.db.transaction() as conn:
        Entities(db.db).put(conn, "return", data)
    return return_id


def test_points_toward_an_exchange_pay_part_of_what_it_leaves_to_pay(
    device: Device, db: DBReader
) -> None:
    shopper = shopper_with_points(db, "S001", 5000)
    order = place_order(device, db, shopper)
    exchange = {"kind": "reserve", "sku": order["lines"][0]["sku"], "qty": 1}
    exchange |= {"price_cents": 9000, "reservation_id": new_id(), "difference_cents": 2000}
    swap = _put_return(db, shopper, order, refund_method="exchange", exchange=exchange)
    over = device.run(
        "redeem_points", {**redeem(shopper, 1001, "x"), "order_id": None, "return_id": swap}
    )
    assert (over["status"], over["code"]) == ("rejected", "invalid_args")
    args = {**redeem(shopper, 1000, "x"), "order_id": None, "return_id": swap}
    ok = device.run("redeem_points", args)
    assert ok["status"] == "applied", ok
    assert ok["created"]["left_to_pay_cents"] == 1000
    assert entity(db, "redemption", args["redemption_id"])["return_id"] == swap
    assert entity(db, "shopper", shopper)["points"] == 4000


def test_a_web_order_spending_points_is_held_to_the_same_rule(
    device: Device, db: DBReader, webshop: System
) -> None:
    shopper = shopper_with_points(db, "S001", 2000)
    sku = db.sku_with_available("S001", 1)
    rules = wire.Policy.model_validate(entity(db, "policy", "chain"))

    def order(id_: str, points: int, value: int, version: int = 1, status: str = "paid") -> Any:
        data = {
            "number": f"W-{id_}",
            "shopper_id": shopper,
            "channel": "web",
            "status": status,
            "fulfilment": {"type": "ship_to_home", "address": "2 Main St, Sligo"},
            "payment": {"method": "card", "status": "paid"},
            "lines": [{"sku": sku, "qty": 1, "price_cents": 3000}],
            "total_cents": 3000,
            "points_redeemed": points,
            "points_value_cents": value,
            "created_at": wire.utc_now(),
        }
        return record("order", id_, version, data)

    # more than the balance, under the minimum, over the share, the wrong value: refused
    for points, value in ((2001, 2001), (499, 499), (1501, 1501), (1000, 999)):
        (refused,) = webshop.post(order("w-pts-x", points, value))
        assert (refused["status"], refused["problem"]["code"]) == ("rejected", "points_not_valid")
        assert refused["problem"]["errors"][0]["field"].startswith("data.points_")
    assert entity(db, "shopper", shopper)["points"] == 2000
    worth = loyalty.value_cents(rules, 1500)
    (paid,) = webshop.post(order("w-pts-1", 1500, worth))
    assert paid["status"] == "applied", paid
    assert entity(db, "shopper", shopper)["points"] == 500
    # the same order shipped later: the points are not spent twice
    (shipped,) = webshop.post(order("w-pts-1", 1500, worth, 2, "shipped"))
    assert shipped["status"] == "applied", shipped
    assert entity(db, "shopper", shopper)["points"] == 500
    # a system that knows nothing of points updates it: the points stay on the order
    unaware = order("w-pts-1", 0, 0, 3, "delivered")
    del unaware["data"]["points_redeemed"], unaware["data"]["points_value_cents"]
    (delivered,) = webshop.post(unaware)
    assert delivered["status"] == "applied", delivered
    assert entity(db, "order", "w-pts-1")["points_redeemed"] == 1500
    assert entity(db, "shopper", shopper)["points"] == 500
    # cancelled with the points given back
    (back,) = webshop.post(order("w-pts-1", 0, 0, 4, "cancelled"))
    assert back["status"] == "applied", back
    assert entity(db, "shopper", shopper)["points"] == 2000
