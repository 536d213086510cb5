"""Item delegates for touch lists.

``TwoLineDelegate``: the model's display text is ``"first line\\nsecond line"``; the first
line is drawn in the base font (bold when ``bold_first``), the second smaller and muted,
each elided on its own, with the decoration (icon or picture) on the left.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app import theme


class TwoLineDelegate(QStyledItemDelegate):
    def __init__(
        self, parent: QWidget | None = None, bold_first: bool = True, icon_px: int = 36
    ) -> None:
        super().__init__(parent)
        self.bold_first = bold_first
        self.icon_px = icon_px

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        opt.text = ""
        opt.icon = QIcon()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect.adjusted(10, 4, -10, -4)
        painter.save()
        decoration = index.data(Qt.ItemDataRole.DecorationRole)
        left = rect.left()
        if isinstance(decoration, QPixmap | QIcon):
            side = self.icon_px if isinstance(decoration, QPixmap) else 22
            target = QRect(left, rect.center().y() - side // 2 + 1, side, side)
            if isinstance(decoration, QPixmap):
                painter.drawPixmap(target, decoration)
            else:
                decoration.paint(painter, target)
            left += side + 10
        first, _, second = text.partition("\n")
        width = rect.right() - left
        font = QFont(option.font)
        if self.bold_first:
            font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(QColor(theme.COLOURS["text"]))
        metrics = painter.fontMetrics()
        if second:
            top_rect = QRect(left, rect.top(), width, rect.height() // 2)
            bottom_rect = QRect(left, rect.top() + rect.height() // 2, width, rect.height() // 2)
            painter.drawText(
                top_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                metrics.elidedText(first, Qt.TextElideMode.ElideRight, width),
            )
            small = QFont(option.font)
            small.setWeight(QFont.Weight.Normal)
            small.setPixelSize(theme.BASE_FONT_PX - 2)
            painter.setFont(small)
            painter.setPen(QColor(theme.COLOURS["text_muted"]))
            painter.drawText(
                bottom_rect.adjusted(0, 2, 0, 0),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                painter.fontMetrics().elidedText(second, Qt.TextElideMode.ElideRight, width),
            )
        else:
            painter.drawText(
                QRect(left, rect.top(), width, rect.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(first, Qt.TextElideMode.ElideRight, width),
            )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(min(base.width(), 320), max(base.height(), 56))
