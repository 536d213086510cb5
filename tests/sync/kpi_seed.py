"""A store with known data for the KPI tests (``seed``): every expected figure of
``tests/sync/test_kpis.py`` is hand-checked against the rows below.

The clock is pinned at NOW = Sunday 2026-11-22 12:00 UTC; store S001 is in Berlin (UTC+1
in November), so "today" starts 2026-11-21T23:00Z and "7d" (16..22 Nov, local) starts
2026-11-15T23:00Z. S002 is another store whose rows must never count for S001.

Book of S001 (home store S001): P1 Ann Able, P2 Ben Bell, P3 Cara Cole, P5 Eve East.
P4 Dan Doyle's home store is S002.
"""

from __future__ import annotations

from typing import Any

from sync import meta, wire
from sync.apply import apply_page
from sync.store import Cache
from tests.sync.helpers import change, page

NOW = "2026-11-22T12:00:00Z"
LAST_SYNC = "2026-11-22T11:58:00Z"
AOIFE = {"staff_id": "A1", "name": "Aoife"}
BRIAN = {"staff_id": "A2", "name": "Brian"}
STAMP = {"version": 1}


def _e(id_: str, updated_at: str, **data: Any) -> dict[str, Any]:
    return {"id": id_, "version": 1, "updated_at": updated_at, **data}


def store(id_: str, tz: str) -> dict[str, Any]:
    return _e(
        id_,
        "2026-01-01T00:00:00Z",
        name=f"Store {id_}",
        kind="store",
        address="1 Main St",
        city="Dublin",
        postcode="D01",
        lat=53.3,
        lon=-6.2,
        phone="+35310000000",
        opening_hours={"mon": "09:00-19:00"},
        timezone=tz,
    )


def shopper(id_: str, first: str, last: str, home: str, visit: str | None = None) -> dict[str, Any]:
    return _e(
        id_,
        "2026-01-01T00:00:00Z",
        first_name=first,
        last_name=last,
        email=f"{first.lower()}@example.com",
        phone="+353870000000",
        loyalty_id="700000000001",
        tier="bronze",
        points=0,
        home_store_id=home,
        sizes={},
        consent={"email": True},
        created_at="2025-01-01T00:00:00Z",
        last_visit_at=visit,
    )


def product(sku: str, name: str, price: int) -> dict[str, Any]:
    return _e(
        sku,
        "2026-01-01T00:00:00Z",
        sku=sku,
        style_id=f"st-{sku}",
        name=name,
        brand="Test",
        category="apparel",
        subcategory="Tops",
        colour="Black",
        colour_hex="#000000",
        size="M",
        price_cents=price,
        barcode="1234567890123",
        image="products/x.svg",
    )


def reservation(
    id_: str,
    shopper_id: str,
    sku: str,
    created: str,
    status: str,
    *,
    at: str | None = None,
    by: dict[str, str] | None = None,
    store_id: str = "S001",
    qty: int = 1,
) -> dict[str, Any]:
    changes = [{"status": status, "at": at}] if at else []
    return _e(
        id_,
        at or created,
        store_id=store_id,
        sku=sku,
        qty=qty,
        shopper_id=shopper_id,
        status=status,
        hold_until="2026-11-25T00:00:00Z" if status == "pending" else (at or created),
        notify_by="none",
        created_by=by["staff_id"] if by else None,
        author=by,
        changes=changes,
        created_at=created,
    )


def order(
    id_: str,
    shopper_id: str,
    channel: str,
    created: str,
    total: int,
    *,
    fulfil: str = "ship_to_home",
    status: str = "paid",
    pay: tuple[str, str] = ("card", "paid"),
    by: dict[str, str] | None = None,
    store_id: str | None = "S001",
) -> dict[str, Any]:
    return _e(
        id_,
        created,
        number=f"N-{id_}",
        shopper_id=shopper_id,
        channel=channel,
        store_id=store_id if channel == "store" else None,
        status=status,
        fulfilment={"type": fulfil},
        payment={"method": pay[0], "status": pay[1]},
        lines=[{"sku": "SKU1", "qty": 1, "price_cents": total}],
        total_cents=total,
        author=by,
        placed_by=by["staff_id"] if by else None,
        created_at=created,
    )


def message(
    id_: str,
    shopper_id: str,
    channel: str,
    status: str,
    created: str,
    *,
    pay: str | None = None,
    by: dict[str, str] | None = None,
    store_id: str = "S001",
) -> dict[str, Any]:
    return _e(
        id_,
        created,
        shopper_id=shopper_id,
        store_id=store_id,
        channel=channel,
        purpose="service",
        body="Hello",
        attachments={"pay_order_id": pay} if pay else {},
        status=status,
        author=by,
        created_at=created,
    )


