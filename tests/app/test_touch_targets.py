"""Every button a finger can reach is at least 44 px each way (at the tablet's 1280x800)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QAbstractButton

MIN_TOUCH_PX = 44


def _small_buttons(window) -> list[str]:
    small = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.isVisible():
            continue
        size = button.size()
        if size.width() < MIN_TOUCH_PX or size.height() < MIN_TOUCH_PX:
            name = button.objectName() or type(button).__name__
            small.append(
                f"{name} {button.text()!r} on {window.current_page()}: "
                f"{size.width()}x{size.height()}"
            )
    return small


def _laid_out(window) -> bool:
    """The page on screen fills the stack, with every pending layout request run."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    current = window.stack.currentWidget()
    return current.isVisible() and current.size() == window.stack.size()


def _visit(qtbot, window, show, page: str) -> None:
    show()
    qtbot.waitUntil(lambda: window.current_page() == page, timeout=5_000)
    qtbot.waitUntil(lambda: _laid_out(window), timeout=5_000)


def test_every_visible_button_is_a_44_px_touch_target(window, app_env, qtbot):
    assert (window.width(), window.height()) == (1280, 800)
    # the header's "N needs attention" button shows only when something was rejected
    state = app_env.ctx.bridge.state
    window.sync_status.set_state(dataclasses.replace(state, attention=1, pending=2))
    assert not window.sync_status.attention.isHidden()
    home = app_env.page("home")
    qtbot.mouseClick(home.shopper_search.search, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(home.shopper_search.search, "murphy")  # the clear button shows
    qtbot.waitUntil(lambda: home.shopper_search.results_model.rowCount() >= 1, timeout=5_000)
    assert home.shopper_search.search.clear_button.isVisible()
    found = _small_buttons(window)

    shopper = home.shopper_search.results_model.record(0)
    _visit(qtbot, window, lambda: window.show_shopper(shopper.id), "shopper")
    found += _small_buttons(window)
    _visit(qtbot, window, window.show_queue, "queue")
    found += _small_buttons(window)
    _visit(qtbot, window, window.show_outbox, "outbox")
    found += _small_buttons(window)
    _visit(qtbot, window, window.show_home, "home")
    found += _small_buttons(window)
    assert not found, "buttons smaller than 44 px:\n" + "\n".join(found)
