"""``ReloadOnData``: a page reloads after a sync or a written command, or when it next shows.

Used by the shopper and product pages: ``bridge.dataChanged`` starts a zero-delay timer
(so a burst of changes costs one reload); when it fires, the page reloads at once if it
is on screen, otherwise it is marked stale and reloads in its ``showEvent`` (which calls
``shown()``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget


class ReloadOnData(QObject):
    def __init__(
        self, page: QWidget, bridge: Any, reload: Callable[[], Any], timer_name: str
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

    def _on_data_changed(self) -> None:
        if self._page.isVisible():
            self._reload()
        else:  # off screen: catch up when it comes back
            self.stale = True

    def shown(self) -> None:
        """Call from the page's ``showEvent``: reload if data changed while it was hidden."""
        if self.stale:
            self.stale = False
            self._reload()
