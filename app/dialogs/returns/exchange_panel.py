"""The exchange part of the return dialog: the same style in another size or colour,
held here or ordered online, and the price difference.

``ExchangePanel(ctx)``; ``show_for(order_id, line, qty)`` lists ``Cache.exchange_options``
for the line being swapped (an option with none here and none online is greyed);
``refund`` is what the returned lines give back, so the panel says "Shopper pays €5.00",
"Refund €5.00" or "No difference" (``sync.rules.returns.exchange_difference``). Held here
needs stock here; ordered online goes to this store or to the shopper's home (then an
address). ``swap()`` is the exchange as ``return_items`` takes it, or ``None``.

Signals:
    ExchangePanel.changed()  the choice, the way or the address changed
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app.dialogs.base import Segments
from app.models.base import DISPLAY, Index, RowsModel
from app.widgets.common import label
from app.widgets.painting import colour
from sync.rules.returns import exchange_difference

if TYPE_CHECKING:
    from app.context import AppContext

OPTION_ROW = 52


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExchangePanel", text)


def difference_words(cents: int) -> str:
    """What the shopper pays or gets back on an exchange, in the till's words."""
    if cents > 0:
        return _tr("Shopper pays {amount}").format(amount=fmt.money(cents))
    if cents < 0:
        return _tr("Refund {amount}").format(amount=fmt.money(-cents))
    return _tr("No difference to pay")


class ExchangeOptionsModel(RowsModel):
    """The style's other sizes and colours: price and where they are available."""

    def key(self, row: Any) -> str:
        return str(row.sku)

    def flags(self, index: Index) -> Qt.ItemFlag:
        option = self.record(index.row()) if index.isValid() else None
        if option is None or (option.available_here <= 0 and option.available_online <= 0):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def role_data(self, option: Any, column: int, role: int) -> Any:
        if role == DISPLAY:
            what = " · ".join(p for p in (option.colour, fmt.size_label(option.size)) if p)
            if option.available_here <= 0 and option.available_online <= 0:
                where = _tr("none here or online")
            else:
                where = _tr("{here} here · {online} online").format(
                    here=option.available_here, online=option.available_online
                )
            return f"{what}   —   {fmt.money(option.price.sale_cents)}   ({where})"
        if role == Qt.ItemDataRole.ForegroundRole:
            none = option.available_here <= 0 and option.available_online <= 0
            return QBrush(colour("muted")) if none else None
        return None


