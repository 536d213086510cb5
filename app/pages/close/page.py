"""Close of day (managers): the device's sync certificate as a checklist, and the sign-off.

Each row of the checklist (``app.pages.close.checklist``) is green when it holds and red
when it keeps the day open, with a one-tap way forward: "Open the attention list" (the
outbox page: rejections to resolve or dismiss, what waits) or "Sync now". "Sign off the
day" stays disabled while anything is open, or for anyone but a manager
(``sync.rules.roles``), with the reason under it (the shared rule's
sentences, ``sync.rules.ledger``); a tap queues ``sign_off_day`` (``Commands``), and the
recorded sign-off shows who signed and when, marked while it waits to be sent.

The certificate is computed when the page comes on screen and after each sync or command
(``ReloadOnData``); it runs SQLite's ``quick_check`` on the cache (about 80 ms for a
140 MB cache in memory).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app import format as fmt
from app import theme
from app.pages.close.checklist import CheckRow, rows
from app.pages.reload import ReloadOnData
from app.widgets.common import Card, TouchButton, label
from sync import wire
from sync.errors import CacheError, InvalidInput
from sync.rules import ledger, roles

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")


class CheckRowWidget(QWidget):
    """One row: a green tick or a red warning, the sentence, a detail, a way forward."""

    def __init__(self, row: CheckRow, page: CloseOfDayPage) -> None:
        super().__init__()
        self.row = row
        self.setObjectName(f"Check_{row.key}")
        self.setProperty("ok", row.ok)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 6, 0, 6)
        line.setSpacing(12)
        icon = QLabel()
        icon.setObjectName("CheckIcon")
        icon.setPixmap(
            theme.icon_pixmap("check", "success", 28)
            if row.ok
            else theme.icon_pixmap("warning", "danger", 28)
        )
        line.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        words = QVBoxLayout()
        words.setSpacing(2)
        text = label(row.text, None)
        text.setObjectName("CheckText")
        text.setWordWrap(True)
        words.addWidget(text)
        if row.detail:
            detail = label(row.detail, "muted")
            detail.setObjectName("CheckDetail")
            detail.setWordWrap(True)
            words.addWidget(detail)
        line.addLayout(words, 1)
        if row.action == "outbox":
            go = TouchButton(self.tr("Open the attention list"), "secondary", "warning")
            go.setObjectName("CheckOpenOutbox")
            go.clicked.connect(page.navigator.show_outbox)
            line.addWidget(go, 0, Qt.AlignmentFlag.AlignVCenter)
        elif row.action == "sync":
            go = TouchButton(self.tr("Sync now"), "secondary", "sync")
            go.setObjectName("CheckSyncNow")
            go.clicked.connect(page.ctx.bridge.nudge)
            line.addWidget(go, 0, Qt.AlignmentFlag.AlignVCenter)


class CloseOfDayPage(QWidget):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CloseOfDayPage")
        self.ctx = ctx
        self.navigator = navigator
        self.certificate: wire.Certificate | None = None
        self.check_rows: list[CheckRowWidget] = []  # the checklist on screen now

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 20)
        outer.setSpacing(12)
        self.title = label("", "title")
        self.title.setObjectName("CloseTitle")
        outer.addWidget(self.title)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        self.checklist_card = Card()
        self.checklist_card.setObjectName("CloseChecklist")
        self.checklist = QVBoxLayout(self.checklist_card)
        self.checklist.setContentsMargins(18, 10, 18, 10)
        self.checklist.setSpacing(0)
        column.addWidget(self.checklist_card)

        sign = Card()
        sign.setObjectName("CloseSignOff")
        sign_column = QVBoxLayout(sign)
        sign_column.setContentsMargins(18, 14, 18, 16)
        sign_column.setSpacing(8)
        self.recorded = label("", "h2")
        self.recorded.setObjectName("CloseRecorded")
        self.recorded.setWordWrap(True)
        sign_column.addWidget(self.recorded)
        self.sign_button = TouchButton(self.tr("Sign off the day"), "primary", "check")
        self.sign_button.setObjectName("SignOffButton")
        self.sign_button.clicked.connect(self.sign_off)
        sign_column.addWidget(self.sign_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.reason = label("", "muted")
        self.reason.setObjectName("SignOffReason")
        self.reason.setWordWrap(True)
        sign_column.addWidget(self.reason)
        column.addWidget(sign)
        column.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "closeReloadTimer")

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        try:
            cert = self.ctx.cache.certificate()
            signed = self.ctx.cache.sign_off(cert.day)
        except (CacheError, ValueError):
            log.warning("the close-of-day certificate could not be read", exc_info=True)
            self.ctx.messages.error(self.tr("The close-of-day checklist could not be read."))
            return
        self.certificate = cert
        self.title.setText(self.tr("Close of day — {day}").format(day=cert.day))
        while self.checklist.count():
            item = self.checklist.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.check_rows = [CheckRowWidget(row, self) for row in rows(cert)]
        for widget in self.check_rows:
            self.checklist.addWidget(widget)
        reasons = ledger.open_reasons(cert)
        if signed is not None:
            when = fmt.time_hm(signed.signed_at)
            text = self.tr("Signed off by {name} at {when}").format(
                name=signed.signed_by_name, when=when
            )
            if signed.pending:
                text += self.tr(" (waiting to be sent)")
            self.recorded.setText(text)
            self.sign_button.setEnabled(False)
            self.sign_button.hide()
            self.reason.setText(self.tr("This tablet's day is signed off."))
        else:
            self.recorded.setText(self.tr("Not signed off yet"))
            self.sign_button.show()
            manager = roles.may(self.ctx.session.role if self.ctx.session else None, "sign_off_day")
            self.sign_button.setEnabled(manager and not reasons)
            if not manager:  # the checklist is anyone's to read; the sign-off a manager's
                reasons = [roles.reason("sign_off_day"), *reasons]
            self.reason.setText(
                " ".join(reasons) if reasons else self.tr("Everything is in: you can sign off.")
            )

    def sign_off(self) -> None:
        try:
            self.ctx.commands.sign_off_day()
        except InvalidInput as invalid:
            self.reason.setText(" ".join(invalid.errors.values()))
            return
        except CacheError as error:
            self.ctx.messages.error(error.message)
            return
        self.refresh()
