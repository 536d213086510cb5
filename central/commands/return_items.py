"""``return_items``: some lines of an order of any channel brought back to a store, refunded
to the original payment, as store credit, or as an exchange.

Who may send it: an associate's tablet of any store (the order may come from the web shop,
the app or any store); a kiosk cannot (``not_allowed``). A manager's override (past the
window, or an item the policy does not take back) counts only when central's own record of
the associate who sent it says ``manager`` (otherwise: ``not_allowed`` past the window,
``not_returnable`` for a barred item), and only within ``override_days`` past the window.
What it may touch: the order named (any channel or store; ``unknown_order`` when central has
none): its lines' ``returned_qty`` (``returned`` when everything came back, its payment
``refunded`` then if refunded to it); the sending store's stock of the items that can be
sold again (on hand + qty); the shopper's ``store_credit_cents`` (store credit) and
``points`` (the points the order spent, given back in proportion); a new ``return`` with
its receipt number ``R-<store>-<6 digits>`` from the store's counter; and for an exchange,
a new reservation held at the sending store (ready at once) or a new order from the online
warehouse, made by ``reserve_item``'s and ``place_order``'s own handlers. Everything is
decided again here with the shared rules (``sync.rules.returns``) against central's order
and policy (``central.policy``): ``not_returnable``, ``too_late``, ``over_returned`` (two
devices returning the last unit: the second is refused) with a sentence saying what to
do. An existing return id is a ``conflict``.

Role: any associate of the store; an override is a manager's, or an associate's
with a manager's approval (``approved_by``, ``sync.rules.roles``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from central import policy, pricing
from central.commands import place_order, reserve_item
from central.commands.base import Context, Declaration, Reject
from sync import wire
from sync.commands import place_order as order_args
from sync.commands import reserve_item as reserve_args
from sync.commands.return_items import Args, SwapFor
from sync.rules import returns as rules
from sync.rules.holds import DEFAULT_HOLD
from sync.wire import utc_now

WIRE_TIME = "%Y-%m-%dT%H:%M:%SZ"


def _refuse(refusal: rules.Refusal | None) -> None:
    if refusal is not None:
        raise Reject(refusal.code, refusal.message)


def _return_number(ctx: Context) -> str:
    """The store's next receipt number, ``R-<store>-<6 digits>``."""
    store_id = ctx.device.store_id
    name = f"return_number:{store_id}"
    row = ctx.conn.execute(
        "SELECT value FROM counters WHERE name = ?" + ctx.entities.db.dialect.for_update, (name,)
    ).fetchone()
    value = int(row[0]) + 1 if row is not None else 1
    ctx.conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
    return f"R-{store_id}-{value:06d}"


def _returned_lines(order: dict[str, Any], wanted: dict[str, int]) -> tuple[list[Any], bool]:
    """The order's lines with ``wanted`` counted as returned (first lines first), and
    whether everything has come back now."""
    left = dict(wanted)
    lines = []
    for line in order["lines"]:
        take = min(left.get(line["sku"], 0), line["qty"] - line.get("returned_qty", 0))
        if take > 0:
            left[line["sku"]] -= take
            line = {**line, "returned_qty": line.get("returned_qty", 0) + take}
        lines.append(line)
    return lines, all(ln.get("returned_qty", 0) >= ln["qty"] for ln in lines)


