"""The moment the first window is on the screen, and the flag that quits there.

``FirstPaint(window)`` emits ``painted()`` once, just after the first paint of ``window``
(any widget of it) has been drawn and flushed: it watches the application's events for
the first ``Paint`` of a widget in that window, then waits one zero-timer turn, so the
whole paint pass (every widget of the window, then the flush to the screen) is done.
The start-up (``app.gui``) begins its heavy work there, after the window is up.

``clienteling --quit-after-first-window``, or ``CLIENTELING_QUIT_AFTER_FIRST_WINDOW=1``
(read by ``app.__main__``), makes the app exit with status 0 at that moment, before the cache, the keyring or the
network are touched: the time of the whole process is then the time to the first window
(``tests/benchmarks/startup_bench.py`` compares it with a bare PySide6 window).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Signals: ``painted()`` once, after the first paint of ``window`` was flushed."""

    painted = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._seen = False
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._seen
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._seen = True
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            QTimer.singleShot(0, self.painted.emit)  # after the rest of this paint pass
        return False
