"""The inbox: everything an associate must do, the floor's calls and the follow-ups.

Filter chips (``app.pages.inbox.filters``) with their counts: Mine (the default), Store,
Due today, Overdue, Snoozed, Done. Each row says what (and its kind), for whom (a tap on
the row opens the profile), when (a call: how long ago; a follow-up: when it is due, overdue in
the warning colour), and who is on it or whose it is. A call's buttons are "I'm on it"
(while nobody is) and "Done"; an open follow-up's are Done, Snooze and Reassign (the
second step in ``ChoicePanel`` under the list), a done or snoozed one's Reopen. Each goes
through ``sync.queueing.Commands`` (:mod:`app.pages.inbox.actions`), and the row shows the
change at once, "sending" until central confirms it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, QSize, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QStackedWidget,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.models.roles import Roles
from app.models.tasks import TaskListModel, is_call
from app.pages.inbox import actions, filters
from app.pages.inbox.choice_panel import ChoicePanel
from app.pages.inbox.times import quick_time
from app.pages.reload import ReloadOnData
from app.widgets.action_delegate import TOUCH, ButtonsDelegate, CellButton
from app.widgets.common import EmptyState, TouchButton, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.table import TouchTable
from sync.errors import CacheError
from sync.records import TaskView

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")

DUPLICATE = "duplicate_shopper"  # a sign-up that may be a known shopper: Compare
AGE_TICK_MS = 30_000  # "2 min ago" moves on while the page is on screen
PROMPT_CHARS = 40

EMPTY: dict[str, object] = {
    "mine": QT_TRANSLATE_NOOP(
        "InboxPage", "When a shopper calls from a kiosk or a follow-up is yours, it shows here."
    ),
    "store": QT_TRANSLATE_NOOP("InboxPage", "Nothing open in the store."),
    "due_today": QT_TRANSLATE_NOOP("InboxPage", "Nothing of yours is due later today."),
    "overdue": QT_TRANSLATE_NOOP("InboxPage", "Nothing of yours is overdue."),
    "snoozed": QT_TRANSLATE_NOOP("InboxPage", "Nothing snoozed."),
    "done": QT_TRANSLATE_NOOP("InboxPage", "Nothing done yet."),
}


class OneLineButtons(ButtonsDelegate):
    """A row's buttons side by side: the column is as wide as the widest row's buttons
    (the rows are one button high)."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        widths = [w for _b, w in self._sizes(index, option.font)]
        return QSize(sum(widths) + 8 * max(0, len(widths) - 1) + 16, TOUCH + 16)


