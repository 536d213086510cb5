"""Home's "Close of day" tile, shown to a manager only, under the shopper search: whether
this tablet's day is ready to sign off (or signed off), and the way to the close-of-day
page. One row (a title and the state, the button), so Home's columns keep their room at
1024x768."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app import format as fmt
from app.pages.home.panel import Panel
from app.widgets.common import TouchButton, label
from sync.errors import CacheError
from sync.rules import roles

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")


class CloseOfDayTile(Panel):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "CloseOfDayTile", card=True, parent=parent)
        # title and state over the button: half of Home's left column, beside the other
        # manager's tile, so the shopper search keeps its rows at 1024x768
        row = QVBoxLayout()
        row.setSpacing(10)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(label(self.tr("Close of day"), "h2"))
        self.state = label("", "muted")
        self.state.setObjectName("HomeCloseOfDayState")
        words.addWidget(self.state)
        row.addLayout(words)
        self.open_button = TouchButton(self.tr("Checklist"), "secondary", "check")
        self.open_button.setObjectName("HomeCloseOfDay")
        self.open_button.clicked.connect(self._open)
        row.addWidget(self.open_button)
        self.column.addLayout(row)

    def _open(self) -> None:
        self.navigator.show_close_of_day()

    def refresh(self) -> None:
        session = self.ctx.session
        manager = roles.may(session.role if session else None, "sign_off_day")
        self.setVisible(manager)
        if not manager:
            return
        try:
            # no integrity check here: Home refreshes often; the page runs the whole check
            local = fmt.to_local(self.ctx.cache.now())
            signed = self.ctx.cache.sign_off(local.strftime("%Y-%m-%d")) if local else None
            waiting = self.ctx.cache.pending_count()
            attention = self.ctx.cache.attention_count()
        except CacheError:
            log.warning("close-of-day state could not be read", exc_info=True)
            return
        if signed is not None:
            self.state.setText(self.tr("Signed off by {name}").format(name=signed.signed_by_name))
        elif waiting or attention:
            self.state.setText(
                self.tr("Open: {w} waiting, {a} need attention").format(w=waiting, a=attention)
            )
        else:
            self.state.setText(self.tr("Nothing open"))
