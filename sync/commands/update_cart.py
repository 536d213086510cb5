"""``update_cart``: edit a shopper's online cart by line operations (a merge, never an overwrite)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field, ValidationError

from sync.commands.base import Checks, CommandSpec, Queued, full_name
from sync.commands.effects import Active, Cart, Effects
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


CartOpInput = CartOp | Mapping[str, Any] | tuple[str, str] | tuple[str, str, int]


def _op(raw: CartOpInput) -> CartOp:
    if isinstance(raw, CartOp):
        return raw
    if isinstance(raw, Mapping):
        return CartOp.model_validate(dict(raw))
    return CartOp(op=raw[0], sku=raw[1], qty=raw[2] if len(raw) > 2 else 1)  # type: ignore[arg-type]


def _ops(c: Checks, ops: Sequence[CartOpInput]) -> list[CartOp]:
    parsed: list[CartOp] = []
    if not ops:
        c.fail("ops", "Choose what to change in the cart.")
    elif len(ops) > 50:
        c.fail("ops", "Change at most 50 cart lines at once.")
    for raw in ops if len(ops) <= 50 else ():
        try:
            op = _op(raw)
        except (ValidationError, IndexError, TypeError):
            c.fail("ops", "Enter a quantity from 0 to 99.")
            break
        if op.op in ("add", "set_qty") and c.product(op.sku, "ops") is None:
            break
        if op.op == "add" and op.qty < 1:
            c.fail("ops", "Enter a quantity from 1 to 99.")
            break
        parsed.append(op)
    return parsed


def check(c: Checks, *, shopper_id: str, ops: Sequence[CartOpInput], base_version: int) -> Queued:
    shopper = c.shopper(shopper_id)
    parsed = _ops(c, ops)
    if not isinstance(base_version, int) or base_version < 0:
        c.fail("base_version", "Open the shopper's profile again and retry.")
    c.raise_if_any()
    assert shopper is not None
    first = parsed[0]
    product = c.cache.product_model(first.sku)
    what = product.name if product else first.sku
    verb = {
        "add": f"add {first.qty} × {what}",
        "remove": f"remove {what}",
        "set_qty": f"set {what} to {first.qty}",
    }[first.op]
    more = f" and {len(parsed) - 1} more change(s)" if len(parsed) > 1 else ""
    return Queued(
        args=Args(shopper_id=shopper.id, base_version=base_version, ops=parsed),
        summary=f"Cart of {full_name(shopper)}: {verb}{more}",
        shopper_id=shopper.id,
        sku=first.sku,
        target_id=f"cart-{shopper.id}",
        base={
            "prices": c.prices((op.sku for op in parsed), promoted=False),
            "cart_version": base_version,
        },
    )


def edit_cart(a: Active, cart: Cart) -> None:
    """The ops, applied to the cart lines the profile shows (until central's newer cart)."""
    cart.edit(
        a,
        a.args["ops"],
        base_version=int(a.args.get("base_version", 0)),
        prices=a.base.get("prices", {}),
    )


EFFECTS = Effects(cart=edit_cart)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
