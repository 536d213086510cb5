"""The History tab (orders on every channel) and the Reservations tab.

History is a tree: one row per order (channel, date, number, status, delivery, total),
its lines as children (tap the arrow or the row to expand). The panel beside it shows
the selected order; a pay-by-link order shows its link as a QR code the shopper scans,
or "The payment link appears here once the order reaches central" until it does.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app.models.profile_models import OrdersModel, ShopperReservationsModel
from app.widgets.common import Badge, Card, EmptyState, label
from app.widgets.qr import QrCodeView
from sync.records import OrderView, ReservationView

DETAIL_MIN_WIDTH = 300  # the pay-by-link QR code and its caption


class OrderDetail(Card):
    """One order in full, with its pay-by-link QR code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrderDetail")
        self.setMinimumWidth(DETAIL_MIN_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.number = label("", "h2")
        self.number.setObjectName("OrderNumber")
        self.pending = Badge(self.tr("Pending sync"), "pending")
        self.pending.setObjectName("OrderPendingBadge")
        top.addWidget(self.number)
        top.addWidget(self.pending)
        top.addStretch(1)
        layout.addLayout(top)
        self.meta = label("", "muted")
        self.meta.setWordWrap(True)
        layout.addWidget(self.meta)
        self.lines = label("")
        self.lines.setObjectName("OrderLines")
        self.lines.setWordWrap(True)
        layout.addWidget(self.lines)
        self.total = label("", "h2")
        layout.addWidget(self.total)
        self.qr = QrCodeView(
            self.tr("The payment link appears here once the order reaches central."), 200, self
        )
        self.qr.setObjectName("OrderPaymentQr")
        layout.addWidget(self.qr)
        layout.addStretch(1)
        self.show_order(None)

    def show_order(self, order: OrderView | None) -> None:
        self.order = order
        has = order is not None
        for w in (self.number, self.meta, self.lines, self.total):
            w.setVisible(has)
        if order is None:
            self.pending.hide()
            self.qr.hide()
            return
        self.number.setText(self.tr("Order {number}").format(number=order.number))
        self.pending.setVisible(order.pending)
        where = fmt.channel(order.channel)
        if order.store_name:
            where += f" · {order.store_name}"
        self.meta.setText(
            "\n".join(
                [
                    f"{where} · {fmt.date_time(order.created_at)}",
                    f"{fmt.order_status(order.status)} · "
                    f"{fmt.fulfilment(order.fulfilment_type, order.fulfilment_store_name)} · "
                    f"{fmt.payment(order.payment_method)}",
                    *(
                        [self.tr("Placed by {who}").format(who=fmt.author(order.by))]
                        if order.by is not None
                        else []
                    ),
                ]
            )
        )
        rows = []
        for line in order.lines:
            name = (
                f"{line.product.name}, {line.product.colour}, {line.product.size}"
                if line.product
                else line.sku
            )
            rows.append(f"{line.qty} × {name} — {fmt.money(line.price_cents)}")
        self.lines.setText("\n".join(rows))
        self.total.setText(fmt.order_total(order))
        # the code is only useful while the payment is still due
        show_qr = order.payment_method == "pay_by_link" and order.status in (
            "placed",
            "awaiting_payment",
        )
        self.qr.setVisible(show_qr)
        if show_qr:
            self.qr.set_data(order.payment_link)


class HistoryTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HistoryTab")
        self.model = OrdersModel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(14)
        self.view = QTreeView(self)
        self.view.setObjectName("OrdersView")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(True)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setIndentation(28)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            OrdersModel.COLUMNS.index("fulfilment"), QHeaderView.ResizeMode.Stretch
        )
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.view.clicked.connect(self._on_clicked)
        self.detail = OrderDetail(self)
        # an order of many lines scrolls in its card when the screen is short (1024x768)
        self.detail_scroll = QScrollArea(self)
        self.detail_scroll.setObjectName("OrderDetailScroll")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll.setWidget(self.detail)
        self.empty = EmptyState(
            "history",
            self.tr("No orders yet"),
            self.tr("Orders from the web, the app and every store show here."),
        )
        self.stack = QStackedWidget(self)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        row.addWidget(self.view, 1)
        row.addWidget(self.detail_scroll)
        self.stack.addWidget(holder)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The order list keeps the room its columns need; the detail takes a little less
        than a third (the list's scroll bar needs its room too on a small screen)."""
        super().resizeEvent(event)
        self.detail_scroll.setFixedWidth(max(DETAIL_MIN_WIDTH, min(460, self.width() // 3 - 30)))

    def set_orders(self, orders: tuple[OrderView, ...]) -> None:
        selected = self.detail.order.id if self.detail.order else None
        self.model.set_records(orders)
        for row in range(self.model.rowCount()):
            for child in range(self.model.rowCount(self.model.index(row, 0))):
                self.view.setFirstColumnSpanned(child, self.model.index(row, 0), True)
        self.stack.setCurrentIndex(0 if orders else 1)
        if not orders:
            self.detail.show_order(None)
            return
        row = next((i for i, o in enumerate(orders) if o.id == selected), 0)
        index = self.model.index(row, 0)
        if self.view.currentIndex().parent().isValid() or self.view.currentIndex().row() != row:
            self.view.setCurrentIndex(index)
        self.detail.show_order(orders[row])

    def select_order(self, order_id: str) -> bool:
        for row, order in enumerate(self.model.records()):
            if order.id == order_id:
                self.view.setCurrentIndex(self.model.index(row, 0))
                self.detail.show_order(order)
                return True
        return False

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.detail.show_order(self.model.order(indexes[0]))

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and not index.parent().isValid():
            top = self.model.index(index.row(), 0)
            self.view.setExpanded(top, not self.view.isExpanded(top))


class ReservationsTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReservationsTab")
        self.model = ShopperReservationsModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        self.view = QTableView(self)
        self.view.setObjectName("ReservationsView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(52)
        self.view.setShowGrid(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty = EmptyState(
            "store",
            self.tr("No reservations"),
            self.tr("Items held for this shopper in any store show here."),
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack)

    def set_reservations(self, rows: tuple[ReservationView, ...]) -> None:
        self.model.set_records(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