class InboxPage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("InboxPage")
        self.ctx = ctx
        self.navigator = navigator
        self.filter = "mine"

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Inbox"), "title"), 1)
        self.summary = label("", "muted")
        self.summary.setObjectName("InboxSummary")
        head.addWidget(self.summary)
        layout.addLayout(head)

        chips = QHBoxLayout()
        chips.setSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.filter_buttons: dict[str, TouchButton] = {}
        for key, _text in filters.FILTERS:
            button = TouchButton("", "segment")
            button.setObjectName(f"InboxFilter_{key}")
            button.clicked.connect(lambda _c=False, k=key: self.set_filter(k))
            self.group.addButton(button)
            chips.addWidget(button)
            self.filter_buttons[key] = button
        chips.addStretch(1)
        layout.addLayout(chips)

        self.model = TaskListModel(self)
        self.table = TouchTable(
            self.model, stretch_column=TaskListModel.REQUEST_COLUMN, row_height=64
        )
        self.table.setItemDelegateForColumn(
            TaskListModel.REQUEST_COLUMN, TwoLineDelegate(self.table, bold_first=False, icon_px=28)
        )
        self.table.setObjectName("InboxTable")
        self.table.clicked.connect(self._on_cell)
        self.row_actions = OneLineButtons(self.buttons_for, self.table)
        self.row_actions.clicked.connect(self._on_button)
        self.table.setItemDelegateForColumn(TaskListModel.ACTIONS_COLUMN, self.row_actions)
        self.empty = EmptyState("bell", self.tr("Nothing here"), "")
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        layout.addWidget(self.lists, 1)

        self.choice = ChoicePanel()
        self.choice.snooze.connect(self._snooze)
        self.choice.reassign.connect(self._reassign)
        layout.addWidget(self.choice)

        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "inboxReloadTimer")
        self.age_timer = QTimer(self)
        self.age_timer.setObjectName("inboxAgeTimer")
        self.age_timer.setInterval(AGE_TICK_MS)
        self.age_timer.timeout.connect(self._tick)
        self.filter_buttons[self.filter].setChecked(True)

    # -- data ------------------------------------------------------------------------------
    def activate(self, section: str | None = None) -> None:
        if section in self.filter_buttons:
            self.set_filter(section)
        else:
            self.refresh()
        self.age_timer.start()

    def set_filter(self, key: str) -> None:
        self.filter = key if key in self.filter_buttons else "mine"
        self.filter_buttons[self.filter].setChecked(True)
        self.choice.hide()
        self.refresh()

    def refresh(self) -> None:
        try:
            tasks = self.ctx.cache.tasks(self.ctx.store_id, None)
        except CacheError as exc:
            self.ctx.messages.error(exc.message)
            tasks = []
        staff_id = self.ctx.staff_id
        rows = filters.select(tasks, self.filter, staff_id)
        self.model.set_records(rows)
        counts = filters.counts(tasks, staff_id)
        for key, text in filters.FILTERS:
            self.filter_buttons[key].setText(f"{self.tr(str(text))}  {counts[key]}")
        waiting = sum(1 for t in tasks if is_call(t) and t.status == "open")
        self.summary.setText(
            self.tr("1 call waiting for someone")
            if waiting == 1
            else self.tr("{n} calls waiting for someone").format(n=waiting)
        )
        self.summary.setVisible(waiting > 0)
        self.empty.title.setText(self.tr("Nothing here"))
        self.empty.text.setText(self.tr(str(EMPTY[self.filter])))
        self.lists.setCurrentWidget(self.table if rows else self.empty)
        if self.choice.isVisible() and self.choice.task_id not in {t.id for t in rows}:
            self.choice.hide()

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
        if task.kind == DUPLICATE:
            return [CellButton("compare", self.tr("Compare"), "primary", task.status != "done")]
        if is_call(task):
            buttons = []
            if task.status == "open":
                buttons.append(
                    CellButton("take", self.tr("I'm on it"), "primary", not task.pending)
                )
            buttons.append(CellButton("close", self.tr("Done"), "secondary", task.status != "done"))
            return buttons
        if task.status in ("done", "snoozed"):
            return [CellButton("reopen", self.tr("Reopen"), "secondary")]
        buttons = [
            CellButton("done", self.tr("Done"), "primary"),
            CellButton("snooze", self.tr("Snooze"), "secondary"),
            CellButton("reassign", self.tr("Reassign"), "secondary"),
        ]
        if task.shopper_id:
            buttons.append(CellButton("message", self.tr("Send message"), "secondary", icon="mail"))
        return buttons

    def _on_button(self, key: str, index: QModelIndex) -> None:
        task: TaskView | None = index.data(Roles.Record)
        if task is None:
            return
        what = (
            task.message
            if len(task.message) <= PROMPT_CHARS
            else task.message[: PROMPT_CHARS - 1] + "…"
        )
        if key == "compare":
            self._compare(task)
            return
        if key == "snooze":
            self.choice.ask_snooze(task.id, what)
            return
        if key == "message" and task.shopper_id:
            self._compose(task)
            return
        if key == "reassign":
            staff = self.ctx.messages.read(
                lambda: self.ctx.cache.store_associates(self.ctx.store_id)
            )
            pairs = [(a.id, a.name) for a in staff or []]
            self.choice.ask_owner(task.id, what, pairs, task.owner_id)
            return
        sent = {
            "take": actions.take,
            "close": actions.close,
            "done": actions.finish,
            "reopen": actions.reopen,
        }[key](self.ctx, task.id)
        if sent:
            self.refresh()

    def _snooze(self, task_id: str, choice: str) -> None:
        if actions.snooze(self.ctx, task_id, quick_time(choice)):
            self.refresh()

    def _reassign(self, task_id: str, owner_id: str) -> None:
        name = self.choice.owners.currentText()
        if actions.reassign(self.ctx, task_id, owner_id, name):
            self.refresh()

    def _on_cell(self, index: QModelIndex) -> None:
        """A tap on a row (not on its buttons) opens the shopper's profile."""
        if index.column() == TaskListModel.ACTIONS_COLUMN:
            return
        task: TaskView | None = index.data(Roles.Record)
        if task is not None and task.shopper_id:
            self.navigator.show_shopper(task.shopper_id)

    def _compose(self, task: TaskView) -> None:
        """The compose dialog for the follow-up's shopper, its text as the reason; sending
        marks the follow-up done unless the associate says otherwise."""
        from app.dialogs.compose_dialog import open_compose

        assert task.shopper_id is not None
        dialog = open_compose(
            self.ctx, self, shopper_id=task.shopper_id, reason=task.message, task_id=task.id
        )
        if dialog is not None:
            dialog.finished.connect(lambda _r: self.refresh())

    def _compare(self, task: TaskView) -> None:
        """A possible duplicate's two records side by side, for a manager to answer."""
        from app.dialogs.compare_shoppers_dialog import open_compare_dialog

        dialog = open_compare_dialog(self.ctx, self, task)
        if dialog is not None:
            dialog.finished.connect(lambda _r: self.refresh())
