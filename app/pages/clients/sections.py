"""The Clients page's left column: the client book's scopes and the outreach lists, each a
touch row with its count, under two headings (``SectionsModel`` and its delegate)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app import theme
from app.models.base import Index, RowsModel
from app.models.roles import Roles
from app.widgets.painting import scaled

ROW_PX = 52  # a touch row
HEADING_PX = 40


@dataclass(frozen=True)
class Section:
    key: str  # a book scope (mine, store, all), a list name, or "" for a heading
    title: object  # QT_TRANSLATE_NOOP("SectionsModel", ...)
    count: int | None = None

    @property
    def id(self) -> str:
        return self.key or str(self.title)


BOOK = (
    Section("mine", QT_TRANSLATE_NOOP("SectionsModel", "My clients")),
    Section("store", QT_TRANSLATE_NOOP("SectionsModel", "Store book")),
    Section("all", QT_TRANSLATE_NOOP("SectionsModel", "All shoppers")),
)
BOOK_SCOPES = tuple(s.key for s in BOOK)

LIST_TITLES: dict[str, object] = {
    "reservations": QT_TRANSLATE_NOOP("SectionsModel", "Ready to collect"),
    "important_dates": QT_TRANSLATE_NOOP("SectionsModel", "Important dates"),
    "abandoned_carts": QT_TRANSLATE_NOOP("SectionsModel", "Abandoned carts"),
    "back_in_stock": QT_TRANSLATE_NOOP("SectionsModel", "Back in stock"),
    "follow_ups": QT_TRANSLATE_NOOP("SectionsModel", "Follow-ups"),
    "lapsed": QT_TRANSLATE_NOOP("SectionsModel", "Lapsed clients"),
}
"""The outreach lists in the order the page shows them (most time-bound first)."""


def title(section: Section) -> str:
    return QCoreApplication.translate("SectionsModel", str(section.title))


class SectionsModel(RowsModel):
    """Headings ("Client book", "Reach out") and the rows under them, with their counts."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.set_counts({})

    def set_counts(self, counts: dict[str, int]) -> None:
        rows = [Section("", QT_TRANSLATE_NOOP("SectionsModel", "Client book"))]
        rows += [Section(s.key, s.title, counts.get(s.key)) for s in BOOK]
        rows.append(Section("", QT_TRANSLATE_NOOP("SectionsModel", "Reach out")))
        rows += [Section(k, t, counts.get(k)) for k, t in LIST_TITLES.items()]
        self.set_records(rows)

    def row_of_key(self, key: str) -> int:
        return next((i for i, s in enumerate(self.records()) if s.key == key), -1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        section = self.record(index.row())
        if section is None or not section.key:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def role_data(self, section: Section, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return title(section)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            name = title(section)
            return f"{name}: {section.count}" if section.count is not None else name
        return None


class SectionDelegate(QStyledItemDelegate):
    """A heading in small muted capitals; a row with its title left and its count right."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        section = index.data(Roles.Record)
        height = ROW_PX if section is not None and section.key else HEADING_PX
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        section: Section | None = index.data(Roles.Record)
        if section is None:
            return
        rect = option.rect.adjusted(12, 0, -12, 0)
        painter.save()
        font = QFont(option.font)
        if not section.key:
            painter.setFont(scaled(font, 0.85, True))
            painter.setPen(QColor(theme.COLOURS["text_muted"]))
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
            painter.drawText(rect.adjusted(0, 0, 0, -6), align, title(section).upper())
            painter.restore()
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.COLOURS["primary_soft"]))
            painter.drawRoundedRect(option.rect.adjusted(4, 3, -4, -3), 10, 10)
        if selected:
            font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(QColor(theme.COLOURS["text"]))
        count = "" if section.count is None else str(section.count)
        metrics = painter.fontMetrics()
        room = rect.width() - metrics.horizontalAdvance(count) - 12
        name = metrics.elidedText(title(section), Qt.TextElideMode.ElideRight, room)
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | middle, name)
        if count:
            colour = "primary" if section.count else "text_muted"
            painter.setPen(QColor(theme.COLOURS.get(colour, theme.COLOURS["text"])))
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | middle, count)
        painter.restore()


def fit_width(widget: QWidget) -> int:
    """A width for the column that holds the longest title and a count."""
    metrics = widget.fontMetrics()
    titles = [title(s) for s in BOOK] + [
        QCoreApplication.translate("SectionsModel", str(t)) for t in LIST_TITLES.values()
    ]
    return max(metrics.horizontalAdvance(t) for t in titles) + metrics.horizontalAdvance("000") + 48
