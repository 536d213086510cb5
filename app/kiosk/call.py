"""Call an associate: one tap on a reason, and someone comes to the kiosk.

``CallPanel`` asks what the shopper needs help with (big buttons, no typing) and writes
``call_associate`` with that message (and the shopper, when one is identified); then it
says "Someone is on their way" and goes back by itself after ``CONFIRM_MS``.

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
from app.widgets.common import Card
from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui.kiosk")

CONFIRM_MS = 8000


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
        tick = QLabel()
        tick.setPixmap(theme.icon_pixmap("check", "success", 96))
        tick.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(tick)
        self.confirmation = klabel(self.tr("Someone is on their way"), "hero", centre=True)
        self.confirmation.setObjectName("CallConfirmation")
        column.addWidget(self.confirmation)
        column.addWidget(
            klabel(
                self.tr("An associate will be with you shortly. You can keep browsing meanwhile."),
                "lead",
                wrap=True,
                centre=True,
            )
        )
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

    def ask(self) -> None:
        self.back_timer.stop()
        self.notice.clear()
        self.stack.setCurrentIndex(0)

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
        self.stack.setCurrentIndex(1)
        self.back_timer.start()
        self.called.emit(entry)

    def confirmed(self) -> bool:
        return self.stack.currentIndex() == 1

    def reset(self) -> None:
        self.back_timer.stop()
        self.notice.clear()
        self.stack.setCurrentIndex(0)
