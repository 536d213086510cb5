"""How a product looks in a list: image, name, colour and size, price with promotion.

``ProductCellDelegate`` paints one item-view cell from the model's roles (``app.models.roles.Roles``):
the product image (or a swatch of its colour when the image is missing), the name, the
brand · colour · size line, the sale price next to the struck-through list price and the
promotion's name, and a "Pending sync" tag while the row waits for central.
``AvailabilityDelegate`` paints "here / other stores / online" with a coloured dot per
stock level. Both are used by the cart, the wishlist, the product search and the dialogs,
so a product looks the same everywhere.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app import format as fmt
from app.images import ImageCache
from app.models.base import Index
from app.models.roles import Roles
from app.theme import COLOURS
from sync.records import Availability, Price

log = logging.getLogger("clienteling.ui")

_ALIASES = {
    # names the painted cells use -> app.theme.COLOURS (the one place colours live)
    "brand": "primary",
    "brand_dark": "primary_dark",
    "brand_soft": "primary_soft",
    "on_brand": "text_on_primary",
    "muted": "text_muted",
    "sale": "danger",
    "promo_bg": "danger_soft",
    "pending_bg": "pending_soft",
    "stock_good": "success",
    "stock_good_bg": "success_soft",
    "stock_low": "warning",
    "stock_low_bg": "warning_soft",
    "stock_none": "danger",
    "stock_none_bg": "danger_soft",
}


def colour(name: str) -> QColor:
    """A brand colour by name from ``app.theme.COLOURS`` (aliases above)."""
    return QColor(COLOURS.get(_ALIASES.get(name, name)) or COLOURS["text"])


def stock_level(available: int) -> str:
    """``none`` at 0, ``low`` at 1-2, ``good`` from 3."""
    if available <= 0:
        return "none"
    return "low" if available <= 2 else "good"


def level_colours(level: str) -> tuple[QColor, QColor]:
    """(foreground, background) for a stock level."""
    return colour(f"stock_{level}"), colour(f"stock_{level}_bg")


def scaled(font: QFont, factor: float, bold: bool = False) -> QFont:
    out = QFont(font)
    if out.pixelSize() > 0:
        out.setPixelSize(max(8, round(out.pixelSize() * factor)))
    else:
        out.setPointSizeF(max(6.0, out.pointSizeF() * factor))
    out.setBold(bold)
    return out


def paint_chip(
    painter: QPainter, x: int, y: int, text: str, font: QFont, fg: QColor, bg: QColor
) -> QRect:
    """A small rounded tag at (x, y); returns the rect it used."""
    fm = QFontMetrics(font)
    rect = QRect(x, y, fm.horizontalAdvance(text) + 16, fm.height() + 6)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(bg)
    painter.drawRoundedRect(QRectF(rect), rect.height() / 2, rect.height() / 2)
    painter.setPen(fg)
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return rect


def pending_text() -> str:
    return QApplication.translate("ProductCell", "Pending sync")


def paint_pending(painter: QPainter, x: int, y: int, font: QFont) -> QRect:
    return paint_chip(
        painter,
        x,
        y,
        pending_text(),
        scaled(font, 0.85, True),
        colour("pending"),
        colour("pending_bg"),
    )


def paint_price(
    painter: QPainter, x: int, baseline: int, price: Price, font: QFont, max_right: int
) -> None:
    """Sale price, struck-through list price and the promotion's name, left to right."""
    painter.save()
    big = scaled(font, 1.05, True)
    painter.setFont(big)
    painter.setPen(colour("sale") if price.on_sale else colour("text"))
    sale = fmt.money(price.sale_cents)
    painter.drawText(x, baseline, sale)
    x += QFontMetrics(big).horizontalAdvance(sale) + 10
    if price.on_sale:
        small = QFont(font)
        small.setStrikeOut(True)
        painter.setFont(small)
        painter.setPen(colour("muted"))
        listed = fmt.money(price.list_cents)
        painter.drawText(x, baseline, listed)
        x += QFontMetrics(small).horizontalAdvance(listed) + 10
        if price.promotion_name:
            chip_font = scaled(font, 0.85, True)
            fm = QFontMetrics(chip_font)
            name = fm.elidedText(
                price.promotion_name, Qt.TextElideMode.ElideRight, max(40, max_right - x - 16)
            )
            paint_chip(
                painter,
                x,
                baseline - fm.ascent() - 3,
                name,
                chip_font,
                colour("sale"),
                colour("promo_bg"),
            )
    painter.restore()


