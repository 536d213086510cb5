"""Helpers for the loyalty points tests on the tablet: a shopper with points, an item
worth spending them on."""

from __future__ import annotations

from sync import wire
from sync.store import Cache
from tests.support.offers import orderable


def points_shopper(cache: Cache, at_least: int = 3000, store_id: str = "S001") -> wire.Shopper:
    """A shopper of ``store_id`` with ``at_least`` points, the fewest such (by id on ties)."""
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT data FROM shoppers WHERE json_extract(data, '$.home_store_id') = ? "
            "AND points >= ? ORDER BY points, id LIMIT 1",
            (store_id, at_least),
        ).fetchone()
    assert row, f"no shopper of {store_id} with {at_least} points"
    return wire.Shopper.model_validate_json(row[0])


def pricey_product(cache: Cache, at_least_cents: int = 5000) -> wire.Product:
    """An orderable product of at least ``at_least_cents``."""
    for product in orderable(cache):
        if product.price_cents >= at_least_cents:
            return product
    raise AssertionError(f"no orderable product of {at_least_cents} cents or more")
