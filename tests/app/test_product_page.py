"""Product and stock: search or scan, colour and size, the size-by-store grid."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.models.roles import Roles
from tests.app.demo_data import sku_out_here_in_stock_elsewhere

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def test_barcode_scan_opens_the_product_and_the_grid_has_the_right_figures(page_env):
    sku = sku_out_here_in_stock_elsewhere(page_env.cache)
    view = page_env.cache.product(sku)
    page = page_env.open_product("")
    assert page.stack.currentWidget() is page.empty
    assert page.focusWidget() is page.search

    for char in view.product.barcode:  # a keyboard-wedge scanner: digits then Return
        QTest.keyClick(page.search, char)
    QTest.keyClick(page.search, Qt.Key.Key_Return)

    assert page.stack.currentWidget() is page.detail
    assert page.sku == sku
    grid = page.grid_model
    assert grid.rowCount() == len(view.sizes)
    columns = grid.columns()
    assert columns[0].store_id == "S001" and columns[0].is_here
    assert columns[-1].is_online
    for row in range(grid.rowCount()):
        size_sku = grid.index(row, 0).data(Roles.Key)
        truth = {s.store_id: s.available for s in page_env.cache.product(size_sku).stock}
        for col, column in enumerate(columns):
            assert grid.index(row, col).data() == str(truth[column.store_id])
            level = grid.index(row, col).data(Roles.Level)
            assert level == (
                "none"
                if truth[column.store_id] == 0
                else "low"
                if truth[column.store_id] <= 2
                else "good"
            )
    for col in range(grid.columnCount()):
        assert "as of" in grid.headerData(col, Qt.Orientation.Horizontal)
    here = grid.index(grid.row_of(sku), 0)
    assert here.data() == "0"
    assert page.reserve_button.isEnabled()  # other stores have it
    assert "0 available at" in page.choice.text()
    assert page.shopper_badge.text() == "No shopper chosen"


def test_typing_a_name_lists_products_and_sizes_switch(page_env):
    sku = sku_out_here_in_stock_elsewhere(page_env.cache)
    view = page_env.cache.product(sku)
    page = page_env.open_product("")
    page_env.qtbot.keyClicks(page.search, view.product.name)
    page_env.qtbot.waitUntil(lambda: page.stack.currentWidget() is page.results)
    assert page.hits.rowCount() >= 1
    p = view.product
    row = next(
        r
        for r in range(page.hits.rowCount())  # one row per style and colour
        if (page.hits.hit(r).style_id, page.hits.hit(r).colour) == (p.style_id, p.colour)
    )
    index = page.hits.index(row)
    assert "Sizes" in index.data(Roles.Note)
    page.results.scrollTo(index)
    page_env.qtbot.mouseClick(
        page.results.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.results.visualRect(index).center(),
    )
    assert page.sku == page.hits.hit(row).sku
    page_env.qtbot.mouseClick(
        next(b for b in page.size_buttons if b.text() == p.size), Qt.MouseButton.LeftButton
    )
    assert page.sku == sku

    other = next(s for s in view.sizes if s.sku != sku)
    button = next(b for b in page.size_buttons if b.text() == other.size)
    page_env.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert page.sku == other.sku
    assert page.grid_model.selected_sku == other.sku
    assert next(b for b in page.size_buttons if b.text() == other.size).isChecked()


def test_tapping_a_store_cell_reserves_there(page_env):
    sku = sku_out_here_in_stock_elsewhere(page_env.cache)
    page = page_env.open_product("")
    page.load(sku, None)
    grid = page.grid_model
    col = max(
        (grid.column_of("S002"), grid.column_of("S003")),
        key=lambda c: int(grid.index(grid.row_of(sku), c).data()),
    )
    index = grid.index(grid.row_of(sku), col)
    page_env.qtbot.mouseClick(
        page.grid.viewport(), Qt.MouseButton.LeftButton, pos=page.grid.visualRect(index).center()
    )
    store_id = grid.columns()[col].store_id
    assert page.store_choice == store_id
    page_env.qtbot.mouseClick(page.reserve_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.store_id() == store_id
    assert dialog.picker is not None  # no shopper open: the dialog asks for one
    dialog.reject()


def test_a_scan_while_the_grid_has_the_focus_opens_the_scanned_product(page_env):
    from PySide6.QtWidgets import QApplication

    sku = sku_out_here_in_stock_elsewhere(page_env.cache)
    view = page_env.cache.product(sku)
    other = next(s for s in view.sizes if s.sku != sku)
    page = page_env.open_product("")
    page.load(sku, None)
    index = page.grid_model.index(0, 0)
    page_env.qtbot.mouseClick(
        page.grid.viewport(), Qt.MouseButton.LeftButton, pos=page.grid.visualRect(index).center()
    )
    page.activateWindow()
    page_env.qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.grid.setFocus()
    page_env.qtbot.waitUntil(page.grid.hasFocus)
    for char in other.barcode:  # keyboard-wedge scanner: to whatever has the focus
        QTest.keyClick(QApplication.focusWidget(), char)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert page.search.text() == other.barcode
    assert page.sku == other.sku
