"""``update_wishlist``: add SKUs to a shopper's wishlist and remove wishlist items.

Adds carry ids chosen here (``new_id``), so the item shows at once and central's row,
once pulled, has the same id. Adding a SKU already on the wishlist changes nothing;
removing an item already removed changes nothing either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field

from sync.commands.base import Checks, CommandSpec, Queued, first_name, full_name, new_id
from sync.commands.effects import Active, Cart, Effects
from sync.wire import Id, Model

NAME = "update_wishlist"
MAX_ITEMS = 50


class WishlistAdd(Model):
    id: Id  # the new wishlist item's id, chosen by the client (uuid4)
    sku: Id


class Args(Model):
    shopper_id: Id
    add: list[WishlistAdd] = Field(default_factory=list, max_length=MAX_ITEMS)
    remove: list[Id] = Field(default_factory=list, max_length=MAX_ITEMS)  # wishlist item ids
    # both empty is refused by ``check`` here and by central's handler (``invalid_args``)


def _shown(c: Checks, shopper_id: str) -> dict[str, str]:
    """The wishlist as this device shows it now (item id -> sku), pending changes included."""
    if c.is_kiosk:
        items = c.cache.kiosk_profile(c.served).wishlist if c.served else ()
    else:
        profile = c.cache.shopper_profile(shopper_id)
        items = profile.wishlist if profile else ()
    return {item.key: item.product.sku for item in items}


def check(
    c: Checks, *, shopper_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> Queued:
    shopper = c.shopper(shopper_id)
    add, remove = list(add), list(remove)
    if not add and not remove:
        c.fail("add", "Choose an item to add to the wishlist or to remove from it.")
    if len(add) > MAX_ITEMS or len(remove) > MAX_ITEMS:
        c.fail("add" if len(add) > MAX_ITEMS else "remove", "Change at most 50 items at once.")
    c.raise_if_any()
    assert shopper is not None
    shown = _shown(c, shopper.id)
    on_list = set(shown.values())
    skus: list[str] = []
    for sku in add:
        if c.product(sku, "add") is None:
            break
        if sku not in on_list and sku not in skus:
            skus.append(sku)
    gone = [item_id for item_id in remove if item_id not in shown]
    if gone:
        c.fail("remove", "This wishlist item is no longer there.")
    if add and not skus and not remove and not c.errors:
        c.fail("add", f"This is already on {first_name(shopper)}'s wishlist.")
    c.raise_if_any()
    adds = [WishlistAdd(id=new_id(), sku=sku) for sku in skus]
    removes = list(dict.fromkeys(remove))
    return Queued(
        args=Args(shopper_id=shopper.id, add=adds, remove=removes),
        summary=f"Wishlist of {full_name(shopper)}: {_what(c, adds, removes, shown)}",
        shopper_id=shopper.id,
        store_id=c.here,
        sku=adds[0].sku if adds else shown.get(removes[0]),
        target_id=adds[0].id if adds else removes[0],
    )


def _what(c: Checks, adds: list[WishlistAdd], removes: list[str], shown: dict[str, str]) -> str:
    def name(sku: str | None) -> str:
        product = c.cache.product_model(sku) if sku else None
        return product.name if product else str(sku)

    parts = []
    if adds:
        more = f" and {len(adds) - 1} more" if len(adds) > 1 else ""
        parts.append(f"add {name(adds[0].sku)}{more}")
    if removes:
        more = f" and {len(removes) - 1} more" if len(removes) > 1 else ""
        parts.append(f"remove {name(shown.get(removes[0]))}{more}")
    return ", ".join(parts)


def edit_wishlist(a: Active, cart: Cart) -> None:
    """Added items show on the wishlist at once, removed ones leave it (until central's)."""
    for raw in a.args.get("add", []):
        item: dict[str, Any] = raw
        cart.add_wishlist_item(a, str(item["id"]), str(item["sku"]))
    for item_id in a.args.get("remove", []):
        cart.hide_wishlist_item(str(item_id))


EFFECTS = Effects(cart=edit_wishlist)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