def cart(
    id_: str, shopper_id: str, channel: str, status: str, updated: str, lines: int = 1
) -> dict[str, Any]:
    return _e(
        id_,
        updated,
        shopper_id=shopper_id,
        channel=channel,
        status=status,
        lines=[
            {"sku": "SKU2", "qty": lines, "price_cents": 5000, "added_at": "2026-11-01T00:00:00Z"}
        ],
    )


def touch(
    id_: str,
    shopper_id: str,
    kind: str,
    at: str,
    *,
    by: dict[str, str] | None = None,
    store_id: str = "S001",
) -> dict[str, Any]:
    return _e(
        id_,
        at,
        shopper_id=shopper_id,
        store_id=store_id,
        staff_id=by["staff_id"] if by else None,
        staff_name=by["name"] if by else None,
        kind=kind,
        source_id="src",
        at=at,
    )


def credit(
    order_id: str,
    shopper_id: str,
    channel: str,
    at: str,
    total: int,
    by: dict[str, str],
    kind: str,
    *,
    store_id: str = "S001",
) -> dict[str, Any]:
    return _e(
        order_id,
        at,
        order_id=order_id,
        shopper_id=shopper_id,
        order_channel=channel,
        ordered_at=at,
        total_cents=total,
        store_id=store_id,
        staff_id=by["staff_id"],
        staff_name=by["name"],
        touch_id="t",
        touch_kind=kind,
        touched_at=at,
        reason="Credited",
    )


def ret(
    id_: str,
    order_id: str,
    channel: str,
    shopper_id: str,
    at: str,
    refund: int,
    *,
    store_id: str = "S001",
) -> dict[str, Any]:
    return _e(
        id_,
        at,
        number=f"R-{store_id}-{id_[-6:]:0>6}",
        order_id=order_id,
        order_number=f"N-{order_id}",
        order_channel=channel,
        shopper_id=shopper_id,
        store_id=store_id,
        lines=[
            {
                "sku": "SKU1",
                "qty": 1,
                "price_cents": refund,
                "reason": "too_large",
                "condition": "as_new",
            }
        ],
        refund_method="original",
        refund_cents=refund,
        created_at=at,
    )


