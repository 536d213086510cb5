"""``TaskAlerts``: new floor requests reach the associate wherever they are in the app.

After every data change (``SyncBridge.dataChanged``: a pull brought a kiosk's call, or
this tablet took one) it reads the store's open requests once and
* sets the header's inbox button (``InboxButton``): the count of requests nobody has
  taken yet, in the warning colour while there are any;
* shows the toast (``TaskToast``) for a request it has not seen before, while an
  associate is signed in, and hides a toast whose request someone took meanwhile.

Requests open when the tablet started count on the badge but do not pop up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, QTimer
from PySide6.QtWidgets import QWidget

from app import theme
from app.pages.inbox import actions
from app.pages.inbox.toast import TaskToast
from app.widgets.common import TouchButton, repolish
from sync.errors import CacheError

if TYPE_CHECKING:
    from app.context import AppContext

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

    def set_count(self, count: int) -> None:
        self.count = count
        if self.compact:
            self.setText(str(count) if count else "")
        else:
            self.setText(self.tr("Inbox {n}").format(n=count) if count else self.tr("Inbox"))
        self.setToolTip(self.tr("%n request(s) waiting for someone", "", count))
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
        except CacheError:  # the badge is not worth a banner; the next change tries again
            log.warning("the floor's requests could not be read", exc_info=True)
            return
        self.button.set_count(len(waiting))
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

    def _take(self, task_id: str) -> None:
        if actions.take(self.ctx, task_id):
            self.check()
