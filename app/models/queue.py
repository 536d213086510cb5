"""The store's reservation queue (``sync.records.ReservationView`` rows of this store)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from app import format as fmt
from app import theme
from app.images import ImageCache
from app.models.base import Column, RowsModel
from sync.records import ReservationView


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReservationQueueModel", text)


def product_text(r: ReservationView) -> str:
    if r.product is None:
        return r.sku
    return f"{r.product.name} · {r.product.colour} · {r.product.size}"


def status_text(r: ReservationView) -> str:
    text = fmt.reservation_status(r.status)
    if r.pending:
        text += " · " + _tr("sending")
    return text


class ReservationQueueModel(RowsModel):
    """The queue: shopper, item, quantity, held until, status."""

    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("ReservationQueueModel", "Shopper"), lambda r: r.shopper_name),
        Column(QT_TRANSLATE_NOOP("ReservationQueueModel", "Item"), product_text),
        Column(QT_TRANSLATE_NOOP("ReservationQueueModel", "Qty"), lambda r: str(r.qty)),
        Column(
            QT_TRANSLATE_NOOP("ReservationQueueModel", "Hold until"),
            lambda r: fmt.date_short(r.hold_until),
        ),
        Column(QT_TRANSLATE_NOOP("ReservationQueueModel", "Status"), status_text),
    )
    STATUS_COLUMN = 4

    def __init__(self, parent: QObject | None = None, images: ImageCache | None = None) -> None:
        super().__init__(parent)
        self.images = images

    def role_data(self, r: ReservationView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 1 and self.images is not None:
            return self.images.icon(r.product.image if r.product else None, 36)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS_COLUMN:
            kind = "pending" if r.pending else fmt.STATUS_KIND.get(r.status, "text")
            name = {"muted": "text_muted"}.get(kind, kind)
            return QColor(theme.COLOURS.get(name, theme.COLOURS["text"]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