def _exchange(ctx: Context, args: Args, order: wire.Order, refund: int, now: str) -> dict[str, Any]:
    """Make the exchange's reservation or order with their own handlers; its wire record."""
    swap: SwapFor = args.exchange  # type: ignore[assignment]
    product = ctx.product(swap.sku)
    styles = set()
    for item in args.items:
        returned = ctx.get("product", item.sku)
        if returned is not None:
            styles.add(returned["style_id"])
    if product["style_id"] not in styles:
        raise Reject(
            "invalid_args", "An exchange is another size or colour of an item brought back."
        )
    if swap.kind == "reserve":
        if not swap.reservation_id:
            raise Reject("invalid_args", "An exchange held here needs its reservation id.")
        mine = pricing.offers(ctx.conn, order.shopper_id, ctx.entities.db.dialect.json_text)
        price = pricing.unit_price(product, pricing.promotions(ctx.conn), now, offers=mine)
        hold = (datetime.now(UTC) + DEFAULT_HOLD).strftime(WIRE_TIME)
        reserve_item.handle(
            ctx,
            reserve_args.Args(
                reservation_id=swap.reservation_id,
                store_id=ctx.device.store_id,
                sku=swap.sku,
                qty=swap.qty,
                shopper_id=order.shopper_id,
                hold_until=hold,
                notify_by="none",
            ),
        )
        held = ctx.get("reservation", swap.reservation_id)
        assert held is not None
        ctx.put_reservation_status(held, "ready")  # the item is at the counter already
        created: dict[str, Any] = {"reservation_id": swap.reservation_id}
    else:
        if not swap.order_id or swap.fulfilment not in ("ship_to_store", "ship_to_home"):
            raise Reject(
                "invalid_args", "An exchange ordered online needs its id and where it goes."
            )
        fulfilment = wire.Fulfilment(
            type=swap.fulfilment,
            store_id=ctx.device.store_id if swap.fulfilment == "ship_to_store" else None,
            address=swap.address if swap.fulfilment == "ship_to_home" else None,
        )
        made = place_order.handle(
            ctx,
            order_args.Args(
                order_id=swap.order_id,
                shopper_id=order.shopper_id,
                lines=[order_args.OrderLineArgs(sku=swap.sku, qty=swap.qty)],
                fulfilment=fulfilment,
                payment_method="pay_at_till",
            ),
        )
        placed = ctx.get("order", swap.order_id)
        assert placed is not None
        price = int(placed["lines"][0]["price_cents"])
        if rules.exchange_difference(refund, price, swap.qty) <= 0:
            # the return pays for it in full: nothing is left to pay at the till
            ctx.put(
                "order",
                {**placed, "status": "paid", "payment": {**placed["payment"], "status": "paid"}},
            )
        created = {"exchange_order_number": made["number"]}
    difference = rules.exchange_difference(refund, price, swap.qty)
    created["exchange"] = {
        "kind": swap.kind,
        "sku": swap.sku,
        "qty": swap.qty,
        "price_cents": price,
        "reservation_id": swap.reservation_id if swap.kind == "reserve" else None,
        "order_id": swap.order_id if swap.kind == "order" else None,
        "difference_cents": difference,
    }
    return created


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.exists("return", args.return_id):
        raise Reject("conflict", "A return with this id already exists.")
    raw = ctx.get("order", args.order_id, lock=True)
    if raw is None:
        raise Reject(
            "unknown_order",
            "Central has no such order: check the number on the shopper's receipt or "
            "confirmation email.",
        )
    order = wire.Order.model_validate(raw)
    rules_now = policy.current(ctx.conn)
    role = ctx.acting_role()  # a manager's when a manager approved it on this tablet
    now = utc_now()
    when = wire.parse_ts(now)
    _refuse(rules.order_refusal(order))
    _refuse(rules.time_refusal(rules_now, order, when, override=args.override, role=role))
    barred = False
    for item in args.items:
        product = ctx.get("product", item.sku)
        found = wire.Product.model_validate(product) if product is not None else None
        _refuse(rules.item_refusal(rules_now, found, override=args.override, role=role))
        barred = (
            barred or rules.item_refusal(rules_now, found, override=False, role=None) is not None
        )
    _refuse(rules.over_returned(order, ((i.sku, i.qty) for i in args.items)))
    if (args.refund_method == "exchange") != (args.exchange is not None):
        raise Reject(
            "invalid_args", "An exchange is refunded as an exchange, and only an exchange is."
        )
    outside = barred or when >= rules.deadline(rules_now, order)
    lines = rules.priced_lines(order, args.items)
    refund = rules.refund_cents(lines)
    created: dict[str, Any] = {"return_id": args.return_id}
    if args.exchange is not None:
        created |= _exchange(ctx, args, order, refund, now)
    exchange = created.pop("exchange", None)

    wanted: dict[str, int] = {}
    for i in args.items:
        wanted[i.sku] = wanted.get(i.sku, 0) + i.qty
    order_lines, whole = _returned_lines(raw, wanted)
    payment = raw["payment"]
    if whole and args.refund_method == "original":
        payment = {**payment, "status": "refunded"}
    ctx.put(
        "order",
        {
            **raw,
            "lines": order_lines,
            "status": "returned" if whole else raw["status"],
            "payment": payment,
        },
    )
    back: dict[str, int] = {}
    for line in lines:
        if rules.resellable(line.condition):
            back[line.sku] = back.get(line.sku, 0) + line.qty
    for sku, qty in sorted(back.items()):
        inv = ctx.inventory(ctx.device.store_id, sku)
        ctx.put_stock(inv, inv["on_hand"] + qty, inv["reserved"])
    points = rules.points_back(order, refund, order.points_redeemed)
    shopper = ctx.get("shopper", order.shopper_id, lock=True)
    if shopper is None:
        raise Reject("unknown_shopper", "The order's shopper is not known to central.")
    credit = refund if args.refund_method == "store_credit" else 0
    if credit or points:
        ctx.put(
            "shopper",
            {
                **shopper,
                "store_credit_cents": int(shopper.get("store_credit_cents", 0)) + credit,
                "points": int(shopper.get("points", 0)) + points,
            },
        )
    ctx.book(order.shopper_id)
    number = _return_number(ctx)
    ctx.put(
        "return",
        {
            "id": args.return_id,
            "number": number,
            "order_id": order.id,
            "order_number": order.number,
            "order_channel": order.channel,
            "shopper_id": order.shopper_id,
            "store_id": ctx.device.store_id,
            "lines": [ln.model_dump(mode="json") for ln in lines],
            "refund_method": args.refund_method,
            "refund_cents": refund,
            "points_back": points,
            "exchange": exchange,
            "override_by": (ctx.approved_by() or ctx.command.staff_id)
            if args.override and outside
            else None,
            "override_reason": args.override_reason if args.override and outside else None,
            "author": ctx.author(),
            "created_at": now,
        },
    )
    created |= {"number": number, "refund_cents": refund, "points_back": points}
    if exchange is not None:
        created["difference_cents"] = exchange["difference_cents"]
    return created


COMMAND = Declaration(
    "return_items",
    handle,
    touches=(
        "a new return of any channel's order, that order's returned counts, the sending "
        "store's stock, the shopper's store credit and points, and an exchange's "
        "reservation or order"
    ),
)
