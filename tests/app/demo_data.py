"""Finding the demo data a test needs (tests may read the cache file; widgets never do)."""

from __future__ import annotations

from typing import Any


def one(cache: Any, sql: str, *params: Any) -> Any:
    with cache.db.read() as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None, f"the demo data has nothing for: {sql}"
    return row[0]


def shopper_with_cart(cache: Any, min_lines: int = 2) -> str:
    """An S001 shopper whose active cart has at least ``min_lines`` lines."""
    return one(
        cache,
        """
        SELECT c.shopper_id FROM carts c JOIN shoppers s ON s.id = c.shopper_id
        WHERE c.status = 'active' AND json_array_length(json_extract(c.data, '$.lines')) >= ?
          AND s.home_store_id = 'S001'
        ORDER BY c.shopper_id LIMIT 1""",
        min_lines,
    )


def shopper_with_wishlist(cache: Any) -> str:
    return one(
        cache,
        """
        SELECT w.shopper_id FROM wishlist_items w JOIN shoppers s ON s.id = w.shopper_id
        WHERE s.home_store_id = 'S001' ORDER BY w.shopper_id LIMIT 1""",
    )


def sku_out_here_in_stock_elsewhere(cache: Any) -> str:
    """A SKU (of a style with several sizes) with none at S001 and 2+ at S002 or S003."""
    return one(
        cache,
        """
        SELECT h.sku FROM inventory h JOIN inventory o ON o.sku = h.sku
        JOIN products p ON p.id = h.sku
        WHERE h.store_id = 'S001' AND h.available = 0
          AND o.store_id IN ('S002', 'S003') AND o.available >= 2
          AND (SELECT count(*) FROM products q
               WHERE q.style_id = p.style_id AND q.colour = p.colour) >= 3
        ORDER BY h.sku LIMIT 1""",
    )
