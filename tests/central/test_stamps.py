"""Central's stamps (``central.stamps``): ``Inventory.restocked_at`` when stock comes back
from 0, ``Order.fulfilled_at`` when an order is delivered or collected, whichever writer
changes the row (a direct write, the expiry sweep, a record from the retailer's systems).
Both engines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from central.db import CentralDB, open_db
from central.entities import Entities
from central.expiry import expire_reservations
from central.server import CentralServer
from tests.central.helpers import DBReader, Device, new_id
from tests.central.integration_support import System, record, webshop

__all__ = ["webshop"]  # the fixture


def wire(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def store(central_location: Path | str) -> Iterator[CentralDB]:
    """The seeded demo database, written directly (no server)."""
    db = open_db(central_location)
    yield db
    db.close()


def first(db: CentralDB, entity: str, where: str, *params: Any) -> dict[str, Any]:
    row = db.one(
        f"SELECT data FROM entities WHERE entity = ? AND deleted = 0 AND {where} ORDER BY id",
        (entity, *params),
    )
    assert row is not None, where
    data: dict[str, Any] = json.loads(row[0])
    return data


def put(db: CentralDB, entity: str, data: dict[str, Any]) -> dict[str, Any]:
    with db.transaction() as conn:
        return Entities(db).put(conn, entity, data)


def sold_out(db: CentralDB, store_id: str = "S001") -> dict[str, Any]:
    rows = db.all(
        "SELECT data FROM entities WHERE entity = 'inventory' AND id LIKE ? ORDER BY id",
        (f"{store_id}:%",),
    )
    return next(d for d in (json.loads(r[0]) for r in rows) if d["available"] == 0)


def test_stock_back_from_zero_is_stamped_and_other_changes_keep_the_stamp(
    store: CentralDB,
) -> None:
    inv = sold_out(store)
    assert inv["restocked_at"] is None
    back = put(store, "inventory", {**inv, "on_hand": inv["reserved"] + 3, "available": 3})
    assert back["restocked_at"] == back["updated_at"]

    restocked = store.dialect.json_text("data", "restocked_at")
    earlier = first(store, "inventory", f"{restocked} IS NOT NULL AND id LIKE 'S002:%'")
    assert earlier["available"] > 0 and earlier["restocked_at"] < back["updated_at"]
    more = put(
        store,
        "inventory",
        {**earlier, "on_hand": earlier["on_hand"] + 4, "available": earlier["available"] + 4},
    )
    assert more["restocked_at"] == earlier["restocked_at"], "n -> m is no restock"
    gone = put(store, "inventory", {**more, "on_hand": more["reserved"], "available": 0})
    assert gone["restocked_at"] == earlier["restocked_at"]
    told = put(store, "inventory", {**gone, "restocked_at": None})  # a writer that does not know
    assert told["restocked_at"] == earlier["restocked_at"]
    again = put(store, "inventory", {**told, "on_hand": told["reserved"] + 1, "available": 1})
    assert again["restocked_at"] == again["updated_at"] > earlier["restocked_at"]
    chosen = put(store, "inventory", {**again, "restocked_at": "2026-11-01T09:00:00Z"})
    assert chosen["restocked_at"] == "2026-11-01T09:00:00Z", "a time set on purpose is kept"


def test_an_order_is_stamped_once_when_delivered_or_collected(store: CentralDB) -> None:
    status = store.dialect.json_text("data", "status")
    shipped = first(store, "order", f"{status} = 'shipped'")
    assert shipped["fulfilled_at"] is None
    paid = put(store, "order", {**shipped, "status": "shipped"})
    assert paid["fulfilled_at"] is None
    delivered = put(store, "order", {**paid, "status": "delivered"})
    assert delivered["fulfilled_at"] == delivered["updated_at"]

    earlier = first(store, "order", f"{status} = 'delivered'")
    assert earlier["fulfilled_at"] < delivered["updated_at"]
    resent = put(store, "order", {**earlier, "fulfilled_at": None})  # the same status again
    assert resent["fulfilled_at"] == earlier["fulfilled_at"], "stamped once"
    returned = put(store, "order", {**resent, "status": "returned"})
    assert returned["fulfilled_at"] == earlier["fulfilled_at"]

    collected = first(store, "order", f"{status} = 'ready_for_pickup'")
    told = put(
        store, "order", {**collected, "status": "collected", "fulfilled_at": "2026-11-30T16:20:00Z"}
    )
    assert told["fulfilled_at"] == "2026-11-30T16:20:00Z", "a time sent with it is kept"


def test_the_expiry_sweep_giving_the_last_unit_back_stamps_the_restock(
    central: CentralServer, device: Device, db: DBReader
) -> None:
    sku = db.sku_with_available("S001", 1, exactly=True)
    hold = datetime.now(UTC) + timedelta(hours=1)
    args = {
        "reservation_id": new_id(),
        "store_id": "S001",
        "sku": sku,
        "qty": 1,
        "shopper_id": db.shopper_only_in("S001"),
        "hold_until": wire(hold),
    }
    assert device.run("reserve_item", args)["status"] == "applied"
    before = json.loads(db.value("SELECT data FROM entities WHERE id = ?", f"S001:{sku}"))
    assert before["available"] == 0
    cursor = db.cursor()
    assert expire_reservations(db.db, hold + timedelta(minutes=1)) >= 1
    changes, _ = device.pull_all(cursor, validate=True)
    after = changes[("inventory", f"S001:{sku}")]["data"]
    assert after["available"] == 1
    assert after["restocked_at"] == after["updated_at"]


def test_records_from_the_retailer_are_stamped_too(
    webshop: System, device: Device, db: DBReader
) -> None:
    inv = sold_out(db.db)
    shipped = first(db.db, "order", f"{db.json('status')} = 'shipped'")
    cursor = db.cursor()
    results = webshop.post(
        record(
            "inventory",
            inv["id"],
            1,
            {
                "store_id": "S001",
                "sku": inv["sku"],
                "on_hand": inv["reserved"] + 5,
                "reserved": 0,
                "available": 0,
                "restocked_at": "2020-01-01T00:00:00Z",
            },
        ),
        record("order", shipped["id"], 1, {**shipped, "status": "delivered"}),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    changes, _ = device.pull_all(cursor, validate=True)
    stock = changes[("inventory", inv["id"])]["data"]
    assert stock["available"] == 5 and stock["restocked_at"] == stock["updated_at"]
    stored = first(db.db, "order", "id = ?", shipped["id"])
    assert stored["status"] == "delivered" and stored["fulfilled_at"] == stored["updated_at"]

    results = webshop.post(
        record(
            "order",
            shipped["id"],
            2,
            {**stored, "status": "delivered", "fulfilled_at": "2026-11-30T11:00:00Z"},
        ),
    )
    assert results[0]["status"] == "applied", results
    assert first(db.db, "order", "id = ?", shipped["id"])["fulfilled_at"] == "2026-11-30T11:00:00Z"


def test_the_integration_api_keeps_the_clienteling_fields(
    webshop: System, device: Device, db: DBReader
) -> None:
    """Important dates, "worn with" and a fulfilment time sent by the retailer's systems
    are validated by the wire models and reach the tablets as sent; a bad date is refused
    alone."""
    shopper = dict(first(db.db, "shopper", "id = ?", db.shopper_only_in("S001")))
    dates = [
        {"kind": "birthday", "month": 2, "day": 29, "year": 1988},
        {"kind": "anniversary", "month": 6, "day": 14, "year": None},
    ]
    product = first(db.db, "product", "id LIKE 'SF-HKB-201-%'")
    order = first(db.db, "order", f"{db.json('status')} = 'delivered'")
    cursor = db.cursor()
    results = webshop.post(
        record("shopper", shopper["id"], 1, {**shopper, "important_dates": dates}),
        record("product", product["id"], 1, {**product, "worn_with": ["WW-SCK-831"]}),
        record("order", order["id"], 1, {**order, "fulfilled_at": "2026-11-20T15:00:00Z"}),
        record(
            "shopper",
            shopper["id"],
            2,
            {**shopper, "important_dates": [{"kind": "wedding", "month": 13, "day": 1}]},
        ),
    )
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "rejected"]
    assert results[3]["problem"]["code"] == "invalid_record"
    changes, _ = device.pull_all(cursor, validate=True)
    assert changes[("shopper", shopper["id"])]["data"]["important_dates"] == dates
    assert changes[("product", product["id"])]["data"]["worn_with"] == ["WW-SCK-831"]
    stored = first(db.db, "order", "id = ?", order["id"])
    assert stored["fulfilled_at"] == "2026-11-20T15:00:00Z"
