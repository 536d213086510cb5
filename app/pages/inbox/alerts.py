"""``TaskAlerts``: new floor requests reach the associate wherever they are in the app.

After every data change (``SyncBridge.dataChanged``: a pull brought a kiosk's call, or
this tablet took one) it reads the store's open requests once and
* sets the header's inbox button (``InboxButton``): the count of requests nobody has
  taken yet, in the warning colour while there are any;
* shows the toast (``TaskToast``) for a request it has not seen before, while an
  associate is signed in, and hides a toast whose request someone took meanwhile.

Requests open when the tablet started count on the badge but do not pop up.

The badge's number stays the kiosk calls nobody has taken: someone is standing at a kiosk
now, and a number that also counted follow-ups (most associates have one overdue on most
days) would be lit all day and hide that. The signed-in associate's follow-ups due today
and overdue are in its tooltip, on Home and on the inbox's chips.

A task command central turned down because a colleague completed the task first (code
``conflict``) is announced once in the banner with central's sentence, which says who
did it and when; it stays on the attention list like every rejection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, QTimer
from PySide6.QtWidgets import QWidget

from app import theme
from app.models.tasks import is_call
from app.pages.inbox import actions
from app.pages.inbox.toast import TaskToast
from app.widgets.common import TouchButton, repolish
from sync.errors import CacheError

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.records import OutboxEntry

log = logging.getLogger("clienteling.ui")


class InboxButton(TouchButton):
    """The header's way to the inbox, with the count of requests waiting."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Inbox"), "secondary", None, parent)
        self.setObjectName("InboxButton")
        self.setIcon(theme.icon("bell", "text_on_primary"))
        self.setIconSize(QSize(22, 22))
        self.setProperty("alert", False)
        self.count = 0
        self.compact = False
        self.set_count(0)

    def set_compact(self, compact: bool) -> None:
        """Short of room in the header: the bell and the count only (the name in the
        tooltip and accessible name)."""
        self.compact = compact
        self.set_count(self.count)

    def set_count(self, count: int, due: int = 0) -> None:
        """``count``: calls waiting; ``due``: my follow-ups due today or overdue."""
        self.count = count
        if self.compact:
            self.setText(str(count) if count else "")
        else:
            self.setText(self.tr("Inbox {n}").format(n=count) if count else self.tr("Inbox"))
        tip = self.tr("%n request(s) waiting for someone", "", count)
        if due:
            tip += "\n" + self.tr("Your follow-ups due today or overdue: {n}").format(n=due)
        self.setToolTip(tip)
        self.setAccessibleName(self.toolTip())
        if self.property("alert") != (count > 0):
            self.setProperty("alert", count > 0)
            repolish(self)


class TaskAlerts(QObject):
    def __init__(
        self,
        ctx: AppContext,
        button: InboxButton,
        toast: TaskToast,
        open_inbox: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.button = button
        self.toast = toast
        self._seen: set[str] | None = None  # None: nothing read yet (start-up)
        self._told: set[str] | None = None  # conflicts announced (None: start-up)
        toast.take.connect(self._take)
        toast.openInbox.connect(open_inbox)
        self.timer = QTimer(self)
        self.timer.setObjectName("taskAlertsTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.check)
        ctx.bridge.dataChanged.connect(self.timer.start)
        self.check()

    def check(self) -> None:
        """Read the open requests; set the badge; toast the new ones."""
        try:
            waiting = self.ctx.cache.tasks(self.ctx.store_id, "open")
            counts = self.ctx.cache.task_counts(self.ctx.store_id, self.ctx.staff_id)
            rejected = self.ctx.cache.outbox(("rejected",))
        except CacheError:  # the badge is not worth a banner; the next change tries again
            log.warning("the floor's requests could not be read", exc_info=True)
            return
        self._tell_conflicts(rejected)
        waiting = [t for t in waiting if is_call(t)]
        self.button.set_count(len(waiting), counts.due_today + counts.overdue)
        ids = {t.id for t in waiting}
        if self.toast.isVisible() and self.toast.task_id not in ids:
            self.toast.hide()  # someone took it (or it was done)
        if self._seen is None:
            self._seen = ids
            return
        if self.ctx.session is None:
            return  # toasts wait for someone to read them
        new = [t for t in waiting if t.id not in self._seen]
        self._seen |= ids
        if new:
            self.toast.show_task(new[0], len(waiting))  # newest first
            log.info("a new floor request is shown")

    def _tell_conflicts(self, rejected: list[OutboxEntry]) -> None:
        conflicts = {
            e.id: e for e in rejected if e.code == "conflict" and "task_id" in e.args and e.message
        }
        if self._told is None:
            self._told = set(conflicts)
            return
        for entry_id, entry in conflicts.items():
            if entry_id not in self._told and self.ctx.session is not None:
                self._told.add(entry_id)
                self.ctx.messages.error(str(entry.message), log_text="task conflict")

    def _take(self, task_id: str) -> None:
        if actions.take(self.ctx, task_id):
            self.check()
