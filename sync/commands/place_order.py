"""``place_order``: order online for a shopper, shipped home or to a store."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sync.wire import Fulfilment, Id, Model, Qty

NAME = "place_order"


class OrderLineArgs(Model):
    sku: Id
    qty: Qty


class Args(Model):
    order_id: Id  # chosen by the client (uuid4)
    shopper_id: Id
    lines: list[OrderLineArgs] = Field(min_length=1, max_length=50)
    fulfilment: Fulfilment  # ship_to_home needs address; ship_to_store needs store_id
    payment_method: Literal["pay_at_till", "pay_by_link"]
