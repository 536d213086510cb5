"""The kiosk forgets a shopper who walked away.

``KioskIdleGuard`` is an event filter on the whole application: a key press, a tap, a
touch or a wheel turn restarts its named timer ``kioskIdleTimer``
(``settings.kiosk_idle_timeout_s``). When it runs out while a session is open, the guard
asks "Are you still there?" for ``countdown_s`` seconds (``kioskCountdownTimer`` ticks
once a second; ``StillThereStrip`` shows it); any input answers yes. When the countdown
ends, ``expired()`` fires and the shell wipes the session.

Signals:
    countdownStarted(int): seconds left
    countdownTick(int): seconds left
    countdownCancelled()
    expired()
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from app.kiosk.common import kbutton, klabel

COUNTDOWN_S = 10

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}


class KioskIdleGuard(QObject):
    countdownStarted = Signal(int)
    countdownTick = Signal(int)
    countdownCancelled = Signal()
    expired = Signal()

    def __init__(
        self,
        timeout_ms: int,
        session_open: Callable[[], bool],
        parent: QObject | None = None,
        *,
        countdown_s: int = COUNTDOWN_S,
    ) -> None:
        super().__init__(parent)
        self.session_open = session_open
        self.countdown_s = countdown_s
        self.left = 0
        self.timer = QTimer(self)
        self.timer.setObjectName("kioskIdleTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, timeout_ms))
        self.timer.timeout.connect(self._on_idle)
        self.tick = QTimer(self)
        self.tick.setObjectName("kioskCountdownTimer")
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._on_tick)

    @property
    def counting(self) -> bool:
        return self.tick.isActive()

    def restart(self) -> None:
        """Someone is here: start the wait over (and end a countdown on screen)."""
        if self.counting:
            self.tick.stop()
            self.countdownCancelled.emit()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.counting:
            self.tick.stop()
            self.countdownCancelled.emit()

    def _on_idle(self) -> None:
        if not self.session_open():
            return  # nothing on screen to forget: wait for the next touch
        self.left = self.countdown_s
        self.tick.start()
        self.countdownStarted.emit(self.left)

    def _on_tick(self) -> None:
        self.left -= 1
        if self.left > 0:
            self.countdownTick.emit(self.left)
            return
        self.tick.stop()
        self.expired.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.restart()
        return False


class StillThereStrip(QFrame):
    """ "Are you still there?" with the seconds left and an "I'm still here" button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StillThere")
        row = QHBoxLayout(self)
        row.setContentsMargins(32, 16, 24, 16)
        row.setSpacing(24)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        self.title = klabel(self.tr("Are you still there?"), "title")
        self.title.setObjectName("StillThereTitle")
        self.text = klabel("", "body", wrap=True)
        self.text.setObjectName("StillThereText")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        texts.addWidget(self.title)
        texts.addWidget(self.text)
        texts.addWidget(self.bar)
        row.addLayout(texts, 1)
        self.stay = kbutton(self.tr("I'm still here"), "primary", big=True, name="StillHereButton")
        self.stay.setMinimumWidth(260)
        row.addWidget(self.stay, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def start(self, seconds: int) -> None:
        self.bar.setRange(0, seconds)
        self.set_left(seconds)
        self.show()
        self.raise_()

    def set_left(self, seconds: int) -> None:
        self.bar.setValue(seconds)
        text = (
            self.tr("To keep your details private, this screen clears in 1 second.")
            if seconds == 1
            else self.tr("To keep your details private, this screen clears in {n} seconds.").format(
                n=seconds
            )
        )
        self.text.setText(text)
