"""``redeem_points``: loyalty points spent in store, off an order placed here or toward a
return (what an exchange leaves to pay, or added to a refund as a reward).

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``).
What it may touch: a new ``redemption`` (its id is the device's: an existing one is a
``conflict``), the shopper's ``points`` (less the points spent) and, for an order, that
order's ``points_redeemed``/``points_value_cents`` (what is left to pay is its total less
that). The order must be one of the device's own store (placed there, on the ``store``
channel: ``not_allowed`` otherwise), of this shopper, not cancelled and without points
yet (``invalid_state``); an order central does not know (its ``place_order`` refused) is
``unknown_order``. A return must be this shopper's and one central made
(``unknown_order`` otherwise). Central re-decides from its own policy and the shopper's
balance now, with the rules tablets and the web shop use (``sync.rules.loyalty``): more
points than the balance, or fewer than the policy's minimum, is ``not_enough_points``;
more than the policy's share of what they pay toward is ``invalid_args``. The shopper's
row is locked while it is decided, so two devices spending the same points cannot both
succeed.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central import policy
from central.commands.base import Context, Declaration, Reject
from sync.commands.redeem_points import Args
from sync.rules import loyalty
from sync.wire import utc_now


def _order_toward(ctx: Context, args: Args, order_id: str) -> tuple[dict[str, Any], int]:
    order = ctx.get("order", order_id, lock=True)
    if order is None:
        raise Reject(
            "unknown_order", "The order these points were for was not placed; nothing was spent."
        )
    if order["shopper_id"] != args.shopper_id:
        raise Reject("not_allowed", "This order is another shopper's.")
    if order.get("channel") != "store" or order.get("store_id") != ctx.device.store_id:
        raise Reject("not_allowed", "Points go on an order placed in this store.")
    if order.get("status") == "cancelled":
        raise Reject("invalid_state", "This order was cancelled; no points were spent.")
    if int(order.get("points_redeemed") or 0) > 0:
        raise Reject("invalid_state", "Points are already used on this order.")
    return order, int(order["total_cents"])


def _return_toward(ctx: Context, args: Args, return_id: str) -> int:
    found = ctx.get("return", return_id)
    if found is None or found.get("shopper_id") != args.shopper_id:
        raise Reject(
            "unknown_order", "The return these points were for was not made; nothing was spent."
        )
    exchange = found.get("exchange")
    difference = int(exchange["difference_cents"]) if exchange else None
    return loyalty.return_toward_cents(int(found["refund_cents"]), difference)


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.exists("redemption", args.redemption_id):
        raise Reject("conflict", "A redemption with this id already exists.")
    if bool(args.order_id) == bool(args.return_id):
        raise Reject("invalid_args", "Points go on an order or toward a return (one of them).")
    shopper = ctx.get("shopper", args.shopper_id, lock=True)
    if shopper is None:
        raise Reject("unknown_shopper", "This shopper is not known to central.")
    order: dict[str, Any] | None = None
    if args.order_id:
        order, toward = _order_toward(ctx, args, args.order_id)
    else:
        toward = _return_toward(ctx, args, args.return_id or "")
    rules = policy.current(ctx.conn)
    balance = int(shopper.get("points") or 0)
    refused = loyalty.refusal(rules, points=args.points, balance=balance, toward_cents=toward)
    if refused is not None:
        raise Reject(refused.code, refused.message)
    value = loyalty.value_cents(rules, args.points)
    now = utc_now()
    ctx.put("shopper", {**shopper, "points": balance - args.points})
    if order is not None:
        ctx.put("order", {**order, "points_redeemed": args.points, "points_value_cents": value})
    ctx.book(args.shopper_id)
    ctx.put(
        "redemption",
        {
            "id": args.redemption_id,
            "shopper_id": args.shopper_id,
            "store_id": ctx.device.store_id,
            "points": args.points,
            "value_cents": value,
            "order_id": args.order_id,
            "return_id": args.return_id,
            "author": ctx.author(),
            "created_at": now,
        },
    )
    return {
        "redemption_id": args.redemption_id,
        "points": args.points,
        "value_cents": value,
        "balance": balance - args.points,
        "left_to_pay_cents": loyalty.left_to_pay(toward, value),
    }


COMMAND = Declaration(
    "redeem_points",
    handle,
    touches="a new redemption, the shopper's points, and the points on an order of the "
    "device's own store",
)
