"""Home: find a shopper by phone, by email, by a loyalty scan; recent shoppers; products."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.driving import click_row, scan


def _a_shopper(ctx):
    hit = next(
        h for h in ctx.cache.search_shoppers("murphy", limit=25) if h.home_store_id == "S001"
    )
    return ctx.cache.shopper(hit.id)


def _back_home(qtbot, window):
    qtbot.mouseClick(window.home_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "home", timeout=5_000)


def test_find_by_phone_email_and_loyalty_scan(window, app_env, qtbot):
    ctx = app_env.ctx
    shopper = _a_shopper(ctx)
    home = app_env.page("home")

    # by phone: type, see the row, tap it
    qtbot.mouseClick(home.shopper_search.search, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(home.shopper_search.search, shopper.phone)
    qtbot.waitUntil(lambda: home.shopper_search.results_model.rowCount() >= 1, timeout=5_000)
    ids = [h.id for h in home.shopper_search.results_model.records()]
    assert shopper.id in ids
    assert home.shopper_search.results_model.record(ids.index(shopper.id)).match == "phone"
    click_row(qtbot, home.shopper_search.results, ids.index(shopper.id))
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    assert window.pages["shopper"].shopper_id == shopper.id
    _back_home(qtbot, window)

    # by email: clear the box with its button, type, Return opens the one match
    qtbot.mouseClick(home.shopper_search.search.clear_button, Qt.MouseButton.LeftButton)
    assert home.shopper_search.search.text() == ""
    qtbot.keyClicks(home.shopper_search.search, shopper.email)
    qtbot.waitUntil(
        lambda: [h.id for h in home.shopper_search.results_model.records()] == [shopper.id],
        timeout=5_000,
    )
    qtbot.keyClick(home.shopper_search.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    assert window.pages["shopper"].shopper_id == shopper.id
    _back_home(qtbot, window)

    # the shopper is now among the recent ones
    qtbot.mouseClick(home.shopper_search.search.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: home.shopper_search.lists.currentWidget() is home.shopper_search.recent,
        timeout=5_000,
    )
    assert shopper.id in [h.id for h in home.shopper_search.recent_model.records()]

    # a loyalty card scanned while the focus is on the recent list, not in the search
    home.shopper_search.recent.setFocus()
    qtbot.waitUntil(home.shopper_search.recent.hasFocus, timeout=2_000)
    scan(qtbot, shopper.loyalty_id)
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    assert window.pages["shopper"].shopper_id == shopper.id
    _back_home(qtbot, window)
    assert home.shopper_search.search.text() == ""  # the card's number does not linger


def test_a_second_card_scan_replaces_the_first(window, app_env, qtbot):
    ctx = app_env.ctx
    home = app_env.page("home")
    search = home.shopper_search.search
    hits = [h for h in ctx.cache.search_shoppers("murphy", limit=25) if h.home_store_id == "S001"]
    first, second = ctx.cache.shopper(hits[0].id), ctx.cache.shopper(hits[1].id)

    # a card the store does not know: the search stays on Home with its number
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    scan(qtbot, "999999999999")
    qtbot.waitUntil(lambda: home.shopper_search.remote_button.isEnabled(), timeout=5_000)
    assert window.current_page() == "home" and search.hasFocus()

    # the next card scanned into the same box replaces that number
    scan(qtbot, first.loyalty_id)
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    assert window.pages["shopper"].shopper_id == first.id
    _back_home(qtbot, window)
    assert search.text() == ""

    # and a second card on Home opens the second shopper
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    scan(qtbot, second.loyalty_id)
    qtbot.waitUntil(
        lambda: (
            window.current_page() == "shopper" and window.pages["shopper"].shopper_id == second.id
        ),
        timeout=5_000,
    )


def test_a_loyalty_qr_payload_also_opens_the_profile(window, app_env, qtbot):
    shopper = _a_shopper(app_env.ctx)
    home = app_env.page("home")
    home.queue_summary.queue_counts["pending"].setFocus()
    scan(qtbot, f"HP-LOYALTY:{shopper.loyalty_id}")
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    assert window.pages["shopper"].shopper_id == shopper.id


def test_product_lookup_opens_the_stock_grid(window, app_env, qtbot):
    home = app_env.page("home")
    qtbot.keyClicks(home.product_lookup.product_search, "merino")
    qtbot.waitUntil(lambda: home.product_lookup.product_model.rowCount() > 0, timeout=5_000)
    sku = home.product_lookup.product_model.record(0).sku
    click_row(qtbot, home.product_lookup.products, 0)
    qtbot.waitUntil(lambda: window.current_page() == "product", timeout=5_000)
    assert window.current == ("product", (sku, None))
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "home", timeout=5_000)


def test_search_all_stores_finds_a_shopper_of_another_store(window, app_env, qtbot):
    """Online, with few local hits, central's search finds shoppers outside this book;
    opening one fetches them into the cache."""
    ctx = app_env.ctx
    from tests.support.central_server import http_client

    with http_client(app_env.central.url, app_env.boot.client.token) as client:
        found = client.get("/v1/shoppers", params={"q": "murphy", "limit": 100}).json()["shoppers"]
    outside = next(s for s in found if not ctx.cache.has_shopper(s["id"]))
    home = app_env.page("home")
    qtbot.keyClicks(home.shopper_search.search, outside["email"])
    qtbot.waitUntil(lambda: home.shopper_search.remote_button.isVisible(), timeout=5_000)
    qtbot.mouseClick(home.shopper_search.remote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            home.shopper_search.results_model.remote
            and home.shopper_search.results_model.rowCount() > 0
        ),
        timeout=10_000,
    )
    row = [h.id for h in home.shopper_search.results_model.records()].index(outside["id"])
    click_row(qtbot, home.shopper_search.results, row)
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=10_000)
    assert ctx.cache.has_shopper(outside["id"])


def test_nobody_in_any_store_offers_no_further_search(window, app_env, qtbot):
    home = app_env.page("home")
    panel = home.shopper_search
    qtbot.keyClicks(panel.search, "zzqxw nobody")
    qtbot.waitUntil(lambda: panel.lists.currentWidget() is panel.no_results, timeout=5_000)
    assert "search all stores" in panel.no_results.text.text()
    qtbot.mouseClick(panel.remote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.results_model.remote, timeout=10_000)
    assert panel.lists.currentWidget() is panel.no_results
    assert panel.no_results.title.text() == "No shopper found in any store"
    assert "all stores" not in panel.no_results.text.text()
    assert not panel.remote_button.isVisible()


def test_a_loyalty_card_scanned_into_the_product_box_still_finds_the_shopper(
    window, app_env, qtbot
):
    shopper = _a_shopper(app_env.ctx)
    home = app_env.page("home")
    qtbot.mouseClick(home.product_lookup.product_search, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(home.product_lookup.product_search.hasFocus, timeout=2_000)
    scan(qtbot, shopper.loyalty_id)
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    assert window.pages["shopper"].shopper_id == shopper.id


def test_a_product_search_with_no_match_keeps_the_card_in_place(window, app_env, qtbot):
    home = app_env.page("home")
    panel = home.product_lookup
    box = panel.product_search

    def place() -> tuple[int, int]:
        return box.mapTo(panel, box.rect().topLeft()).y(), box.height()

    before = place()
    qtbot.keyClicks(box, "zzzz")
    qtbot.waitUntil(lambda: "zzzz" in panel.product_spacer.title.text(), timeout=5_000)
    assert panel.product_spacer.isVisible() and not panel.products.isVisible()
    assert place() == before  # the title and the box did not move
    box.clear()
    qtbot.waitUntil(lambda: panel.product_spacer.title.text() == "Look up a product")
    assert place() == before
