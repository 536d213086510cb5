"""How a product looks in a list: image, name, colour and size, price with promotion.

``ProductCellDelegate`` paints one item-view cell from the model's roles (``app.models.roles.Roles``):
the product image (or a swatch of its colour when the image is missing), the name, the
brand · colour · size line, the sale price next to the struck-through list price and the
promotion's name, and a "Pending sync" tag while the row waits for central.
``AvailabilityDelegate`` paints "here / other stores / online" with a coloured dot per
stock level. Both are used by the cart, the wishlist, the product search and the dialogs,
so a product looks the same everywhere. The painting itself is ``app.widgets.painting``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.images import ImageCache
from app.models.base import Index
from app.models.roles import Roles
from app.widgets.painting import (
    colour,
    level_colours,
    paint_panel,
    paint_product,
    scaled,
    stock_level,
)
from sync.records import Availability, Price


class ProductCellDelegate(QStyledItemDelegate):
    """Image, name, brand · colour · size, price with promotion, "Pending sync"."""

    ROW_HEIGHT = 112

    def __init__(
        self,
        images: ImageCache | None = None,
        parent: QObject | None = None,
        *,
        image_side: int = 80,
        show_price: bool = True,
    ) -> None:
        super().__init__(parent)
        self._images = images
        self._side = image_side
        self._show_price = show_price

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(380, max(self.ROW_HEIGHT, self._side + 24))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        product = index.data(Roles.Product)
        if product is None:
            super().paint(painter, option, index)
            return
        paint_panel(painter, option, index)
        paint_product(
            painter,
            option.rect,
            product,
            index.data(Roles.Price) if self._show_price else None,
            bool(index.data(Roles.Pending)),
            index.data(Roles.Note),
            self._images,
            QFont(option.font),
            self._side,
            index.data(Roles.Held),
        )


class ProductSummary(QWidget):
    """One product drawn like a list cell, for the top of a dialog or a detail panel."""

    def __init__(
        self,
        images: ImageCache | None = None,
        parent: QWidget | None = None,
        *,
        image_side: int = 88,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ProductSummary")
        self._images = images
        self._side = image_side
        self._product: Any = None
        self._price: Price | None = None
        self._extra: str | None = None
        self.setMinimumHeight(image_side + 16)

    def set_product(
        self, product: Any, price: Price | None = None, extra: str | None = None
    ) -> None:
        self._product, self._price, self._extra = product, price, extra
        self.setAccessibleName(product.name if product is not None else "")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, self._side + 16)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self._product is None:
            return
        painter = QPainter(self)
        paint_product(
            painter,
            self.rect().adjusted(-12, 0, 0, 0),
            self._product,
            self._price,
            False,
            self._extra,
            self._images,
            QFont(self.font()),
            self._side,
        )
        painter.end()


class AvailabilityDelegate(QStyledItemDelegate):
    """Three lines: here, other stores (with the nearest one), online; a dot per level."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(220, 3 * (fm.height() + 6) + 12)

    def other_stores_text(self, availability: Availability, fm: QFontMetrics, room: int) -> str:
        """The longest wording that fits ``room``: the nearest store in full, its first
        word, or none. Never "3 (Galway)", which reads as 3 at Galway."""
        n = availability.other_stores
        plain = self.tr("Other stores: {n}").format(n=n)
        store = availability.best_other_store_name
        if not (n and store):
            return plain
        for text in (
            self.tr("Other stores: {n}, nearest {store}").format(n=n, store=store),
            self.tr("Other stores: {n}, nearest {store}").format(n=n, store=store.split()[0]),
        ):
            if fm.horizontalAdvance(text) <= room:
                return text
        return plain

    def lines(
        self, availability: Availability, fm: QFontMetrics, room: int
    ) -> list[tuple[str, int]]:
        return [
            (self.tr("Here: {n}").format(n=availability.here), availability.here),
            (self.other_stores_text(availability, fm, room), availability.other_stores),
            (self.tr("Online: {n}").format(n=availability.online), availability.online),
        ]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        availability: Availability | None = index.data(Roles.Availability)
        if availability is None:
            super().paint(painter, option, index)
            return
        paint_panel(painter, option, index)
        font = QFont(option.font)
        fm = QFontMetrics(font)
        step = fm.height() + 6
        rect = option.rect.adjusted(8, 0, -8, 0)
        y = rect.y() + (rect.height() - 3 * step) // 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        for text, count in self.lines(availability, fm, rect.width() - 18):
            fg, _bg = level_colours(stock_level(count))
            dot = 10
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fg)
            painter.drawEllipse(QRect(rect.x(), y + (step - dot) // 2, dot, dot))
            painter.setPen(colour("text") if count else colour("muted"))
            painter.drawText(
                QRect(rect.x() + dot + 8, y, rect.width() - dot - 8, step),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - dot - 8),
            )
            y += step
        painter.restore()


class StockLevelDelegate(QStyledItemDelegate):
    """A stock figure as a pill coloured by level (``Roles.Level``); a ring when chosen."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        level = index.data(Roles.Level)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(option.rect, colour("surface"))
        pill = QRectF(option.rect).adjusted(6, 5, -6, -5)
        fg, bg = level_colours(level) if level else (colour("muted"), colour("surface"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(pill, 10, 10)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour("brand"), 3))
            painter.drawRoundedRect(pill.adjusted(1.5, 1.5, -1.5, -1.5), 9, 9)
        painter.setPen(fg)
        painter.setFont(scaled(option.font, 1.1, True))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, str(text or ""))
        painter.restore()
