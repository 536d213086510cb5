"""The inbox's chips (which tasks each one shows, and its count), the quick times of the
task dialog and of Snooze, and the profile's follow-up line: pure functions of rows and
the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.models.tasks import due_state, follow_ups_line, when_text
from app.pages.inbox import filters
from app.pages.inbox.times import on_day, quick_time
from sync.records import TaskView

# a Tuesday at 14:30 on the tablet
NOW = datetime(2026, 12, 1, 14, 30).astimezone()


def _ts(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def task(task_id: str, **fields: Any) -> TaskView:
    base: dict[str, Any] = {
        "id": task_id,
        "store_id": "S001",
        "kind": "follow_up",
        "shopper_id": "SH1",
        "shopper_name": "Niamh Murphy",
        "message": task_id,
        "status": "open",
        "created_at": _ts(NOW - timedelta(days=2)),
    }
    return TaskView(**(base | fields))


TASKS = [
    task("call", kind="call_associate", shopper_id=None, shopper_name=None),
    task("taken-call", kind="call_associate", status="taken", taken_by="A1002"),
    task("mine-late", owner_id="A1001", due_at=_ts(NOW - timedelta(hours=3))),
    task("anyone-today", owner_id=None, due_at=_ts(NOW + timedelta(hours=2))),
    task("mine-later", owner_id="A1001", due_at=_ts(NOW + timedelta(days=2))),
    task("colleague-today", owner_id="A1002", due_at=_ts(NOW + timedelta(hours=1))),
    task("snoozed", owner_id="A1001", status="snoozed", snoozed_until=_ts(NOW + timedelta(1))),
    task("done", owner_id="A1001", status="done", closed_at=_ts(NOW - timedelta(hours=1))),
    task("done-call", kind="call_associate", status="done", closed_at=_ts(NOW)),
]


def ids(key: str) -> list[str]:
    return [t.id for t in filters.select(TASKS, key, "A1001", NOW)]


def test_each_chip_shows_its_tasks_calls_first_then_soonest_due() -> None:
    assert ids("mine") == ["call", "taken-call", "mine-late", "anyone-today", "mine-later"]
    assert ids("store") == [
        "call",
        "taken-call",
        "mine-late",
        "colleague-today",
        "anyone-today",
        "mine-later",
    ]
    assert ids("due_today") == ["anyone-today"]
    assert ids("overdue") == ["mine-late"]
    assert ids("snoozed") == ["snoozed"]
    assert ids("done") == ["done-call", "done"]
    assert filters.counts(TASKS, "A1001", NOW) == {
        "mine": 5,
        "store": 6,
        "due_today": 1,
        "overdue": 1,
        "snoozed": 1,
        "done": 2,
    }


def test_due_states_and_the_when_column() -> None:
    late, today, later = (
        next(t for t in TASKS if t.id == i) for i in ("mine-late", "anyone-today", "mine-later")
    )
    assert [due_state(t, NOW) for t in (late, today, later)] == ["overdue", "today", "later"]
    assert due_state(TASKS[0], NOW) is None  # a call has no due time
    assert when_text(late, NOW) == "Overdue · Today 11:30"
    assert when_text(today, NOW) == "Today 16:30"
    assert when_text(later, NOW) == "Thu 14:30"


def test_quick_times_on_the_tablets_clock() -> None:
    assert quick_time("hour", NOW) == NOW + timedelta(hours=1)
    assert quick_time("today", NOW).replace(tzinfo=None) == datetime(2026, 12, 1, 17, 0)
    assert quick_time("tomorrow", NOW).replace(tzinfo=None) == datetime(2026, 12, 2, 10, 0)
    assert quick_time("in_3_days", NOW).replace(tzinfo=None) == datetime(2026, 12, 4, 10, 0)
    assert quick_time("next_week", NOW).replace(tzinfo=None) == datetime(2026, 12, 7, 10, 0)
    evening = NOW.replace(hour=22, minute=0)
    assert quick_time("today", evening).replace(tzinfo=None) == datetime(2026, 12, 1, 23, 0)
    late = NOW.replace(hour=23, minute=30)
    assert quick_time("today", late).replace(tzinfo=None) == datetime(2026, 12, 1, 23, 59)
    assert on_day(NOW.date(), NOW) == quick_time("today", NOW)
    assert on_day(NOW.date() + timedelta(days=5), NOW).hour == 10


def test_the_profiles_follow_up_line() -> None:
    assert follow_ups_line(TASKS, "nobody", NOW) == ""
    line = follow_ups_line(TASKS, "SH1", NOW)
    assert line == "4 follow-ups open, overdue since Today 11:30"
    only_later = [t for t in TASKS if t.id == "mine-later"]
    assert follow_ups_line(only_later, "SH1", NOW) == "1 follow-up open, next due Thu 14:30"
    snoozed = [t for t in TASKS if t.id == "snoozed"]
    assert follow_ups_line(snoozed, "SH1", NOW) == "1 follow-up snoozed"
