"""Sync and attention: what central turned down, and what is still waiting to be sent.

Each rejected command is a card with central's reason and a one-tap way forward:
a rejected reservation offers "Reserve at another store" (``ReserveDialog`` prefilled
with a store that has stock) and "Order online instead" (``OrderDialog``); every card
offers "Dismiss" with an inline confirmation. Once the way forward is taken (the dialog
accepted), the rejected command is dismissed for the associate.

Below, the commands waiting to be sent (``OutboxModel``) and "Sync now".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app import theme
from app.dialogs.base import ShopperCommandDialog
from app.dialogs.order_dialog import OrderDialog
from app.dialogs.reserve_dialog import ReserveDialog
from app.models.outbox import OutboxModel
from app.pages.reload import ReloadOnData
from app.widgets.common import Card, EmptyState, TouchButton, label
from app.widgets.inline_confirm import InlineConfirm
from app.widgets.table import TouchTable
from sync.errors import CacheError, DeviceRevoked, InvalidInput
from sync.records import OutboxEntry, SyncState

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")


def other_store_with_stock(ctx: AppContext, sku: str, qty: int, not_store: str | None) -> Any:
    """The nearest physical store (not ``not_store``) with ``qty`` available, or None."""
    try:
        view = ctx.cache.product(sku)
    except CacheError:  # no suggestion then; the other ways forward stay
        log.warning("product look-up failed", exc_info=True)
        return None
    if view is None:
        return None
    for stock in view.stock:  # here first, then by distance, online last
        if stock.is_online or stock.store_id == not_store:
            continue
        if stock.available >= qty:
            return stock
    return None


class AttentionCard(Card):
    """One rejected command with its reason and the ways forward."""

    def __init__(self, entry: OutboxEntry, page: OutboxPage) -> None:
        super().__init__()
        self.entry = entry
        self.setObjectName(f"Attention_{entry.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme.icon_pixmap("warning", "danger", 24))
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        summary = label(entry.summary, "h2")
        summary.setObjectName("AttentionSummary")
        summary.setWordWrap(True)
        top.addWidget(summary, 1)
        when = label(fmt.time_hm(entry.created_at), "muted")
        top.addWidget(when, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        reason = label(entry.message or self.tr("Central turned this down."), None)
        reason.setObjectName("AttentionReason")
        reason.setWordWrap(True)
        layout.addWidget(reason)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        args = entry.args
        sku = str(args.get("sku", "")) if args.get("sku") else None
        qty = int(str(args.get("qty", 1) or 1))
        if entry.name == "reserve_item" and sku and entry.shopper_id:
            store = other_store_with_stock(page.ctx, sku, qty, str(args.get("store_id", "")))
            if store is not None:
                other = TouchButton(
                    self.tr("Reserve at {store}").format(store=store.store_name), "primary", "store"
                )
                other.setObjectName("ReserveElsewhereButton")
                other.clicked.connect(lambda: page.reserve_elsewhere(entry, sku, store.store_id))
                buttons.addWidget(other)
            order = TouchButton(self.tr("Order online instead"), "secondary", "truck")
            order.setObjectName("OrderOnlineButton")
            order.clicked.connect(lambda: page.order_online(entry, sku, qty))
            buttons.addWidget(order)
        if entry.shopper_id:
            shopper = TouchButton(self.tr("Shopper"), "ghost", "user")
            shopper.setObjectName("AttentionShopperButton")
            shopper.clicked.connect(lambda: page.navigator.show_shopper(entry.shopper_id or ""))
            buttons.addWidget(shopper)
        buttons.addStretch(1)
        dismiss = TouchButton(self.tr("Dismiss"), "secondary", "close")
        dismiss.setObjectName("DismissButton")
        buttons.addWidget(dismiss)
        layout.addLayout(buttons)
        self.confirm = InlineConfirm()
        self.confirm.setObjectName("DismissConfirm")
        layout.addWidget(self.confirm)
        dismiss.clicked.connect(
            lambda: self.confirm.ask(
                self.tr("Dismiss this? It will not be sent again."),
                self.tr("Dismiss"),
                lambda: page.dismiss(entry),
            )
        )


class OutboxPage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("OutboxPage")
        self.ctx = ctx
        self.navigator = navigator
        self.cards: dict[str, AttentionCard] = {}
        self._dialogs: list[Any] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Sync and attention"), "title"), 1)
        self.sync_now = TouchButton(self.tr("Sync now"), "secondary", "sync")
        self.sync_now.setObjectName("SyncNowButton")
        self.sync_now.clicked.connect(self._sync_now)
        head.addWidget(self.sync_now)
        layout.addLayout(head)
        self.state_line = label("", "muted")
        self.state_line.setObjectName("SyncStateLine")
        self.state_line.setWordWrap(True)
        layout.addWidget(self.state_line)

        body = QVBoxLayout()
        body.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(10)
        self.attention_title = label(self.tr("Needs attention"), "h2")
        left.addWidget(self.attention_title)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.cards_layout = QVBoxLayout(holder)
        self.cards_layout.setContentsMargins(0, 0, 8, 0)
        self.cards_layout.setSpacing(12)
        self.all_clear = Card()
        clear_layout = QHBoxLayout(self.all_clear)
        clear_layout.setContentsMargins(18, 16, 18, 16)
        ok = QLabel()
        ok.setPixmap(theme.icon_pixmap("check", "success", 26))
        clear_layout.addWidget(ok)
        clear_text = label(
            self.tr("Nothing needs your attention. Central accepted everything sent.")
        )
        clear_text.setWordWrap(True)
        clear_layout.addWidget(clear_text, 1)
        self.cards_layout.addWidget(self.all_clear)
        self.cards_layout.addStretch(1)
        self.scroll_area.setWidget(holder)
        # the attention list is only as tall as its cards (the sections sit at the top,
        # no gap under a single card); many cards scroll within at most half the body
        left.addWidget(self.scroll_area)
        body.addLayout(left)

        right = QVBoxLayout()
        right.setSpacing(10)
        self.waiting_title = label(self.tr("Waiting to send"), "h2")
        right.addWidget(self.waiting_title)
        self.model = OutboxModel(self)
        self.table = TouchTable(self.model, stretch_column=1, row_height=52)
        self.table.setObjectName("WaitingTable")
        self.nothing_waiting = EmptyState(
            "check",
            self.tr("Nothing waiting"),
            self.tr("Everything made on this tablet has been sent."),
        )
        self.waiting_stack = QStackedWidget()
        self.waiting_stack.addWidget(self.table)
        self.waiting_stack.addWidget(self.nothing_waiting)
        right.addWidget(self.waiting_stack, 1)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)

        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "outboxReloadTimer")
        ctx.bridge.stateChanged.connect(self._show_state)
        self._show_state(ctx.bridge.state)
        self.refresh()

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        entries = self.ctx.messages.read(lambda: self.ctx.cache.outbox(("pending", "rejected")))
        entries = entries or []
        rejected = [e for e in entries if e.state == "rejected"]
        waiting = [e for e in entries if e.state == "pending"]
        self.model.set_records(waiting)
        self.waiting_stack.setCurrentWidget(self.table if waiting else self.nothing_waiting)
        self.waiting_title.setText(self.tr("Waiting to send (%n)", "", len(waiting)))
        self.attention_title.setText(self.tr("Needs attention (%n)", "", len(rejected)))
        wanted = {e.id for e in rejected}
        for cid in list(self.cards):
            if cid not in wanted:
                card = self.cards.pop(cid)
                card.hide()
                card.deleteLater()
        for position, entry in enumerate(rejected):
            if entry.id not in self.cards:
                card = AttentionCard(entry, self)
                self.cards[entry.id] = card
                self.cards_layout.insertWidget(position, card)
        self.all_clear.setVisible(not rejected)
        self._fit_attention()

    def _fit_attention(self) -> None:
        """Size the attention list to its cards, at most half the page."""
        layout = self.cards_layout
        layout.activate()
        width = max(self.scroll_area.viewport().width(), 200)
        height = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        limit = max(self.height() // 2, 160)
        self.scroll_area.setFixedHeight(min(height, limit) + 2 * self.scroll_area.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_attention()

    def _show_state(self, state: SyncState) -> None:
        parts = []
        if state.online:
            parts.append(self.tr("Online."))
        else:
            since = fmt.time_hm(state.offline_since)
            parts.append(
                self.tr(
                    "Offline since {time}; everything is kept on this tablet and sent when "
                    "central is back."
                ).format(time=since)
                if since
                else self.tr(
                    "Offline; everything is kept on this tablet and sent when central is back."
                )
            )
        if state.last_sync_at:
            parts.append(self.tr("Last sync {time}.").format(time=fmt.time_hm(state.last_sync_at)))
        if state.last_error and (not state.online or DeviceRevoked.describes(state.last_error)):
            parts.append(state.last_error)
        self.state_line.setText(" ".join(parts))
        self.sync_now.setEnabled(not state.syncing)

    def _sync_now(self) -> None:
        self.ctx.bridge.nudge()
        self.ctx.messages.info(self.tr("Syncing with central…"))

    # -- ways forward ------------------------------------------------------------------------
    def dismiss(self, entry: OutboxEntry, quiet: bool = False) -> None:
        try:
            self.ctx.commands.dismiss(entry.id)
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(exc.message)
            return
        if not quiet:
            self.ctx.messages.success(self.tr("Dismissed."))
        self.refresh()
        self.ctx.bridge.nudge()  # not a command: the engine's next state has the new count

    def _open_dialog(
        self, dialog: ShopperCommandDialog, entry: OutboxEntry, done_signal: SignalInstance
    ) -> None:
        """Show a dialog window-modally (never a nested event loop); when the way
        forward is taken, the rejected command leaves the attention list."""
        self._dialogs.append(dialog)

        def taken(*_args: Any) -> None:
            if self.ctx.cache.outbox_entry(entry.id) is not None:
                self.dismiss(entry, quiet=True)

        def finished(_result: int) -> None:
            if dialog in self._dialogs:
                self._dialogs.remove(dialog)

        done_signal.connect(taken)
        dialog.finished.connect(finished)
        dialog.open()

    def reserve_elsewhere(self, entry: OutboxEntry, sku: str, store_id: str) -> None:
        dialog = ReserveDialog(self.ctx, sku, entry.shopper_id, self, store_id=store_id)
        qty = entry.args.get("qty")
        if isinstance(qty, int):
            dialog.qty.set_value(qty)
        self._open_dialog(dialog, entry, dialog.accepted)

    def order_online(self, entry: OutboxEntry, sku: str, qty: int) -> None:
        dialog = OrderDialog(self.ctx, entry.shopper_id, [(sku, qty)], self)
        self._open_dialog(dialog, entry, dialog.placed)
