"""One outreach list as a table (``sync.read.outreach.OutreachRow`` rows): the client (name
over tier), why (the reason over when), and the row's actions in the last column."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt

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
    return f"{row.shopper_name}\n{fmt.tier(row.tier) if row.tier else ''}"


class OutreachModel(RowsModel):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("OutreachModel", "Client"), client_text),
        Column(QT_TRANSLATE_NOOP("OutreachModel", "Why"), lambda r: f"{r.reason}\n{when_text(r)}"),
        Column(QT_TRANSLATE_NOOP("OutreachModel", "Actions"), lambda _r: ""),
    )
    CLIENT_COLUMN, WHY_COLUMN, ACTIONS_COLUMN = 0, 1, 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def key(self, row: OutreachRow) -> str:
        return f"{row.list_name}:{row.shopper_id}:{row.source_id}"

    def role_data(self, row: OutreachRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHY_COLUMN:
            return row.reason
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CLIENT_COLUMN:
            return row.shopper_name
        return None
