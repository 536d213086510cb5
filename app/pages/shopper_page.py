"""The shopper profile: one screen with everything a shopper did on every channel.

``ShopperPage(ctx, navigator).load(shopper_id)`` shows the header (name, tier, points,
home store, contact and consent, sizes, brands), the tabs Cart, Wishlist, History,
Reservations and Timeline (notes and contacts with the contact centre), and the products
viewed online recently (a strip under the tabs; tap one to open it). It reads
``ctx.cache.shopper_profile`` (window: the ``recent_views_days`` setting) and reloads on
``ctx.bridge.dataChanged``; it acts through ``ctx.commands`` (``update_cart``,
``move_wishlist_item_to_cart``, ``add_note``) and opens the Reserve and Order online
dialogs. A shopper who is not on this tablet is fetched from central when online
(``ctx.bridge.fetch_shopper`` through ``app.background.spawn``); offline it says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QHBoxLayout,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.background import spawn
from app.pages.clients.assignment import AssignmentLine, act, assignment_line
from app.pages.reload import ReloadOnData
from app.pages.shopper.header import ShopperHeader
from app.pages.shopper.history_tab import HistoryTab, ReservationsTab
from app.pages.shopper.insight_panel import InsightPanel, act_on, read_insight
from app.pages.shopper.lines_tab import ItemLinesTab
from app.pages.shopper.notes_tab import NotesTab
from app.pages.shopper.offers_strip import OffersStrip
from app.pages.shopper.recommend_strip import RecommendStrip
from app.pages.shopper.timeline_message import with_messages
from app.pages.shopper.viewed_strip import ViewedStrip
from app.widgets.common import EmptyState, TouchButton
from sync.errors import CacheError, InvalidInput, SyncError
from sync.records import ItemLine, ShopperProfileView, SyncState

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")


class ShopperPage(QWidget):
    CART, WISHLIST, HISTORY, RESERVATIONS, NOTES = range(5)
    FOR_THEM = 5  # recommendations (app.pages.shopper.recommend_strip)

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.ctx = ctx
        self.navigator = navigator
        self.shopper_id: str | None = None
        self.profile: ShopperProfileView | None = None
        self._fetching: str | None = None
        self.dialog: QWidget | None = None  # the Reserve / Order dialog on screen, if any
        self.assignment = AssignmentLine("")  # who looks after the shopper here

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(0)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        self.header = ShopperHeader()
        self.header.findProduct.connect(self._find_product)
        self.header.followUp.connect(self.open_follow_up)
        self.header.assignmentClicked.connect(self._on_assignment)
        self.header.sendMessage.connect(self.open_compose)
        column.addWidget(self.header)
        self.insight = InsightPanel()
        self.insight.actionChosen.connect(lambda action: act_on(self, action))
        insight_row = QHBoxLayout()  # the insight, and the live offers beside it if any
        insight_row.setSpacing(12)
        insight_row.addWidget(self.insight, 3)
        self.offers = OffersStrip(ctx)
        self.offers.changed.connect(self.reload)
        insight_row.addWidget(self.offers, 2, Qt.AlignmentFlag.AlignTop)
        column.addLayout(insight_row)
        self.header.makeOffer.connect(self.open_offer)
        self.header.editRecord.connect(self.open_edit)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ShopperTabs")
        self.tabs.setDocumentMode(True)
        self.cart_tab = ItemLinesTab("cart", ctx.images)
        self.wishlist_tab = ItemLinesTab("wishlist", ctx.images)
        self.history_tab = HistoryTab()
        self.reservations_tab = ReservationsTab()
        self.notes_tab = NotesTab()
        for tab in (
            self.cart_tab,
            self.wishlist_tab,
            self.history_tab,
            self.reservations_tab,
            self.notes_tab,
        ):
            self.tabs.addTab(tab, "")
        self.for_them = RecommendStrip(ctx, title=self.tr("For them"))
        self.for_them.productChosen.connect(self._show_viewed)
        self.tabs.addTab(self.for_them, self.tr("For them"))
        column.addWidget(self.tabs, 1)
        self.viewed = ViewedStrip(ctx.images)
        self.viewed.productChosen.connect(self._show_viewed)
        column.addWidget(self.viewed)
        self.stack.addWidget(content)

        self.status = EmptyState("user", "", "")
        self.status.setObjectName("ShopperStatus")
        self.retry_button = TouchButton(self.tr("Try again"), "primary", "sync")
        self.retry_button.setObjectName("ShopperRetryButton")
        self.retry_button.clicked.connect(self._retry)
        self.retry_button.setMinimumWidth(220)
        status_layout = self.status.layout()
        assert isinstance(status_layout, QBoxLayout)
        status_layout.insertWidget(
            status_layout.count() - 1, self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter
        )
        self.stack.addWidget(self.status)

        self.cart_tab.action.connect(partial(self._on_line_action, from_cart=True))
        self.cart_tab.stepped.connect(self._on_step)
        self.cart_tab.orderAll.connect(self._order_cart)
        self.wishlist_tab.action.connect(partial(self._on_line_action, from_cart=False))
        self.notes_tab.addNote.connect(self._add_note)

        self._reloader = ReloadOnData(self, ctx.bridge, self.reload, "shopperReloadTimer")
        ctx.bridge.stateChanged.connect(self._on_sync_state)

    # -- loading -----------------------------------------------------------------------
    def _on_sync_state(self, state: SyncState) -> None:
        """Back online while the page waits for a shopper it could not fetch: fetch now."""
        waiting = (
            self.stack.currentWidget() is self.status and self.status.property("state") == "offline"
        )
        if waiting and state.online and self.shopper_id and self.isVisible():
            self.load(self.shopper_id)

    def load(self, shopper_id: str) -> None:
        if shopper_id != self.shopper_id:
            self.profile = None
            self.tabs.setCurrentIndex(self.CART)
            self.notes_tab.editor.clear()
            self.notes_tab.clear_error()
        self.shopper_id = shopper_id
        if self.reload():
            self.ctx.messages.read(lambda: self.ctx.cache.mark_viewed(shopper_id))
            self.tabs.currentWidget().setFocus()
            return
        if self.ctx.bridge.state.online:
            self._fetch(shopper_id)
        else:
            self._show_status(
                "offline",
                self.tr("This shopper isn't on this tablet yet"),
                self.tr(
                    "We're offline, so their profile can't be fetched from central. "
                    "It opens as soon as the connection is back."
                ),
                retry=True,
            )

    def reload(self) -> bool:
        """Show the cached profile again; ``False`` when the cache does not have it."""
        shopper_id = self.shopper_id
        if not shopper_id:
            return False
        days = self.ctx.settings.recent_views_days
        profile = self.ctx.messages.read(
            lambda: self.ctx.cache.shopper_profile(shopper_id, recent_days=days)
        )
        if profile is None:
            if self.profile is not None:  # gone from the cache (e.g. left the store's book)
                self.profile = None
                self._show_status(
                    "missing",
                    self.tr("This shopper is no longer on this tablet"),
                    self.tr("Search for them again from Home."),
                    retry=False,
                )
            return False
        self.profile = profile
        self._show_profile(profile)
        return True

    def _fetch(self, shopper_id: str) -> None:
        if self._fetching == shopper_id:
            return
        self._fetching = shopper_id
        self._show_status(
            "loading",
            self.tr("Fetching the shopper's profile from central…"),
            self.tr("This takes a moment the first time."),
            retry=False,
        )

        def done(_result: Any) -> None:
            self._fetching = None
            if self.shopper_id == shopper_id and not self.reload():
                self._show_status(
                    "missing",
                    self.tr("Shopper not found"),
                    self.tr("Central doesn't know this shopper."),
                    retry=False,
                )

        def failed(exc: SyncError) -> None:
            self._fetching = None
            if self.shopper_id != shopper_id:
                return
            self._show_status(
                "failed", self.tr("The profile couldn't be fetched"), exc.message, retry=True
            )

        spawn(self.ctx.bridge.fetch_shopper(shopper_id), success=done, failure=failed)

    def _retry(self) -> None:
        if self.shopper_id:
            self.load(self.shopper_id)

    def _show_status(self, state: str, title: str, text: str, retry: bool) -> None:
        self.status.setProperty("state", state)
        self.status.title.setText(title)
        self.status.text.setText(text)
        self.retry_button.setVisible(retry)
        self.stack.setCurrentWidget(self.status)

    def status_text(self) -> str:
        """What the page says instead of the profile (empty while the profile shows)."""
        if self.stack.currentWidget() is not self.status:
            return ""
        return f"{self.status.title.text()} {self.status.text.text()}"

    def _show_profile(self, p: ShopperProfileView) -> None:
        self.header.show_profile(p)
        self.insight.show_read(read_insight(self.ctx, p))
        self.cart_tab.set_lines(p.cart, p.cart_pending, p.reservations, p.cart_origin)
        self.wishlist_tab.set_lines(p.wishlist, False, p.reservations)
        self.history_tab.set_orders(p.orders)
        self.reservations_tab.set_reservations(p.reservations)
        thread = self.ctx.messages.read(lambda: self.ctx.cache.messages(p.shopper.id)) or []
        self.notes_tab.set_notes(with_messages(p.timeline, thread))
        self.viewed.set_viewed(p.viewed)
        cart_count = sum(line.qty for line in p.cart)
        self.tabs.setTabText(self.CART, self.tr("Cart ({n})").format(n=cart_count))
        self.tabs.setTabText(self.WISHLIST, self.tr("Wishlist ({n})").format(n=len(p.wishlist)))
        self.tabs.setTabText(self.HISTORY, self.tr("History ({n})").format(n=len(p.orders)))
        self.tabs.setTabText(
            self.RESERVATIONS, self.tr("Reservations ({n})").format(n=len(p.reservations))
        )
        # the badge counts what people wrote and the contacts with the contact centre; the
        # kiosk's own events show but do not count
        written = sum(1 for note in p.notes if note.kind != "kiosk_event") + len(p.support)
        written += len(thread)  # and the messages both ways
        self.tabs.setTabText(self.NOTES, self.tr("Timeline ({n})").format(n=written))
        self._show_follow_ups(p.shopper.id)
        self.for_them.show_for_shopper(p.shopper.id)
        self.tabs.setTabText(
            self.FOR_THEM, self.tr("For them ({n})").format(n=self.for_them.model.rowCount())
        )
        self.stack.setCurrentIndex(0)
        self._show_assignment(p)
        self.offers.show_for_shopper(p.shopper.id)
        self._show_edit_notice(p.shopper.id)

    def _show_assignment(self, p: ShopperProfileView) -> None:
        self.assignment = assignment_line(self.ctx, p.shopper.id)
        self.header.show_assignment(self.assignment.text, self.assignment.button)

    def _on_assignment(self) -> None:
        if self.profile is not None:
            s = self.profile.shopper
            name = f"{s.first_name} {s.last_name}"
            dialog = act(self.ctx, self, s.id, name, self.assignment)
            if dialog is not None:
                self._open(dialog)
            else:
                self.reload()

    # -- actions -----------------------------------------------------------------------
    def _on_line_action(self, key: str, line: ItemLine, *, from_cart: bool) -> None:
        if self.shopper_id is None:
            return
        sku = line.product.sku
        line_shopper = self.shopper_id
        if key == "product":
            self.navigator.show_product(sku, self.shopper_id)
        elif key == "reserve":
            self.open_reserve(sku)
        elif key == "order":
            self.open_order([(sku, line.qty)], from_cart=from_cart)
        elif key == "remove" and not from_cart:
            self._command(
                lambda: self.ctx.commands.update_wishlist(
                    shopper_id=line_shopper, remove=[line.key]
                ),
                self.tr("{name} removed from the wishlist.").format(name=line.product.name),
            )
        elif key == "remove":
            self._update_cart(
                [{"op": "remove", "sku": sku}],
                self.tr("{name} removed from the cart.").format(name=line.product.name),
            )
        elif key == "move":
            self._command(
                lambda: self.ctx.commands.move_wishlist_item_to_cart(
                    wishlist_item_id=line.key, qty=1
                ),
                self.tr("{name} moved to the cart.").format(name=line.product.name),
            )

    def _on_step(self, line: ItemLine, delta: int) -> None:
        qty = max(1, min(99, line.qty + delta))
        if qty != line.qty:
            self._update_cart([{"op": "set_qty", "sku": line.product.sku, "qty": qty}], None)

    def _update_cart(self, ops: list[dict[str, Any]], success: str | None) -> None:
        shopper_id = self.shopper_id
        if self.profile is None or shopper_id is None:
            return
        version = self.profile.cart_version
        self._command(
            lambda: self.ctx.commands.update_cart(
                shopper_id=shopper_id, base_version=version, ops=ops
            ),
            success,
        )

    def _add_note(self, text: str) -> None:
        if self.shopper_id is None:
            return
        try:
            self.ctx.commands.add_note(shopper_id=self.shopper_id, text=text)
        except InvalidInput as exc:
            self.notes_tab.show_error(exc.errors.get("text") or str(exc))
            return
        except CacheError as exc:
            self.ctx.messages.error(str(exc))
            return
        self.notes_tab.note_added()
        self._written(self.tr("Note added."))

    def _command(self, call: Callable[[], Any], success: str | None) -> bool:
        try:
            call()
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(str(exc))
            return False
        self._written(success)
        return True

    def _written(self, success: str | None) -> None:
        self.reload()
        if success:
            self.ctx.messages.success(success)

    def _order_cart(self) -> None:
        if self.profile is not None and self.profile.cart:
            self.open_order(
                [(line.product.sku, line.qty) for line in self.profile.cart], from_cart=True
            )

    def _show_viewed(self, sku: str) -> None:
        self.navigator.show_product(sku, self.shopper_id)

    def _find_product(self) -> None:
        self.navigator.show_product("", self.shopper_id)

    def open_reserve(self, sku: str) -> QWidget:
        from app.dialogs.reserve_dialog import ReserveDialog

        dialog = ReserveDialog(self.ctx, sku, self.shopper_id, self)
        return self._open(dialog)

    def open_order(self, lines: list[tuple[str, int]], *, from_cart: bool = False) -> QWidget:
        """The order dialog; ``from_cart``: the lines come from the shopper's online cart,
        so ordering takes them out of it."""
        from app.dialogs.order_dialog import OrderDialog

        dialog = OrderDialog(self.ctx, self.shopper_id, lines, self, from_cart=from_cart)
        return self._open(dialog)

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.reload())
        dialog.open()
        return dialog

    def open_offer(self) -> QWidget | None:
        """The personal offer dialog for this shopper (their cart ticked to start)."""
        from app.dialogs.offer_dialog import open_offer_dialog

        if self.shopper_id is None:
            return None
        dialog = open_offer_dialog(self.ctx, self, shopper_id=self.shopper_id)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.reload())
        return dialog

    def open_edit(self) -> QWidget | None:
        """The edit dialog of the shopper's record."""
        from app.dialogs.shopper_edit_dialog import open_shopper_edit

        if self.shopper_id is None:
            return None
        dialog = open_shopper_edit(self.ctx, self, self.shopper_id)
        if dialog is not None:
            self.dialog = dialog
            dialog.finished.connect(lambda _r: self.reload())
        return dialog

    def _show_edit_notice(self, shopper_id: str) -> None:
        from sync.commands.update_shopper import field_words

        notices = self.ctx.messages.read(lambda: self.ctx.cache.edit_notices(shopper_id)) or []
        if not notices:
            self.header.show_edit_notice("")
            return
        fields = ", ".join(field_words(f) for f in notices[0].fields)
        self.header.show_edit_notice(
            self.tr("Kept from a newer change elsewhere: {fields}").format(fields=fields),
            notices[0].message,
        )

    def open_follow_up(self) -> None:
        from app.dialogs.task_dialog import open_task_dialog

        open_task_dialog(self.ctx, self, shopper_id=self.shopper_id)

    def _show_follow_ups(self, shopper_id: str) -> None:
        from app.models.tasks import follow_ups_line

        store_id = self.ctx.store_id
        tasks = self.ctx.messages.read(
            lambda: self.ctx.cache.tasks(store_id, ("open", "taken", "snoozed"))
        )
        self.header.show_follow_ups(follow_ups_line(tasks or [], shopper_id))

    def open_compose(self, **prefill: Any) -> QWidget | None:
        """The compose dialog for this shopper (``prefill``: ``open_compose``'s)."""
        from app.dialogs.compose_dialog import open_compose

        if self.shopper_id is None:
            return None
        dialog = open_compose(self.ctx, self, shopper_id=self.shopper_id, **prefill)
        if dialog is not None:
            self.dialog = dialog
            dialog.finished.connect(lambda _r: self.reload())
        return dialog
