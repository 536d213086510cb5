"""The Cart and Wishlist tabs: product lines with availability and actions.

Where things came from: the cart's bar says where the cart lives and when it last changed
("Web · changed 3 h ago"); each line and wishlist item says its channel and when it was
added ("App · added 2 days ago"), or who changed it in a store.

A ``QTableView`` over ``ItemLinesModel`` with painted cells: the product cell (image,
name, colour, size, price with promotion, "Pending sync"), availability here / other
stores / online, a ``[−] n [+]`` quantity (cart only) and the row's action buttons. The
tab only says what the associate asked for; the page writes the commands.

Keys on a selected row: ``+`` / ``-`` change the quantity, Delete removes (cart), Return
opens the product.

Signals:
    action(str, object): ("reserve" | "order" | "remove" | "move" | "product", ItemLine);
        "remove" on the wishlist tab takes the item off the wishlist
    stepped(object, int): (ItemLine, +1 or -1)
    orderAll(): order every cart line online
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app.images import ImageCache
from app.models.base import Index
from app.models.profile_models import ItemLinesModel
from app.models.roles import Roles
from app.widgets.action_delegate import ButtonsDelegate, CellButton, StepperDelegate
from app.widgets.common import Badge, EmptyState, TouchButton, label
from app.widgets.product_cell import AvailabilityDelegate, ProductCellDelegate
from sync.records import ItemLine, Provenance, ReservationView

ROW_HEIGHT = 116


class ItemLinesTab(QWidget):
    action = Signal(str, object)
    stepped = Signal(object, int)
    orderAll = Signal()

    def __init__(self, kind: str, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("CartTab" if kind == "cart" else "WishlistTab")
        self.model = ItemLinesModel(kind, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        bar = QHBoxLayout()
        bar.setSpacing(10)
        self.summary = label("", "h2")
        self.summary.setObjectName(f"{kind.title()}Summary")
        bar.addWidget(self.summary)
        self.pending_badge = Badge(self.tr("Changes pending sync"), "pending")
        self.pending_badge.setObjectName(f"{kind.title()}PendingBadge")
        self.pending_badge.hide()
        bar.addWidget(self.pending_badge)
        self.origin = label("", "muted")  # the cart's channel and last change
        self.origin.setObjectName(f"{kind.title()}Origin")
        self.origin.hide()
        bar.addWidget(self.origin)
        bar.addStretch(1)
        if kind == "cart":
            self.order_all = TouchButton(self.tr("Order whole cart online"), "secondary", "truck")
            self.order_all.setObjectName("OrderCartButton")
            self.order_all.clicked.connect(self.orderAll.emit)
            bar.addWidget(self.order_all)
        layout.addLayout(bar)

        self.view = QTableView(self)
        self.view.setObjectName(f"{kind.title()}View")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.product_delegate = ProductCellDelegate(images, self.view)
        self.availability_delegate = AvailabilityDelegate(self.view)
        self.actions_delegate = ButtonsDelegate(self._buttons, self.view)
        self.actions_delegate.clicked.connect(self._on_button)
        m = self.model
        self.view.setItemDelegateForColumn(m.column(m.ITEM), self.product_delegate)
        self.view.setItemDelegateForColumn(m.column(m.AVAILABILITY), self.availability_delegate)
        self.view.setItemDelegateForColumn(m.column(m.ACTIONS), self.actions_delegate)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(m.column(m.ITEM), QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(m.column(m.AVAILABILITY), QHeaderView.ResizeMode.Fixed)
        header.resizeSection(m.column(m.AVAILABILITY), 300)
        if kind == "cart":
            self.stepper_delegate = StepperDelegate(1, 99, self.view)
            self.stepper_delegate.stepped.connect(self._on_step)
            self.view.setItemDelegateForColumn(m.column(m.QTY), self.stepper_delegate)
            header.setSectionResizeMode(m.column(m.QTY), QHeaderView.ResizeMode.Fixed)
            header.resizeSection(m.column(m.QTY), 160)
        header.setSectionResizeMode(m.column(m.ACTIONS), QHeaderView.ResizeMode.Fixed)
        header.resizeSection(m.column(m.ACTIONS), 296)
        header.setHighlightSections(False)
        self.view.doubleClicked.connect(self._on_double_click)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)  # its resizes re-fit the columns

        if kind == "cart":
            self.empty = EmptyState(
                "cart",
                self.tr("The online cart is empty"),
                self.tr("Items the shopper adds on the web or in the app show here."),
            )
        else:
            self.empty = EmptyState(
                "heart",
                self.tr("Nothing on the wishlist"),
                self.tr("Items the shopper saves on the web or in the app show here."),
            )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

    def _fit_columns(self) -> None:
        """Wider screens get roomier availability and one line of action buttons."""
        m, header = self.model, self.view.horizontalHeader()
        width = self.view.viewport().width()
        header.resizeSection(m.column(m.AVAILABILITY), max(240, min(420, int(width * 0.24))))
        one_line = (
            sum(
                w
                for _b, w in self.actions_delegate._sizes(self.model.index(0, 0), self.view.font())
            )
            + 8 * 4
            if m.rowCount()
            else 0
        )
        wide = width >= 1500 and one_line
        header.resizeSection(m.column(m.ACTIONS), max(296, one_line + 16) if wide else 296)

    # -- content -----------------------------------------------------------------------
    def set_lines(
        self,
        lines: tuple[ItemLine, ...],
        pending: bool = False,
        reservations: tuple[ReservationView, ...] = (),
        origin: Provenance | None = None,
    ) -> None:
        """The lines; ``origin``: where the cart lives and when it last changed."""
        held: dict[str, tuple[str, bool]] = {}
        for r in reservations:  # newest first: the newest live hold wins
            if r.status in ("pending", "ready") and r.sku not in held:
                text = self.tr("Reserved {qty} at {store}").format(qty=r.qty, store=r.store_name)
                if r.status == "ready":
                    text = self.tr("Ready to collect at {store}").format(store=r.store_name)
                held[r.sku] = (text, r.pending)
        self.model.held = held
        self.model.set_records(lines)
        count = sum(line.qty for line in lines) if self.kind == "cart" else len(lines)
        if self.kind == "cart":
            self.summary.setText(
                self.tr("{n} items · {total}").format(
                    n=count, total=fmt.money(self.model.total_cents())
                )
                if count != 1
                else self.tr("1 item · {total}").format(total=fmt.money(self.model.total_cents()))
            )
            self.order_all.setEnabled(bool(lines))
        else:
            self.summary.setText(
                self.tr("{n} saved items").format(n=count)
                if count != 1
                else self.tr("1 saved item")
            )
        self.pending_badge.setVisible(pending)
        self.origin.setText(fmt.provenance(origin) if origin is not None and lines else "")
        self.origin.setToolTip(fmt.date_time(origin.changed_at) if origin is not None else "")
        self.origin.setVisible(bool(self.origin.text()))
        self.stack.setCurrentWidget(self.view if lines else self.empty)
        self._fit_columns()

    def _buttons(self, index: Index) -> list[CellButton]:
        line: ItemLine | None = index.data(Roles.Record)
        if line is None:
            return []
        can_reserve = line.availability.here > 0 or line.availability.other_stores > 0
        if self.kind == "cart":
            return [
                CellButton("reserve", self.tr("Reserve"), "primary", can_reserve),
                CellButton(
                    "order", self.tr("Order online"), "secondary", line.availability.online > 0
                ),
                CellButton("remove", self.tr("Remove"), "danger"),
            ]
        return [
            CellButton("move", self.tr("Move to cart"), "primary", not line.pending),
            CellButton("reserve", self.tr("Reserve"), "secondary", can_reserve),
            CellButton("order", self.tr("Order online"), "secondary", line.availability.online > 0),
            CellButton("remove", self.tr("Remove"), "danger"),
        ]

    # -- events ------------------------------------------------------------------------
    def _on_button(self, key: str, index: Index) -> None:
        line = index.data(Roles.Record)
        if line is not None:
            self.action.emit(key, line)

    def _on_step(self, index: Index, delta: int) -> None:
        line = index.data(Roles.Record)
        if line is not None:
            self.stepped.emit(line, delta)

    def _on_double_click(self, index: Index) -> None:
        if index.column() == self.model.column(self.model.ITEM):
            self.action.emit("product", index.data(Roles.Record))

    def current_line(self) -> ItemLine | None:
        index = self.view.currentIndex()
        return index.data(Roles.Record) if index.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
            return False
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            line = self.current_line()
            if line is not None:
                key = event.key()
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.action.emit("product", line)
                    return True
                if self.kind == "cart" and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                    self.stepped.emit(line, 1)
                    return True
                if self.kind == "cart" and key == Qt.Key.Key_Minus and line.qty > 1:
                    self.stepped.emit(line, -1)
                    return True
                if self.kind == "cart" and key == Qt.Key.Key_Delete:
                    self.action.emit("remove", line)
                    return True
        return super().eventFilter(watched, event)
