"""Debug only, off by default: log where named widgets are on the screen.

With ``CLIENTELING_DEBUG_GEOMETRY=ReserveButton,ConfirmButton`` in the environment, the
app logs ``geometry ReserveButton x=… y=… w=… h=…`` (global screen pixels) when a widget
with one of those object names is painted somewhere it was not logged at before, and
again when its window moves or is resized. Painted: the window is on the screen and in
its place, so a click there lands on the widget. The real-window end-to-end test
(``tests/e2e/test_real_window.py``) reads these lines to know where a finger would tap.
Without the variable nothing is installed. Object names only: never any text.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

ENV = "CLIENTELING_DEBUG_GEOMETRY"

log = logging.getLogger("clienteling.ui.debug")

_WINDOW_EVENTS = {QEvent.Type.Move, QEvent.Type.Resize}
_LOGGED = "debugGeometryLogged"  # a property on the widget: where it was last logged


class GeometryLogger(QObject):
    def __init__(self, names: set[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names = names

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint and watched.objectName() in self.names:
            assert isinstance(watched, QWidget)
            self._log(watched)
        elif kind in _WINDOW_EVENTS and isinstance(watched, QWidget) and watched.isWindow():
            for name in self.names:
                for child in watched.findChildren(QWidget, name):
                    if child.property(_LOGGED):  # painted before: it moved with its window
                        self._log(child)
        return False

    @staticmethod
    def _log(widget: QWidget) -> None:
        if not widget.isVisible():
            return
        top_left = widget.mapToGlobal(widget.rect().topLeft())
        where = f"x={top_left.x()} y={top_left.y()} w={widget.width()} h={widget.height()}"
        if widget.property(_LOGGED) != where:
            widget.setProperty(_LOGGED, where)
            log.info("geometry %s %s", widget.objectName(), where)


def install(app: QApplication) -> GeometryLogger | None:
    """The logger on the whole application when ``CLIENTELING_DEBUG_GEOMETRY`` names
    widgets; ``None`` (nothing installed) otherwise."""
    names = {n.strip() for n in os.environ.get(ENV, "").split(",") if n.strip()}
    if not names:
        return None
    geometry = GeometryLogger(names, app)
    app.installEventFilter(geometry)
    return geometry
