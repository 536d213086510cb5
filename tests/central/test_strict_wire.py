"""The wire is strict: numbers are never guessed from text or booleans, timestamps say
their format in the published schema, and a request the HTTP parser cannot read still gets
a problem detail."""

from __future__ import annotations

import json
import socket
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from central.server import CentralServer
from sync import wire
from tests.central.helpers import DBReader, Device, command, new_id
from tests.central.test_auth import assert_problem


def _note_args() -> dict[str, Any]:
    return {"note_id": new_id(), "shopper_id": "SH000001", "text": "Prefers navy"}


@pytest.mark.parametrize("number", ["1", True, 1.0])
def test_a_command_number_that_is_not_an_integer_is_refused_whole(
    device: Device, db: DBReader, number: object
) -> None:
    digest = db.digest()
    body = command(1, "add_note", _note_args())
    body["number"] = number
    response = device.client.post("/v1/sync/commands", json={"commands": [body]})
    assert_problem(response, 422, "invalid_args")
    assert "commands.0.number" in response.json()["detail"]
    assert db.digest() == digest


def test_a_quantity_given_as_text_is_rejected_not_coerced(device: Device, db: DBReader) -> None:
    args = {
        "reservation_id": new_id(),
        "store_id": "S001",
        "sku": "HP-TEE-671-NAV-M",
        "qty": "2",
        "shopper_id": "SH000001",
        "hold_until": "2099-01-01T00:00:00Z",
    }
    result = device.run("reserve_item", args)
    assert result["status"] == "rejected"
    assert result["code"] == "invalid_args"
    assert "qty" in result["message"]


def test_a_page_from_the_network_with_a_version_as_text_is_rejected_whole() -> None:
    change = {"seq": 1, "entity": "store", "id": "S009", "version": "2", "data": None}
    page = {"changes": [change], "next_cursor": "1", "has_more": False}
    with pytest.raises(ValidationError, match="version"):
        wire.ChangesPage.model_validate_json(json.dumps(page))
    change["version"] = True
    with pytest.raises(ValidationError, match="version"):
        wire.ChangesPage.model_validate_json(json.dumps(page))


def test_timestamps_publish_their_format_in_openapi(client: httpx.Client) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    created_at = schemas["Command"]["properties"]["created_at"]
    assert created_at["format"] == "date-time"
    assert created_at["pattern"].startswith("^\\d{4}-")


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "5, 6", "+5"])
def test_a_malformed_content_length_gets_a_problem_detail(
    central: CentralServer, length: str
) -> None:
    host, port = central.url.removeprefix("http://").split(":")
    request = (
        "POST /v1/devices/enroll HTTP/1.1\r\nHost: central\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n"
        "Connection: close\r\n\r\n{}"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/problem+json" in head.lower()
    problem = wire.Problem.model_validate_json(body)
    assert problem.status == 400
    assert problem.code == "bad_request"
