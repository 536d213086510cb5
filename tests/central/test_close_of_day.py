"""Central's side of close of day: ``sign_off_day`` checks the certificate again against
its own record of the device, applies once, and the store's ledger
(``GET /v1/stores/{store_id}/ledger``) shows every device to the store and to IT."""

from __future__ import annotations

from typing import Any

import httpx

from central.integration.keys import create_key
from central.server import CentralServer
from sync import wire
from tests.central.close_scoping_cases import certificate, sign_off, sign_offs
from tests.central.helpers import DBReader, new_id
from tests.support.central_server import http_client

MANAGER = "A1001"


def _note(db: DBReader) -> dict[str, Any]:
    shopper = db.shopper_only_in("S001")
    return {"note_id": new_id(), "shopper_id": shopper, "text": "Came in for the coat"}


def _rejected(result: dict[str, Any], words: str) -> None:
    assert (result["status"], result["code"]) == ("rejected", "invalid_state"), result
    assert words in result["message"], result["message"]


def test_central_refuses_a_day_that_is_open_or_disagrees_with_its_record(
    make_device: Any, db: DBReader
) -> None:
    dublin = make_device("S001")
    before = sign_offs(db)
    waiting = certificate(dublin, waiting=1)
    _rejected(dublin.run("sign_off_day", sign_off(waiting), staff_id=MANAGER), "still waiting")
    stale = certificate(dublin, last_sync_at="2020-01-01T00:00:00Z")
    _rejected(dublin.run("sign_off_day", sign_off(stale), staff_id=MANAGER), "not synced")
    broken = certificate(dublin, integrity="*** in database main *** Page 7: btreeInitPage")
    _rejected(dublin.run("sign_off_day", sign_off(broken), staff_id=MANAGER), "integrity")
    # the device says it queued more than central received
    ahead = certificate(dublin, last_number=dublin.number + 5)
    _rejected(dublin.run("sign_off_day", sign_off(ahead), staff_id=MANAGER), "central has")
    # two notes applied today, but the device counts one
    assert dublin.run("add_note", _note(db), staff_id=MANAGER)["status"] == "applied"
    assert dublin.run("add_note", _note(db), staff_id=MANAGER)["status"] == "applied"
    one = [wire.KindCount(name="add_note", sent=1, applied=1)]
    short = certificate(dublin, today=one)
    _rejected(
        dublin.run("sign_off_day", sign_off(short), staff_id=MANAGER),
        "add_note: the device counts 1 applied today, central 2.",
    )
    assert sign_offs(db) == before


def test_a_sign_off_is_applied_once_and_a_day_signed_off_once(
    make_device: Any, db: DBReader
) -> None:
    dublin = make_device("S001")
    assert dublin.run("add_note", _note(db), staff_id=MANAGER)["status"] == "applied"
    two = [wire.KindCount(name="add_note", sent=1, applied=1)]
    # (the five failed sign-offs of no other test: each rejected one counts as sent)
    cert = certificate(dublin, today=two)
    first = dublin.next("sign_off_day", sign_off(cert), staff_id=MANAGER)
    answer = dublin.send(first)["results"][0]
    assert answer["status"] == "applied", answer
    assert dublin.send(first)["results"][0] == answer  # the replay: the first answer
    stored = db.rows(
        "SELECT version, data FROM entities WHERE entity = 'sign_off' AND id = ?",
        answer["created"]["sign_off_id"],
    )
    assert len(stored) == 1 and stored[0][0] == 1
    signed = wire.SignOff.model_validate_json(stored[0][1])
    assert (signed.signed_by.staff_id, signed.signed_by.name) == (MANAGER, "Aoife Byrne")
    assert signed.certificate.model_dump(mode="json") == cert
    # the retailer's systems hear of it once (the integration API's events)
    events = db.rows(
        "SELECT type, store_id FROM integration_events WHERE entity = 'sign_off' AND id = ?",
        signed.id,
    )
    assert events == [("day.signed_off", "S001")]
    # a second sign-off of the same day is refused
    again = certificate(dublin, today=[*two, wire.KindCount(name="sign_off_day", applied=1)])
    _rejected(dublin.run("sign_off_day", sign_off(again), staff_id=MANAGER), "already signed")


def _get(url: str, token: str | None, store_id: str = "S001") -> httpx.Response:
    with http_client(url, token) as client:
        return client.get(f"/v1/stores/{store_id}/ledger")


def test_the_ledger_is_for_the_stores_devices_and_it(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    dublin, cork = make_device("S001"), make_device("S002")
    never = make_device("S001", "kiosk")
    assert dublin.run("add_note", _note(db), staff_id=MANAGER)["status"] == "applied"
    dublin.pull()

    assert _get(central.url, None).status_code == 401
    assert _get(central.url, "not-a-token").status_code == 401
    refused = _get(central.url, cork.info["token"])
    assert (refused.status_code, refused.json()["code"]) == (403, "other_store")
    _, key = create_key(db.db, "it-monitoring")
    assert _get(central.url, key, "S999").status_code == 404
    for token in (dublin.info["token"], key):
        answer = _get(central.url, token)
        assert answer.status_code == 200, answer.text
        book = wire.StoreLedger.model_validate_json(answer.text)
        rows = {d.device_id: d for d in book.devices}
        assert {dublin.info["device_id"], never.info["device_id"]} <= set(rows)
        assert cork.info["device_id"] not in rows
        mine = rows[dublin.info["device_id"]]
        assert mine.last_applied_number == 1 and mine.last_sync_at is not None
        assert mine.central.last_pull_at is not None
        assert [(k.name, k.applied) for k in mine.central.today] == [("add_note", 1)]
        silent = rows[never.info["device_id"]]
        assert silent.last_sync_at is None and silent.mode == "kiosk"
        assert silent.open == ["This device has never synced with central."]
