"""The inbox's filter chips: which of the store's tasks each one shows, and its count.

* ``mine``: the floor's calls still waiting or being seen to, and the open follow-ups the
  signed-in associate can act on (theirs, and those for anyone in the store);
* ``store``: the calls and every open follow-up of the store (a colleague's too);
* ``due_today`` / ``overdue``: my open follow-ups due later today / already past due;
* ``snoozed``: follow-ups snoozed until later (a snooze that has passed reads as open);
* ``done``: what was done, calls and follow-ups.

Pure functions of ``TaskView`` rows and the clock: the page, Home's counts and the
header's tooltip all read the same sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.models.tasks import due_state, is_call

if TYPE_CHECKING:
    from sync.records import TaskView

FILTERS: tuple[tuple[str, object], ...] = (
    ("mine", QT_TRANSLATE_NOOP("InboxPage", "Mine")),
    ("store", QT_TRANSLATE_NOOP("InboxPage", "Store")),
    ("due_today", QT_TRANSLATE_NOOP("InboxPage", "Due today")),
    ("overdue", QT_TRANSLATE_NOOP("InboxPage", "Overdue")),
    ("snoozed", QT_TRANSLATE_NOOP("InboxPage", "Snoozed")),
    ("done", QT_TRANSLATE_NOOP("InboxPage", "Done")),
)
KEYS = tuple(key for key, _text in FILTERS)
ACTIVE = ("open", "taken")
DONE_SHOWN = 100  # the Done chip lists the most recent ones


def for_me(task: TaskView, staff_id: str | None) -> bool:
    """A follow-up the associate can act on: theirs, or one for anyone in the store."""
    return task.owner_id is None or task.owner_id == staff_id


def matches(key: str, task: TaskView, staff_id: str | None, now: datetime) -> bool:
    if key == "done":
        return task.status == "done"
    if key == "snoozed":
        return task.status == "snoozed"
    if task.status not in ACTIVE:
        return False
    if is_call(task):
        return key in ("mine", "store")
    if key == "store":
        return True
    if not for_me(task, staff_id):
        return False
    if key == "mine":
        return True
    state = due_state(task, now)
    return state == ("today" if key == "due_today" else "overdue")


def select(
    tasks: Sequence[TaskView], key: str, staff_id: str | None, now: datetime | None = None
) -> list[TaskView]:
    """The rows of chip ``key``: calls first (newest first), then follow-ups, soonest due
    first; done ones most recently done first."""
    now = now or datetime.now().astimezone()
    rows = [t for t in tasks if matches(key, t, staff_id, now)]
    if key == "done":
        rows.sort(key=lambda t: t.closed_at or t.created_at, reverse=True)
        return rows[:DONE_SHOWN]
    calls = [t for t in rows if is_call(t)]  # already newest first (Cache.tasks)
    follow_ups = sorted(
        (t for t in rows if not is_call(t)),
        key=lambda t: (t.snoozed_until or t.due_at or "9999", t.created_at),
    )
    return calls + follow_ups


def counts(
    tasks: Sequence[TaskView], staff_id: str | None, now: datetime | None = None
) -> dict[str, int]:
    """How many rows each chip shows (Done: all of them, not only those listed)."""
    now = now or datetime.now().astimezone()
    return {key: sum(1 for t in tasks if matches(key, t, staff_id, now)) for key in KEYS}
