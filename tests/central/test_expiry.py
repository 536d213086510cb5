"""Reservation expiry: a lapsed hold becomes ``expired`` and its stock goes back, via the feed.

The sweep is called directly with a chosen ``now`` (no waiting for the clock); one test
lets a real server run it on its own timer. A hold is made to lapse by writing an earlier
``hold_until`` through ``Entities.put`` (what a reservation held over from yesterday looks
like), never by sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from central.__main__ import build_parser
from central.db import CentralDB, open_db
from central.entities import Entities
from central.expiry import expire_reservations, sweep_forever
from central.server import CentralServer
from tests.central.helpers import DBReader, Device, new_id
from tests.support.central_server import enroll
from tests.support.waiting import wait_for, wait_until


def wire(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


NOW = datetime.now(UTC).replace(microsecond=0)
HOLD = NOW + timedelta(hours=1)
CLEARED = HOLD + timedelta(days=2)
"""The demo seeds holds ending from tomorrow on (the clienteling lists' "holds about to
expire"): the fixture lets those up to here lapse first, so a test's sweeps see its own."""


@pytest.fixture
def central_db(central: CentralServer) -> Iterator[CentralDB]:
    """A second connection to the served database, like a sweep from another process;
    the demo's own holds that end around the tests' are expired first."""
    db = open_db(central.location)
    expire_reservations(db, CLEARED)
    yield db
    db.close()


def reserve(device: Device, db: DBReader, hold: datetime = HOLD, qty: int = 1) -> dict[str, Any]:
    sku = db.sku_with_available("S001", qty + 1)
    args = {
        "reservation_id": new_id(),
        "store_id": "S001",
        "sku": sku,
        "qty": qty,
        "shopper_id": db.shopper_only_in("S001"),
        "hold_until": wire(hold),
    }
    result = device.run("reserve_item", args)
    assert result["status"] == "applied", result
    return args


def reservation(db: DBReader, reservation_id: str) -> dict[str, Any]:
    import json

    raw = db.value(
        "SELECT data FROM entities WHERE entity = 'reservation' AND id = ?", reservation_id
    )
    data: dict[str, Any] = json.loads(raw)
    return data


def lapse(central_db: CentralDB, reservation_id: str, hold: datetime) -> None:
    """Move a reservation's hold time (the sweep has not seen it yet)."""
    entities = Entities(central_db)
    with central_db.transaction() as conn:
        data = entities.get("reservation", reservation_id)
        assert data is not None
        entities.put(conn, "reservation", {**data, "hold_until": wire(hold)})


def test_sweep_expires_a_lapsed_hold_and_returns_its_stock(
    device: Device, db: DBReader, central_db: CentralDB
) -> None:
    args = reserve(device, db, qty=2)
    sku = args["sku"]
    held = db.stock("S001", sku)
    version = reservation(db, args["reservation_id"])["version"]

    digest = db.digest()
    assert expire_reservations(central_db, HOLD - timedelta(minutes=1)) == 0
    assert db.digest() == digest, "a hold that has not passed is left alone"

    cursor = db.cursor()
    assert expire_reservations(central_db, HOLD + timedelta(minutes=1)) == 1
    res = reservation(db, args["reservation_id"])
    assert (res["status"], res["version"]) == ("expired", version + 1)
    assert res["hold_until"] == args["hold_until"]
    after = db.stock("S001", sku)
    assert after == {
        "on_hand": held["on_hand"],
        "reserved": held["reserved"] - 2,
        "available": held["available"] + 2,
    }

    # the feed carries both writes, with new seqs after the cursor, valid on the wire
    changes, _ = device.pull_all(cursor, validate=True)
    assert set(changes) == {("reservation", args["reservation_id"]), ("inventory", f"S001:{sku}")}
    assert changes[("reservation", args["reservation_id"])]["data"]["status"] == "expired"
    assert changes[("inventory", f"S001:{sku}")]["data"]["available"] == after["available"]
    last_seq = int(cursor.rsplit(".", 1)[1])
    assert all(c["seq"] > last_seq for c in changes.values())

    digest = db.digest()
    assert expire_reservations(central_db, HOLD + timedelta(days=1)) == 0
    assert db.digest() == digest, "an expired reservation is not expired twice"


def test_marking_ready_holds_two_more_days_then_it_expires_too(
    device: Device, db: DBReader, central_db: CentralDB
) -> None:
    args = reserve(device, db)
    result = device.run(
        "set_reservation_status", {"reservation_id": args["reservation_id"], "status": "ready"}
    )
    assert result["status"] == "applied"
    # marked ready an hour before its hold ended: the shopper gets two days from now
    hold = datetime.strptime(
        reservation(db, args["reservation_id"])["hold_until"], "%Y-%m-%dT%H:%M:%SZ"
    ).replace(tzinfo=UTC)
    assert NOW + timedelta(days=2) <= hold <= datetime.now(UTC) + timedelta(days=2)
    held = db.stock("S001", args["sku"])
    assert expire_reservations(central_db, HOLD + timedelta(seconds=1)) == 0
    assert expire_reservations(central_db, hold + timedelta(seconds=1)) >= 1  # demo ones too
    assert reservation(db, args["reservation_id"])["status"] == "expired"
    assert db.stock("S001", args["sku"])["available"] == held["available"] + 1


@pytest.mark.parametrize("final", ["collected", "cancelled"])
def test_finished_reservations_never_expire(
    device: Device, db: DBReader, central_db: CentralDB, final: str
) -> None:
    args = reserve(device, db)
    if final == "collected":
        result = device.run(
            "set_reservation_status",
            {"reservation_id": args["reservation_id"], "status": "collected"},
        )
    else:
        result = device.run("cancel_reservation", {"reservation_id": args["reservation_id"]})
    assert result["status"] == "applied"
    digest = db.digest()
    assert expire_reservations(central_db, HOLD + timedelta(minutes=1)) == 0
    assert db.digest() == digest
    assert reservation(db, args["reservation_id"])["status"] == final


def test_the_expiry_reaches_the_reservations_store_only(
    device: Device, make_device: Any, db: DBReader, central_db: CentralDB
) -> None:
    other = make_device("S002")
    args = reserve(device, db)
    cursor = db.cursor()
    assert expire_reservations(central_db, HOLD + timedelta(minutes=1)) == 1
    theirs, _ = other.pull_all(cursor, validate=True)
    # stock is everyone's; a shopper of S001's book and their reservation are not S002's
    assert set(theirs) == {("inventory", f"S001:{args['sku']}")}


@pytest.mark.parametrize("status", ["ready", "collected"])
def test_status_change_on_a_lapsed_hold_is_rejected(
    device: Device, db: DBReader, central_db: CentralDB, status: str
) -> None:
    args = reserve(device, db)
    lapse(central_db, args["reservation_id"], NOW - timedelta(minutes=5))
    held = db.stock("S001", args["sku"])
    last_seq = db.value("SELECT max(seq) FROM entities")
    result = device.run(
        "set_reservation_status", {"reservation_id": args["reservation_id"], "status": status}
    )
    assert (result["status"], result["code"]) == ("rejected", "invalid_state")
    assert "hold has ended" in result["message"]
    # recorded as an answer (not retried); no entity was written
    assert db.value("SELECT count(*) FROM device_commands WHERE command_id = ?", result["id"]) == 1
    assert db.value("SELECT max(seq) FROM entities") == last_seq
    assert reservation(db, args["reservation_id"])["status"] == "pending"
    assert db.stock("S001", args["sku"]) == held
    # the sweep then gives the stock back
    assert expire_reservations(central_db) == 1
    assert db.stock("S001", args["sku"])["available"] == held["available"] + 1


def test_cancelling_a_lapsed_hold_still_releases_it(
    device: Device, db: DBReader, central_db: CentralDB
) -> None:
    args = reserve(device, db)
    held = db.stock("S001", args["sku"])
    lapse(central_db, args["reservation_id"], NOW - timedelta(minutes=5))
    result = device.run("cancel_reservation", {"reservation_id": args["reservation_id"]})
    assert result["status"] == "applied"
    assert db.stock("S001", args["sku"])["available"] == held["available"] + 1
    assert expire_reservations(central_db) == 0


def test_reserving_with_a_hold_already_past_is_rejected(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 2)
    before = db.stock("S001", sku)
    rid = new_id()
    result = device.run(
        "reserve_item",
        {
            "reservation_id": rid,
            "store_id": "S001",
            "sku": sku,
            "qty": 1,
            "shopper_id": db.shopper_only_in("S001"),
            "hold_until": wire(NOW - timedelta(hours=1)),
        },
    )
    assert (result["status"], result["code"]) == ("rejected", "invalid_state")
    assert "has passed" in result["message"]
    assert db.stock("S001", sku) == before
    assert db.value("SELECT count(*) FROM entities WHERE id = ?", rid) == 0


def test_now_must_be_timezone_aware(central_db: CentralDB) -> None:
    with pytest.raises(ValueError, match="timezone"):
        expire_reservations(central_db, datetime(2030, 1, 1))


def test_the_server_sweeps_on_its_own(central_db_path: Path) -> None:
    db = DBReader(central_db_path)
    with CentralServer(central_db_path, seed="none", expire_every=0.05) as server:
        device = Device(enroll(server.url))
        try:
            args = reserve(device, db, hold=NOW + timedelta(days=1))
            held = db.stock("S001", args["sku"])
            cursor = db.cursor()
            writer = open_db(central_db_path)
            try:
                lapse(writer, args["reservation_id"], NOW - timedelta(minutes=1))
            finally:
                writer.close()
            wait_until(
                lambda: reservation(db, args["reservation_id"])["status"] == "expired",
                what="the server's next expiry sweep",
            )
            assert reservation(db, args["reservation_id"])["status"] == "expired"
            assert db.stock("S001", args["sku"])["available"] == held["available"] + 1
            changes, _ = device.pull_all(cursor, validate=True)
            assert changes[("reservation", args["reservation_id"])]["data"]["status"] == ("expired")
        finally:
            device.close()
    assert not server.running  # the sweep task stopped with the server


def test_serve_takes_an_expiry_interval(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(["serve", "--db", "x.db", "--expire-every", "5"])
    assert args.expire_every == 5.0
    assert parser.parse_args(["serve", "--db", "x.db"]).expire_every == 60.0
    assert parser.parse_args(["serve", "--db", "x.db", "--expire-every", "0"]).expire_every == 0
    for bad in ("-1", "soon", "0.001"):
        with pytest.raises(SystemExit):
            parser.parse_args(["serve", "--db", "x.db", "--expire-every", bad])
    assert "--expire-every" in capsys.readouterr().err


def test_a_failed_sweep_is_tried_again_whether_sqlite_or_a_bug_failed_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_db(tmp_path / "central.db")
    entities = Entities(db)
    with db.transaction() as conn:  # a bug's data: a lapsed reservation without its qty
        entities.put(
            conn,
            "inventory",
            {
                "id": "S001:SKU-1",
                "store_id": "S001",
                "sku": "SKU-1",
                "on_hand": 2,
                "reserved": 1,
                "available": 1,
            },
        )
        entities.put(
            conn,
            "reservation",
            {
                "id": "R-1",
                "store_id": "S001",
                "sku": "SKU-1",
                "shopper_id": "P-1",
                "status": "pending",
                "hold_until": wire(NOW - timedelta(days=1)),
            },
        )

    def failures(what: str) -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if "trying again" in r.getMessage() and what in r.getMessage()
        ]

    async def sweep_until_two(what: str) -> None:
        task = asyncio.create_task(sweep_forever(db, entities, every_s=0.01))
        await wait_for(lambda: len(failures(what)) >= 2, what=f"two failed sweeps ({what})")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with caplog.at_level(logging.INFO):
        asyncio.run(sweep_until_two("KeyError at "))
    assert all("by a bug" in m for m in failures("KeyError at "))

    db.close()  # from now on every sweep fails in SQLite
    caplog.clear()
    with caplog.at_level(logging.INFO):
        asyncio.run(sweep_until_two("Error"))
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]
