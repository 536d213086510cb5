"""The home page's shopper search: one box for a name, email, phone, loyalty number or
a scanned card; the recent shoppers while it is empty.

Results come as the person types (``SearchBox`` debounces ~150 ms) from the local cache.
Online, when the cache knows few matches, "Search all stores" asks central; opening such
a shopper fetches them into the cache first. Return on an exact loyalty number (or a
loyalty QR) opens that shopper's profile at once.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app.background import spawn
from app.models.shoppers import ShopperResultsModel
from app.pages.home.loyalty import loyalty_in
from app.pages.home.panel import Panel
from app.widgets.common import EmptyState, TouchButton, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.search_box import SearchBox
from app.widgets.table import TouchTable
from sync import wire
from sync.errors import CacheError, SyncError
from sync.records import ShopperHit

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")

BARCODE_RE = re.compile(r"^\d{13}$")
FEW_LOCAL_HITS = 3


def hit_from_remote(shopper: wire.ShopperSummary, store_names: dict[str, str]) -> ShopperHit:
    """A shopper found by central's search, as a row of the results."""
    return ShopperHit(
        id=shopper.id,
        name=f"{shopper.first_name} {shopper.last_name}".strip(),
        tier=shopper.tier,
        points=0,
        email=shopper.email,
        phone=shopper.phone,
        loyalty_id=shopper.loyalty_id,
        home_store_id=shopper.home_store_id,
        home_store_name=store_names.get(shopper.home_store_id, shopper.home_store_id),
        last_visit_at=shopper.last_visit_at,
        match="text",
    )


