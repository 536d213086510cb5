"""One figure as a tile: its name, its value, a small chart, how it is computed, and its
ways forward (the list behind it, its CSV).

``KpiTile(kpi)``; ``show_kpi(kpi)`` puts a new reading on it. The chart is the figure's
breakdown when it has one (per associate, per channel), else its days as bars (a
sparkline for a percentage). The info button ("How is this counted?") shows ``Kpi.how``
under the value, a second tap hides it (a tooltip alone is out of reach of a finger).

Signals: ``leakRequested(str)`` (the leak list's kind), ``exportRequested(str)`` (the
figure's key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from app.pages.dashboard.charts import Breakdown, DayBars, Sparkline
from app.pages.dashboard.values import formatter, value_text
from app.widgets.common import Card, TouchButton, label

if TYPE_CHECKING:
    from sync.read.kpi_types import Kpi

LEAK_BUTTONS: dict[str, object] = {
    "expired_holds": QT_TRANSLATE_NOOP("KpiTile", "Reach out"),
    "unpaid_links": QT_TRANSLATE_NOOP("KpiTile", "Resend links"),
    "abandoned_carts": QT_TRANSLATE_NOOP("KpiTile", "Make offers"),
    "rejected": QT_TRANSLATE_NOOP("KpiTile", "Resolve them"),
}


class KpiTile(Card):
    leakRequested = Signal(str)
    exportRequested = Signal(str)

    def __init__(self, kpi: Kpi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = kpi.key
        self.setObjectName(f"KpiTile_{kpi.key}")
        # the grid gives every column the same width (its stretch): never the content's
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        column.setSpacing(6)

        head = QHBoxLayout()
        head.setSpacing(6)
        self.title = label(kpi.label, "muted")
        self.title.setObjectName("KpiLabel")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.info = TouchButton("", "ghost", "info")
        self.info.setObjectName("KpiHow")
        self.info.setCheckable(True)
        self.info.setFixedWidth(48)
        self.info.setToolTip(self.tr("How is this counted?"))
        self.info.setAccessibleName(self.tr("How is this counted?"))
        self.info.toggled.connect(self._toggle_how)
        self.export_button = TouchButton(self.tr("CSV"), "ghost")
        self.export_button.setObjectName("KpiExport")
        self.export_button.setToolTip(self.tr("Export the table behind this figure as CSV"))
        self.export_button.setAccessibleName(self.tr("Export as CSV"))
        self.export_button.clicked.connect(lambda: self.exportRequested.emit(self.key))
        head.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.info, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(head)

        self.value = label("", "count")
        self.value.setObjectName("KpiValue")
        column.addWidget(self.value)
        self.how = label("", "muted")
        self.how.setObjectName("KpiHowText")
        self.how.setWordWrap(True)
        self.how.setVisible(False)
        column.addWidget(self.how)

        self.bars = DayBars()
        self.line = Sparkline()
        self.parts = Breakdown()
        for chart in (self.bars, self.line, self.parts):
            chart.setVisible(False)
            column.addWidget(chart)

        column.addStretch(1)  # a row's tiles are as tall as its tallest: buttons at the foot
        self.leak_button = TouchButton("", "secondary", "chevron-right")
        self.leak_button.setObjectName("KpiOpenLeak")
        self.leak_button.clicked.connect(self._open_leak)
        column.addWidget(self.leak_button)
        self.leak: str | None = None
        self.show_kpi(kpi)

    def show_kpi(self, kpi: Kpi) -> None:
        self.title.setText(kpi.label)
        self.value.setText(value_text(kpi.value, kpi.unit))
        self.how.setText(kpi.how)
        self.info.setToolTip(kpi.how)
        self.setAccessibleName(f"{kpi.label}: {self.value.text()}")
        chart_format = formatter(kpi.unit)
        chart: DayBars | Sparkline | Breakdown
        if kpi.breakdown:
            chart = self.parts
            # a share's breakdown counts the shoppers behind it (per channel), not shares
            self.parts.format = formatter("count") if kpi.unit == "percent" else chart_format
            self.parts.set_parts(kpi.breakdown)
        else:
            days = self.line if kpi.unit == "percent" else self.bars
            days.format = chart_format
            days.set_series(kpi.series)
            chart = days
        for each in (self.bars, self.line, self.parts):
            each.setVisible(each is chart)
        self.chart = chart
        self.leak = kpi.leak
        self.leak_button.setVisible(kpi.leak is not None)
        if kpi.leak is not None:
            self.leak_button.setText(self.tr(str(LEAK_BUTTONS.get(kpi.leak, "Open the list"))))

    def _toggle_how(self, shown: bool) -> None:
        self.how.setVisible(shown)

    def _open_leak(self) -> None:
        if self.leak is not None:
            self.leakRequested.emit(self.leak)