class ExchangePanel(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExchangePanel")
        self.ctx = ctx
        self.refund = 0
        self.qty = 1
        self.line: Any = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.intro = label("", "muted")
        self.intro.setObjectName("ExchangeIntro")
        self.intro.setWordWrap(True)
        column.addWidget(self.intro)
        self.model = ExchangeOptionsModel(self)
        self.options = QListView()
        self.options.setObjectName("ExchangeOptions")
        self.options.setModel(self.model)
        self.options.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.options.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.options.setSpacing(2)
        self.options.selectionModel().currentChanged.connect(self._on_option)
        column.addWidget(self.options)
        self.way = Segments(
            [("reserve", _tr("Hold it here")), ("order", _tr("Order it online"))], "reserve"
        )
        self.way.setObjectName("ExchangeWay")
        self.way.changed.connect(self._on_way)
        column.addWidget(self.way)
        self.fulfilment = Segments(
            [("ship_to_store", _tr("To this store")), ("ship_to_home", _tr("To their home"))],
            "ship_to_store",
        )
        self.fulfilment.setObjectName("ExchangeFulfilment")
        self.fulfilment.changed.connect(self._on_way)
        column.addWidget(self.fulfilment)
        self.address = QPlainTextEdit()
        self.address.setObjectName("ExchangeAddress")
        self.address.setPlaceholderText(_tr("House and street, town, county, Eircode"))
        self.address.setFixedHeight(84)
        self.address.setTabChangesFocus(True)
        self.address.textChanged.connect(self.changed)
        column.addWidget(self.address)
        self.difference = label("", None)
        self.difference.setWordWrap(True)
        self.difference.setObjectName("ExchangeDifference")
        column.addWidget(self.difference)
        self._on_way()

    # -- filling -----------------------------------------------------------------------
    def show_for(self, order_id: str, line: Any, qty: int) -> None:
        """The options for ``qty`` of ``line`` (a ``ReturnableLine``) being swapped."""
        self.qty = max(1, qty)
        if line is not None and (self.line is None or self.line.sku != line.sku):
            chosen = self.chosen()
            options = (
                self.ctx.messages.read(lambda: self.ctx.cache.exchange_options(order_id, line.sku))
                or []
            )
            self.model.set_records(options)
            rows = max(1, min(4, self.model.rowCount()))
            height = max(OPTION_ROW, self.options.sizeHintForRow(0)) + 2 * self.options.spacing()
            self.options.setFixedHeight(rows * height + 2 * self.options.frameWidth() + 2)
            if chosen is not None:
                self.select(chosen.sku)
        self.line = line
        if line is None:
            self.intro.setText(_tr("Choose the item to swap above first."))
        elif self.model.rowCount() == 0:
            self.intro.setText(
                _tr("{name} comes in no other size or colour on this tablet.").format(
                    name=line.name
                )
            )
        else:
            self.intro.setText(
                _tr("Swap {qty} × {name} for another size or colour:").format(
                    qty=self.qty, name=line.name
                )
            )
        self._update()

    def set_refund(self, cents: int) -> None:
        """What the returned lines give back (the dialog's, live); no ``changed``."""
        self.refund = cents
        self._show()

    def select(self, sku: str) -> None:
        row = next((r for r in range(self.model.rowCount()) if self.model.record(r).sku == sku), -1)
        if row >= 0 and self.model.flags(self.model.index(row, 0)) & Qt.ItemFlag.ItemIsEnabled:
            self.options.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def chosen(self) -> Any:
        index = self.options.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    # -- reacting ----------------------------------------------------------------------
    def _on_option(self, current: QModelIndex, _previous: QModelIndex) -> None:
        option = self.model.record(current.row()) if current.isValid() else None
        if option is not None:
            here = option.available_here >= self.qty
            online = option.available_online >= self.qty
            self.way.set_enabled("reserve", here, "" if here else _tr("Not enough here"))
            self.way.set_enabled("order", online, "" if online else _tr("Not enough online"))
            if not here and online:
                self.way.set_value("order")
            elif here and not online:
                self.way.set_value("reserve")
        self._update()

    def _on_way(self, *_args: object) -> None:
        order = self.way.value() == "order"
        self.fulfilment.setVisible(order)
        self.address.setVisible(order and self.fulfilment.value() == "ship_to_home")
        self._update()

    def difference_cents(self) -> int | None:
        option = self.chosen()
        if option is None:
            return None
        return exchange_difference(self.refund, option.price.sale_cents, self.qty)

    def _update(self) -> None:
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        """The sum behind the difference ("€89.95 for the new one, €69.95 back: Shopper
        pays €20.00"); the dialog shows the difference itself beside its buttons."""
        option = self.chosen()
        cents = self.difference_cents()
        if option is None or cents is None:
            self.difference.setText(_tr("Choose the size or colour they take instead."))
        else:
            self.difference.setText(
                _tr("{new} for the new one, {back} back: {difference}").format(
                    new=fmt.money(option.price.sale_cents * self.qty),
                    back=fmt.money(self.refund),
                    difference=difference_words(cents),
                )
            )

    def swap(self) -> dict[str, Any] | None:
        """The exchange as ``return_items`` takes it; ``None`` until an option is chosen."""
        option = self.chosen()
        if option is None:
            return None
        kind = self.way.value() or "reserve"
        swap: dict[str, Any] = {"kind": kind, "sku": option.sku, "qty": self.qty}
        if kind == "order":
            swap["fulfilment"] = self.fulfilment.value() or "ship_to_store"
            if swap["fulfilment"] == "ship_to_home":
                swap["address"] = self.address.toPlainText().strip()
        return swap