def colour_hex(product: Any) -> str:
    """A product's colour (search hits carry none: a neutral one then)."""
    return getattr(product, "colour_hex", None) or COLOURS["border_strong"]


def paint_swatch(painter: QPainter, rect: QRect, hex_colour: str, label: str, font: QFont) -> None:
    """Stand-in for a missing product image: the colour with the name's initials."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base = QColor(hex_colour)
    painter.setPen(QPen(colour("border"), 1))
    painter.setBrush(base)
    painter.drawRoundedRect(QRectF(rect), 8, 8)
    painter.setPen(QColor("#FFFFFF") if base.lightness() < 150 else colour("text"))
    painter.setFont(scaled(font, 1.1, True))
    initials = "".join(word[0] for word in label.split()[:2]).upper()
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials)
    painter.restore()


def product_pixmap(images: ImageCache | None, relpath: str, side: int) -> QPixmap | None:
    """The product image from ``ctx.images``, or ``None``."""
    if images is None or not relpath:
        return None
    try:
        pixmap = images.pixmap(relpath, QSize(side, side))
    except OSError:  # an image file that can't be read never breaks a list
        log.warning("a product image could not be read", exc_info=True)
        return None
    return None if pixmap.isNull() else pixmap


def paint_image(
    painter: QPainter, rect: QRect, images: ImageCache | None, product: Any, font: QFont
) -> None:
    pixmap = product_pixmap(images, product.image, rect.width())
    if pixmap is None:
        paint_swatch(painter, rect, colour_hex(product), product.name, font)
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    path = QPainterPath()
    path.addRoundedRect(QRectF(rect), 8, 8)
    painter.fillPath(path, colour("surface_alt"))
    painter.setClipPath(path)
    scaled_pix = pixmap.scaled(
        rect.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    dpr = scaled_pix.devicePixelRatio() or 1.0
    w, h = scaled_pix.width() / dpr, scaled_pix.height() / dpr
    painter.drawPixmap(
        QPointF(rect.x() + (rect.width() - w) / 2, rect.y() + (rect.height() - h) / 2), scaled_pix
    )
    painter.restore()


def _panel(painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
    """The view's own background, hover and selection for this cell (no text)."""
    opt = QStyleOptionViewItem(option)
    QStyledItemDelegate().initStyleOption(opt, index)
    opt.text = ""
    opt.icon = opt.icon.__class__()
    style = opt.widget.style() if opt.widget else QApplication.style()
    style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)


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

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        return QSize(380, max(self.ROW_HEIGHT, self._side + 24))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        product = index.data(Roles.Product)
        if product is None:
            super().paint(painter, option, index)
            return
        _panel(painter, option, index)
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