class ShopperSearch(Panel):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "ShopperSearchPanel", card=False, parent=parent)
        layout = self.column
        self.search = SearchBox(self.tr("Name, email, phone, loyalty number or scan a card"))
        self.search.setObjectName("ShopperSearch")
        self.search.searchChanged.connect(self.run_search)
        self.search.submitted.connect(self.submit_search)
        layout.addWidget(self.search)

        self.results_title = label(self.tr("Recent shoppers"), "h2")
        self.results_title.setObjectName("ResultsTitle")
        layout.addWidget(self.results_title)

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
        for table in (self.results, self.recent):  # the name first, then the store
            table.give_way(ShopperResultsModel.STORE)
        self.no_results = EmptyState("search", *self._nothing_found(remote=False))
        self.no_recent = EmptyState(
            "user",
            self.tr("No recent shoppers"),
            self.tr("Search by name, email, phone or loyalty number, or scan a loyalty card."),
        )
        for widget in (self.recent, self.results, self.no_results, self.no_recent):
            self.lists.addWidget(widget)
        layout.addWidget(self.lists, 1)

        self.new_from_empty = TouchButton(self.tr("Sign up a new shopper"), "primary", "plus")
        self.new_from_empty.setObjectName("NewShopperFromEmpty")
        self.new_from_empty.clicked.connect(self.new_shopper)
        empty_column = self.no_results.layout()
        assert isinstance(empty_column, QVBoxLayout)
        # under the hint, above the stretch that centres the empty state
        empty_column.insertWidget(4, self.new_from_empty, 0, Qt.AlignmentFlag.AlignHCenter)

        remote_row = QHBoxLayout()
        self.new_button = TouchButton(self.tr("New shopper"), "secondary", "plus")
        self.new_button.setObjectName("NewShopperButton")
        self.new_button.clicked.connect(self.new_shopper)
        remote_row.addWidget(self.new_button)
        self.remote_hint = label("", "muted")
        self.remote_hint.setWordWrap(True)
        self.remote_button = TouchButton(self.tr("Search all stores"), "secondary", "store")
        self.remote_button.setObjectName("RemoteSearchButton")
        self.remote_button.clicked.connect(self.search_all_stores)
        remote_row.addWidget(self.remote_hint, 1)
        remote_row.addWidget(self.remote_button)
        layout.addLayout(remote_row)
        ctx.bridge.stateChanged.connect(lambda _s: self._update_remote_offer())

    # -- the local search ------------------------------------------------------------------
    def run_search(self, text: str) -> None:
        self.results_model.remote = False
        if not text:
            self._show_recent()
            return
        hits = self.ctx.messages.read(lambda: self.ctx.cache.search_shoppers(text, limit=25))
        hits = hits or []
        self._show_results(
            hits,
            self.tr("1 shopper found here")
            if len(hits) == 1
            else self.tr("{n} shoppers found here").format(n=len(hits)),
        )

    def _nothing_found(self, *, remote: bool) -> tuple[str, str]:
        """The empty state's title and hint: after searching every store there is no
        further place to offer."""
        if remote:
            return (
                self.tr("No shopper found in any store"),
                self.tr("Check the spelling, or try the phone number or email."),
            )
        return (
            self.tr("No shopper found here"),
            self.tr("Check the spelling, try the phone number or email, or search all stores."),
        )

    def _show_results(self, hits: list[ShopperHit], title: str) -> None:
        self.results_model.set_records(hits)
        self.results_title.setText(title)
        title_text, hint = self._nothing_found(remote=self.results_model.remote)
        self.no_results.title.setText(title_text)
        self.no_results.text.setText(hint)
        self.lists.setCurrentWidget(self.results if hits else self.no_results)
        self._update_remote_offer()

    def submit_search(self, text: str) -> None:
        """Return in the search box (a scanner ends each scan with it)."""
        if not text:
            return
        loyalty = loyalty_in(text)
        if loyalty is not None:
            hits = self.ctx.messages.read(lambda: self.ctx.cache.search_shoppers(loyalty, limit=5))
            exact = [h for h in hits or [] if h.loyalty_id == loyalty]
            if exact:
                self.open_shopper(exact[0])
                return
            if self.ctx.bridge.state.online:
                self.search.setText(loyalty)
                self.search_all_stores()
                return
            self.ctx.messages.info(
                self.tr(
                    "No shopper with loyalty number {number} on this tablet, and central "
                    "can't be reached to look further."
                ).format(number=loyalty)
            )
            return
        if BARCODE_RE.match(text):
            products = self.ctx.messages.read(lambda: self.ctx.cache.search_products(text, 2))
            if products:
                self.search.clear()
                self.navigator.show_product(products[0].sku, None)
                return
        if self.results_model.rowCount() == 1:
            self.open_shopper(self.results_model.record(0))

    def _show_recent(self) -> None:
        try:
            recent = self.ctx.cache.recent_shoppers(limit=8)
        except CacheError:  # recents are a convenience: the search still works
            log.warning("recent shoppers could not be read", exc_info=True)
            recent = []
        self.recent_model.set_records(recent)
        self.results_title.setText(self.tr("Recent shoppers"))
        self.lists.setCurrentWidget(self.recent if recent else self.no_recent)
        self._update_remote_offer()

    # -- all stores ------------------------------------------------------------------------
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
        self.remote_button.setEnabled(False)
        self.remote_button.setText(self.tr("Searching…"))
        spawn(
            self.ctx.bridge.search_remote_shoppers(text),
            success=partial(self._on_remote, text),
            failure=self._on_remote_failed,
        )

    def _on_remote(self, query: str, found: list[wire.ShopperSummary]) -> None:
        self.remote_button.setEnabled(True)
        self.remote_button.setText(self.tr("Search all stores"))
        if query != self.search.text().strip():
            return  # the person typed on meanwhile
        stores = self.ctx.messages.read(self.ctx.cache.stores) or []
        names = {s.id: s.name for s in stores}
        hits = [hit_from_remote(shopper, names) for shopper in found]
        self.results_model.remote = True
        self._show_results(
            hits,
            self.tr("1 shopper found in all stores")
            if len(hits) == 1
            else self.tr("{n} shoppers found in all stores").format(n=len(hits)),
        )
        if len(hits) == 1 and loyalty_in(query) == hits[0].loyalty_id:
            self.open_shopper(hits[0])

    def _on_remote_failed(self, exc: SyncError) -> None:
        self.remote_button.setEnabled(True)
        self.remote_button.setText(self.tr("Search all stores"))
        self.ctx.messages.error(exc.message)

    # -- a new shopper ---------------------------------------------------------------------
    def new_shopper(self) -> None:
        """The sign-up dialog, with what was searched for prefilled; done, their profile."""
        from app.dialogs.new_shopper_dialog import open_new_shopper_dialog

        dialog = open_new_shopper_dialog(self.ctx, self, typed=self.search.text())
        dialog.created.connect(self._show_shopper)

    # -- opening a shopper -----------------------------------------------------------------
    def _open_result(self, row: int) -> None:
        hit = self.results_model.record(row)
        if hit is not None:
            self.open_shopper(hit)

    def _open_recent(self, row: int) -> None:
        hit = self.recent_model.record(row)
        if hit is not None:
            self.open_shopper(hit)

    def open_shopper(self, hit: ShopperHit) -> None:
        if self.ctx.messages.read(lambda: self.ctx.cache.has_shopper(hit.id)):
            self._show_shopper(hit.id)
            return
        self.results_title.setText(self.tr("Fetching {name} from central…").format(name=hit.name))
        spawn(
            self.ctx.bridge.fetch_shopper(hit.id),
            success=lambda _profile: self._show_shopper(hit.id),
            failure=lambda exc: self.ctx.messages.error(exc.message),
        )

    def _show_shopper(self, shopper_id: str) -> None:
        if loyalty_in(self.search.text()) is not None:
            self.reset()  # a card's number does not linger on Home for the next shopper
        try:
            self.ctx.cache.mark_viewed(shopper_id)
        except CacheError:  # recents are a convenience
            log.warning("could not mark the shopper as viewed", exc_info=True)
        self.navigator.show_shopper(shopper_id)

    # -- page life -------------------------------------------------------------------------
    def refresh(self) -> None:
        text = self.search.text().strip()
        if self.results_model.remote:
            self._update_remote_offer()
        elif text:
            self.run_search(text)
        else:
            self._show_recent()

    def reset(self) -> None:
        self.search.clear_quietly()
        self.results_model.set_records([])
        self.results_model.remote = False
        self._show_recent()
