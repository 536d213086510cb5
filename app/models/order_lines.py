"""The lines of an order being placed (``app.dialogs.order_dialog``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont

from app import format as fmt
from app.models.base import DISPLAY, RowsModel
from app.models.roles import Roles
from sync.records import ProductView


def _tr(text: str) -> str:
    return QCoreApplication.translate("OrderLinesModel", text)


class OrderLinesModel(RowsModel):
    """Product, quantity (editable), line total; a row is ``[ProductView, qty]``."""

    ITEM, QTY, TOTAL = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("OrderLinesModel", "Item"),
        QT_TRANSLATE_NOOP("OrderLinesModel", "Quantity"),
        QT_TRANSLATE_NOOP("OrderLinesModel", "Total"),
    )

    def key(self, row: list[Any]) -> str:
        return str(row[0].product.sku)

    def headers(self) -> list[str]:
        return [_tr(str(text)) for text in self.HEADERS]

    def set_lines(self, lines: Sequence[tuple[ProductView, int]]) -> None:
        self.set_records([[view, qty] for view, qty in lines])

    def lines(self) -> list[tuple[str, int]]:
        return [(view.product.sku, qty) for view, qty in self._rows]

    def set_qty(self, row: int, qty: int) -> None:
        self._rows[row][1] = max(1, min(99, qty))
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def total_cents(self) -> int:
        return sum(view.price.sale_cents * qty for view, qty in self._rows)

    def data(self, index: Any, role: int = DISPLAY) -> Any:
        if role == Roles.Record and index.isValid() and self.record(index.row()) is not None:
            return self._rows[index.row()][0]  # the product view, not the [view, qty] pair
        return super().data(index, role)

    def role_data(self, row: list[Any], column: int, role: int) -> Any:
        view: ProductView = row[0]
        qty: int = row[1]
        online = next((s.available for s in view.stock if s.is_online), None)
        if role == Roles.Product:
            return view.product
        if role == Roles.Price:
            return view.price
        if role == Roles.Qty:
            return qty
        if role == Roles.Note:
            if online is None:
                return _tr("Online stock not known here")
            if online < qty:
                return (
                    _tr("Only {n} online: part may come later").format(n=online)
                    if online
                    else _tr("Out of stock online: ships when back")
                )
            return None  # enough online: nothing to say
        if column == self.TOTAL:
            if role == DISPLAY:
                return fmt.money(view.price.sale_cents * qty)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == DISPLAY and column == self.ITEM:
            return f"{view.product.name} · {view.product.colour} · {view.product.size}"
        if role == DISPLAY and column == self.QTY:
            return str(qty)
        return None
