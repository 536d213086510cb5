"""Demo data for Harbour & Pine: stores, staff, catalog, stock and a crowd of shoppers.

``generate(shoppers)`` yields ``(entity_name, data)`` pairs in dependency order; every
``data`` validates as its ``sync.wire`` model. The same seed and the same day give the
same data. History is placed before midnight UTC of the day of generation and the few
things that must still hold when the demo runs (reservation holds, promotions) run on
after it, so a demo seeded today never opens with every reservation expired.

``--seed scale:N`` uses ``generate(N)``: the catalog stays ~600 SKUs, everything about
shoppers scales with N.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from central.policy import row as policy_row

from .catalog import build_products, ean13_check_digit, ean13_valid, image_name
from .channels import product_views, support_contacts
from .clienteling import Books, client_assignments, holders
from .dice import Dice
from .enrollment import (
    DEMO_CODE_USES,
    DEMO_CODE_VALID_DAYS,
    DEMO_ENROLLMENT_CODE,
    DEMO_ENROLLMENT_CODES,
    demo_code_id,
)
from .images import write_brand_images, write_product_images
from .orders import notes, orders
from .people import SkuPicker, carts, plan_crowd, wishlist_items
from .people import shoppers as shopper_rows
from .pins import (
    DEMO_ASSOCIATES,
    PIN_N,
    PIN_P,
    PIN_R,
    hash_pin,
    verify_pin,
)
from .stock import (
    build_inventory,
    build_promotions,
    plan_on_hand,
    plan_reservations,
    promotion_windows,
)
from .stores import STORES
from .templates import message_templates
from .timeline import DAY, Row, anchor_for, ts

__all__ = [
    "DEMO_ASSOCIATES",
    "DEMO_CODE_USES",
    "DEMO_CODE_VALID_DAYS",
    "DEMO_ENROLLMENT_CODE",
    "DEMO_ENROLLMENT_CODES",
    "demo_code_id",
    "ENTITY_ORDER",
    "ean13_check_digit",
    "ean13_valid",
    "generate",
    "hash_pin",
    "image_name",
    "verify_pin",
    "write_brand_images",
    "write_product_images",
]

ENTITY_ORDER = (
    "store",
    "associate",
    "product",
    "promotion",
    "policy",
    "message_template",
    "inventory",
    "shopper",
    "cart",
    "wishlist_item",
    "order",
    "reservation",
    "note",
    "support_contact",
    "product_view",
    "client_assignment",
)


@lru_cache(maxsize=64)
def _cached_hash(pin: str, salt_hex: str) -> str:
    return hash_pin(pin, salt_hex, PIN_N, PIN_R, PIN_P)


def _associates(seed: int, updated_at: str) -> list[Row]:
    rng = Dice(f"{seed}:pins")
    out = []
    for a in DEMO_ASSOCIATES:
        salt = rng.randbytes(16).hex()
        out.append(
            {
                "id": a["staff_id"],
                "version": 1,
                "updated_at": updated_at,
                "name": a["name"],
                "store_id": a["store_id"],
                "role": a["role"],
                "active": True,
                "pin_salt": salt,
                "pin_hash": _cached_hash(a["pin"], salt),
                "pin_n": PIN_N,
                "pin_r": PIN_R,
                "pin_p": PIN_P,
            }
        )
    return out


def generate(
    shoppers: int, rng_seed: int = 2026, *, today: date | None = None
) -> Iterator[tuple[str, Row]]:
    """Yield ``(entity_name, data)`` for the whole demo, in dependency order.

    ``shoppers`` shoppers (2,000 for the demo) with proportional carts, wishlists,
    orders, reservations, notes, support contacts, products viewed online and the
    associates' client books (``clienteling``). ``today`` fixes the anchor day (default: the current
    UTC date) so tests can pin it.
    """
    if shoppers < 0:
        raise ValueError("shoppers must be >= 0")
    anchor = anchor_for(today)
    seed = rng_seed
    staff_by_store: dict[str, list[str]] = {}
    for a in DEMO_ASSOCIATES:
        staff_by_store.setdefault(a["store_id"], []).append(a["staff_id"])
    staff_names = {a["staff_id"]: a["name"] for a in DEMO_ASSOCIATES}
    managers = {a["store_id"]: a["staff_id"] for a in DEMO_ASSOCIATES if a["role"] == "manager"}

    setup = ts(anchor - 400 * DAY)
    for store in STORES:
        yield "store", {"version": 1, "updated_at": setup, **store}
    for associate in _associates(seed, ts(anchor - 90 * DAY)):
        yield "associate", associate

    products = build_products(ts(anchor - 14 * DAY))
    for product in products:
        yield "product", product
    promotions = build_promotions(anchor)
    for promotion in promotions:
        yield "promotion", promotion
    yield "policy", policy_row(setup)
    for row in message_templates(setup):
        yield "message_template", row

    crowd = plan_crowd(shoppers, seed, anchor)
    on_hand, protected = plan_on_hand(products, seed)
    reservations, reserved = plan_reservations(
        products,
        on_hand,
        protected,
        seed,
        anchor,
        crowd.homes,
        crowd.created,
        staff_by_store,
    )
    for row in build_inventory(products, on_hand, reserved, seed, anchor):
        yield "inventory", row

    books = Books(crowd, staff_by_store, holders(reservations, crowd))
    for row in shopper_rows(crowd, books):
        yield "shopper", row
    picker = SkuPicker(products, crowd)
    active_carts: set[int] = set()
    for row in carts(crowd, picker):
        if row["status"] == "active":
            active_carts.add(int(row["shopper_id"][2:]) - 1)
        yield "cart", row
    for row in wishlist_items(crowd, picker):
        yield "wishlist_item", row
    windows = promotion_windows(products, promotions)
    for row in orders(crowd, picker, windows, staff_by_store):
        yield "order", row
    for row in reservations:
        yield "reservation", row
    for row in notes(crowd, picker, staff_by_store, staff_names):
        yield "note", row
    for row in support_contacts(crowd, picker):
        yield "support_contact", row
    for row in product_views(crowd, picker, active_carts):
        yield "product_view", row
    for row in client_assignments(crowd, staff_names, managers):
        yield "client_assignment", row
