"""Home: find a shopper, see recent shoppers, the reservation queue, look up a product.

One search box takes a name, email, phone, loyalty number or a scan. A keyboard-wedge
scanner types wherever the focus is: keys typed while the focus is elsewhere on this page
(a list, a button) are redirected into the search box, and a scan ends with Return, so
Return on an exact loyalty number (or a loyalty QR) opens that shopper's profile at once.

Results come as the person types (``SearchBox`` debounces ~150 ms) from the local cache.
Online, when the cache knows few matches, "Search all stores" asks central; opening such
a shopper fetches them into the cache first.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.background import spawn
from app.models.products import ProductHitsModel
from app.models.shoppers import ShopperResultsModel
from app.widgets.common import Card, CountTile, EmptyState, TouchButton, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.search_box import SearchBox
from app.widgets.table import TouchTable
from sync.records import ShopperHit

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")

LOYALTY_RE = re.compile(r"(?<!\d)(\d{12})(?!\d)")
BARCODE_RE = re.compile(r"^\d{13}$")
FEW_LOCAL_HITS = 3
QUEUE_TILES = (
    ("pending", "Pending", "pending"),
    ("ready", "Ready", "success"),
    ("expired", "Expired", "warning"),
)


def loyalty_in(text: str) -> str | None:
    """The 12-digit loyalty number in a typed number or a scanned card/QR payload."""
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 12:
        return digits
    match = LOYALTY_RE.search(text)
    return match.group(1) if match and not text.strip().isdigit() else None


def hit_from_remote(item: Any, store_names: dict[str, str]) -> ShopperHit:
    """A remote search answer (``ShopperHit`` already, or a wire ``ShopperSummary``)."""
    if isinstance(item, ShopperHit):
        return item
    get = item.get if isinstance(item, dict) else lambda k, d=None: getattr(item, k, d)
    name = get("name") or f"{get('first_name', '')} {get('last_name', '')}".strip()
    home = get("home_store_id", "") or ""
    return ShopperHit(
        id=get("id"),
        name=name,
        tier=get("tier", "bronze"),
        points=get("points", 0) or 0,
        email=get("email", "") or "",
        phone=get("phone", "") or "",
        loyalty_id=get("loyalty_id", "") or "",
        home_store_id=home,
        home_store_name=store_names.get(home, home),
        last_visit_at=get("last_visit_at"),
        match="text",
    )


class HomePage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("HomePage")
        self.ctx = ctx
        self.navigator = navigator
        self._remote_query: str | None = None
        self._scan_pending = False

        outer = QHBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 20)
        outer.setSpacing(20)

        # ---- left: shopper search -------------------------------------------------
        left = QVBoxLayout()
        left.setSpacing(12)
        self.search = SearchBox(self.tr("Name, email, phone or loyalty number — or scan a card"))
        self.search.setObjectName("ShopperSearch")
        self.search.searchChanged.connect(self.run_search)
        self.search.submitted.connect(self.submit_search)
        left.addWidget(self.search)

        self.results_title = label(self.tr("Recent shoppers"), "h2")
        self.results_title.setObjectName("ResultsTitle")
        left.addWidget(self.results_title)

        self.lists = QStackedWidget()
        self.results_model = ShopperResultsModel(self)
        self.results = TouchTable(self.results_model, stretch_column=0)
        self.results.setObjectName("ShopperResults")
        self.results.setItemDelegateForColumn(0, TwoLineDelegate(self.results, icon_px=22))
        self.results.rowActivated.connect(self._open_result)
        self.recent_model = ShopperResultsModel(self)
        self.recent = TouchTable(self.recent_model, stretch_column=0)
        self.recent.setObjectName("RecentShoppers")
        self.recent.setItemDelegateForColumn(0, TwoLineDelegate(self.recent, icon_px=22))
        self.recent.rowActivated.connect(self._open_recent)
        self.no_results = EmptyState(
            "search",
            self.tr("No shopper found here"),
            self.tr("Check the spelling, try the phone number or email, or search all stores."),
        )
        self.no_recent = EmptyState(
            "user",
            self.tr("No recent shoppers"),
            self.tr("Search by name, email, phone or loyalty number, or scan a loyalty card."),
        )
        for widget in (self.recent, self.results, self.no_results, self.no_recent):
            self.lists.addWidget(widget)
        left.addWidget(self.lists, 1)

        remote_row = QHBoxLayout()
        self.remote_hint = label("", "muted")
        self.remote_hint.setWordWrap(True)
        self.remote_button = TouchButton(self.tr("Search all stores"), "secondary", "store")
        self.remote_button.setObjectName("RemoteSearchButton")
        self.remote_button.clicked.connect(self.search_all_stores)
        remote_row.addWidget(self.remote_hint, 1)
        remote_row.addWidget(self.remote_button)
        left.addLayout(remote_row)
        outer.addLayout(left, 3)

        # ---- right: queue summary and product look-up ------------------------------
        right = QVBoxLayout()
        right.setSpacing(16)
        queue_card = Card()
        queue_card.setObjectName("QueueSummary")
        queue_layout = QVBoxLayout(queue_card)
        queue_layout.setContentsMargins(18, 14, 18, 16)
        queue_layout.setSpacing(10)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Reservations here"), "h2"), 1)
        self.open_queue = TouchButton(self.tr("Open queue"), "ghost", "chevron-right")
        self.open_queue.setObjectName("OpenQueueButton")
        self.open_queue.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.open_queue.clicked.connect(lambda: self.navigator.show_queue())
        head.addWidget(self.open_queue)
        queue_layout.addLayout(head)
        tiles = QGridLayout()
        tiles.setSpacing(10)
        self.queue_counts: dict[str, CountTile] = {}
        for column, (status, text, colour) in enumerate(QUEUE_TILES):
            tile = CountTile(self.tr(text), colour)
            tile.setObjectName(f"QueueTile_{status}")
            tile.clicked.connect(lambda _c=False, s=status: self._open_queue(s))
            tiles.addWidget(tile, 0, column)
            self.queue_counts[status] = tile
        queue_layout.addLayout(tiles)
        right.addWidget(queue_card)

        product_card = Card()
        product_card.setObjectName("ProductLookup")
        product_layout = QVBoxLayout(product_card)
        product_layout.setContentsMargins(18, 14, 18, 16)
        product_layout.setSpacing(10)
        product_layout.addWidget(label(self.tr("Product and stock"), "h2"))
        self.product_search = SearchBox(self.tr("Product name, brand or barcode"))
        self.product_search.setObjectName("ProductSearch")
        self.product_search.searchChanged.connect(self.run_product_search)
        self.product_search.submitted.connect(self.submit_product_search)
        product_layout.addWidget(self.product_search)
        self.product_model = ProductHitsModel(self, ctx.images)
        self.products = TouchTable(self.product_model, stretch_column=0, row_height=60)
        self.products.setItemDelegateForColumn(0, TwoLineDelegate(self.products))
        self.products.setObjectName("ProductResults")
        self.products.horizontalHeader().hide()
        self.products.rowActivated.connect(self._open_product)
        self.product_hint = label("", "muted")
        self.product_hint.setWordWrap(True)
        self.product_hint.hide()
        product_layout.addWidget(self.product_hint)
        product_layout.addWidget(self.products, 1)
        self.product_spacer = EmptyState(
            "tag",
            self.tr("Look up a product"),
            self.tr(
                "Type a name or brand, or scan a barcode, to see sizes and stock in every store."
            ),
        )
        product_layout.addWidget(self.product_spacer, 1)
        self.products.hide()
        right.addWidget(product_card, 1)
        outer.addLayout(right, 2)

        self._install_scan_redirect()
        ctx.bridge.dataChanged.connect(self.refresh)
        ctx.bridge.stateChanged.connect(lambda _s: self._update_remote_offer())
        self.refresh()

    # -- scanning: keys typed elsewhere on the page land in the search ---------------------
    def _install_scan_redirect(self) -> None:
        for child in self.findChildren(QWidget):
            if not isinstance(child, QLineEdit):
                child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._redirect_key(event)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self._redirect_key(event):
            super().keyPressEvent(event)

    def _redirect_key(self, event: QKeyEvent) -> bool:
        ignored = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        if event.modifiers() & ~ignored:
            return False  # shortcuts stay shortcuts
        text = event.text()
        if text and text.isprintable():
            if not self.search.hasFocus():
                # a scan (or typing) from elsewhere on the page starts a new search
                self.search.setFocus(Qt.FocusReason.OtherFocusReason)
                self.search.selectAll()
                self._scan_pending = True
            self.search.insert(text)
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._scan_pending:
            self._scan_pending = False
            self.search.returnPressed.emit()
            return True
        return False

    # -- shopper search --------------------------------------------------------------------
    def run_search(self, text: str) -> None:
        self._remote_query = None
        self.results_model.remote = False
        if not text:
            self._show_recent()
            return
        try:
            hits = self.ctx.cache.search_shoppers(text, limit=25)
        except Exception as exc:  # noqa: BLE001 - a CacheError has a sentence for a person
            self.ctx.messages.error(getattr(exc, "message", None) or self.tr("Search failed."))
            hits = []
        self.results_model.set_records(hits)
        self.results_title.setText(
            self.tr("1 shopper found here")
            if len(hits) == 1
            else self.tr("%1 shoppers found here").replace("%1", str(len(hits)))
        )
        self.lists.setCurrentWidget(self.results if hits else self.no_results)
        self._update_remote_offer()

    def submit_search(self, text: str) -> None:
        """Return in the search box (a scanner ends each scan with it)."""
        self._scan_pending = False
        if not text:
            return
        loyalty = loyalty_in(text)
        if loyalty is not None:
            hits = self.ctx.cache.search_shoppers(loyalty, limit=5)
            exact = [h for h in hits if h.loyalty_id == loyalty]
            if exact:
                self.open_shopper(exact[0])
                return
            if self.ctx.bridge.state.online:
                self.search.setText(loyalty)
                self.search_all_stores()
                return
            self.ctx.messages.info(
                self.tr(
                    "No shopper with loyalty number %1 on this tablet, and central "
                    "can't be reached to look further."
                ).replace("%1", loyalty)
            )
            return
        if BARCODE_RE.match(text):
            products = self.ctx.cache.search_products(text, limit=2)
            if products:
                self.search.clear()
                self.navigator.show_product(products[0].sku, None)
                return
        if self.results_model.rowCount() == 1:
            self.open_shopper(self.results_model.record(0))

    def _show_recent(self) -> None:
        try:
            recent = self.ctx.cache.recent_shoppers(limit=8)
        except Exception:  # noqa: BLE001
            log.exception("recent shoppers failed")
            recent = []
        self.recent_model.set_records(recent)
        self.results_title.setText(self.tr("Recent shoppers"))
        self.lists.setCurrentWidget(self.recent if recent else self.no_recent)
        self._update_remote_offer()

    def _update_remote_offer(self) -> None:
        text = self.search.text().strip()
        local = self.results_model.rowCount() if not self.results_model.remote else 0
        online = self.ctx.bridge.state.online
        offer = (
            bool(text)
            and len(text) >= 3
            and not self.results_model.remote
            and local < FEW_LOCAL_HITS
        )
        self.remote_button.setVisible(offer and online)
        if offer and not online:
            self.remote_hint.setText(
                self.tr("Offline: only shoppers kept on this tablet are searched.")
            )
        elif self.results_model.remote:
            self.remote_hint.setText(self.tr("Results from all stores."))
        elif offer:
            self.remote_hint.setText(
                self.tr("Not the right person? They may shop at another store.")
            )
        else:
            self.remote_hint.setText("")
        self.remote_hint.setVisible(bool(self.remote_hint.text()))

    def search_all_stores(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self._remote_query = text
        self.remote_button.setEnabled(False)
        self.remote_button.setText(self.tr("Searching…"))
        spawn(
            self.ctx.bridge.search_remote_shoppers(text),
            success=lambda found, q=text: self._on_remote(q, found),
            failure=self._on_remote_failed,
        )

    def _store_names(self) -> dict[str, str]:
        try:
            return {s.id: s.name for s in self.ctx.cache.stores()}
        except Exception:  # noqa: BLE001
            return {}

    def _on_remote(self, query: str, found: Any) -> None:
        self.remote_button.setEnabled(True)
        self.remote_button.setText(self.tr("Search all stores"))
        if query != self.search.text().strip():
            return  # the person typed on meanwhile
        items = getattr(found, "shoppers", found) or []
        names = self._store_names()
        hits = [hit_from_remote(item, names) for item in items]
        self.results_model.set_records(hits)
        self.results_model.remote = True
        self.results_title.setText(
            self.tr("1 shopper found in all stores")
            if len(hits) == 1
            else self.tr("%1 shoppers found in all stores").replace("%1", str(len(hits)))
        )
        self.lists.setCurrentWidget(self.results if hits else self.no_results)
        self._update_remote_offer()
        if len(hits) == 1 and loyalty_in(query) == hits[0].loyalty_id:
            self.open_shopper(hits[0])

    def _on_remote_failed(self, exc: BaseException) -> None:
        self.remote_button.setEnabled(True)
        self.remote_button.setText(self.tr("Search all stores"))
        self.ctx.messages.error(
            getattr(exc, "message", None) or self.tr("Couldn't search the other stores just now.")
        )

    def _open_result(self, row: int) -> None:
        hit = self.results_model.record(row)
        if hit is not None:
            self.open_shopper(hit)

    def _open_recent(self, row: int) -> None:
        hit = self.recent_model.record(row)
        if hit is not None:
            self.open_shopper(hit)

    def open_shopper(self, hit: ShopperHit) -> None:
        if self.ctx.cache.has_shopper(hit.id):
            self._show_shopper(hit.id)
            return
        self.results_title.setText(self.tr("Fetching %1 from central…").replace("%1", hit.name))
        spawn(
            self.ctx.bridge.fetch_shopper(hit.id),
            success=lambda _r, sid=hit.id: self._show_shopper(sid),
            failure=lambda exc: self.ctx.messages.error(
                getattr(exc, "message", None) or self.tr("Couldn't fetch this shopper just now.")
            ),
        )

    def _show_shopper(self, shopper_id: str) -> None:
        try:
            self.ctx.cache.mark_viewed(shopper_id)
        except Exception:  # noqa: BLE001 - recents are a convenience
            log.exception("mark_viewed failed")
        self.navigator.show_shopper(shopper_id)

    # -- queue summary ---------------------------------------------------------------------
    def _open_queue(self, status: str) -> None:
        show = self.navigator.show_queue
        try:
            show(status)
        except TypeError:
            show()

    def refresh_queue(self) -> None:
        try:
            counts = self.ctx.cache.reservation_counts(self.ctx.store_id)
        except Exception:  # noqa: BLE001
            log.exception("reservation counts failed")
            counts = {}
        for status, tile in self.queue_counts.items():
            tile.set_count(counts.get(status, 0))

    # -- product look-up -------------------------------------------------------------------
    def run_product_search(self, text: str) -> None:
        if not text:
            self.product_model.set_records([])
            self.products.hide()
            self.product_spacer.show()
            self.product_hint.hide()
            return
        try:
            hits = self.ctx.cache.search_products(text, limit=30)
        except Exception as exc:  # noqa: BLE001
            self.ctx.messages.error(getattr(exc, "message", None) or self.tr("Search failed."))
            hits = []
        self.product_model.set_records(hits)
        self.products.setVisible(bool(hits))
        self.product_spacer.setVisible(False)
        self.product_hint.setVisible(not hits)
        if not hits:
            self.product_hint.setText(self.tr("No product matches “%1”.").replace("%1", text))

    def submit_product_search(self, text: str) -> None:
        if self.product_model.rowCount() == 0 and loyalty_in(text):
            # a loyalty card scanned while the product box had the focus
            self.product_search.clear()
            self.search.setText(text)
            self.submit_search(text)
            return
        if self.product_model.rowCount() == 1 or (
            BARCODE_RE.match(text) and self.product_model.rowCount()
        ):
            self._open_product(0)

    def _open_product(self, row: int) -> None:
        hit = self.product_model.record(row)
        if hit is not None:
            self.navigator.show_product(hit.sku, None)

    # -- page life -------------------------------------------------------------------------
    def activate(self) -> None:
        self.refresh()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        self.refresh_queue()
        text = self.search.text().strip()
        if self.results_model.remote:
            self._update_remote_offer()
        elif text:
            self.run_search(text)
        else:
            self._show_recent()
        if self.product_search.text().strip():
            self.run_product_search(self.product_search.text().strip())

    def reset(self) -> None:
        """After a sign-out: nothing of the last shopper stays on screen."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.product_search.blockSignals(True)
        self.product_search.clear()
        self.product_search.blockSignals(False)
        self.results_model.set_records([])
        self.results_model.remote = False
        self.run_product_search("")
        self._show_recent()
