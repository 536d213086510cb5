"""Home: find a shopper, see recent shoppers, the reservation queue, your follow-ups due,
return an order, look up a product.

The page lays out its three panels (``app.pages.home``): the shopper search on the left,
the queue summary and the product look-up on the right. A keyboard-wedge scanner types
wherever the focus is: keys typed while the focus is elsewhere on this page (a list, a
button) are redirected into the shopper search box, and a scan ends with Return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.pages.home.close_of_day_tile import CloseOfDayTile
from app.pages.home.dashboard_tile import DashboardTile
from app.pages.home.follow_up_counts import FollowUpCounts
from app.pages.home.product_lookup import ProductLookup
from app.pages.home.queue_summary import QueueSummary
from app.pages.home.return_lookup import ReturnLookup
from app.pages.home.shopper_search import ShopperSearch
from app.pages.reload import ReloadOnData

if TYPE_CHECKING:
    from app.context import AppContext, Navigator


class HomePage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("HomePage")
        self.ctx = ctx
        self._scan_pending = False

        outer = QHBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 20)
        outer.setSpacing(20)
        left = QVBoxLayout()
        left.setSpacing(16)
        self.shopper_search = ShopperSearch(ctx, navigator)
        left.addWidget(self.shopper_search, 1)
        self.return_lookup = ReturnLookup(ctx, navigator)
        left.addWidget(self.return_lookup)
        manager = QHBoxLayout()  # a manager's only: side by side, the search keeps its rows
        manager.setSpacing(16)
        self.dashboard = DashboardTile(ctx, navigator)
        manager.addWidget(self.dashboard, 1)
        self.close_of_day = CloseOfDayTile(ctx, navigator)
        manager.addWidget(self.close_of_day, 1)
        left.addLayout(manager)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        right.setSpacing(16)
        self.queue_summary = QueueSummary(ctx, navigator)
        right.addWidget(self.queue_summary)
        self.follow_ups = FollowUpCounts(ctx, navigator)
        right.addWidget(self.follow_ups)
        self.product_lookup = ProductLookup(ctx, navigator)
        self.product_lookup.loyaltyScanned.connect(self._loyalty_scanned)
        right.addWidget(self.product_lookup, 1)
        outer.addLayout(right, 2)

        self.shopper_search.search.submitted.connect(self._scan_done)
        self._install_scan_redirect()
        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "homeReloadTimer")
        self.refresh()

    # -- scanning: keys typed elsewhere on the page land in the search ---------------------
    def _install_scan_redirect(self) -> None:
        for child in self.findChildren(QWidget):
            if not isinstance(child, QLineEdit):
                child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._redirect_key(event)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._redirect_key(event):
            super().keyPressEvent(event)

    def _redirect_key(self, event: QKeyEvent) -> bool:
        search = self.shopper_search.search
        ignored = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        if event.modifiers() & ~ignored:
            return False  # shortcuts stay shortcuts
        text = event.text()
        if text and text.isprintable():
            if not search.hasFocus():
                # a scan (or typing) from elsewhere on the page starts a new search
                search.setFocus(Qt.FocusReason.OtherFocusReason)
                search.selectAll()
                self._scan_pending = True
            search.type_in(text)
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._scan_pending:
            self._scan_pending = False
            search.returnPressed.emit()
            return True
        return False

    def _scan_done(self, _text: str) -> None:
        self._scan_pending = False

    def _loyalty_scanned(self, text: str) -> None:
        self.shopper_search.search.setText(text)
        self.shopper_search.submit_search(text)

    # -- page life -------------------------------------------------------------------------
    def activate(self) -> None:
        self.refresh()
        self.shopper_search.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        self.queue_summary.refresh()
        self.follow_ups.refresh()
        self.close_of_day.refresh()
        self.dashboard.refresh()
        self.shopper_search.refresh()
        self.product_lookup.refresh()

    def reset(self) -> None:
        """After a sign-out: nothing of the last shopper stays on screen."""
        self.shopper_search.reset()
        self.product_lookup.reset()
        self.return_lookup.reset()
