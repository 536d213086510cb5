"""Returns of any channel's orders in store, exchanges, and loyalty points redeemed.

A return is made on a tablet with ``return_items`` (also inside an exchange) and becomes
central's entity ``return`` when central applies it; points spent in store with
``redeem_points`` become a ``redemption``. Both belong to the shopper and sync to every
store in the shopper's book.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.wire.base import Entity, Id, Model, Qty, ShortText, Timestamp
from sync.wire.shoppers import Author, Channel

ReturnReason = Literal[
    "too_small",
    "too_large",
    "not_as_pictured",
    "faulty",
    "changed_mind",
    "wrong_item",
    "arrived_late",
    "other",
]
RETURN_REASONS: dict[str, str] = {
    "too_small": "Too small",
    "too_large": "Too large",
    "not_as_pictured": "Not as pictured",
    "faulty": "Faulty or damaged",
    "changed_mind": "Changed their mind",
    "wrong_item": "Wrong item sent",
    "arrived_late": "Arrived too late",
    "other": "Other",
}
"""Each reason's words for a person, in the order a picker lists them."""

ItemCondition = Literal["as_new", "opened", "damaged"]
ITEM_CONDITIONS: dict[str, str] = {
    "as_new": "As new, with tags",
    "opened": "Opened or tried on",
    "damaged": "Damaged",
}
"""Each condition's words. ``as_new`` and ``opened`` go back on this store's shelf;
``damaged`` does not (see ``sync.rules.returns.resellable``)."""

RefundMethod = Literal["original", "store_credit", "exchange"]
REFUND_METHODS: dict[str, str] = {
    "original": "To the original payment",
    "store_credit": "As store credit",
    "exchange": "Exchange for another item",
}


class ReturnLine(Model):
    """Some of one order line brought back: ``price_cents`` is the unit price refunded
    (what was paid for it, from the order line)."""

    sku: Id
    qty: Qty
    price_cents: int = Field(ge=0)
    reason: ReturnReason
    condition: ItemCondition
    note: Annotated[str, Field(max_length=300)] | None = None


ExchangeKind = Literal["reserve", "order"]


class Exchange(Model):
    """What the shopper takes instead: the same style in another size or colour, held here
    (``reserve``: a reservation in this store, ready at once) or ordered online
    (``order``: shipped to this store or home). The ids are the device's choice, so the
    exchange is applied exactly once with its return."""

    kind: ExchangeKind
    sku: Id
    qty: Qty
    price_cents: int = Field(ge=0)  # the new item's unit price (promotions and offers applied)
    reservation_id: Id | None = None  # kind == "reserve"
    order_id: Id | None = None  # kind == "order"
    difference_cents: int  # new total minus the refund: > 0 the shopper pays, < 0 refunded


class Return(Entity):
    """A return applied by central: its receipt number is ``R-<store>-<6 digits>``."""

    number: ShortText
    order_id: Id
    order_number: ShortText
    order_channel: Channel
    shopper_id: Id
    store_id: Id  # where it was brought back
    lines: list[ReturnLine] = Field(min_length=1, max_length=100)
    refund_method: RefundMethod
    refund_cents: int = Field(ge=0)  # sum of the lines' qty x price
    points_back: int = Field(default=0, ge=0)  # points the order spent, given back
    exchange: Exchange | None = None
    override_by: Id | None = None  # a manager who accepted it outside the policy
    override_reason: Annotated[str, Field(max_length=300)] | None = None
    author: Author | None = None
    created_at: Timestamp


class Redemption(Entity):
    """Loyalty points spent in store: off an order placed here (``order_id``), or taken
    as the reward on a refunded return (``return_id``)."""

    shopper_id: Id
    store_id: Id
    points: int = Field(ge=1)
    value_cents: int = Field(ge=1)
    order_id: Id | None = None
    return_id: Id | None = None
    author: Author | None = None
    created_at: Timestamp
