"""The printed return receipt: a ``QTextDocument`` made from ``Cache.return_receipt``,
sent to a printer (``QPrintDialog``) or written to a PDF file (``QPrinter`` in PDF format).

``receipt_document(receipt)`` lays the receipt out as a till slip would: the store, the
receipt number (or that it is pending until central confirms), the date and associate,
the order it came from, each line with its reason and condition, the refund and how it
is paid, the exchange and its difference, the points given back, the policy sentence, and
the return's QR code (``qr_payload``), which the till or central's back office scans.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, Qt, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from app import format as fmt
from app.widgets.qr import qr_pixmap
from sync.read.returns import ReturnReceipt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

QR_URL = QUrl("receipt://qr")
QR_SIDE = 160
PAGE_WIDTH_PT = 480  # the document's layout width; the printer scales it to the page


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReturnReceipt", text)


def qr_payload(receipt: ReturnReceipt) -> str:
    """What the receipt's QR code holds (the read's ``qr_text``: the receipt number once
    central gave one, else the return's id)."""
    return receipt.qr_text


def _e(text: object) -> str:
    return html.escape(str(text))


def _line_rows(receipt: ReturnReceipt) -> str:
    rows = []
    for line in receipt.lines:
        what = ", ".join(p for p in (line.name, line.colour, fmt.size_label(line.size)) if p)
        why = f"{line.reason_text} · {line.condition_text}"
        rows.append(
            "<tr>"
            f"<td>{line.qty} × {_e(what)}<br/><small>{_e(why)}</small></td>"
            f"<td align='right'>{_e(fmt.money(line.qty * line.price_cents))}</td>"
            "</tr>"
        )
    return "".join(rows)


def _exchange_rows(receipt: ReturnReceipt) -> str:
    swap = receipt.exchange
    if swap is None:
        return ""
    what = ", ".join(p for p in (swap.name, swap.colour, fmt.size_label(swap.size)) if p)
    how = _tr("held in this store") if swap.kind == "reserve" else _tr("ordered online")
    diff = swap.difference_cents
    if diff > 0:
        owed = _tr("Shopper pays {amount}").format(amount=fmt.money(diff))
    elif diff < 0:
        owed = _tr("Refund {amount}").format(amount=fmt.money(-diff))
    else:
        owed = _tr("No difference to pay")
    return (
        f"<tr><td colspan='2'><b>{_e(_tr('Exchanged for'))}</b></td></tr>"
        f"<tr><td>{swap.qty} × {_e(what)} ({_e(how)})</td>"
        f"<td align='right'>{_e(fmt.money(swap.qty * swap.price_cents))}</td></tr>"
        f"<tr><td><b>{_e(owed)}</b></td><td></td></tr>"
    )


def receipt_html(receipt: ReturnReceipt) -> str:
    """The receipt as HTML for ``QTextDocument`` (every value escaped)."""
    number = (
        _e(receipt.number)
        if receipt.number and receipt.number != "pending"
        else _e(_tr("Pending: the number is given when central confirms the return"))
    )
    method = receipt.refund_method_text
    points = (
        f"<p>{_e(_tr('{n} loyalty points given back').format(n=receipt.points_back))}</p>"
        if receipt.points_back
        else ""
    )
    address = "<br/>".join(
        _e(part) for part in (receipt.store_address, receipt.store_phone) if part
    )
    served = (
        " · " + _tr("Served by {who}").format(who=receipt.associate) if receipt.associate else ""
    )
    return f"""
<div align='center'>
  <h2>{_e(receipt.store_name)}</h2>
  <p>{address}</p>
  <h3>{_e(_tr("Return receipt"))}</h3>
  <p><b>{number}</b></p>
</div>
<p>{_e(f"{fmt.date_short(receipt.date)}, {fmt.time_hm(receipt.date)}" + served)}<br/>
{_e(_tr("For {name}").format(name=receipt.shopper_name)) if receipt.shopper_name else ""}<br/>
{_e(_tr("Order {number} ({channel})").format(number=receipt.order_number, channel=fmt.channel(receipt.order_channel)))}</p>
<table width='100%' cellpadding='3'>
{_line_rows(receipt)}
<tr><td><b>{_e(_tr("Refund"))}</b> · {_e(method)}</td>
    <td align='right'><b>{_e(fmt.money(receipt.refund_cents))}</b></td></tr>
{_exchange_rows(receipt)}
</table>
{points}
<p><small>{_e(receipt.policy_sentence)}</small></p>
<div align='center'><img src='{QR_URL.toString()}' width='{QR_SIDE}' height='{QR_SIDE}'/></div>
"""


def receipt_document(receipt: ReturnReceipt) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(12)
    document.addResource(
        QTextDocument.ResourceType.ImageResource,
        QR_URL,
        qr_pixmap(qr_payload(receipt), QR_SIDE * 2).toImage(),
    )
    document.setHtml(receipt_html(receipt))
    document.setTextWidth(PAGE_WIDTH_PT)
    return document


def _receipt_page(printer: QPrinter) -> None:
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    printer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)


def save_pdf(receipt: ReturnReceipt, path: Path | str) -> Path:
    """Write the receipt to ``path`` as a PDF; returns the path."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(_tr("Return receipt"))
    _receipt_page(printer)
    receipt_document(receipt).print_(printer)
    return Path(path)


def print_receipt(receipt: ReturnReceipt, parent: QWidget | None = None) -> QPrintDialog:
    """Ask which printer (the system's print dialog, not blocking the app); the receipt
    prints when the associate accepts it. Returns the dialog on screen."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _receipt_page(printer)
    printer.setDocName(_tr("Return receipt"))  # the print queue's name for the job
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("Print the return receipt"))
    document = receipt_document(receipt)
    dialog.accepted.connect(lambda: document.print_(printer))
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog


def pdf_name(receipt: ReturnReceipt) -> str:
    """A file name for the receipt's PDF ("return-R-S001-000012.pdf")."""
    number = receipt.number if receipt.number and receipt.number != "pending" else "pending"
    return f"return-{number}.pdf"
