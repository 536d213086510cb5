"""Touch buttons painted inside item-view cells (no widget per row).

``ButtonsDelegate`` paints a row's actions ("Reserve", "Order online", "Remove") as
44 px high buttons that wrap onto a second line when the column is narrow, and emits
``clicked(key, index)`` when a finger lifts on one. ``StepperDelegate`` paints a
quantity as ``[−] 2 [+]`` and emits ``stepped(index, delta)`` for every tap, quick
second taps (double clicks) included.

Both expose ``button_rect(view, index, key)`` so a test can tap a button where a person
would.

Signals:
    ButtonsDelegate.clicked(str, QModelIndex)
    StepperDelegate.stepped(QModelIndex, int)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from app import theme
from app.models.base import Index
from app.models.roles import Roles
from app.widgets.painting import colour, paint_panel, scaled

TOUCH = 44  # the smallest thing a finger has to hit, in px


@dataclass(frozen=True)
class CellButton:
    key: str
    label: str
    kind: str = "secondary"  # primary / secondary / danger
    enabled: bool = True
    icon: str = ""  # an icon's name: the button shows it alone (``label``: what it says)


def paint_button(
    painter: QPainter, rect: QRect, label: str, kind: str, enabled: bool, pressed: bool, font: QFont
) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    r = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
    if kind == "primary":
        fill = colour("brand_dark") if pressed else colour("brand")
        border, text = fill, colour("on_brand")
    elif kind == "danger":
        fill = colour("promo_bg") if pressed else colour("surface")
        border, text = colour("danger"), colour("danger")
    else:
        fill = colour("surface_alt") if pressed else colour("surface")
        border, text = colour("brand"), colour("brand")
    if not enabled:
        fill, border, text = colour("surface_alt"), colour("border"), colour("border_strong")
    painter.setPen(QPen(border, 1.5))
    painter.setBrush(fill)
    painter.drawRoundedRect(r, 8, 8)
    painter.setPen(text)
    painter.setFont(scaled(font, 1.0, True))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def paint_icon_button(
    painter: QPainter, rect: QRect, icon: str, kind: str, enabled: bool, pressed: bool, font: QFont
) -> None:
    """A button that shows an icon alone (an envelope for "Message")."""
    paint_button(painter, rect, "", kind, enabled, pressed, font)
    tint = "on_brand" if kind == "primary" else "brand" if enabled else "border_strong"
    pixmap = theme.icon_pixmap(icon, colour(tint).name(), 22)
    side = 22
    painter.drawPixmap(
        rect.x() + (rect.width() - side) // 2, rect.y() + (rect.height() - side) // 2, pixmap
    )


class _TapDelegate(QStyledItemDelegate):
    """Press/release tracking shared by the two delegates."""

    repeats = False  # True: a quick second tap (a double click) counts as a tap too

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pressed: tuple[QPersistentModelIndex, str] | None = None

    # subclasses: which buttons are where, and what a tap does
    def _rects(self, rect: QRect, index: Index, font: QFont) -> list[tuple[str, QRect, bool]]:
        raise NotImplementedError

    def _activate(self, key: str, index: Index) -> None:
        raise NotImplementedError

    def button_rect(self, view: QAbstractItemView, index: Index, key: str) -> QRect:
        """Where ``key`` is drawn for ``index``, in the view's viewport coordinates."""
        for name, rect, _enabled in self._rects(view.visualRect(index), index, view.font()):
            if name == key:
                return rect
        return QRect()

    def _hit(
        self, option: QStyleOptionViewItem, index: Index, pos: QPoint
    ) -> tuple[str, bool] | None:
        for name, rect, enabled in self._rects(option.rect, index, option.font):
            if rect.contains(pos):
                return name, enabled
        return None

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        kind = event.type()
        if kind not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        ):
            return super().editorEvent(event, model, option, index)
        assert isinstance(event, QMouseEvent)
        hit = self._hit(option, index, event.position().toPoint())
        view = option.widget
        widget = view if isinstance(view, QAbstractItemView) else None
        if kind == QEvent.Type.MouseButtonPress:
            if hit and hit[1]:
                self._pressed = (QPersistentModelIndex(index), hit[0])
                if widget is not None:
                    widget.viewport().update()
            return hit is not None
        if kind == QEvent.Type.MouseButtonDblClick:
            # a quick second tap: the view forgets its pressed cell here and never passes
            # the release on, so a stepper counts the tap now (an action button does not
            # run twice)
            if self.repeats and hit and hit[1]:
                self._pressed = None
                self._activate(hit[0], index)
                if widget is not None:
                    widget.viewport().update()
            return hit is not None
        pressed, self._pressed = self._pressed, None
        if widget is not None:
            widget.viewport().update()
        if hit and hit[1] and pressed and pressed[1] == hit[0] and pressed[0] == index:
            self._activate(hit[0], index)
        return hit is not None

    def _is_pressed(self, index: Index, key: str) -> bool:
        return bool(self._pressed and self._pressed[1] == key and self._pressed[0] == index)


