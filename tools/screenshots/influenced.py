"""The "My influenced sales" screens of the associate walk (``tools.screenshots.associate``).

``credit_demo_sales(central_url, db_path, cache)`` makes what the screens show the way it
happens in a store: on another tablet of S001, Aoife (A1001) and Ciarán (A1002) touch a few
clients over the last weeks (a shared cart and a pay link by email, a note, a reservation,
an offer), a kiosk identifies one, and the web shop then sends those clients' online orders
to central (``central.integration.records``), which credits each to the last touch before
it. The walk's tablet receives the credits by its own sync.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.support.floor_device import FloorDevice
from tools.screenshots.common import click, settle, until

# (who, what, days ago the touch, days ago the order, total in cents)
PLAN: tuple[tuple[str | None, str, float, float, int], ...] = (
    ("A1001", "shared_cart", 4, 1, 18900),
    ("A1001", "note", 6, 5, 7450),
    ("A1001", "pay_link", 2.5, 2, 24000),
    ("A1001", "reservation", 12, 9, 12900),
    ("A1001", "offer", 20, 16, 9900),
    ("A1002", "note", 3, 2, 5400),
    (None, "kiosk", 1.2, 0.9, 3900),
)


def _ts(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _args(what: str, shopper_id: str, sku: str, style_id: str) -> tuple[str, dict[str, Any]]:
    message = {
        "message_id": str(uuid.uuid4()),
        "shopper_id": shopper_id,
        "channel": "email",
        "purpose": "service",
        "subject": "From the store",
        "body": "As promised, here it is.",
    }
    if what == "shared_cart":
        return "send_message", {**message, "attachments": {"cart_id": f"cart-{shopper_id}"}}
    if what == "pay_link":
        return "send_message", {**message, "attachments": {"pay_order_id": str(uuid.uuid4())}}
    if what == "reservation":
        hold = _ts(-3)
        reservation = {"reservation_id": str(uuid.uuid4()), "store_id": "S001", "sku": sku}
        return "reserve_item", {
            **reservation,
            "qty": 1,
            "shopper_id": shopper_id,
            "hold_until": hold,
        }
    if what == "offer":
        offer = {"action": "create", "offer_id": str(uuid.uuid4()), "shopper_id": shopper_id}
        return "create_offer", {**offer, "style_ids": [style_id], "percent_off": 10, "days": 14}
    note = {"note_id": str(uuid.uuid4()), "shopper_id": shopper_id}
    return "add_note", {**note, "text": "Tried the wool coat; thinking about it."}


def credit_demo_sales(central_url: str, db_path: Path | str, cache: Any, avoid: str) -> int:
    """Touches and the online orders they led to (see the module); how many are credited."""
    from central.db import open_db
    from central.integration.records import apply_records

    shoppers = [
        h.id
        for h in cache.search_shoppers("a", limit=80)
        if h.id != avoid and (s := cache.shopper(h.id)) is not None and s.email
    ][: len(PLAN)]
    product = next(
        hit
        for word in ("coat", "jacket", "shirt", "boot")
        for hit in cache.search_products(word, limit=40)
        if (view := cache.product(hit.sku)) is not None
        and any(st.is_here and st.available for st in view.stock)
    )
    tablet = FloorDevice(central_url, mode="associate", name="Aoife's second tablet")
    kiosk = FloorDevice(central_url, mode="kiosk", name="entrance kiosk")
    records = []
    try:
        for n, ((staff, what, touched, ordered, total), shopper_id) in enumerate(
            zip(PLAN, shoppers, strict=True)
        ):
            if staff is None:
                loyalty = cache.shopper(shopper_id).loyalty_id
                kiosk.client.post("/v1/kiosk/sessions", json={"loyalty_id": loyalty})
            else:
                name, args = _args(what, shopper_id, product.sku, product.style_id)
                result = tablet.send(name, args, staff, created_at=_ts(touched))
                assert result["status"] == "applied", result
            order = {
                "number": f"W-1045{n:02d}",
                "shopper_id": shopper_id,
                "channel": "app" if n % 3 == 2 else "web",
                "status": "paid",
                "fulfilment": {"type": "ship_to_home", "address": "12 Harbour Road"},
                "payment": {"method": "card", "status": "paid"},
                "lines": [{"sku": product.sku, "qty": 1, "price_cents": total}],
                "total_cents": total,
                # the kiosk's touch is now: its order follows it
                "created_at": _ts(ordered) if staff else _ts(-0.01),
            }
            records.append(
                {
                    "entity": "order",
                    "id": f"web-{uuid.uuid4().hex[:10]}",
                    "version": 1,
                    "data": order,
                }
            )
    finally:
        tablet.client.close()
        kiosk.client.close()
    db = open_db(db_path)
    try:
        results = apply_records(db, records, source="webshop")
    finally:
        db.close()
    assert all(r.status == "applied" for r in results), results
    return len(records)


async def clients_influenced(s: Any) -> None:
    """Aoife's influenced sales over 30 days: each online order with why it is hers."""
    ctx = s.ctx
    made = credit_demo_sales(s.central.url, s.central.db_path, ctx.cache, s.shopper_id)
    ctx.bridge.nudge()
    since = _ts(40)
    await until(
        lambda: len(ctx.cache.influenced_sales(ctx.store_id, None, since)) >= made,
        30,
        "the credits",
    )
    s.window.show_clients()
    page = s.page("clients")
    click(page.influenced_button)
    view = page.influenced_view()
    click(view.period_buttons[30])
    await until(lambda: not view.busy and view.sales(), 30, "my influenced sales")
    await settle(300)


async def clients_influenced_store(s: Any) -> None:
    """A manager's switch: the whole store's, the kiosk's credit included, this week."""
    page = s.page("clients")
    view = page.influenced_view()
    click(page.store_button)
    click(view.period_buttons[7])
    await until(lambda: not view.busy, 30, "the store's influenced sales")
    await settle(300)
