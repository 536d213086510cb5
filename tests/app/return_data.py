"""Finding orders to return in the demo data (the return dialog's tests and screenshots),
and setting central's return policy as IT would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from central.policy import DEFAULTS, POLICY_ID
from tests.app.compose_data import put_at_central


def returnable_order(
    cache: Any, *, min_lines: int = 1, accept: Callable[[Any], bool] | None = None
) -> Any:
    """The most recently delivered or collected order of an S001 shopper that is inside its
    return window with every line still returnable (``accept(order)`` narrows it)."""
    with cache.db.read() as conn:
        numbers = [
            row[0]
            for row in conn.execute(
                """
                SELECT json_extract(o.data, '$.number') FROM orders o
                JOIN shoppers s ON s.id = o.shopper_id
                WHERE s.home_store_id = 'S001'
                  AND json_extract(o.data, '$.status') IN ('delivered', 'collected')
                  AND json_array_length(json_extract(o.data, '$.lines')) >= ?
                ORDER BY json_extract(o.data, '$.fulfilled_at') DESC LIMIT 200""",
                (min_lines,),
            )
        ]
    for number in numbers:
        order = cache.order_by_number(number)
        if order is None or not cache.return_window(order.id).inside:
            continue
        lines = cache.returnable_lines(order.id)
        if all(line.left > 0 and not line.barred for line in lines) and (
            accept is None or accept(order)
        ):
            return order
    raise AssertionError("the demo data has no order to return")


def late_order(cache: Any) -> Any:
    """A delivered or collected order of an S001 shopper whose return window closed but a
    manager may still override it."""
    with cache.db.read() as conn:
        numbers = [
            row[0]
            for row in conn.execute(
                """
                SELECT json_extract(o.data, '$.number') FROM orders o
                JOIN shoppers s ON s.id = o.shopper_id
                WHERE s.home_store_id = 'S001'
                  AND json_extract(o.data, '$.status') IN ('delivered', 'collected')
                ORDER BY json_extract(o.data, '$.fulfilled_at') DESC LIMIT 400"""
            )
        ]
    for number in numbers:
        order = cache.order_by_number(number)
        window = cache.return_window(order.id) if order is not None else None
        if window is not None and window.override_possible:
            return order
    raise AssertionError("the demo data has no order just past its window")


def with_exchange(cache: Any) -> Callable[[Any], bool]:
    """An order whose first line has another size or colour held in this store."""

    def accept(order: Any) -> bool:
        first = cache.returnable_lines(order.id)[0]
        return any(o.available_here > 0 for o in cache.exchange_options(order.id, first.sku))

    return accept


def set_return_policy(db_path: Path, **changes: Any) -> None:
    """Central's policy with its return settings changed (``not_returnable_skus=[...]``)."""
    put_at_central(db_path, "policy", {"id": POLICY_ID, **DEFAULTS, **changes})
