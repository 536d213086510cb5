"""Who may do what: kiosk allow-list, staff ids, other stores' reservations and wishlists,
what a kiosk's feed holds (only what every kiosk shows), and a sign-in that reveals nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from central.db import open_db
from central.entities import KIOSK_FEED, Entities
from central.server import CentralServer
from tests.central.helpers import DBReader, Device, hold_until, new_id
from tests.central.test_auth import assert_problem


def reserve_args(store: str, sku: str, shopper: str) -> dict[str, Any]:
    return {
        "reservation_id": new_id(),
        "store_id": store,
        "sku": sku,
        "qty": 1,
        "shopper_id": shopper,
        "hold_until": hold_until(),
    }


def assert_not_allowed(result: dict[str, Any]) -> None:
    assert (result["status"], result["code"]) == ("rejected", "not_allowed"), result
    assert result["message"] and result["message"].endswith(".")


def deactivate(central: CentralServer, staff_id: str) -> None:
    """An associate who left: ``active`` false, written the way central writes."""
    db = open_db(central.location)
    try:
        entities = Entities(db)
        associate = entities.get("associate", staff_id)
        assert associate is not None
        with db.transaction() as conn:
            entities.put(conn, "associate", {**associate, "active": False})
    finally:
        db.close()


# -- commands ------------------------------------------------------------------------------


def _kiosk_forbidden(db: DBReader) -> list[tuple[str, dict[str, Any]]]:
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 1)
    reservation = db.value(
        "SELECT id FROM entities WHERE entity = 'reservation' AND deleted = 0"
        f" AND {db.json('store_id')} = 'S001'"
        f" AND {db.json('status')} IN ('pending', 'ready') ORDER BY id LIMIT 1"
    )
    assert reservation
    return [
        ("cancel_reservation", {"reservation_id": reservation}),
        ("set_reservation_status", {"reservation_id": reservation, "status": "ready"}),
        (
            "place_order",
            {
                "order_id": new_id(),
                "shopper_id": shopper,
                "lines": [{"sku": sku, "qty": 1}],
                "fulfilment": {"type": "ship_to_home", "address": "1 Main Street, Dublin"},
                "payment_method": "pay_at_till",
            },
        ),
        ("add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "Hello"}),
    ]


def test_a_kiosk_may_only_send_its_own_commands(make_device: Any, db: DBReader) -> None:
    kiosk = make_device("S001", "kiosk")
    for name, args in _kiosk_forbidden(db):
        seq = db.value("SELECT max(seq) FROM entities")
        cmd = kiosk.next(name, args, staff_id=None)
        first = kiosk.send(cmd)
        result = first["results"][0]
        assert_not_allowed(result)
        assert "kiosk" in result["message"]
        assert db.value("SELECT max(seq) FROM entities") == seq, name  # nothing written
        # recorded: the number is used up and a resend gets the same answer
        assert first["last_applied_number"] == cmd["number"]
        digest = db.digest()
        assert kiosk.send(cmd) == first
        assert db.digest() == digest


def test_a_kiosk_command_carries_no_staff_id(make_device: Any, db: DBReader) -> None:
    kiosk = make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    kiosk.identify(db.loyalty(shopper))
    event = {
        "note_id": new_id(),
        "shopper_id": shopper,
        "kind": "kiosk_event",
        "text": "Scanned a boot",
    }
    seq = db.value("SELECT max(seq) FROM entities")
    assert_not_allowed(kiosk.run("record_event", event, staff_id="A1001"))
    assert db.value("SELECT max(seq) FROM entities") == seq
    ok = kiosk.run("record_event", {**event, "note_id": new_id()}, staff_id=None)
    assert ok["status"] == "applied", ok
    sku = db.sku_with_available("S001", 1)
    assert (
        kiosk.run("reserve_item", reserve_args("S001", sku, shopper), staff_id=None)["status"]
        == "applied"
    )
    assert (
        kiosk.run("call_associate", {"task_id": new_id(), "message": "Help please"}, staff_id=None)[
            "status"
        ]
        == "applied"
    )


@pytest.mark.parametrize("staff_id", ["A1005", "A9999"])
def test_staff_id_must_be_an_associate_of_the_store(
    device: Device, db: DBReader, staff_id: str
) -> None:
    shopper = db.shopper_only_in("S001")
    seq = db.value("SELECT max(seq) FROM entities")
    result = device.run(
        "add_note",
        {"note_id": new_id(), "shopper_id": shopper, "text": "Likes navy"},
        staff_id=staff_id,
    )
    assert_not_allowed(result)
    assert result["message"] == f"Staff id {staff_id} is not an associate of this store."
    assert db.value("SELECT max(seq) FROM entities") == seq
    assert db.value("SELECT last_number FROM devices") == 1
    # with one of the store it goes through
    ok = device.run(
        "add_note",
        {"note_id": new_id(), "shopper_id": shopper, "text": "Likes navy"},
        staff_id="A1002",
    )
    assert ok["status"] == "applied", ok


def test_an_inactive_associate_cannot_act(
    central: CentralServer, device: Device, db: DBReader
) -> None:
    deactivate(central, "A1003")
    result = device.run(
        "add_note",
        {"note_id": new_id(), "shopper_id": db.shopper_only_in("S001"), "text": "x"},
        staff_id="A1003",
    )
    assert_not_allowed(result)


def test_only_the_reservations_store_marks_it_ready(make_device: Any, db: DBReader) -> None:
    dublin, cork = make_device("S001"), make_device("S002")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S002", 2)
    held_in_cork = [reserve_args("S002", sku, shopper) for _ in range(2)]
    for args in held_in_cork:
        assert dublin.run("reserve_item", args)["status"] == "applied"
    first, second = (a["reservation_id"] for a in held_in_cork)
    # Dublin sees it (it made it) but cannot mark it ready or collected
    for status in ("ready", "collected"):
        assert_not_allowed(
            dublin.run("set_reservation_status", {"reservation_id": first, "status": status})
        )
    state = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'reservation' AND id = ?", first)
    )
    assert state["status"] == "pending"
    ready = cork.run(
        "set_reservation_status", {"reservation_id": first, "status": "ready"}, staff_id="A1005"
    )
    assert ready["status"] == "applied", ready
    # cancelling a reservation the device can see stays allowed
    assert dublin.run("cancel_reservation", {"reservation_id": second})["status"] == "applied"


def test_a_reservation_out_of_sight_is_unknown(make_device: Any, db: DBReader) -> None:
    cork = make_device("S002")
    reservation = db.value(
        "SELECT r.id FROM entities r WHERE r.entity = 'reservation' AND r.deleted = 0"
        f" AND {db.json('status', 'r.data')} IN ('pending', 'ready') AND NOT EXISTS"
        " (SELECT 1 FROM entity_scopes s WHERE s.entity = 'reservation' AND s.id = r.id"
        "  AND s.store_id IN ('*', 'S002')) ORDER BY r.id LIMIT 1"
    )
    assert reservation
    for name, args in (
        ("cancel_reservation", {"reservation_id": reservation}),
        ("set_reservation_status", {"reservation_id": reservation, "status": "ready"}),
    ):
        result = cork.run(name, args, staff_id="A1005")
        assert (result["status"], result["code"]) == ("rejected", "unknown_reservation")


def test_a_wishlist_item_out_of_sight_is_unknown(device: Device, db: DBReader) -> None:
    item = db.value(
        "SELECT w.id FROM entities w WHERE w.entity = 'wishlist_item' AND w.deleted = 0"
        " AND NOT EXISTS (SELECT 1 FROM entity_scopes s WHERE s.entity = 'wishlist_item'"
        " AND s.id = w.id AND s.store_id IN ('*', 'S001')) ORDER BY w.id LIMIT 1"
    )
    assert item
    digest_rows = db.value("SELECT max(seq) FROM entities")
    result = device.run("move_wishlist_item_to_cart", {"wishlist_item_id": item})
    assert (result["status"], result["code"]) == ("rejected", "unknown_wishlist_item")
    assert db.value("SELECT max(seq) FROM entities") == digest_rows
    assert (
        db.value("SELECT deleted FROM entities WHERE entity = 'wishlist_item' AND id = ?", item)
        == 0
    )


# -- what a kiosk gets --------------------------------------------------------------------


def test_a_kiosks_feed_holds_only_what_every_kiosk_shows(make_device: Any, db: DBReader) -> None:
    kiosk, tablet = make_device("S001", "kiosk"), make_device("S001")
    first = kiosk.pull(limit=2000)
    kiosk_state, _ = kiosk.pull_all(validate=True)
    tablet_state, _ = tablet.pull_all()
    assert first["total_estimate"] == len(kiosk_state)
    # the demo seed holds no tasks (a kiosk's own calls are its only tasks: test_tasks.py)
    assert {e for e, _ in kiosk_state} == set(KIOSK_FEED) - {"task"}
    assert {e for e, _ in tablet_state} >= {"associate", "note", "shopper", "order", "cart"}
    assert set(kiosk_state) == {k for k in tablet_state if k[0] in KIOSK_FEED}
    assert not [c for c in kiosk_state.values() if "shopper_id" in (c["data"] or {})]


def test_a_kiosks_feed_stays_clean_when_a_shopper_joins_the_book(
    make_device: Any, db: DBReader
) -> None:
    kiosk, tablet = make_device("S001", "kiosk"), make_device("S001")
    cursor = db.cursor()
    shopper = db.shopper_only_in("S002")  # has notes of their own, re-emitted to S001
    assert (
        tablet.run(
            "add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "Visiting Dublin"}
        )["status"]
        == "applied"
    )
    changes, _ = kiosk.pull_all(cursor, validate=True)
    assert changes == {}
    tablet_changes, _ = tablet.pull_all(cursor)
    assert [k for k in tablet_changes if k[0] == "note"]


def test_a_kiosk_has_no_shopper_look_ups(make_device: Any, db: DBReader) -> None:
    kiosk, tablet = make_device("S001", "kiosk"), make_device("S001")
    shopper = db.shopper_only_in("S001")
    loyalty = db.loyalty(shopper)
    kiosk.identify(loyalty)  # even while it serves this shopper
    assert_problem(kiosk.client.get(f"/v1/shoppers/{shopper}"), 403, "not_allowed")
    assert_problem(kiosk.client.get("/v1/shoppers", params={"q": loyalty}), 403, "not_allowed")
    full = tablet.client.get(f"/v1/shoppers/{shopper}").json()
    assert full["shopper"]["email"] and full["shopper"]["phone"]


# -- sign-in ------------------------------------------------------------------------------


def _sign_in(device: Device, staff_id: str, pin: str) -> Any:
    return device.client.post("/v1/sessions", json={"staff_id": staff_id, "pin": pin})


def test_every_failed_sign_in_looks_the_same(central: CentralServer, device: Device) -> None:
    deactivate(central, "A1003")
    answers = [
        _sign_in(device, "A1001", "0000"),  # wrong PIN
        _sign_in(device, "A9999", "1234"),  # unknown
        _sign_in(device, "A1005", "5678"),  # right PIN, another store
        _sign_in(device, "A1003", "1357"),  # right PIN, inactive
    ]
    for response in answers:
        assert_problem(response, 401, "wrong_pin")
    assert len({json.dumps(r.json(), sort_keys=True) for r in answers}) == 1


def test_another_stores_staff_id_counts_towards_the_lock_out(device: Device) -> None:
    for _ in range(4):
        assert_problem(_sign_in(device, "A1005", "5678"), 401, "wrong_pin")
    assert_problem(_sign_in(device, "A1005", "5678"), 429, "locked")
