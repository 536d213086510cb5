"""The home page's "Return an order": scan the order's barcode or QR code, or type its
number, and the return dialog opens for it.

A keyboard-wedge scanner types into the box and ends with Return, as in the shopper
search; "W-104233", " w104233 " and a QR payload of the number all find the order
(``Cache.order_by_number``, any channel). An order the tablet does not hold is said at
the field, with what to do.

Signals: ``opened(object)``, the ``ReturnDialog`` just opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.dialogs.returns import open_return_dialog
from app.pages.home.panel import Panel
from app.widgets.common import TouchButton, label, repolish
from app.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from app.context import AppContext, Navigator


class ReturnLookup(Panel):
    opened = Signal(object)

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "ReturnLookup", card=True, parent=parent)
        self.dialog: QWidget | None = None
        layout = self.column
        layout.addWidget(label(self.tr("Return an order"), "h2"))
        row = QHBoxLayout()
        row.setSpacing(10)
        self.field = SearchBox(self.tr("Scan or type the order number"))
        self.field.setObjectName("ReturnOrderField")
        self.field.setAccessibleName(self.tr("Order number to return"))
        self.field.submitted.connect(self.find_order)
        self.field.textChanged.connect(lambda _t: self._set_error(""))
        row.addWidget(self.field, 1)
        self.find_button = TouchButton(self.tr("Return"), "secondary", "return")
        self.find_button.setObjectName("ReturnOrderButton")
        self.find_button.clicked.connect(lambda: self.find_order(self.field.text()))
        row.addWidget(self.find_button)
        layout.addLayout(row)
        self.error = label("", "error")
        self.error.setObjectName("ReturnOrderError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    def find_order(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._set_error(self.tr("Scan the receipt's code or type the order number."))
            return
        order = self.ctx.messages.read(lambda: self.ctx.cache.order_by_number(text))
        if order is None:
            self._set_error(
                self.tr(
                    "No order “{text}” on this tablet. Check the number on the receipt or the "
                    "email, or find the shopper and open their history."
                ).format(text=text)
            )
            return
        self._set_error("")
        self.field.clear_quietly()
        dialog = open_return_dialog(self.ctx, self.window(), order)
        self.dialog = dialog
        self.opened.emit(dialog)

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def _set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if bool(self.field.property("invalid")) != bool(text):
            self.field.setProperty("invalid", bool(text))
            repolish(self.field)

    def reset(self) -> None:
        self.field.clear_quietly()
        self._set_error("")
