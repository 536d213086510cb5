"""The dashboard's small charts, drawn with ``QPainter`` (no QtCharts).

``DayBars`` (a bar per day of the period), ``Sparkline`` (a line over the days, for a
long period or a percentage) and ``Breakdown`` (horizontal bars with their names and
values: per associate, per channel). Each takes plain values (``set_series`` /
``set_parts``) and paints them in a few milliseconds; ``last_paint_ms`` holds the time
of the last paint (the README's figure comes from the dashboard test and the screenshots).

Why not QtCharts: it ships in PySide6-Addons (about 500 MB more than the app's
PySide6-Essentials, and its module load adds start-up time), and a tile needs no axes,
legends or interaction: a handful of rectangles and a line.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.widgets.painting import colour, scaled

Formatter = Callable[[float], str]


def _plain(value: float) -> str:
    return f"{value:,.0f}"


class _Chart(QWidget):
    """What the three charts share: a fixed height, a paint timer, an accessible text."""

    HEIGHT = 64

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(self.HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.last_paint_ms = 0.0
        self.format: Formatter = _plain

    def sizeHint(self) -> QSize:
        return QSize(200, self.minimumHeight())

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.draw(painter, QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()
        self.last_paint_ms = (time.perf_counter() - started) * 1000

    def draw(self, painter: QPainter, area: QRectF) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class DayBars(_Chart):
    """A bar per day; the tallest is the period's most; a faint base line under them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[tuple[date, float]] = []

    def set_series(self, series: Sequence[tuple[date, float]]) -> None:
        self.series = list(series)
        most = max((v for _d, v in self.series), default=0.0)
        self.setAccessibleDescription(f"{len(self.series)} days, most {self.format(most)}")
        self.update()

    def draw(self, painter: QPainter, area: QRectF) -> None:
        painter.setPen(QPen(colour("border"), 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        if not self.series:
            return
        most = max(v for _d, v in self.series) or 1.0
        step = area.width() / len(self.series)
        gap = min(4.0, step * 0.25)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour("primary"))
        for i, (_day, value) in enumerate(self.series):
            height = max(0.0, value) / most * (area.height() - 2)
            if value > 0:
                height = max(height, 2.0)  # a day with something is never invisible
            bar = QRectF(
                area.left() + i * step + gap / 2, area.bottom() - height, step - gap, height
            )
            painter.drawRoundedRect(bar, 1.5, 1.5)


class Sparkline(_Chart):
    """A line through the days' values, the area under it tinted, the last value dotted."""

    HEIGHT = 48

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[tuple[date, float]] = []

    def set_series(self, series: Sequence[tuple[date, float]]) -> None:
        self.series = list(series)
        last = self.series[-1][1] if self.series else 0.0
        self.setAccessibleDescription(f"{len(self.series)} days, last {self.format(last)}")
        self.update()

    def draw(self, painter: QPainter, area: QRectF) -> None:
        area = area.adjusted(4, 4, -4, -4)
        if not self.series:
            painter.setPen(QPen(colour("border"), 1))
            painter.drawLine(area.bottomLeft(), area.bottomRight())
            return
        values = [v for _d, v in self.series]
        low, high = min(0.0, *values), max(values)  # from zero: a flat week looks flat
        span = (high - low) or 1.0
        step = area.width() / max(1, len(values) - 1)
        points = [
            QPointF(
                area.left() + i * step if len(values) > 1 else area.center().x(),
                area.bottom() - (v - low) / span * area.height(),
            )
            for i, v in enumerate(values)
        ]
        line = QPainterPath(points[0])
        for point in points[1:]:
            line.lineTo(point)
        fill = QPainterPath(line)
        fill.lineTo(points[-1].x(), area.bottom())
        fill.lineTo(points[0].x(), area.bottom())
        fill.closeSubpath()
        painter.fillPath(fill, colour("primary_soft"))
        painter.setPen(QPen(colour("primary"), 2))
        painter.drawPath(line)
        painter.setBrush(colour("accent"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(points[-1], 3.5, 3.5)


class Breakdown(_Chart):
    """Horizontal bars, one per part (at most ``MAX_PARTS``, the rest summed as "Other"),
    the name on the left, the value on the right."""

    ROW = 22
    MAX_PARTS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: list[tuple[str, float]] = []

    def set_parts(self, parts: Sequence[tuple[str, float]]) -> None:
        ordered = sorted(parts, key=lambda p: -p[1])
        if len(ordered) > self.MAX_PARTS:
            rest = sum(v for _n, v in ordered[self.MAX_PARTS - 1 :])
            ordered = ordered[: self.MAX_PARTS - 1] + [(self.tr("Other"), rest)]
        self.parts = ordered
        self.setFixedHeight(max(self.HEIGHT, self.ROW * len(self.parts) + 4))
        self.setAccessibleDescription(
            ", ".join(f"{name} {self.format(value)}" for name, value in self.parts)
        )
        self.update()

    def draw(self, painter: QPainter, area: QRectF) -> None:
        if not self.parts:
            return
        font = scaled(self.font(), 0.82)
        painter.setFont(font)
        metrics = painter.fontMetrics()  # the device's own measure of the painter's font
        names = max(metrics.horizontalAdvance(n) for n, _v in self.parts)
        # elidedText measures with shaping that horizontalAdvance does not: a character's room
        names_w = min(area.width() * 0.38, names + metrics.averageCharWidth())
        values = [self.format(v) for _n, v in self.parts]
        values_w = max(metrics.horizontalAdvance(v) for v in values)
        most = max(v for _n, v in self.parts) or 1.0
        bar_left = area.left() + names_w + 8
        bar_room = max(4.0, area.right() - values_w - 8 - bar_left)
        for i, ((name, value), text) in enumerate(zip(self.parts, values, strict=True)):
            top = area.top() + i * self.ROW
            row = QRectF(area.left(), top, area.width(), self.ROW)
            painter.setPen(colour("text_muted"))
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(names_w))
            painter.drawText(
                QRectF(row.left(), top, names_w, self.ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )
            width = max(0.0, value) / most * bar_room
            painter.fillRect(
                QRectF(bar_left, top + 5, max(width, 2.0 if value > 0 else 0.0), self.ROW - 10),
                colour("primary" if i == 0 else "info"),
            )
            painter.setPen(colour("text"))
            painter.drawText(
                QRectF(area.right() - values_w, top, values_w, self.ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
