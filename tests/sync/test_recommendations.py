"""Recommendations read from the cache (``sync.read.recommendations``): each kind with its
reason, resolved to the shopper's size, filtered to what is available here or online, and
never what the shopper already has.

A small catalog of its own (styles ``RX-*``) is laid over the demo cache, so each test
sets exactly the stock, co-purchases and shopper rows it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from sync.apply import apply_page
from sync.queueing import Commands
from sync.records import Recommendation
from sync.store import Cache
from tests.sync.helpers import DEVICE, change, page

HERE = "S001"
STAMP = "2026-11-20T10:00:00Z"
SHOPPER = "SH-RX"

# style: (name, brand, category, subcategory, colour, sizes, price)
STYLES: dict[str, tuple[str, str, str, str, str, tuple[str, ...], int]] = {
    "RX-JKT": (
        "Corrib Rain Jacket",
        "Rx",
        "apparel",
        "Test shells",
        "Black",
        ("S", "M", "L"),
        15000,
    ),
    "RX-JK2": (
        "Burren Rain Jacket",
        "Rx",
        "apparel",
        "Test shells",
        "Black",
        ("S", "M", "L"),
        14000,
    ),
    "RX-JK3": (
        "Atlantic Rain Jacket",
        "Other",
        "apparel",
        "Test shells",
        "Red",
        ("S", "M", "L"),
        9000,
    ),
    "RX-TRS": ("Hill Trousers", "Rx", "apparel", "Trousers", "Black", ("S", "M", "L"), 8000),
    "RX-HAT": ("Storm Hat", "Rx", "accessories", "Hats", "Black", ("OS",), 2500),
    "RX-GIL": ("Corrib Gilet", "Rx", "apparel", "Gilets", "Navy", ("S", "M", "L"), 9000),
    "RX-TEE": ("Merino Tee", "Rx", "apparel", "T-shirts", "White", ("S", "M", "L"), 4000),
}
WORN_WITH = {"RX-JKT": ["RX-TRS", "RX-HAT"]}


class Shop:
    """The demo cache with the RX catalog, its stock and one shopper (sizes: tops M)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.seq = 10_000_000
        self.versions: dict[tuple[str, str], int] = {}
        products = []
        for style, (name, brand, cat, sub, colour, sizes, price) in STYLES.items():
            for n, size in enumerate(sizes):
                sku = f"{style}-{size}"
                products.append(
                    {
                        "id": sku,
                        "sku": sku,
                        "style_id": style,
                        "name": name,
                        "brand": brand,
                        "category": cat,
                        "subcategory": sub,
                        "colour": colour,
                        "colour_hex": "#112233",
                        "size": size,
                        "price_cents": price,
                        "barcode": f"{abs(hash(sku)) % 10**12:012d}{n % 10}",
                        "image": "products/x.svg",
                        "worn_with": WORN_WITH.get(style, []),
                    }
                )
        self.put("product", *products)
        for p in products:  # 3 here and 5 online, unless a test says otherwise
            self.stock(str(p["sku"]), here=3, online=5)
        self.put(
            "co_purchase",
            {
                "id": "RX-JKT",
                "style_id": "RX-JKT",
                "with_styles": [
                    {"style_id": "RX-GIL", "orders": 38},
                    {"style_id": "RX-TEE", "orders": 5},
                    {"style_id": "RX-TRS", "orders": 3},
                ],
                "computed_at": STAMP,
            },
        )
        self.put("shopper", self.shopper(tops="M"))

    def shopper(self, **sizes: str | None) -> dict[str, Any]:
        with self.cache.db.read() as conn:
            import json

            data: dict[str, Any] = json.loads(
                conn.execute("SELECT data FROM shoppers ORDER BY id LIMIT 1").fetchone()[0]
            )
        return {
            **data,
            "id": SHOPPER,
            "sizes": {"shoes": "42", **sizes},
            "loyalty_id": "799999999999",
        }

    def put(self, entity: str, *rows: dict[str, Any]) -> None:
        changes = []
        for row in rows:
            key = (entity, str(row["id"]))
            self.versions[key] = self.versions.get(key, 0) + 1
            self.seq += 1
            data = {"updated_at": STAMP, **row, "version": self.versions[key]}
            changes.append(change(self.seq, entity, data))
        apply_page(self.cache.db, page(changes))

    def stock(self, sku: str, *, here: int, online: int, other: int = 0) -> None:
        self.put(
            "inventory",
            *(
                {
                    "id": f"{store}:{sku}",
                    "store_id": store,
                    "sku": sku,
                    "on_hand": units,
                    "reserved": 0,
                    "available": units,
                }
                for store, units in ((HERE, here), ("WEB", online), ("S002", other))
            ),
        )

    def cart(self, *skus: str) -> None:
        lines = [{"sku": s, "qty": 1, "price_cents": 100, "added_at": STAMP} for s in skus]
        self.put(
            "cart",
            {
                "id": f"cart-{SHOPPER}",
                "shopper_id": SHOPPER,
                "channel": "web",
                "status": "active",
                "lines": lines,
            },
        )

    def recs(self, sku: str, shopper_id: str | None = SHOPPER) -> list[Recommendation]:
        return self.cache.recommendations(sku=sku, shopper_id=shopper_id, store_id=HERE)


