"""``return_items``: some lines of any channel's order brought back to this store, with a
refund to the original payment, as store credit, or as an exchange.

The device checks what central will check (:mod:`sync.rules.returns`), against the cached
order and central's synced policy, counting the returns still waiting in the outbox, so
two returns queued offline on this tablet cannot take the same unit twice. Central
decides again when the command arrives (between devices, its count wins).

Fields a refusal names: ``order_id`` (the order, its status, its window), ``items`` (what
comes back), ``refund_method``, ``exchange``, ``override`` and ``override_reason``.

Effects, until central's return is pulled: the return is listed as pending (the
``returns`` table), its units are *in flight* on the order's lines, items that can be sold
again count in this store's stock, and an exchange's reservation (held here) or order
(online) shows as pending with its stock taken.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, new_id
from sync.commands.effects import (
    Active,
    Effects,
    NewExchange,
    NewOrder,
    NewOrderLine,
    NewReservation,
    NewReturn,
    NewReturnLine,
    StockContext,
    StockDelta,
)
from sync.rules import returns as rules
from sync.rules import roles
from sync.rules.holds import DEFAULT_HOLD
from sync.wire import (
    ExchangeKind,
    FulfilmentType,
    Id,
    ItemCondition,
    Model,
    Qty,
    RefundMethod,
    ReturnReason,
)

NAME = "return_items"
ONLINE_WAREHOUSE = "WEB"


class ItemBack(Model):
    """Some of one SKU of the order brought back (central prices it from the order)."""

    sku: Id
    qty: Qty
    reason: ReturnReason
    condition: ItemCondition
    note: Annotated[str, Field(max_length=300)] | None = None


class SwapFor(Model):
    """An exchange's other item: held here (``reserve``, ready at once) or ordered online
    (``order``, to this store or home). The new row's id is the device's choice."""

    kind: ExchangeKind
    sku: Id
    qty: Qty
    reservation_id: Id | None = None  # kind == "reserve"
    order_id: Id | None = None  # kind == "order"
    fulfilment: FulfilmentType | None = None  # kind == "order": ship_to_store / ship_to_home
    address: Annotated[str, Field(max_length=400)] | None = None  # ship_to_home


class Args(Model):
    return_id: Id  # chosen by the client (uuid4)
    order_id: Id
    items: list[ItemBack] = Field(min_length=1, max_length=100)
    refund_method: RefundMethod
    exchange: SwapFor | None = None  # refund_method == "exchange"
    override: bool = False  # a manager accepts it outside the policy
    override_reason: Annotated[str, Field(max_length=300)] | None = None
    # a manager of the store who approved it on this tablet (``sync.approvals``)
    approved_by: Id | None = None


# -- checks ---------------------------------------------------------------------------


def _items(
    c: Checks,
    order: wire.Order,
    items: Sequence[Mapping[str, Any] | ItemBack],
    policy: wire.Policy,
    override: bool,
) -> list[ItemBack]:
    """The items as wire args; the first problem is said at ``items``."""
    if not items:
        c.fail("items", "Choose at least one item to bring back.")
        return []
    if len(items) > 100:
        c.fail("items", "A return can have 100 lines at most.")
        return []
    on_order = {ln.sku for ln in order.lines}
    parsed: list[ItemBack] = []
    for raw in items:
        data = raw.model_dump() if isinstance(raw, ItemBack) else dict(raw)
        sku = data.get("sku")
        if not isinstance(sku, str) or sku not in on_order:
            c.fail("items", f"Order {order.number} has no item {sku}: choose from its lines.")
            return []
        product = c.cache.product_model(sku)
        name = product.name if product else sku
        qty = c.qty(data.get("qty", 1), "items")
        if "items" in c.errors:
            return []
        reason, condition = data.get("reason"), data.get("condition")
        note = data.get("note")
        if reason not in wire.RETURN_REASONS:
            c.fail("items", f"Choose why the {name} is coming back.")
        elif condition not in wire.ITEM_CONDITIONS:
            c.fail("items", f"Choose the condition the {name} is in.")
        elif note is not None and (not isinstance(note, str) or len(note.strip()) > 300):
            c.fail("items", "Shorten the note to 300 characters.")
        else:
            refusal = rules.item_refusal(policy, product, override=override, role=c.role)
            if refusal is not None:
                c.fail("items", refusal.message)
        if "items" in c.errors:
            return []
        parsed.append(
            ItemBack(
                sku=sku,
                qty=qty,
                reason=reason,  # type: ignore[arg-type]
                condition=condition,  # type: ignore[arg-type]
                note=(note.strip() or None) if isinstance(note, str) else None,
            )
        )
    waiting = c.cache.in_flight_returns(order.id)
    refusal = rules.over_returned(order, _wanted(parsed), waiting)
    if refusal is not None:
        c.fail("items", refusal.message)
        return []
    return parsed


def _wanted(items: Sequence[ItemBack]) -> list[tuple[str, int]]:
    return [(i.sku, i.qty) for i in items]


def _exchange(
    c: Checks, order: wire.Order, items: Sequence[ItemBack], raw: Mapping[str, Any]
) -> tuple[SwapFor, int] | None:
    """The exchange as wire args, and the new item's unit price for the shopper."""
    kind, sku = raw.get("kind"), raw.get("sku")
    if kind not in ("reserve", "order"):
        c.fail("exchange", "Choose to hold the new item here or to order it online.")
        return None
    product = c.cache.product_model(sku) if isinstance(sku, str) and sku else None
    if product is None:
        c.fail("exchange", "Choose the item to exchange for.")
        return None
    styles = {p.style_id for p in (c.cache.product_model(i.sku) for i in items) if p is not None}
    if product.style_id not in styles:
        c.fail("exchange", "An exchange is another size or colour of an item brought back.")
        return None
    qty = c.qty(raw.get("qty", 1), "exchange")
    if "exchange" in c.errors:
        return None
    if kind == "reserve":
        here = c.here
        left = c.cache.available(product.sku, here) if here else None
        if not left or left < qty:
            c.fail(
                "exchange",
                f"Only {left or 0} of the {product.name}, {product.colour}, {product.size} "
                "available here: order it online instead.",
            )
            return None
        swap = SwapFor(kind="reserve", sku=product.sku, qty=qty, reservation_id=new_id())
    else:
        fulfilment = raw.get("fulfilment") or "ship_to_store"
        address = raw.get("address")
        clean = address.strip() if isinstance(address, str) else ""
        if fulfilment == "ship_to_home" and not clean:
            c.fail("exchange", "Enter the delivery address for the new item.")
            return None
        if fulfilment == "ship_to_home" and len(clean) > 400:
            c.fail("exchange", "Shorten the address to 400 characters.")
            return None
        if fulfilment not in ("ship_to_home", "ship_to_store"):
            c.fail("exchange", "Choose delivery to home or collection here.")
            return None
        online = c.cache.available(product.sku, ONLINE_WAREHOUSE)
        if online is not None and online < qty:
            c.fail(
                "exchange",
                f"Only {online} of the {product.name}, {product.size} left online: "
                "hold one here if this store has it.",
            )
            return None
        swap = SwapFor(
            kind="order",
            sku=product.sku,
            qty=qty,
            order_id=new_id(),
            fulfilment=fulfilment,  # type: ignore[arg-type]
            address=clean if fulfilment == "ship_to_home" else None,
        )
    price = c.cache.prices_for(order.shopper_id, [product.sku])[product.sku].sale_cents
    return swap, price


