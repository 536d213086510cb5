"""When a follow-up is due or snoozed to, from the quick choices a finger taps.

The task dialog's chips (Today, Tomorrow, In 3 days, Next week) and the inbox's snooze
chips (1 h, Tomorrow, Next week) are worked out here, in the tablet's local time: a day
chip means the start of the working morning (``MORNING``), "Today" the end of the
working day (or an hour from now when that is later).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP

MORNING = time(10, 0)
END_OF_DAY = time(17, 0)

DUE_CHOICES: tuple[tuple[str, object], ...] = (
    ("today", QT_TRANSLATE_NOOP("TaskDialog", "Today")),
    ("tomorrow", QT_TRANSLATE_NOOP("TaskDialog", "Tomorrow")),
    ("in_3_days", QT_TRANSLATE_NOOP("TaskDialog", "In 3 days")),
    ("next_week", QT_TRANSLATE_NOOP("TaskDialog", "Next week")),
)
SNOOZE_CHOICES: tuple[tuple[str, object], ...] = (
    ("hour", QT_TRANSLATE_NOOP("InboxPage", "1 h")),
    ("tomorrow", QT_TRANSLATE_NOOP("InboxPage", "Tomorrow")),
    ("next_week", QT_TRANSLATE_NOOP("InboxPage", "Next week")),
)


def _at(day: date, hour: time, now: datetime) -> datetime:
    return datetime.combine(day, hour, tzinfo=now.tzinfo)


def quick_time(choice: str, now: datetime | None = None) -> datetime:
    """The local time a quick choice stands for (``now``: the tablet's clock)."""
    now = now or datetime.now().astimezone()
    today = now.date()
    if choice == "hour":
        return now + timedelta(hours=1)
    if choice == "today":
        soon = max(_at(today, END_OF_DAY, now), now + timedelta(hours=1))
        return soon if soon.date() == today else _at(today, time(23, 59), now)
    if choice == "tomorrow":
        return _at(today + timedelta(days=1), MORNING, now)
    if choice == "in_3_days":
        return _at(today + timedelta(days=3), MORNING, now)
    if choice == "next_week":  # Monday of next week
        return _at(today + timedelta(days=7 - today.weekday()), MORNING, now)
    raise ValueError(f"unknown quick time {choice!r}")


def on_day(day: date, now: datetime | None = None) -> datetime:
    """A follow-up for ``day``: as "Today" when it is today, else that morning."""
    now = now or datetime.now().astimezone()
    return quick_time("today", now) if day == now.date() else _at(day, MORNING, now)
