"""``update_wishlist``: add SKUs to a shopper's wishlist and remove wishlist items.

Who may send it: an associate's tablet or a kiosk (a kiosk only for a shopper it served:
``central.kiosk``), as for the wishlist's other command, ``move_wishlist_item_to_cart``.
What it may touch: the wishlist of any shopper central knows (``unknown_shopper``
otherwise), as ``update_cart`` may touch their cart; the shopper joins the store's book.
Only that shopper's items, in the device's sight: removing an id central never had,
another shopper's item or one out of the device's book is ``unknown_wishlist_item``. Adding a SKU already on the wishlist and removing an item
already removed change nothing; each add and remove is an event for the retailer's web
shop (``wishlist_item.added`` / ``wishlist_item.removed``).

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

import json
from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.commands.update_wishlist import Args
from sync.wire import utc_now

CHANNEL = "store"


def _items(ctx: Context, shopper_id: str) -> dict[str, dict[str, Any]]:
    """The shopper's wishlist as central holds it now: sku -> item."""
    rows = ctx.conn.execute(
        "SELECT data FROM entities WHERE shopper_id = ? AND entity = 'wishlist_item'"
        " AND deleted = 0",
        (shopper_id,),
    ).fetchall()
    items = [json.loads(r[0]) for r in rows]
    return {str(item["sku"]): item for item in items}


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if not args.add and not args.remove:
        raise Reject("invalid_args", "Add or remove at least one wishlist item.")
    ctx.shopper(args.shopper_id)
    ctx.get("shopper", args.shopper_id, lock=True)  # one wishlist edit at a time per shopper
    removed: list[str] = []
    for item_id in args.remove:
        item = ctx.get("wishlist_item", item_id)
        if item is None and ctx.exists("wishlist_item", item_id):
            continue  # already removed
        if (
            item is None
            or item["shopper_id"] != args.shopper_id
            or not ctx.visible("wishlist_item", item_id)
        ):
            raise Reject("unknown_wishlist_item", "This wishlist item is not there any more.")
        ctx.delete("wishlist_item", item)
        removed.append(item_id)
    held = _items(ctx, args.shopper_id)
    added: list[str] = []
    now = utc_now()
    for new in args.add:
        ctx.product(new.sku)
        if new.sku in held or ctx.exists("wishlist_item", new.id):
            continue  # on the wishlist already (or this id was used): nothing changes
        held[new.sku] = ctx.put(
            "wishlist_item",
            {
                "id": new.id,
                "version": 1,
                "updated_at": now,
                "shopper_id": args.shopper_id,
                "sku": new.sku,
                "channel": CHANNEL,
                "added_at": now,
            },
        )
        added.append(new.id)
    ctx.book(args.shopper_id)
    return {"added": added, "removed": removed}


COMMAND = Declaration(
    "update_wishlist",
    handle,
    touches="the wishlist of any shopper central knows",
    kiosk=True,
)
