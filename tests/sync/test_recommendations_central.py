"""Co-purchases through the real central: orders written at central, counted by
``compute_co_purchases``, pulled by a tablet, shown as "often bought together" there, and
still shown with central stopped (the tablet reads its cache)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from central.clienteling.co_purchase import compute_co_purchases
from central.db import open_db
from central.entities import Entities
from central.server import CentralServer
from sync import wire
from tests.sync.live import DeviceEngine

ORDERS = 30


def _pair(cache: Any) -> tuple[str, str]:
    """A footwear SKU, and a one-size style in stock here (so it can be recommended)."""
    with cache.db.read() as conn:
        anchor = conn.execute(
            "SELECT id FROM products WHERE category = 'footwear' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        other = conn.execute(
            "SELECT p.style_id FROM products p JOIN inventory i ON i.sku = p.id "
            "WHERE p.size = 'One size' AND i.store_id = 'S001' AND i.available > 0 "
            "ORDER BY p.style_id LIMIT 1"
        ).fetchone()[0]
    return str(anchor), str(other)


@pytest.mark.asyncio
async def test_co_purchases_reach_the_tablet_and_stay_offline(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    anchor_sku, other_style = _pair(cache)
    anchor = cache.product_model(anchor_sku)
    assert anchor is not None
    db = open_db(central.location)
    try:
        entities = Entities(db)
        status = db.dialect.json_text("data", "status")
        template = json.loads(
            db.one(  # type: ignore[index]
                "SELECT data FROM entities WHERE entity = 'order'"
                f" AND {status} = 'delivered' ORDER BY id LIMIT 1"
            )[0]
        )
        other_sku = str(
            db.one(
                "SELECT id FROM entities WHERE entity = 'product' AND id LIKE ? ORDER BY id",
                (f"{other_style}-%",),
            )[0]  # type: ignore[index]
        )
        with db.transaction() as conn:
            for n in range(ORDERS):  # web orders of one shopper of another store's book
                lines = [
                    {"sku": anchor_sku, "qty": 1, "price_cents": 100},
                    {"sku": other_sku, "qty": 1, "price_cents": 100},
                ]
                entities.put(
                    conn,
                    "order",
                    {**template, "id": f"order-rx-{n}", "number": f"W-RX{n}", "lines": lines},
                )
        assert compute_co_purchases(db) >= 2
        at_central = json.loads(
            db.one(
                "SELECT data FROM entities WHERE entity = 'co_purchase' AND id = ?",
                (anchor.style_id,),
            )[0]  # type: ignore[index]
        )["with_styles"]
    finally:
        db.close()
    count = next(w["orders"] for w in at_central if w["style_id"] == other_style)
    assert count >= ORDERS

    await eng.sync_once()
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT data FROM co_purchases WHERE style_id = ?", (anchor.style_id,)
        ).fetchone()
    pulled = wire.CoPurchase.model_validate_json(row[0])
    assert [w.model_dump() for w in pulled.with_styles] == at_central

    def bought_together() -> list[tuple[str, str]]:
        recs = cache.recommendations(sku=anchor_sku, shopper_id=None, store_id="S001", limit=20)
        return [(r.product.style_id, r.reason) for r in recs if r.kind == "bought_together"]

    reason = f"Bought together with the {anchor.name} in {count} orders"
    assert (other_style, reason) in bought_together()

    central.stop()  # offline: the tablet still has them
    assert (other_style, reason) in bought_together()
