"""``move_wishlist_item_to_cart``: move a wishlist item into the shopper's cart."""

from __future__ import annotations

from sync.commands.base import Checks, CommandSpec, Queued, full_name
from sync.commands.effects import Active, Cart, Effects
from sync.wire import Id, Model, Qty

NAME = "move_wishlist_item_to_cart"


class Args(Model):
    wishlist_item_id: Id
    qty: Qty = 1


def check(c: Checks, *, wishlist_item_id: str, qty: int) -> Queued:
    item = c.cache.wishlist_item(wishlist_item_id)
    if item is None:
        c.fail("wishlist_item_id", "This wishlist item is no longer there.")
    qty = c.qty(qty, "qty")
    c.raise_if_any()
    assert item is not None
    shopper = c.cache.shopper(item.shopper_id)
    profile = c.cache.shopper_profile(item.shopper_id)
    product = c.cache.product_model(item.sku)
    who = full_name(shopper) if shopper else item.shopper_id
    return Queued(
        args=Args(wishlist_item_id=item.id, qty=qty),
        summary=f"Move {product.name if product else item.sku} to the cart of {who}",
        shopper_id=item.shopper_id,
        sku=item.sku,
        target_id=item.id,
        base={
            "prices": c.prices([item.sku], promoted=False),
            "cart_version": profile.cart_version if profile else 0,
        },
    )


def move_to_cart(a: Active, cart: Cart) -> None:
    """The item leaves the wishlist and joins the cart lines."""
    cart.hide_wishlist_item(str(a.args["wishlist_item_id"]))
    if a.sku:
        cart.edit(
            a,
            [{"op": "add", "sku": a.sku, "qty": a.args.get("qty", 1)}],
            base_version=int(a.base.get("cart_version", 0)),
            prices=a.base.get("prices", {}),
        )


EFFECTS = Effects(cart=move_to_cart)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
