"""One outreach list on screen: who, why, when, and one-tap actions per row.

``OutreachView(ctx, navigator)``; ``show_rows(name, staff_id, rows, total=...)`` shows the
first page of a list the page read (``Cache.outreach_page``: computed on the tablet, so it
works offline): "Showing 100 of 3,212", and "Show more" reads the next page in a worker
thread (``more_loaded()`` once it is on screen). A row's actions are "Open profile", "Create task" (the follow-up
dialog, with the reason as its text and a due date the list suggests) and "Send message" (the
compose dialog, an envelope: with the reason, and a back-in-stock row's SKUs or an
abandoned cart);
tapping the row opens the profile too. An empty list says so in a sentence.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QStackedWidget, QVBoxLayout, QWidget

from app import background
from app.dialogs.task_dialog import open_task_dialog
from app.models.roles import Roles
from app.pages.clients.outreach_model import OutreachModel
from app.pages.clients.sections import LIST_TITLES
from app.widgets.action_delegate import TOUCH, ButtonsDelegate, CellButton
from app.widgets.common import EmptyState, TouchButton, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.painting import scaled
from app.widgets.table import TouchTable
from sync.errors import CacheError, SyncError

if TYPE_CHECKING:
    from app.context import AppContext, Navigator
    from sync.read.outreach import OutreachPage, OutreachRow

log = logging.getLogger("clienteling.ui")


EMPTY: dict[str, tuple[object, object]] = {
    "abandoned_carts": (
        QT_TRANSLATE_NOOP("OutreachView", "No abandoned carts: the list is clear"),
        QT_TRANSLATE_NOOP("OutreachView", "Online carts left in the last days show here."),
    ),
    "back_in_stock": (
        QT_TRANSLATE_NOOP("OutreachView", "Nothing back in stock: the list is clear"),
        QT_TRANSLATE_NOOP(
            "OutreachView", "Wishlist items that come back in stock here show up here."
        ),
    ),
    "lapsed": (
        QT_TRANSLATE_NOOP("OutreachView", "No lapsed clients: the list is clear"),
        QT_TRANSLATE_NOOP(
            "OutreachView", "Gold and platinum clients who stop visiting and ordering show here."
        ),
    ),
    "important_dates": (
        QT_TRANSLATE_NOOP("OutreachView", "No important dates coming up"),
        QT_TRANSLATE_NOOP(
            "OutreachView", "Birthdays and anniversaries in the next days show here."
        ),
    ),
    "follow_ups": (
        QT_TRANSLATE_NOOP("OutreachView", "No purchases to follow up: the list is clear"),
        QT_TRANSLATE_NOOP(
            "OutreachView", "A week after a delivery or a collection, the client shows here."
        ),
    ),
    "reservations": (
        QT_TRANSLATE_NOOP("OutreachView", "Nothing waiting for collection"),
        QT_TRANSLATE_NOOP(
            "OutreachView", "Reservations ready here and holds about to end show here."
        ),
    ),
}


def _tr(text: object) -> str:
    return QCoreApplication.translate("OutreachView", str(text))


class OutreachView(QWidget):
    """Signals: ``more_loaded()`` (the next page read by "Show more" is on screen)."""

    more_loaded = Signal()

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("OutreachView")
        self.ctx = ctx
        self.navigator = navigator
        self.name = "reservations"
        self.staff_id: str | None = None
        self.total = 0
        self._asked = 0  # lists shown and pages asked for: only the latest read is shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        head = QHBoxLayout()
        self.title = label("", "title")
        self.title.setObjectName("OutreachTitle")
        head.addWidget(self.title, 1)
        self.summary = label("", "muted")
        self.summary.setObjectName("OutreachSummary")
        head.addWidget(self.summary)
        layout.addLayout(head)

        self.model = OutreachModel(self)
        self.table = TouchTable(
            self.model, stretch_column=OutreachModel.CLIENT_COLUMN, row_height=72
        )
        self.table.setObjectName("OutreachTable")
        self.table.setItemDelegateForColumn(
            OutreachModel.CLIENT_COLUMN, TwoLineDelegate(self.table, bold_first=True, icon_px=0)
        )
        self.row_actions = ButtonsDelegate(self.buttons_for, self.table)
        self.row_actions.clicked.connect(self._on_button)
        self.table.setItemDelegateForColumn(OutreachModel.ACTIONS_COLUMN, self.row_actions)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(OutreachModel.ACTIONS_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(OutreachModel.ACTIONS_COLUMN, self._actions_width())
        self.table.rowActivated.connect(self._open_row)
        self.empty = EmptyState("check", "", "")
        self.empty.setObjectName("OutreachEmpty")
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        layout.addWidget(self.lists, 1)
        self.more = TouchButton(self.tr("Show more"), "secondary")
        self.more.setObjectName("OutreachShowMore")
        self.more.clicked.connect(self.show_more)
        self.more.setVisible(False)
        layout.addWidget(self.more)

    def _actions_width(self) -> int:
        """Room for the row's buttons side by side on one line (as the delegate lays them)."""
        metrics = QFontMetrics(scaled(self.table.font(), 1.0, True))
        labels = [self.tr("Open profile"), self.tr("Create task")]
        widths = [max(TOUCH * 2, metrics.horizontalAdvance(text) + 32) for text in labels]
        widths.append(TOUCH + 12)  # "Send message": an envelope (``message_button``)
        return sum(widths) + 8 * (len(widths) - 1) + 16 + 4

    # -- data ------------------------------------------------------------------------------
    def show_pending(self, name: str, staff_id: str | None) -> None:
        """The list's title at once; its rows come with ``show_rows``."""
        if (name, staff_id) != (self.name, self.staff_id):
            self.model.set_records([])
            self.summary.setVisible(False)
            self.more.setVisible(False)
            self.lists.setCurrentWidget(self.table)
        self.name, self.staff_id = name, staff_id
        self.title.setText(QCoreApplication.translate("SectionsModel", str(LIST_TITLES[name])))

    def show_rows(
        self,
        name: str,
        staff_id: str | None,
        rows: list[OutreachRow],
        total: int | None = None,
    ) -> None:
        """List ``name`` for ``staff_id``'s clients (None: the store's), most urgent first:
        its first ``rows`` of ``total`` (None: all of it)."""
        self._asked += 1
        self.show_pending(name, staff_id)
        self.model.set_records(rows)
        self.total = len(rows) if total is None else max(total, len(rows))
        self._summarise()
        title, text = EMPTY[self.name]
        self.empty.title.setText(_tr(title))
        self.empty.text.setText(_tr(text))
        self.lists.setCurrentWidget(self.table if rows else self.empty)

    def _summarise(self) -> None:
        shown = len(self.rows())
        whose = self.tr("your clients") if self.staff_id else self.tr("the store")
        if shown < self.total:
            text = self.tr("Showing {shown} of {n} · {whose}")
        else:
            text = self.tr("{n} to reach · {whose}")
        self.summary.setText(text.format(shown=f"{shown:,}", n=f"{self.total:,}", whose=whose))
        self.summary.setVisible(bool(shown))
        self.more.setVisible(shown < self.total)
        self.more.setEnabled(True)

    def rows(self) -> list[OutreachRow]:
        return self.model.records()

    def shown_of(self, name: str | None, staff_id: str | None) -> int:
        """How many rows of list ``name`` for ``staff_id`` are on screen (0: another list)."""
        return len(self.rows()) if (name, staff_id) == (self.name, self.staff_id) else 0

    def show_more(self) -> None:
        """Read the list's next page in a worker thread and add it under the rows shown."""
        from sync.read.outreach import Thresholds

        self._asked += 1
        asked = self._asked
        self.more.setEnabled(False)
        read = partial(
            self.ctx.cache.outreach_page,
            self.ctx.store_id,
            self.name,
            Thresholds.from_settings(self.ctx.settings),
            staff_id=self.staff_id,
            offset=len(self.rows()),
        )
        background.spawn(
            asyncio.to_thread(read),
            success=partial(self._add_page, asked),
            failure=partial(self._failed, asked),
        )

    def _add_page(self, asked: int, page: OutreachPage) -> None:
        if asked != self._asked:
            return  # the list changed meanwhile: its new read shows
        self.model.add_records(page.rows)
        self.total = max(page.total, len(self.rows()))
        self._summarise()
        self.more_loaded.emit()

    def _failed(self, asked: int, error: SyncError) -> None:
        if asked != self._asked:
            return
        self.more.setEnabled(True)
        if isinstance(error, CacheError):
            self.ctx.messages.error(error.message)

    # -- actions ---------------------------------------------------------------------------
    def buttons_for(self, index: QModelIndex | Any) -> list[CellButton]:
        row: OutreachRow | None = index.data(Roles.Record)
        if row is None:
            return []
        buttons = [
            CellButton("open", self.tr("Open profile"), "secondary"),
            CellButton("task", self.tr("Create task"), "primary"),
        ]
        message = self.message_button(row)
        if message is not None:
            buttons.append(message)
        return buttons

    def message_button(self, row: OutreachRow) -> CellButton | None:
        """ "Send message" (an envelope): the compose dialog with the row's reason (and its
        SKUs, or the shopper's cart) prefilled (``send_message``)."""
        return CellButton("message", self.tr("Send message"), "secondary", icon="mail")

    def _on_button(self, key: str, index: QModelIndex) -> None:
        row: OutreachRow | None = index.data(Roles.Record)
        if row is None:
            return
        if key == "open":
            self.navigator.show_shopper(row.shopper_id)
        elif key == "task":
            self.create_task(row)
        elif key == "message":
            self.compose(row)

    def _open_row(self, number: int) -> None:
        row = self.model.record(number)
        if row is not None:
            self.navigator.show_shopper(row.shopper_id)

    def create_task(self, row: OutreachRow) -> None:
        """The follow-up dialog for the row's shopper, the reason as its text, due when the
        list suggests (today for most; a few days before an important date)."""
        due = row.due_on or date.today()
        open_task_dialog(self.ctx, self, shopper_id=row.shopper_id, message=row.reason, due=due)

    def compose(self, row: OutreachRow) -> None:
        """The compose dialog for the row's shopper, with its reason; a back-in-stock row
        attaches its SKUs, an abandoned cart the shopper's cart."""
        from app.dialogs.compose_dialog import open_compose

        open_compose(
            self.ctx,
            self,
            shopper_id=row.shopper_id,
            reason=row.reason,
            skus=row.skus if row.list_name == "back_in_stock" else (),
            share_cart=row.list_name == "abandoned_carts",
        )
