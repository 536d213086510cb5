"""The kiosk's banner floats over its pages: the keypad does not move under a finger."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint

from tests.app.test_banner_layout import settle, text_fits
from tests.app.test_kiosk import Kiosk, kiosk, kiosk_idle_s, kiosk_settings

__all__ = ["kiosk", "kiosk_idle_s", "kiosk_settings"]  # the fixtures this file uses

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def test_a_kiosk_banner_moves_nothing_and_is_readable(qtbot: Any, kiosk: Kiosk) -> None:
    shell = kiosk.shell
    kiosk.window.resize(1280, 800)
    settle()
    key = shell.welcome.keypad.keys["5"]
    before = key.mapToGlobal(QPoint(0, 0))

    text = "Reserved: we'll send you a message when it's ready to collect at the desk."
    kiosk.ctx.messages.success(text)
    qtbot.waitUntil(shell.banner.isVisible, timeout=2_000)
    settle()
    assert key.mapToGlobal(QPoint(0, 0)) == before
    assert text_fits(shell.banner)

    shell.banner.hide_timer.setInterval(10)
    shell.banner.hide_timer.start()
    qtbot.waitUntil(shell.banner.isHidden, timeout=2_000)
    settle()
    assert key.mapToGlobal(QPoint(0, 0)) == before
