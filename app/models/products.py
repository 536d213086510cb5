"""Product search hits (``sync.records.ProductHit``) for the home page's product look-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from app import format as fmt
from app.models.base import RecordTableModel
from sync.records import ProductHit


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProductHitsModel", text)


def describe(hit: ProductHit) -> str:
    """Two lines: the name, then colour and size (the part that tells rows apart)."""
    price = fmt.money(hit.price.sale_cents)
    if hit.price.on_sale:
        price += " (" + _tr("was %1").replace("%1", fmt.money(hit.price.list_cents)) + ")"
    return f"{hit.name}\n{hit.colour} · {hit.size} · {price}"


def stock_text(hit: ProductHit) -> str:
    if hit.available_here <= 0:
        return _tr("None here")
    return _tr("%1 here").replace("%1", str(hit.available_here))


class ProductHitsModel(RecordTableModel):
    CONTEXT = "ProductHitsModel"
    COLUMNS = (
        (QT_TRANSLATE_NOOP("ProductHitsModel", "Product"), describe),
        (QT_TRANSLATE_NOOP("ProductHitsModel", "Stock"), stock_text),
    )

    def __init__(self, parent: Any = None, images: Any = None) -> None:
        super().__init__(parent)
        self.images = images

    def extra_data(self, hit: ProductHit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and self.images is not None:
            return self.images.pixmap(hit.image, 36)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            from PySide6.QtGui import QColor

            from app import theme

            return QColor(theme.COLOURS["success" if hit.available_here > 0 else "text_muted"])
        return None
