"""``ReloadOnData``: the one way a page follows data changes.

Every page of the associate app makes one: ``ReloadOnData(page, ctx.bridge, page.reload,
"<name>ReloadTimer")``. ``bridge.dataChanged`` (after a sync, a fetched shopper, or any
command queued on this device) starts a zero-delay timer, so a burst of changes costs one
reload; when it fires the page reloads at once if it is on screen, otherwise it is marked
stale and reloads when it is next shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.sync_bridge import SyncBridge


class ReloadOnData(QObject):
    def __init__(
        self, page: QWidget, bridge: SyncBridge, reload: Callable[[], Any], timer_name: str
    ) -> None:
        super().__init__(page)
        self._page = page
        self._reload = reload
        self.stale = False
        self.timer = QTimer(self)
        self.timer.setObjectName(timer_name)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._on_data_changed)
        bridge.dataChanged.connect(self.timer.start)
        page.installEventFilter(self)

    def _on_data_changed(self) -> None:
        if self._page.isVisible():
            self._reload()
        else:  # off screen: catch up when it comes back
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._reload()
        return False
