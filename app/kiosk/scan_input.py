"""``ScanInput``: the kiosk's app-wide key filter for a keyboard-wedge scanner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from app.kiosk.identify import LOYALTY_DIGITS

if TYPE_CHECKING:
    from app.kiosk.shell import KioskShell


class ScanInput(QObject):
    """App-wide key filter: on the welcome screen, digits, Backspace and Return go to the
    loyalty number whatever has the focus (a scanner types where it likes). Ctrl+Alt+
    Shift+Q opens the IT exit anywhere."""

    def __init__(self, shell: KioskShell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.buffer = ""  # digits scanned away from the welcome screen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.shell.isVisible():
            return False
        assert isinstance(event, QKeyEvent)
        mods = event.modifiers()
        combo = (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.ShiftModifier
        )
        if event.key() == Qt.Key.Key_Q and (mods & combo) == combo:
            self.shell.it_strip.open()
            return True
        if self.shell.it_strip.isVisible():
            return False
        if self.shell.pages.currentWidget() is self.shell.signup:
            return False  # a shopper signing up types their name, email and phone
        if self.shell.pages.currentWidget() is not self.shell.welcome:
            return self._elsewhere(event)
        # no auto-repeat filter: X flags a press as auto-repeat when it comes in the same
        # millisecond as the release of the same key, as a fast scanner's "000" does
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.shell.welcome.submit()
            return True
        if key == Qt.Key.Key_Backspace:
            self.shell.welcome.backspace()
            return True
        if event.text() and event.text().isdigit():
            self.shell.welcome.type_text(event.text())
            return True
        return False

    def _elsewhere(self, event: QKeyEvent) -> bool:
        """Another card scanned while a shopper's screen is open: the next shopper is
        here. Their 12 digits and Return end this session and look the new one up."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            number, self.buffer = self.buffer, ""
            if len(number) == LOYALTY_DIGITS:
                self.shell.end_session("next")
                self.shell.welcome.type_text(number)
                self.shell.welcome.submit()
                return True
            return False
        if event.text() and event.text().isdigit():
            self.buffer = (self.buffer + event.text())[-LOYALTY_DIGITS:]
            return True
        return False
