"""One outreach list as a table (``sync.read.outreach.OutreachRow`` rows): the client and
why (name and tier over the reason), and the row's actions in the last column."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, Qt

from app import format as fmt
from app.models.base import Column, RowsModel

if TYPE_CHECKING:
    from sync.read.outreach import OutreachRow


def _tr(text: str) -> str:
    return QCoreApplication.translate("OutreachModel", text)


def when_text(row: OutreachRow) -> str:
    """When the reason happened or falls due, in the words the list needs."""
    if row.when is None:
        return _tr("No visit or order on record")
    if row.list_name == "important_dates":
        return fmt.date_short(row.when)
    if row.list_name == "reservations":
        return _tr("Hold ends {when}").format(when=fmt.date_time(row.when))
    return fmt.date_relative(row.when)


def client_text(row: OutreachRow) -> str:
    """ "Name · Tier" over the reason."""
    tier = f" · {fmt.tier(row.tier)}" if row.tier else ""
    return f"{row.shopper_name}{tier}\n{row.reason}"


class OutreachModel(RowsModel):
    """One row per client on the list: who over why (its tooltip adds when), then the
    row's actions. Two columns, so the reason has the room at 1024 px."""

    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("OutreachModel", "Client and why"), client_text),
        Column(QT_TRANSLATE_NOOP("OutreachModel", "Actions"), lambda _r: ""),
    )
    CLIENT_COLUMN, ACTIONS_COLUMN = 0, 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def add_records(self, rows: list[OutreachRow]) -> None:
        """Rows of the next page, under the ones shown (the view keeps its scroll)."""
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def key(self, row: OutreachRow) -> str:
        return f"{row.list_name}:{row.shopper_id}:{row.source_id}"

    def role_data(self, row: OutreachRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CLIENT_COLUMN:
            return f"{row.shopper_name}: {row.reason} ({when_text(row)})"
        return None
