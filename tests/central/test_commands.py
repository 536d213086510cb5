"""Commands over real HTTP: exactly once, in number order, against current stock."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.central.helpers import DBReader, Device, command, hold_until, new_id

HOLD = hold_until()


def reserve_args(store: str, sku: str, shopper: str, qty: int = 1) -> dict[str, Any]:
    return {
        "reservation_id": new_id(),
        "store_id": store,
        "sku": sku,
        "qty": qty,
        "shopper_id": shopper,
        "hold_until": HOLD,
    }


def test_reserve_item_takes_stock_and_appears_in_the_feed(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 2)
    shopper = db.shopper_only_in("S001")
    before = db.stock("S001", sku)
    cursor = db.cursor()
    args = reserve_args("S001", sku, shopper)
    result = device.run("reserve_item", args)
    assert result["status"] == "applied", result
    assert result["created"] == {"reservation_id": args["reservation_id"]}
    after = db.stock("S001", sku)
    assert after["available"] == before["available"] - 1
    assert after["reserved"] == before["reserved"] + 1
    assert after["on_hand"] == before["on_hand"]
    changes, _ = device.pull_all(cursor)
    res = changes[("reservation", args["reservation_id"])]["data"]
    assert res["status"] == "pending" and res["created_by"] == "A1001"
    assert changes[("inventory", f"S001:{sku}")]["data"]["available"] == after["available"]


def test_a_command_sent_twice_creates_one_reservation(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 2)
    shopper = db.shopper_only_in("S001")
    cmd = device.next("reserve_item", reserve_args("S001", sku, shopper))
    first = device.send(cmd)
    digest = db.digest()
    second = device.send(cmd)
    assert second == first
    assert db.digest() == digest
    assert (
        db.value(
            "SELECT count(*) FROM entities WHERE entity = 'reservation' AND id = ?",
            cmd["args"]["reservation_id"],
        )
        == 1
    )
    # resent inside a later batch, with a new command after it
    nxt = device.next("add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "Hi"})
    both = device.send(cmd, nxt)
    assert both["results"][0] == first["results"][0]
    assert both["results"][1]["status"] == "applied"
    assert both["last_applied_number"] == 2


def test_two_devices_reserving_the_last_unit(make_device: Any, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 1, exactly=True)
    shopper = db.shopper_only_in("S001")
    devices = [make_device("S001"), make_device("S001")]
    results: list[dict[str, Any]] = []
    barrier = threading.Barrier(2)

    def go(dev: Device) -> None:
        cmd = dev.next("reserve_item", reserve_args("S001", sku, shopper))
        barrier.wait()
        results.append(dev.send(cmd)["results"][0])

    threads = [threading.Thread(target=go, args=(d,)) for d in devices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["status"] for r in results) == ["applied", "rejected"]
    rejected = next(r for r in results if r["status"] == "rejected")
    assert rejected["code"] == "out_of_stock"
    assert "None left at Dublin Grafton Street" in rejected["message"]
    assert "order online" in rejected["message"]
    assert db.stock("S001", sku)["available"] == 0


def test_a_gap_is_refused_and_nothing_after_it_applies(device: Device, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    note = {"shopper_id": shopper, "text": "Likes navy"}
    aoife = {"staff_id": "A1001", "session_id": device.session("A1001")}
    c1 = command(1, "add_note", {**note, "note_id": new_id()}, **aoife)
    c3 = command(3, "add_note", {**note, "note_id": new_id()}, **aoife)
    c4 = command(4, "add_note", {**note, "note_id": new_id()}, **aoife)
    body = device.send(c1, c3, c4)
    assert [r["status"] for r in body["results"]] == ["applied", "refused", "refused"]
    assert [r["code"] for r in body["results"][1:]] == ["gap", "gap"]
    assert body["last_applied_number"] == 1
    for c in (c3, c4):
        assert db.value("SELECT count(*) FROM entities WHERE id = ?", c["args"]["note_id"]) == 0
    c2 = command(2, "add_note", {**note, "note_id": new_id()}, **aoife)
    body = device.send(c2, c3, c4)
    assert [r["status"] for r in body["results"]] == ["applied"] * 3
    assert body["last_applied_number"] == 4


def test_same_number_other_id_is_a_conflict(device: Device, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    c1 = command(1, "add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "a"})
    device.send(c1)
    digest = db.digest()
    other = command(1, "add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "b"})
    result = device.send(other)["results"][0]
    assert (result["status"], result["code"]) == ("refused", "conflict")
    assert db.digest() == digest


def test_numbers_are_per_device(make_device: Any, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    for dev in (make_device("S001"), make_device("S001")):
        r = dev.run("add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "x"})
        assert (r["number"], r["status"]) == (1, "applied")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"qty": -1}, "invalid_args"),
        ({"qty": 0}, "invalid_args"),
        ({"qty": 100}, "invalid_args"),
        ({"sku": None}, "invalid_args"),
        ({"sku": "NO-SUCH-SKU"}, "unknown_sku"),
        ({"shopper_id": "SH999999"}, "unknown_shopper"),
        ({"store_id": "S999"}, "unknown_store"),
        ({"store_id": "WEB"}, "unknown_store"),
        ({"hold_until": "tomorrow"}, "invalid_args"),
        ({"shopper_id": "x" * 10_000}, "invalid_args"),
        ({"extra": "field"}, "invalid_args"),
    ],
)
def test_bad_reserve_args_are_rejected_and_change_nothing(
    device: Device, db: DBReader, args: dict[str, Any], code: str
) -> None:
    sku = db.sku_with_available("S001", 2)
    full = {**reserve_args("S001", sku, db.shopper_only_in("S001")), **args}
    if args.get("sku", "") is None:
        del full["sku"]
    seq_before = db.value("SELECT max(seq) FROM entities")
    stock_before = db.stock("S001", sku)
    result = device.run("reserve_item", full)
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert result["message"]
    assert db.value("SELECT max(seq) FROM entities") == seq_before
    assert db.stock("S001", sku) == stock_before
    # a rejected command is an answer: it is recorded, the next number goes on
    assert db.value("SELECT last_number FROM devices") == 1


def test_out_of_stock_names_the_store_and_what_is_left(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S002", 2)
    have = db.stock("S002", sku)["available"]
    result = device.run(
        "reserve_item", reserve_args("S002", sku, db.shopper_only_in("S001"), qty=have + 1)
    )
    assert result["code"] == "out_of_stock"
    assert f"Only {have} left at Cork Patrick Street" in result["message"]


def test_reservation_life_cycle(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 2)
    shopper = db.shopper_only_in("S001")
    start = db.stock("S001", sku)
    a = reserve_args("S001", sku, shopper)
    assert device.run("reserve_item", a)["status"] == "applied"
    rid = a["reservation_id"]
    r = device.run("set_reservation_status", {"reservation_id": rid, "status": "ready"})
    assert r["status"] == "applied"
    r = device.run("set_reservation_status", {"reservation_id": rid, "status": "ready"})
    assert r["code"] == "invalid_state"
    r = device.run("set_reservation_status", {"reservation_id": rid, "status": "collected"})
    assert r["status"] == "applied"
    end = db.stock("S001", sku)
    assert end["on_hand"] == start["on_hand"] - 1
    assert end["reserved"] == start["reserved"]
    assert end["available"] == start["available"] - 1
    r = device.run("cancel_reservation", {"reservation_id": rid})
    assert r["code"] == "invalid_state"


def test_cancel_returns_stock(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 2)
    start = db.stock("S001", sku)
    a = reserve_args("S001", sku, db.shopper_only_in("S001"), qty=2)
    device.run("reserve_item", a)
    r = device.run("cancel_reservation", {"reservation_id": a["reservation_id"]})
    assert r["status"] == "applied"
    assert db.stock("S001", sku) == start
    r = device.run("cancel_reservation", {"reservation_id": "no-such-reservation"})
    assert r["code"] == "unknown_reservation"


def test_reserving_elsewhere_brings_the_shopper_into_that_stores_book(
    make_device: Any, db: DBReader
) -> None:
    s001 = make_device("S001")
    s002 = make_device("S002")
    shopper = db.shopper_only_in("S001")
    cursor = db.cursor()
    sku = db.sku_with_available("S002", 1)
    a = reserve_args("S002", sku, shopper)
    assert s001.run("reserve_item", a)["status"] == "applied"
    changes, _ = s002.pull_all(cursor)
    assert ("shopper", shopper) in changes
    assert ("reservation", a["reservation_id"]) in changes
    owned = {
        (e, i)
        for e, i in db.rows(
            "SELECT entity, id FROM entities WHERE shopper_id = ? AND deleted = 0", shopper
        )
    }
    assert owned <= set(changes)


def test_place_order_pay_by_link(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 1)
    shopper = db.shopper_only_in("S001")
    web_before = db.stock("WEB", sku)
    cursor = db.cursor()
    order_id = new_id()
    r = device.run(
        "place_order",
        {
            "order_id": order_id,
            "shopper_id": shopper,
            "lines": [{"sku": sku, "qty": 2}],
            "fulfilment": {"type": "ship_to_home", "address": "1 Main Street, Dublin"},
            "payment_method": "pay_by_link",
        },
    )
    assert r["status"] == "applied", r
    assert r["created"]["payment_link"].startswith("https://pay.harbourandpine.example/l/")
    assert r["created"]["number"].startswith("S1-")
    assert r["created"]["status"] == "awaiting_payment"
    assert db.stock("WEB", sku)["available"] == web_before["available"] - 2
    changes, _ = device.pull_all(cursor)
    order = changes[("order", order_id)]["data"]
    assert order["payment"]["link"] == r["created"]["payment_link"]
    assert order["channel"] == "store" and order["store_id"] == "S001"
    assert order["placed_by"] == "A1001"
    assert order["total_cents"] == sum(ln["price_cents"] * ln["qty"] for ln in order["lines"])


def test_an_order_from_the_cart_takes_its_units_out_of_the_cart(
    device: Device, db: DBReader
) -> None:
    import json

    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("WEB", 3)
    other = next(
        s
        for (s,) in db.rows("SELECT id FROM entities WHERE entity = 'product' ORDER BY id LIMIT 5")
        if s != sku
    )
    base = device.run(
        "update_cart",
        {
            "shopper_id": shopper,
            "base_version": 0,
            "ops": [
                {"op": "set_qty", "sku": sku, "qty": 3},
                {"op": "set_qty", "sku": other, "qty": 1},
            ],
        },
    )
    assert base["status"] == "applied", base

    def cart() -> dict[str, int]:
        raw = db.value(
            "SELECT data FROM entities WHERE entity = 'cart' AND id = ?", f"cart-{shopper}"
        )
        return {ln["sku"]: ln["qty"] for ln in json.loads(raw)["lines"]}

    def order(qty: int, from_cart: bool) -> dict[str, Any]:
        return device.run(
            "place_order",
            {
                "order_id": new_id(),
                "shopper_id": shopper,
                "lines": [{"sku": sku, "qty": qty}],
                "fulfilment": {"type": "ship_to_store", "store_id": "S001"},
                "payment_method": "pay_at_till",
                "from_cart": from_cart,
            },
        )

    assert order(1, from_cart=False)["status"] == "applied"
    assert cart() == {sku: 3, other: 1}  # an order from elsewhere leaves the cart alone
    assert order(1, from_cart=True)["status"] == "applied"
    assert cart() == {sku: 2, other: 1}
    assert order(2, from_cart=True)["status"] == "applied"
    assert cart() == {other: 1}  # the line is gone; the rest of the cart stays


def test_place_order_uses_the_best_store_promotion(device: Device, db: DBReader) -> None:
    import json

    rows = db.rows(
        "SELECT data FROM entities WHERE entity = 'product'"
        f" AND {db.json('category')} = 'accessories' ORDER BY id"
    )
    web = {
        i
        for (i,) in db.rows(
            f"SELECT {db.json('sku')} FROM entities WHERE entity = 'inventory'"
            f" AND id LIKE 'WEB:%' AND CAST({db.json('available')} AS INTEGER) > 0"
        )
    }
    product = next(p for p in map(json.loads, (r[0] for r in rows)) if p["sku"] in web)
    r = device.run(
        "place_order",
        {
            "order_id": new_id(),
            "shopper_id": db.shopper_only_in("S001"),
            "lines": [{"sku": product["sku"], "qty": 1}],
            "fulfilment": {"type": "ship_to_store", "store_id": "S002"},
            "payment_method": "pay_at_till",
        },
    )
    assert r["status"] == "applied", r
    order = json.loads(
        db.value(
            "SELECT data FROM entities WHERE entity = 'order' AND id = ?", r["created"]["order_id"]
        )
    )
    # 10% off accessories holds in store (unless a better promotion applies)
    assert order["lines"][0]["price_cents"] <= (product["price_cents"] * 90 + 50) // 100
    assert order["status"] == "placed" and "link" not in order["payment"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"fulfilment": {"type": "ship_to_home"}}, "invalid_args"),
        ({"fulfilment": {"type": "ship_to_store"}}, "invalid_args"),
        ({"fulfilment": {"type": "ship_to_store", "store_id": "S999"}}, "unknown_store"),
        ({"lines": []}, "invalid_args"),
        ({"lines": [{"sku": "NOPE", "qty": 1}]}, "unknown_sku"),
        ({"lines": [{"sku": "SKU", "qty": 99}]}, "out_of_stock"),
        ({"payment_method": "card"}, "invalid_args"),
    ],
)
def test_bad_orders_are_rejected_and_change_nothing(
    device: Device, db: DBReader, change: dict[str, Any], code: str
) -> None:
    sku = db.sku_with_available("S001", 1)
    args = {
        "order_id": new_id(),
        "shopper_id": db.shopper_only_in("S001"),
        "lines": [{"sku": sku, "qty": 1}],
        "fulfilment": {"type": "ship_to_home", "address": "2 Quay Street, Galway"},
        "payment_method": "pay_at_till",
        **change,
    }
    for line in args["lines"]:
        if line["sku"] == "SKU":
            line["sku"] = sku
    seq = db.value("SELECT max(seq) FROM entities")
    r = device.run("place_order", args)
    assert (r["status"], r["code"]) == ("rejected", code), r
    assert db.value("SELECT max(seq) FROM entities") == seq


def test_update_cart_merges_concurrent_edits(make_device: Any, db: DBReader) -> None:
    import json

    shopper = db.shopper_only_in("S001")
    skus = [
        s
        for (s,) in db.rows("SELECT id FROM entities WHERE entity = 'product' ORDER BY id LIMIT 3")
    ]
    store, web = make_device("S001"), make_device("S001")
    db_cart = db.value(
        "SELECT data FROM entities WHERE entity = 'cart' AND id = ?", f"cart-{shopper}"
    )
    base = json.loads(db_cart)["version"] if db_cart else 0
    old = json.loads(db_cart) if db_cart else {"lines": [], "status": "active"}
    kept = old["status"] != "converted"  # an ordered cart starts over
    before = {ln["sku"]: ln["qty"] for ln in old["lines"]} if kept else {}
    # both edit the same base version: both edits survive
    r1 = store.run(
        "update_cart",
        {
            "shopper_id": shopper,
            "base_version": base,
            "ops": [{"op": "add", "sku": skus[0], "qty": 2}],
        },
    )
    r2 = web.run(
        "update_cart",
        {
            "shopper_id": shopper,
            "base_version": base,
            "ops": [{"op": "add", "sku": skus[1]}, {"op": "add", "sku": skus[0], "qty": 1}],
        },
    )
    assert r1["status"] == r2["status"] == "applied"
    assert r2["created"]["base_version"] == base
    cart = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'cart' AND id = ?", f"cart-{shopper}")
    )
    lines = {ln["sku"]: ln["qty"] for ln in cart["lines"]}
    assert lines[skus[0]] == before.get(skus[0], 0) + 3
    assert lines[skus[1]] == before.get(skus[1], 0) + 1
    assert cart["status"] == "active"
    r3 = store.run(
        "update_cart",
        {
            "shopper_id": shopper,
            "base_version": cart["version"],
            "ops": [
                {"op": "set_qty", "sku": skus[0], "qty": 0},
                {"op": "remove", "sku": skus[1]},
                {"op": "set_qty", "sku": skus[2], "qty": 120},
            ],
        },
    )
    assert r3["code"] == "invalid_args"
    r4 = store.run(
        "update_cart",
        {
            "shopper_id": shopper,
            "base_version": cart["version"],
            "ops": [
                {"op": "set_qty", "sku": skus[0], "qty": 0},
                {"op": "remove", "sku": skus[1]},
                {"op": "add", "sku": skus[2], "qty": 99},
                {"op": "add", "sku": skus[2], "qty": 5},
            ],
        },
    )
    assert r4["status"] == "applied"
    cart = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'cart' AND id = ?", f"cart-{shopper}")
    )
    lines = {ln["sku"]: ln["qty"] for ln in cart["lines"]}
    assert skus[0] not in lines and skus[1] not in lines
    assert lines[skus[2]] == 99


def test_update_cart_creates_a_cart(device: Device, db: DBReader) -> None:
    shopper = db.value(
        "SELECT id FROM entities e WHERE entity = 'shopper' AND NOT EXISTS (SELECT 1 FROM"
        " entities c WHERE c.entity = 'cart' AND c.shopper_id = e.id) ORDER BY id LIMIT 1"
    )
    sku = db.value("SELECT id FROM entities WHERE entity = 'product' LIMIT 1")
    r = device.run(
        "update_cart",
        {"shopper_id": shopper, "base_version": 0, "ops": [{"op": "add", "sku": sku}]},
    )
    assert r["created"]["cart_id"] == f"cart-{shopper}"
    assert r["created"]["version"] == 1
    r = device.run(
        "update_cart",
        {"shopper_id": shopper, "base_version": 0, "ops": [{"op": "add", "sku": "NOPE"}]},
    )
    assert r["code"] == "unknown_sku"


def test_move_wishlist_item_to_cart_tombstones_it(device: Device, db: DBReader) -> None:
    item_id, shopper, sku = db.rows(
        f"SELECT w.id, w.shopper_id, {db.json('sku', 'w.data')} FROM entities w"
        " JOIN entity_scopes s ON s.entity = 'wishlist_item' AND s.id = w.id"
        " AND s.store_id = 'S001' WHERE w.entity = 'wishlist_item' ORDER BY w.id LIMIT 1"
    )[0]
    cursor = db.cursor()
    r = device.run("move_wishlist_item_to_cart", {"wishlist_item_id": item_id})
    assert r["status"] == "applied", r
    changes, _ = device.pull_all(cursor)
    gone = changes[("wishlist_item", item_id)]
    assert gone["deleted"] is True and gone["data"] is None
    cart = changes[("cart", f"cart-{shopper}")]["data"]
    assert sku in {ln["sku"] for ln in cart["lines"]}
    r = device.run("move_wishlist_item_to_cart", {"wishlist_item_id": item_id})
    assert r["code"] == "unknown_wishlist_item"


def test_notes_events_and_tasks(make_device: Any, db: DBReader) -> None:
    tablet = make_device("S001")
    kiosk = make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    kiosk.identify(db.loyalty(shopper))  # a kiosk names only the shopper it serves
    cursor = db.cursor()
    note_id, event_id, task_id = new_id(), new_id(), new_id()
    assert (
        tablet.run(
            "add_note", {"note_id": note_id, "shopper_id": shopper, "text": "Prefers wide fit"}
        )["status"]
        == "applied"
    )
    assert (
        kiosk.run(
            "record_event",
            {
                "note_id": event_id,
                "shopper_id": shopper,
                "kind": "kiosk_event",
                "text": "Scanned a boot",
            },
            staff_id=None,
        )["status"]
        == "applied"
    )
    assert (
        kiosk.run(
            "call_associate",
            {"task_id": task_id, "shopper_id": shopper, "message": "Help at the boot wall"},
            staff_id=None,
        )["status"]
        == "applied"
    )
    changes, _ = tablet.pull_all(cursor)
    note = changes[("note", note_id)]["data"]
    assert note["author_name"] == "Aoife Byrne" and note["store_id"] == "S001"
    assert changes[("note", event_id)]["data"]["kind"] == "kiosk_event"
    task = changes[("task", task_id)]["data"]
    assert task["store_id"] == "S001" and task["status"] == "open"
    assert task["device_id"] == kiosk.info["device_id"]
    again = tablet.run("add_note", {"note_id": note_id, "shopper_id": shopper, "text": "x"})
    assert again["code"] == "conflict"
    long = tablet.run(
        "add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "x" * 10_000}
    )
    assert long["code"] == "invalid_args"
