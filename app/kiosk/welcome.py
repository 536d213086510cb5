"""The kiosk's welcome screen: "Scan your loyalty card or type your loyalty number".

A big branded panel on the left, the number field and a large keypad on the right. A
keyboard-wedge scanner types digits and Return wherever the focus is: the shell sends
those keys here (``type_key``), so a scan works without tapping the field first.

Signals: ``submitted(str)``: 12 digits, ready to look up; ``signUpRequested()``: "New here?
Sign up" (``app.kiosk.signup``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionFrame,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.kiosk.common import Notice, kbutton, klabel
from app.kiosk.identify import LOYALTY_DIGITS, clean_number
from app.widgets.brand import show_logo
from app.widgets.common import Card, repolish
from app.widgets.keypad import Keypad


def grouped(digits: str) -> str:
    """``123456789012`` -> ``1234 5678 9012`` (how the number is printed on the card)."""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


class NumberField(QLineEdit):
    """The loyalty number's field: never narrower than its placeholder in the kiosk's
    big type (the type comes from the kiosk stylesheet, so it is measured when asked)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        inner = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        frame = self.width() - inner.width() if self.width() > inner.width() else 32
        text = self.fontMetrics().horizontalAdvance(self.placeholderText())
        return QSize(max(hint.width(), text + frame + 8), hint.height())


