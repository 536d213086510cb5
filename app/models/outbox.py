"""Commands waiting to be sent (``sync.records.OutboxEntry`` rows)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app import format as fmt
from app.models.base import Column, RowsModel
from sync.records import OutboxEntry


def _tr(text: str) -> str:
    return QCoreApplication.translate("OutboxModel", text)


def state_text(e: OutboxEntry) -> str:
    if e.state == "pending":
        if e.attempts > 0:
            return _tr("Waiting · tried {n}×").format(n=e.attempts)
        return _tr("Waiting")
    if e.state == "rejected":
        return _tr("Needs attention")
    return _tr("Sent")


class OutboxModel(RowsModel):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("OutboxModel", "#"), lambda e: str(e.number)),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "What"), lambda e: e.summary),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Made"), lambda e: fmt.time_hm(e.created_at)),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "State"), state_text),
    )
