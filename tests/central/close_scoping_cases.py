"""The scoping case of ``sign_off_day`` (collected by ``test_store_scoping``), and central's
own re-check of the certificate a sign-off carries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sync import wire
from sync.rules import ledger
from tests.central.helpers import DBReader, Device
from tests.central.test_authorization import assert_not_allowed


def certificate(device: Device, **changes: Any) -> dict[str, Any]:
    """A clean certificate of ``device`` as its cache would compute it now (its commands
    so far all applied, none today unless ``today`` says)."""
    now = datetime.now(UTC)
    cert = wire.Certificate(
        device_id=device.info["device_id"],
        store_id=device.info["store_id"],
        day=now.astimezone().strftime("%Y-%m-%d"),
        since=ledger.wire_time(ledger.day_start(now)),
        as_of=ledger.wire_time(now),
        last_sync_at=ledger.wire_time(now),
        integrity="ok",
        last_number=device.number,
    )
    return cert.model_copy(update=changes).model_dump(mode="json")


def sign_off(cert: dict[str, Any]) -> dict[str, Any]:
    return {
        "sign_off_id": ledger.sign_off_id(cert["device_id"], cert["day"]),
        "day": cert["day"],
        "certificate": cert,
    }


def sign_offs(db: DBReader) -> int:
    return int(db.value("SELECT count(*) FROM entities WHERE entity = 'sign_off'"))


def case_sign_off_day(make_device: Any, db: DBReader) -> None:
    dublin, cork, kiosk = make_device("S001"), make_device("S002"), make_device("S001", "kiosk")
    before = sign_offs(db)
    # a kiosk, an associate, another store's device with this device's certificate
    assert_not_allowed(kiosk.run("sign_off_day", sign_off(certificate(kiosk)), staff_id=None))
    assert_not_allowed(dublin.run("sign_off_day", sign_off(certificate(dublin)), staff_id="A1002"))
    assert_not_allowed(cork.run("sign_off_day", sign_off(certificate(dublin)), staff_id="A1005"))
    assert sign_offs(db) == before
    # a manager of the store, on the device itself, with its own certificate
    result = dublin.run("sign_off_day", sign_off(certificate(dublin)), staff_id="A1001")
    assert result["status"] == "applied", result
    assert sign_offs(db) == before + 1
