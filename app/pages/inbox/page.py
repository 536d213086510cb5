"""The inbox: the floor's open and taken requests, newest first, whatever their kind.

Each row says what was asked (and by whom, when the kiosk knew the shopper), how long
ago, and who is on it; its buttons are "I'm on it" (while nobody is) and "Done". Both
go through ``sync.queueing.Commands`` (:mod:`app.pages.inbox.actions`), and the row
shows the change at once, "sending" until central confirms it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QTimer
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QStackedWidget, QVBoxLayout, QWidget

from app.models.roles import Roles
from app.models.tasks import TaskListModel
from app.pages.inbox import actions
from app.pages.reload import ReloadOnData
from app.widgets.action_delegate import ButtonsDelegate, CellButton
from app.widgets.common import EmptyState, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.table import TouchTable
from sync.errors import CacheError
from sync.records import TaskView

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")

SHOWN = ("open", "taken")
AGE_TICK_MS = 30_000  # "2 min ago" moves on while the page is on screen
ACTIONS_WIDTH = 248  # "I'm on it" and "Done" side by side


class InboxPage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("InboxPage")
        self.ctx = ctx
        self.navigator = navigator

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Requests from the floor"), "title"), 1)
        self.summary = label("", "muted")
        self.summary.setObjectName("InboxSummary")
        head.addWidget(self.summary)
        layout.addLayout(head)

        self.model = TaskListModel(self)
        self.table = TouchTable(
            self.model, stretch_column=TaskListModel.REQUEST_COLUMN, row_height=64
        )
        self.table.setItemDelegateForColumn(
            TaskListModel.REQUEST_COLUMN, TwoLineDelegate(self.table, bold_first=False, icon_px=28)
        )
        self.table.setObjectName("InboxTable")
        self.row_actions = ButtonsDelegate(self.buttons_for, self.table)
        self.row_actions.clicked.connect(self._on_button)
        column = TaskListModel.ACTIONS_COLUMN
        self.table.setItemDelegateForColumn(column, self.row_actions)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, ACTIONS_WIDTH)
        self.empty = EmptyState(
            "bell",
            self.tr("No requests waiting"),
            self.tr("When a shopper calls from a kiosk, the request shows here."),
        )
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        layout.addWidget(self.lists, 1)

        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "inboxReloadTimer")
        self.age_timer = QTimer(self)
        self.age_timer.setObjectName("inboxAgeTimer")
        self.age_timer.setInterval(AGE_TICK_MS)
        self.age_timer.timeout.connect(self._tick)

    # -- data ------------------------------------------------------------------------------
    def activate(self) -> None:
        self.refresh()
        self.age_timer.start()

    def refresh(self) -> None:
        try:
            rows = self.ctx.cache.tasks(self.ctx.store_id, SHOWN)
        except CacheError as exc:
            self.ctx.messages.error(exc.message)
            rows = []
        self.model.set_records(rows)
        waiting = sum(1 for t in rows if t.status == "open")
        self.summary.setText(
            self.tr("%n waiting for someone", "", waiting) if waiting else self.tr("All taken")
        )
        self.summary.setVisible(bool(rows))
        self.lists.setCurrentWidget(self.table if rows else self.empty)

    def _tick(self) -> None:
        if self.isVisible():
            self.model.set_records(self.model.records())  # same rows: the ages repaint
        else:
            self.age_timer.stop()

    # -- actions ---------------------------------------------------------------------------
    def buttons_for(self, index: QModelIndex | QPersistentModelIndex) -> list[CellButton]:
        task: TaskView | None = index.data(Roles.Record)
        if task is None:
            return []
        buttons = []
        if task.status == "open":
            buttons.append(CellButton("take", self.tr("I'm on it"), "primary", not task.pending))
        buttons.append(CellButton("close", self.tr("Done"), "secondary", task.status != "done"))
        return buttons

    def _on_button(self, key: str, index: QModelIndex) -> None:
        task: TaskView | None = index.data(Roles.Record)
        if task is None:
            return
        done = (
            actions.take(self.ctx, task.id) if key == "take" else actions.close(self.ctx, task.id)
        )
        if done:
            self.refresh()