def check(
    c: Checks,
    *,
    order_id: str,
    items: Sequence[Mapping[str, Any] | ItemBack],
    refund_method: str,
    exchange: Mapping[str, Any] | None = None,
    override: bool = False,
    override_reason: str | None = None,
    approved_by: str | None = None,
) -> Queued:
    c.approved_by = approved_by  # a manager's approval on this tablet (``sync.approvals``)
    if c.is_kiosk:
        c.fail("order_id", "Returns are taken by an associate: please ask at the counter.")
        c.raise_if_any()
    order = c.cache.order(order_id) if isinstance(order_id, str) and order_id else None
    if order is None:
        c.fail(
            "order_id",
            "This order is not on this tablet: scan or type its number again, or open it "
            "from the shopper's history once the tablet is online.",
        )
        c.raise_if_any()
    assert order is not None
    policy = c.cache.policy() or rules.FALLBACK_POLICY
    role = c.role  # a manager's when a manager approved it on this tablet
    approved_by = c.approval()
    override = bool(override)
    reason = override_reason.strip() if isinstance(override_reason, str) else ""
    if override:
        if not roles.may(role, "return_override"):
            c.fail("override", roles.reason("return_override"))
        elif not reason:
            c.fail("override_reason", "Say why the return is accepted outside the policy.")
        elif len(reason) > 300:
            c.fail("override_reason", "Shorten the reason to 300 characters.")
    refusal = rules.order_refusal(order)
    if refusal is not None:
        c.fail("order_id", refusal.message)
    else:
        now = datetime.now(UTC)
        late = rules.time_refusal(policy, order, now, override=override, role=role)
        if late is not None:
            c.fail("override" if override else "order_id", late.message)
    c.raise_if_any()
    parsed = _items(c, order, items, policy, override)
    if refund_method not in wire.REFUND_METHODS:
        c.fail("refund_method", "Choose how to refund: original payment, store credit or exchange.")
    elif refund_method == "exchange" and not exchange:
        c.fail("exchange", "Choose the item to exchange for.")
    elif exchange and refund_method != "exchange":
        c.fail("refund_method", "Choose exchange as the refund to swap for another item.")
    c.raise_if_any()
    lines = rules.priced_lines(order, parsed)
    refund = rules.refund_cents(lines)
    swap: tuple[SwapFor, int] | None = None
    if exchange:
        swap = _exchange(c, order, parsed, exchange)
    c.raise_if_any()
    return_id = new_id()
    base: dict[str, Any] = {
        "order_number": order.number,
        "order_channel": order.channel,
        "prices": {ln.sku: ln.price_cents for ln in lines},
        "refund_cents": refund,
        "points_back": rules.points_back(order, refund, order.points_redeemed),
    }
    if swap is not None:
        base["exchange_price_cents"] = swap[1]
        base["difference_cents"] = rules.exchange_difference(refund, swap[1], swap[0].qty)
        base["hold_until"] = (datetime.now(UTC) + DEFAULT_HOLD).strftime("%Y-%m-%dT%H:%M:%SZ")
    count = sum(i.qty for i in parsed)
    how = {
        "original": "refund to the original payment",
        "store_credit": "as store credit",
        "exchange": "exchanged",
    }[refund_method]
    return Queued(
        args=Args(
            return_id=return_id,
            order_id=order.id,
            items=parsed,
            refund_method=refund_method,  # type: ignore[arg-type]
            exchange=swap[0] if swap else None,
            override=override,
            override_reason=reason or None,
            approved_by=approved_by,
        ),
        summary=(f"Return {count} item{'s' if count != 1 else ''} of order {order.number} ({how})"),
        shopper_id=order.shopper_id,
        store_id=c.here,
        target_id=return_id,
        base=base,
    )


