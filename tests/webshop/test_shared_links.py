"""Links central puts in messages, opened on the demo web shop in a real headless browser:
the cart an associate left on a tablet, a look with Add to bag, a product, a pay link,
and links that do not open (unknown, forged, expired, central away). A token is a bearer
credential: it never reaches a log."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from central.db import open_db
from central.messaging.links import link_for
from central.server import CentralServer
from tests.support.signed_in import signed_in
from tests.webshop.conftest import Channels
from tools.webshop.pages import euros
from tools.webshop.server import ShopServer


def share(central: CentralServer, shop: ShopServer, kind: Any, shopper_id: str, target: Any,
          **kw: Any) -> str:  # fmt: skip
    """A link central makes for a message to ``shopper_id``, on this web shop."""
    db = open_db(central.location)
    try:
        with db.transaction() as conn:
            return link_for(
                conn, kind, message_id=str(uuid.uuid4()), shopper_id=shopper_id,
                target=target, base_url=shop.url, **kw,
            )  # fmt: skip
    finally:
        db.close()


def central_cart(central: CentralServer, shopper_id: str) -> list[tuple[str, int]]:
    db = open_db(central.location)
    try:
        row = db.one(
            "SELECT data FROM entities WHERE entity = 'cart' AND id = ?", (f"cart-{shopper_id}",)
        )
    finally:
        db.close()
    return [(x["sku"], x["qty"]) for x in json.loads(row[0])["lines"]] if row else []


def s001_shopper(shop: ShopServer) -> dict[str, Any]:
    return next(s for s in shop.shop.db.master("shopper") if s["home_store_id"] == "S001")


def shown_lines(page: Page) -> list[tuple[str, int]]:
    rows = page.locator("table.lines tbody tr[data-sku]")
    return [
        (str(rows.nth(i).get_attribute("data-sku")), int(rows.nth(i).locator("input[name=qty]").input_value()))
        for i in range(rows.count())
    ]  # fmt: skip


def test_a_cart_an_associate_left_on_the_tablet_opens_in_the_browser(
    page: Page, channels: Channels, central: CentralServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shop = channels.shop
    shopper = s001_shopper(shop)
    shopper_id = str(shopper["id"])
    styles = list(shop.shop.styles.values())
    first, second = styles[0].first, styles[3].sizes[-1]
    with channels.tablet("tablet.db") as cache:
        profile = cache.shopper_profile(shopper_id)
        assert profile is not None
        signed_in(cache).update_cart(
            shopper_id=shopper_id,
            ops=[("set_qty", first.sku, 2), ("add", second.sku, 1)],
            base_version=profile.cart_version,
        )
        channels.sync(cache)
    left = central_cart(central, shopper_id)
    assert (first.sku, 2) in left and (second.sku, 1) in left
    url = share(central, shop, "cart", shopper_id, f"cart-{shopper_id}")

    page.goto(url)  # a browser that never signed in
    page.wait_for_url(shop.url + "/cart?**")
    expect(page.get_by_role("status")).to_have_text(
        "Here is the cart you put together with us in store."
    )
    expect(page.locator("a.who")).to_have_text(f"{shopper['first_name']} {shopper['last_name']}")
    assert sorted(shown_lines(page)) == sorted(left)
    # priced by the shop's own pricing (its web promotions)
    price = shop.shop.price(first)
    expect(page.locator(f"tr[data-sku='{first.sku}']")).to_contain_text(euros(price.sale_cents))
    total = sum(qty * shop.shop.price(shop.shop.products[sku]).sale_cents for sku, qty in left)
    expect(page.locator("[data-test=total]")).to_have_text(euros(total))

    # opened again (a second click in the message): nothing doubles, central agrees
    page.goto(url)
    page.wait_for_url(shop.url + "/cart?**")
    assert sorted(shown_lines(page)) == sorted(left)
    assert sorted(central_cart(central, shopper_id)) == sorted(left)
    token = url.rsplit("/", 1)[-1]
    assert token not in caplog.text and token.split(".")[1] not in caplog.text


def test_a_look_opens_with_its_products_and_adds_to_the_bag(
    page: Page, shop: ShopServer, central: CentralServer
) -> None:
    shopper_id = str(s001_shopper(shop)["id"])
    styles = list(shop.shop.styles.values())
    boots, shell = styles[1].sizes[0], styles[2].sizes[0]
    url = share(central, shop, "look", shopper_id, [boots.sku, shell.sku], title="For the Burren")

    page.goto(url)
    expect(page.locator("h1")).to_have_text("For the Burren")
    cards = page.locator(".look .card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text(boots.name)
    expect(cards.nth(1)).to_contain_text(euros(shop.shop.price(shell).sale_cents))
    expect(page.locator("[data-test=cart-count]")).to_have_text("0")

    cards.nth(0).get_by_role("button", name="Add to bag").click()
    expect(page.get_by_role("status")).to_have_text("Added to your bag.")
    expect(page.locator("[data-test=cart-count]")).to_have_text("1")
    page.click("[data-test=add-look]")
    expect(page.get_by_role("status")).to_have_text("Added the look to your bag.")
    expect(page.locator("[data-test=cart-count]")).to_have_text("3")
    assert sorted(central_cart(central, shopper_id)) == sorted([(boots.sku, 2), (shell.sku, 1)])


def test_a_product_link_and_a_pay_link(
    page: Page, channels: Channels, central: CentralServer
) -> None:
    shop = channels.shop
    shopper_id = str(s001_shopper(shop)["id"])
    style = list(shop.shop.styles.values())[0]
    size = style.sizes[-1]
    page.goto(share(central, shop, "product", shopper_id, size.sku))
    page.wait_for_url(f"{shop.url}/p/{size.sku}")
    expect(page.locator("h1")).to_have_text(size.name)
    assert page.locator("select[name=sku]").input_value() == size.sku

    with channels.tablet("tablet.db") as cache:
        ordered = signed_in(cache).place_order(
            shopper_id=shopper_id,
            lines=[(size.sku, 1)],
            fulfilment_type="ship_to_home",
            address="1 Main Street, Dublin",
            payment_method="pay_by_link",
        )
        channels.sync(cache)
    order_id = ordered.args["order_id"]
    db = open_db(central.location)
    try:
        row = db.one("SELECT data FROM entities WHERE entity = 'order' AND id = ?", (order_id,))
    finally:
        db.close()
    assert row is not None
    pay_link = json.loads(row[0])["payment"]["link"]
    # the pay page is the payment provider's (not on this machine): read where it goes
    answer = page.request.get(share(central, shop, "pay", shopper_id, order_id), max_redirects=0)
    assert answer.status == 303 and answer.headers["location"] == pay_link


def test_unknown_forged_and_expired_links_say_so_plainly(
    page: Page, shop: ShopServer, central: CentralServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shopper_id = str(s001_shopper(shop)["id"])
    url = share(central, shop, "product", shopper_id, next(iter(shop.shop.products)))
    token = url.rsplit("/", 1)[-1]
    link_id, signature = token.split(".")

    for bad, status in (("nothing-here", 404), (f"{link_id}.{signature[::-1]}", 404)):
        answer = page.goto(f"{shop.url}/c/{bad}")
        assert answer is not None and answer.status == status
        expect(page.locator("h1")).to_have_text("This link does not open anything")
        # a forged link signs nobody in
        expect(page.locator("nav a.button")).to_have_text("Sign in")

    db = open_db(central.location)
    try:
        db.execute(
            "UPDATE shared_links SET expires_at = '2026-01-01T00:00:00Z' WHERE id = ?", (link_id,)
        )
    finally:
        db.close()
    answer = page.goto(url)
    assert answer is not None and answer.status == 410
    expect(page.locator("h1")).to_have_text("This link has expired")
    expect(page.locator("[data-test=link-problem]")).to_contain_text("work for 30 days")

    central.stop()  # central away: the shop says so, and nothing breaks
    answer = page.goto(url)
    assert answer is not None and answer.status == 503
    expect(page.locator("h1")).to_have_text("We cannot open this link just now")
    for text in (token, signature):
        assert text not in caplog.text
