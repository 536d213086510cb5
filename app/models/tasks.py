"""The floor's tasks as the inbox lists them (``sync.records.TaskView`` rows).

A task's ``kind`` is a label and an icon (``KINDS``), nothing more: a new kind (wave 2's
follow-ups) is one entry here, shown by the same inbox row, badge and toast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from app import format as fmt
from app import theme
from app.models.base import Column, RowsModel

if TYPE_CHECKING:  # the wire models are not needed for the first window (app.gui)
    from sync.records import TaskView


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskListModel", text)


@dataclass(frozen=True)
class TaskKind:
    label: object  # QT_TRANSLATE_NOOP("TaskListModel", ...)
    icon: str


KINDS: dict[str, TaskKind] = {
    "call_associate": TaskKind(QT_TRANSLATE_NOOP("TaskListModel", "Call from a kiosk"), "bell"),
}
OTHER = TaskKind(QT_TRANSLATE_NOOP("TaskListModel", "Task"), "list")


def kind_of(task: TaskView) -> TaskKind:
    return KINDS.get(task.kind, OTHER)


def kind_label(task: TaskView) -> str:
    return _tr(str(kind_of(task).label))


def first_name(name: str | None) -> str | None:
    parts = (name or "").split()
    return parts[0] if parts else None


def age(ts: str | None, now: datetime | None = None) -> str:
    """``just now``, ``4 min ago``, ``2 h ago``, or the date for older tasks."""
    when = fmt.to_local(ts)
    if when is None:
        return "—"
    seconds = ((now or datetime.now().astimezone()) - when).total_seconds()
    if seconds < 60:
        return _tr("just now")
    if seconds < 3600:
        return _tr("{n} min ago").format(n=int(seconds // 60))
    if seconds < 12 * 3600:
        return _tr("{n} h ago").format(n=int(seconds // 3600))
    return fmt.date_short(ts)


def request_text(task: TaskView) -> str:
    """What the shopper asked for, and who they are when the kiosk knew them."""
    who = first_name(task.shopper_name)
    return f"{task.message} · {who}" if who else task.message


def status_text(task: TaskView) -> str:
    if task.status == "taken":
        who = task.taken_by_name or _tr("someone")
        text = _tr("{name} is on it").format(name=who)
    elif task.status == "done":
        text = _tr("Done")
    else:
        text = _tr("Waiting")
    if task.pending:
        text += " · " + _tr("sending")
    return text


class TaskListModel(RowsModel):
    """The inbox: what (over its kind, with the kind's icon), asked when, who is on it;
    the row's actions in the last column."""

    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("TaskListModel", "Request"),
            lambda t: f"{request_text(t)}\n{kind_label(t)}",  # two lines: what, and its kind
        ),
        Column(QT_TRANSLATE_NOOP("TaskListModel", "Asked"), lambda t: age(t.created_at)),
        Column(QT_TRANSLATE_NOOP("TaskListModel", "Who"), status_text),
        Column(QT_TRANSLATE_NOOP("TaskListModel", "Actions"), lambda _t: ""),
    )
    REQUEST_COLUMN = 0
    STATUS_COLUMN = 2
    ACTIONS_COLUMN = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def role_data(self, t: TaskView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == self.REQUEST_COLUMN:
            return theme.icon(kind_of(t).icon, "primary" if t.status == "open" else "text_muted")
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REQUEST_COLUMN:
            return request_text(t)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS_COLUMN:
            name = (
                "pending"
                if t.pending
                else {"open": "warning", "taken": "success"}.get(t.status, "text_muted")
            )
            return QColor(theme.COLOURS.get(name, theme.COLOURS["text"]))
        return None
