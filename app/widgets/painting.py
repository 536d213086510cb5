"""Painting a product and its stock in item views: the pieces every delegate shares.

Colours by name (``colour``, aliases onto ``app.theme.COLOURS``), stock levels, chips
("Pending sync", a promotion), the price line, the product image or a swatch in its
place, the view's own panel under a painted cell (``paint_panel``), and ``paint_product``:
image, name, brand · colour · size, price, a note and a "Reserved at …" tag.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app import format as fmt
from app.images import ImageCache
from app.models.base import Index
from app.theme import COLOURS
from sync.records import Price

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
        room = max_right - x - 16
        if price.promotion_name and room >= 40:  # no room: the sale price says enough
            chip_font = scaled(font, 0.85, True)
            fm = QFontMetrics(chip_font)
            name = fm.elidedText(price.promotion_name, Qt.TextElideMode.ElideRight, room)
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


def paint_panel(painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
    """The view's own background, hover and selection for this cell (no text)."""
    opt = QStyleOptionViewItem(option)
    QStyledItemDelegate().initStyleOption(opt, index)
    opt.text = ""
    opt.icon = opt.icon.__class__()
    style = opt.widget.style() if opt.widget else QApplication.style()
    style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)


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
    painter.save()
    # a chip that cannot fit never spills into the next column
    painter.setClipRect(cell, Qt.ClipOperation.IntersectClip)
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
    painter.restore()
