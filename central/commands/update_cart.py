"""``update_cart``: edit a shopper's online cart by line operations (``central.commands.carts``).

Who may send it: an associate's tablet or a kiosk, for any shopper central knows.
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration
from central.commands.carts import edit_cart
from sync.commands.update_cart import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    cart = edit_cart(ctx, args.shopper_id, args.ops)
    return {"cart_id": cart["id"], "version": cart["version"], "base_version": args.base_version}


COMMAND = Declaration("update_cart", handle, kiosk=True)
