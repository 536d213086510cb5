"""Sign-in: staff id and PIN on a large keypad.

``SignInPage(authenticate=None)`` where ``authenticate(staff_id, pin)`` is an awaitable
(``sync.auth.SignIn.sign_in``: online through central, offline against this device's own
verifier, made at an earlier online sign-in here). PINs are 4 to 8 digits. The page shows
what went wrong in words: a wrong PIN, an unknown staff id, no online sign-in on this
device yet, a lock-out after too many tries with the minutes left.

Signals: ``signedIn(object)`` with the ``StaffSession``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.widgets.brand import show_logo
from app.widgets.common import Card, label
from app.widgets.keypad import Keypad
from sync.errors import CacheError, SignInError, SyncError
from sync.logs import describe_exception

if TYPE_CHECKING:  # sync.auth brings HTTP and the cache: not needed for the first window
    from sync.auth import StaffSession

log = logging.getLogger("clienteling.ui")

Authenticate = Callable[[str, str], Coroutine[Any, Any, "StaffSession"]]
STAFF_PREFIXES = ("A",)  # staff ids are a letter and digits: A1001


def minutes_left(exc: SignInError) -> int | None:
    """Minutes until a lock-out ends, if the error says (``locked_until`` or seconds)."""
    until = getattr(exc, "locked_until", None)
    if isinstance(until, str):
        try:
            end = datetime.strptime(until[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            return None
        seconds = (end - datetime.now(UTC)).total_seconds()
        return max(1, math.ceil(seconds / 60))
    if isinstance(until, datetime):
        seconds = (until - datetime.now(UTC)).total_seconds()
        return max(1, math.ceil(seconds / 60))
    for name in ("retry_after", "seconds_left", "locked_for_s"):
        value = getattr(exc, name, None)
        if isinstance(value, int | float) and value > 0:
            return max(1, math.ceil(value / 60))
    return None


class SignInPage(QWidget):
    signedIn = Signal(object)

    def __init__(
        self, authenticate: Authenticate | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SignInPage")
        self.authenticate = authenticate
        # staff_id -> known on this tablet? Lets the keypad alone sign in: "1001" is
        # read as "A1001" when only that one exists (set by the main window).
        self.known_staff: Callable[[str], bool] | None = None
        self.busy = False

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        # left: the brand panel
        brand = QFrame()
        brand.setObjectName("Header")  # pine background and white text from the theme
        brand.setMinimumWidth(380)
        brand_layout = QVBoxLayout(brand)
        brand_layout.setContentsMargins(48, 48, 48, 48)
        brand_layout.setSpacing(12)
        logo = QLabel()
        if not show_logo(logo, 56, on_dark=True):
            logo.setProperty("role", "display")
        brand_layout.addWidget(logo)
        brand_layout.addStretch(1)
        hello = label(self.tr("Good to see you."), "display")
        hello.setWordWrap(True)
        brand_layout.addWidget(hello)
        blurb = label(
            self.tr(
                "Sign in with your staff id and PIN to look up shoppers, check stock, "
                "reserve and order."
            ),
        )
        blurb.setWordWrap(True)
        brand_layout.addWidget(blurb)
        brand_layout.addSpacing(16)
        self.store_name = label("", "muted")
        self.store_name.setObjectName("SignInStoreName")
        brand_layout.addWidget(self.store_name)
        row.addWidget(brand, 2)

        # right: the form
        form_side = QWidget()
        form_side.setObjectName("Page")
        side = QVBoxLayout(form_side)
        side.setContentsMargins(40, 24, 40, 24)
        side.addStretch(1)
        card = Card()
        card.setFixedWidth(440)
        form = QVBoxLayout(card)
        form.setContentsMargins(32, 24, 32, 24)
        form.setSpacing(8)
        form.addWidget(label(self.tr("Sign in"), "title"))
        form.addSpacing(4)
        form.addWidget(label(self.tr("Staff id"), "muted"))
        self.staff_field = QLineEdit()
        self.staff_field.setObjectName("StaffIdField")
        self.staff_field.setPlaceholderText(self.tr("e.g. A1001, or just 1001"))
        self.staff_field.setMaxLength(32)
        self.staff_field.setMinimumHeight(theme.TOUCH_MIN_PX)
        self.staff_field.returnPressed.connect(self._staff_done)
        form.addWidget(self.staff_field)
        form.addWidget(label(self.tr("PIN"), "muted"))
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("PinField")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(8)
        # digits only: a letter typed on a keyboard does nothing
        self.pin_field.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self.pin_field)
        )
        self.pin_field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin_field.setMinimumHeight(theme.TOUCH_MIN_PX + 8)
        self.pin_field.returnPressed.connect(self.submit)
        form.addWidget(self.pin_field)
        self.error = label("", "error")
        self.error.setObjectName("SignInError")
        self.error.setWordWrap(True)
        self.error.setMinimumHeight(44)
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addWidget(self.error)
        self.keypad = Keypad(self.tr("Sign in"))
        self.keypad.setObjectName("SignInKeypad")
        self.keypad.target = self.pin_field
        self.keypad.submitted.connect(self.submit)
        form.addWidget(self.keypad)
        side.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addStretch(1)
        row.addWidget(form_side, 3)

        self.staff_field.installEventFilter(self)
        self.pin_field.installEventFilter(self)

    # the keypad types into whichever field was last touched
    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FocusIn and watched in (self.staff_field, self.pin_field):
            self.keypad.target = watched
        return False

    def set_store_name(self, name: str) -> None:
        self.store_name.setText(name)

    def reset(self) -> None:
        self.pin_field.clear()
        self.staff_field.clear()
        self.error.clear()
        self._set_busy(False)

    def focus_first(self) -> None:
        self.staff_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_notice(self, text: str) -> None:
        self.error.setText(text)

    def _staff_done(self) -> None:
        self.pin_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.keypad.action.setEnabled(not busy)
        self.keypad.action.setText(self.tr("Checking…") if busy else self.tr("Sign in"))

    def submit(self) -> None:
        if self.busy or self.authenticate is None:
            return
        staff_id = self.staff_field.text().strip().upper()
        pin = self.pin_field.text().strip()
        staff_id = self._complete_staff_id(staff_id)
        if not staff_id:
            self.error.setText(self.tr("Enter your staff id first."))
            self.staff_field.setFocus()
            return
        if not pin.isdigit() or not 4 <= len(pin) <= 8:
            self.error.setText(self.tr("Your PIN is 4 to 8 digits."))
            self.pin_field.setFocus()
            return
        self.error.clear()
        self._set_busy(True)
        from app.background import spawn  # asyncio: after the first window (app.gui)

        spawn(self.authenticate(staff_id, pin), success=self._on_success, failure=self._on_failure)

    def _complete_staff_id(self, staff_id: str) -> str:
        if not staff_id.isdigit() or self.known_staff is None:
            return staff_id
        try:
            if self.known_staff(staff_id):
                return staff_id
            for prefix in STAFF_PREFIXES:
                if self.known_staff(prefix + staff_id):
                    return prefix + staff_id
        except CacheError:  # a convenience, never a reason to fail sign-in
            log.warning("staff id look-up failed", exc_info=True)
        return staff_id

    def _on_success(self, session: StaffSession) -> None:
        self._set_busy(False)
        self.pin_field.clear()
        self.error.clear()
        self.signedIn.emit(session)

    def _on_failure(self, exc: SyncError) -> None:
        self._set_busy(False)
        self.pin_field.clear()
        message = exc.message
        if not isinstance(exc, SignInError):
            log.warning("sign-in failed: %s", describe_exception(exc))
            message = self.tr("Sign-in didn't work just now; try again.")
        elif exc.reason == "locked":
            minutes = minutes_left(exc)
            if minutes is not None:
                message = self.tr(
                    "Too many wrong PINs. Sign-in is locked for %n more minute(s).", "", minutes
                )
        self.error.setText(message)
        self.pin_field.setFocus(Qt.FocusReason.OtherFocusReason)
