"""The kiosk's call screen follows the call: a tablet's "I'm on it" shows as the
associate's first name on the way, while the screen is open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.app.test_kiosk import Kiosk, kiosk, kiosk_idle_s, kiosk_settings
from tests.support.floor_device import FloorDevice

__all__ = ["kiosk", "kiosk_idle_s", "kiosk_settings"]  # the fixtures this module uses

SEEN_MS = 15_000


def test_the_call_screen_says_who_is_on_the_way(qtbot: Any, kiosk: Kiosk) -> None:
    shell, ctx = kiosk.shell, kiosk.ctx
    qtbot.mouseClick(shell.bar.call_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.call.reasons["pickup"], Qt.MouseButton.LeftButton)
    call = shell.call
    assert call.confirmation.text() == "We've called an associate"
    task_id = call.task_id
    assert task_id is not None
    # the call reaches central; an associate on another tablet takes it
    qtbot.waitUntil(
        lambda: (t := ctx.cache.task(task_id)) is not None and not t.pending, timeout=SEEN_MS
    )
    tablet = FloorDevice(kiosk.central.url, "associate")
    try:
        assert tablet.take(task_id, "A1003")["status"] == "applied"
    finally:
        tablet.close()
    qtbot.waitUntil(lambda: call.confirmation.text() == "Niamh is on the way", timeout=SEEN_MS)
    assert shell.pages.currentWidget() is call and call.confirmed()
    assert "Kavanagh" not in call.detail.text()
    qtbot.mouseClick(call.ok, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is not call
