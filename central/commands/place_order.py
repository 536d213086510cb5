"""``place_order``: order for a shopper from the online warehouse, shipped home or to a store.

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``).
What it may touch: a new order of the device's own store (its ``store_id`` and number
are that store's, whoever the shopper is), for any shopper central knows, and the online
warehouse's stock; shipped to home or to any store (``unknown_store`` otherwise). An
existing order id is a ``conflict``. Lines are priced by central with the shared
pricing rule (``central.pricing``), on the ``store`` channel: the promotions, or the
shopper's own active offer where it is lower (never both); each offer that priced a line
is then ``used`` by this order (its id, channel ``store``, the time), once. ``pay_by_link`` creates
a payment link and leaves the order awaiting payment. ``from_cart``: the ordered units
leave the shopper's online cart (line operations on the cart as it is now).

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

import secrets
from typing import Any

from central import pricing
from central.commands.base import Context, Declaration, Reject
from central.commands.carts import take_ordered
from sync.commands.place_order import Args
from sync.wire import utc_now

PAY_LINK_BASE = "https://pay.harbourandpine.example/l/"
ONLINE_WAREHOUSE = "WEB"


def _order_number(ctx: Context) -> str:
    """The store's next order number, ``S<store>-<n>`` (from 20001, above any seeded one)."""
    store_id = ctx.device.store_id
    digits = store_id.lstrip("S").lstrip("0") or "0"
    prefix = f"S{digits}-"
    name = f"order_number:{store_id}"
    row = ctx.conn.execute(
        "SELECT value FROM counters WHERE name = ?" + ctx.entities.db.dialect.for_update, (name,)
    ).fetchone()
    if row is None:
        highest = 20000
        number_field = ctx.entities.db.dialect.json_text("data", "number")
        for (number,) in ctx.conn.execute(
            f"SELECT {number_field} FROM entities WHERE entity = 'order'"
        ):
            if isinstance(number, str) and number.startswith(prefix):
                tail = number.removeprefix(prefix)
                if tail.isdigit():
                    highest = max(highest, int(tail))
        value = highest + 1
    else:
        value = int(row[0]) + 1
    ctx.conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
    return f"{prefix}{value}"


def _check_fulfilment(ctx: Context, args: Args) -> list[str]:
    """Refuse a fulfilment that cannot ship; returns the stores that join the shopper's book."""
    fulfilment = args.fulfilment
    if fulfilment.type == "ship_to_home":
        if not (fulfilment.address and fulfilment.address.strip()):
            raise Reject("invalid_args", "Shipping to home needs the shopper's address.")
        return []
    if fulfilment.type == "ship_to_store":
        if not fulfilment.store_id:
            raise Reject("invalid_args", "Shipping to a store needs the store to collect from.")
        ctx.store(fulfilment.store_id)
        return [fulfilment.store_id]
    raise Reject(
        "invalid_args",
        "An order ships from the online warehouse: choose ship to home or ship to store.",
    )


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.exists("order", args.order_id):
        raise Reject("conflict", "An order with this id already exists.")
    ctx.shopper(args.shopper_id)
    book_stores = _check_fulfilment(ctx, args)
    now = utc_now()
    promos = pricing.promotions(ctx.conn)
    dialect = ctx.entities.db.dialect
    mine = pricing.offers(ctx.conn, args.shopper_id, dialect.json_text, dialect.for_update)
    lines: list[dict[str, Any]] = []
    wanted: dict[str, int] = {}
    for line in args.lines:
        product = ctx.product(line.sku)
        price = pricing.price(product, promos, now, offers=mine)
        lines.append({"sku": line.sku, "qty": line.qty, "price_cents": price.sale_cents})
        if price.offer_id is not None:
            lines[-1]["offer_id"] = price.offer_id
        wanted[line.sku] = wanted.get(line.sku, 0) + line.qty
    for sku, qty in wanted.items():
        inv = ctx.inventory(ONLINE_WAREHOUSE, sku)
        if inv["available"] < qty:
            raise Reject(
                "out_of_stock",
                (
                    f"Only {inv['available']} of {sku} left"
                    if inv["available"]
                    else f"{sku} is sold out"
                )
                + " in the online warehouse;"
                " try reserving it in a store instead.",
            )
        ctx.put_stock(inv, inv["on_hand"], inv["reserved"] + qty)
    created: dict[str, Any] = {"order_id": args.order_id, "number": _order_number(ctx)}
    payment: dict[str, Any] = {"method": args.payment_method, "status": "pending"}
    status = "placed"
    if args.payment_method == "pay_by_link":
        link = PAY_LINK_BASE + secrets.token_urlsafe(12)
        payment["link"] = link
        created["payment_link"] = link
        status = "awaiting_payment"
    created["status"] = status
    if args.from_cart:
        take_ordered(ctx, args.shopper_id, wanted)
    ctx.book(args.shopper_id, *book_stores)
    ctx.put(
        "order",
        {
            "id": args.order_id,
            "version": 1,
            "updated_at": now,
            "number": created["number"],
            "shopper_id": args.shopper_id,
            "channel": "store",
            "store_id": ctx.device.store_id,
            "status": status,
            "fulfilment": args.fulfilment.model_dump(),
            "payment": payment,
            "lines": lines,
            "total_cents": sum(ln["price_cents"] * ln["qty"] for ln in lines),
            "placed_by": ctx.command.staff_id,
            "author": ctx.author(),
            "created_at": now,
        },
    )
    for offer_id in sorted({ln["offer_id"] for ln in lines if "offer_id" in ln}):
        offer = ctx.get("offer", offer_id)  # locked when the offers were read
        if offer is not None:
            ctx.put("offer", pricing.mark_used(offer, args.order_id, "store", now))
    return created


COMMAND = Declaration(
    "place_order",
    handle,
    touches="a new order of the device's own store and the online warehouse's stock",
)
