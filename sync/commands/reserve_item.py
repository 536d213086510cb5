"""``reserve_item``: hold stock in a store for a shopper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, full_name, new_id
from sync.commands.effects import Active, Effects, NewReservation, StockContext, StockDelta
from sync.rules.holds import DEFAULT_HOLD, MAX_HOLD
from sync.wire import Id, Model, NotifyBy, Qty, Timestamp, parse_ts

NAME = "reserve_item"


class Args(Model):
    reservation_id: Id  # chosen by the client (uuid4)
    store_id: Id
    sku: Id
    qty: Qty
    shopper_id: Id
    hold_until: Timestamp
    notify_by: NotifyBy = "sms"


def check(
    c: Checks,
    *,
    shopper_id: str,
    sku: str,
    qty: int,
    store_id: str | None,
    hold_until: str | datetime | None,
    notify_by: str,
) -> Queued:
    shopper = c.shopper(shopper_id)
    product = c.product(sku, "sku")
    qty = c.qty(qty, "qty")
    store_id = store_id or c.here
    store = c.cache.store(store_id) if store_id else None
    if store is None or store.kind != "store":
        c.fail("store_id", "Choose the store where the item will be held.")
    now = datetime.now(UTC)
    hold = (
        c.timestamp(hold_until, "hold_until")
        if hold_until is not None
        else (now + DEFAULT_HOLD).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    if hold is not None and "hold_until" not in c.errors:
        when = parse_ts(hold)
        if when <= now:
            c.fail("hold_until", "Choose a time in the future to hold the item until.")
        elif when > now + MAX_HOLD:
            c.fail("hold_until", "An item can be held for 30 days at most.")
    if notify_by not in ("sms", "email", "none"):
        c.fail("notify_by", "Choose how to tell the shopper: text, email or not at all.")
    elif isinstance(shopper, wire.Shopper):
        # a kiosk holds no contact details (its projection has none): central checks there
        if notify_by == "sms" and not shopper.phone:
            c.fail("notify_by", "This shopper has no mobile number; choose email.")
        if notify_by == "email" and not shopper.email:
            c.fail("notify_by", "This shopper has no email address; choose text.")
    if product and store and qty and "qty" not in c.errors:
        left = c.cache.available(product.sku, store.id)
        if left is not None and left < qty:
            c.fail(
                "qty", f"Only {left} available at {store.name}; try another store or order online."
            )
    c.raise_if_any()
    assert product is not None and store is not None and shopper is not None and hold
    rid = new_id()
    return Queued(
        args=Args(
            reservation_id=rid,
            store_id=store.id,
            sku=product.sku,
            qty=qty,
            shopper_id=shopper.id,
            hold_until=hold,
            notify_by=notify_by,  # type: ignore[arg-type]
        ),
        summary=(
            f"Reserve {qty} × {product.name}, {product.colour}, {product.size} "
            f"at {store.name} for {full_name(shopper)}"
        ),
        shopper_id=shopper.id,
        store_id=store.id,
        sku=product.sku,
        target_id=rid,
    )


def new_reservation(a: Active) -> NewReservation:
    """A pending reservation on the shopper's profile and the store's queue."""
    args = a.args
    return NewReservation(
        id=str(args["reservation_id"]),
        store_id=str(args["store_id"]),
        sku=str(args["sku"]),
        qty=int(args["qty"]),
        shopper_id=str(args["shopper_id"]),
        hold_until=str(args["hold_until"]),
        notify_by=str(args.get("notify_by", "sms")),
    )


def held_stock(a: Active, seen: StockContext) -> Iterator[StockDelta]:
    """The held units leave the store's ``available`` until central's reservation is pulled
    (central counts them then) or a queued cancel gives them back."""
    rid = a.target_id or ""
    if seen.confirmed("reservations", rid) or seen.status("reservations", rid) == "cancelled":
        return
    yield StockDelta(str(a.args["store_id"]), str(a.args["sku"]), -int(a.args["qty"]))


EFFECTS = Effects(table="reservations", creates=new_reservation, stock=held_stock)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
