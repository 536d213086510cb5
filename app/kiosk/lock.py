"""Keeping a kiosk a kiosk: no closing by shortcut, a hidden exit for IT.

``CloseGuard`` is an event filter on the window: every close request (Alt+F4, the window
manager's close button, Ctrl+Q from a desktop) is ignored until ``unlock()``.

The IT exit: tap the logo 5 times within 4 seconds (or press Ctrl+Alt+Shift+Q on an
attached keyboard) and ``ItExitStrip`` asks for the code the device was enrolled with.
The code itself is gone from the device once enrolled: ``verify`` checks the typed text
against its slow salted hash in the keyring (``sync.device.exit_code_matches``). The right
code unlocks and closes the app; a wrong one says so, and the strip hides itself after 30
seconds.

Signals: ``ItExitStrip.exitConfirmed()``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.kiosk.common import kbutton, klabel

log = logging.getLogger("clienteling.ui.kiosk")

TAPS = 5
TAP_WINDOW_S = 4.0
STRIP_MS = 30_000


class CloseGuard(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.locked = True

    def unlock(self) -> None:
        self.locked = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and self.locked:
            event.ignore()
            log.info("kiosk: a close request was ignored")
            return True
        return False


class TapLogo(QLabel):
    """The logo; ``secretTapped()`` after ``TAPS`` quick taps."""

    secretTapped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.taps: list[float] = []

    def mousePressEvent(self, event: QMouseEvent) -> None:
        now = time.monotonic()
        self.taps = [t for t in self.taps if now - t <= TAP_WINDOW_S] + [now]
        if len(self.taps) >= TAPS:
            self.taps.clear()
            self.secretTapped.emit()
        super().mousePressEvent(event)


class ItExitStrip(QFrame):
    exitConfirmed = Signal()

    def __init__(self, verify: Callable[[str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskNotice")
        self.setProperty("kind", "warning")
        self._verify = verify
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 10, 12, 10)
        row.setSpacing(12)
        self.text = klabel(
            self.tr("IT: enter the enrollment code to leave kiosk mode."), "body", wrap=True
        )
        self.field = QLineEdit()
        self.field.setObjectName("ItExitCode")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMinimumHeight(56)
        self.field.setMinimumWidth(220)
        self.field.returnPressed.connect(self.check)
        self.exit = kbutton(self.tr("Exit kiosk"), "danger", name="ItExitButton")
        self.exit.clicked.connect(self.check)
        self.cancel = kbutton(self.tr("Cancel"), "secondary", name="ItCancelButton")
        self.cancel.clicked.connect(self.close_strip)
        row.addWidget(self.text, 1)
        row.addWidget(self.field)
        row.addWidget(self.exit)
        row.addWidget(self.cancel)
        self.timer = QTimer(self)
        self.timer.setObjectName("kioskItExitTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(STRIP_MS)
        self.timer.timeout.connect(self.close_strip)
        self.hide()

    def open(self) -> None:
        self.field.clear()
        self.show()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.timer.start()

    def check(self) -> None:
        typed = self.field.text()
        self.field.clear()
        if typed and self._verify(typed):
            log.info("kiosk: IT exit")
            self.close_strip()
            self.exitConfirmed.emit()
            return
        log.info("kiosk: wrong IT exit code")
        self.text.setText(self.tr("That code isn't right."))

    def close_strip(self) -> None:
        self.timer.stop()
        self.field.clear()
        self.hide()
