"""Turning record values into text for people: money, times, dates, statuses.

Wire timestamps are UTC (``2026-11-22T14:05:00Z``); people see local time.
Every word here goes through ``tr`` (context ``"format"``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QLocale


def _tr(text: str) -> str:
    return QCoreApplication.translate("format", text)


def to_local(ts: str | None) -> datetime | None:
    if not ts:
        return None
    try:
        parsed = datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return parsed.astimezone()


def time_hm(ts: str | None) -> str:
    """``14:05`` in local time, or an empty string."""
    local = to_local(ts)
    return local.strftime("%H:%M") if local else ""


def date_short(ts: str | None) -> str:
    """``22 Nov 2026`` (local), or a dash."""
    local = to_local(ts)
    if local is None:
        return "—"
    return QLocale().toString(local.date(), "d MMM yyyy")


def date_relative(ts: str | None) -> str:
    """``Today``, ``Yesterday``, ``5 days ago`` or ``22 Nov 2026``; a dash for none."""
    local = to_local(ts)
    if local is None:
        return "—"
    days = (datetime.now().astimezone().date() - local.date()).days
    if days <= 0:
        return _tr("Today")
    if days == 1:
        return _tr("Yesterday")
    if days < 14:
        return _tr("%n days ago").replace("%n", str(days))
    return date_short(ts)


def money(cents: int, currency: str = "EUR") -> str:
    """``€129.00``."""
    symbol = {"EUR": "€", "GBP": "£", "USD": "$"}.get(currency, currency + " ")
    return f"{symbol}{cents / 100:,.2f}"


STATUS_TEXT = {
    "pending": "Pending",
    "ready": "Ready",
    "collected": "Collected",
    "expired": "Expired",
    "cancelled": "Cancelled",
}

STATUS_KIND = {
    "pending": "pending",
    "ready": "success",
    "collected": "muted",
    "expired": "warning",
    "cancelled": "muted",
}


def status_text(status: str) -> str:
    return _tr(STATUS_TEXT.get(status, status.replace("_", " ").capitalize()))


def tier_text(tier: str) -> str:
    return _tr(tier.capitalize())
