"""The floor's tasks as the inbox lists them (``sync.records.TaskView`` rows).

A task's ``kind`` is a label and an icon (``KINDS``), nothing more: a kiosk's call and a
follow-up are shown by the same inbox row. A call says how long ago it was asked and who
is on it; a follow-up when it is due (overdue in the warning colour) and whose it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QObject, Qt
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
    "follow_up": TaskKind(QT_TRANSLATE_NOOP("TaskListModel", "Follow-up"), "user"),
    "duplicate_shopper": TaskKind(QT_TRANSLATE_NOOP("TaskListModel", "Possible duplicate"), "user"),
}
RULES = {
    "after_purchase": QT_TRANSLATE_NOOP("TaskListModel", "after a purchase"),
    "important_date": QT_TRANSLATE_NOOP("TaskListModel", "before an important date"),
}
CALL = "call_associate"
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


def is_call(task: TaskView) -> bool:
    return task.kind == CALL


def request_text(task: TaskView) -> str:
    """What the shopper asked for, and who they are when the kiosk knew them."""
    who = first_name(task.shopper_name) if is_call(task) else None
    return f"{task.message} · {who}" if who else task.message


def kind_line(task: TaskView) -> str:
    """The second line of a row: the kind; a follow-up's shopper, and the rule or the
    associate that made it."""
    text = kind_label(task)
    if is_call(task):
        return text
    if task.shopper_name:
        text = _tr("{kind} for {name}").format(kind=text, name=task.shopper_name)
    if task.rule in RULES:
        text += " · " + _tr("by rule, {rule}").format(rule=_tr(str(RULES[task.rule])))
    elif task.created_by_name and task.created_by_name != task.owner_name:
        text += " · " + _tr("from {name}").format(name=task.created_by_name)
    return text


def due_state(task: TaskView, now: datetime | None = None) -> str | None:
    """``overdue``, ``today`` or ``later`` for an open follow-up with a due time; else None."""
    due = fmt.to_local(task.due_at)
    if due is None or is_call(task) or task.status not in ("open", "taken"):
        return None
    now = now or datetime.now().astimezone()
    if due < now:
        return "overdue"
    return "today" if due.date() == now.date() else "later"


def when_text(task: TaskView, now: datetime | None = None) -> str:
    """A call: how long ago it was asked. A follow-up: when it is due (or snoozed to)."""
    if is_call(task):
        return age(task.created_at, now)
    if task.status == "done":
        return _tr("Done {when}").format(when=age(task.closed_at, now))
    if task.status == "snoozed":
        return _tr("Snoozed to {when}").format(when=day_time(task.snoozed_until, now))
    state = due_state(task, now)
    if state is None:
        return _tr("No due date")
    text = day_time(task.due_at, now)
    return _tr("Overdue · {when}").format(when=text) if state == "overdue" else text


def day_time(ts: str | None, now: datetime | None = None) -> str:
    """``Today 17:00``, ``Tomorrow 10:00``, ``Thu 10:00`` within the week, else ``3 Dec``."""
    when = fmt.to_local(ts)
    if when is None:
        return "—"
    today = (now or datetime.now().astimezone()).date()
    days = (when.date() - today).days
    hm = when.strftime("%H:%M")
    if days == 0:
        return _tr("Today {time}").format(time=hm)
    if days == 1:
        return _tr("Tomorrow {time}").format(time=hm)
    if days == -1:
        return _tr("Yesterday {time}").format(time=hm)
    locale = QLocale()
    if 1 < days < 7:
        return f"{locale.toString(fmt.qdate(when.date()), 'ddd')} {hm}"
    return locale.toString(fmt.qdate(when.date()), "d MMM")


def owner_text(task: TaskView) -> str:
    if task.status == "done":
        text = _tr("Done by {name}").format(name=task.closed_by_name or _tr("someone"))
    else:
        text = task.owner_name or _tr("Anyone here")  # short: the column is narrow at 1024
    if task.pending:
        text += " · " + _tr("sending")
    return text


def follow_ups_line(tasks: Sequence[TaskView], shopper_id: str, now: datetime | None = None) -> str:
    """The profile's line: ``2 follow-ups open, next due Thu 10:00`` ("" when none)."""
    mine = [
        t
        for t in tasks
        if t.shopper_id == shopper_id
        and not is_call(t)
        and t.status in ("open", "taken", "snoozed")
    ]
    waiting = [t for t in mine if t.status != "snoozed"]
    if not waiting:
        n = len(mine)
        if not n:
            return ""
        return _tr("1 follow-up snoozed") if n == 1 else _tr("{n} follow-ups snoozed").format(n=n)
    n = len(waiting)
    text = _tr("1 follow-up open") if n == 1 else _tr("{n} follow-ups open").format(n=n)
    due = [t for t in waiting if t.due_at]
    if due:
        first = min(due, key=lambda t: t.due_at or "")
        when = day_time(first.due_at, now)
        if due_state(first, now) == "overdue":
            text += ", " + _tr("overdue since {when}").format(when=when)
        else:
            text += ", " + _tr("next due {when}").format(when=when)
    return text


def status_text(task: TaskView) -> str:
    if not is_call(task):
        return owner_text(task)
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
    """The inbox: what (over its kind and, for a follow-up, the shopper, with the kind's
    icon), asked when or due when, who is on it or whose it is; the row's actions last."""

    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("TaskListModel", "Request"),
            lambda t: f"{request_text(t)}\n{kind_line(t)}",  # two lines: what, and its kind
        ),
        Column(QT_TRANSLATE_NOOP("TaskListModel", "When"), when_text),
        Column(QT_TRANSLATE_NOOP("TaskListModel", "Who"), status_text),
        Column(QT_TRANSLATE_NOOP("TaskListModel", "Actions"), lambda _t: ""),
    )
    REQUEST_COLUMN = 0
    WHEN_COLUMN = 1
    STATUS_COLUMN = 2
    ACTIONS_COLUMN = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def role_data(self, t: TaskView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == self.REQUEST_COLUMN:
            return theme.icon(
                kind_of(t).icon, "primary" if t.status in ("open", "taken") else "text_muted"
            )
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REQUEST_COLUMN:
            return request_text(t)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHEN_COLUMN:
            return _tr("Tap the row to open the profile") if t.shopper_id else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(t, column)
        return None

    @classmethod
    def _colour(cls, t: TaskView, column: int) -> QColor | None:
        name: str | None = None
        if column == cls.WHEN_COLUMN:
            name = {"overdue": "warning", "today": "text"}.get(due_state(t) or "", "text_muted")
        elif column == cls.STATUS_COLUMN and is_call(t):
            name = (
                "pending"
                if t.pending
                else {"open": "warning", "taken": "success"}.get(t.status, "text_muted")
            )
        elif column == cls.STATUS_COLUMN:
            name = "pending" if t.pending else "text"
        if name is None:
            return None
        return QColor(theme.COLOURS.get(name, theme.COLOURS["text"]))
