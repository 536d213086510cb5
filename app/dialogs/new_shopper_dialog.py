"""A new shopper signed up at the tablet: ``open_new_shopper_dialog(ctx, parent, ...)``.

First and last name, email and mobile (one at least), a box per channel with the words
the shopper agrees to beside it (``CONSENT_WORDING``: recorded with the time and the
signed-in associate), sizes if they like. "Sign up" writes ``create_shopper`` through
``ctx.commands``; each problem shows at its field and nothing is written. Done, the
dialog closes and ``created(shopper_id)`` opens the new profile (pending until central
confirms it and issues the loyalty number). Opens with ``open()``: nobody waits on it.

Signals:
    created(str): the new shopper's id, once the sign-up is safely in the outbox
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.dialogs.base import CommandDialog
from app.widgets.common import TouchButton, label
from sync.rules.shoppers import CONSENT_WORDING

if TYPE_CHECKING:
    from app.context import AppContext

FIELD_HEIGHT = 52
CHANNELS = (("email", "Email"), ("sms", "Text messages"), ("whatsapp", "WhatsApp"))
TOPS = ("XS", "S", "M", "L", "XL", "XXL")
SHOES = tuple(str(n) for n in range(35, 48))
BOTTOMS = tuple(str(n) for n in range(24, 42, 2))


class ConsentRow(QWidget):
    """One channel: a touch-sized Yes/No toggle beside the words agreed to (tapping the
    words toggles it too)."""

    def __init__(self, channel: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"Consent_{channel}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        self.toggle = TouchButton("", "segment")
        self.toggle.setObjectName(f"ConsentToggle_{channel}")
        self.toggle.setFixedWidth(112)
        self.toggle.setAccessibleName(title)
        self.toggle.toggled.connect(self._show)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(label(title, "h2"))
        self.wording = label(CONSENT_WORDING[channel], "muted")
        self.wording.setObjectName(f"ConsentWording_{channel}")
        self.wording.setWordWrap(True)
        words.addWidget(self.wording)
        row.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        self._show(False)

    def _show(self, on: bool) -> None:
        self.toggle.setText(self.tr("✓ Yes") if on else self.tr("No"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.toggle.toggle()
        event.accept()

    def agreed(self) -> bool:
        return self.toggle.isChecked()


def _line(name: str, hint: str, what: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(hint)
    edit.setMinimumHeight(FIELD_HEIGHT)
    edit.setAccessibleName(what)
    return edit


def _sizes(name: str, choices: tuple[str, ...], what: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.setMinimumHeight(FIELD_HEIGHT)
    box.setMinimumWidth(120)
    box.setAccessibleName(what)
    box.addItem("—", None)
    for choice in choices:
        box.addItem(choice, choice)
    return box


def open_new_shopper_dialog(
    ctx: AppContext, parent: QWidget | None, *, typed: str = ""
) -> NewShopperDialog:
    """Open the sign-up dialog (names, email or phone prefilled from ``typed``, what was
    searched for) and return at once."""
    dialog = NewShopperDialog(ctx, parent, typed=typed)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class NewShopperDialog(CommandDialog):
    created = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, typed: str = "") -> None:
        super().__init__(self.tr("New shopper"), parent)
        self.setObjectName("NewShopperDialog")
        self.ctx = ctx
        self.resize(820, 720)
        self.confirm_button.setText(self.tr("Sign up"))
        self.confirm_button.clicked.connect(self.submit)

        names = QHBoxLayout()
        names.setSpacing(16)
        self.first_name = _line("FirstName", self.tr("e.g. Aoife"), self.tr("First name"))
        self.last_name = _line("LastName", self.tr("e.g. Byrne"), self.tr("Last name"))
        self.add_field("first_name", self.tr("First name"), self.first_name, into=names)
        self.add_field("last_name", self.tr("Last name"), self.last_name, into=names)
        self.form.addLayout(names)
        contact = QHBoxLayout()
        contact.setSpacing(16)
        self.email = _line("Email", self.tr("name@example.com"), self.tr("Email"))
        self.phone = _line("Phone", self.tr("087 123 4567"), self.tr("Mobile"))
        self.add_field("email", self.tr("Email"), self.email, into=contact)
        self.add_field("phone", self.tr("Mobile"), self.phone, into=contact)
        self.form.addLayout(contact)
        self.form.addWidget(label(self.tr("An email or a mobile number, one at least."), "muted"))
        for edit, name in (
            (self.first_name, "first_name"),
            (self.last_name, "last_name"),
            (self.email, "email"),
            (self.phone, "phone"),
        ):
            edit.textChanged.connect(lambda _t, n=name: self.clear_error(n))
        self._prefill(typed)

        consent = QWidget()
        column = QVBoxLayout(consent)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        self.consent = {channel: ConsentRow(channel, self.tr(title)) for channel, title in CHANNELS}
        for row in self.consent.values():
            column.addWidget(row)
        self.add_field(
            "consent",
            self.tr("What may we send them?"),
            consent,
            self.tr("Read each sentence to the shopper; tap Yes only when they agree."),
        )

        sizes = QHBoxLayout()
        sizes.setContentsMargins(0, 0, 0, 0)
        sizes.setSpacing(16)
        self.shoes = _sizes("SizeShoes", SHOES, self.tr("Shoe size"))
        self.tops = _sizes("SizeTops", TOPS, self.tr("Tops size"))
        self.bottoms = _sizes("SizeBottoms", BOTTOMS, self.tr("Bottoms size"))
        for box, title in (
            (self.shoes, self.tr("Shoes (EU)")),
            (self.tops, self.tr("Tops")),
            (self.bottoms, self.tr("Bottoms (waist)")),
        ):
            column_box = QVBoxLayout()
            column_box.setSpacing(6)
            column_box.addWidget(label(title, "muted"))
            column_box.addWidget(box)
            sizes.addLayout(column_box)
        sizes.addStretch(1)
        holder = QWidget()
        holder.setLayout(sizes)
        self.add_field("sizes", self.tr("Sizes (optional)"), holder)
        self.form.addStretch(1)
        self.first_name.setFocus()

    def _prefill(self, typed: str) -> None:
        """What the associate searched for goes where it belongs."""
        text = typed.strip()
        if not text:
            return
        if "@" in text:
            self.email.setText(text)
        elif any(ch.isdigit() for ch in text):
            self.phone.setText(text)
        else:
            first, _, last = text.partition(" ")
            self.first_name.setText(first.capitalize() if first.islower() else first)
            self.last_name.setText(last.title() if last.islower() else last)

    def submit(self) -> None:
        entry = self.write(
            lambda: self.ctx.commands.create_shopper(
                first_name=self.first_name.text(),
                last_name=self.last_name.text(),
                email=self.email.text(),
                phone=self.phone.text(),
                consent={channel: row.agreed() for channel, row in self.consent.items()},
                sizes={
                    "shoes": self.shoes.currentData(),
                    "tops": self.tops.currentData(),
                    "bottoms": self.bottoms.currentData(),
                },
                important_dates=(),
            )
        )
        if entry is None:
            return
        shopper_id = str(entry.args["shopper_id"])
        self.ctx.messages.success(
            self.tr(
                "{name} is signed up; their loyalty number comes when central confirms."
            ).format(name=f"{self.first_name.text().strip()} {self.last_name.text().strip()}"),
            log_text="shopper signed up",
        )
        self.created.emit(shopper_id)
        self.accept()