class WelcomePage(QWidget):
    submitted = Signal(str)
    signUpRequested = Signal()

    def __init__(self, store_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskPage")
        self.digits = ""
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 20, 48, 20)
        outer.setSpacing(48)

        # left: who we are and what to do
        left = QVBoxLayout()
        left.setSpacing(18)
        left.addStretch(1)
        self.logo = QLabel()
        self.logo.setObjectName("WelcomeLogo")
        if not show_logo(self.logo, 96):
            self.logo.setProperty("kiosk", "hero")
        left.addWidget(self.logo)
        left.addSpacing(12)
        self.headline = klabel(self.tr("Welcome! See your cart and wishlist"), "hero", wrap=True)
        self.headline.setObjectName("WelcomeHeadline")
        left.addWidget(self.headline)
        self.instruction = klabel(
            self.tr("Scan your loyalty card or type your loyalty number"), "lead", wrap=True
        )
        self.instruction.setObjectName("WelcomeInstruction")
        left.addWidget(self.instruction)
        scan_row = QHBoxLayout()
        scan_row.setSpacing(16)
        scan_icon = QLabel()
        scan_icon.setPixmap(theme.icon_pixmap("qr", "primary", 56))
        scan_row.addWidget(scan_icon, 0, Qt.AlignmentFlag.AlignTop)
        scan_text = klabel(
            self.tr(
                "Hold the QR code on your card or in the Harbour & Pine app under the scanner."
            ),
            "muted",
            wrap=True,
        )
        scan_row.addWidget(scan_text, 1)
        left.addLayout(scan_row)
        self.sign_up = kbutton(
            self.tr("New here? Sign up"), "secondary", "plus", name="KioskSignUpButton"
        )
        self.sign_up.clicked.connect(self.signUpRequested.emit)
        left.addWidget(self.sign_up, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)
        privacy = klabel(
            self.tr(
                "Your privacy matters: this screen only shows your first name, and it "
                "clears itself when you walk away. Kiosk at {store}."
            ).format(store=store_name),
            "small",
            wrap=True,
        )
        privacy.setObjectName("WelcomePrivacy")
        left.addWidget(privacy)
        outer.addLayout(left, 11)

        # right: the number and the keypad
        self.card = Card()
        self.card.setObjectName("WelcomeCard")
        self.card.setMaximumWidth(560)
        self.column = column = QVBoxLayout(self.card)
        column.setContentsMargins(28, 22, 28, 22)
        column.setSpacing(12)
        column.addWidget(klabel(self.tr("Your loyalty number"), "h2"))
        self.field = NumberField()
        self.field.setObjectName("LoyaltyField")
        self.field.setReadOnly(True)  # typed through the keypad or the scanner (type_key)
        self.field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.field.setPlaceholderText("0000 0000 0000")
        self.field.setAccessibleName(self.tr("Your loyalty number"))
        column.addWidget(self.field)
        self.hint = klabel(self.tr("12 digits, printed under the QR code."), "muted", wrap=True)
        self.hint.setObjectName("LoyaltyHint")
        column.addWidget(self.hint)
        self.notice = Notice()
        column.addWidget(self.notice)
        self.keypad = Keypad(self.tr("Show my items"))
        self.keypad.action.setIcon(theme.icon("chevron-right", "text_on_primary", 28))
        self.keypad.action.setIconSize(QSize(28, 28))
        self.keypad.action.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.keypad.setObjectName("KioskKeypad")
        self.keypad.keys["delete"].setIconSize(QSize(34, 34))
        # a phone's layout: 0 in the middle, delete on the right, the action on its own row
        grid: Any = self.keypad.layout()
        delete, zero = self.keypad.keys["delete"], self.keypad.keys["0"]
        for widget in (delete, zero, self.keypad.action):
            grid.removeWidget(widget)
        grid.addWidget(zero, 3, 1)
        grid.addWidget(delete, 3, 2)
        grid.addWidget(self.keypad.action, 4, 0, 1, 3)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        self.keypad.digit.connect(self.type_digit)
        self.keypad.backspace.connect(self.backspace)
        self.keypad.submitted.connect(self.submit)
        column.addWidget(self.keypad, 1)
        outer.addWidget(self.card, 9, Qt.AlignmentFlag.AlignVCenter)
        self._refresh()

    def resizeEvent(self, event: Any) -> None:
        """Tighter gaps on a short screen, so the message and the whole keypad fit."""
        super().resizeEvent(event)
        short = self.height() < 700
        self.column.setContentsMargins(28, 14 if short else 22, 28, 14 if short else 22)
        self.column.setSpacing(8 if short else 12)
        grid = self.keypad.layout()
        if grid is not None:
            grid.setSpacing(8 if short else 10)

    # -- typing --------------------------------------------------------------------
    def type_digit(self, digit: str) -> None:
        if len(self.digits) < LOYALTY_DIGITS and digit.isdigit():
            self.digits += digit
            self._refresh()

    def backspace(self) -> None:
        self.digits = self.digits[:-1]
        self._refresh()

    def type_text(self, text: str) -> None:
        """What a scanner typed (digits are kept; anything else is ignored)."""
        for digit in clean_number(text):
            self.type_digit(digit)

    def submit(self) -> None:
        if len(self.digits) != LOYALTY_DIGITS:
            self.show_error(self.tr("A loyalty number has 12 digits. Please check it."))
            return
        self.submitted.emit(self.digits)

    def _refresh(self) -> None:
        self.field.setText(grouped(self.digits))
        self.keypad.action.setEnabled(bool(self.digits))
        if self.field.property("invalid"):
            self.field.setProperty("invalid", False)
            repolish(self.field)
        if self.digits and self.notice.property("kind") == "error":
            self.notice.clear()
            self.hint.show()

    # -- feedback ------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.field.setProperty("invalid", True)
        repolish(self.field)
        self._notify("error", text)

    def _notify(self, kind: str, text: str) -> None:
        self.hint.hide()  # the message takes the hint's place
        self.notice.show_message(kind, text)

    def set_busy(self, busy: bool) -> None:
        self.keypad.setEnabled(not busy)
        if busy:
            self._notify("info", self.tr("Looking up your card…"))
        elif self.notice.property("kind") == "info":
            self.notice.clear()
            self.hint.show()

    def reset(self) -> None:
        """Back to an empty field with no message (the session was wiped)."""
        self.digits = ""
        self.notice.clear()
        self.hint.show()
        self.keypad.setEnabled(True)
        self._refresh()
        if self.field.property("invalid"):
            self.field.setProperty("invalid", False)
            repolish(self.field)

    def clear_number(self) -> None:
        """The number is forgotten after a look-up, whatever its outcome."""
        self.digits = ""
        self.field.setText("")
        self.keypad.action.setEnabled(False)
