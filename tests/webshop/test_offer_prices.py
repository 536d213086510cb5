"""A personal offer made on the tablet prices one cart identically on the tablet, in
central's order handling and in the web shop, with a promotion on one of its items (the
lower price wins, never both), and is used once, whichever channel uses it.

Real central on loopback, the S001 tablet's cache and sync engine (``channels``, run in a
thread as the browser tests of this folder need), and the web shop's ``Shop`` over its own
database and its integration key (no browser needed here).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from central.db import open_db
from central.integration.keys import create_key
from central.server import CentralServer
from sync import wire
from sync.rules.pricing import best_promotion
from sync.store import Cache
from tests.support.offers import (
    home_shopper,
    offer_at_central,
    order_at_central,
    orderable,
    quiet_products,
)
from tests.support.signed_in import signed_in
from tests.webshop.conftest import Channels
from tools.webshop.server import ShopServer
from tools.webshop.shop import Shop

ASSOCIATE = "A1002"


@pytest.fixture
def tablet(channels: Channels) -> Iterator[Cache]:
    """The S001 tablet's cache after a full sync."""
    with channels.tablet("tablet.db") as cache:
        yield cache


def _rain_jacket(cache: Cache) -> wire.Product:
    """A product the demo's 20 % rain-jacket promotion holds for on every channel."""
    now, promos = cache.now(), cache._promotions()
    for product in orderable(cache):
        held = [best_promotion(product, promos, now, ch) for ch in ("store", "web")]
        if all(p is not None and p.id == "PROMO-RAIN-20" for p in held):
            return product
    raise AssertionError("no rain jacket on promotion in the demo catalog")


def _web_total(shop: Shop, shopper_id: str) -> tuple[int, dict[str, str | None]]:
    shop.link.catch_up()
    lines = shop.cart_lines(shopper_id)
    return sum(x.total_cents for x in lines), {x.product.sku: x.price.offer_id for x in lines}


def _half_up(cents: int, percent_off: int) -> int:
    return (cents * (100 - percent_off) + 50) // 100


def test_one_cart_priced_the_same_on_the_tablet_at_central_and_in_the_web_shop(
    central: CentralServer, channels: Channels, tablet: Cache, shop: ShopServer
) -> None:
    channels.sync(tablet)
    web = shop.shop
    shopper = home_shopper(tablet, {s["id"] for s in web.db.master("shopper")})
    jacket = _rain_jacket(tablet)
    (plain,) = quiet_products(tablet, 1)
    associate = signed_in(tablet, ASSOCIATE)
    profile = tablet.shopper_profile(shopper)
    assert profile is not None
    ops: list[Any] = [("remove", line.key) for line in profile.cart]
    associate.update_cart(
        shopper_id=shopper,
        ops=[*ops, ("add", jacket.sku, 1), ("add", plain.sku, 2)],
        base_version=profile.cart_version,
    )
    made = associate.create_offer(
        shopper_id=shopper, skus=[jacket.sku, plain.sku], percent_off=10, days=7
    )
    offer_id = made.args["offer_id"]
    channels.sync(tablet)
    expected = _half_up(jacket.price_cents, 20) + 2 * _half_up(plain.price_cents, 10)

    # the tablet: the profile's cart, as the associate sees it
    profile = tablet.shopper_profile(shopper)
    assert profile is not None and not profile.cart_pending
    on_tablet = {line.product.sku: line.price for line in profile.cart}
    assert on_tablet[jacket.sku].promotion_name and on_tablet[jacket.sku].offer_id is None
    assert on_tablet[plain.sku].offer_id == offer_id
    assert sum(line.price.sale_cents * line.qty for line in profile.cart) == expected

    # the web shop: the same cart, the same prices
    web_total, web_offers = _web_total(web, shopper)
    assert web_total == expected
    assert web_offers == {jacket.sku: None, plain.sku: offer_id}

    # central: the order placed from that cart costs the same, and uses the offer
    order = associate.place_order(
        shopper_id=shopper,
        lines=[(jacket.sku, 1), (plain.sku, 2)],
        fulfilment_type="ship_to_store",
        fulfilment_store_id="S001",
        payment_method="pay_at_till",
        from_cart=True,
    )
    channels.sync(tablet)
    placed = order_at_central(central.location, order.args["order_id"])
    assert placed is not None and placed["total_cents"] == expected
    used = offer_at_central(central.location, offer_id)
    assert used is not None and (used["status"], used["used_channel"]) == ("used", "store")
    # used once: the web shop hears of it and prices without it from now on
    web.link.catch_up()
    assert web.offers(shopper) == []
    assert web.price(plain, shopper).sale_cents == plain.price_cents


def test_a_web_order_uses_the_offer_and_central_holds_it_to_the_rule(
    central: CentralServer, channels: Channels, tablet: Cache, shop: ShopServer
) -> None:
    channels.sync(tablet)
    web = shop.shop
    shopper = home_shopper(tablet, {s["id"] for s in web.db.master("shopper")})
    (plain,) = quiet_products(tablet, 1)
    made = signed_in(tablet, ASSOCIATE).create_offer(
        shopper_id=shopper, skus=[plain.sku], amount_off_cents=300, days=7
    )
    offer_id = made.args["offer_id"]
    channels.sync(tablet)

    # a record naming the offer at a price the rule does not make is refused, whole
    db = open_db(central.location)
    try:
        _, key = create_key(db, "app")
    finally:
        db.close()
    wrong = {
        "entity": "order",
        "id": "app-order-offer-1",
        "version": 1,
        "data": {
            "number": "A-900001",
            "shopper_id": shopper,
            "channel": "app",
            "status": "paid",
            "fulfilment": {"type": "ship_to_home", "address": "2 Main St"},
            "payment": {"method": "card", "status": "paid"},
            "lines": [
                {
                    "sku": plain.sku,
                    "qty": 1,
                    "price_cents": plain.price_cents - 900,
                    "offer_id": offer_id,
                }
            ],
            "total_cents": plain.price_cents - 900,
            "created_at": wire.utc_now(),
        },
    }
    with httpx.Client(base_url=central.url, headers={"Authorization": f"Bearer {key}"}) as app:
        result = app.post("/v1/integration/records", json={"records": [wrong]}).json()
    (answer,) = result["results"]
    assert (answer["status"], answer["problem"]["code"]) == ("rejected", "offer_not_valid")
    assert order_at_central(central.location, "app-order-offer-1") is None
    assert offer_at_central(central.location, offer_id)["status"] == "active"  # type: ignore[index]

    # the web shop prices the cart with it, orders, and central marks it used by that order
    web.set_cart_qty(shopper, plain.sku, 1)
    total, offers = _web_total(web, shopper)
    assert (total, offers) == (plain.price_cents - 300, {plain.sku: offer_id})
    order = web.place_order(shopper, store_id=None, address="3 Shop Street, Galway")
    assert order is not None and order["lines"][0]["offer_id"] == offer_id
    used = offer_at_central(central.location, offer_id)
    assert used is not None and used["status"] == "used"
    assert (used["used_order_id"], used["used_channel"]) == (order["id"], "web")
    assert web.offers(shopper) == []  # central's event reached the shop

    # the tablet hears it too: the offer shows used, and prices nothing more
    channels.sync(tablet)
    (view,) = [o for o in tablet.offers(shopper) if o.id == offer_id]
    assert (view.status, view.used_channel, view.used_order_id) == ("used", "web", order["id"])
    assert tablet.prices_for(shopper, [plain.sku])[plain.sku].sale_cents == plain.price_cents
