"""What the Reserve and Order online dialogs share.

``CommandDialog``: a titled dialog with fields that each carry their own error line
(``add_field(name, title, widget)``), ``show_errors(errors)`` that puts each sentence of
an ``InvalidInput`` under its field (unknown fields under the buttons), ``write(command)``
that writes a command and shows its problems so, and the Cancel / confirm button row.
``ShopperCommandDialog``: one about a shopper, with a shopper picker when none was given.
``QuantityField``: ``[−] [ 2 ] [+]`` that a finger or a keyboard can set; ``Segments``: a
row of touch-sized choice buttons.

Signals:
    QuantityField.valueChanged(int)  (0 when the text is not a number)
    Segments.changed(str)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.dialogs.shopper_picker import ShopperPicker
from app.widgets.common import TouchButton, label, repolish
from sync import wire
from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext

T = TypeVar("T")


class QuantityField(QWidget):
    valueChanged = Signal(int)

    def __init__(self, value: int = 1, maximum: int = 99, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max = maximum
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.minus = TouchButton("−", "secondary")
        self.minus.setObjectName("QtyMinus")
        self.minus.setFixedWidth(56)
        self.minus.setAccessibleName(self.tr("One fewer"))
        self.edit = QLineEdit(str(value))
        self.edit.setObjectName("QtyEdit")
        self.edit.setValidator(QIntValidator(0, 99, self.edit))
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setFixedWidth(76)
        self.edit.setMinimumHeight(48)
        self.edit.setAccessibleName(self.tr("Quantity"))
        self.plus = TouchButton("+", "secondary")
        self.plus.setObjectName("QtyPlus")
        self.plus.setFixedWidth(56)
        self.plus.setAccessibleName(self.tr("One more"))
        row.addWidget(self.minus)
        row.addWidget(self.edit)
        row.addWidget(self.plus)
        row.addStretch(1)
        self.minus.clicked.connect(lambda: self.set_value(self.value() - 1))
        self.plus.clicked.connect(lambda: self.set_value(self.value() + 1))
        self.edit.textChanged.connect(self._changed)
        self._changed()

    def value(self) -> int:
        try:
            return int(self.edit.text())
        except ValueError:
            return 0

    def set_value(self, value: int) -> None:
        value = max(1, min(self._max, value))
        self.edit.setText(str(value))

    def set_maximum(self, maximum: int) -> None:
        self._max = max(1, maximum)
        self._changed()

    def maximum(self) -> int:
        return self._max

    def _changed(self) -> None:
        value = self.value()
        self.minus.setEnabled(value > 1)
        self.plus.setEnabled(value < self._max)
        self.valueChanged.emit(value)


class Segments(QWidget):
    """Touch-sized exclusive choices; ``value()`` is the chosen key."""

    changed = Signal(str)

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        value: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, TouchButton] = {}
        for key, text in choices:
            button = TouchButton(text, "segment")
            button.setObjectName(f"Segment_{key}")
            self.group.addButton(button)
            self.buttons[key] = button
            row.addWidget(button)
            button.toggled.connect(partial(self._toggled, key))
        row.addStretch(1)
        if value is not None:
            self.set_value(value)

    def _toggled(self, key: str, on: bool) -> None:
        if on:
            self.changed.emit(key)

    def value(self) -> str | None:
        for key, button in self.buttons.items():
            if button.isChecked():
                return key
        return None

    def set_value(self, key: str) -> None:
        if key in self.buttons:
            self.buttons[key].setChecked(True)

    def set_enabled(self, key: str, enabled: bool, tooltip: str = "") -> None:
        button = self.buttons[key]
        button.setEnabled(enabled)
        button.setToolTip(tooltip)


class CommandDialog(QDialog):
    """A form dialog whose fields show their own problems."""

    #: error keys of ``InvalidInput`` that belong to another field name
    ALIASES: dict[str, str] = {}

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.setWindowTitle(title)
        self.setObjectName("CommandDialog")
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.outer = outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.title = label(title, "title")
        self.title.setObjectName("DialogTitle")
        self.title.setContentsMargins(24, 20, 24, 8)
        outer.addWidget(self.title)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.body.setObjectName("DialogBody")
        self.form = QVBoxLayout(self.body)
        self.form.setContentsMargins(24, 8, 24, 8)
        self.form.setSpacing(14)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)

        self.general_error = label("", "error")
        self.general_error.setObjectName("DialogError")
        self.general_error.setWordWrap(True)
        self.general_error.setContentsMargins(24, 0, 24, 0)
        self.general_error.hide()
        outer.addWidget(self.general_error)
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(24, 12, 24, 20)
        self.buttons.setSpacing(12)
        self.buttons.addStretch(1)
        self.cancel_button = TouchButton(self.tr("Cancel"), "secondary")
        self.cancel_button.setObjectName("CancelButton")
        self.cancel_button.clicked.connect(self.reject)
        self.buttons.addWidget(self.cancel_button)
        self.confirm_button = TouchButton("", "primary")
        self.confirm_button.setObjectName("ConfirmButton")
        self.confirm_button.setMinimumWidth(180)
        # No default button: Return ends a card scan in the shopper search, and a scan
        # must never confirm the form by itself.
        self.buttons.addWidget(self.confirm_button)
        outer.addLayout(self.buttons)

    def add_field(
        self, name: str, title: str, widget: QWidget, hint: str = "", into: QBoxLayout | None = None
    ) -> QLabel:
        """A titled field with its error line; returns the hint label (may be empty).

        ``into``: the layout to add it to (a row of fields); the form by default."""
        box = QVBoxLayout()
        box.setSpacing(6)
        caption = label(title, "h2")
        caption.setObjectName(f"Caption_{name}")
        box.addWidget(caption)
        hint_label = label(hint, "muted")
        hint_label.setObjectName(f"Hint_{name}")
        hint_label.setWordWrap(True)
        hint_label.setVisible(bool(hint))
        box.addWidget(hint_label)
        box.addWidget(widget)
        error = label("", "error")
        error.setObjectName(f"Error_{name}")
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        box.addStretch(1)
        (into if into is not None else self.form).addLayout(box)
        self._fields[name] = (widget, error)
        return hint_label

    def write(self, command: Callable[[], T]) -> T | None:
        """Write a command (``lambda: ctx.commands.…``); its problems go under the fields
        (``InvalidInput``) or under the buttons (``CacheError``) and give ``None``."""
        try:
            return command()
        except InvalidInput as exc:
            self.show_errors(exc.errors)
        except CacheError as exc:
            self.show_errors({"": str(exc)})
        return None

    def field_error(self, name: str) -> str:
        """The problem shown at field ``name`` ("" when none): tests and screen readers."""
        _widget, error = self._fields[name]
        return "" if error.isHidden() else error.text()

    def general_error_text(self) -> str:
        return self.general_error.text() if not self.general_error.isHidden() else ""

    def clear_errors(self) -> None:
        for widget, error in self._fields.values():
            error.hide()
            error.clear()
            self._mark(widget, False)
        self.general_error.hide()
        self.general_error.clear()

    def clear_error(self, name: str) -> None:
        widget, error = self._fields[name]
        if not error.isHidden():
            error.hide()
            error.clear()
            self._mark(widget, False)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.clear_errors()
        general: list[str] = []
        first: QWidget | None = None
        first_error: QLabel | None = None
        for key, sentence in errors.items():
            name = self.ALIASES.get(key, key)
            if name not in self._fields:
                tail = key.split(".")[-1]
                name = self.ALIASES.get(tail, tail)
            if name in self._fields:
                widget, error = self._fields[name]
                error.setText(sentence)
                error.show()
                self._mark(widget, True)
                if first is None:
                    first, first_error = widget, error
            else:
                general.append(sentence)
        if general:
            self.general_error.setText(" ".join(general))
            self.general_error.show()
        if first is not None:
            layout = self.body.layout()
            if layout is not None:
                layout.activate()
            self.scroll_area.ensureWidgetVisible(first)
            if first_error is not None:
                self.scroll_area.ensureWidgetVisible(first_error, 24, 24)
            focus = first.findChild(QLineEdit) if not isinstance(first, QLineEdit) else first
            (focus or first).setFocus()

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        targets = [widget, *widget.findChildren(QLineEdit)]
        for target in targets:
            if bool(target.property("invalid")) != invalid:
                target.setProperty("invalid", invalid)
                repolish(target)

    def fit_to_content(self) -> None:
        """Shrink to what the dialog shows now (a receipt, a placed order: much shorter than
        the form it replaced) and stay centred over the window."""
        layout = self.outer
        layout.activate()
        width = self.width()
        height = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        height = max(height, layout.totalMinimumSize().height())
        if height != self.height():
            self.resize(width, height)
        parent = self.parentWidget()
        host = parent.window() if parent is not None else None
        if host is not None and self.isWindow():
            centre = host.mapToGlobal(host.rect().center())
            self.move(centre.x() - width // 2, centre.y() - height // 2)


class ShopperCommandDialog(CommandDialog):
    """A ``CommandDialog`` about one shopper (``self.ctx``, ``self.shopper_id``).

    ``add_shopper_picker()`` adds the "For which shopper?" field when no shopper was
    given; a pick sets ``shopper_id`` and calls ``_apply_shopper()`` (the subclass shows
    the name and whatever depends on the shopper; ``chosen_shopper()`` reads the record).
    """

    ctx: AppContext
    shopper_id: str | None

    def add_shopper_picker(self) -> None:
        self.picker: ShopperPicker | None = None
        if self.shopper_id is None:
            self.picker = ShopperPicker(self.ctx)
            self.picker.picked.connect(self._on_shopper)
            self.add_field("shopper_id", self.tr("For which shopper?"), self.picker)

    def chosen_shopper(self) -> wire.Shopper | None:
        """The chosen shopper's record, or ``None`` (none chosen, or the cache failed)."""
        shopper_id = self.shopper_id
        if not shopper_id:
            return None
        return self.ctx.messages.read(lambda: self.ctx.cache.shopper(shopper_id))

    def _on_shopper(self, shopper_id: str) -> None:
        self.shopper_id = shopper_id or None
        self.clear_error("shopper_id")
        self._apply_shopper()

    def _apply_shopper(self) -> None:
        raise NotImplementedError
