"""The lines of the order in the return dialog: one row per line that can come back.

``LineRow(line, images)``: the item (picture, name, colour, size, unit price), what of it
is left to return ("Bought 2 · 1 returned · 1 on its way back"), a quantity stepper from
0 to what is left, and the reason and condition pickers (the wire's words). A line with
nothing left, or one the policy does not take back (``barred``), is greyed with why; a
manager's override lets a barred line be chosen (``set_override``).

``ReturnQty``: the stepper, which (unlike the order dialog's) goes down to 0: a line
is not part of the return until its quantity is above 0.

Signals:
    LineRow.changed()  the quantity, reason or condition changed
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QWidget

from app import format as fmt
from app.dialogs.base import QuantityField
from app.widgets.common import Card, label
from sync import wire

if TYPE_CHECKING:
    from app.images import ImageCache

IMAGE_SIDE = 64


def _tr(text: str) -> str:
    return QCoreApplication.translate("LineRow", text)


class ReturnQty(QuantityField):
    """A quantity stepper from 0 (not returned) to what is left."""

    def __init__(self, maximum: int, parent: QWidget | None = None) -> None:
        super().__init__(0, max(1, maximum), parent)
        self._max = maximum
        # more than is left cannot be typed (a digit too many is taken back at once)
        self.edit.setValidator(QIntValidator(0, max(0, maximum), self.edit))

    def set_value(self, value: int) -> None:
        self.edit.setText(str(max(0, min(self._max, value))))

    def _changed(self) -> None:
        value = self.value()
        if value > self._max:  # typed past what is left: what is left
            self.edit.setText(str(self._max))
            return
        self.minus.setEnabled(value > 0)
        self.plus.setEnabled(value < self._max)
        self.valueChanged.emit(value)


def left_words(line: Any) -> str:
    """ "Bought 2 · 1 returned · 1 on its way back · 0 left" without the parts that are 0."""
    parts = [_tr("Bought {n}").format(n=line.bought)]
    if line.returned:
        parts.append(_tr("{n} returned").format(n=line.returned))
    if line.in_flight:
        parts.append(_tr("{n} on its way back").format(n=line.in_flight))
    parts.append(_tr("{n} left").format(n=line.left))
    return " · ".join(parts)


def why_not(line: Any) -> str:
    """Why a line cannot be chosen ("" when it can)."""
    if line.barred:
        return str(line.barred)
    if line.left <= 0:
        if line.in_flight:
            return _tr("Nothing left to return: the rest is on its way back in a return.")
        return _tr("Nothing left to return: it all came back already.")
    return ""


class LineRow(Card):
    changed = Signal()

    def __init__(self, line: Any, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = line
        self.setObjectName(f"ReturnLine_{line.sku}")
        self._override = False
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)

        picture = QLabel()
        picture.setFixedSize(QSize(IMAGE_SIDE, IMAGE_SIDE))
        picture.setPixmap(images.pixmap(line.image, IMAGE_SIDE))
        grid.addWidget(picture, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)

        self.name = label(line.name, "h2")
        self.name.setObjectName("ReturnLineName")
        self.name.setWordWrap(True)
        grid.addWidget(self.name, 0, 1)
        details = " · ".join(
            p
            for p in (
                line.colour,
                fmt.size_label(line.size) if line.size else "",
                _tr("{price} each").format(price=fmt.money(line.price_cents)),
            )
            if p
        )
        self.details = label(f"{details}\n{left_words(line)}", "muted")
        self.details.setObjectName("ReturnLineLeft")
        self.details.setWordWrap(True)
        grid.addWidget(self.details, 1, 1)

        self.qty = ReturnQty(line.left)
        self.qty.setObjectName("ReturnQty")
        self.qty.valueChanged.connect(self._on_qty)
        grid.addWidget(self.qty, 0, 2, 2, 1, Qt.AlignmentFlag.AlignTop)

        pickers = QHBoxLayout()
        pickers.setSpacing(10)
        self.reason = self._picker("ReasonPicker", _tr("Why it came back"), wire.RETURN_REASONS)
        self.condition = self._picker(
            "ConditionPicker", _tr("The item's condition"), wire.ITEM_CONDITIONS
        )
        pickers.addWidget(self.reason, 1)
        pickers.addWidget(self.condition, 1)
        self.pickers = QWidget()
        self.pickers.setLayout(pickers)
        pickers.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.pickers, 2, 1, 1, 2)

        self.why = label("", "muted")
        self.why.setObjectName("ReturnLineWhy")
        self.why.setWordWrap(True)
        grid.addWidget(self.why, 3, 1, 1, 2)
        self.error = label("", "error")
        self.error.setObjectName("ReturnLineError")
        self.error.setWordWrap(True)
        self.error.hide()
        grid.addWidget(self.error, 4, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self._apply()

    def _picker(self, name: str, placeholder: str, words: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setMinimumHeight(48)
        combo.setPlaceholderText(placeholder)
        combo.setAccessibleName(placeholder)
        for key, text in words.items():
            combo.addItem(QCoreApplication.translate("ReturnWords", text), key)
        combo.setCurrentIndex(-1)
        combo.currentIndexChanged.connect(self._on_pick)
        return combo

    # -- state -------------------------------------------------------------------------
    def selectable(self) -> bool:
        """Whether the line can be part of the return now."""
        if self.line.left <= 0:
            return False
        return not self.line.barred or self._override

    def set_override(self, on: bool) -> None:
        """A manager's override: a barred line may be chosen while it is on."""
        self._override = on
        self._apply()

    def _apply(self) -> None:
        can = self.selectable()
        self.setEnabled(can)
        if not can and self.qty.value():
            self.qty.set_value(0)
        why = why_not(self.line)
        if self.line.barred and can:
            why = _tr("Accepted with your override: {why}").format(why=why)
        self.why.setText(why)
        self.why.setVisible(bool(why))
        self.pickers.setVisible(can)

    def _on_qty(self, _value: int) -> None:
        self.clear_error()
        self.changed.emit()

    def _on_pick(self, _index: int) -> None:
        self.clear_error()
        self.changed.emit()

    def qty_value(self) -> int:
        return self.qty.value() if self.selectable() else 0

    def item(self) -> dict[str, Any] | None:
        """The line as ``return_items`` takes it (``None`` when not returned)."""
        qty = self.qty_value()
        if qty <= 0:
            return None
        return {
            "sku": self.line.sku,
            "qty": qty,
            "reason": self.reason.currentData(),
            "condition": self.condition.currentData(),
        }

    def refund_cents(self) -> int:
        return self.qty_value() * int(self.line.price_cents)

    # -- problems ----------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        if not self.error.isHidden():
            self.error.hide()
            self.error.clear()

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()
