"""The returns part of the History tab's order card: "Return items" and the order's
returns with their state.

``OrderReturns.show_order(order, returns)``: the button shows for an order that can come
back (``sync.rules.returns.RETURNABLE_STATUSES``, and known to central); each return of
the order (``Cache.returns_of_shopper``: applied, pending on this tablet, or turned down)
is a line with its state badge, its number and what came back.

Signals:
    OrderReturns.returnRequested(str)  the order number to return from
    OrderReturns.receiptRequested(str)  the id of the return whose receipt to show
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.dialogs.returns.receipt_panel import refund_words
from app.widgets.common import Badge, TouchButton, label
from sync.records import OrderView
from sync.rules.returns import RETURNABLE_STATUSES

STATE_KIND = {"pending": "pending", "applied": "success", "rejected": "danger"}


def return_words(record: Any) -> str:
    """What came back and how it was refunded: "1 × Merino Crew · Refund €59.00 as store
    credit"."""
    items = ", ".join(f"{line.qty} × {line.name}" for line in record.lines)
    return f"{items} · {refund_words(record.refund_cents, record.refund_method_text)}"


class OrderReturns(QWidget):
    returnRequested = Signal(str)
    receiptRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrderReturns")
        self.order: OrderView | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 6, 0, 0)
        column.setSpacing(6)
        # the action first: on a short screen the order's returns scroll under it
        self.button = TouchButton(self.tr("Return items"), "secondary", "return")
        self.button.setObjectName("ReturnItemsButton")
        self.button.clicked.connect(self._request)
        column.addWidget(self.button)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(6)
        column.addLayout(self.rows)
        self._shown: list[QWidget] = []

    def show_order(self, order: OrderView | None, returns: Sequence[Any]) -> None:
        self.order = order
        for widget in self._shown:
            self.rows.removeWidget(widget)
            widget.deleteLater()
        self._shown = []
        if order is None:
            self.button.hide()
            return
        self.button.setVisible(order.status in RETURNABLE_STATUSES and not order.pending)
        for record in returns:
            self._shown.append(self._row(record))
            self.rows.addWidget(self._shown[-1])

    def _row(self, record: Any) -> QWidget:
        row_widget = QWidget()
        row_widget.setObjectName(f"OrderReturn_{record.id}")
        column = QVBoxLayout(row_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        states = {
            "pending": self.tr("Return pending sync"),
            "applied": self.tr("Returned · {number}").format(number=record.number),
            "rejected": self.tr("Return turned down"),
        }
        badge = Badge(states.get(record.state, record.state), STATE_KIND.get(record.state, "muted"))
        badge.setObjectName("OrderReturnState")
        column.addWidget(badge)
        words = return_words(record)
        if record.state == "rejected" and record.reason:
            words += "\n" + record.reason
        text = label(words, "muted")
        text.setObjectName("OrderReturnText")
        text.setWordWrap(True)
        column.addWidget(text)
        if record.state != "rejected":
            receipt = TouchButton(self.tr("Receipt"), "ghost", "print")
            receipt.setObjectName("ReturnReceiptButton")
            receipt.clicked.connect(lambda _c=False, rid=record.id: self.receiptRequested.emit(rid))
            row = QHBoxLayout()
            row.addWidget(receipt)
            row.addStretch(1)
            column.addLayout(row)
        return row_widget

    def states(self) -> list[str]:
        """The badges' words, top to bottom (tests and screen readers)."""
        badges = [w.findChild(Badge) for w in self._shown]
        return [badge.text() for badge in badges if badge is not None]

    def _request(self) -> None:
        if self.order is not None:
            self.returnRequested.emit(self.order.number)
