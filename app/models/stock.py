"""The stock screen's models: stock by size and store, and the stores to reserve in.

* ``StockGridModel``: sizes (rows) by stores (columns: here first, the other stores by
  distance, online last); each cell is the available count, coloured by stock level, and
  each column says when its figures are from ("as of 14:05"). A grid, not a row per
  record, so it derives from ``QAbstractTableModel`` itself.
* ``StoreChoiceModel``: the stores to reserve in (a ``RowsModel``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QObject, Qt
from PySide6.QtGui import QBrush, QFont

from app import format as fmt
from app import theme
from app.models.base import DISPLAY, NO_PARENT, Index, RowsModel
from app.models.roles import Roles
from app.widgets.painting import colour, level_colours, stock_level
from sync.records import ProductView, StoreStockView


@dataclass(frozen=True)
class StockColumn:
    store_id: str
    store_name: str
    is_here: bool
    is_online: bool
    as_of: str | None  # the oldest time of a figure in this column


class StockGridModel(QAbstractTableModel):
    """Rows: the sizes of one style in one colour; columns: stores; cells: available."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: list[ProductView] = []
        self._columns: list[StockColumn] = []
        self._cells: list[dict[str, StoreStockView]] = []
        self.selected_sku: str | None = None
        self.header_wrap = 0  # how narrow the column titles are (``header_title``)

    def set_views(self, views: Sequence[ProductView], selected_sku: str | None = None) -> None:
        self.beginResetModel()
        self._views = list(views)
        self.selected_sku = selected_sku
        self._cells = [{s.store_id: s for s in view.stock} for view in self._views]
        order: list[StoreStockView] = []
        seen: set[str] = set()
        for view in self._views:  # keep the cache's order: here, by distance, online last
            for s in view.stock:
                if s.store_id not in seen:
                    seen.add(s.store_id)
                    order.append(s)
        order.sort(key=lambda s: (not s.is_here, s.is_online))  # stable: distance kept
        self._columns = []
        for s in order:
            times = [
                cells[s.store_id].refreshed_at or cells[s.store_id].updated_at
                for cells in self._cells
                if s.store_id in cells
            ]
            self._columns.append(
                StockColumn(
                    s.store_id, s.store_name, s.is_here, s.is_online, min(times) if times else None
                )
            )
        self.endResetModel()

    def columns(self) -> list[StockColumn]:
        return list(self._columns)

    def view(self, row: int) -> ProductView:
        return self._views[row]

    def row_of(self, sku: str) -> int:
        for i, view in enumerate(self._views):
            if view.product.sku == sku:
                return i
        return -1

    def column_of(self, store_id: str) -> int:
        for i, col in enumerate(self._columns):
            if col.store_id == store_id:
                return i
        return -1

    def cell(self, row: int, column: int) -> StoreStockView | None:
        return self._cells[row].get(self._columns[column].store_id)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._views)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def header_title(self, col: StockColumn) -> str:
        """A column's title in lines; narrower (more lines) at each ``header_wrap`` level:
        0 "Dublin / Grafton Street / Here · as of 14:05", 1 "Here" on a line of its own,
        2 a word a line for the store's name."""
        name = self.tr("Online") if col.is_online else col.store_name
        if self.header_wrap >= 2:
            name = name.replace(" ", "\n")
        elif len(name) > 14 and " " in name:  # "Dublin\nGrafton Street": fits narrow columns
            name = name.replace(" ", "\n", 1)
        when = fmt.as_of(col.as_of)
        if not col.is_here:
            return f"{name}\n{when}"
        here = self.tr("Here")
        return f"{name}\n{here}\n{when}" if self.header_wrap >= 1 else f"{name}\n{here} · {when}"

    def set_header_wrap(self, level: int) -> None:
        if level != self.header_wrap:
            self.header_wrap = level
            if self._columns:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def column_title(self, col: StockColumn) -> str:
        name = self.tr("Online") if col.is_online else col.store_name
        if col.is_here:
            name = self.tr("{store} (here)").format(store=col.store_name)
        return name

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self._columns):
                return None
            col = self._columns[section]
            if role == DISPLAY:
                return self.header_title(col)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("{store}: stock figures {as_of}").format(
                    store=self.column_title(col), as_of=fmt.as_of(col.as_of)
                )
            if role == Qt.ItemDataRole.FontRole and col.is_here:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if section >= len(self._views):
            return None
        product = self._views[section].product
        if role == DISPLAY:
            return fmt.size_label(product.size)
        if role == Qt.ItemDataRole.FontRole and product.sku == self.selected_sku:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and product.sku == self.selected_sku:
            return QBrush(colour("brand"))
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        stock = self.cell(index.row(), index.column())
        if role == Roles.Key:
            return self._views[index.row()].product.sku
        if role == Roles.Record:
            return stock
        if stock is None:
            if role == DISPLAY:
                return "–"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        level = stock_level(stock.available)
        if role == Roles.Level:
            return level
        if role == DISPLAY:
            return str(stock.available)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(level_colours(level)[1])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(level_colours(level)[0])
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(
                "{store}: {available} available ({on_hand} on hand, {reserved} reserved), {as_of}"
            ).format(
                store=stock.store_name,
                available=stock.available,
                on_hand=stock.on_hand,
                reserved=stock.reserved,
                as_of=fmt.as_of(stock.refreshed_at or stock.updated_at),
            )
        return None


class StoreChoiceModel(RowsModel):
    """Stores to reserve in: name, how many are available, how far; none left = disabled."""

    def key(self, row: StoreStockView) -> str:
        return row.store_id

    def set_stock(self, stock: Sequence[StoreStockView]) -> None:
        self.set_records([s for s in stock if not s.is_online])

    def stock(self, row: int) -> StoreStockView:
        result: StoreStockView = self._rows[row]
        return result

    def flags(self, index: Index) -> Qt.ItemFlag:
        s = self.record(index.row()) if index.isValid() else None
        if s is None or s.available <= 0:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def role_data(self, s: StoreStockView, column: int, role: int) -> Any:
        if role == DISPLAY:
            return _store_line(s)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colour("muted")) if s.available <= 0 else None
        if role == Qt.ItemDataRole.DecorationRole:
            level = stock_level(s.available)
            name = {"none": "stock_none", "low": "stock_low", "good": "stock_good"}[level]
            return theme.icon("store", colour(name).name(), 22)
        return None


def _tr(text: str) -> str:
    return QCoreApplication.translate("StoreChoiceModel", text)


def _store_line(s: StoreStockView) -> str:
    name = _tr("{store} (here)").format(store=s.store_name) if s.is_here else s.store_name
    if s.available <= 0:
        count = _tr("none available")
    elif s.available == 1:
        count = _tr("1 available")
    else:
        count = _tr("{n} available").format(n=s.available)
    far = (
        ""
        if s.is_here or s.distance_km is None
        else _tr(" · {km} km").format(km=f"{s.distance_km:.0f}")
    )
    return f"{name}   —   {count}{far}   ({fmt.as_of(s.refreshed_at or s.updated_at)})"
