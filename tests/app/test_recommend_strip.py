"""Recommendations on the profile ("For them") and the product page: tap a card, then act
on it; the commands are queued like every other (online and offline)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.pages.shopper.recommend_strip import RecommendStrip
from tests.app.demo_data import shopper_with_cart

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def tap_card(env: Any, strip: RecommendStrip, row: int = 0) -> None:
    index = strip.model.index(row, 0)
    strip.view.scrollTo(index)
    env.qtbot.mouseClick(
        strip.view.viewport(), Qt.MouseButton.LeftButton, pos=strip.view.visualRect(index).center()
    )
    assert strip.chosen() is strip.model.record(row)


def tap(env: Any, strip: RecommendStrip, key: str) -> None:
    button = strip.buttons[key]
    assert button.isVisible() and button.isEnabled(), key
    assert button.height() >= 44  # touch-sized
    env.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def queued(env: Any, name: str) -> list[dict[str, Any]]:
    return [e.args for e in env.cache.outbox(states=("pending",)) if e.name == name]


def test_add_to_cart_from_the_profiles_recommendations(page_env: Any) -> None:
    shopper_id = shopper_with_cart(page_env.cache)
    page = page_env.open_shopper(shopper_id)
    page.tabs.setCurrentIndex(page.FOR_THEM)
    strip = page.for_them
    page_env.qtbot.waitUntil(lambda: strip.model.rowCount() > 0)
    assert page.tabs.tabText(page.FOR_THEM) == f"For them ({strip.model.rowCount()})"
    first = strip.model.record(0)
    assert first.reason and first.product.style_id not in {
        line.product.style_id for line in page.profile.cart
    }
    tap_card(page_env, strip)

    tap(page_env, strip, "cart")

    assert queued(page_env, "update_cart")[-1]["ops"] == [
        {"op": "add", "sku": first.product.sku, "qty": 1}
    ]
    page_env.qtbot.waitUntil(
        lambda: first.product.sku in {line.product.sku for line in page.profile.cart}
    )
    # now in their cart: no longer suggested
    assert first.product.style_id not in {r.product.style_id for r in strip.model.records()}


def test_the_product_page_offers_them_and_only_reserve_without_a_shopper(page_env: Any) -> None:
    shopper_id = shopper_with_cart(page_env.cache)
    sku = page_env.cache.shopper_profile(shopper_id).cart[0].product.sku
    page = page_env.open_product(sku)
    strip = page.recommended.strip
    assert page.stack.currentWidget() is page.detail  # the stock first
    page_env.qtbot.waitUntil(lambda: strip.model.rowCount() > 0)
    assert page.recommended.button.text() == f"Recommended ({strip.model.rowCount()})"
    page_env.qtbot.mouseClick(page.recommended.button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is strip
    tap_card(page_env, strip)
    shown = {k for k, b in strip.buttons.items() if b.isVisible()}
    assert shown == {"product", "reserve"}

    page.load(sku, shopper_id)
    assert page.stack.currentWidget() is page.detail
    page_env.qtbot.mouseClick(page.recommended.button, Qt.MouseButton.LeftButton)
    page_env.qtbot.waitUntil(lambda: strip.buttons["wishlist"].isVisible())
    tap_card(page_env, strip)
    chosen = strip.chosen()
    tap(page_env, strip, "wishlist")
    assert queued(page_env, "update_wishlist")[-1]["add"][0]["sku"] == chosen.product.sku

    # on their wishlist now (pending): no longer suggested
    assert chosen.product.style_id not in {r.product.style_id for r in strip.model.records()}

    tap_card(page_env, strip)
    chosen = strip.chosen()
    tap(page_env, strip, "product")  # opens the recommended product on this page
    assert page.sku == chosen.product.sku
    assert page.stack.currentWidget() is page.detail


def test_offline_they_come_from_the_cache_and_the_cart_add_waits(page_env: Any) -> None:
    page_env.central.stop()
    shopper_id = shopper_with_cart(page_env.cache)
    sku = page_env.cache.shopper_profile(shopper_id).cart[0].product.sku
    page = page_env.open_product(sku, shopper_id)
    strip = page.recommended.strip
    page_env.qtbot.waitUntil(lambda: strip.model.rowCount() > 0)
    page_env.qtbot.mouseClick(page.recommended.button, Qt.MouseButton.LeftButton)
    tap_card(page_env, strip, strip.model.rowCount() - 1)
    chosen = strip.chosen()
    tap(page_env, strip, "cart")
    assert queued(page_env, "update_cart")[-1]["ops"][0]["sku"] == chosen.product.sku
    assert chosen.product.style_id not in {r.product.style_id for r in strip.model.records()}


def test_a_reason_wraps_on_two_lines_that_each_fit(qapp: Any) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from app.pages.shopper.recommend_strip import _two_lines

    fm = QFontMetrics(QFont())
    reason = "Bought together with the Wool Fingerless Mitt in 6 orders"
    width = fm.horizontalAdvance(reason) * 2 // 3
    lines = _two_lines(reason, fm, width).split("\n")
    assert len(lines) == 2 and all(fm.horizontalAdvance(line) <= width for line in lines)
    assert " ".join(lines) == reason
    assert _two_lines(reason, fm, width * 3) == reason
    short = _two_lines(reason, fm, width // 2).split("\n")
    assert len(short) == 2 and short[1].endswith("…")


def test_a_shopper_chosen_on_the_product_page_gets_the_shoppers_actions(page_env: Any) -> None:
    shopper_id = shopper_with_cart(page_env.cache)
    shopper = page_env.cache.shopper(shopper_id)
    sku = page_env.cache.shopper_profile(shopper_id).cart[0].product.sku
    page = page_env.open_product(sku, None)
    strip = page.recommended.strip
    page_env.qtbot.mouseClick(page.for_shopper.wishlist_button, Qt.MouseButton.LeftButton)
    dialog = page.for_shopper.dialog
    page_env.qtbot.waitUntil(dialog.isVisible)
    page_env.qtbot.keyClicks(dialog.picker.search, shopper.loyalty_id)
    page_env.qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)  # a card scan
    page_env.qtbot.waitUntil(lambda: dialog.shopper_id == shopper_id)
    page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    page_env.qtbot.waitUntil(lambda: not dialog.isVisible())

    page_env.qtbot.mouseClick(page.recommended.button, Qt.MouseButton.LeftButton)
    tap_card(page_env, strip)
    assert strip.shopper_id == shopper_id
    assert {k for k, b in strip.buttons.items() if b.isVisible()} == set(strip.buttons)
    owned = {line.product.style_id for line in page_env.cache.shopper_profile(shopper_id).cart}
    assert not owned & {r.product.style_id for r in strip.model.records()}
