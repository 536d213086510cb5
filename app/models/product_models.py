"""Item models behind the product and stock screen.

* ``ProductHitsModel``: product search results (``sync.records.ProductHit``).
* ``StockGridModel``: sizes (rows) by stores (columns: here first, the other stores by
  distance, online last); each cell is the available count, coloured by stock level, and
  each column says when its figures are from ("as of 14:05").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from app import format as fmt
from app.widgets.product_cell import Roles, colour, level_colours, stock_level
from sync.records import ProductHit, ProductView, StoreStockView

_DISPLAY = Qt.ItemDataRole.DisplayRole


class ProductHitsModel(QAbstractListModel):
    """One row per style and colour (its sizes summed up), in the search's order; the
    row stands for the first hit of its group (an exact SKU or barcode match first)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ProductHit] = []
        self._sizes: list[list[ProductHit]] = []

    def set_rows(self, rows: Sequence[ProductHit]) -> None:
        groups: dict[tuple[str, str], list[ProductHit]] = {}
        for hit in rows:
            groups.setdefault((hit.style_id, hit.colour), []).append(hit)
        self.beginResetModel()
        self._sizes = list(groups.values())
        self._rows = [group[0] for group in self._sizes]
        self.endResetModel()

    def hit(self, row: int) -> ProductHit:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        hit = self._rows[index.row()]
        if role in (Roles.Record, Roles.Product):
            return hit  # has name/brand/colour/size/image like a Product
        if role == Roles.Key:
            return hit.sku
        if role == Roles.Price:
            return hit.price
        if role == Roles.Note:
            group = self._sizes[index.row()]
            here = sum(h.available_here for h in group)
            sizes = ", ".join(h.size for h in group)
            if len(group) > 1:
                text = self.tr("Sizes {sizes}").format(sizes=sizes)
            else:
                text = fmt.size_label(hit.size)
            stock = self.tr("{n} here").format(n=here) if here else self.tr("none here")
            return f"{text} · {stock}"
        if role in (_DISPLAY, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit.name} · {hit.colour} · {hit.size}"
        return None


@dataclass(frozen=True)
class StockColumn:
    store_id: str
    store_name: str
    is_here: bool
    is_online: bool
    as_of: str | None  # the oldest time of a figure in this column


class StockGridModel(QAbstractTableModel):
    """Rows: the sizes of one style in one colour; columns: stores; cells: available."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._views: list[ProductView] = []
        self._columns: list[StockColumn] = []
        self._cells: list[dict[str, StoreStockView]] = []
        self.selected_sku: str | None = None

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

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._views)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def column_title(self, col: StockColumn) -> str:
        name = self.tr("Online") if col.is_online else col.store_name
        if col.is_here:
            name = self.tr("{store} (here)").format(store=col.store_name)
        return name

    def headerData(self, section: int, orientation, role=_DISPLAY):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self._columns):
                return None
            col = self._columns[section]
            if role == _DISPLAY:
                name = self.tr("Online") if col.is_online else col.store_name
                if len(name) > 14 and " " in name:  # "Dublin\nGrafton Street": fits narrow columns
                    name = name.replace(" ", "\n", 1)
                when = fmt.as_of(col.as_of)
                return f"{name}\n{self.tr('Here')} · {when}" if col.is_here else f"{name}\n{when}"
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
        if role == _DISPLAY:
            return fmt.size_label(product.size)
        if role == Qt.ItemDataRole.FontRole and product.sku == self.selected_sku:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and product.sku == self.selected_sku:
            return QBrush(colour("brand"))
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        stock = self.cell(index.row(), index.column())
        if role == Roles.Key:
            return self._views[index.row()].product.sku
        if role == Roles.Record:
            return stock
        if stock is None:
            if role == _DISPLAY:
                return "–"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        level = stock_level(stock.available)
        if role == Roles.Level:
            return level
        if role == _DISPLAY:
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


class StoreChoiceModel(QAbstractListModel):
    """Stores to reserve in: name, how many are available, how far; none left = disabled."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[StoreStockView] = []

    def set_stock(self, stock: Sequence[StoreStockView]) -> None:
        self.beginResetModel()
        self._rows = [s for s in stock if not s.is_online]
        self.endResetModel()

    def stock(self, row: int) -> StoreStockView:
        return self._rows[row]

    def row_of(self, store_id: str | None) -> int:
        for i, s in enumerate(self._rows):
            if s.store_id == store_id:
                return i
        return -1

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].available <= 0:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        s = self._rows[index.row()]
        if role == Roles.Record:
            return s
        if role == Roles.Key:
            return s.store_id
        if role == _DISPLAY:
            name = (
                self.tr("{store} (here)").format(store=s.store_name) if s.is_here else s.store_name
            )
            if s.available <= 0:
                count = self.tr("none available")
            elif s.available == 1:
                count = self.tr("1 available")
            else:
                count = self.tr("{n} available").format(n=s.available)
            far = (
                ""
                if s.is_here or s.distance_km is None
                else self.tr(" · {km} km").format(km=f"{s.distance_km:.0f}")
            )
            return f"{name}   —   {count}{far}   ({fmt.as_of(s.refreshed_at or s.updated_at)})"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colour("muted")) if s.available <= 0 else None
        if role == Qt.ItemDataRole.DecorationRole:
            from app import theme

            level = stock_level(s.available)
            name = {"none": "stock_none", "low": "stock_low", "good": "stock_good"}[level]
            return theme.icon("store", colour(name).name(), 22)
        return None


class OrderLinesModel(QAbstractTableModel):
    """The lines of an order being placed: product, quantity (editable), line total."""

    ITEM, QTY, TOTAL = range(3)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[list[Any]] = []  # [ProductView, qty]

    def set_lines(self, lines: Sequence[tuple[ProductView, int]]) -> None:
        self.beginResetModel()
        self._rows = [[view, qty] for view, qty in lines]
        self.endResetModel()

    def lines(self) -> list[tuple[str, int]]:
        return [(view.product.sku, qty) for view, qty in self._rows]

    def set_qty(self, row: int, qty: int) -> None:
        self._rows[row][1] = max(1, min(99, qty))
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def total_cents(self) -> int:
        return sum(view.price.sale_cents * qty for view, qty in self._rows)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation, role=_DISPLAY):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        return [self.tr("Item"), self.tr("Quantity"), self.tr("Total")][section]

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        view, qty = self._rows[index.row()]
        online = next((s.available for s in view.stock if s.is_online), None)
        if role == Roles.Record:
            return view
        if role == Roles.Key:
            return view.product.sku
        if role == Roles.Product:
            return view.product
        if role == Roles.Price:
            return view.price
        if role == Roles.Qty:
            return qty
        if role == Roles.Note:
            if online is None:
                return self.tr("Online stock not known here")
            if online < qty:
                return (
                    self.tr("Only {n} online: part may come later").format(n=online)
                    if online
                    else self.tr("Out of stock online: ships when back")
                )
            return None  # enough online: nothing to say
        if index.column() == self.TOTAL:
            if role == _DISPLAY:
                return fmt.money(view.price.sale_cents * qty)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == _DISPLAY and index.column() == self.ITEM:
            return f"{view.product.name} · {view.product.colour} · {view.product.size}"
        if role == _DISPLAY and index.column() == self.QTY:
            return str(qty)
        return None
