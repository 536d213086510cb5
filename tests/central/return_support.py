"""Orders, stock and policy written into central's database as central writes them, and
``return_items`` args, for the return tests (central, scoping, faults)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from central.entities import Entities
from tests.central.helpers import DBReader, new_id

SHOE = "AT-TRN-101-BLK-42"  # footwear, 139.95 list, a style in two colours and nine sizes
SHOE_43 = "AT-TRN-101-BLK-43"
SCARF = "WW-SCF-861-CHR-OS"


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def put(db: DBReader, entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """Write as central writes (``Entities.put``)."""
    with db.db.transaction() as conn:
        return Entities(db.db).put(conn, entity, data)


def get(db: DBReader, entity: str, id_: str) -> dict[str, Any] | None:
    raw = db.value("SELECT data FROM entities WHERE entity = ? AND id = ?", entity, id_)
    return None if raw is None else dict(json.loads(raw))


def put_order(
    db: DBReader,
    shopper_id: str,
    *,
    channel: str = "web",
    status: str = "delivered",
    days_ago: float = 3,
    lines: list[dict[str, Any]] | None = None,
    points_redeemed: int = 0,
) -> dict[str, Any]:
    """An online order of ``shopper_id`` delivered ``days_ago`` (two shoes and a scarf)."""
    lines = lines or [
        {"sku": SHOE, "qty": 2, "price_cents": 12000},
        {"sku": SCARF, "qty": 1, "price_cents": 4995},
    ]
    number = f"W-9{new_id().replace('-', '')[:5].upper()}"
    return put(
        db,
        "order",
        {
            "id": f"order-{number}",
            "number": number,
            "shopper_id": shopper_id,
            "channel": channel,
            "store_id": "S002" if channel == "store" else None,
            "status": status,
            "fulfilment": {"type": "ship_to_home", "store_id": None, "address": "1 Quay St"},
            "payment": {"method": "card", "status": "paid", "link": None},
            "lines": lines,
            "total_cents": sum(ln["qty"] * ln["price_cents"] for ln in lines),
            "placed_by": None,
            "created_at": ago(days_ago + 2),
            "fulfilled_at": ago(days_ago),
            "points_redeemed": points_redeemed,
        },
    )


def put_stock(db: DBReader, store_id: str, sku: str, on_hand: int, reserved: int = 0) -> None:
    put(
        db,
        "inventory",
        {
            "id": f"{store_id}:{sku}",
            "store_id": store_id,
            "sku": sku,
            "on_hand": on_hand,
            "reserved": reserved,
            "available": on_hand - reserved,
        },
    )


def put_policy(db: DBReader, **changes: Any) -> None:
    policy = get(db, "policy", "chain")
    assert policy is not None
    put(db, "policy", policy | changes)


def item(sku: str = SHOE, qty: int = 1, condition: str = "as_new") -> dict[str, Any]:
    return {"sku": sku, "qty": qty, "reason": "too_small", "condition": condition}


def return_args(
    order: dict[str, Any],
    *items: dict[str, Any],
    refund_method: str = "original",
    **more: Any,
) -> dict[str, Any]:
    return {
        "return_id": new_id(),
        "order_id": order["id"],
        "items": list(items) or [item()],
        "refund_method": refund_method,
        **more,
    }
