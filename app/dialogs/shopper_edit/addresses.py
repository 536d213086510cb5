"""Saved addresses in the edit dialog: each with "Default" and "Remove", and a small form
to add one (checked at once by the shared rule, ``sync.rules.shoppers.clean_edits``).

Signals: ``changed()`` when the list changes; ``problems(dict)`` with the new address's
field sentences when "Add address" finds some (the dialog shows them at the fields).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.widgets.common import Badge, TouchButton, label
from sync import wire
from sync.rules import shoppers as rules

NEW_FIELDS = (
    ("label", "Label (Home, Work)"),
    ("name", "Who receives it"),
    ("line1", "Street and number"),
    ("line2", "More (apartment, area)"),
    ("city", "Town or city"),
    ("postcode", "Postcode or Eircode"),
)


def line_edit(name: str, placeholder: str, text: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(48)
    edit.setAccessibleName(placeholder)
    return edit


class AddressList(QWidget):
    changed = Signal()
    problems = Signal(dict)

    def __init__(self, addresses: list[wire.Address], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AddressList")
        self._addresses: list[dict[str, Any]] = [a.model_dump(mode="json") for a in addresses]
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(8)
        column.addLayout(self.rows)
        self.none = label(self.tr("No saved address yet."), "muted")
        self.none.setObjectName("NoAddresses")
        column.addWidget(self.none)
        self.new_box = QWidget()
        grid = QGridLayout(self.new_box)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.new: dict[str, QLineEdit] = {}
        for n, (key, placeholder) in enumerate(NEW_FIELDS):
            edit = line_edit(f"NewAddress_{key}", self.tr(placeholder))
            edit.textChanged.connect(lambda _t: self.problems.emit({}))
            self.new[key] = edit
            grid.addWidget(edit, n // 2, n % 2)
        self.new["label"].setText(self.tr("Home"))
        self.add_button = TouchButton(self.tr("Add address"), "secondary", "plus")
        self.add_button.setObjectName("AddAddressButton")
        self.add_button.clicked.connect(self.add_typed)
        grid.addWidget(self.add_button, len(NEW_FIELDS) // 2, 0)
        column.addWidget(self.new_box)
        self._show()

    def addresses(self) -> list[dict[str, Any]]:
        return [dict(a) for a in self._addresses]

    def set_receiver(self, name: str) -> None:
        """Who receives a new address unless typed otherwise (the shopper)."""
        if not self.new["name"].text():
            self.new["name"].setText(name)

    def add_typed(self) -> bool:
        """Add the address typed in the small form (its problems: ``problems``)."""
        typed = {key: edit.text() for key, edit in self.new.items()}
        clean, errors = rules.clean_edits({"addresses": [{**typed, "id": "new"}]})
        found = {k.split(".")[-1]: v for k, v in errors.items()}
        if found:
            self.problems.emit(found)
            return False
        address = clean["addresses"][0]
        address["id"] = ""  # the command gives it its id
        address["is_default"] = not self._addresses
        self._addresses.append(address)
        for key, edit in self.new.items():
            if key not in ("label", "name"):
                edit.clear()
        self._show()
        self.changed.emit()
        return True

    def remove(self, index: int) -> None:
        gone = self._addresses.pop(index)
        if gone.get("is_default") and self._addresses:
            self._addresses[0]["is_default"] = True
        self._show()
        self.changed.emit()

    def make_default(self, index: int) -> None:
        for n, address in enumerate(self._addresses):
            address["is_default"] = n == index
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for n, address in enumerate(self._addresses):
            self.rows.addWidget(self._row(n, address))
        self.none.setVisible(not self._addresses)

    def _row(self, index: int, address: dict[str, Any]) -> QWidget:
        row = QWidget()
        row.setObjectName(f"AddressRow_{index}")
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(10)
        text = wire.Address.model_validate({**address, "id": address["id"] or "new"})
        words = label(f"{address['label']}: " + rules.address_text(text).replace("\n", ", "))
        words.setWordWrap(True)
        line.addWidget(words, 1)
        if address.get("is_default"):
            badge = Badge(self.tr("Default"), "success")
            badge.setObjectName("DefaultAddressBadge")
            line.addWidget(badge)
        else:
            default = TouchButton(self.tr("Make default"), "secondary")
            default.setObjectName(f"MakeDefault_{index}")
            default.clicked.connect(partial(self.make_default, index))
            line.addWidget(default)
        remove = TouchButton(self.tr("Remove"), "secondary")
        remove.setObjectName(f"RemoveAddress_{index}")
        remove.clicked.connect(partial(self.remove, index))
        line.addWidget(remove)
        return row
