"""Order online: delivery, payment, validation at the field, the pay-by-link QR code."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.dialogs.order_dialog import OrderDialog
from app.pages.shopper_page import ShopperPage
from tests.app.demo_data import shopper_with_cart

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def open_cart_order(page_env: Any) -> tuple[ShopperPage, OrderDialog]:
    """Open a shopper's cart and tap "Order whole cart online"."""
    sid = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(sid)
    page_env.qtbot.mouseClick(page.cart_tab.order_all, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, OrderDialog)
    page_env.qtbot.waitExposed(dialog)
    return page, dialog


def test_pay_by_link_shows_the_qr_code_once_central_has_the_order(page_env):
    page, dialog = open_cart_order(page_env)
    profile = page.profile
    assert dialog.model.lines() == [(line.product.sku, line.qty) for line in profile.cart]

    page_env.qtbot.mouseClick(dialog.fulfilment.buttons["ship_to_home"], Qt.MouseButton.LeftButton)
    assert dialog.address.isVisibleTo(dialog) and not dialog.store_combo.isVisibleTo(dialog)
    page_env.qtbot.mouseClick(dialog.address, Qt.MouseButton.LeftButton)
    page_env.qtbot.keyClicks(dialog.address, "12 Harbour View, Howth, Co. Dublin, D13 X2Y4")
    page_env.qtbot.mouseClick(dialog.payment.buttons["pay_by_link"], Qt.MouseButton.LeftButton)
    with page_env.qtbot.waitSignal(dialog.placed, timeout=2000) as placed:
        page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    order_id = placed.args[0]

    # written at once: pending, no link yet, and the dialog says where the link will be
    assert dialog.placed_panel.isVisibleTo(dialog)
    assert not dialog.qr.has_code()
    assert "once the order reaches central" in dialog.qr._caption.text()
    [entry] = page_env.cache.outbox(states=("pending",))
    assert entry.name == "place_order" and entry.args["payment_method"] == "pay_by_link"
    assert entry.args["fulfilment"]["address"].startswith("12 Harbour View")
    history = page.history_tab.model
    page_env.qtbot.waitUntil(lambda: any(o.id == order_id and o.pending for o in history.records()))

    page_env.sync()  # central takes the order and makes the payment link

    page_env.qtbot.waitUntil(dialog.qr.has_code, timeout=5000)
    assert dialog.payment_link and dialog.payment_link.startswith("http")
    assert dialog.qr.data() == dialog.payment_link
    page_env.qtbot.waitUntil(lambda: dialog.done_badge.property("kind") == "success")
    assert "Confirmed" in dialog.done_badge.text()
    page_env.qtbot.waitUntil(
        lambda: any(o.id == order_id and not o.pending for o in history.records()), timeout=5000
    )
    # the same code in the shopper's history, for later
    assert page.history_tab.select_order(order_id)
    assert page.history_tab.detail.qr.data() == dialog.payment_link
    with page_env.qtbot.waitSignal(dialog.accepted, timeout=2000):
        page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)


def test_empty_address_is_refused_at_the_field_and_nothing_is_written(page_env):
    _page, dialog = open_cart_order(page_env)
    page_env.qtbot.mouseClick(dialog.fulfilment.buttons["ship_to_home"], Qt.MouseButton.LeftButton)
    page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "address" in dialog.field_error("address").lower()
    assert dialog.address.property("invalid") is True
    assert dialog.general_error_text() == ""
    assert page_env.outbox_count() == 0

    page_env.qtbot.keyClicks(dialog.address, "1")  # typing clears the problem
    assert dialog.field_error("address") == ""


def test_collect_in_store_pay_at_till_closes_at_once(page_env):
    page, dialog = open_cart_order(page_env)
    assert dialog.fulfilment.value() == "ship_to_store"
    assert dialog.store_combo.currentData() == "S001"
    index = dialog.model.index(0, dialog.model.QTY)
    rect = dialog.stepper.button_rect(dialog.lines_view, index, "plus")
    qty = dialog.model.lines()[0][1]
    page_env.qtbot.mouseClick(
        dialog.lines_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert dialog.model.lines()[0][1] == qty + 1
    with page_env.qtbot.waitSignal(dialog.accepted, timeout=2000):
        page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    [entry] = page_env.cache.outbox(states=("pending",))
    assert entry.args["fulfilment"] == {
        "type": "ship_to_store",
        "store_id": "S001",
        "address": None,
    }
    assert entry.args["lines"][0]["qty"] == qty + 1
    assert page_env.ctx.messages.history[-1][0] == "success"
    page.tabs.setCurrentWidget(page.history_tab)
    assert page.history_tab.model.records()[0].pending


def test_ordering_the_cart_says_so_and_takes_the_items_out_of_the_online_cart(page_env):
    page, dialog = open_cart_order(page_env)
    assert dialog.cart_hint.isVisible()
    assert dialog.cart_hint.text() == "Ordering takes these items out of the shopper's online cart."
    ordered = {sku for sku, _qty in dialog.model.lines()}
    assert ordered and ordered <= {line.product.sku for line in page.profile.cart}
    with page_env.qtbot.waitSignal(dialog.accepted, timeout=2000):
        page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    [entry] = page_env.cache.outbox(states=("pending",))
    assert entry.args["from_cart"] is True
    page_env.qtbot.waitUntil(lambda: page.cart_tab.model.rowCount() == 0, timeout=5000)
    assert not {line.product.sku for line in page.profile.cart} & ordered


def test_an_order_not_started_from_the_cart_leaves_the_cart_alone(page_env):
    sid = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(sid)
    line = page.profile.cart[0]
    dialog = page.open_order([(line.product.sku, 1)])
    page_env.qtbot.waitExposed(dialog)
    assert not dialog.cart_hint.isVisible()
    with page_env.qtbot.waitSignal(dialog.accepted, timeout=2000):
        page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    [entry] = page_env.cache.outbox(states=("pending",))
    assert entry.args["from_cart"] is False
    assert line.product.sku in {ln.product.sku for ln in page_env.cache.shopper_profile(sid).cart}
