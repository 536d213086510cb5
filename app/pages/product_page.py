"""Product and stock: find a product, pick colour and size, see stock in every store.

``ProductPage(ctx, navigator).load(sku, shopper_id=None)``; an empty ``sku`` opens the
page on its search box. The search takes a name, brand, SKU or barcode; a barcode scan
(digits then Return, from a keyboard-wedge scanner) opens the product straight away.

The stock grid has the style's sizes (in the chosen colour) as rows and the stores as
columns (here first, the other stores by distance, online last); a cell is what is
available, coloured by level, and each column says when its figures are from ("as of
14:05"). Tapping a cell picks that size and store. "Reserve" and "Order online" open the
dialogs for the shopper this page was opened for, or ask for one; "Add to cart" and "Add
to wishlist" (``app.pages.product_for_shopper``) add the chosen size for that shopper.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app.models.products import ProductHitsModel
from app.models.roles import Roles
from app.models.stock import StockGridModel
from app.pages.product_for_shopper import ForShopperActions
from app.pages.product_recommended import RecommendedToggle
from app.pages.reload import ReloadOnData
from app.widgets.common import Badge, Card, EmptyState, TouchButton, label
from app.widgets.product_cell import (
    ProductCellDelegate,
    ProductSummary,
)
from app.widgets.search_box import SearchBox
from app.widgets.stock_grid import StockGridView, stock_legend
from sync.records import ProductView

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

BARCODE_RE = re.compile(r"^\d{8,14}$")
SIZES_PER_ROW = 5


class ProductPage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.ctx = ctx
        self.navigator = navigator
        self.sku: str | None = None
        self.shopper_id: str | None = None
        self.view: ProductView | None = None
        self.store_choice: str | None = None
        self.dialog: QWidget | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(12)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.search = SearchBox(self.tr("Search products: name, brand, SKU, or scan a barcode"))
        self.search.setObjectName("ProductSearch")
        self.search.searchChanged.connect(self.run_search)
        self.search.submitted.connect(self.submit_search)
        top.addWidget(self.search, 1)
        self.shopper_badge = Badge("", "info")
        self.shopper_badge.setObjectName("ProductShopper")
        self.shopper_badge.setMinimumHeight(32)
        top.addWidget(self.shopper_badge)
        layout.addLayout(top)

        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)

        # results
        self.hits = ProductHitsModel(self, group_colours=True)
        self.results = QListView()
        self.results.setObjectName("ProductResults")
        self.results.setModel(self.hits)
        self.results.setItemDelegate(ProductCellDelegate(ctx.images, self.results, image_side=72))
        self.results.setUniformItemSizes(True)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.clicked.connect(self._open_hit)
        self.results.activated.connect(self._open_hit)
        self.stack.addWidget(self.results)

        self.empty = EmptyState(
            "search",
            self.tr("Find a product"),
            self.tr(
                "Type a name, brand or SKU, or scan the barcode on the "
                "label, to see its stock in every store."
            ),
        )
        self.stack.addWidget(self.empty)

        # detail
        detail = QWidget()
        row = QHBoxLayout(detail)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.left = left = Card()
        left.setObjectName("ProductCard")
        left.setMinimumWidth(320)
        left.setMaximumWidth(440)  # 360 on a narrow screen: the stock grid needs the room
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(16, 16, 16, 16)
        lcol.setSpacing(10)
        self.summary = ProductSummary(ctx.images, image_side=96)
        lcol.addWidget(self.summary)
        self.meta = label("", "muted")
        self.meta.setObjectName("ProductMeta")
        self.meta.setWordWrap(True)
        lcol.addWidget(self.meta)
        self.description = QLabel()
        self.description.setObjectName("ProductDescription")
        self.description.setWordWrap(True)
        lcol.addWidget(self.description)
        lcol.addWidget(label(self.tr("Colour"), "h2"))
        self.colour_row = QHBoxLayout()
        self.colour_row.setSpacing(8)
        lcol.addLayout(self.colour_row)
        lcol.addWidget(label(self.tr("Size"), "h2"))
        self.size_holder = QWidget()
        self.size_grid = QGridLayout(self.size_holder)
        self.size_grid.setContentsMargins(0, 0, 0, 0)
        self.size_grid.setSpacing(6)
        lcol.addWidget(self.size_holder)
        self.for_shopper = ForShopperActions(ctx)
        self.for_shopper.shopperChosen.connect(self._serve)
        lcol.addWidget(self.for_shopper)
        lcol.addStretch(1)
        row.addWidget(left)

        right = QVBoxLayout()
        right.setSpacing(10)
        heading = QHBoxLayout()
        self.grid_title = label(self.tr("Stock by size and store"), "h2")
        heading.addWidget(self.grid_title)
        heading.addStretch(1)
        for level, text in (
            ("good", self.tr("3 or more")),
            ("low", self.tr("1–2 left")),
            ("none", self.tr("None")),
        ):
            heading.addWidget(stock_legend(level, text))
        right.addLayout(heading)
        self.grid_model = StockGridModel(self)
        self.grid = StockGridView(self.grid_model)
        self.grid.clicked.connect(self._on_cell)
        right.addWidget(self.grid, 1)
        self.choice = label("", "muted")
        self.choice.setObjectName("StockChoice")
        self.choice.setWordWrap(True)
        right.addWidget(self.choice)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.order_button = TouchButton(self.tr("Order online"), "secondary", "truck")
        self.order_button.setObjectName("OrderOnlineButton")
        self.order_button.clicked.connect(self.open_order)
        self.reserve_button = TouchButton(self.tr("Reserve"), "primary", "store")
        self.reserve_button.setObjectName("ReserveButton")
        self.reserve_button.setMinimumWidth(180)
        self.reserve_button.clicked.connect(self.open_reserve)
        actions.addWidget(self.order_button)
        actions.addWidget(self.reserve_button)
        right.addLayout(actions)
        row.addLayout(right, 1)
        self.detail = detail
        self.stack.addWidget(detail)
        # what goes with the product shown, in place of its stock ("Recommended (n)")
        self.recommended = RecommendedToggle(ctx, self.stack, detail, self._open_recommended)
        top.addWidget(self.recommended.button)
        self.for_shopper.shopperChosen.connect(self._recommend_for_served)

        self.colour_buttons: list[TouchButton] = []
        self.size_buttons: list[TouchButton] = []
        self._scanning = False
        self._reloader = ReloadOnData(self, ctx.bridge, self.reload, "productReloadTimer")
        for view in (self.grid, self.results):  # a scan while a list has the focus
            view.installEventFilter(self)
        self.stack.setCurrentWidget(self.empty)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.left.setMaximumWidth(440 if self.width() >= 1200 else 360)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Digits typed on the grid or the results (a barcode scanner) go to the search."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            if (
                text
                and text.isdigit()
                and not event.modifiers()
                & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
            ):
                if not self._scanning:  # the first digit of a scan starts a new search
                    self._scanning = True
                    self.search.clear()
                self.search.setFocus(Qt.FocusReason.OtherFocusReason)
                self.search.type_in(text)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._scanning:
                self._scanning = False
                self.search.returnPressed.emit()
                return True
        return super().eventFilter(watched, event)

    # -- navigation --------------------------------------------------------------------
    def load(self, sku: str | None, shopper_id: str | None = None) -> None:
        self.shopper_id = shopper_id or None
        self._show_shopper()
        self.recommended.reset()  # a product opens on its stock
        self.store_choice = None
        if sku:
            self.search.clear_quietly()
            self.show_product(sku)
        else:
            self.sku = None
            self.search.clear()
            self.stack.setCurrentWidget(self.empty)
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _serve(self, shopper_id: str) -> None:
        """A shopper picked to add to their cart or wishlist is the one served now."""
        self.shopper_id = shopper_id
        self._show_shopper()

    def _show_shopper(self) -> None:
        self.for_shopper.set_item(self.sku, self.shopper_id)
        shopper_id = self.shopper_id
        shopper = (
            self.ctx.messages.read(lambda: self.ctx.cache.shopper(shopper_id))
            if shopper_id
            else None
        )
        if shopper is None:
            self.shopper_badge.setText(self.tr("No shopper chosen"))
            self.shopper_badge.set_kind("muted")
        else:
            self.shopper_badge.setText(
                self.tr("For {name}").format(name=f"{shopper.first_name} {shopper.last_name}")
            )
            self.shopper_badge.set_kind("info")

    # -- search ------------------------------------------------------------------------
    def run_search(self, text: str) -> None:
        if not text:
            if self.sku:
                self.stack.setCurrentWidget(self.detail)
            else:
                self.stack.setCurrentWidget(self.empty)
            return
        hits = self.ctx.messages.read(lambda: self.ctx.cache.search_products(text, limit=40)) or []
        self.hits.set_records(hits)
        if hits:
            self.stack.setCurrentWidget(self.results)
        else:
            self.empty.title.setText(self.tr("No product matches “{text}”").format(text=text))
            self.empty.text.setText(self.tr("Check the spelling, or scan the barcode."))
            self.stack.setCurrentWidget(self.empty)

    def submit_search(self, text: str) -> None:
        """Return in the search: a barcode scan (or a single match) opens the product."""
        self._scanning = False
        if not text:
            return
        if (BARCODE_RE.match(text) or self.hits.rowCount() == 1) and self.hits.rowCount() >= 1:
            self.show_product(self.hits.hit(0).sku)
            self.search.selectAll()

    def _open_hit(self, index: QModelIndex) -> None:
        if index.isValid():
            self.show_product(self.hits.hit(index.row()).sku)

    # -- product -----------------------------------------------------------------------
    def show_product(self, sku: str) -> None:
        self.sku = sku
        if not self.reload():
            self.empty.title.setText(self.tr("This product isn't on this tablet"))
            self.empty.text.setText(self.tr("It may have left the catalog. Search again."))
            self.stack.setCurrentWidget(self.empty)

    def reload(self) -> bool:
        sku = self.sku
        if not sku:
            return False
        shopper_id = self.shopper_id
        view = self.ctx.messages.read(lambda: self.ctx.cache.product(sku, shopper_id=shopper_id))
        if view is None:
            return False
        self.view = view
        p = view.product
        self.summary.set_product(p, view.price)
        self.meta.setText(
            f"{p.brand} · {p.subcategory} · {self.tr('SKU')} {p.sku} · "
            f"{self.tr('Barcode')} {p.barcode}"
        )
        self.description.setText(p.description)
        self.description.setVisible(bool(p.description))
        self._fill_colours(view)
        self._fill_sizes(view)
        views = [
            view
            if s.sku == p.sku
            else self.ctx.messages.read(partial(self.ctx.cache.product, s.sku))
            for s in (view.sizes or (p,))
        ]
        self.grid_model.set_views([v for v in views if v is not None], p.sku)
        self.for_shopper.set_item(p.sku, self.shopper_id)
        self._select_cell()
        self.recommended.show_for_product(p.sku, self.shopper_id)
        self.stack.setCurrentWidget(self.recommended.current())
        return True

    def _fill_colours(self, view: ProductView) -> None:
        for button in self.colour_buttons:
            button.deleteLater()
        self.colour_buttons = []
        while self.colour_row.count():
            self.colour_row.takeAt(0)
        p = view.product
        variants: dict[str, str] = {p.colour: p.sku}
        hits = (
            self.ctx.messages.read(lambda: self.ctx.cache.search_products(p.name, limit=200)) or []
        )
        for hit in hits:
            if hit.style_id == p.style_id:
                variants.setdefault(hit.colour, hit.sku)
                if hit.size == p.size:
                    variants[hit.colour] = hit.sku if hit.colour != p.colour else p.sku
        for colour_name, sku in sorted(variants.items()):
            button = TouchButton(colour_name, "segment")
            button.setObjectName(f"Colour_{colour_name}")
            button.setChecked(colour_name == p.colour)
            button.clicked.connect(lambda _c=False, s=sku: self._pick(s))
            self.colour_buttons.append(button)
            self.colour_row.addWidget(button)
        self.colour_row.addStretch(1)

    def _fill_sizes(self, view: ProductView) -> None:
        for button in self.size_buttons:
            button.deleteLater()
        self.size_buttons = []
        while self.size_grid.count():
            self.size_grid.takeAt(0)
        for i, size in enumerate(view.sizes or (view.product,)):
            button = TouchButton(size.size, "segment")
            button.setObjectName(f"Size_{size.size}")
            button.setMinimumWidth(60)
            button.setChecked(size.sku == view.product.sku)
            button.clicked.connect(lambda _c=False, s=size.sku: self._pick(s))
            self.size_buttons.append(button)
            self.size_grid.addWidget(button, i // SIZES_PER_ROW, i % SIZES_PER_ROW)

    def _pick(self, sku: str) -> None:
        if sku != self.sku:
            self.sku = sku
            self.reload()
        elif self.view is not None:  # tapping the chosen one again keeps it chosen
            self._fill_colours(self.view)
            self._fill_sizes(self.view)

    def _on_cell(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        column = self.grid_model.columns()[index.column()]
        self.store_choice = None if column.is_online else column.store_id
        sku = index.data(Roles.Key)
        if sku != self.sku:
            self.sku = sku
            self.reload()
        else:
            self._select_cell()

    def _select_cell(self) -> None:
        view = self.view
        if view is None:
            return
        row = self.grid_model.row_of(view.product.sku)
        store = self.store_choice or self.ctx.store_id
        col = self.grid_model.column_of(store)
        if row >= 0 and col >= 0:
            self.grid.setCurrentIndex(self.grid_model.index(row, col))
        stock = next((s for s in view.stock if s.store_id == store), None)
        here = next((s for s in view.stock if s.is_here), None)
        online = next((s for s in view.stock if s.is_online), None)
        parts = [fmt.size_label(view.product.size)]
        if stock is not None:
            parts.append(
                self.tr("{n} available at {store} ({as_of})").format(
                    n=stock.available,
                    store=stock.store_name,
                    as_of=fmt.as_of(stock.refreshed_at or stock.updated_at),
                )
            )
        self.choice.setText(" · ".join(parts))
        can_reserve = any(s.available > 0 for s in view.stock if not s.is_online)
        self.reserve_button.setEnabled(can_reserve)
        self.reserve_button.setToolTip(
            "" if can_reserve else self.tr("No store has this size; order it online.")
        )
        self.order_button.setEnabled(
            online is None or online.available > 0 or here is None or here.available == 0
        )

    def _open_recommended(self, sku: str) -> None:
        self.load(sku, self.shopper_id)

    def _recommend_for_served(self, _shopper_id: str) -> None:
        if self.sku:  # a shopper just chosen to be served: what suits them now
            self.recommended.show_for_product(self.sku, self.shopper_id)

    # -- actions -----------------------------------------------------------------------
    def open_reserve(self) -> QWidget | None:
        if not self.sku:
            return None
        from app.dialogs.reserve_dialog import ReserveDialog

        dialog = ReserveDialog(
            self.ctx, self.sku, self.shopper_id, self, store_id=self.store_choice
        )
        return self._open(dialog)

    def open_order(self) -> QWidget | None:
        if not self.sku:
            return None
        from app.dialogs.order_dialog import OrderDialog

        dialog = OrderDialog(self.ctx, self.shopper_id, [(self.sku, 1)], self)
        return self._open(dialog)

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.reload())
        dialog.open()
        return dialog
