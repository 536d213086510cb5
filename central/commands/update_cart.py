"""``update_cart``: edit a shopper's online cart by line operations (``central.commands.carts``).

Who may send it: an associate's tablet or a kiosk (a kiosk only for a shopper it served:
``central.kiosk``).
What it may touch: the online cart of any shopper central knows (``unknown_shopper``
otherwise), by merging line operations, never by overwriting; the shopper joins the
store's book. (A shopper's cart is theirs on every channel: the associate or kiosk
serving them may edit it wherever they are.)

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration
from central.commands.carts import edit_cart
from sync.commands.update_cart import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    cart = edit_cart(ctx, args.shopper_id, args.ops)
    return {"cart_id": cart["id"], "version": cart["version"], "base_version": args.base_version}


COMMAND = Declaration(
    "update_cart",
    handle,
    touches="the online cart of any shopper central knows",
    kiosk=True,
)
