"""The client book's table (``sync.records.ClientRow`` rows) and the associates to pick
from when assigning or transferring (``StaffChoice`` rows).

Columns of :class:`ClientBookModel`: the shopper (name, with tier and points underneath),
who looks after them ("sending" while the change waits for central), last visit, last
order, and the row's actions (painted by a ``ButtonsDelegate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor

from app import format as fmt
from app import theme
from app.models.base import Column, RowsModel
from app.models.roles import Roles
from sync.records import ClientRow


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClientBookModel", text)


def looked_after(row: ClientRow) -> str:
    """Who looks after them, with "sending" underneath while the change waits."""
    who = row.looked_after_by or _tr("Nobody yet")
    return f"{who}\n{_tr('sending')}" if row.pending else who


def _who(row: ClientRow) -> str:
    points = _tr("{points} points").format(points=f"{row.points:,}")
    return f"{row.name}\n{fmt.tier(row.tier)} · {points}"


class ClientBookModel(RowsModel):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("ClientBookModel", "Shopper"), _who),
        Column(QT_TRANSLATE_NOOP("ClientBookModel", "Looked after by"), looked_after),
        Column(
            QT_TRANSLATE_NOOP("ClientBookModel", "Last visit"),
            lambda r: fmt.date_relative(r.last_visit_at),
        ),
        Column(
            QT_TRANSLATE_NOOP("ClientBookModel", "Last order"),
            lambda r: fmt.date_relative(r.last_order_at),
        ),
        Column(QT_TRANSLATE_NOOP("ClientBookModel", "Actions"), lambda r: ""),
    )
    NAME, LOOKED_AFTER, LAST_VISIT, LAST_ORDER, ACTIONS = range(5)

    def key(self, row: ClientRow) -> str:
        return row.shopper_id

    def role_data(self, row: ClientRow, column: int, role: int) -> Any:
        if role == Roles.Pending:
            return row.pending
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            return theme.icon("user", "primary", 22)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.LOOKED_AFTER:
            muted = row.looked_after_by is None or row.pending
            return QColor(theme.COLOURS["text_muted" if muted else "text"])
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.NAME, self.LOOKED_AFTER):
            return row.name if column == self.NAME else row.looked_after_by  # when elided
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}, {fmt.tier(row.tier)}, {looked_after(row).replace(chr(10), ', ')}"
        return None


@dataclass(frozen=True)
class StaffChoice:
    """An associate to pick: who, and how many clients they look after here."""

    id: str
    name: str
    clients: int


class StaffModel(RowsModel):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("StaffModel", "Associate"), lambda s: s.name),
        Column(
            QT_TRANSLATE_NOOP("StaffModel", "Clients"),
            lambda s: QCoreApplication.translate("StaffModel", "%n client(s)", "", s.clients),
        ),
    )
