"""What the personal-offer tests share: a shopper of store S001 the web shop knows too, two
products of different styles with no promotion today, a promotion of our own written at
central, and reading or changing an offer at central directly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from central.db import open_db
from central.entities import Entities
from sync import wire
from sync.rules.pricing import best_promotion
from sync.store import Cache


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Scene:
    shopper_id: str
    promoted: wire.Product  # a 20 % promotion of ours holds on its style (store and web)
    plain: wire.Product  # no promotion


def orderable(cache: Cache) -> list[wire.Product]:
    """Products with stock in the online warehouse (an order ships from there), by SKU."""
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT p.data FROM products p JOIN inventory i ON i.sku = p.id "
            "WHERE i.store_id = 'WEB' AND i.available >= 5 ORDER BY p.id"
        ).fetchall()
    return [wire.Product.model_validate_json(raw) for (raw,) in rows]


def quiet_products(cache: Cache, count: int = 2) -> list[wire.Product]:
    """Orderable products of ``count`` different styles, no promotion on any channel today."""
    now = cache.now()
    promos = cache._promotions()
    found: list[wire.Product] = []
    for product in orderable(cache):
        if product.style_id in {p.style_id for p in found}:
            continue
        if any(best_promotion(product, promos, now, ch) for ch in ("store", "web", "app")):
            continue
        found.append(product)
        if len(found) == count:
            return found
    raise AssertionError("the demo catalog has no products without a promotion")


def home_shopper(cache: Cache, known: set[str] | None = None) -> str:
    """A shopper of S001 with no offer yet (one the web shop knows, when ``known``)."""
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT id FROM shoppers WHERE json_extract(data, '$.home_store_id') = 'S001' "
            "AND id NOT IN (SELECT shopper_id FROM offers) ORDER BY id"
        ).fetchall()
    for (shopper_id,) in rows:
        if known is None or shopper_id in known:
            return str(shopper_id)
    raise AssertionError("no shopper of S001 to serve")


def put_promotion(location: Any, style_id: str, percent_off: int = 20) -> None:
    """A promotion of ``percent_off`` on ``style_id``, in store and online, written at
    central as the retailer's system would (it reaches every device by the feed)."""
    now = datetime.now(UTC)
    db = open_db(location)
    try:
        with db.transaction() as conn:
            Entities(db).put(
                conn,
                "promotion",
                {
                    "id": f"promo-test-{style_id}",
                    "name": f"{percent_off} % off for the test",
                    "description": "",
                    "percent_off": percent_off,
                    "applies_to": {"categories": [], "brands": [], "style_ids": [style_id]},
                    "starts_at": stamp(now - timedelta(hours=1)),
                    "ends_at": stamp(now + timedelta(days=5)),
                    "channels": ["store", "web", "app"],
                },
            )
    finally:
        db.close()


def at_central(location: Any, entity: str, id_: str) -> dict[str, Any] | None:
    """An entity as central holds it now (None: not there)."""
    db = open_db(location)
    try:
        with db.transaction() as conn:
            row = conn.execute(
                "SELECT data FROM entities WHERE entity = ? AND id = ?", (entity, id_)
            ).fetchone()
    finally:
        db.close()
    return json.loads(row[0]) if row else None


def offer_at_central(location: Any, offer_id: str) -> dict[str, Any] | None:
    return at_central(location, "offer", offer_id)


def order_at_central(location: Any, order_id: str) -> dict[str, Any] | None:
    return at_central(location, "order", order_id)


def end_offer_at_central(location: Any, offer_id: str) -> None:
    """Move the offer's end to a minute ago (the time passing, as the sweep would see it)."""
    offer = at_central(location, "offer", offer_id)
    assert offer is not None
    past = datetime.now(UTC) - timedelta(minutes=1)
    db = open_db(location)
    try:
        with db.transaction() as conn:
            Entities(db).put(conn, "offer", {**offer, "ends_at": stamp(past)})
    finally:
        db.close()
