"""Close of day through the real central: the device's certificate, the sign-off refused
while an action waits or a rejection is open (on the device, and again by central), a
rejection dismissed by someone named, the sign-off applied once, and the same certificate
on the device, in ``clienteling sync --certify`` and in central's ledger."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from central.server import CentralServer
from sync import cli, wire
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.rules import ledger
from sync.store import Cache
from tests.support.offers import home_shopper
from tests.support.other_tablet import exhaust_stock_elsewhere
from tests.support.signed_in import signed_in
from tests.sync.live import DeviceEngine, central_view, push_raw

MANAGER, ASSOCIATE = "A1001", "A1002"  # Aoife Byrne (manager) and Ciarán Doyle, of S001


def _in_stock(cache: Cache) -> tuple[str, int]:
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = 'S001' AND available "
            "BETWEEN 1 AND 5 ORDER BY sku LIMIT 1"
        ).fetchone()
    return str(row[0]), int(row[1])


def _wire_command(cache: Cache, command_id: str) -> dict[str, Any]:
    """The outbox row as the device sent it (no re-enrollment here: numbers are equal)."""
    with cache.db.read() as conn:
        r = conn.execute("SELECT * FROM outbox WHERE id = ?", (command_id,)).fetchone()
    return {
        "id": r["id"],
        "number": r["number"],
        "name": r["name"],
        "args": json.loads(r["args"]),
        "created_at": r["created_at"],
        "staff_id": r["staff_id"],
        "session_id": r["session_id"],
        "signed_in": r["signed_in"],
    }


def _ledger(url: str, token: str, since: str | None = None) -> wire.StoreLedger:
    with central_view(url, token) as client:
        response = client.get("/v1/stores/S001/ledger", params={"since": since} if since else {})
    assert response.status_code == 200, response.text
    return wire.StoreLedger.model_validate_json(response.text)


@pytest.mark.asyncio
async def test_the_day_is_signed_off_only_when_nothing_is_open(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    manager, associate = signed_in(cache, MANAGER), signed_in(cache, ASSOCIATE)
    shopper = home_shopper(cache)

    # an associate may not sign off
    with pytest.raises(InvalidInput) as refused:
        associate.sign_off_day()
    assert refused.value.errors == {"day": "Only a store manager can sign off the day."}

    # an action waiting: refused, saying what
    manager.add_note(shopper_id=shopper, text="Asked about the new coats")
    cert = cache.certificate()
    assert (cert.waiting, cert.unresolved) == (1, 0)
    assert [(o.name, o.state) for o in cert.open] == [("add_note", "waiting")]
    with pytest.raises(InvalidInput) as refused:
        manager.sign_off_day()
    assert "1 action is still waiting to be sent" in refused.value.errors["checklist"]
    assert cache.pending_count() == 1  # nothing was queued

    # a rejection: another tablet took the stock this reservation counted on
    sku, available = _in_stock(cache)
    manager.reserve_item(shopper_id=shopper, sku=sku, qty=1)
    await exhaust_stock_elsewhere(central.url, sku, "S001", available)
    await eng.sync_once()
    cert = cache.certificate()
    assert (cert.waiting, cert.unresolved) == (0, 1)
    assert [(o.name, o.state, o.code) for o in cert.open] == [
        ("reserve_item", "rejected", "out_of_stock")
    ]
    with pytest.raises(InvalidInput) as refused:
        manager.sign_off_day()
    assert "1 rejected action needs attention" in refused.value.errors["checklist"]

    (rejected,) = cache.outbox(("rejected",))

    # dismissed by the associate: named in the certificate, and the day can close
    associate.dismiss(rejected.id)
    cert = cache.certificate()
    assert (cert.waiting, cert.unresolved) == (0, 0)
    assert [(d.number, d.dismissed_by) for d in cert.dismissed] == [(rejected.number, ASSOCIATE)]
    assert ledger.open_reasons(cert) == []

    entry = manager.sign_off_day()
    waiting = cache.sign_off(cert.day)
    assert waiting is not None and waiting.pending and waiting.signed_by == MANAGER
    with pytest.raises(InvalidInput) as refused:
        manager.sign_off_day()
    assert refused.value.errors["day"] == "This device's day is already signed off."
    await eng.sync_once()
    assert cache.outbox_entry(entry.id).state == "applied"  # type: ignore[union-attr]
    recorded = cache.sign_off(cert.day)
    assert recorded is not None and not recorded.pending
    assert recorded.signed_by_name == "Aoife Byrne"

    # applied once: the same command again gets the first answer and changes nothing
    again = push_raw(central.url, enrolled_device["token"], [_wire_command(cache, entry.id)])
    assert again["results"][0]["status"] == "applied"
    assert again["results"][0]["created"] == {"sign_off_id": entry.args["sign_off_id"]}
    book = _ledger(central.url, enrolled_device["token"])
    assert [(s.id, s.version, s.signed_by.staff_id) for s in book.sign_offs] == [
        (entry.args["sign_off_id"], 1, MANAGER)
    ]
    assert book.sign_offs[0].certificate == wire.Certificate.model_validate(
        entry.args["certificate"]
    )


def _without_time(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "as_of"}


@pytest.mark.asyncio
async def test_the_certificate_is_the_same_on_the_device_in_the_cli_and_at_central(
    central: CentralServer,
    enrolled_device: dict[str, Any],
    enroll_device: Any,
    device_engine: DeviceEngine,
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    manager = signed_in(cache, MANAGER)
    shopper = home_shopper(cache)
    manager.add_note(shopper_id=shopper, text="Bought the navy coat")
    manager.add_note(shopper_id=shopper, text="Wants the scarf in red")
    await eng.sync_once()
    signed = manager.sign_off_day()
    await eng.sync_once()
    mine = cache.certificate()

    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["sync", "--certify", "--cache", str(cache.path)], out=out, err=err)
    printed = json.loads(out.getvalue())
    assert (code, err.getvalue()) == (0, "")
    assert (printed.pop("clean"), printed.pop("open_reasons")) == (True, [])
    assert _without_time(printed) == _without_time(mine.model_dump(mode="json"))
    assert [(k.name, k.sent, k.applied) for k in mine.today] == [
        ("add_note", 2, 2),
        ("sign_off_day", 1, 1),
    ]

    never = enroll_device("S001", "associate", "back office tablet")
    book = _ledger(central.url, enrolled_device["token"], since=mine.since)
    (row,) = [d for d in book.devices if d.device_id == mine.device_id]
    # field by field: what central recorded itself, and what the device certified
    assert row.last_applied_number == row.central.last_applied_number == mine.last_number == 3
    central_applied = {k.name: k.applied for k in row.central.today}
    assert central_applied == {k.name: k.applied for k in mine.today}
    assert row.last_sync_at is not None
    assert (row.waiting, row.unresolved, row.open) == (0, 0, [])
    assert row.certified == wire.Certificate.model_validate(signed.args["certificate"])
    assert row.certified is not None and row.certified.device_id == mine.device_id
    assert row.certified.day == mine.day and row.certified.since == mine.since
    # a device that has never synced shows, and says so
    (silent,) = [d for d in book.devices if d.device_id == never["device_id"]]
    assert (silent.name, silent.last_sync_at, silent.last_applied_number) == (
        "back office tablet",
        None,
        0,
    )
    assert silent.open == ["This device has never synced with central."]
    assert silent.certified is None and silent.waiting is None


def test_certify_says_what_is_open_and_exits_1(cache: Cache, commands: Commands) -> None:
    """Offline, never synced: the JSON says why the day is open."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["sync", "--certify", "--cache", str(cache.path)], out=out, err=err)
    body = json.loads(out.getvalue())
    assert code == 1 and err.getvalue() == ""
    assert body["clean"] is False
    assert "This device has never synced with central." in body["open_reasons"]
    assert body["integrity"] == "ok" and body["waiting"] == 0


def test_certify_without_an_enrolled_device_is_one_sentence(tmp_path: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--certify", "--cache", str(tmp_path / "new.db")], out=out, err=err)
    assert code == 2 and out.getvalue() == ""
    assert err.getvalue() == (
        "clienteling sync: This device is not enrolled yet: there is nothing to certify.\n"
    )
