"""Editing a shopper's online cart by line operations, for ``update_cart`` and
``move_wishlist_item_to_cart``: a merge into the current lines, never an overwrite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from central.commands.base import Context, Reject
from sync.commands.update_cart import CartOp
from sync.wire import utc_now

MAX_QTY = 99
MAX_LINES = 100


def merge_cart_lines(
    lines: list[dict[str, Any]],
    ops: list[CartOp],
    price_of: Callable[[str], int],
    now: str,
    by: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Line operations applied to the current lines (a merge, never an overwrite).

    ``add`` increments (capped at 99), ``remove`` drops the line, ``set_qty`` sets it
    (0 removes). ``price_of(sku)`` is asked for new lines (it may raise :class:`Reject`).
    Every line an op changes or adds records ``by`` (``Context.author``) as ``changed_by``.
    """
    merged: dict[str, dict[str, Any]] = {ln["sku"]: dict(ln) for ln in lines}
    for op in ops:
        if op.op == "remove":
            merged.pop(op.sku, None)
            continue
        price = price_of(op.sku)
        line = merged.get(op.sku)
        if op.op == "add":
            if op.qty < 1:
                raise Reject("invalid_args", "Adding to a cart needs a quantity of at least 1.")
            qty = min(MAX_QTY, (line["qty"] if line else 0) + op.qty)
        else:
            qty = op.qty
        if qty == 0:
            merged.pop(op.sku, None)
        elif line is not None:
            line["qty"] = qty
            line["changed_by"] = by
        else:
            merged[op.sku] = {
                "sku": op.sku,
                "qty": qty,
                "price_cents": price,
                "added_at": now,
                "changed_by": by,
            }
    if len(merged) > MAX_LINES:
        raise Reject("invalid_args", "A cart holds at most 100 different items.")
    return list(merged.values())


def take_ordered(ctx: Context, shopper_id: str, ordered: dict[str, int]) -> None:
    """An order placed from the shopper's online cart: the ordered units leave it, line by
    line against the cart as central holds it now (what the shopper added since stays)."""
    cart = ctx.get("cart", f"cart-{shopper_id}")
    if cart is None or cart["status"] == "converted":
        return
    held = {str(line["sku"]): int(line["qty"]) for line in cart["lines"]}
    ops = [
        CartOp(op="set_qty", sku=sku, qty=max(0, held[sku] - qty))
        for sku, qty in ordered.items()
        if sku in held
    ]
    if ops:
        edit_cart(ctx, shopper_id, ops)


def edit_cart(ctx: Context, shopper_id: str, ops: list[CartOp]) -> dict[str, Any]:
    """Apply ``ops`` to the shopper's cart (created when they have none); returns it."""
    ctx.shopper(shopper_id)
    cart_id = f"cart-{shopper_id}"
    now = utc_now()
    cart = ctx.get("cart", cart_id) or {
        "id": cart_id,
        "version": 1,
        "updated_at": now,
        "shopper_id": shopper_id,
        "channel": "web",
        "status": "active",
        "lines": [],
    }
    if cart["status"] == "converted":
        cart["lines"] = []  # a converted cart was ordered: the shopper starts a new one
    lines = merge_cart_lines(
        cart["lines"], ops, lambda sku: int(ctx.product(sku)["price_cents"]), now, ctx.author()
    )
    ctx.book(shopper_id)
    return ctx.put("cart", {**cart, "status": "active", "lines": lines})
