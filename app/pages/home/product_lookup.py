"""The home page's product look-up: a search box and the hits, each opening the
product and stock page.

Signals: ``loyaltyScanned(str)``, a loyalty card scanned while this box had the focus
(the home page hands it to the shopper search).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.models.products import ProductHitsModel
from app.pages.home.loyalty import loyalty_in
from app.pages.home.panel import Panel
from app.widgets.common import EmptyState, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.search_box import SearchBox
from app.widgets.table import TouchTable

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

BARCODE_RE = re.compile(r"^\d{13}$")


class ProductLookup(Panel):
    loyaltyScanned = Signal(str)

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "ProductLookup", card=True, parent=parent)
        layout = self.column
        layout.addWidget(label(self.tr("Product and stock"), "h2"))
        self.product_search = SearchBox(self.tr("Product name, brand or barcode"))
        self.product_search.setObjectName("ProductSearch")
        self.product_search.searchChanged.connect(self.run_product_search)
        self.product_search.submitted.connect(self.submit_product_search)
        layout.addWidget(self.product_search)
        self.product_model = ProductHitsModel(self, ctx.images)
        self.products = TouchTable(self.product_model, stretch_column=0, row_height=60)
        self.products.setItemDelegateForColumn(0, TwoLineDelegate(self.products))
        self.products.setObjectName("ProductResults")
        self.products.horizontalHeader().hide()
        self.products.rowActivated.connect(self._open_product)
        layout.addWidget(self.products, 1)
        # the results or this empty state fill the card: its title and box never move
        self.product_spacer = EmptyState("tag", *self._empty_texts(""))
        layout.addWidget(self.product_spacer, 1)
        self.products.hide()

    def _empty_texts(self, text: str) -> tuple[str, str]:
        """The empty state's title and hint: before a search, or when nothing matched."""
        if text:
            return (
                self.tr("No product matches “{text}”").format(text=text),
                self.tr("Check the spelling, or scan the barcode on the label."),
            )
        return (
            self.tr("Look up a product"),
            self.tr(
                "Type a name or brand, or scan a barcode, to see sizes and stock in every store."
            ),
        )

    def run_product_search(self, text: str) -> None:
        hits = (
            (self.ctx.messages.read(lambda: self.ctx.cache.search_products(text, limit=30)) or [])
            if text
            else []
        )
        self.product_model.set_records(hits)
        self.products.setVisible(bool(hits))
        title, hint = self._empty_texts(text)
        self.product_spacer.title.setText(title)
        self.product_spacer.text.setText(hint)
        self.product_spacer.setVisible(not hits)

    def submit_product_search(self, text: str) -> None:
        if self.product_model.rowCount() == 0 and loyalty_in(text):
            # a loyalty card scanned while the product box had the focus
            self.product_search.clear()
            self.loyaltyScanned.emit(text)
            return
        if self.product_model.rowCount() == 1 or (
            BARCODE_RE.match(text) and self.product_model.rowCount()
        ):
            self._open_product(0)

    def _open_product(self, row: int) -> None:
        hit = self.product_model.record(row)
        if hit is not None:
            self.navigator.show_product(hit.sku, None)

    def refresh(self) -> None:
        text = self.product_search.text().strip()
        if text:
            self.run_product_search(text)

    def reset(self) -> None:
        self.product_search.clear_quietly()
        self.run_product_search("")