class ButtonsDelegate(_TapDelegate):
    """A row's actions as buttons; wraps to more lines when the column is narrow."""

    clicked = Signal(str, QModelIndex)

    def __init__(
        self, buttons_for: Callable[[Index], list[CellButton]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._buttons_for = buttons_for

    def _sizes(self, index: Index, font: QFont) -> list[tuple[CellButton, int]]:
        fm = QFontMetrics(scaled(font, 1.0, True))
        return [
            (b, TOUCH + 12 if b.icon else max(TOUCH * 2, fm.horizontalAdvance(b.label) + 32))
            for b in self._buttons_for(index)
        ]

    def _rects(self, rect: QRect, index: Index, font: QFont) -> list[tuple[str, QRect, bool]]:
        gap = 8
        inner = rect.adjusted(8, 0, -8, 0)
        rows: list[list[tuple[CellButton, int]]] = [[]]
        used = 0
        for button, width in self._sizes(index, font):
            if rows[-1] and used + gap + width > inner.width():
                rows.append([])
                used = 0
            used += (gap if rows[-1] else 0) + width
            rows[-1].append((button, width))
        height = len(rows) * TOUCH + (len(rows) - 1) * gap
        y = inner.y() + (inner.height() - height) // 2
        out = []
        for row in rows:
            x = inner.x()
            for button, width in row:
                out.append((button.key, QRect(x, y, width, TOUCH), button.enabled))
                x += width + gap
            y += TOUCH + gap
        return out

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """The narrowest width that shows the buttons on two lines at most (a row is
        tall enough for two)."""
        widths = [w for _b, w in self._sizes(index, option.font)]
        best = sum(widths) + 8 * max(0, len(widths) - 1)
        for split in range(1, len(widths)):
            first, second = widths[:split], widths[split:]
            best = min(
                best,
                max(sum(first) + 8 * (len(first) - 1), sum(second) + 8 * (len(second) - 1)),
            )
        return QSize(best + 16, TOUCH + 16)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        paint_panel(painter, option, index)
        labels = {b.key: b for b in self._buttons_for(index)}
        for key, rect, enabled in self._rects(option.rect, index, option.font):
            b = labels[key]
            pressed = self._is_pressed(index, key)
            if b.icon:
                paint_icon_button(painter, rect, b.icon, b.kind, enabled, pressed, option.font)
                continue
            paint_button(painter, rect, b.label, b.kind, enabled, pressed, option.font)

    def _activate(self, key: str, index: Index) -> None:
        self.clicked.emit(key, index)


class StepperDelegate(_TapDelegate):
    """``[−] n [+]`` for a quantity (``Roles.Qty``); minus stops at ``minimum``."""

    stepped = Signal(QModelIndex, int)
    repeats = True  # "+" "+" quickly is two more

    def __init__(self, minimum: int = 1, maximum: int = 99, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._min, self._max = minimum, maximum

    def _rects(self, rect: QRect, index: Index, font: QFont) -> list[tuple[str, QRect, bool]]:
        qty = int(index.data(Roles.Qty) or 0)
        middle = 48
        total = TOUCH * 2 + middle
        x = rect.x() + max(4, (rect.width() - total) // 2)
        y = rect.y() + (rect.height() - TOUCH) // 2
        return [
            ("minus", QRect(x, y, TOUCH, TOUCH), qty > self._min),
            ("value", QRect(x + TOUCH, y, middle, TOUCH), False),
            ("plus", QRect(x + TOUCH + middle, y, TOUCH, TOUCH), qty < self._max),
        ]

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(TOUCH * 2 + 48 + 16, TOUCH + 16)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        paint_panel(painter, option, index)
        qty = index.data(Roles.Qty)
        for key, rect, enabled in self._rects(option.rect, index, option.font):
            if key == "value":
                painter.save()
                painter.setFont(scaled(option.font, 1.15, True))
                painter.setPen(colour("text"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(qty))
                painter.restore()
            else:
                paint_button(
                    painter,
                    rect,
                    "−" if key == "minus" else "+",
                    "secondary",
                    enabled,
                    self._is_pressed(index, key),
                    option.font,
                )

    def _activate(self, key: str, index: Index) -> None:
        if key in ("minus", "plus"):
            self.stepped.emit(index, -1 if key == "minus" else 1)
