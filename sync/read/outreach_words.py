"""How the outreach lists word their reasons: days ago, a day, a time, a span of months.

Plain English sentences a person reads on the list ("Cart left online 3 days ago");
clock times are in the device's local time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def at(ts: str) -> datetime:
    """A wire timestamp as an aware datetime (as ``sync.wire.parse_ts``, without strptime:
    the lists read thousands of them)."""
    return datetime.fromisoformat(ts[:19]).replace(tzinfo=UTC)


def days_ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def day_label(day: date) -> str:
    """ "Sat 12 Dec" """
    return f"{day:%a} {day.day} {day:%b}"


def day_and_time(when: datetime, now: datetime) -> str:
    """ "today 18:00", "tomorrow 18:00", "Sat 12 Dec 18:00" (local time)."""
    local, today = when.astimezone(), now.astimezone().date()
    delta = (local.date() - today).days
    day = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(delta) or day_label(local.date())
    return f"{day} {local:%H:%M}"


def span(days: int) -> str:
    """ "45 days", "4 months", "2 years" """
    if days < 60:
        return f"{days} days"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"


def month(when: datetime, now: datetime) -> str:
    """ "July", or "July 2025" when it is not within the last eleven months."""
    local = when.astimezone()
    recent = (now - when).days < 330
    return f"{local:%B}" if recent else f"{local:%B %Y}"


def count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