@pytest.fixture
def shop(cache: Cache) -> Shop:
    return Shop(cache)


def table(recs: Sequence[Recommendation]) -> list[tuple[str, str, str]]:
    return [(r.kind, r.product.sku, r.reason) for r in recs]


def test_complete_the_look_then_bought_together_each_with_its_reason(shop: Shop) -> None:
    recs = shop.recs("RX-JKT-M")
    assert table(recs) == [
        ("complete_the_look", "RX-TRS-M", "Worn with the Corrib Rain Jacket"),
        ("complete_the_look", "RX-HAT-OS", "Worn with the Corrib Rain Jacket"),
        ("bought_together", "RX-GIL-M", "Bought together with the Corrib Rain Jacket in 38 orders"),
        ("bought_together", "RX-TEE-M", "Bought together with the Corrib Rain Jacket in 5 orders"),
    ]  # RX-TRS once, as its first reason; the jacket's size is in stock here: no similar
    gilet = recs[2]
    assert gilet.in_their_size and not recs[1].in_their_size  # a hat has one size
    assert (gilet.availability.here, gilet.availability.online) == (3, 5)
    assert gilet.price.list_cents == 9000 and gilet.because_of == "RX-JKT-M"
    assert len(shop.recs("RX-JKT-M", None)) == 4
    assert (
        len(shop.cache.recommendations(sku="RX-JKT-M", shopper_id=None, store_id=HERE, limit=2))
        == 2
    )


def test_each_is_resolved_to_the_shoppers_size_or_the_size_looked_at(shop: Shop) -> None:
    assert [r.product.size for r in shop.recs("RX-JKT-S")] == ["M", "OS", "M", "M"]
    shop.put("shopper", shop.shopper(tops="L"))
    assert [r.product.size for r in shop.recs("RX-JKT-S")] == ["L", "OS", "L", "L"]
    # no shopper: the size being looked at
    assert [r.product.size for r in shop.recs("RX-JKT-S", None)] == ["S", "OS", "S", "S"]
    assert not any(r.in_their_size for r in shop.recs("RX-HAT-OS", None))
    # sizes on file that no style here comes in: only the one-size hat is left
    shop.put("shopper", shop.shopper(tops="XXL", bottoms="36"))
    assert [r.product.sku for r in shop.recs("RX-JKT-M")] == ["RX-HAT-OS"]


def test_only_what_is_available_here_or_online(shop: Shop) -> None:
    shop.stock("RX-TRS-M", here=0, online=0, other=4)  # only in another store: not offered
    shop.stock("RX-GIL-M", here=0, online=2)  # online only: offered, to order online
    recs = {r.product.style_id: r for r in shop.recs("RX-JKT-M")}
    assert "RX-TRS" not in recs
    assert (recs["RX-GIL"].availability.here, recs["RX-GIL"].availability.online) == (0, 2)


def test_queued_reservations_count_against_the_stock_here(shop: Shop) -> None:
    shop.stock("RX-HAT-OS", here=1, online=0)
    Commands(shop.cache, DEVICE).reserve_item(shopper_id="SH000001", sku="RX-HAT-OS")
    assert "RX-HAT-OS" not in [r.product.sku for r in shop.recs("RX-JKT-M")]


