"""A ``QTableView`` set up for touch: tall rows, whole-row selection, kinetic scrolling.

``TouchTable(model, stretch_column=0)``; ``rowActivated(int)`` fires on a tap (one
click, not a double click: fingers don't double-tap lists) and on Return.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QScroller, QTableView, QWidget


class TouchTable(QTableView):
    rowActivated = Signal(int)

    def __init__(
        self,
        model: QAbstractItemModel,
        stretch_column: int = 0,
        row_height: int = 56,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        vertical = self.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(row_height)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.clicked.connect(self._on_clicked)
        self._stretch = stretch_column
        self._give_way: int | None = None
        self._droppable: list[int] = []
        self._stretch_min = 0

    def give_way(self, column: int) -> None:
        """``column`` takes the width of its contents while the stretch column has the
        room for its own; when short, it gives way down to its title's width (elided)."""
        self._give_way = column
        self.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        model = self.model()
        for changed in (model.modelReset, model.layoutChanged, model.dataChanged):
            changed.connect(self._share)
        model.rowsInserted.connect(self._share)
        self._share()

    def drop_when_short(self, columns: list[int], stretch_min: int) -> None:
        """Hide ``columns`` (the first listed first) while the stretch column would get
        less than ``stretch_min`` px: on a narrow tablet the shopper's name keeps its room
        and the row's buttons stay on screen; the columns come back when there is room."""
        self._droppable = list(columns)
        self._stretch_min = stretch_min
        model = self.model()
        for changed in (model.modelReset, model.layoutChanged):
            changed.connect(self._fit)
        self._fit()

    def _needed(self, column: int) -> int:
        header = self.horizontalHeader()
        if column == self._give_way:
            return header.sectionSizeHint(column)  # it gives way down to its title
        mode = header.sectionResizeMode(column)
        if mode == QHeaderView.ResizeMode.ResizeToContents:
            return max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
        return header.sectionSize(column)

    def _fit(self, *_args: object) -> None:
        if not self._droppable:
            return
        header = self.horizontalHeader()
        for column in self._droppable:
            header.showSection(column)
        shown = [i for i in range(header.count()) if i != self._stretch]
        for column in self._droppable:
            others = sum(self._needed(i) for i in shown if not header.isSectionHidden(i))
            if self.viewport().width() - others >= self._stretch_min:
                break
            header.hideSection(column)
        self._share()

    def _share(self, *_args: object) -> None:
        column, header = self._give_way, self.horizontalHeader()
        if column is None:
            return
        others = sum(
            header.sectionSize(i)
            for i in range(header.count())
            if i not in (column, self._stretch) and not header.isSectionHidden(i)
        )
        room = self.viewport().width() - others - self.sizeHintForColumn(self._stretch)
        title = header.sectionSizeHint(column)
        header.resizeSection(
            column, max(title, min(max(title, self.sizeHintForColumn(column)), room))
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._droppable:
            self._fit()
        else:
            self._share()

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.rowActivated.emit(index.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.rowActivated.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None
