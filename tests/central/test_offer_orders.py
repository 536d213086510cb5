"""Central prices orders with a shopper's personal offers and uses each offer once, on
SQLite and PostgreSQL: ``place_order`` from a tablet, and web or app orders arriving as
integration records that name the offer on their lines (held to the same rule)."""

from __future__ import annotations

import json
from typing import Any

from central.pricing import promotions
from sync import wire
from sync.rules.pricing import best_promotion
from tests.central.helpers import DBReader, Device, new_id
from tests.central.integration_support import System, record, webshop

__all__ = ["webshop"]  # the fixture

ASSOCIATE, MANAGER = "A1002", "A1001"


def _quiet_product(db: DBReader) -> dict[str, Any]:
    """A product with stock online and no promotion on any channel now."""
    with db.db.transaction() as conn:
        promos = promotions(conn)
    web = db.inventory("WEB")
    now = wire.utc_now()
    for (raw,) in db.rows("SELECT data FROM entities WHERE entity = 'product' ORDER BY id"):
        product = json.loads(raw)
        model = wire.Product.model_validate(product)
        if web.get(product["sku"], {}).get("available", 0) < 5:
            continue
        if not any(best_promotion(model, promos, now, ch) for ch in ("store", "web", "app")):
            return dict(product)
    raise AssertionError("no product without a promotion")


def _entity(db: DBReader, entity: str, id_: str) -> dict[str, Any]:
    raw = db.value("SELECT data FROM entities WHERE entity = ? AND id = ?", entity, id_)
    assert raw, f"no {entity} {id_}"
    return dict(json.loads(raw))


def _offer(device: Device, shopper: str, style_id: str, staff_id: str, **how: Any) -> str:
    offer_id = new_id()
    result = device.run(
        "create_offer",
        {
            "action": "create",
            "offer_id": offer_id,
            "shopper_id": shopper,
            "style_ids": [style_id],
            "days": 7,
            **how,
        },
        staff_id=staff_id,
    )
    assert result["status"] == "applied", result
    return offer_id


def _order(device: Device, shopper: str, sku: str, qty: int) -> dict[str, Any]:
    result = device.run(
        "place_order",
        {
            "order_id": new_id(),
            "shopper_id": shopper,
            "lines": [{"sku": sku, "qty": qty}],
            "fulfilment": {"type": "ship_to_store", "store_id": "S001"},
            "payment_method": "pay_at_till",
        },
    )
    assert result["status"] == "applied", result
    return result


def test_place_order_prices_with_the_live_offer_and_uses_it_once(
    device: Device, db: DBReader
) -> None:
    product = _quiet_product(db)
    shopper = db.shopper_only_in("S001")
    waiting = _offer(device, shopper, product["style_id"], ASSOCIATE, percent_off=15)
    assert _entity(db, "offer", waiting)["status"] == "pending_approval"
    offer_id = _offer(device, shopper, product["style_id"], ASSOCIATE, percent_off=10)
    assert _entity(db, "offer", offer_id)["status"] == "active"

    first = _order(device, shopper, product["sku"], 2)
    order = _entity(db, "order", first["created"]["order_id"])
    offered = (product["price_cents"] * 90 + 50) // 100  # the waiting 15 % prices nothing
    assert order["lines"] == [
        {"sku": product["sku"], "qty": 2, "price_cents": offered, "offer_id": offer_id}
    ]
    assert order["total_cents"] == 2 * offered
    used = _entity(db, "offer", offer_id)
    assert (used["status"], used["used_order_id"], used["used_channel"]) == (
        "used",
        order["id"],
        "store",
    )
    assert used["used_at"] == order["created_at"]

    second = _order(device, shopper, product["sku"], 1)
    again = _entity(db, "order", second["created"]["order_id"])
    assert again["total_cents"] == product["price_cents"] and "offer_id" not in again["lines"][0]
    cancel = device.run("create_offer", {"action": "cancel", "offer_id": offer_id})
    assert (cancel["status"], cancel["code"]) == ("rejected", "invalid_state")


def test_a_web_order_spends_the_offer_and_a_wrong_price_is_refused(
    device: Device, db: DBReader, webshop: System
) -> None:
    product = _quiet_product(db)
    shopper = db.shopper_only_in("S001")
    offer_id = _offer(device, shopper, product["style_id"], MANAGER, amount_off_cents=500)
    start = webshop.events()["next_cursor"]

    def order(id_: str, price: int, version: int = 1, status: str = "paid") -> dict[str, Any]:
        data = {
            "number": f"W-{id_}",
            "shopper_id": shopper,
            "channel": "web",
            "status": status,
            "fulfilment": {"type": "ship_to_home", "address": "2 Main St, Sligo"},
            "payment": {"method": "card", "status": "paid"},
            "lines": [
                {"sku": product["sku"], "qty": 1, "price_cents": price, "offer_id": offer_id}
            ],
            "total_cents": price,
            "created_at": wire.utc_now(),
        }
        return record("order", id_, version, data)

    (wrong,) = webshop.post(order("w-offer-1", product["price_cents"] - 600))
    assert (wrong["status"], wrong["problem"]["code"]) == ("rejected", "offer_not_valid")
    assert wrong["problem"]["errors"][0]["field"] == "data.lines.0.price_cents"
    assert _entity(db, "offer", offer_id)["status"] == "active"

    (right,) = webshop.post(order("w-offer-2", product["price_cents"] - 500))
    assert right["status"] == "applied", right
    used = _entity(db, "offer", offer_id)
    assert (used["status"], used["used_order_id"], used["used_channel"]) == (
        "used",
        "w-offer-2",
        "web",
    )
    # the same order shipped later names its own offer again: still fine, used once
    (shipped,) = webshop.post(order("w-offer-2", product["price_cents"] - 500, 2, "shipped"))
    assert shipped["status"] == "applied", shipped
    assert _entity(db, "offer", offer_id)["version"] == used["version"]
    # another order cannot spend it again
    (twice,) = webshop.post(order("w-offer-3", product["price_cents"] - 500))
    assert (twice["status"], twice["problem"]["code"]) == ("rejected", "offer_not_valid")
    # the other channels hear of it: the one event a record makes
    events = webshop.all_events(start)
    assert [(e["type"], e["id"]) for e in events] == [("offer.changed", offer_id)]
    assert events[0]["data"]["used_order_id"] == "w-offer-2"
