"""Home's "Your follow-ups: Due today N · Overdue M" for the signed-in associate.

One line (it must fit beside the queue summary at 1024x768): each count is a button that
opens the inbox on that filter. The counts are the inbox's own chips
(``app.pages.inbox.filters``), so Home and the inbox never disagree.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.pages.home.panel import Panel
from app.pages.inbox import filters
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
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(label(self.tr("Your follow-ups"), "h2"), 1)
        self.due_today = TouchButton("", "secondary", "clock")
        self.due_today.setObjectName("HomeDueToday")
        self.due_today.clicked.connect(lambda: self.navigator.show_inbox("due_today"))
        self.overdue = TouchButton("", "secondary", "warning")
        self.overdue.setObjectName("HomeOverdue")
        self.overdue.clicked.connect(lambda: self.navigator.show_inbox("overdue"))
        row.addWidget(self.due_today)
        row.addWidget(self.overdue)
        self.column.addLayout(row)
        self.counts = {"due_today": 0, "overdue": 0}
        self._show()

    def refresh(self) -> None:
        try:
            tasks = self.ctx.cache.tasks(self.ctx.store_id, filters.ACTIVE)
        except CacheError:
            log.warning("follow-up counts could not be read", exc_info=True)
            return
        counts = filters.counts(tasks, self.ctx.staff_id)
        self.counts = {"due_today": counts["due_today"], "overdue": counts["overdue"]}
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
