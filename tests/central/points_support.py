"""Helpers for the loyalty points tests on central: a shopper with a known balance, an
order placed by a device, the entities as central holds them."""

from __future__ import annotations

import json
from typing import Any

from tests.central.helpers import DBReader, Device, new_id


def entity(db: DBReader, entity: str, id_: str) -> dict[str, Any]:
    raw = db.value("SELECT data FROM entities WHERE entity = ? AND id = ?", entity, id_)
    assert raw, f"no {entity} {id_}"
    return dict(json.loads(raw))


def shopper_with_points(db: DBReader, store_id: str, points: int) -> str:
    """A shopper of ``store_id``'s book holding ``points`` (set as the loyalty system had)."""
    shopper = db.shopper_only_in(store_id)
    data = entity(db, "shopper", shopper)
    data["points"] = points
    db.write(
        "UPDATE entities SET data = ? WHERE entity = 'shopper' AND id = ?",
        json.dumps(data),
        shopper,
    )
    return shopper


def place_order(device: Device, db: DBReader, shopper: str, **kw: Any) -> dict[str, Any]:
    """An order this device's store places for ``shopper``: central's order."""
    sku = db.sku_with_available(device.info["store_id"], 1)
    order_id = new_id()
    result = device.run(
        "place_order",
        {
            "order_id": order_id,
            "shopper_id": shopper,
            "lines": [{"sku": sku, "qty": 2}],
            "fulfilment": {"type": "ship_to_store", "store_id": device.info["store_id"]},
            "payment_method": "pay_at_till",
        },
        **kw,
    )
    assert result["status"] == "applied", result
    return entity(db, "order", order_id)


def redeem(shopper: str, points: int, order_id: str, **kw: Any) -> dict[str, Any]:
    return {
        "redemption_id": kw.pop("redemption_id", new_id()),
        "shopper_id": shopper,
        "points": points,
        "order_id": order_id,
        **kw,
    }
