"""Seconds since the epoch <-> wire timestamps, fast enough for a million rows."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

Row = dict[str, Any]
"""One entity's wire ``data``."""
Window = tuple[int, int, int]
"""A promotion's (start, end, percent off), in epoch seconds."""
Stock = dict[tuple[str, str], int]
"""(store_id, sku) -> units."""

DAY = 86400
HOUR = 3600

_DAYS: dict[int, str] = {}


def ts(seconds: int) -> str:
    """Epoch seconds as a wire timestamp (``2026-11-22T14:05:00Z``)."""
    day, rest = divmod(seconds, DAY)
    prefix = _DAYS.get(day)
    if prefix is None:
        prefix = _DAYS[day] = time.strftime("%Y-%m-%d", time.gmtime(day * DAY))
    hours, rest = divmod(rest, HOUR)
    minutes, secs = divmod(rest, 60)
    return f"{prefix}T{hours:02d}:{minutes:02d}:{secs:02d}Z"


def anchor_for(today: date | None) -> int:
    """Midnight UTC of ``today`` (default: the current UTC date) in epoch seconds.

    Everything in the demo is placed relative to this anchor: history lies before it,
    reservation holds and active promotions run on after it.
    """
    if today is None:
        today = datetime.now(UTC).date()
    return int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
