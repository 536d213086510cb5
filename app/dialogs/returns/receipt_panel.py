"""The return dialog's last face: the receipt on screen, its QR code, Print and Save as PDF.

``ReceiptPanel(ctx, return_id, entry_id)`` (``entry_id``: the outbox entry of a return
made on this tablet, None for one read back later); ``refresh()`` reads
``Cache.return_receipt`` and the outbox entry: "Pending sync" until central applies the return, then "Applied ·
R-S001-000012" (the number central gave it), or central's reason when it turned it down.
The dialog calls ``refresh`` on ``ctx.bridge.dataChanged``.

"Print" opens the system's print dialog (``receipt_doc.print_receipt``); "Save as PDF"
asks where (a Qt file dialog, not blocking) and writes the PDF there.

Signals:
    ReceiptPanel.saved(str)  the path of a PDF just written
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from app import format as fmt
from app.dialogs.returns import receipt_doc
from app.widgets.common import Badge, TouchButton, label
from app.widgets.qr import QrCodeView
from sync.read.returns import ReturnReceipt
from sync.records import OutboxEntry

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui")

QR_SIDE = 220


def refund_words(cents: int, method_text: str) -> str:
    """ "Refund €59.00 to the original payment", "… as store credit"; an exchange's refund
    goes towards the new item ("€59.00 towards the exchange")."""
    amount = fmt.money(cents)
    if method_text.lower().startswith("exchange"):
        return QCoreApplication.translate("ReceiptPanel", "{amount} towards the exchange").format(
            amount=amount
        )
    return QCoreApplication.translate("ReceiptPanel", "Refund {amount} {method}").format(
        amount=amount, method=method_text[:1].lower() + method_text[1:]
    )


class ReceiptPanel(QWidget):
    saved = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        return_id: str,
        entry_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ReturnReceiptPanel")
        self.ctx = ctx
        self.return_id = return_id
        self.entry_id = entry_id
        self.receipt: ReturnReceipt | None = None
        self.file_dialog: QFileDialog | None = None
        self.print_dialog: QPrintDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 8, 24, 8)
        row.setSpacing(24)
        column = QVBoxLayout()
        column.setSpacing(10)
        self.headline = label("", "h2")
        self.headline.setObjectName("ReceiptHeadline")
        self.headline.setWordWrap(True)
        column.addWidget(self.headline)
        self.badge = Badge(self.tr("Pending sync"), "pending")
        self.badge.setObjectName("ReturnStateBadge")
        column.addWidget(self.badge)
        self.summary = label("", None)
        self.summary.setObjectName("ReceiptSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.summary)
        self.rejected = label("", "error")
        self.rejected.setObjectName("ReturnRejected")
        self.rejected.setWordWrap(True)
        self.rejected.hide()
        column.addWidget(self.rejected)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        self.print_button = TouchButton(self.tr("Print"), "secondary", "print")
        self.print_button.setObjectName("PrintReceiptButton")
        self.print_button.clicked.connect(self.print_)
        actions.addWidget(self.print_button)
        self.pdf_button = TouchButton(self.tr("Save as PDF"), "secondary", "download")
        self.pdf_button.setObjectName("SaveReceiptPdfButton")
        self.pdf_button.clicked.connect(self.ask_pdf_path)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)
        column.addLayout(actions)
        column.addStretch(1)
        row.addLayout(column, 1)
        self.qr = QrCodeView(self.tr("The receipt's code appears here."), QR_SIDE)
        self.qr.setObjectName("ReturnQr")
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)

    # -- reading -----------------------------------------------------------------------
    def state(self) -> str:
        """ "pending", "applied" or "rejected" (the read's, or the outbox entry's when the
        return cannot be read)."""
        if self.receipt is not None:
            return str(self.receipt.state)
        entry = self._entry()
        return "rejected" if entry is not None and entry.state == "rejected" else "pending"

    def _entry(self) -> OutboxEntry | None:
        entry_id = self.entry_id
        if entry_id is None:
            return None
        return self.ctx.messages.read(lambda: self.ctx.cache.outbox_entry(entry_id))

    def refresh(self) -> None:
        self.receipt = self.ctx.messages.read(lambda: self.ctx.cache.return_receipt(self.return_id))
        state = self.state()
        receipt = self.receipt
        if state == "rejected":
            self.headline.setText(self.tr("Central did not take this return."))
            self.badge.setText(self.tr("Turned down"))
            self.badge.set_kind("danger")
            entry = self._entry()
            reason = (entry.message or entry.code) if entry is not None else ""
            if not reason and receipt is not None:
                record = self.ctx.messages.read(
                    lambda: self.ctx.cache.return_record(self.return_id)
                )
                reason = (record.reason or "") if record is not None else ""
            self.rejected.setText(reason or self.tr("No reason was given."))
            self.rejected.show()
        elif state == "applied":
            self.headline.setText(self.tr("Return done: give the shopper the receipt."))
            number = (
                receipt.number
                if receipt is not None and receipt.number != "pending"
                else self.tr("number on its way")
            )
            self.badge.setText(self.tr("Applied · {number}").format(number=number))
            self.badge.set_kind("success")
            self.rejected.hide()
        else:
            self.headline.setText(
                self.tr(
                    "The return is saved on this tablet. It gets its receipt number when "
                    "central confirms it."
                )
            )
            self.badge.setText(self.tr("Pending sync"))
            self.badge.set_kind("pending")
            self.rejected.hide()
        can_print = receipt is not None and state != "rejected"
        self.print_button.setEnabled(can_print)
        self.pdf_button.setEnabled(can_print)
        self.qr.setVisible(can_print)
        if receipt is None:
            self.summary.setText("")
            return
        self.summary.setText(self._summary(receipt))
        self.qr.set_data(receipt_doc.qr_payload(receipt))

    def _summary(self, receipt: ReturnReceipt) -> str:
        lines = [
            self.tr("Order {number} ({channel})").format(
                number=receipt.order_number, channel=fmt.channel(receipt.order_channel)
            )
        ]
        for line in receipt.lines:
            what = ", ".join(p for p in (line.name, line.colour, fmt.size_label(line.size)) if p)
            lines.append(f"{line.qty} × {what} — {fmt.money(line.qty * line.price_cents)}")
        lines.append(refund_words(receipt.refund_cents, receipt.refund_method_text))
        if receipt.exchange is not None:
            from app.dialogs.returns.exchange_panel import difference_words

            swap = receipt.exchange
            what = ", ".join(p for p in (swap.name, swap.colour, fmt.size_label(swap.size)) if p)
            lines.append(self.tr("Exchanged for {qty} × {what}").format(qty=swap.qty, what=what))
            lines.append(difference_words(swap.difference_cents))
        if receipt.points_back:
            lines.append(self.tr("{n} points given back").format(n=receipt.points_back))
        return "\n".join(lines)

    # -- printing ----------------------------------------------------------------------
    def print_(self) -> None:
        if self.receipt is not None:
            self.print_dialog = receipt_doc.print_receipt(self.receipt, self)

    def ask_pdf_path(self) -> QFileDialog | None:
        """A file dialog for where the PDF goes (Documents by default); writes it when the
        associate accepts. Returns the dialog on screen."""
        if self.receipt is None:
            return None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(self, self.tr("Save the return receipt"))
        dialog.setObjectName("ReceiptPdfDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF files (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setDirectory(folder)
        dialog.selectFile(receipt_doc.pdf_name(self.receipt))
        dialog.fileSelected.connect(self.save_pdf)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def save_pdf(self, path: str) -> None:
        if self.receipt is None or not path:
            return
        try:
            written = receipt_doc.save_pdf(self.receipt, path)
        except OSError:
            log.warning("the receipt PDF could not be written", exc_info=True)
            self.ctx.messages.error(self.tr("The PDF could not be saved there."))
            return
        if not Path(written).exists():
            self.ctx.messages.error(self.tr("The PDF could not be saved there."))
            return
        self.ctx.messages.success(
            self.tr("Receipt saved as {name}.").format(name=Path(written).name),
            log_text="return receipt saved as PDF",
        )
        self.saved.emit(str(written))
