"""Online sign-in: right PIN, wrong PIN, another store, lock-out after 5 failures; the
session it opens for (device, associate), the commands that must carry it, and the author
central records from it (issue 9.2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from central.__main__ import main as central_main
from central.demo_data import DEMO_ENROLLMENT_CODES
from central.server import CentralServer
from central.state import DEFAULT_OFFLINE_SIGNIN_DAYS
from sync.wire import parse_ts
from tests.central.helpers import DBReader, Device, new_id
from tests.central.test_auth import assert_problem
from tests.central.test_authorization import reserve_args
from tests.support.central_server import enroll, http_client


def sign_in(device: Device, staff_id: str, pin: str) -> Any:
    return device.client.post("/v1/sessions", json={"staff_id": staff_id, "pin": pin})


def test_right_pin(device: Device) -> None:
    response = sign_in(device, "A1001", "1234")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["staff_id"] == "A1001" and body["name"] == "Aoife Byrne"
    assert body["store_id"] == "S001" and body["role"] == "manager"
    assert body["expires_at"].endswith("Z")


def test_wrong_pin_is_401(device: Device) -> None:
    assert_problem(sign_in(device, "A1001", "0000"), 401, "wrong_pin")
    assert_problem(sign_in(device, "A9999", "1234"), 401, "wrong_pin")


def test_pin_format_is_422(device: Device) -> None:
    assert_problem(sign_in(device, "A1001", "12"), 422, "invalid_args")
    assert_problem(sign_in(device, "A1001", "abcd"), 422, "invalid_args")


def test_staff_of_another_store_gets_the_same_answer_as_a_wrong_pin(device: Device) -> None:
    # A1005 (PIN 5678) is at S002: the right PIN must not reveal that the staff id exists
    wrong = sign_in(device, "A1001", "0000")
    other_store = sign_in(device, "A1005", "5678")
    unknown = sign_in(device, "A9999", "5678")
    for response in (wrong, other_store, unknown):
        assert_problem(response, 401, "wrong_pin")
    assert other_store.json() == wrong.json() == unknown.json()


def test_five_wrong_pins_lock_for_five_minutes(device: Device) -> None:
    for _ in range(4):
        assert_problem(sign_in(device, "A1002", "9999"), 401, "wrong_pin")
    fifth = sign_in(device, "A1002", "9999")
    assert_problem(fifth, 429, "locked")
    assert 290 <= int(fifth.headers["retry-after"]) <= 300
    locked = sign_in(device, "A1002", "2468")  # even the right PIN waits
    assert_problem(locked, 429, "locked")
    assert int(locked.headers["retry-after"]) <= 300
    # another member of staff is not affected
    assert sign_in(device, "A1003", "1357").status_code == 200


def test_a_right_pin_resets_the_count(device: Device) -> None:
    for _ in range(4):
        sign_in(device, "A1004", "1111")
    assert sign_in(device, "A1004", "4321").status_code == 200
    for _ in range(4):
        assert_problem(sign_in(device, "A1004", "1111"), 401, "wrong_pin")


# -- sessions bound to (device, associate) ------------------------------------------------


def test_an_online_sign_in_opens_a_session_bound_to_the_device(
    device: Device, db: DBReader
) -> None:
    body = sign_in(device, "A1002", "2468").json()
    assert body["session_id"] and body["issued_at"].endswith("Z")
    assert parse_ts(body["vouch_until"]) - parse_ts(body["issued_at"]) == timedelta(
        days=DEFAULT_OFFLINE_SIGNIN_DAYS
    )
    row = db.rows(
        "SELECT device_id, staff_id, issued_at, expires_at FROM staff_sessions WHERE id = ?",
        body["session_id"],
    )
    assert row == [(device.info["device_id"], "A1002", body["issued_at"], body["vouch_until"])]
    again = sign_in(device, "A1002", "2468").json()
    assert again["session_id"] != body["session_id"]  # a new session per online sign-in


def test_a_kiosk_cannot_open_an_associate_session(make_device: Any, db: DBReader) -> None:
    kiosk = make_device("S001", "kiosk")
    for _ in range(6):
        assert_problem(sign_in(kiosk, "A1001", "0000"), 403, "kiosk_no_sessions")
    assert_problem(sign_in(kiosk, "A1001", "1234"), 403, "kiosk_no_sessions")
    assert db.value("SELECT count(*) FROM staff_sessions") == 0
    assert db.value("SELECT count(*) FROM signin_failures") == 0


def test_wrong_pins_on_another_device_do_not_lock_the_associate_out_here(
    make_device: Any,
) -> None:
    mine, other, kiosk = make_device("S001"), make_device("S001"), make_device("S001", "kiosk")
    for _ in range(5):
        sign_in(kiosk, "A1002", "9999")
        sign_in(other, "A1002", "9999")
    assert_problem(sign_in(other, "A1002", "2468"), 429, "locked")  # locked on that one
    assert sign_in(mine, "A1002", "2468").status_code == 200  # not on this one


# -- commands carry the session -----------------------------------------------------------


def _note(db: DBReader) -> dict[str, Any]:
    return {"note_id": new_id(), "shopper_id": db.shopper_only_in("S001"), "text": "Likes navy"}


def assert_no_session(result: dict[str, Any]) -> None:
    assert (result["status"], result["code"]) == ("rejected", "no_session"), result
    assert result["message"].endswith("do it again.")


def test_a_staff_id_without_a_session_is_refused(device: Device, db: DBReader) -> None:
    seq = db.value("SELECT max(seq) FROM entities")
    assert_no_session(device.run("add_note", _note(db), staff_id="A1002", session_id=None))
    assert_no_session(device.run("add_note", _note(db), staff_id="A1002", session_id="ses-made-up"))
    assert db.value("SELECT max(seq) FROM entities") == seq


def test_a_session_of_another_device_or_associate_is_refused(
    make_device: Any, db: DBReader
) -> None:
    mine, other = make_device("S001"), make_device("S001")
    theirs = other.session("A1002")
    assert_no_session(mine.run("add_note", _note(db), staff_id="A1002", session_id=theirs))
    own_but_not_hers = mine.session("A1003")
    assert_no_session(
        mine.run("add_note", _note(db), staff_id="A1002", session_id=own_but_not_hers)
    )
    assert mine.run("add_note", _note(db), staff_id="A1002")["status"] == "applied"


def _later(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_command_past_the_offline_window_is_refused(device: Device, db: DBReader) -> None:
    days = DEFAULT_OFFLINE_SIGNIN_DAYS
    within = device.run(
        "add_note", _note(db), staff_id="A1002", signed_in="offline", created_at=_later(days - 1)
    )
    assert within["status"] == "applied", within
    past = device.run(
        "add_note", _note(db), staff_id="A1002", signed_in="offline", created_at=_later(days + 1)
    )
    assert_no_session(past)
    assert f"more than {days} days after Ciarán Doyle" in past["message"]


def test_the_window_is_centrals_setting(central_db_path: Path) -> None:
    with CentralServer(central_db_path, seed="none", offline_signin_days=2) as server:
        dev = Device(enroll(server.url, "S001", "associate", "short window"))
        try:
            body = sign_in(dev, "A1002", "2468").json()
            assert parse_ts(body["vouch_until"]) - parse_ts(body["issued_at"]) == timedelta(days=2)
            note = {"note_id": new_id(), "shopper_id": "x", "text": "x"}
            assert_no_session(dev.run("add_note", note, staff_id="A1002", created_at=_later(3)))
        finally:
            dev.close()


# -- central records the author -----------------------------------------------------------

CIARAN_ONLINE = {"staff_id": "A1002", "name": "Ciarán Doyle", "signed_in": "online"}
CIARAN_OFFLINE = {**CIARAN_ONLINE, "signed_in": "offline"}


def _entity(db: DBReader, entity: str, id_: str) -> dict[str, Any]:
    raw = db.value("SELECT data FROM entities WHERE entity = ? AND id = ?", entity, id_)
    data: dict[str, Any] = json.loads(raw)
    return data


def test_the_author_is_recorded_with_every_command(device: Device, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 2)
    who: dict[str, Any] = {"staff_id": "A1002"}
    offline: dict[str, Any] = {**who, "signed_in": "offline"}

    note = _note(db)
    assert device.run("add_note", note, **offline)["status"] == "applied"
    data = _entity(db, "note", note["note_id"])
    assert data["author"] == CIARAN_OFFLINE and data["author_name"] == "Ciarán Doyle"

    cart = {"shopper_id": shopper, "base_version": 0, "ops": [{"op": "add", "sku": sku, "qty": 1}]}
    assert device.run("update_cart", cart, **who)["status"] == "applied"
    lines = _entity(db, "cart", f"cart-{shopper}")["lines"]
    assert [ln["changed_by"] for ln in lines if ln["sku"] == sku] == [CIARAN_ONLINE]

    reservation = reserve_args("S001", sku, shopper)
    assert device.run("reserve_item", reservation, **who)["status"] == "applied"
    rid = reservation["reservation_id"]
    assert _entity(db, "reservation", rid)["author"] == CIARAN_ONLINE
    ready = {"reservation_id": rid, "status": "ready"}
    assert device.run("set_reservation_status", ready, **offline)["status"] == "applied"
    assert (
        device.run("cancel_reservation", {"reservation_id": rid}, staff_id="A1003")["status"]
        == "applied"
    )
    changes = _entity(db, "reservation", rid)["changes"]
    assert [(c["status"], c["by"]["name"], c["by"]["signed_in"]) for c in changes] == [
        ("ready", "Ciarán Doyle", "offline"),
        ("cancelled", "Niamh Kavanagh", "online"),
    ]

    order = {
        "order_id": new_id(),
        "shopper_id": shopper,
        "lines": [{"sku": sku, "qty": 1}],
        "fulfilment": {"type": "ship_to_home", "address": "1 Main Street, Dublin"},
        "payment_method": "pay_at_till",
    }
    assert device.run("place_order", order, **who)["status"] == "applied"
    assert _entity(db, "order", order["order_id"])["author"] == CIARAN_ONLINE

    recorded = db.rows(
        "SELECT name, staff_id, session_id, signed_in FROM device_commands ORDER BY number"
    )
    session = device.session("A1002")
    assert recorded[0] == ("add_note", "A1002", session, "offline")
    assert recorded[1] == ("update_cart", "A1002", session, "online")
    assert recorded[4][1:] == ("A1003", device.session("A1003"), "online")


def test_a_kiosk_change_has_no_author(make_device: Any, db: DBReader) -> None:
    kiosk = make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 1)
    cart = {"shopper_id": shopper, "base_version": 0, "ops": [{"op": "add", "sku": sku, "qty": 1}]}
    kiosk.identify(db.loyalty(shopper))  # a kiosk serves the shopper whose card it scanned
    assert kiosk.run("update_cart", cart, staff_id=None)["status"] == "applied"
    lines = _entity(db, "cart", f"cart-{shopper}")["lines"]
    assert [ln["changed_by"] for ln in lines if ln["sku"] == sku] == [None]
    assert db.rows("SELECT staff_id, session_id, signed_in FROM device_commands") == [
        (None, None, None)
    ]


def test_a_tablet_command_naming_nobody_is_refused(device: Device, db: DBReader) -> None:
    seq = db.value("SELECT max(seq) FROM entities")
    assert_no_session(device.run("add_note", _note(db), staff_id=None))
    assert db.value("SELECT max(seq) FROM entities") == seq


def _enroll_replacing(central: CentralServer, replaces: str) -> Device:
    """The same tablet enrolled again (IT's code), naming the device it was."""
    with http_client(central.url) as client:
        response = client.post(
            "/v1/devices/enroll",
            json={
                "enrollment_code": DEMO_ENROLLMENT_CODES[("S001", "associate")],
                "store_id": "S001",
                "mode": "associate",
                "device_name": "test tablet, again",
                "replaces": replaces,
            },
        )
    assert response.status_code == 200, response.text
    return Device({**response.json(), "url": central.url})


def _revoke(central: CentralServer, device_id: str) -> None:
    assert central_main(["devices", "revoke", "--db", str(central.location), device_id]) == 0


def test_a_tablet_enrolled_again_keeps_the_work_its_sessions_vouched_for(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    old, in_use = make_device("S001"), make_device("S001")
    kept_session, other_session = old.session("A1002"), in_use.session("A1002")
    before = _later(-1 / 24)  # done on the old tablet an hour ago, queued, never sent
    _revoke(central, old.info["device_id"])
    again = _enroll_replacing(central, old.info["device_id"])
    stranger = _enroll_replacing(central, in_use.info["device_id"])
    try:
        kept = again.run(
            "add_note", _note(db), staff_id="A1002", session_id=kept_session, created_at=before
        )
        assert kept["status"] == "applied", kept
        # after the revocation the old tablet's sessions vouch for nothing
        after = _later(1 / 24)
        assert_no_session(
            again.run(
                "add_note", _note(db), staff_id="A1002", session_id=kept_session, created_at=after
            )
        )
        # naming a device IT did not revoke gains nothing
        assert_no_session(
            stranger.run(
                "add_note", _note(db), staff_id="A1002", session_id=other_session, created_at=before
            )
        )
    finally:
        again.close()
        stranger.close()