ENTITIES: list[tuple[str, dict[str, Any]]] = [
    ("store", store("S001", "Europe/Berlin")),
    ("store", store("S002", "Europe/Dublin")),
    ("shopper", shopper("P1", "Ann", "Able", "S001")),
    ("shopper", shopper("P2", "Ben", "Bell", "S001")),
    ("shopper", shopper("P3", "Cara", "Cole", "S001", visit="2026-11-10T10:00:00Z")),
    ("shopper", shopper("P4", "Dan", "Doyle", "S002")),
    ("shopper", shopper("P5", "Eve", "East", "S001")),
    ("product", product("SKU1", "Trail shoe", 10000)),
    ("product", product("SKU2", "Fleece", 5000)),
    # reservations: created in 7d R1 R2 R3 R5 (R3 at 00:30 local on the 22nd: today);
    # collected R1 (18th) and R4 (16th, created before); expired R2 (20th); R5 cancelled;
    # R6 is S002's; R7 at 23:30 local on the 15th: before the period
    (
        "reservation",
        reservation(
            "R1",
            "P1",
            "SKU1",
            "2026-11-17T10:00:00Z",
            "collected",
            at="2026-11-18T10:00:00Z",
            by=AOIFE,
        ),
    ),
    (
        "reservation",
        reservation(
            "R2",
            "P2",
            "SKU2",
            "2026-11-18T09:00:00Z",
            "expired",
            at="2026-11-20T09:00:00Z",
            by=AOIFE,
            qty=2,
        ),
    ),
    ("reservation", reservation("R3", "P3", "SKU1", "2026-11-21T23:30:00Z", "pending")),
    (
        "reservation",
        reservation(
            "R4",
            "P1",
            "SKU2",
            "2026-11-10T10:00:00Z",
            "collected",
            at="2026-11-16T10:00:00Z",
            by=BRIAN,
        ),
    ),
    (
        "reservation",
        reservation(
            "R5",
            "P5",
            "SKU1",
            "2026-11-19T10:00:00Z",
            "cancelled",
            at="2026-11-19T12:00:00Z",
            by=BRIAN,
        ),
    ),
    (
        "reservation",
        reservation(
            "R6",
            "P4",
            "SKU1",
            "2026-11-19T10:00:00Z",
            "expired",
            at="2026-11-20T10:00:00Z",
            store_id="S002",
        ),
    ),
    ("reservation", reservation("R7", "P2", "SKU1", "2026-11-15T22:30:00Z", "pending", by=AOIFE)),
    # orders placed in S001: O1, O2, O5 for delivery; O3 carried out; O4 cancelled
    ("order", order("O1", "P1", "store", "2026-11-17T11:00:00Z", 12000, by=AOIFE)),
    (
        "order",
        order(
            "O2",
            "P2",
            "store",
            "2026-11-20T15:00:00Z",
            5000,
            fulfil="ship_to_store",
            status="awaiting_payment",
            pay=("pay_by_link", "pending"),
            by=BRIAN,
        ),
    ),
    (
        "order",
        order("O3", "P4", "store", "2026-11-20T11:00:00Z", 3000, fulfil="carry_out", by=BRIAN),
    ),
    (
        "order",
        order("O4", "P5", "store", "2026-11-19T11:00:00Z", 7000, status="cancelled", by=AOIFE),
    ),
    (
        "order",
        order(
            "O5", "P5", "store", "2026-11-21T10:00:00Z", 8000, pay=("pay_by_link", "paid"), by=AOIFE
        ),
    ),
    # online orders: O6 P1 web (after her touch), O7 P3 app (before hers), O8 P5 app
    ("order", order("O6", "P1", "web", "2026-11-19T20:00:00Z", 9000)),
    ("order", order("O7", "P3", "app", "2026-11-20T20:00:00Z", 6000)),
    ("order", order("O8", "P5", "app", "2026-11-21T09:00:00Z", 4000)),
    # messages from S001: M1 (pay link O2, unpaid), M2 (pay link O5, paid), M3 sent;
    # M4 failed, M5 before the period, M6 S002's
    (
        "message",
        message("M1", "P2", "sms", "delivered", "2026-11-20T15:05:00Z", pay="O2", by=BRIAN),
    ),
    ("message", message("M2", "P5", "email", "sent", "2026-11-21T10:05:00Z", pay="O5", by=AOIFE)),
    ("message", message("M3", "P1", "whatsapp", "delivered", "2026-11-18T12:00:00Z", by=AOIFE)),
    ("message", message("M4", "P3", "email", "failed", "2026-11-19T12:00:00Z", by=AOIFE)),
    ("message", message("M5", "P1", "email", "delivered", "2026-11-12T12:00:00Z", by=AOIFE)),
    ("message", message("M6", "P4", "email", "delivered", "2026-11-19T12:00:00Z", store_id="S002")),
    # carts: C1 converted after Aoife's touch T1; C2 converted, touched by S002 only;
    # C3 abandoned (P2, book); C4 abandoned (P4, not the book)
    ("cart", cart("C1", "P1", "web", "converted", "2026-11-19T20:00:00Z")),
    ("cart", cart("C2", "P3", "app", "converted", "2026-11-20T20:00:00Z")),
    ("cart", cart("C3", "P2", "web", "abandoned", "2026-11-21T08:00:00Z", lines=2)),
    ("cart", cart("C4", "P4", "web", "abandoned", "2026-11-21T08:00:00Z")),
    ("touch", touch("T1", "P1", "cart_edit", "2026-11-19T10:00:00Z", by=AOIFE)),
    ("touch", touch("T2", "P2", "pay_link", "2026-11-20T15:05:00Z", by=BRIAN)),
    ("touch", touch("T3", "P3", "kiosk_identification", "2026-11-21T23:30:00Z")),
    ("touch", touch("T4", "P3", "message", "2026-11-20T10:00:00Z", store_id="S002")),
    ("credit", credit("O6", "P1", "web", "2026-11-19T20:00:00Z", 9000, AOIFE, "cart_edit")),
    ("credit", credit("O8", "P5", "app", "2026-11-21T09:00:00Z", 4000, BRIAN, "message")),
    (
        "credit",
        credit("O7", "P3", "app", "2026-11-20T20:00:00Z", 6000, AOIFE, "message", store_id="S002"),
    ),
    ("return", ret("RT1", "O1", "store", "P1", "2026-11-19T12:00:00Z", 12000)),
    ("return", ret("RT2", "O6", "web", "P1", "2026-11-21T12:00:00Z", 9000)),
    ("return", ret("RT3", "O7", "app", "P3", "2026-11-21T12:00:00Z", 6000, store_id="S002")),
]


def seed(cache: Cache) -> Cache:
    """``cache`` (empty, enrolled in S001) filled with the rows above, clock pinned at NOW,
    last synced at LAST_SYNC; the outbox holds one rejected and one dismissed command."""
    cache.now = lambda: NOW  # type: ignore[method-assign]
    apply_page(cache.db, page(change(i, e, d) for i, (e, d) in enumerate(ENTITIES, start=1)))
    with cache.db.write() as conn:
        meta.put(conn, meta.LAST_SYNC_AT, LAST_SYNC)
        for number, state in ((1, "rejected"), (2, "dismissed")):
            conn.execute(
                "INSERT INTO outbox (id, number, name, args, summary, created_at, state, code, "
                "message, shopper_id) VALUES (?, ?, 'reserve_item', '{}', ?, ?, ?, "
                "'out_of_stock', 'None left in this store.', 'P3')",
                (
                    f"cmd-{number}",
                    number,
                    f"Reserve Trail shoe ({number})",
                    f"2026-11-2{number}T09:00:00Z",
                    state,
                ),
            )
    return cache


def local_now(cache: Cache) -> Any:
    return wire.parse_ts(NOW).astimezone(cache.store_zone("S001"))
