"""Commands waiting to be sent (``sync.records.OutboxEntry`` rows)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app import format as fmt
from app.models.base import RecordTableModel
from sync.records import OutboxEntry


def _tr(text: str) -> str:
    return QCoreApplication.translate("OutboxModel", text)


def state_text(e: OutboxEntry) -> str:
    if e.state == "pending":
        if e.attempts > 0:
            return _tr("Waiting · tried %1×").replace("%1", str(e.attempts))
        return _tr("Waiting")
    if e.state == "rejected":
        return _tr("Needs attention")
    return _tr("Sent")


class OutboxModel(RecordTableModel):
    CONTEXT = "OutboxModel"
    COLUMNS = (
        (QT_TRANSLATE_NOOP("OutboxModel", "#"), lambda e: str(e.number)),
        (QT_TRANSLATE_NOOP("OutboxModel", "What"), lambda e: e.summary),
        (QT_TRANSLATE_NOOP("OutboxModel", "Made"), lambda e: fmt.time_hm(e.created_at)),
        (QT_TRANSLATE_NOOP("OutboxModel", "State"), state_text),
    )

    def extra_data(self, e: OutboxEntry, column: int, role: int) -> Any:
        return None
