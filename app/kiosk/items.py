"""The shopper's own cart or wishlist as a list a finger can use.

``KioskItemsModel`` holds ``sync.records.ItemLine`` rows and answers the product cell's
roles (``app.widgets.product_cell.Roles``), so a product looks the same as on the
associate's tablet. ``KioskItemDelegate`` paints a tall row: the product cell (image,
name, brand · colour · size, price with promotion, a "Reserved at …" tag), where it can
be had in words a shopper reads ("In stock at this store"), and on the right what a tap
does ("Reserve for pickup", "Reserved" when the shopper has already reserved it, or "Ask
an associate" when no store has it). The whole row
is the target: ``QListView.clicked`` opens the reserve flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QObject,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from app.images import ImageCache
from app.kiosk.common import tr
from app.models.base import Index, RowsModel
from app.models.item_lines import NOT_A_LINE_ROLE, line_role_data
from app.models.roles import Roles
from app.widgets.painting import colour, paint_panel, paint_product, scaled
from sync.records import ItemLine

ROW_HEIGHT = 150
ACTION_WIDTH = 230


def can_reserve(line: ItemLine) -> bool:
    return line.availability.here > 0 or line.availability.other_stores > 0


def availability_text(line: ItemLine) -> tuple[str, str]:
    """(sentence, level) for a shopper: where the item can be had today."""
    a = line.availability
    if a.here > 0:
        if a.here <= 2:
            return tr("Only {n} left at this store").format(n=a.here), "low"
        return tr("In stock at this store"), "good"
    if a.other_stores > 0:
        store = a.best_other_store_name or tr("another store")
        return tr("In stock at {store}").format(store=store), "low"
    if a.online > 0:
        return tr("Available online only"), "none"
    return tr("Out of stock right now"), "none"


class KioskItemsModel(RowsModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.held: dict[str, tuple[str, bool]] = {}

    def key(self, row: ItemLine) -> str:
        return row.key

    def set_lines(self, rows: Sequence[ItemLine], held: dict[str, tuple[str, bool]]) -> None:
        """New rows; the same rows again (a reload after a sync) keep the scroll place."""
        self.held = dict(held)
        self.set_records(rows)

    def clear(self) -> None:
        self.set_lines((), {})

    def line(self, row: int) -> ItemLine:
        result: ItemLine = self._rows[row]
        return result

    def role_data(self, line: ItemLine, column: int, role: int) -> Any:
        value = line_role_data(line, role, self.held)
        if value is not NOT_A_LINE_ROLE:
            return value
        if role == Roles.Note:
            return tr("Qty {n}").format(n=line.qty) if line.qty > 1 else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text, _level = availability_text(line)
            return f"{line.product.name} · {line.product.colour} · {line.product.size} · {text}"
        return None


class KioskItemDelegate(QStyledItemDelegate):
    def __init__(self, images: ImageCache, parent: Any = None) -> None:
        super().__init__(parent)
        self._images = images

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(600, ROW_HEIGHT)

    def action_rect(self, rect: QRect, font: QFont) -> QRect:
        """The "Reserve for pickup" pill: roomy on a wide list, "Reserve" when narrow."""
        if self.wide(rect):
            label = QFontMetrics(scaled(font, 1.0, True)).horizontalAdvance(
                tr("Reserve for pickup")
            )
            width = max(ACTION_WIDTH, label + 56)
        else:
            width = 130 if self.narrow(rect) else 150
        return QRect(rect.right() - width - 16, rect.center().y() - 30, width, 60)

    @staticmethod
    def wide(rect: QRect) -> bool:
        return rect.width() >= 1100

    @staticmethod
    def narrow(rect: QRect) -> bool:
        """A short list (a 1024 px screen): a smaller picture and a narrower stock column
        leave the product's name its room."""
        return rect.width() < 800

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        line: ItemLine | None = index.data(Roles.Record)
        if line is None:
            super().paint(painter, option, index)
            return
        paint_panel(painter, option, index)
        font = QFont(option.font)
        rect = option.rect
        action = self.action_rect(rect, font)
        avail_w = 300 if self.wide(rect) else 130 if self.narrow(rect) else 180
        avail = QRect(action.left() - avail_w - 16, rect.top(), avail_w, rect.height())
        product_rect = QRect(rect.left(), rect.top(), avail.left() - rect.left() - 8, rect.height())
        paint_product(
            painter,
            product_rect,
            line.product,
            line.price,
            False,
            index.data(Roles.Note),
            self._images,
            font,
            80 if self.narrow(rect) else 112,
            index.data(Roles.Held),
        )

        # where it can be had
        text, level = availability_text(line)
        fg = colour(f"stock_{level}")
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fg)
        dot = 14
        fm = QFontMetrics(font)
        text_rect = avail.adjusted(dot + 10, 0, 0, 0)
        bounds = fm.boundingRect(text_rect, int(Qt.TextFlag.TextWordWrap), text)
        top = rect.center().y() - bounds.height() // 2
        painter.drawEllipse(QRect(avail.left(), top + (fm.height() - dot) // 2, dot, dot))
        painter.setPen(colour("text"))
        painter.setFont(font)
        painter.drawText(
            QRect(text_rect.left(), top, text_rect.width(), bounds.height() + 4),
            int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
            text,
        )
        painter.restore()

        # what a tap does
        held = index.data(Roles.Held) is not None
        reservable = can_reserve(line) and not held
        wide = self.wide(rect)
        if held:
            label = tr("Reserved")
        elif reservable:
            label = tr("Reserve for pickup") if wide else tr("Reserve")
        else:
            label = tr("Ask an associate") if wide else tr("Get help")
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if reservable:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour("brand"))
            text_colour = colour("on_brand")
        else:
            painter.setPen(QPen(colour("brand"), 2))
            painter.setBrush(colour("surface"))
            text_colour = colour("brand")
        painter.drawRoundedRect(QRectF(action).adjusted(1, 1, -1, -1), 30, 30)
        painter.setPen(text_colour)
        bold = scaled(font, 1.0, True)
        painter.setFont(bold)
        label = QFontMetrics(bold).elidedText(
            label, Qt.TextElideMode.ElideRight, action.width() - 24
        )
        painter.drawText(action, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()
        painter.save()
        painter.setPen(QPen(colour("border"), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.restore()
