"""Edit a shopper's record: contact, sizes, favourite brands, important dates, saved
addresses (add, remove, default) and marketing consent, with the words shown per channel.

``open_shopper_edit(ctx, parent, shopper_id)`` opens it on the record as this tablet shows
it (its own edits still waiting included). "Save" writes ``update_shopper`` through
``ctx.commands``: only what changed is sent, each problem shows at its field and nothing
is written. The profile shows the edit at once; central merges it field by field with
changes made meanwhile on other channels and the profile says when one was kept.

Signals: ``saved(str)`` with the outbox entry's id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLineEdit, QWidget

from app.dialogs.base import CommandDialog
from app.dialogs.shopper_edit.addresses import AddressList, line_edit
from app.dialogs.shopper_edit.consent import ConsentChoice
from app.widgets.common import label
from sync import wire
from sync.rules import shoppers as rules

if TYPE_CHECKING:
    from app.context import AppContext

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHANNELS = (("email", "Email"), ("sms", "Text messages (SMS)"), ("whatsapp", "WhatsApp"))


def open_shopper_edit(
    ctx: AppContext, parent: QWidget | None, shopper_id: str
) -> ShopperEditDialog | None:
    """Open the edit dialog (None: the shopper is not on this tablet)."""
    shopper = ctx.messages.read(lambda: ctx.cache.shopper_as_shown(shopper_id))
    if shopper is None:
        return None
    dialog = ShopperEditDialog(ctx, shopper, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class DateField(QWidget):
    """Day, month and (optional) year of a date in the shopper's year."""

    def __init__(self, name: str, date: wire.ImportantDate | None) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.day = QComboBox()
        self.day.setObjectName(f"{name}_day")
        self.day.addItem("—", None)
        for d in range(1, 32):
            self.day.addItem(str(d), d)
        self.month = QComboBox()
        self.month.setObjectName(f"{name}_month")
        self.month.addItem("—", None)
        for m, word in enumerate(MONTHS, start=1):
            self.month.addItem(self.tr(word), m)
        self.year = line_edit(f"{name}_year", self.tr("Year (optional)"))
        self.year.setMaxLength(4)
        for combo in (self.day, self.month):
            combo.setMinimumHeight(48)
            combo.setMinimumWidth(96)
            row.addWidget(combo)
        row.addWidget(self.year)
        row.addStretch(1)
        if date is not None:
            self.day.setCurrentIndex(self.day.findData(date.day))
            self.month.setCurrentIndex(self.month.findData(date.month))
            self.year.setText(str(date.year) if date.year else "")

    def value(self, kind: str) -> dict[str, Any] | None:
        day, month = self.day.currentData(), self.month.currentData()
        if day is None and month is None:
            return None
        year = self.year.text().strip()
        return {
            "kind": kind,
            "day": day,
            "month": month,
            "year": int(year) if year.isdigit() else (year or None),
        }


