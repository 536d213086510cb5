"""What the return screen is handed (``sync.read.returns``): frozen records, money in
integer cents, times as wire timestamps; and how a return's lines and exchange become them."""

from __future__ import annotations

from dataclasses import dataclass

from sync import wire
from sync.commands.effects import NewExchange, NewReturn
from sync.records import AuthorView, Price


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """One SKU of an order on the return screen: what may still come back of it."""

    sku: str
    name: str
    colour: str
    size: str
    image: str | None
    bought: int
    returned: int  # central's count
    in_flight: int  # returns of this order still waiting in this device's outbox
    left: int  # bought - returned - in_flight
    price_cents: int  # the unit price refunded (what the order paid)
    barred: str | None  # the policy's sentence when the item cannot come back


@dataclass(frozen=True, slots=True)
class ReturnWindow:
    deadline: str  # the date (YYYY-MM-DD) the window ends
    days: int
    inside: bool
    override_possible: bool  # past the window, a manager may still accept it
    sentence: str


@dataclass(frozen=True, slots=True)
class ReturnedLine:
    sku: str
    name: str
    colour: str
    size: str
    qty: int
    price_cents: int
    reason: str  # the wire code
    reason_text: str  # its words (``wire.RETURN_REASONS``)
    condition: str
    condition_text: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ExchangeView:
    kind: str  # reserve (held here) / order (ordered online)
    sku: str
    name: str
    colour: str
    size: str
    qty: int
    price_cents: int
    difference_cents: int  # > 0 the shopper pays, < 0 they get back
    reservation_id: str | None
    order_id: str | None


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    """A return of an order: applied by central, waiting in this device's outbox, or
    refused by central (``reason`` says why and what to do)."""

    id: str
    number: str  # the receipt number, or "pending" until central has applied it
    state: str  # pending / applied / rejected
    reason: str | None  # why central refused it
    order_id: str
    order_number: str
    order_channel: str
    shopper_id: str
    store_id: str
    store_name: str
    lines: tuple[ReturnedLine, ...]
    refund_cents: int
    refund_method: str
    refund_method_text: str
    points_back: int
    exchange: ExchangeView | None
    override: bool
    created_at: str
    by: AuthorView | None = None


@dataclass(frozen=True, slots=True)
class ReturnReceipt:
    """Everything a printed return receipt shows."""

    return_id: str
    number: str  # or "pending"
    state: str
    store_name: str
    store_address: str  # street, city and postcode
    store_phone: str
    date: str  # wire timestamp of the return
    associate: str | None
    shopper_name: str
    order_number: str
    order_channel: str
    lines: tuple[ReturnedLine, ...]
    refund_cents: int
    refund_method_text: str
    exchange: ExchangeView | None
    difference_cents: int  # the exchange's (0 without one)
    points_back: int
    policy_sentence: str
    qr_text: str  # what the receipt's QR code holds: the number, or the return id


@dataclass(frozen=True, slots=True)
class ExchangeOption:
    """Another size or colour of the same style, to swap for."""

    sku: str
    name: str
    colour: str
    size: str
    image: str | None
    price: Price  # the shopper's price today (promotions, their own offers)
    available_here: int
    available_online: int
    same_colour: bool


def returned_line(
    sku: str,
    qty: int,
    price_cents: int,
    reason: str,
    condition: str,
    note: str | None,
    found: dict[str, wire.Product],
) -> ReturnedLine:
    p = found.get(sku)
    return ReturnedLine(
        sku=sku,
        name=p.name if p else sku,
        colour=p.colour if p else "",
        size=p.size if p else "",
        qty=qty,
        price_cents=price_cents,
        reason=reason,
        reason_text=wire.RETURN_REASONS.get(reason, reason),
        condition=condition,
        condition_text=wire.ITEM_CONDITIONS.get(condition, condition),
        note=note,
    )


def exchange_view(
    e: wire.Exchange | NewExchange | None, found: dict[str, wire.Product]
) -> ExchangeView | None:
    if e is None:
        return None
    p = found.get(e.sku)
    return ExchangeView(
        kind=e.kind,
        sku=e.sku,
        name=p.name if p else e.sku,
        colour=p.colour if p else "",
        size=p.size if p else "",
        qty=e.qty,
        price_cents=e.price_cents,
        difference_cents=e.difference_cents,
        reservation_id=e.reservation_id,
        order_id=e.order_id,
    )


def skus_of(r: wire.Return | NewReturn) -> set[str]:
    skus = {ln.sku for ln in r.lines}
    if r.exchange is not None:
        skus.add(r.exchange.sku)
    return skus
