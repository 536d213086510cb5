"""``redeem_points``: loyalty points spent in store as a reward, off an order placed here or
toward a return (what an exchange leaves to pay, or added to a refund).

The device checks what central will decide, with the same rules (``sync.rules.loyalty``):
the shopper is known here, the points are within their balance less what redemptions
still queued spend, at least the policy's minimum and at most its share of what they pay
toward; the order (placed here, possibly still queued) or the return (possibly still
queued) is known here. Its effects: the balance shows the points spent at once, and the
order shows them off its total.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, full_name, new_id
from sync.commands.effects import Active, Effects, StockContext
from sync.rules import loyalty
from sync.rules import returns as return_rules
from sync.wire import Id, Model

NAME = "redeem_points"


class Args(Model):
    redemption_id: Id  # chosen by the client (uuid4)
    shopper_id: Id
    points: int = Field(ge=1, le=10_000_000)
    order_id: Id | None = None  # an order placed here (it may still be queued)
    return_id: Id | None = None  # an exchange's return (toward what is left to pay)


NewOrder = tuple[str, int]
"""An order queued in the same transaction as the redemption: (order id, its total)."""


def _order_toward(c: Checks, order_id: str, shopper_id: str, new_order: NewOrder | None) -> int:
    """The total of the order the points go toward (0 with a sentence when they cannot)."""
    if new_order is not None and new_order[0] == order_id:
        return new_order[1]
    order = c.cache.points_order(order_id) if order_id else None
    if order is None:
        c.fail("order_id", "This order is not on this tablet; points go on an order placed here.")
        return 0
    if order.shopper_id != shopper_id:
        c.fail("order_id", "This order is another shopper's.")
    elif order.channel != "store" or (c.here is not None and order.store_id != c.here):
        c.fail("order_id", "Points go on an order placed in this store.")
    elif order.status == "cancelled":
        c.fail("order_id", "This order was cancelled.")
    elif order.points_redeemed > 0:
        c.fail("order_id", "Points are already used on this order.")
    return order.total_cents


def _return_toward(c: Checks, return_id: str, shopper_id: str) -> int:
    """What a return leaves to pay (an exchange) or refunds: what points may go toward."""
    found = c.cache.points_return(return_id) if return_id else None
    if found is None:
        c.fail("return_id", "This return is not on this tablet; take the return first.")
        return 0
    if found.shopper_id != shopper_id:
        c.fail("return_id", "This return is another shopper's.")
        return 0
    if found.made is not None:
        made = found.made
        diff = made.exchange.difference_cents if made.exchange else None
        return loyalty.return_toward_cents(made.refund_cents, diff)
    args, order = found.queued, found.order
    if args is None or order is None:
        c.fail("return_id", "The order of this return is not on this tablet.")
        return 0
    refund = sum(item.qty * return_rules.unit_price(order, item.sku) for item in args.items)
    if args.exchange is None:
        return loyalty.return_toward_cents(refund, None)
    price = c.cache.prices_for(shopper_id, [args.exchange.sku]).get(args.exchange.sku)
    unit = price.sale_cents if price is not None else 0
    diff = return_rules.exchange_difference(refund, unit, args.exchange.qty)
    return loyalty.return_toward_cents(refund, diff)


def check(
    c: Checks,
    *,
    shopper_id: str,
    points: int,
    order_id: str | None = None,
    return_id: str | None = None,
) -> Queued:
    return _check(c, shopper_id, points, order_id, return_id, None)


def check_with_new_order(
    c: Checks, *, shopper_id: str, points: int, order_id: str, total_cents: int
) -> Queued:
    """Points on an order checked in the same breath (``Commands.place_order_with_points``):
    its id and total, as it is not in the outbox yet."""
    return _check(c, shopper_id, points, order_id, None, (order_id, total_cents))


def _check(
    c: Checks,
    shopper_id: str,
    points: int,
    order_id: str | None,
    return_id: str | None,
    new_order: NewOrder | None,
) -> Queued:
    if c.is_kiosk:
        c.fail("points", "Points are used with an associate, at a tablet.")
        c.raise_if_any()
    shopper = c.shopper(shopper_id)
    if bool(order_id) == bool(return_id):
        c.fail("points", "Points go on an order placed here or toward a return.")
    if isinstance(points, bool) or not isinstance(points, int):
        c.fail("points", "Enter how many points to use.")
    c.raise_if_any()
    assert isinstance(shopper, wire.Shopper)
    rules = c.cache.policy()
    shown = c.cache.points(shopper.id)
    if rules is None or shown is None:
        c.fail("points", "The loyalty rules have not reached this tablet yet; sync first.")
        c.raise_if_any()
    assert rules is not None and shown is not None
    toward = (
        _order_toward(c, order_id, shopper.id, new_order)
        if order_id
        else _return_toward(c, return_id or "", shopper.id)
    )
    c.raise_if_any()
    refused = loyalty.refusal(rules, points=points, balance=shown.balance, toward_cents=toward)
    if refused is not None:
        c.fail(refused.field, refused.message)
        c.raise_if_any()
    value = loyalty.value_cents(rules, points)
    rid = new_id()
    worth = loyalty.money(value)
    on = "an order" if order_id else "a return"
    return Queued(
        args=Args(
            redemption_id=rid,
            shopper_id=shopper.id,
            points=points,
            order_id=order_id or None,
            return_id=return_id or None,
        ),
        summary=f"Use {points:,} points ({worth}) on {on} for {full_name(shopper)}",
        shopper_id=shopper.id,
        store_id=c.here,
        target_id=order_id or return_id,
        base={"value_cents": value, "toward_cents": toward},
    )


def spent(a: Active, seen: StockContext) -> int:
    """The points leave the balance shown until central's redemption is pulled (central's
    copy of the shopper has them off by then)."""
    if seen.confirmed("redemptions", str(a.args["redemption_id"])):
        return 0
    return -int(a.args["points"])


def points_off(a: Active) -> dict[str, Any]:
    """The order shows the points spent on it and what they take off its total."""
    if not a.args.get("order_id"):
        return {}
    return {
        "points_redeemed": int(a.args["points"]),
        "points_value_cents": int(a.base.get("value_cents", 0)),
    }


EFFECTS = Effects(table="orders", fields=points_off, points=spent)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