class ShopperEditDialog(CommandDialog):
    saved = Signal(str)

    ALIASES = {
        "consent.email": "consent_email",
        "consent.sms": "consent_sms",
        "consent.whatsapp": "consent_whatsapp",
        "important_dates": "birthday",
        "edits": "",
    }

    def __init__(self, ctx: AppContext, shopper: wire.Shopper, parent: QWidget | None = None):
        name = f"{shopper.first_name} {shopper.last_name}"
        super().__init__(self.tr("Edit {name}").format(name=name), parent)
        self.setObjectName("ShopperEditDialog")
        self.ctx = ctx
        self.shopper = shopper
        self.resize(820, 720)
        self.confirm_button.setText(self.tr("Save changes"))
        self.confirm_button.setObjectName("SaveShopperButton")
        self.confirm_button.clicked.connect(self.submit)
        self._date_order: list[str] = []

        self._section(self.tr("Contact"))
        names = QHBoxLayout()
        names.setSpacing(16)
        self.form.addLayout(names)
        self.first_name = self._edit("first_name", self.tr("First name"), shopper.first_name, names)
        self.last_name = self._edit("last_name", self.tr("Last name"), shopper.last_name, names)
        contacts = QHBoxLayout()
        contacts.setSpacing(16)
        self.form.addLayout(contacts)
        self.email = self._edit("email", self.tr("Email"), shopper.email, contacts)
        self.phone = self._edit("phone", self.tr("Mobile"), shopper.phone, contacts)

        self._section(self.tr("Sizes and brands"))
        sizes = QHBoxLayout()
        sizes.setSpacing(16)
        self.form.addLayout(sizes)
        self.shoes = self._edit("shoes", self.tr("Shoes (EU)"), shopper.sizes.shoes or "", sizes)
        self.tops = QComboBox()
        self.tops.setObjectName("tops")
        self.tops.setMinimumHeight(48)
        self.tops.addItem("—", "")
        for size in rules.TOP_SIZES:
            self.tops.addItem(size, size)
        self.tops.setCurrentIndex(max(0, self.tops.findData(shopper.sizes.tops or "")))
        self.add_field("tops", self.tr("Tops"), self.tops, into=sizes)
        self.bottoms = self._edit(
            "bottoms", self.tr("Waist (in)"), shopper.sizes.bottoms or "", sizes
        )
        self.brands = self._edit(
            "favourite_brands",
            self.tr("Favourite brands"),
            ", ".join(shopper.favourite_brands),
            hint=self.tr("Separate brands with commas."),
        )

        self._section(self.tr("Important dates"))
        dates = {d.kind: d for d in shopper.important_dates}
        self.birthday = DateField("birthday", dates.get("birthday"))
        self.add_field("birthday", self.tr("Birthday"), self.birthday)
        self.anniversary = DateField("anniversary", dates.get("anniversary"))
        self.add_field("anniversary", self.tr("Anniversary"), self.anniversary)

        self._section(self.tr("Saved addresses"))
        self.addresses = AddressList(shopper.addresses)
        self.addresses.set_receiver(f"{shopper.first_name} {shopper.last_name}")
        self.addresses.problems.connect(self._address_problems)
        self.add_field(
            "addresses",
            self.tr("Delivery addresses"),
            self.addresses,
            hint=self.tr("The order dialog offers these, so nobody types them again."),
        )

        self._section(self.tr("Marketing consent"))
        self.consent: dict[str, ConsentChoice] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        self.form.addLayout(grid)
        for n, (channel, words) in enumerate(CHANNELS):
            choice = ConsentChoice(channel, shopper)
            self.consent[channel] = choice
            column = QHBoxLayout()
            grid.addLayout(column, n, 0)
            self.add_field(f"consent_{channel}", self.tr(words), choice, into=column)
        self.form.addStretch(1)

    # -- building ----------------------------------------------------------------------
    def _section(self, title: str) -> None:
        heading = label(title, "title")
        heading.setObjectName(f"Section_{title.split()[0]}")
        self.form.addWidget(heading)

    def _edit(
        self,
        name: str,
        title: str,
        text: str,
        into: QHBoxLayout | None = None,
        hint: str = "",
    ) -> QLineEdit:
        edit = line_edit(name, title, text)
        edit.textChanged.connect(lambda _t: self.clear_error(name))
        self.add_field(name, title, edit, hint=hint, into=into)
        return edit

    def _address_problems(self, problems: dict[str, str]) -> None:
        self.clear_error("addresses")
        if problems:
            self.show_errors({"addresses": " ".join(dict.fromkeys(problems.values()))})

    # -- writing -----------------------------------------------------------------------
    def edits(self) -> dict[str, Any]:
        """Every field as the form holds it (the command sends only what changed)."""
        dates = []
        self._date_order = []
        for kind, field in (("birthday", self.birthday), ("anniversary", self.anniversary)):
            value = field.value(kind)
            if value is not None:
                dates.append(value)
                self._date_order.append(kind)
        return {
            "first_name": self.first_name.text(),
            "last_name": self.last_name.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "sizes": {
                "shoes": self.shoes.text(),
                "tops": self.tops.currentData() or "",
                "bottoms": self.bottoms.text(),
            },
            "favourite_brands": [b for b in self.brands.text().split(",")],
            "important_dates": dates,
            "addresses": self.addresses.addresses(),
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        mapped: dict[str, str] = {}
        for key, sentence in errors.items():
            parts = key.split(".")
            if parts[0] == "important_dates" and len(parts) > 1 and parts[1].isdigit():
                index = int(parts[1])
                key = self._date_order[index] if index < len(self._date_order) else "birthday"
            elif parts[0] == "addresses":
                key = "addresses"
            mapped[key] = sentence
        super().show_errors(mapped)

    def submit(self) -> None:
        edits = self.edits()
        consent = {channel: choice.granted() for channel, choice in self.consent.items()}
        shopper_id = self.shopper.id
        entry = self.write(
            lambda: self.ctx.commands.update_shopper(
                shopper_id=shopper_id, edits=edits, consent=consent
            )
        )
        if entry is None:
            return
        self.ctx.messages.success(
            self.tr("Saved. The record shows the changes now; central confirms them on sync."),
            log_text="shopper record edited",
        )
        self.saved.emit(entry.id)
        self.accept()
