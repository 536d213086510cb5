"""``place_order``: order online for a shopper, shipped home or to a store."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from pydantic import Field

from sync.commands.base import Checks, CommandSpec, Queued, full_name, new_id
from sync.commands.effects import (
    Active,
    Cart,
    Effects,
    NewOrder,
    NewOrderLine,
    StockContext,
    StockDelta,
)
from sync.errors import InvalidInput
from sync.rules.pricing import SPENT_OFFERS, spent_offers
from sync.wire import Fulfilment, Id, Model, Qty

NAME = "place_order"

ONLINE_WAREHOUSE = "WEB"  # orders ship from the online warehouse's stock


class OrderLineArgs(Model):
    sku: Id
    qty: Qty


class Args(Model):
    order_id: Id  # chosen by the client (uuid4)
    shopper_id: Id
    lines: list[OrderLineArgs] = Field(min_length=1, max_length=50)
    fulfilment: Fulfilment  # ship_to_home needs address; ship_to_store needs store_id
    payment_method: Literal["pay_at_till", "pay_by_link"]
    # ordered from the shopper's online cart: the ordered units leave it (line by line)
    from_cart: bool = False


OrderLineInput = OrderLineArgs | Mapping[str, Any] | tuple[str, int]


def _lines(c: Checks, lines: Sequence[OrderLineInput]) -> list[tuple[str, int]]:
    parsed: list[tuple[str, int]] = []
    if not lines:
        c.fail("lines", "Add at least one item to the order.")
    elif len(lines) > 50:
        c.fail("lines", "An order can have 50 lines at most.")
    else:
        for raw in lines:
            if isinstance(raw, OrderLineArgs):
                sku, qty = raw.sku, raw.qty
            elif isinstance(raw, Mapping):
                sku, qty = raw.get("sku", ""), raw.get("qty", 1)
            else:
                sku, qty = raw
            if c.product(str(sku), "lines") is None:
                break
            q = c.qty(qty, "lines")
            if "lines" in c.errors:
                break
            parsed.append((str(sku), q))
    return parsed


def check(
    c: Checks,
    *,
    shopper_id: str,
    lines: Sequence[OrderLineInput],
    fulfilment_type: str,
    payment_method: str,
    fulfilment_store_id: str | None,
    address: str | None,
    from_cart: bool = False,
) -> Queued:
    shopper = c.shopper(shopper_id)
    parsed = _lines(c, lines)
    store_id: str | None = None
    clean_address: str | None = None
    if fulfilment_type == "ship_to_home":
        clean_address = (address or "").strip()
        if not clean_address:
            c.fail("address", "Enter the delivery address.")
        elif len(clean_address) > 400:
            c.fail("address", "Shorten the address to 400 characters.")
    elif fulfilment_type == "ship_to_store":
        target = c.cache.store(fulfilment_store_id) if fulfilment_store_id else None
        if target is None or target.kind != "store":
            c.fail("fulfilment_store_id", "Choose the store where the shopper will collect.")
        else:
            store_id = target.id
    else:
        # Orders ship from the online warehouse (central refuses carry_out).
        c.fail("fulfilment_type", "Choose delivery to home or collection in a store.")
    if payment_method not in ("pay_at_till", "pay_by_link"):
        c.fail("payment_method", "Choose pay at the till or pay by link.")
    c.raise_if_any()
    assert shopper is not None
    merged: dict[str, int] = {}
    for sku, q in parsed:
        merged[sku] = merged.get(sku, 0) + q
    if any(q > 99 for q in merged.values()):
        raise InvalidInput({"lines": "Enter a quantity from 1 to 99."})
    order_id = new_id()
    count = sum(merged.values())
    # priced as central will: the promotions, or the shopper's own offer when lower
    prices = c.cache.prices_for(shopper.id, merged)
    base: dict[str, Any] = {
        "prices": {sku: p.sale_cents for sku, p in prices.items()},
        SPENT_OFFERS: spent_offers(prices.values()),
    }
    if from_cart:
        profile = c.cache.shopper_profile(shopper.id)
        base["cart_version"] = profile.cart_version if profile is not None else 0
    how = {"ship_to_home": "delivered", "ship_to_store": "to collect"}[fulfilment_type]
    return Queued(
        args=Args(
            order_id=order_id,
            shopper_id=shopper.id,
            lines=[OrderLineArgs(sku=s, qty=q) for s, q in merged.items()],
            fulfilment=Fulfilment(
                type=fulfilment_type,  # type: ignore[arg-type]
                store_id=store_id,
                address=clean_address,
            ),
            payment_method=payment_method,  # type: ignore[arg-type]
            from_cart=from_cart,
        ),
        summary=(f"Order {count} item{'s' if count != 1 else ''} for {full_name(shopper)} ({how})"),
        shopper_id=shopper.id,
        store_id=c.here,
        target_id=order_id,
        base=base,
    )


def new_order(a: Active) -> NewOrder:
    """The order in the shopper's history, at the prices of the time it was made; the
    number and payment link show once central has answered."""
    prices: dict[str, int] = a.base.get("prices", {})
    method = str(a.args["payment_method"])
    fulfilment = a.args["fulfilment"]
    return NewOrder(
        id=str(a.args["order_id"]),
        number=str(a.result.get("number") or "Pending"),
        status="awaiting_payment" if method == "pay_by_link" else "placed",
        fulfilment_type=str(fulfilment["type"]),
        fulfilment_store_id=fulfilment.get("store_id"),
        payment_method=method,
        payment_link=a.result.get("payment_link"),
        lines=tuple(
            NewOrderLine(
                sku=str(ln["sku"]),
                qty=int(ln["qty"]),
                price_cents=int(prices.get(str(ln["sku"]), 0)),
            )
            for ln in a.args["lines"]
        ),
    )


def ordered_stock(a: Active, seen: StockContext) -> Iterator[StockDelta]:
    """The ordered units leave the online warehouse until central's order is pulled."""
    if seen.confirmed("orders", a.target_id or ""):
        return
    for line in a.args["lines"]:
        yield StockDelta(ONLINE_WAREHOUSE, str(line["sku"]), -int(line["qty"]))


def taken_from_cart(a: Active, cart: Cart) -> None:
    """An order placed from the cart takes its lines out of the cart the profile shows."""
    if not a.args.get("from_cart"):
        return
    ordered = {str(ln["sku"]): int(ln["qty"]) for ln in a.args["lines"]}
    cart.take(a, ordered, base_version=int(a.base.get("cart_version", 0)))


EFFECTS = Effects(table="orders", creates=new_order, stock=ordered_stock, cart=taken_from_cart)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
