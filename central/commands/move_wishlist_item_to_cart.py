"""``move_wishlist_item_to_cart``: add a wishlist item to the shopper's cart and drop it
from the wishlist.

Who may send it: an associate's tablet or a kiosk (a kiosk only for a shopper it served:
``central.kiosk``).
What it may touch: a wishlist item the device can see (a shopper in its store's book;
any other is ``unknown_wishlist_item``) and that shopper's online cart.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.commands.carts import edit_cart
from sync.commands.move_wishlist_item_to_cart import Args
from sync.commands.update_cart import CartOp


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    item = ctx.get("wishlist_item", args.wishlist_item_id)
    if item is None or not ctx.visible("wishlist_item", args.wishlist_item_id):
        raise Reject("unknown_wishlist_item", "This wishlist item is not there any more.")
    cart = edit_cart(ctx, item["shopper_id"], [CartOp(op="add", sku=item["sku"], qty=args.qty)])
    ctx.delete("wishlist_item", item)
    return {"cart_id": cart["id"], "version": cart["version"], "wishlist_item_id": item["id"]}


def shopper(ctx: Context, args: dict[str, Any]) -> str | None:
    """The shopper whose wishlist item it is (none when there is no such item)."""
    item = ctx.get("wishlist_item", str(args.get("wishlist_item_id", "")))
    return str(item["shopper_id"]) if item else None


COMMAND = Declaration(
    "move_wishlist_item_to_cart",
    handle,
    touches="a wishlist item in the device's book and that shopper's online cart",
    kiosk=True,
    shopper=shopper,
)
