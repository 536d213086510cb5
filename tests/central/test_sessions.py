"""Online sign-in: right PIN, wrong PIN, another store, lock-out after 5 failures."""

from __future__ import annotations

from typing import Any

from tests.central.helpers import Device
from tests.central.test_auth import assert_problem


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
