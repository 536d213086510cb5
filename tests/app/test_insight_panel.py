"""The insight panel at the top of the profile (``app.pages.shopper.insight_panel``): the
figures and the next best action the cache computed, the action button doing what it says,
a queued order counted at once, and the same panel offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.pages.shopper.insight_panel import whole_money
from sync.read.outreach import Thresholds
from tests.sync.test_next_best_action import (
    at_central,
    cart_left,
    quiet_shopper,
    skus_here,
    stamp,
    viewed,
)

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def abandoned_cart(page_env: Any) -> tuple[str, str]:
    """A quiet shopper of the book with a web cart left 3 days ago, synced: (id, reason)."""
    sid, _ = quiet_shopper(page_env.cache)
    two = skus_here(page_env.cache, 2, available=True)
    lines = [{"sku": s, "qty": 1, "price_cents": 4000, "added_at": stamp(days=3)} for s in two]
    at_central(page_env.central, ("cart", cart_left(sid, lines)))
    page_env.sync()
    return sid, "Cart left online 3 days ago: 2 of 2 items in stock here"


def test_the_panel_shows_the_figures_and_the_next_best_action(page_env: Any) -> None:
    sid, reason = abandoned_cart(page_env)
    page = page_env.open_shopper(sid)
    panel = page.insight
    insight = page_env.cache.insight(sid)
    assert panel.isVisibleTo(page) and panel.banner.isVisibleTo(page)
    assert panel.reason.text() == reason
    assert panel.action_button.text() == "Open cart"
    if insight.orders:
        assert panel.lifetime.value.text() == whole_money(insight.lifetime_cents)
        assert panel.orders.value.text() == f"{insight.orders:,}"
        assert panel.returns.value.text() == f"{round(insight.return_rate * 100)}%"
    else:
        assert panel.no_orders.isVisibleTo(page) and not panel.lifetime.isVisibleTo(page)
    # the panel stays one row high until the associate opens the details
    assert not panel.details.isVisibleTo(page)
    assert panel.height() <= 120
    panel.toggle.click()
    assert panel.details.isVisibleTo(page) and panel.toggle.text() == "Less"
    assert panel.seen.text().startswith("Last visit ")
    panel.toggle.click()
    assert not panel.details.isVisibleTo(page)

    page.tabs.setCurrentIndex(page.HISTORY)
    page_env.qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentIndex() == page.CART


def test_a_queued_order_counts_at_once(page_env: Any) -> None:
    sid, _ = abandoned_cart(page_env)
    page = page_env.open_shopper(sid)
    before = page_env.cache.insight(sid)
    [sku] = skus_here(page_env.cache, 1, available=True)
    page_env.ctx.commands.place_order(
        shopper_id=sid,
        lines=[(sku, 1)],
        fulfilment_type="ship_to_home",
        address="1 Quay St, Galway",
        payment_method="pay_by_link",
    )
    expected = f"{before.orders + 1:,}"
    page_env.qtbot.waitUntil(lambda: page.insight.orders.value.text() == expected)
    assert page.insight.orders.toolTip() == "1 waiting to sync"


def test_offline_the_panel_comes_from_the_cache_and_opens_the_item(page_env: Any) -> None:
    sid, _ = quiet_shopper(page_env.cache)
    profile = page_env.cache.shopper_profile(sid)
    held = {line.product.sku for line in (*profile.cart, *profile.wishlist)}
    sku = next(s for s in skus_here(page_env.cache, 50, available=True) if s not in held)
    at_central(page_env.central, ("product_view", viewed(sid, sku, "web", stamp(minutes=5))))
    page_env.sync()
    page_env.central.stop()

    page = page_env.open_shopper(sid)
    action = page_env.cache.next_best_action(sid, "S001", Thresholds())
    assert action is not None and action.sku == sku
    assert page.insight.reason.text() == action.reason
    assert page.insight.action_button.text() == "See item"
    page_env.qtbot.mouseClick(page.insight.action_button, Qt.MouseButton.LeftButton)
    assert page_env.navigator.calls[-1] == ("show_product", (sku, sid))


def test_a_birthday_coming_up_offers_a_follow_up_for_that_day(page_env: Any) -> None:
    from app.dialogs.task_dialog import TaskDialog

    sid, shopper = quiet_shopper(page_env.cache)
    soon = (datetime.now(UTC) + timedelta(days=5)).date()
    shopper["important_dates"] = [{"kind": "birthday", "month": soon.month, "day": soon.day}]
    at_central(page_env.central, ("shopper", shopper))
    page_env.sync()
    action = page_env.cache.next_best_action(sid, "S001", Thresholds())
    assert action is not None
    assert (action.source, action.action) == ("important_dates", "follow_up")

    page = page_env.open_shopper(sid)
    assert page.insight.reason.text() == action.reason
    assert page.insight.action_button.text() == "Follow up"
    page_env.qtbot.mouseClick(page.insight.action_button, Qt.MouseButton.LeftButton)
    page_env.qtbot.waitUntil(lambda: bool(page.findChildren(TaskDialog)))
    [dialog] = page.findChildren(TaskDialog)
    assert dialog.shopper_id == sid
    assert dialog.message.toPlainText() == action.reason
    dialog.reject()
