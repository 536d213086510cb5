"""Banners never move what a finger is about to tap; the cart's "+" counts every tap.

Issue 10 item 6: a success banner pushed the page down and then collapsed, so a tap timed
with the collapse landed on another button; two quick taps on a cart "+" counted once.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.app.demo_data import shopper_with_cart
from tests.app.test_shopper_page import tap

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def settle() -> None:
    """Let every pending layout request and resize run, as the event loop would."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _plus_on_screen(page: Any, row: int) -> QPoint:
    """Where a person sees the "+" of a cart row, in screen coordinates (after layout)."""
    settle()
    tab = page.cart_tab
    index = tab.model.index(row, tab.model.column(tab.model.QTY))
    rect = tab.stepper_delegate.button_rect(tab.view, index, "plus")
    assert rect.isValid()
    return tab.view.viewport().mapToGlobal(rect.center())


def text_fits(banner: Any) -> bool:
    """The banner's whole text is inside the banner and inside the window."""
    text = banner.text
    lines = QFontMetrics(text.font()).boundingRect(
        0, 0, text.width(), 10_000, Qt.TextFlag.TextWordWrap, text.text()
    )
    window = banner.window()
    top_left = text.mapTo(window, QPoint(0, 0))
    inside_banner = banner.rect().contains(text.geometry())
    inside_window = window.rect().contains(top_left) and window.rect().contains(
        top_left + QPoint(text.width() - 1, text.height() - 1)
    )
    return lines.height() <= text.height() and inside_banner and inside_window


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_a_success_banner_moves_nothing_and_is_readable(window, app_env, qtbot, size):
    window.resize(*size)
    sid = shopper_with_cart(app_env.ctx.cache, 2)
    window.show_shopper(sid)
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    page = window.pages["shopper"]
    qtbot.waitUntil(lambda: page.cart_tab.model.rowCount() >= 2, timeout=5_000)
    qtbot.waitUntil(lambda: window.size().width() == size[0], timeout=2_000)
    plus = _plus_on_screen(page, 1)
    tabs = page.tabs.mapToGlobal(QPoint(0, 0))

    text = "Reserved 1 at Galway: the shopper gets a message when it is ready to collect."
    app_env.ctx.messages.success(text)
    qtbot.waitUntil(window.banner.isVisible, timeout=2_000)

    assert window.banner.text.text() == text
    assert _plus_on_screen(page, 1) == plus
    assert page.tabs.mapToGlobal(QPoint(0, 0)) == tabs
    assert window.banner.isVisible()
    assert text_fits(window.banner)
    assert window.stack.geometry().contains(window.banner.geometry())  # over the pages only

    window.banner.hide_timer.setInterval(10)  # as after its time on show
    window.banner.hide_timer.start()
    qtbot.waitUntil(window.banner.isHidden, timeout=2_000)
    assert _plus_on_screen(page, 1) == plus
    assert page.tabs.mapToGlobal(QPoint(0, 0)) == tabs


def test_an_error_banner_is_closed_with_one_tap_and_moves_nothing(window, app_env, qtbot):
    sid = shopper_with_cart(app_env.ctx.cache, 2)
    window.show_shopper(sid)
    page = window.pages["shopper"]
    qtbot.waitUntil(lambda: page.cart_tab.model.rowCount() >= 2, timeout=5_000)
    plus = _plus_on_screen(page, 0)

    app_env.ctx.messages.error("Central can't be reached: the change is kept and sent later.")
    qtbot.waitUntil(window.banner.isVisible, timeout=2_000)
    assert _plus_on_screen(page, 0) == plus
    qtbot.mouseClick(window.banner.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.banner.isHidden, timeout=2_000)
    assert _plus_on_screen(page, 0) == plus


def _quick_taps(view: Any, pos: QPoint) -> None:
    """Two taps in quick succession, as the window system delivers them: press, release,
    press, double-click, release."""
    target = view.viewport()
    local = QPointF(pos)
    glob = QPointF(target.mapToGlobal(pos))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind in (
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseButtonRelease,
    ):
        buttons = none if kind == QEvent.Type.MouseButtonRelease else left
        event = QMouseEvent(kind, local, glob, left, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, event)


@pytest.mark.parametrize("quick", [False, True], ids=["apart", "double-tap"])
def test_two_taps_on_plus_of_a_row_not_selected_add_two(page_env, quick):
    sid = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(sid)
    tab = page.cart_tab
    view, model = tab.view, tab.model
    view.setCurrentIndex(model.index(0, 0))  # another row is the selected one
    line = model.line(1)
    index = model.index(1, model.column(model.QTY))
    assert view.currentIndex().row() != 1

    if quick:
        view.scrollTo(index)
        _quick_taps(view, tab.stepper_delegate.button_rect(view, index, "plus").center())
    else:
        tap(page_env.qtbot, view, tab.stepper_delegate, index, "plus")
        tap(page_env.qtbot, view, tab.stepper_delegate, index, "plus")

    page_env.qtbot.waitUntil(
        lambda: model.line(model.row_of(line.key)).qty == line.qty + 2, timeout=5_000
    )
