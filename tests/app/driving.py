"""Driving the UI as a person would, for the tests of this folder.

``sign_in(qtbot, window, staff_id, pin)`` types like a person (keyboard for the staff
id, the on-screen keypad for the PIN); ``scan(qtbot, text)`` sends key events to
whatever has the focus, ending with Return, as a keyboard-wedge scanner does;
``click_row(qtbot, table, row)`` taps a row of a table view; ``show_main_window(qtbot)``
puts a new ``MainWindow`` on screen (before start-up); ``synced_once(boot)``: the
started app's engine has finished a round with central.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app.messages import MessageBus

FIRST_SYNC_TIMEOUT_MS = 30_000


def show_main_window(qtbot: Any) -> tuple[Any, Any]:
    """A new ``MainWindow`` (with its own ``MessageBus``) on screen at 1280x800, as
    ``app.gui`` shows it before start-up begins: the start-up face first, then the
    sign-in page and the shell built. Returns (window, messages)."""
    messages = MessageBus()
    window = MainWindow(messages)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.build_rest()
    return window, messages


def sign_in(qtbot: Any, window: Any, staff_id: str, pin: str) -> None:
    """Type the staff id, tap the PIN on the keypad, tap Sign in."""
    page = window.signin
    qtbot.mouseClick(page.staff_field, Qt.MouseButton.LeftButton)
    page.staff_field.clear()
    qtbot.keyClicks(page.staff_field, staff_id)
    qtbot.mouseClick(page.pin_field, Qt.MouseButton.LeftButton)
    for digit in pin:
        qtbot.mouseClick(page.keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.keypad.action, Qt.MouseButton.LeftButton)


def scan(qtbot: Any, text: str) -> None:
    """A keyboard-wedge scan: each character to the focused widget, then Return."""
    for char in text:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        QTest.keyClick(target, char)
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClick(target, Qt.Key.Key_Return)


def click_row(qtbot: Any, table: Any, row: int, column: int = 0) -> None:
    """Tap a row of a table view, as a finger would."""
    index = table.model().index(row, column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def synced_once(boot: Any) -> bool:
    """The engine has finished a sync round with central since start-up."""
    state = boot.bridge.state if boot.bridge is not None else None
    return state is not None and state.online and not state.syncing and bool(state.last_sync_at)
