"""Loyalty points in the order dialog, against the real central: "Use points" shows the
balance, its worth and the most usable on this order; the stepper stays within the rules;
placing writes the order and the redemption together; the profile header shows the points
spent at once, and central takes them once on the next sync. Too many points are refused
at the field with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.dialogs.order_dialog import OrderDialog
from app.pages.shopper_page import ShopperPage
from sync import wire
from tests.app.demo_data import one
from tests.central.integration_support import record, send_as_webshop, web_order
from tests.support.offers import at_central

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def _shopper_with_points_and_cart(cache: Any, points: int) -> str:
    """An S001 shopper with ``points`` or more and an active cart worth ordering."""
    return str(
        one(
            cache,
            """
            SELECT c.shopper_id FROM carts c JOIN shoppers s ON s.id = c.shopper_id
            WHERE c.status = 'active' AND json_array_length(json_extract(c.data, '$.lines')) >= 1
              AND s.home_store_id = 'S001' AND s.points >= ?
            ORDER BY s.points DESC, c.shopper_id LIMIT 1""",
            points,
        )
    )


def _open(page_env: Any, shopper_id: str) -> tuple[ShopperPage, OrderDialog]:
    page = page_env.open_shopper(shopper_id)
    page_env.qtbot.mouseClick(page.cart_tab.order_all, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, OrderDialog)
    page_env.qtbot.waitExposed(dialog)
    return page, dialog


def _click(page_env: Any, widget: Any) -> None:
    page_env.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_use_points_on_an_order_then_central_takes_them_once(page_env: Any) -> None:
    shopper_id = _shopper_with_points_and_cart(page_env.cache, 2000)
    page, dialog = _open(page_env, shopper_id)
    balance = page.profile.points.balance
    panel = dialog.points_panel
    total = dialog.model.total_cents()
    most = min(balance, total // 2)
    assert panel.balance.text().startswith(f"{balance:,} points, worth €{balance / 100:,.2f}.")
    assert f"Up to {most:,} points" in panel.balance.text()
    assert not panel.edit.isVisible()
    assert dialog.total.text() == f"Total €{total / 100:,.2f}"

    _click(page_env, panel.use)
    assert panel.edit.isVisible() and panel.points() == most
    assert not panel.plus.isEnabled()  # already the most
    _click(page_env, panel.minus)
    used = most - 100
    assert panel.points() == used
    pay = total - used
    assert dialog.total.text() == (
        f"Total €{total / 100:,.2f} · points −€{used / 100:,.2f} · to pay €{pay / 100:,.2f}"
    )
    with page_env.qtbot.waitSignal(dialog.accepted, timeout=2000):
        _click(page_env, dialog.confirm_button)
    placed, redeemed = sorted(page_env.cache.outbox(states=("pending",)), key=lambda e: e.number)
    assert (placed.name, redeemed.name) == ("place_order", "redeem_points")
    assert redeemed.args["order_id"] == placed.args["order_id"]
    assert redeemed.args["points"] == used
    assert f"they pay €{pay / 100:,.2f} at the till" in page_env.ctx.messages.history[-1][1]
    # the header shows the points spent at once, with their worth
    left = balance - used
    header = page.header.points
    page_env.qtbot.waitUntil(lambda: header.text() == f"{left:,} · €{left / 100:,.2f}")
    assert "wait to sync" in header.toolTip()

    page_env.sync()

    at = at_central(page_env.central.location, "shopper", shopper_id)
    assert at is not None and at["points"] == left
    order = at_central(page_env.central.location, "order", str(placed.args["order_id"]))
    assert order is not None and order["points_redeemed"] == used
    page_env.qtbot.waitUntil(lambda: header.toolTip() == "")
    assert header.text() == f"{left:,} · €{left / 100:,.2f}"
    page.tabs.setCurrentWidget(page.history_tab)
    assert page.history_tab.select_order(str(placed.args["order_id"]))
    assert f"{used:,} points −€{used / 100:,.2f}" in page.history_tab.detail.total.text()


def test_too_many_points_typed_are_refused_at_the_field_and_nothing_is_written(
    page_env: Any,
) -> None:
    shopper_id = _shopper_with_points_and_cart(page_env.cache, 2000)
    _page, dialog = _open(page_env, shopper_id)
    panel = dialog.points_panel
    _click(page_env, panel.use)
    panel.edit.clear()
    page_env.qtbot.keyClicks(panel.edit, str(panel.most + 1))
    _click(page_env, dialog.confirm_button)
    assert dialog.isVisible()
    assert f"{panel.most:,} points at most" in dialog.field_error("points")
    assert page_env.outbox_count() == 0
    _click(page_env, panel.minus)  # back within the rules: the problem goes
    assert dialog.field_error("points") == ""


def test_a_shopper_below_the_minimum_cannot_switch_points_on(page_env: Any) -> None:
    shopper_id = str(
        one(
            page_env.cache,
            """
            SELECT c.shopper_id FROM carts c JOIN shoppers s ON s.id = c.shopper_id
            WHERE c.status = 'active' AND s.home_store_id = 'S001' AND s.points < 500
            ORDER BY c.shopper_id LIMIT 1""",
        )
    )
    _page, dialog = _open(page_env, shopper_id)
    panel = dialog.points_panel
    assert not panel.use.isEnabled()
    assert "Points are used 500 or more at a time." in panel.balance.text()
    assert panel.points() == 0


def test_points_spent_online_meanwhile_are_refused_and_the_pay_link_asks_the_full_total(
    page_env: Any,
) -> None:
    shopper_id = _shopper_with_points_and_cart(page_env.cache, 2000)
    _page, dialog = _open(page_env, shopper_id)
    total = dialog.model.total_cents()
    _click(page_env, dialog.points_panel.use)
    used = dialog.points_panel.points()
    _click(page_env, dialog.payment.buttons["pay_by_link"])
    with page_env.qtbot.waitSignal(dialog.placed, timeout=2000):
        _click(page_env, dialog.confirm_button)
    assert f"for €{(total - used) / 100:,.2f}" in dialog.done_text.text()
    # meanwhile the shopper spends nearly all their points in the web shop
    at = at_central(page_env.central.location, "shopper", shopper_id)
    assert at is not None
    spend = at["points"] - 100
    sku = dialog.model.lines()[0][0]
    (web,) = send_as_webshop(
        page_env.central.url,
        page_env.central.location,
        record(
            "order",
            "w-points-meanwhile",
            1,
            web_order(shopper_id, sku, wire.utc_now(), total_cents=spend * 2)
            | {"points_redeemed": spend, "points_value_cents": spend},
        ),
    )
    assert web["status"] == "applied", web

    page_env.sync()

    page_env.qtbot.waitUntil(dialog.done_error.isVisible, timeout=5000)
    assert dialog.done_error.text() == (
        "Central did not take the points: The shopper has 100 points: use that many or fewer."
        f" They pay the full €{total / 100:,.2f}."
    )
    page_env.qtbot.waitUntil(dialog.qr.has_code, timeout=5000)
    assert f"to pay €{total / 100:,.2f}" in dialog.done_text.text()