def test_never_what_the_shopper_has_in_cart_or_wishlist_or_bought(shop: Shop) -> None:
    shop.cart("RX-GIL-S")  # another size: the style is what counts
    shop.put(
        "wishlist_item",
        {
            "id": "wl-rx",
            "shopper_id": SHOPPER,
            "sku": "RX-HAT-OS",
            "channel": "app",
            "added_at": STAMP,
        },
    )
    shop.put(
        "order",
        {
            "id": "order-rx",
            "number": "W-RX1",
            "shopper_id": SHOPPER,
            "channel": "web",
            "status": "delivered",
            "fulfilment": {"type": "ship_to_home", "address": "1 Main St"},
            "payment": {"method": "card", "status": "paid"},
            "lines": [{"sku": "RX-TEE-L", "qty": 1, "price_cents": 4000}],
            "total_cents": 4000,
            "created_at": STAMP,
        },
    )
    assert [r.product.sku for r in shop.recs("RX-JKT-M")] == ["RX-TRS-M"]
    # what this tablet just added (still queued) counts too
    version = shop.cache.shopper_profile(SHOPPER).cart_version  # type: ignore[union-attr]
    Commands(shop.cache, DEVICE).update_cart(
        shopper_id=SHOPPER, ops=[("add", "RX-TRS-L", 1)], base_version=version
    )
    assert [r.product.sku for r in shop.recs("RX-JKT-M", None)][:1] == ["RX-TRS-M"]
    assert shop.recs("RX-JKT-M") == []
    # without the shopper, everything is offered again
    assert len(shop.recs("RX-JKT-M", None)) == 4


def test_similar_in_stock_here_when_the_size_is_out_here(shop: Shop) -> None:
    shop.stock("RX-JKT-M", here=0, online=4)
    shop.stock("RX-JK3-M", here=0, online=4)
    recs = shop.recs("RX-JKT-M")
    assert table(recs)[-1:] == [
        ("similar_in_stock", "RX-JK2-M", "Similar, in stock here in size M"),
    ]  # RX-JK3 in M is out here too
    shop.stock("RX-JK3-M", here=2, online=0)
    similar = [r.product.sku for r in shop.recs("RX-JKT-M") if r.kind == "similar_in_stock"]
    assert similar == ["RX-JK2-M", "RX-JK3-M"]  # the same brand and colour first
    # the size the associate is looking at, whatever the shopper's size on file
    similar = [r.product.sku for r in shop.recs("RX-JKT-S") if r.kind == "similar_in_stock"]
    assert similar == []  # RX-JKT-S is in stock here
    shop.stock("RX-JKT-S", here=0, online=0)
    similar = [r for r in shop.recs("RX-JKT-S") if r.kind == "similar_in_stock"]
    assert [(r.product.sku, r.reason) for r in similar] == [
        ("RX-JK2-S", "Similar, in stock here in size S"),
        ("RX-JK3-S", "Similar, in stock here in size S"),
    ]


def test_bought_together_follows_what_central_sends(shop: Shop) -> None:
    shop.put(
        "co_purchase",
        {
            "id": "RX-JKT",
            "style_id": "RX-JKT",
            "with_styles": [{"style_id": "RX-JK3", "orders": 2}],
            "computed_at": STAMP,
        },
    )
    assert [r.product.sku for r in shop.recs("RX-JKT-M") if r.kind == "bought_together"] == [
        "RX-JK3-M"
    ]
    apply_page(
        shop.cache.db, page([change(shop.seq + 1, "co_purchase", None, id_="RX-JKT", version=9)])
    )
    assert [r.kind for r in shop.recs("RX-JKT-M")] == ["complete_the_look"] * 2


def test_the_profile_starts_from_cart_wishlist_and_orders(shop: Shop) -> None:
    shop.cart("RX-JKT-M")
    recs = shop.cache.profile_recommendations(SHOPPER, HERE)
    assert [(r.product.sku, r.because_of) for r in recs] == [
        ("RX-TRS-M", "RX-JKT-M"),
        ("RX-HAT-OS", "RX-JKT-M"),
        ("RX-GIL-M", "RX-JKT-M"),
        ("RX-TEE-M", "RX-JKT-M"),
    ]
    # the jacket in their cart is out here in their size: similar ones in stock here
    shop.stock("RX-JKT-M", here=0, online=1)
    kinds = [r.kind for r in shop.cache.profile_recommendations(SHOPPER, HERE)]
    assert kinds.count("similar_in_stock") == 2
    assert shop.cache.profile_recommendations("nobody", HERE) == []


def test_an_unknown_sku_has_none(shop: Shop) -> None:
    assert shop.recs("NOPE") == []


def test_a_wishlist_add_still_queued_counts_as_theirs(shop: Shop) -> None:
    Commands(shop.cache, DEVICE).update_wishlist(shopper_id=SHOPPER, add=["RX-GIL-L"])
    assert "RX-GIL" not in {r.product.style_id for r in shop.recs("RX-JKT-M")}
