"""The demo web shop in a real headless browser, talking to the real central only through
the integration API; the store's side is an enrolled S001 tablet's cache."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, expect

from sync.store import Cache
from tests.support.signed_in import signed_in
from tests.webshop.conftest import Channels, sign_in
from tools.webshop.server import ShopServer


def cache_rows(cache: Cache, table: str, shopper_id: str) -> list[dict[str, Any]]:
    with cache.db.read() as conn:
        rows = conn.execute(f"SELECT data FROM {table} WHERE shopper_id = ?", (shopper_id,))
        return [json.loads(r[0]) for r in rows]


def test_the_shop_lists_products_with_images_and_promotion_prices(
    page: Page, shop: ShopServer
) -> None:
    page.goto(shop.url + "/")
    cards = page.locator("a[data-test=product]")
    expect(cards).to_have_count(len(shop.shop.styles))
    # a rain jacket is 20% off on the web: the sale price next to the list price
    jacket = cards.filter(has_text="Rain Jacket").first
    expect(jacket.locator(".price.sale")).to_be_visible()
    expect(jacket.locator("s.was")).to_be_visible()
    jacket.scroll_into_view_if_needed()  # images load lazily, as they come into view
    image = jacket.locator("img").element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
    page.click("nav.tabs >> text=Footwear")
    expect(cards).to_have_count(
        sum(1 for s in shop.shop.styles.values() if s.first.category == "footwear")
    )


def test_cart_wishlist_views_and_a_web_order_reach_the_stores_tablet(
    page: Page, channels: Channels
) -> None:
    shop = channels.shop
    shopper_id = sign_in(page, shop)
    page.locator("a[data-test=product]").filter(has_text="Rain Jacket").first.click()
    sku = page.locator("select[name=sku]").input_value()
    page.click("text=Add to cart")
    expect(page.get_by_role("status")).to_have_text("Added to your cart.")
    expect(page.locator("[data-test=cart-count]")).to_have_text("1")
    page.click("text=Add to wishlist")
    expect(page.get_by_role("status")).to_have_text("Saved to your wishlist.")

    with channels.tablet("t.db") as cache:
        carts = [c for c in cache_rows(cache, "carts", shopper_id) if c["channel"] == "web"]
        assert [(line["sku"], line["qty"]) for c in carts for line in c["lines"]] == [(sku, 1)]
        wished = [w["sku"] for w in cache_rows(cache, "wishlist_items", shopper_id)]
        assert sku in wished
        viewed = cache_rows(cache, "product_views", shopper_id)
        assert [(v["sku"], v["channel"]) for v in viewed] == [(sku, "web")]

    page.goto(shop.url + "/cart")
    page.check("input[value=collect]")
    page.select_option("select[name=store_id]", "S001")
    page.click("text=Place order")
    order_row = page.locator("#orders tr[data-order]").first
    expect(order_row).to_contain_text("Click & collect · Dublin Grafton Street")
    number = order_row.get_attribute("data-order")
    assert shop.shop.db.count("SELECT COUNT(*) FROM outbox") == 0

    with channels.tablet("t2.db") as cache:
        orders = [o for o in cache_rows(cache, "orders", shopper_id) if o["number"] == number]
        assert [(o["channel"], o["fulfilment"]["store_id"]) for o in orders] == [("web", "S001")]
        carts = [c for c in cache_rows(cache, "carts", shopper_id) if c["channel"] == "web"]
        assert [c["status"] for c in carts] == ["converted"]


def test_an_order_and_a_reservation_made_at_the_tablet_show_in_the_web_account(
    page: Page, channels: Channels
) -> None:
    shop = channels.shop
    shopper_id = sign_in(page, shop)
    with channels.tablet("tablet.db") as cache:
        commands = signed_in(cache)
        product = next(iter(shop.shop.styles.values())).first
        ordered = commands.place_order(
            shopper_id=shopper_id,
            lines=[(product.sku, 1)],
            fulfilment_type="ship_to_store",
            fulfilment_store_id="S001",
            payment_method="pay_at_till",
        )
        with cache.db.read() as conn:
            sku = conn.execute(
                "SELECT sku FROM inventory WHERE store_id = 'S001' AND available > 0 LIMIT 1"
            ).fetchone()[0]
        commands.reserve_item(store_id="S001", sku=sku, qty=1, shopper_id=shopper_id)
        channels.sync(cache)
        with cache.db.read() as conn:
            number = json.loads(
                conn.execute(
                    "SELECT data FROM orders WHERE id = ?", (ordered.args["order_id"],)
                ).fetchone()[0]
            )["number"]

    page.goto(shop.url + "/account")
    expect(page.locator(f"#orders tr[data-order='{number}']")).to_contain_text("In store")
    reserved = page.locator("#reservations tr[data-reservation]")
    expect(reserved).to_have_count(1)
    expect(reserved).to_contain_text("Dublin Grafton Street")
    # the cursor is the shop's own: reading again brings nothing twice
    page.reload()
    expect(page.locator(f"#orders tr[data-order='{number}']")).to_have_count(1)


def test_a_support_request_reaches_the_tablet_and_bad_input_is_refused(
    page: Page, channels: Channels
) -> None:
    shop = channels.shop
    shopper_id = sign_in(page, shop)
    page.click("nav >> text=Help")
    page.click("text=Send")
    expect(page.get_by_role("alert").first).to_contain_text("Say in a few words")
    assert shop.shop.db.count("SELECT COUNT(*) FROM records WHERE entity = 'support_contact'") == 0

    page.check("input[value=email]")
    page.fill("input[name=subject]", "Boots sizing")
    page.fill("textarea[name=message]", "Do the Burren boots come up small?")
    page.click("text=Send")
    expect(page.get_by_role("status")).to_contain_text("we have your request")

    with channels.tablet("tablet.db") as cache:
        contacts = cache_rows(cache, "support_contacts", shopper_id)
        assert [(c["channel"], c["subject"], c["status"]) for c in contacts] == [
            ("email", "Boots sizing", "open")
        ]


def test_a_cart_changed_at_the_tablet_is_the_cart_the_web_shop_goes_on_with(
    page: Page, channels: Channels
) -> None:
    shop = channels.shop
    shopper_id = sign_in(page, shop)
    styles = list(shop.shop.styles.values())
    first, second = styles[0].first.sku, styles[1].first.sku
    page.goto(f"{shop.url}/p/{styles[0].key}")
    page.click("text=Add to cart")
    expect(page.get_by_role("status")).to_have_text("Added to your cart.")

    with channels.tablet("tablet.db") as cache:
        profile = cache.shopper_profile(shopper_id)
        assert profile is not None
        signed_in(cache).update_cart(
            shopper_id=shopper_id, ops=[("set_qty", first, 3)], base_version=profile.cart_version
        )
        channels.sync(cache)

    page.goto(shop.url + "/cart")
    expect(page.locator(f"tr[data-sku='{first}'] input[name=qty]")).to_have_value("3")
    page.goto(f"{shop.url}/p/{styles[1].key}")
    page.click("text=Add to cart")
    expect(page.locator("[data-test=cart-count]")).to_have_text("4")

    with channels.tablet("again.db") as cache:
        carts = cache_rows(cache, "carts", shopper_id)
        assert sorted((line["sku"], line["qty"]) for c in carts for line in c["lines"]) == sorted(
            [(first, 3), (second, 1)]
        )


def test_a_wishlist_changed_at_the_tablet_shows_in_the_web_shop(
    page: Page, channels: Channels
) -> None:
    shop = channels.shop
    shopper_id = sign_in(page, shop)
    styles = list(shop.shop.styles.values())
    kept, dropped = styles[0].first, styles[1].first
    with channels.tablet("tablet.db") as cache:
        commands = signed_in(cache)
        added = commands.update_wishlist(shopper_id=shopper_id, add=[kept.sku, dropped.sku])
        channels.sync(cache)
        dropped_id = next(a["id"] for a in added.args["add"] if a["sku"] == dropped.sku)
        commands.update_wishlist(shopper_id=shopper_id, remove=[dropped_id])
        channels.sync(cache)

    page.goto(shop.url + "/wishlist")
    expect(page.locator(f"tr[data-sku='{kept.sku}']")).to_contain_text(kept.name)
    expect(page.locator(f"tr[data-sku='{dropped.sku}']")).to_have_count(0)
    # removed on the web: the tablet hears of it too
    page.locator(f"tr[data-sku='{kept.sku}'] button").click()
    expect(page.locator(f"tr[data-sku='{kept.sku}']")).to_have_count(0)
    with channels.tablet("again.db") as cache:
        skus = {w["sku"] for w in cache_rows(cache, "wishlist_items", shopper_id)}
        assert kept.sku not in skus and dropped.sku not in skus
