""" "Ask a manager": a manager approves on the associate's tablet with their staff id and PIN.

``AskManagerDialog(ctx, what, parent)``: says what needs a manager (``what``: the words of
``sync.rules.roles.ACTIONS``), takes a staff id and a PIN, and checks them on this tablet
like an offline sign-in (``sync.approvals.check``, off the event loop). A wrong PIN, an
associate or another store's staff is said at the field; nobody is signed in or out. On
success ``approved`` carries the manager's staff id and name, and the dialog closes; the
caller puts the staff id into the command's ``approved_by``, and central checks it again.

Signals:
    approved(str, str)  the manager's staff id and name
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from app.dialogs.base import CommandDialog
from app.widgets.common import label
from sync import approvals, wire
from sync.errors import InvalidInput, SyncError

if TYPE_CHECKING:
    from app.context import AppContext


class AskManagerDialog(CommandDialog):
    approved = Signal(str, str)

    def __init__(self, ctx: AppContext, what: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Ask a manager"), parent)
        self.setObjectName("AskManagerDialog")
        self.ctx = ctx
        self.setMinimumWidth(520)
        self.setMinimumHeight(480)  # the two fields and an error line without scrolling
        why = label(
            self.tr("A store manager can {what}. Manager: type your staff id and PIN.").format(
                what=what
            ),
            None,
        )
        why.setObjectName("AskManagerWhy")
        why.setWordWrap(True)
        self.form.addWidget(why)
        self.staff = QLineEdit()
        self.staff.setObjectName("ApproverStaffId")
        self.staff.setMinimumHeight(48)
        self.staff.setMaxLength(32)
        self.staff.setPlaceholderText(self.tr("e.g. A1001"))
        self.add_field("staff_id", self.tr("Manager's staff id"), self.staff)
        self.pin = QLineEdit()
        self.pin.setObjectName("ApproverPin")
        self.pin.setMinimumHeight(48)
        self.pin.setMaxLength(8)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("pin", self.tr("PIN"), self.pin)
        self.form.addStretch(1)
        self.confirm_button.setText(self.tr("Approve"))
        self.confirm_button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)

    def submit(self) -> None:
        self.clear_errors()
        self.confirm_button.setEnabled(False)
        from app.background import spawn  # asyncio: after the first window (app.gui)

        check = approvals.check(
            self.ctx.cache,
            self.ctx.device.device_id,
            self.ctx.store_id,
            self.staff.text(),
            self.pin.text(),
        )
        spawn(check, success=self._checked, failure=self._failed)

    def _checked(self, result: wire.Associate | InvalidInput) -> None:
        self.confirm_button.setEnabled(True)
        self.pin.clear()
        if isinstance(result, InvalidInput):
            self.show_errors(result.errors)
            return
        self.approved.emit(result.id, result.name)
        self.accept()

    def _failed(self, error: SyncError) -> None:
        self.confirm_button.setEnabled(True)
        self.show_errors({"": str(error)})
