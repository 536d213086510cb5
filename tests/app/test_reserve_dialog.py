"""Reserve: here or at another store, validated at the field, confirmed by central."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.dialogs.reserve_dialog import DEFAULT_HOLD_DAYS, ReserveDialog
from tests.app.demo_data import shopper_with_cart, sku_out_here_in_stock_elsewhere

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def tap_store(qtbot: Any, dialog: ReserveDialog, store_id: str) -> None:
    row = dialog.stores.row_of(store_id)
    rect = dialog.store_list.visualRect(dialog.stores.index(row))
    qtbot.mouseClick(dialog.store_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def set_qty(qtbot: Any, dialog: ReserveDialog, text: str) -> None:
    qtbot.mouseClick(dialog.qty.edit, Qt.MouseButton.LeftButton)
    dialog.qty.edit.selectAll()
    qtbot.keyClicks(dialog.qty.edit, text)


def test_reserve_out_of_stock_here_at_another_store(page_env):
    sid = shopper_with_cart(page_env.cache, 1)
    sku = sku_out_here_in_stock_elsewhere(page_env.cache)
    stock = {s.store_id: s for s in page_env.cache.product(sku).stock}
    other = max(("S002", "S003"), key=lambda s: stock[s].available)

    page = page_env.open_product(sku, sid, wait_exposed=False)
    page_env.qtbot.mouseClick(page.reserve_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, ReserveDialog)
    page_env.qtbot.waitExposed(dialog)

    here_row = dialog.stores.row_of("S001")
    assert not dialog.stores.flags(dialog.stores.index(here_row)) & Qt.ItemFlag.ItemIsEnabled
    assert "none available" in dialog.stores.index(here_row).data()
    tap_store(page_env.qtbot, dialog, "S001")  # a tap on a store without stock does nothing
    assert dialog.store_id() != "S001"
    tap_store(page_env.qtbot, dialog, other)
    assert dialog.store_id() == other
    assert dialog.qty.maximum() == stock[other].available
    page_env.qtbot.mouseClick(dialog.qty.plus, Qt.MouseButton.LeftButton)
    assert dialog.qty.value() == 2
    assert dialog.hold.value() == str(DEFAULT_HOLD_DAYS)

    with page_env.qtbot.waitSignal(dialog.accepted, timeout=2000):
        page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    kind, text = page_env.ctx.messages.history[-1]
    assert kind == "success" and stock[other].store_name in text
    [entry] = page_env.cache.outbox(states=("pending",))
    assert entry.name == "reserve_item"
    assert entry.args["store_id"] == other and entry.args["qty"] == 2

    shopper = page_env.open_shopper(sid, wait_exposed=False)
    shopper.tabs.setCurrentWidget(shopper.reservations_tab)
    model = shopper.reservations_tab.model
    rid = entry.args["reservation_id"]
    assert model.records()[model.row_of(rid)].pending

    page_env.sync()
    page_env.qtbot.waitUntil(
        lambda: model.row_of(rid) >= 0 and not model.records()[model.row_of(rid)].pending,
        timeout=5000,
    )
    assert model.records()[model.row_of(rid)].store_id == other
    after = {s.store_id: s for s in page_env.cache.product(sku).stock}
    assert after[other].available == stock[other].available - 2


def test_quantity_zero_is_refused_at_the_field_and_nothing_is_written(page_env):
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid, wait_exposed=False)
    line = page.cart_tab.model.line(0)
    dialog = page.open_reserve(line.product.sku)
    page_env.qtbot.waitExposed(dialog)

    set_qty(page_env.qtbot, dialog, "0")
    page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "quantity" in dialog.field_error("qty").lower()
    assert dialog.qty.edit.property("invalid") is True
    assert page_env.outbox_count() == 0

    set_qty(page_env.qtbot, dialog, "1")  # typing again clears the problem
    assert dialog.field_error("qty") == ""


def test_without_a_shopper_the_dialog_asks_for_one(page_env):
    sid = shopper_with_cart(page_env.cache, 1)
    shopper = page_env.cache.shopper(sid)
    sku = page_env.cache.shopper_profile(sid).cart[0].product.sku
    dialog = ReserveDialog(page_env.ctx, sku, None)
    page_env.qtbot.addWidget(dialog)
    dialog.show()
    page_env.qtbot.waitExposed(dialog)
    assert dialog.picker is not None

    page_env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("shopper_id")
    assert page_env.outbox_count() == 0

    page_env.qtbot.keyClicks(dialog.picker.search, shopper.email)
    page_env.qtbot.waitUntil(lambda: dialog.picker.model.rowCount() >= 1)
    index = dialog.picker.model.index(0, 0)
    page_env.qtbot.mouseClick(
        dialog.picker.results.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.picker.results.visualRect(index).center(),
    )
    assert dialog.shopper_id == sid
    assert shopper.last_name in dialog.title.text()
    assert dialog.field_error("shopper_id") == ""
