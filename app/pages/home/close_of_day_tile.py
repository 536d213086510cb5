"""Home's "Close of day" tile, shown to a manager only: whether this tablet's day is ready
to sign off (or signed off), and the way to the close-of-day page."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app import format as fmt
from app.pages.home.panel import Panel
from app.widgets.common import TouchButton, label
from sync.errors import CacheError

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")


class CloseOfDayTile(Panel):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "CloseOfDayTile", card=True, parent=parent)
        self.open_button = TouchButton(self.tr("Close of day"), "secondary", "check")
        self.open_button.setObjectName("HomeCloseOfDay")
        self.open_button.clicked.connect(self._open)
        self.column.addWidget(self.open_button)
        self.state = label("", "muted")
        self.state.setObjectName("HomeCloseOfDayState")
        self.state.setWordWrap(True)
        self.column.addWidget(self.state)

    def _open(self) -> None:
        self.navigator.show_close_of_day()

    def refresh(self) -> None:
        session = self.ctx.session
        manager = session is not None and session.role == "manager"
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