def paint_product(
    painter: QPainter,
    cell: QRect,
    product: Any,
    price: Price | None,
    pending: bool,
    extra: str | None,
    images: ImageCache | None,
    font: QFont,
    image_side: int = 80,
    held: tuple[str, bool] | None = None,
) -> None:
    """The product cell's content inside ``cell`` (shared by delegates and widgets)."""
    rect = cell.adjusted(12, 0, -8, 0)
    side = min(image_side, rect.height() - 16)
    image_rect = QRect(rect.x(), rect.y() + (rect.height() - side) // 2, side, side)
    paint_image(painter, image_rect, images, product, font)

    x = image_rect.right() + 16
    width = rect.right() - x
    name_font = scaled(font, 1.1, True)
    detail_font = scaled(font, 0.92)
    fm_name, fm_detail, fm = QFontMetrics(name_font), QFontMetrics(detail_font), QFontMetrics(font)
    lines = fm_name.height() + fm_detail.height() + (fm.height() + 8 if price else 0)
    if pending or extra or held:
        lines += fm_detail.height() + 8
    y = rect.y() + max(6, (rect.height() - lines) // 2)

    painter.save()
    painter.setFont(name_font)
    painter.setPen(colour("text"))
    painter.drawText(
        x,
        y + fm_name.ascent(),
        fm_name.elidedText(product.name, Qt.TextElideMode.ElideRight, width),
    )
    y += fm_name.height() + 2

    painter.setFont(detail_font)
    dot = fm_detail.ascent() - 4
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour_hex(product)))
    painter.setPen(QPen(colour("border"), 1))
    painter.drawEllipse(QRect(x, y + (fm_detail.height() - dot) // 2, dot, dot))
    painter.setPen(colour("muted"))
    detail = " · ".join([product.brand, product.colour, fmt.size_label(product.size)])
    painter.drawText(
        x + dot + 6,
        y + fm_detail.ascent(),
        fm_detail.elidedText(detail, Qt.TextElideMode.ElideRight, width - dot - 6),
    )
    y += fm_detail.height() + 6
    painter.restore()

    if price is not None:
        paint_price(painter, x, y + fm.ascent(), price, font, rect.right())
        y += fm.height() + 8
    chip_x = x
    if pending:
        chip_x = paint_pending(painter, chip_x, y, font).right() + 8
    if held:
        text, held_pending = held
        if held_pending:
            text = f"{text} · {pending_text()}"
        chip_font = scaled(font, 0.85, True)
        fg, bg = (
            (colour("pending"), colour("pending_bg"))
            if held_pending
            else (colour("info"), colour("info_soft"))
        )
        room = max(60, rect.right() - chip_x - 16)
        text = QFontMetrics(chip_font).elidedText(text, Qt.TextElideMode.ElideRight, room)
        chip_x = paint_chip(painter, chip_x, y, text, chip_font, fg, bg).right() + 8
    if extra:
        painter.save()
        painter.setFont(detail_font)
        painter.setPen(colour("muted"))
        painter.drawText(
            QRect(chip_x, y, rect.right() - chip_x, fm_detail.height() + 6),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fm_detail.elidedText(str(extra), Qt.TextElideMode.ElideRight, rect.right() - chip_x),
        )
        painter.restore()


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

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, self._side + 16)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
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

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        fm = QFontMetrics(option.font)
        return QSize(220, 3 * (fm.height() + 6) + 12)

    def lines(self, availability: Availability) -> list[tuple[str, int]]:
        other = self.tr("Other stores: {n}").format(n=availability.other_stores)
        if availability.other_stores and availability.best_other_store_name:
            other = self.tr("Other stores: {n} (nearest {store})").format(
                n=availability.other_stores, store=availability.best_other_store_name
            )
        return [
            (self.tr("Here: {n}").format(n=availability.here), availability.here),
            (other, availability.other_stores),
            (self.tr("Online: {n}").format(n=availability.online), availability.online),
        ]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        availability: Availability | None = index.data(Roles.Availability)
        if availability is None:
            super().paint(painter, option, index)
            return
        _panel(painter, option, index)
        font = QFont(option.font)
        fm = QFontMetrics(font)
        step = fm.height() + 6
        rect = option.rect.adjusted(8, 0, -8, 0)
        y = rect.y() + (rect.height() - 3 * step) // 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        for i, (text, count) in enumerate(self.lines(availability)):
            room = rect.width() - 18
            if i == 1 and fm.horizontalAdvance(text) > room and availability.best_other_store_name:
                # "Other stores: 8 (nearest Galway Shop Street)" -> "... (Galway)"
                text = self.tr("Other stores: {n} ({store})").format(
                    n=availability.other_stores, store=availability.best_other_store_name.split()[0]
                )
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
