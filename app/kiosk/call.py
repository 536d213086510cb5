"""Call an associate: one tap on a reason, and someone comes to the kiosk.

``CallPanel`` asks what the shopper needs help with (big buttons, no typing) and writes
``call_associate`` with that message (and the shopper, when one is identified); then it
says the store's associates were called, and follows the request while it is on screen:
when an associate taps "I'm on it" on a tablet, it says "Aoife is on the way" (the first
name central gives a kiosk) or "Someone is on the way". It goes back by itself
``WAIT_MS`` after the call, or ``CONFIRM_MS`` after someone took it.

Signals:
    called(object): the ``OutboxEntry`` written
    closed(): back to where the shopper was
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app import theme
from app.kiosk.common import Notice, kbutton, klabel
from app.pages.reload import ReloadOnData
from app.widgets.common import Card
from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui.kiosk")

CONFIRM_MS = 8000
WAIT_MS = 60_000  # long enough to see an associate take the call


class CallPanel(QWidget):
    called = Signal(object)
    closed = Signal()

    def __init__(
        self, ctx: AppContext, shopper_id: Callable[[], str | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KioskPage")
        self.ctx = ctx
        self.shopper_id = shopper_id
        self.task_id: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        self.card = Card()
        self.card.setObjectName("CallCard")
        self.card.setMaximumWidth(920)
        outer.addStretch(1)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.stack = QStackedWidget()
        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(40, 32, 40, 32)
        inner.addWidget(self.stack)

        # 1. what do you need?
        ask = QWidget()
        column = QVBoxLayout(ask)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addWidget(klabel(self.tr("How can we help?"), "hero"))
        column.addWidget(
            klabel(
                self.tr("Choose one and an associate will come to this screen."), "lead", wrap=True
            )
        )
        grid = QGridLayout()
        grid.setSpacing(14)
        self.reasons: dict[str, object] = {}
        options = [
            ("size", self.tr("Finding a size or colour"), "tag"),
            ("pickup", self.tr("Picking up a reservation"), "box"),
            ("order", self.tr("An item that's out of stock"), "truck"),
            ("other", self.tr("Something else"), "info"),
        ]
        for i, (key, text, icon) in enumerate(options):
            button = kbutton(text, "tile", icon, big=True, name=f"CallReason_{key}")
            button.clicked.connect(lambda _c=False, t=text: self.call(t))
            grid.addWidget(button, i // 2, i % 2)
            self.reasons[key] = button
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        self.notice = Notice()
        column.addWidget(self.notice)
        self.cancel = kbutton(self.tr("Back"), "secondary", "back", big=True, name="CallBackButton")
        self.cancel.clicked.connect(self.closed.emit)
        column.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignLeft)
        self.stack.addWidget(ask)

        # 2. on their way
        done = QWidget()
        column = QVBoxLayout(done)
        column.setSpacing(16)
        self.tick = QLabel()
        self.tick.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.tick)
        self.confirmation = klabel("", "hero", centre=True)
        self.confirmation.setObjectName("CallConfirmation")
        column.addWidget(self.confirmation)
        self.detail = klabel("", "lead", wrap=True, centre=True)
        self.detail.setObjectName("CallDetail")
        column.addWidget(self.detail)
        self.ok = kbutton(self.tr("OK"), "primary", big=True, name="CallOkButton")
        self.ok.setMinimumWidth(240)
        self.ok.clicked.connect(self.closed.emit)
        column.addWidget(self.ok, 0, Qt.AlignmentFlag.AlignHCenter)
        self.stack.addWidget(done)

        self.back_timer = QTimer(self)
        self.back_timer.setObjectName("kioskCallConfirmTimer")
        self.back_timer.setSingleShot(True)
        self.back_timer.setInterval(CONFIRM_MS)
        self.back_timer.timeout.connect(self.closed.emit)
        self._follow = ReloadOnData(self, ctx.bridge, self.follow, "kioskCallReloadTimer")

    def ask(self) -> None:
        self.reset()

    def call(self, reason: str) -> None:
        message = self.tr("Kiosk: {reason}").format(reason=reason)
        try:
            entry = self.ctx.commands.call_associate(message=message, shopper_id=self.shopper_id())
        except (InvalidInput, CacheError) as exc:
            log.warning("call_associate not written: %s", type(exc).__name__)
            self.notice.show_message(
                "error",
                self.tr("Sorry, that didn't work. Please wave to an associate, or try again."),
            )
            return
        self.task_id = str(entry.args["task_id"])
        self._show_waiting()
        self.stack.setCurrentIndex(1)
        self.back_timer.start(WAIT_MS)
        self.called.emit(entry)

    def _show_waiting(self) -> None:
        self.tick.setPixmap(theme.icon_pixmap("bell", "primary", 96))
        self.confirmation.setText(self.tr("We've called an associate"))
        self.detail.setText(
            self.tr(
                "This screen shows when someone is on the way. You can keep browsing meanwhile."
            )
        )

    def follow(self) -> None:
        """The call's state (after every sync): taken -> who is on the way."""
        if self.task_id is None or not self.confirmed():
            return
        try:
            task = self.ctx.cache.task(self.task_id)
        except CacheError:
            log.warning("the call's state could not be read")
            return
        if task is None or task.status == "open" or self.tick.property("taken"):
            return
        self.tick.setProperty("taken", True)
        self.tick.setPixmap(theme.icon_pixmap("check", "success", 96))
        name = (task.taken_by_name or "").split()
        self.confirmation.setText(
            self.tr("{name} is on the way").format(name=name[0])
            if name
            else self.tr("Someone is on the way")
        )
        self.detail.setText(self.tr("Please stay near this screen; they'll be with you shortly."))
        self.back_timer.start(CONFIRM_MS)
        log.info("the kiosk's call was taken")

    def confirmed(self) -> bool:
        return self.stack.currentIndex() == 1

    def reset(self) -> None:
        self.back_timer.stop()
        self.notice.clear()
        self.task_id = None
        self.tick.setProperty("taken", False)
        self.stack.setCurrentIndex(0)