# -- effects --------------------------------------------------------------------------


def new_return(a: Active) -> NewReturn:
    """The return, pending on the order and the shopper's history (its number once central
    has answered)."""
    args, base = a.args, a.base
    prices: dict[str, int] = base.get("prices", {})
    swap = args.get("exchange")
    return NewReturn(
        id=str(args["return_id"]),
        number=a.result.get("number"),
        order_id=str(args["order_id"]),
        order_number=str(base.get("order_number", "")),
        order_channel=str(base.get("order_channel", "store")),
        shopper_id=str(a.shopper_id or ""),
        store_id=str(a.store_id or ""),
        lines=tuple(
            NewReturnLine(
                sku=str(i["sku"]),
                qty=int(i["qty"]),
                price_cents=int(prices.get(str(i["sku"]), 0)),
                reason=str(i["reason"]),
                condition=str(i["condition"]),
                note=i.get("note"),
            )
            for i in args["items"]
        ),
        refund_method=str(args["refund_method"]),
        refund_cents=int(base.get("refund_cents", 0)),
        points_back=int(base.get("points_back", 0)),
        exchange=None
        if not swap
        else NewExchange(
            kind=str(swap["kind"]),
            sku=str(swap["sku"]),
            qty=int(swap["qty"]),
            price_cents=int(base.get("exchange_price_cents", 0)),
            difference_cents=int(base.get("difference_cents", 0)),
            reservation_id=swap.get("reservation_id"),
            order_id=swap.get("order_id"),
        ),
        override=bool(args.get("override")),
    )


