"""The stock grid of the product page: sizes by stores, each cell a stock pill.

``StockGridView(model)`` is a ``QTableView`` over ``app.models.stock.StockGridModel``
painted by ``StockLevelDelegate``, one cell chosen at a time; ``stock_legend(level,
text)`` is a chip that explains a colour ("3 or more", "1–2 left", "None").
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from app.models.stock import StockGridModel
from app.widgets.product_cell import StockLevelDelegate


class StockGridView(QTableView):
    def __init__(self, model: StockGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StockGrid")
        self.setModel(model)
        self.setShowGrid(False)
        self.setItemDelegate(StockLevelDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.verticalHeader().setDefaultSectionSize(44)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumHeight(84)
        model.modelReset.connect(self._fit_titles)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_titles()

    def _fit_titles(self) -> None:
        """The widest column titles that fit the columns (stretched: all as wide)."""
        model, header = self.model(), self.horizontalHeader()
        if not isinstance(model, StockGridModel) or not model.columnCount():
            return
        room = self.viewport().width() // model.columnCount()
        for level in (0, 1, 2):
            model.set_header_wrap(level)
            if all(header.sectionSizeHint(i) <= room for i in range(model.columnCount())):
                break


def stock_legend(level: str, text: str) -> QLabel:
    chip = QLabel(text)
    chip.setObjectName("StockLegend")
    chip.setProperty("level", level)  # colours: QLabel#StockLegend[level=...] in the QSS
    return chip
