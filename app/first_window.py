"""The moment the first window is on the screen, and the flag that quits there.

``FirstPaint(window)`` emits ``painted()`` once, just after the first paint of ``window``
has been drawn and flushed: it watches the window's own events for its first ``Paint``
(a window is painted before its children, in one pass), then waits one zero-timer turn,
so the whole paint pass (every widget of the window, then the flush to the screen) is
done. The start-up (``app.gui``) begins its heavy work there, after the window is up.

It watches the window alone, not the whole application: an application-wide event
filter hands Python every event of every object, and the first object of a class that
PySide6 does not know by name (a private Qt class such as ``QAnimationTimer``) makes it
load every lazily loaded class of QtWidgets with its enums, about 20 ms of a start.

``clienteling --quit-after-first-window``, or ``CLIENTELING_QUIT_AFTER_FIRST_WINDOW=1``
(read by ``app.__main__``), makes the app exit with status 0 at that moment, before the cache, the keyring or the
network are touched: the time of the whole process is then the time to the first window
(``tests/benchmarks/startup_bench.py`` compares it with a bare PySide6 window).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Signals: ``painted()`` once, after the first paint of ``window`` was flushed."""

    painted = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self.painted.emit)  # after the rest of this paint pass
        return False
