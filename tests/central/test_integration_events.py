"""The events feed (``GET /v1/integration/events``): what stores did, once each, in order,
written with the command that caused it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from central.expiry import expire_reservations
from central.integration.events import events_after
from tests.central.helpers import DBReader, Device, hold_until, new_id
from tests.central.integration_support import System, record, support_contact, webshop

__all__ = ["webshop"]  # the fixture


def order_args(shopper: str, sku: str) -> dict[str, Any]:
    return {
        "order_id": new_id(),
        "shopper_id": shopper,
        "lines": [{"sku": sku, "qty": 1}],
        "fulfilment": {"type": "ship_to_home", "address": "1 Main Street, Dublin"},
        "payment_method": "pay_by_link",
    }


def test_an_order_placed_in_store_is_one_event_even_when_replayed(
    webshop: System, device: Device, db: DBReader
) -> None:
    start = webshop.events()["next_cursor"]
    shopper = db.shopper_only_in("S001")
    args = order_args(shopper, db.sku_with_available("S001"))
    batch = device.next("place_order", args)
    first = device.send(batch)
    assert first["results"][0]["status"] == "applied"
    assert device.send(batch) == first  # the tablet retries: answered from the record
    events = webshop.all_events(start)
    orders = [e for e in events if e["entity"] == "order"]
    assert len(orders) == 1
    placed = orders[0]
    assert placed["type"] == "order.placed" and placed["id"] == args["order_id"]
    assert placed["store_id"] == "S001"
    assert placed["data"]["number"] == first["results"][0]["created"]["number"]
    assert placed["data"]["author"]["staff_id"] == "A1001"
    assert [e["type"] for e in events] == ["order.placed"]  # stock is not an event


def test_reservations_notes_and_carts_are_events_rejections_are_not(
    webshop: System, device: Device, db: DBReader
) -> None:
    start = webshop.events()["next_cursor"]
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001")
    res_id, note_id = new_id(), new_id()
    reserve = {"reservation_id": res_id, "store_id": "S001", "sku": sku, "qty": 1,
               "shopper_id": shopper, "hold_until": hold_until()}  # fmt: skip
    assert device.run("reserve_item", reserve)["status"] == "applied"
    ready = {"reservation_id": res_id, "status": "ready"}
    assert device.run("set_reservation_status", ready)["status"] == "applied"
    note = {"note_id": note_id, "shopper_id": shopper, "text": "Wants the boots in brown"}
    assert device.run("add_note", note)["status"] == "applied"
    cart = {"shopper_id": shopper, "base_version": 0, "ops": [{"op": "add", "sku": sku}]}
    assert device.run("update_cart", cart)["status"] == "applied"
    refused = {**reserve, "reservation_id": new_id(), "sku": "NO-SUCH-SKU"}
    assert device.run("reserve_item", refused)["status"] == "rejected"
    events = webshop.all_events(start)
    assert [(e["type"], e["id"]) for e in events] == [
        ("reservation.created", res_id),
        ("reservation.status_changed", res_id),
        ("note.added", note_id),
        ("cart.updated", f"cart-{shopper}"),
    ]
    assert events[1]["data"]["status"] == "ready"
    assert events[1]["data"]["changes"][-1]["by"]["staff_id"] == "A1001"


def test_records_from_the_retailer_are_not_events(webshop: System, db: DBReader) -> None:
    start = webshop.events()["next_cursor"]
    shopper = db.shopper_only_in("S001")
    assert webshop.post(record("support_contact", "sc-1", 1, support_contact(shopper)))
    assert webshop.events(start) == {"events": [], "next_cursor": start, "has_more": False}


def test_the_cursor_pages_through_every_event_once(
    webshop: System, device: Device, db: DBReader
) -> None:
    start = webshop.events()["next_cursor"]
    shopper = db.shopper_only_in("S001")
    notes = [new_id() for _ in range(5)]
    for note_id in notes:
        device.run("add_note", {"note_id": note_id, "shopper_id": shopper, "text": "Hello"})
    pages = []
    cursor = start
    while True:
        page = webshop.events(cursor, limit=2)
        pages.append([e["id"] for e in page["events"]])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert pages == [notes[0:2], notes[2:4], notes[4:5]]
    assert webshop.events(cursor)["events"] == []
    # the Python entry point the webhook sender reads agrees with the route
    direct = events_after(db.db, start, 2)
    assert [e.id for e in direct.events] == notes[0:2] and direct.has_more
    for bad in ("abc", "-1", "1" * 30):
        response = webshop.client.get("/v1/integration/events", params={"cursor": bad})
        assert response.status_code in (400, 422), bad
        assert response.json()["code"] in ("bad_cursor", "invalid_args")


def test_an_expired_hold_is_a_status_change(webshop: System, device: Device, db: DBReader) -> None:
    start = webshop.events()["next_cursor"]
    res_id = new_id()
    reserve = {"reservation_id": res_id, "store_id": "S001", "qty": 1,
               "sku": db.sku_with_available("S001"), "shopper_id": db.shopper_only_in("S001"),
               "hold_until": hold_until(1)}  # fmt: skip
    assert device.run("reserve_item", reserve)["status"] == "applied"
    assert expire_reservations(db.db, datetime.now(UTC) + timedelta(days=2)) >= 1
    mine = [e for e in webshop.all_events(start) if e["id"] == res_id]
    assert [(e["type"], e["data"]["status"], e["store_id"]) for e in mine] == [
        ("reservation.created", "pending", "S001"),
        ("reservation.status_changed", "expired", "S001"),
    ]
