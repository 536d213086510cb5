"""``update_cart``: edit a shopper's online cart by line operations (a merge, never an overwrite)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sync.wire import Id, Model

NAME = "update_cart"


class CartOp(Model):
    op: Literal["add", "remove", "set_qty"]
    sku: Id
    qty: int = Field(ge=0, le=99, default=1)  # add: how many more; set_qty: the new qty


class Args(Model):
    shopper_id: Id
    base_version: int = Field(ge=0)  # the cart version the edit was made on (0: no cart)
    ops: list[CartOp] = Field(min_length=1, max_length=50)
