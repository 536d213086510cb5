"""A return's receipt again, from the profile's History: its state, number and QR code,
Print and Save as PDF (a shopper who lost the paper, or a return made on another tablet).

``open_receipt_dialog(ctx, parent, return_id)`` shows it (window-modal, not blocking);
it follows the return's state as syncs arrive (``ctx.bridge.dataChanged``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.dialogs.returns.receipt_panel import ReceiptPanel
from app.widgets.common import TouchButton, label

if TYPE_CHECKING:
    from app.context import AppContext


class ReceiptDialog(QDialog):
    def __init__(self, ctx: AppContext, return_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReturnReceiptDialog")
        self.setWindowTitle(self.tr("Return receipt"))
        self.ctx = ctx
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        title = label(self.tr("Return receipt"), "title")
        title.setContentsMargins(24, 20, 24, 8)
        column.addWidget(title)
        self.panel = ReceiptPanel(ctx, return_id)
        column.addWidget(self.panel)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(24, 12, 24, 20)
        buttons.addStretch(1)
        self.close_button = TouchButton(self.tr("Close"), "primary")
        self.close_button.setObjectName("CloseReceiptButton")
        self.close_button.setMinimumWidth(180)
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)
        self.resize(900, 10)
        self.panel.refresh()
        ctx.bridge.dataChanged.connect(self.panel.refresh)
        self.finished.connect(lambda _r: ctx.bridge.dataChanged.disconnect(self.panel.refresh))


def open_receipt_dialog(ctx: AppContext, parent: QWidget, return_id: str) -> ReceiptDialog:
    dialog = ReceiptDialog(ctx, return_id, parent)
    dialog.open()
    return dialog
