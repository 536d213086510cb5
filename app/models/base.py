"""The one base of the app's list and table models: ``RowsModel``, a row per record.

A subclass says what its columns are and what a row shows:

* ``COLUMNS``: ``Column(header, text)`` pairs, the header marked with
  ``QT_TRANSLATE_NOOP("<ClassName>", ...)`` and translated in the class's context, the
  text the cell's ``DisplayRole``; or ``headers()`` overridden for columns that change
  (the cart has a quantity column, the wishlist none);
* ``role_data(row, column, role)``: every other role of a cell (colours, icons, the
  ``app.models.roles.Roles`` the delegates paint from);
* ``key(row)``: the row's stable id (``row.id`` unless overridden).

``set_records`` replaces the rows; when the same keys come back in the same order (a reload
after a sync) it emits ``dataChanged`` instead of a reset, so a view keeps its selection
and scroll position. ``record(i)`` and the ``Roles.Record`` / ``Roles.Key`` roles hand a row
back. A grid (stock by store) or a tree (orders and their lines) is not one row per
record; those two derive from Qt's own bases and use the same ``Roles``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.models.roles import Roles

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()
DISPLAY = Qt.ItemDataRole.DisplayRole


@dataclass(frozen=True)
class Column:
    header: object  # a QT_TRANSLATE_NOOP in the model class's context (typed object)
    text: Callable[[Any], str]  # the cell's DisplayRole


def same_keys(old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], str]) -> bool:
    """Whether two row lists hold the same rows in the same order."""
    return len(old) == len(new) and all(key(a) == key(b) for a, b in zip(old, new, strict=True))


class RowsModel(QAbstractTableModel):
    COLUMNS: ClassVar[Sequence[Column]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    # -- rows --------------------------------------------------------------------------
    def key(self, row: Any) -> str:
        return str(row.id)

    def set_records(self, rows: Sequence[Any]) -> None:
        rows = list(rows)
        if rows and same_keys(self._rows, rows, self.key):
            self._rows = rows
            last = max(0, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, last))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._rows)

    def record(self, row: int) -> Any:
        """The record of ``row``; ``None`` outside the model."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: str) -> int:
        for i, row in enumerate(self._rows):
            if self.key(row) == key:
                return i
        return -1

    # -- columns -----------------------------------------------------------------------
    def headers(self) -> list[str]:
        context = type(self).__name__
        return [QCoreApplication.translate(context, str(column.header)) for column in self.COLUMNS]

    def role_data(self, row: Any, column: int, role: int) -> Any:
        """A cell's value for ``role`` (``DisplayRole`` included when there are no
        ``COLUMNS``); ``None`` when the row has nothing for it."""
        return None

    # -- QAbstractItemModel ------------------------------------------------------------
    def index(self, row: int, column: int = 0, parent: Index = NO_PARENT) -> QModelIndex:
        return super().index(row, column, parent)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else max(1, len(self.headers()))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != DISPLAY:
            return None
        headers = self.headers()
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self.record(index.row())
        if row is None:
            return None
        if role == Roles.Record:
            return row
        if role == Roles.Key:
            return self.key(row)
        if role == DISPLAY and self.COLUMNS:
            return self.COLUMNS[index.column()].text(row)
        return self.role_data(row, index.column(), role)
