"""A bug in central answers 500 ``internal_error`` (the device retries) and is logged once.

Once: not by central and again by uvicorn; with the command's number and name; never
with the exception's message, which can quote the shopper data the handler choked on.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest

from central.commands import Context, handlers
from central.entities import Entities
from tests.central.helpers import DBReader, Device, new_id
from tests.central.test_auth import assert_problem

SECRET = "jane.doe@example.com +353871234567"


def boom(ctx: Context, args: Any) -> dict[str, Any]:
    raise RuntimeError(f"cannot handle {args.text}")  # the message quotes shopper data


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def assert_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert "jane.doe" not in text and "+353871234567" not in text, text


def test_a_crashing_handler_answers_500_and_is_logged_once(
    device: Device,
    db: DBReader,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shopper = db.shopper_only_in("S001")
    first = device.next("add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "ok"})
    assert device.send(first)["results"][0]["status"] == "applied"
    crashes = dataclasses.replace(handlers.COMMANDS["add_note"], handle=boom)
    monkeypatch.setitem(handlers.COMMANDS, "add_note", crashes)
    crashing = device.next("add_note", {"note_id": new_id(), "shopper_id": shopper, "text": SECRET})
    digest = db.digest()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = device.client.post("/v1/sync/commands", json={"commands": [first, crashing]})
    assert_problem(response, 500, "internal_error")
    assert "command 2 (add_note)" in response.json()["detail"]
    assert SECRET not in response.text
    errors = error_records(caplog)
    assert len(errors) == 1, [r.getMessage() for r in errors]
    message = errors[0].getMessage()
    assert errors[0].name == "clienteling.central"
    assert f"{device.info['device_id']} command 2 add_note failed" in message
    assert "RuntimeError at " in message and "in boom" in message
    assert_no_secret(caplog)
    assert db.digest() == digest, "nothing of the crashed command is kept"

    # the device sends it again once central is fixed: applied, exactly once
    monkeypatch.undo()
    body = device.send(first, crashing)
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    assert body["last_applied_number"] == 2
    assert db.value("SELECT count(*) FROM entities WHERE id = ?", crashing["args"]["note_id"]) == 1


def test_a_crash_on_any_route_is_logged_once(
    device: Device, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Entities, text: str, limit: int) -> list[dict[str, Any]]:
        raise KeyError(SECRET)

    monkeypatch.setattr(Entities, "search_products", broken)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = device.client.get("/v1/products", params={"q": "boots"})
    assert_problem(response, 500, "internal_error")
    errors = error_records(caplog)
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert "GET /v1/products" in errors[0].getMessage()
    assert "KeyError at " in errors[0].getMessage()
    assert_no_secret(caplog)


def test_a_crash_logs_the_route_never_the_path_it_was_called_with(
    device: Device, db: DBReader, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path can carry a token (a shared link's, an unsubscribe link's): the log names the
    route's template instead."""

    def broken(self: Entities, shopper_id: str, entity: str) -> list[dict[str, Any]]:
        raise KeyError(SECRET)

    monkeypatch.setattr(Entities, "for_shopper", broken)
    shopper = db.shopper_only_in("S001")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = device.client.get(f"/v1/shoppers/{shopper}")
    assert_problem(response, 500, "internal_error")
    errors = error_records(caplog)
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert "GET /v1/shoppers/{shopper_id}" in errors[0].getMessage()
    assert shopper not in errors[0].getMessage()
