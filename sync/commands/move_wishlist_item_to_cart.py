"""``move_wishlist_item_to_cart``: move a wishlist item into the shopper's cart."""

from __future__ import annotations

from sync.wire import Id, Model, Qty

NAME = "move_wishlist_item_to_cart"


class Args(Model):
    wishlist_item_id: Id
    qty: Qty = 1
