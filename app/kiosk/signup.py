"""Sign up at the kiosk: a shopper makes their own record, privately, online or offline.

``SignUpPanel`` asks for first and last name, email and/or mobile (one at least), and a
Yes/No per channel with the words agreed to beside it (``CONSENT_WORDING``; the kiosk is
recorded as who captured it). "Sign me up" writes ``create_shopper`` through
``ctx.commands``; a problem shows at its field and nothing is written. Done, the panel
empties every field at once (nothing the shopper typed stays on screen) and
``signedUp(KioskShopper)`` hands the shell what the kiosk shows of them (the first name,
no contact): their session starts with the new record, pending until central accepts it
and issues their loyalty number. ``clear()`` (Cancel, Done, idle) wipes it too.

Signals:
    signedUp(object, str): the new shopper's ``wire.KioskShopper`` (first name only) and
        the id of the queued ``create_shopper``
    cancelled(): back to the welcome screen
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.dialogs.new_shopper_dialog import CHANNELS, ConsentRow
from app.kiosk.common import kbutton, klabel
from app.widgets.common import Card, repolish
from sync import wire
from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui.kiosk")

FIELDS = (
    ("first_name", "First name", "SignUpFirstName"),
    ("last_name", "Last name", "SignUpLastName"),
    ("email", "Email", "SignUpEmail"),
    ("phone", "Mobile", "SignUpPhone"),
)


class SignUpPanel(QWidget):
    signedUp = Signal(object, str)
    cancelled = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskPage")
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 16, 32, 16)
        self.card = Card()
        self.card.setObjectName("SignUpCard")
        self.card.setMaximumWidth(1400)
        outer.addWidget(self.card, 1)

        # left: who they are; right: what they agree to, and the buttons
        sides = QHBoxLayout(self.card)
        sides.setContentsMargins(28, 18, 28, 18)
        sides.setSpacing(32)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(klabel(self.tr("Join our loyalty club"), "title", wrap=True))
        left.addWidget(
            klabel(
                self.tr(
                    "Your details stay private: after you sign up, this screen shows only "
                    "your first name. An email or a mobile number, one at least."
                ),
                "muted",
                wrap=True,
            )
        )
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for name, title, object_name in FIELDS:
            left.addWidget(klabel(self.tr(title), "h2"))
            edit = QLineEdit()
            edit.setObjectName(object_name)
            edit.setMinimumHeight(56)
            edit.setAccessibleName(self.tr(title))
            edit.textChanged.connect(lambda _t, n=name: self._clear_error(n))
            left.addWidget(edit)
            error = klabel("", "error", wrap=True)
            error.setObjectName(f"SignUpError_{name}")
            error.hide()
            left.addWidget(error)
            self.edits[name], self.errors[name] = edit, error
        self.edits["email"].setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.edits["phone"].setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        left.addStretch(1)
        sides.addLayout(left, 1)

        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(klabel(self.tr("What may we send you?"), "h2"))
        self.consent = {channel: ConsentRow(channel, self.tr(title)) for channel, title in CHANNELS}
        for consent_row in self.consent.values():
            right.addWidget(consent_row)
        self.general = klabel("", "error", wrap=True)
        self.general.setObjectName("SignUpError")
        self.general.hide()
        right.addWidget(self.general)
        right.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        self.cancel_button = kbutton(self.tr("Cancel"), "secondary", name="SignUpCancel")
        self.cancel_button.clicked.connect(self._cancel)
        self.submit_button = kbutton(
            self.tr("Sign me up"), "primary", big=True, name="SignUpSubmit"
        )
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.cancel_button, 1)
        buttons.addWidget(self.submit_button, 2)
        right.addLayout(buttons)
        sides.addLayout(right, 1)

    def start(self) -> None:
        self.clear()
        self.edits["first_name"].setFocus()

    def field_error(self, name: str) -> str:
        error = self.errors[name]
        return "" if error.isHidden() else error.text()

    def _clear_error(self, name: str) -> None:
        self.errors[name].hide()
        edit = self.edits[name]
        if edit.property("invalid"):
            edit.setProperty("invalid", False)
            repolish(edit)

    def _show_errors(self, errors: dict[str, str]) -> None:
        general = []
        for name, sentence in errors.items():
            if name in self.errors:
                self.errors[name].setText(sentence)
                self.errors[name].show()
                self.edits[name].setProperty("invalid", True)
                repolish(self.edits[name])
            else:
                general.append(sentence)
        self.general.setText(" ".join(general))
        self.general.setVisible(bool(general))

    def submit(self) -> None:
        for name in self.errors:
            self._clear_error(name)
        self.general.hide()
        typed = {name: edit.text() for name, edit in self.edits.items()}
        agreed = {channel: row.agreed() for channel, row in self.consent.items()}
        try:
            entry = self.ctx.commands.create_shopper(
                first_name=typed["first_name"],
                last_name=typed["last_name"],
                email=typed["email"],
                phone=typed["phone"],
                consent=agreed,
                sizes=None,
                important_dates=(),
            )
        except InvalidInput as exc:
            self._show_errors(exc.errors)
            return
        except CacheError as exc:
            self._show_errors({"": exc.message})
            return
        shopper = wire.KioskShopper(
            id=str(entry.args["shopper_id"]),
            first_name=str(entry.args["first_name"]),
            tier="bronze",
            points=0,
            notify_by="sms" if agreed.get("sms") else "email" if agreed.get("email") else "none",
            cart_version=0,
        )
        self.clear()  # nothing the shopper typed stays on screen
        log.info("kiosk: a shopper signed up")
        self.signedUp.emit(shopper, entry.id)

    def _cancel(self) -> None:
        self.clear()
        self.cancelled.emit()

    def clear(self) -> None:
        for name, edit in self.edits.items():
            edit.clear()
            self._clear_error(name)
        for row in self.consent.values():
            row.toggle.setChecked(False)
        self.general.hide()
        self.general.clear()
