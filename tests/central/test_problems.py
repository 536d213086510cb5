"""Every error is problem details JSON; bad input changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.central.helpers import DBReader, Device, command, new_id
from tests.central.test_auth import assert_problem


def test_unknown_route_is_a_problem(client: httpx.Client) -> None:
    assert_problem(client.get("/v1/nothing-here"), 404, "not_found")
    assert_problem(client.get("/"), 404, "not_found")


def test_wrong_method_is_a_problem(client: httpx.Client) -> None:
    assert_problem(client.delete("/v1/health"), 405, "method_not_allowed")


def test_missing_field_is_422_naming_the_field(device: Device, db: DBReader) -> None:
    digest = db.digest()
    bad = command(1, "add_note", {})
    del bad["created_at"]
    response = device.client.post("/v1/sync/commands", json={"commands": [bad]})
    assert_problem(response, 422, "invalid_args")
    assert "commands.0.created_at" in response.json()["detail"]
    assert db.digest() == digest


@pytest.mark.parametrize(
    "body",
    [
        {"commands": []},
        {"commands": "x"},
        {},
        {"commands": [command(1, "drop_tables", {})]},
        {"commands": [command(-1, "add_note", {})]},
        {"commands": [command(1, "add_note", {}, id_="not-a-uuid")]},
        {"commands": [command(1, "add_note", {}, staff_id="x" * 10_000)]},
    ],
)
def test_bad_command_bodies_are_422(device: Device, db: DBReader, body: object) -> None:
    digest = db.digest()
    assert_problem(device.client.post("/v1/sync/commands", json=body), 422, "invalid_args")
    assert db.digest() == digest


def test_non_json_body_is_400(device: Device, db: DBReader) -> None:
    digest = db.digest()
    response = device.client.post(
        "/v1/sync/commands", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "invalid_json")
    response = device.client.post(
        "/v1/sync/commands", content=b"hello", headers={"content-type": "text/plain"}
    )
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("invalid_json", "invalid_args")
    assert db.digest() == digest


def test_a_huge_body_is_413(device: Device, db: DBReader) -> None:
    digest = db.digest()
    note = {"note_id": new_id(), "shopper_id": "SH000001", "text": "x" * 2_000_000}
    response = device.client.post(
        "/v1/sync/commands", json={"commands": [command(1, "add_note", note)]}
    )
    assert_problem(response, 413, "too_large")
    assert db.digest() == digest


def test_huge_query_strings_are_422(device: Device) -> None:
    assert_problem(device.client.get("/v1/shoppers", params={"q": "a" * 10_000}), 422)
    assert_problem(device.client.get("/v1/inventory", params={"sku": "a" * 10_000}), 422)
    assert_problem(device.client.get("/v1/inventory"), 422, "invalid_args")


def test_a_huge_chunked_body_is_413(device: Device, db: DBReader) -> None:
    digest = db.digest()

    def chunks() -> Iterator[bytes]:
        for _ in range(200):
            yield b" " * 10_000

    response = device.client.post(
        "/v1/sync/commands",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413, "too_large")
    assert db.digest() == digest