def exchange_reservation(a: Active) -> NewReservation | None:
    """An exchange held here: a pending reservation in the store's queue and the profile."""
    swap = a.args.get("exchange")
    if not swap or swap.get("kind") != "reserve":
        return None
    return NewReservation(
        id=str(swap["reservation_id"]),
        store_id=str(a.store_id or ""),
        sku=str(swap["sku"]),
        qty=int(swap["qty"]),
        shopper_id=str(a.shopper_id or ""),
        hold_until=str(a.base.get("hold_until", a.created_at)),
        notify_by="none",
    )


def exchange_order(a: Active) -> NewOrder | None:
    """An exchange ordered online: a pending order in the shopper's history."""
    swap = a.args.get("exchange")
    if not swap or swap.get("kind") != "order":
        return None
    return NewOrder(
        id=str(swap["order_id"]),
        number=str(a.result.get("exchange_order_number") or "Pending"),
        status="placed",
        fulfilment_type=str(swap.get("fulfilment") or "ship_to_store"),
        fulfilment_store_id=a.store_id if swap.get("fulfilment") != "ship_to_home" else None,
        payment_method="pay_at_till",
        payment_link=None,
        lines=(
            NewOrderLine(
                sku=str(swap["sku"]),
                qty=int(swap["qty"]),
                price_cents=int(a.base.get("exchange_price_cents", 0)),
            ),
        ),
    )


def stock_moves(a: Active, seen: StockContext) -> Iterator[StockDelta]:
    """Items that can be sold again are back on this store's shelf, and an exchange takes
    its item (here, or from the online warehouse), until central's rows are pulled."""
    here = str(a.store_id or "")
    if not seen.confirmed("returns", str(a.args["return_id"])):
        for item in a.args["items"]:
            if rules.resellable(str(item["condition"])):
                yield StockDelta(here, str(item["sku"]), int(item["qty"]))
    swap = a.args.get("exchange")
    if not swap:
        return
    if swap["kind"] == "reserve":
        rid = str(swap["reservation_id"])
        if not seen.confirmed("reservations", rid) and seen.status("reservations", rid) != (
            "cancelled"
        ):
            yield StockDelta(here, str(swap["sku"]), -int(swap["qty"]))
    elif not seen.confirmed("orders", str(swap["order_id"])):
        yield StockDelta(ONLINE_WAREHOUSE, str(swap["sku"]), -int(swap["qty"]))


EFFECTS = Effects(
    table="returns",
    creates=new_return,
    stock=stock_moves,
    also=(
        Effects(table="reservations", creates=exchange_reservation),
        Effects(table="orders", creates=exchange_order),
    ),
)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
