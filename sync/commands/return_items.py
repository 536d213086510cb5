"""``return_items``: some lines of any channel's order brought back to this store, with a
refund to the original payment, as store credit, or as an exchange.

FOUNDATION SKELETON: the args are the contract; the checks and effects are built by the
returns branch.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Effects
from sync.errors import InvalidInput
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


def check(c: Checks, **fields: object) -> Queued:
    raise InvalidInput({"order_id": "Returns are not built yet."})


EFFECTS = Effects()
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
