"""Home's "Your follow-ups: Due today N · Overdue M" for the signed-in associate.

A title over two buttons (narrow enough for Home's right column at 1024x768): each count
opens the inbox on that chip. The figures are ``Cache.task_counts`` (the associate's own
follow-ups and those for anyone in the store); the inbox's chips count the same sets
(``tests/app/test_follow_ups.py`` holds them together).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.pages.home.panel import Panel
from app.widgets.common import TouchButton, label, repolish
from sync.errors import CacheError

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")


class FollowUpCounts(Panel):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "FollowUpCounts", card=True, parent=parent)
        self.column.addWidget(label(self.tr("Your follow-ups"), "h2"))
        row = QHBoxLayout()
        row.setSpacing(10)
        self.due_today = TouchButton("", "secondary", "clock")
        self.due_today.setObjectName("HomeDueToday")
        self.due_today.clicked.connect(lambda: self.navigator.show_inbox("due_today"))
        self.overdue = TouchButton("", "secondary", "warning")
        self.overdue.setObjectName("HomeOverdue")
        self.overdue.clicked.connect(lambda: self.navigator.show_inbox("overdue"))
        row.addWidget(self.due_today, 1)
        row.addWidget(self.overdue, 1)
        self.column.addLayout(row)
        self.counts = {"due_today": 0, "overdue": 0}
        self._show()

    def refresh(self) -> None:
        try:
            counts = self.ctx.cache.task_counts(self.ctx.store_id, self.ctx.staff_id)
        except CacheError:
            log.warning("follow-up counts could not be read", exc_info=True)
            return
        self.counts = {"due_today": counts.due_today, "overdue": counts.overdue}
        self._show()

    def _show(self) -> None:
        due, late = self.counts["due_today"], self.counts["overdue"]
        self.due_today.setText(self.tr("Due today {n}").format(n=due))
        self.overdue.setText(self.tr("Overdue {n}").format(n=late))
        self.setAccessibleName(
            self.tr("Your follow-ups: due today {due}, overdue {late}").format(due=due, late=late)
        )
        if self.overdue.property("alert") != (late > 0):
            self.overdue.setProperty("alert", late > 0)
            repolish(self.overdue)
