"""The home page's "Return an order": scan the order's barcode or QR code, or type its
number, and the return dialog opens for it.

A keyboard-wedge scanner types into the box and ends with Return, as in the shopper
search; "W-104233", " w104233 " and a QR payload of the number all find the order
(``Cache.order_by_number``, any channel). An order the tablet does not hold is asked of
central when online (``SyncBridge.fetch_order``: its shopper is kept from then on);
offline, or when central has none either, it is said at the field with what to do.

Signals: ``opened(object)``, the ``ReturnDialog`` just opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.background import spawn
from app.dialogs.returns import open_return_dialog
from app.pages.home.panel import Panel
from app.widgets.common import TouchButton, label, repolish
from app.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from app.context import AppContext, Navigator
    from sync import wire
    from sync.errors import SyncError


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
        self.hint = label("", "muted")
        self.hint.setObjectName("ReturnOrderHint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout.addWidget(self.hint)
        self._fetching = False

    def find_order(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._set_error(self.tr("Scan the receipt's code or type the order number."))
            return
        if self._fetching:
            return
        order = self.ctx.messages.read(lambda: self.ctx.cache.order_by_number(text))
        if order is not None:
            self._open(order)
        elif self.ctx.bridge.state.online:
            self._fetch(text)
        else:
            self._set_error(
                self.tr(
                    "No order “{text}” on this tablet, and central can't be asked while "
                    "offline. Check the number, or find the shopper and open their history."
                ).format(text=text)
            )

    def _fetch(self, text: str) -> None:
        """Ask central for an order of another store's shoppers (or not synced yet)."""
        self._fetching = True
        self.find_button.setEnabled(False)
        self._set_hint(self.tr("Looking for “{text}” at central…").format(text=text))

        def done(order: wire.Order | None) -> None:
            self._fetching = False
            self.find_button.setEnabled(True)
            self._set_hint("")
            if order is None:
                self._set_error(
                    self.tr(
                        "No order “{text}” here or at central. Check the number on the "
                        "receipt or the email."
                    ).format(text=text)
                )
            else:
                self._open(order)

        def failed(exc: SyncError) -> None:
            self._fetching = False
            self.find_button.setEnabled(True)
            self._set_hint("")
            self._set_error(
                self.tr(
                    "No order “{text}” on this tablet, and central could not be asked: "
                ).format(text=text)
                + exc.message
            )

        spawn(self.ctx.bridge.fetch_order(text), success=done, failure=failed)

    def _open(self, order: wire.Order) -> None:
        self._set_error("")
        self.field.clear_quietly()
        dialog = open_return_dialog(self.ctx, self.window(), order)
        self.dialog = dialog
        self.opened.emit(dialog)

    def _set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

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
