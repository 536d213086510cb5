"""Orders and policies put into a test cache for the return tests (as a pull would)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sync.apply import apply_page
from sync.store import Cache
from tests.sync.helpers import change, page

SHOE = "AT-TRN-101-BLK-42"  # footwear, 139.95, a style in two colours and nine sizes
SHOE_43 = "AT-TRN-101-BLK-43"
SHOE_BLUE_42 = "AT-TRN-101-SLB-42"


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def put_order(
    cache: Cache,
    number: str = "W-104233",
    *,
    shopper_id: str = "SH000001",
    channel: str = "web",
    status: str = "delivered",
    days_ago: float = 3,
    lines: list[dict[str, Any]] | None = None,
    points_redeemed: int = 0,
    version: int = 1,
) -> str:
    """An order as central would send it (delivered ``days_ago``); returns its id."""
    lines = lines or [
        {"sku": SHOE, "qty": 2, "price_cents": 12000},
        {"sku": "WW-SCF-861-CHR-OS", "qty": 1, "price_cents": 4995},
    ]
    order_id = f"order-{number}"
    data = {
        "id": order_id,
        "version": version,
        "updated_at": ago(days_ago),
        "number": number,
        "shopper_id": shopper_id,
        "channel": channel,
        "store_id": "S001" if channel == "store" else None,
        "status": status,
        "fulfilment": {"type": "ship_to_home", "store_id": None, "address": "1 Quay St"},
        "payment": {"method": "card", "status": "paid", "link": None},
        "lines": lines,
        "total_cents": sum(ln["qty"] * ln["price_cents"] for ln in lines),
        "placed_by": None,
        "created_at": ago(days_ago + 2),
        "fulfilled_at": ago(days_ago),
        "points_redeemed": points_redeemed,
    }
    apply_page(cache.db, page([change(1, "order", data)]))
    return order_id


def put_policy(cache: Cache, **changes: Any) -> None:
    """Central's policy with ``changes`` (a newer version than the demo's)."""
    policy = cache.policy()
    assert policy is not None
    data = policy.model_dump(mode="json") | changes
    data["version"] = policy.version + 1
    apply_page(cache.db, page([change(1, "policy", data)]))


def item(sku: str = SHOE, qty: int = 1, condition: str = "as_new", **more: Any) -> dict[str, Any]:
    return {"sku": sku, "qty": qty, "reason": "too_small", "condition": condition, **more}
