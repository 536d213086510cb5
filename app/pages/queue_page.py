"""The store's reservation queue: pending, ready, collected, expired (and cancelled).

Pick a filter, tap a reservation, then act: "Mark ready" (pending), "Collected" (ready)
or "Cancel reservation" (pending or ready, confirmed inline). Every action is a command
through ``sync.queueing.Commands``; the row shows "sending" until central confirms it.

Right after "Mark ready" or "Collected", an "Undo" button shows for ``UNDO_SHOW_MS``: it
sends the same command back (ready -> pending, collected -> ready), which central takes
within ``sync.rules.reservations.UNDO_WINDOW`` of the change.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app import format as fmt
from app.models.queue import ReservationQueueModel, product_text
from app.pages.reload import ReloadOnData
from app.widgets.common import Card, EmptyState, TouchButton, label
from app.widgets.inline_confirm import InlineConfirm
from app.widgets.table import TouchTable
from sync.errors import CacheError, InvalidInput
from sync.records import ReservationView
from sync.rules.reservations import UNDOES

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")

FILTERS: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("pending", QT_TRANSLATE_NOOP("QueuePage", "Pending"), ("pending",)),
    ("ready", QT_TRANSLATE_NOOP("QueuePage", "Ready"), ("ready",)),
    ("collected", QT_TRANSLATE_NOOP("QueuePage", "Collected"), ("collected",)),
    ("expired", QT_TRANSLATE_NOOP("QueuePage", "Expired && cancelled"), ("expired", "cancelled")),
)

UNDO_SHOW_MS = 10_000  # how long "Undo" stays after a status change made here

# the status a change set -> the status its undo goes back to
UNDO_TO = {done: back for back, done in UNDOES.items()}

EMPTY_TEXT = {
    "pending": QT_TRANSLATE_NOOP("QueuePage", "No reservations waiting to be picked"),
    "ready": QT_TRANSLATE_NOOP("QueuePage", "Nothing waiting for collection"),
    "collected": QT_TRANSLATE_NOOP("QueuePage", "Nothing collected yet"),
    "expired": QT_TRANSLATE_NOOP("QueuePage", "No expired or cancelled reservations"),
}


class QueuePage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("QueuePage")
        self.ctx = ctx
        self.navigator = navigator
        self.filter = "pending"

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Reservation queue"), "title"), 1)
        layout.addLayout(head)

        segments = QHBoxLayout()
        segments.setSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.filter_buttons: dict[str, TouchButton] = {}
        for key, _text, _statuses in FILTERS:
            button = TouchButton("", "segment")
            button.setObjectName(f"QueueFilter_{key}")
            button.clicked.connect(lambda _c=False, k=key: self.set_filter(k))
            self.group.addButton(button)
            segments.addWidget(button)
            self.filter_buttons[key] = button
        segments.addStretch(1)
        layout.addLayout(segments)

        self.model = ReservationQueueModel(self, ctx.images)
        self.table = TouchTable(self.model, stretch_column=1)
        self.table.setObjectName("QueueTable")
        self.table.rowActivated.connect(lambda _row: self._update_actions())
        self.empty = EmptyState("list", self.tr("Nothing here"), "")
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        layout.addWidget(self.lists, 1)

        self.confirm = InlineConfirm()
        self.confirm.setObjectName("QueueConfirm")
        layout.addWidget(self.confirm)

        actions = Card()
        actions.setObjectName("QueueActions")
        row = QHBoxLayout(actions)
        row.setContentsMargins(16, 8, 8, 8)
        self.selection_label = label(self.tr("Tap a reservation to act on it."), "muted")
        self.selection_label.setWordWrap(True)
        row.addWidget(self.selection_label, 1)
        self.open_shopper = TouchButton(self.tr("Shopper"), "secondary", "user")
        self.open_shopper.setObjectName("QueueOpenShopper")
        self.open_shopper.clicked.connect(self._open_shopper)
        self.mark_ready = TouchButton(self.tr("Mark ready"), "primary", "check")
        self.mark_ready.setObjectName("MarkReadyButton")
        self.mark_ready.clicked.connect(lambda: self._set_status("ready"))
        self.mark_collected = TouchButton(self.tr("Collected"), "primary", "box")
        self.mark_collected.setObjectName("MarkCollectedButton")
        self.mark_collected.clicked.connect(lambda: self._set_status("collected"))
        self.cancel = TouchButton(self.tr("Cancel reservation"), "secondary", "close")
        self.cancel.setObjectName("CancelReservationButton")
        self.cancel.clicked.connect(self._ask_cancel)
        self.undo = TouchButton(self.tr("Undo"), "secondary")
        self.undo.setObjectName("QueueUndoButton")
        self.undo.hide()
        self.undo.clicked.connect(self._undo)
        self._undo_timer = QTimer(self)
        self._undo_timer.setObjectName("queueUndoTimer")
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SHOW_MS)
        self._undo_timer.timeout.connect(self._forget_undo)
        self._last_change: tuple[str, str, str] | None = None  # reservation, undo status, name
        buttons = (self.undo, self.open_shopper, self.mark_ready, self.mark_collected, self.cancel)
        for button in buttons:
            row.addWidget(button)
        layout.addWidget(actions)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "queueReloadTimer")
        self.set_filter("pending")

    # -- data ------------------------------------------------------------------------------
    def set_filter(self, key: str | None) -> None:
        if key not in self.filter_buttons:
            key = "pending"
        self.filter = key
        self.filter_buttons[key].setChecked(True)
        self.confirm.hide()
        self.refresh()

    def _statuses(self) -> tuple[str, ...]:
        return next(s for k, _t, s in FILTERS if k == self.filter)

    def refresh(self) -> None:
        selected = self.selected()
        try:
            rows = self.ctx.cache.reservations(
                store_id=self.ctx.store_id, statuses=self._statuses()
            )
            counts = self.ctx.cache.reservation_counts(self.ctx.store_id)
        except CacheError as exc:
            self.ctx.messages.error(exc.message)
            rows, counts = [], {}
        self.model.set_records(rows)
        for key, text, statuses in FILTERS:
            count = sum(counts.get(s, 0) for s in statuses)
            self.filter_buttons[key].setText(f"{self.tr(str(text))}  {count}")
        self.empty.title.setText(self.tr(str(EMPTY_TEXT[self.filter])))
        self.lists.setCurrentWidget(self.table if rows else self.empty)
        if selected is not None:
            for row, record in enumerate(rows):
                if record.id == selected.id:
                    self.table.selectRow(row)
                    break
        self._update_actions()

    def activate(self) -> None:
        self.refresh()

    def selected(self) -> ReservationView | None:
        row = self.table.selected_row()
        return self.model.record(row) if row is not None else None

    def _update_actions(self) -> None:
        r = self.selected()
        self.open_shopper.setEnabled(r is not None)
        self.mark_ready.setVisible(r is None or r.status == "pending")
        self.mark_collected.setVisible(r is not None and r.status == "ready")
        self.mark_ready.setEnabled(r is not None and r.status == "pending" and not r.pending)
        self.mark_collected.setEnabled(r is not None and r.status == "ready" and not r.pending)
        self.cancel.setEnabled(r is not None and r.status in ("pending", "ready") and not r.pending)
        if r is None:
            self.selection_label.setText(self.tr("Tap a reservation to act on it."))
        else:
            text = f"{r.shopper_name} · {product_text(r)} · {fmt.reservation_status(r.status)}"
            if r.pending:
                text += " · " + self.tr("waiting for central")
            self.selection_label.setText(text)

    # -- actions ---------------------------------------------------------------------------
    def _set_status(self, status: str) -> None:
        r = self.selected()
        if r is None:
            return
        try:
            self.ctx.commands.set_reservation_status(reservation_id=r.id, status=status)
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(exc.message)
            return
        if status == "ready":
            self.ctx.messages.success(
                self.tr("Marked ready: {name}").format(name=r.shopper_name),
                log_text="reservation marked ready",
            )
        else:
            self.ctx.messages.success(
                self.tr("Collected: {name}").format(name=r.shopper_name),
                log_text="reservation marked collected",
            )
        self._offer_undo(r.id, UNDO_TO[status], r.shopper_name)
        self.refresh()

    def _offer_undo(self, reservation_id: str, back_to: str, name: str) -> None:
        self._last_change = (reservation_id, back_to, name)
        self.undo.setText(
            self.tr("Undo ready") if back_to == "pending" else self.tr("Undo collected")
        )
        self.undo.show()
        self._undo_timer.start()

    def _forget_undo(self) -> None:
        self._last_change = None
        self._undo_timer.stop()
        self.undo.hide()

    def _undo(self) -> None:
        if self._last_change is None:
            return
        reservation_id, back_to, name = self._last_change
        self._forget_undo()
        try:
            self.ctx.commands.set_reservation_status(reservation_id=reservation_id, status=back_to)
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(exc.message)
            return
        self.ctx.messages.success(
            self.tr("Undone: {name}'s reservation is {status} again").format(
                name=name, status=fmt.reservation_status(back_to).lower()
            ),
            log_text=f"reservation status change undone (back to {back_to})",
        )
        self.refresh()

    def _ask_cancel(self) -> None:
        r = self.selected()
        if r is None:
            return
        self.confirm.ask(
            self.tr(
                "Cancel {name}'s reservation of {item}? The item goes back on the shelf."
            ).format(name=r.shopper_name, item=product_text(r)),
            self.tr("Cancel reservation"),
            partial(self._cancel, r.id, r.shopper_name),
        )

    def _cancel(self, reservation_id: str, name: str) -> None:
        try:
            self.ctx.commands.cancel_reservation(reservation_id=reservation_id)
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(exc.message)
            return
        self.ctx.messages.success(
            self.tr("Reservation cancelled: {name}").format(name=name),
            log_text="reservation cancelled",
        )
        self.refresh()

    def _open_shopper(self) -> None:
        r = self.selected()
        if r is not None:
            self.navigator.show_shopper(r.shopper_id)
