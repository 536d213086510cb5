"""A shopper's insight (``sync.read.insight``): figures from known orders, a pending order
counted, returns, favourites, channel, last online activity and sizes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sync.apply import apply_page
from sync.queueing import Commands
from sync.read.insight import Favourite, SizeFact
from sync.store import Cache
from tests.sync.helpers import change, page
from tests.sync.test_profile_channels import NOW, ago, pinned, view

SHOE_42, SHOE_43, TOP_M, JEANS_32 = "shoe-42", "shoe-43", "top-m", "jeans-32"


def product(sku: str, *, category: str, sub: str, brand: str, size: str) -> dict[str, Any]:
    return {
        "id": sku,
        "version": 1,
        "updated_at": NOW,
        "sku": sku,
        "style_id": f"st-{sku}",
        "name": f"Test {sku}",
        "brand": brand,
        "category": category,
        "subcategory": sub,
        "colour": "Black",
        "colour_hex": "#000000",
        "size": size,
        "price_cents": 10000,
        "barcode": "1234567890123",
        "image": "products/x.svg",
    }


PRODUCTS = [
    product(SHOE_42, category="footwear", sub="Trail runners", brand="Atlantic Trail", size="42"),
    product(SHOE_43, category="footwear", sub="Hiking boots", brand="Atlantic Trail", size="43"),
    product(TOP_M, category="apparel", sub="Fleeces", brand="Corrib Outdoor", size="M"),
    product(JEANS_32, category="apparel", sub="Jeans", brand="Burren Works", size="32"),
]


def order(
    sid: str, n: int, status: str, channel: str, lines: list[tuple[str, int, int]], when: str
) -> dict[str, Any]:
    return {
        "id": f"ord-ins-{n}",
        "version": 1,
        "updated_at": when,
        "number": f"T-{n}",
        "shopper_id": sid,
        "channel": channel,
        "store_id": "S001" if channel == "store" else None,
        "status": status,
        "fulfilment": {"type": "carry_out" if channel == "store" else "ship_to_home"},
        "payment": {"method": "card", "status": "paid"},
        "lines": [{"sku": s, "qty": q, "price_cents": p} for s, q, p in lines],
        "total_cents": sum(q * p for _, q, p in lines),
        "created_at": when,
    }


@pytest.fixture
def known(cache: Cache) -> str:
    """A shopper whose only history is the orders below (and nothing online)."""
    pinned(cache)
    with cache.db.write() as conn:
        sid = str(conn.execute("SELECT id FROM shoppers ORDER BY id LIMIT 1").fetchone()[0])
        for table in ("orders", "carts", "wishlist_items", "product_views"):
            conn.execute(f"DELETE FROM {table} WHERE shopper_id = ?", (sid,))
        row = conn.execute("SELECT data FROM shoppers WHERE id = ?", (sid,)).fetchone()

    shopper = json.loads(row[0])
    shopper.update(
        version=shopper["version"] + 1,
        sizes={"shoes": "42", "tops": "L", "bottoms": None},
        favourite_brands=["Corrib Outdoor", "Wicklow Wool Co."],
        last_visit_at=ago(days=20),
    )
    orders = [
        order(sid, 1, "collected", "store", [(SHOE_42, 1, 12000), (TOP_M, 2, 5000)], ago(days=90)),
        order(sid, 2, "delivered", "app", [(SHOE_42, 1, 11000)], ago(days=60)),
        order(sid, 3, "returned", "app", [(JEANS_32, 1, 8000)], ago(days=40)),
        order(sid, 4, "cancelled", "web", [(SHOE_43, 3, 15000)], ago(days=30)),
        order(sid, 5, "delivered", "app", [(SHOE_43, 1, 14000), (TOP_M, 1, 5000)], ago(days=10)),
    ]
    changes = [change(i + 1, "product", p) for i, p in enumerate(PRODUCTS)]
    changes.append(change(10, "shopper", shopper))
    changes += [change(20 + i, "order", o) for i, o in enumerate(orders)]
    apply_page(cache.db, page(changes))
    return sid


def test_figures_come_from_the_known_orders(cache: Cache, known: str) -> None:
    got = cache.insight(known)
    assert got is not None
    # bought: 1, 2, 3, 5 (4 was cancelled); kept: 1, 2, 5 (3 came back)
    assert (got.orders, got.kept_orders, got.returned_orders) == (4, 3, 1)
    assert got.lifetime_cents == 22000 + 11000 + 19000
    assert got.average_cents == round(52000 / 3)
    assert got.return_rate == pytest.approx(0.25)
    assert (got.channel, got.channel_share) == ("app", pytest.approx(0.75))
    assert got.pending_orders == 0
    assert got.categories == (
        Favourite("Fleeces", 3),
        Favourite("Trail runners", 2),
        Favourite("Hiking boots", 1),
    )
    # bought brands by units (the declared one marked), then the declared ones not bought
    assert got.brands == (
        Favourite("Atlantic Trail", 3),
        Favourite("Corrib Outdoor", 3, declared=True),
        Favourite("Wicklow Wool Co.", 0, declared=True),
    )
    # the returned jeans are not a size they kept; nothing declared for bottoms either
    assert got.sizes == (SizeFact("shoes", "42", "42", 2), SizeFact("tops", "L", "M", 3))
    assert got.last_visit_at == ago(days=20)
    assert got.last_online_at == ago(days=10)  # the app order, nothing else online


def test_a_queued_order_counts_at_once(cache: Cache, known: str, commands: Commands) -> None:
    with cache.db.read() as conn:
        sku, price = conn.execute(
            "SELECT p.id, p.price_cents FROM products p JOIN inventory i ON i.sku = p.id "
            "WHERE i.available > 3 AND p.id NOT LIKE 'HP-ACC%' ORDER BY p.id LIMIT 1"
        ).fetchone()
    before = cache.insight(known)
    assert before is not None
    commands.place_order(
        shopper_id=known,
        lines=[(sku, 2)],
        fulfilment_type="ship_to_home",
        address="1 Quay St, Galway",
        payment_method="pay_by_link",
    )
    after = cache.insight(known)
    assert after is not None and after.pending_orders == 1
    assert after.orders == before.orders + 1
    assert after.lifetime_cents - before.lifetime_cents == sum(
        o.total_cents for o in (cache.shopper_profile(known) or _no()).orders if o.pending
    )
    assert after.lifetime_cents > before.lifetime_cents
    assert after.channel == "app"  # 3 app, 1 store, and now 1 store order


def _no() -> Any:
    raise AssertionError("profile missing")


def test_last_online_is_the_latest_view_even_outside_the_window(cache: Cache, known: str) -> None:
    sku = SHOE_42
    apply_page(cache.db, page([change(1, "product_view", view(known, sku, ago(days=5)))]))
    got = cache.insight(known)
    assert got is not None and got.last_online_at == ago(days=5)
    profile = cache.shopper_profile(known, recent_days=1)  # the strip shows none of it
    assert profile is not None and not profile.viewed
    assert cache.insight(known, profile=profile) == got


def test_a_shopper_with_no_orders_has_empty_figures(cache: Cache, known: str) -> None:
    with cache.db.write() as conn:
        conn.execute("DELETE FROM orders WHERE shopper_id = ?", (known,))
    got = cache.insight(known)
    assert got is not None
    assert (got.orders, got.lifetime_cents, got.average_cents, got.return_rate) == (0, 0, 0, 0.0)
    assert got.channel is None and got.categories == ()
    assert got.sizes == (SizeFact("shoes", "42", None), SizeFact("tops", "L", None))


def test_a_shopper_not_on_the_tablet_has_no_insight(cache: Cache) -> None:
    assert cache.insight("nobody-here") is None
