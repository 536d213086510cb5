"""A kiosk serving one shopper (``central.kiosk``): the session, the allow-listed
projection, commands only for a shopper it served, no walking ids, throttled guessing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from central.kiosk import LOOKUP_LIMITS, QUEUED_GRACE
from central.server import CentralServer
from sync import wire
from tests.central.helpers import DBReader, new_id
from tests.central.test_auth import assert_problem
from tests.central.test_authorization import reserve_args


def _reserve(shopper: str, sku: str) -> dict[str, Any]:
    return reserve_args("S001", sku, shopper)


def _age_sessions(central: CentralServer, device_id: str, expired_for: timedelta) -> None:
    """The kiosk's sessions expired ``expired_for`` ago (as time passing would leave them)."""
    when = (datetime.now(UTC) - expired_for).strftime("%Y-%m-%dT%H:%M:%SZ")
    db = DBReader(central.location)
    try:
        db.write("UPDATE kiosk_sessions SET expires_at = ? WHERE device_id = ?", when, device_id)
    finally:
        db.close()


def test_the_projection_is_the_allow_list_and_nothing_more(make_device: Any, db: DBReader) -> None:
    kiosk = make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    body = kiosk.identify(db.loyalty(shopper))
    session = wire.KioskSession.model_validate(body)  # refuses any field not allowed
    assert session.shopper.id == shopper
    assert set(body) == set(wire.KioskSession.model_fields)
    assert set(body["shopper"]) == set(wire.KioskShopper.model_fields)
    again = kiosk.client.get("/v1/kiosk/session", headers={"Kiosk-Session": session.session_id})
    assert again.status_code == 200, again.text
    assert again.json()["shopper"] == body["shopper"]


def test_walking_ids_gives_a_kiosk_nothing(make_device: Any, db: DBReader) -> None:
    kiosk = make_device("S001", "kiosk")
    for n in range(1, 30):
        assert_problem(kiosk.client.get(f"/v1/shoppers/SH{n:06d}"), 403, "not_allowed")
    guessed = kiosk.client.get("/v1/kiosk/session", headers={"Kiosk-Session": "x" * 43})
    assert_problem(guessed, 404, "session_ended")


def test_a_session_is_this_kiosks_alone_and_ends(make_device: Any, db: DBReader) -> None:
    kiosk, other, tablet = make_device("S001", "kiosk"), make_device("S001", "kiosk"), make_device()
    session = kiosk.identify(db.loyalty(db.shopper_only_in("S001")))["session_id"]
    header = {"Kiosk-Session": session}
    assert_problem(other.client.get("/v1/kiosk/session", headers=header), 404, "session_ended")
    assert_problem(tablet.client.get("/v1/kiosk/session", headers=header), 403, "not_allowed")
    assert kiosk.client.delete("/v1/kiosk/session", headers=header).status_code == 204
    assert_problem(kiosk.client.get("/v1/kiosk/session", headers=header), 404, "session_ended")


def test_a_kiosk_command_for_a_shopper_it_did_not_serve_is_refused(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    kiosk, other = make_device("S001", "kiosk"), make_device("S001", "kiosk")
    served, stranger = db.shopper_only_in("S001"), db.shopper_only_in("S002")
    sku = db.sku_with_available("S001", 2)
    other.identify(db.loyalty(stranger))  # another kiosk's session is not this one's
    kiosk.identify(db.loyalty(served))
    seq = db.value("SELECT max(seq) FROM entities")
    for name, args in [
        ("reserve_item", _reserve(stranger, sku)),
        (
            "update_cart",
            {"shopper_id": stranger, "base_version": 0, "ops": [{"op": "add", "sku": sku}]},
        ),
        (
            "record_event",
            {"note_id": new_id(), "shopper_id": stranger, "kind": "kiosk_event", "text": "Hi"},
        ),
        ("call_associate", {"task_id": new_id(), "shopper_id": stranger, "message": "Help"}),
    ]:
        result = kiosk.run(name, args, staff_id=None)
        assert (result["status"], result["code"]) == ("rejected", "not_allowed"), (name, result)
    assert db.value("SELECT max(seq) FROM entities") == seq  # nothing written
    wishlist = db.value(
        "SELECT id FROM entities WHERE entity = 'wishlist_item' AND deleted = 0"
        " AND shopper_id = ? LIMIT 1",
        stranger,
    )
    if wishlist:
        moved = kiosk.run(
            "move_wishlist_item_to_cart", {"wishlist_item_id": wishlist}, staff_id=None
        )
        assert moved["code"] == "not_allowed"
    assert kiosk.run("reserve_item", _reserve(served, sku), staff_id=None)["status"] == "applied"
    assert (
        kiosk.run("call_associate", {"task_id": new_id(), "message": "Help"}, staff_id=None)[
            "status"
        ]
        == "applied"
    )  # naming nobody needs no session


def test_a_queued_command_has_a_bounded_grace(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    kiosk = make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 2)
    kiosk.identify(db.loyalty(shopper))
    _age_sessions(central, kiosk.info["device_id"], QUEUED_GRACE - timedelta(hours=1))
    assert kiosk.run("reserve_item", _reserve(shopper, sku), staff_id=None)["status"] == "applied"
    _age_sessions(central, kiosk.info["device_id"], QUEUED_GRACE + timedelta(hours=1))
    late = kiosk.run("reserve_item", _reserve(shopper, sku), staff_id=None)
    assert (late["status"], late["code"]) == ("rejected", "not_allowed")


def test_wrong_loyalty_numbers_are_throttled_per_kiosk(make_device: Any, db: DBReader) -> None:
    kiosk, neighbour = make_device("S001", "kiosk"), make_device("S001", "kiosk")
    real = db.loyalty(db.shopper_only_in("S001"))
    for n in range(LOOKUP_LIMITS.per_address):
        wrong = kiosk.client.post("/v1/kiosk/sessions", json={"loyalty_id": f"12345678{n:04d}"})
        assert_problem(wrong, 404, "unknown_loyalty_id")
    held = kiosk.client.post("/v1/kiosk/sessions", json={"loyalty_id": real})  # a right one too
    assert_problem(held, 429, "too_many_attempts")
    assert 0 < int(held.headers["Retry-After"]) <= LOOKUP_LIMITS.window_s
    assert neighbour.identify(real)["shopper"]["id"]  # another kiosk is not held up
