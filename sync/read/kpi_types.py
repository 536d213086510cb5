"""The shapes of the store's KPIs (``Cache.store_kpis``), the rows behind them
(``Cache.kpi_table``) and the leak lists (``Cache.leak_list``), and the period a manager
chooses (:func:`period_for`).

Plain frozen dataclasses: no Qt, nothing that needs the cache, so the dashboard and the
CSV export (:mod:`sync.export`) build on them alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

PeriodKind = Literal["today", "7d", "30d", "custom"]
Unit = Literal["count", "cents", "percent"]
LeakKind = Literal["expired_holds", "unpaid_links", "abandoned_carts", "rejected"]
LeakAction = Literal["reach_out", "resend_link", "offer", "resolve"]

PERIOD_KINDS: tuple[PeriodKind, ...] = ("today", "7d", "30d", "custom")
LEAK_KINDS: tuple[LeakKind, ...] = ("expired_holds", "unpaid_links", "abandoned_carts", "rejected")
LEAK_ACTIONS: dict[LeakKind, LeakAction] = {
    "expired_holds": "reach_out",
    "unpaid_links": "resend_link",
    "abandoned_carts": "offer",
    "rejected": "resolve",
}
MAX_CUSTOM_DAYS = 366


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` as aware datetimes in the store's time zone; ``label`` for the
    screen ("Today", "Last 7 days", "1 Nov – 15 Nov")."""

    kind: PeriodKind
    start: datetime
    end: datetime
    label: str

    def days(self) -> list[date]:
        """Each local day the period touches, in order (the charts' x axis)."""
        first = self.start.date()
        last = max(first, (self.end - timedelta(microseconds=1)).date())
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def utc_bounds(self) -> tuple[str, str]:
        """``start`` and ``end`` as wire timestamps (UTC), for comparing with the cache."""
        return _wire(self.start), _wire(self.end)


def _wire(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(day: date, zone: object) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)  # type: ignore[arg-type]


def _short(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def period_for(
    kind: PeriodKind,
    now: datetime,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
) -> Period:
    """The period ``kind`` as of ``now`` (aware, in the store's time zone).

    * ``today``: from local midnight to now (its second included);
    * ``7d`` / ``30d``: the last 7 or 30 local days, today included, up to now;
    * ``custom``: from the start of day ``start`` to the end of day ``end`` (both
      included; a datetime counts as its local day), never past now, at most a year.

    Raises ``ValueError`` for an unknown kind, a naive ``now``, or a custom range that is
    missing, reversed, in the future or longer than a year.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime in the store's time zone")
    zone = now.tzinfo
    today = now.date()
    # up to now, this second included (wire timestamps have whole seconds)
    until = now.replace(microsecond=0) + timedelta(seconds=1)
    if kind == "today":
        return Period("today", _midnight(today, zone), until, "Today")
    if kind in ("7d", "30d"):
        n = 7 if kind == "7d" else 30
        return Period(kind, _midnight(today - timedelta(days=n - 1), zone), until, f"Last {n} days")
    if kind != "custom":
        raise ValueError(f"unknown period {kind!r}")
    if start is None or end is None:
        raise ValueError("a custom period needs a start and an end day")
    first = start.astimezone(zone).date() if isinstance(start, datetime) else start
    last = end.astimezone(zone).date() if isinstance(end, datetime) else end
    if last < first:
        raise ValueError("the end day is before the start day")
    if first > today:
        raise ValueError("the start day is in the future")
    if (last - first).days + 1 > MAX_CUSTOM_DAYS:
        raise ValueError(f"a custom period is at most {MAX_CUSTOM_DAYS} days")
    stop = min(_midnight(last + timedelta(days=1), zone), until)
    label = _short(first) if first == last else f"{_short(first)} – {_short(last)}"
    return Period("custom", _midnight(first, zone), stop, label)


@dataclass(frozen=True, slots=True)
class Kpi:
    """One figure of the dashboard.

    ``value``: a count, an amount in cents, or a percent (0..100). ``how``: one sentence
    saying how it is computed. ``series``: the value per local day of the period (for a
    chart; for a percent, each day's own share). ``breakdown``: the value per associate,
    channel... (may be empty). ``leak``: the leak list this tile opens (None: none)."""

    key: str
    label: str
    value: float
    unit: Unit
    how: str
    series: list[tuple[date, float]] = field(default_factory=list)
    breakdown: list[tuple[str, float]] = field(default_factory=list)
    leak: LeakKind | None = None


@dataclass(frozen=True, slots=True)
class StoreKpis:
    """The store's figures for a period, computed on this device from the cache:
    ``as_of`` is the last sync (wire timestamp; "" before the first one)."""

    as_of: str
    period: Period
    figures: list[Kpi]

    def get(self, key: str) -> Kpi:
        """The figure ``key`` (``KeyError`` when there is none)."""
        for kpi in self.figures:
            if kpi.key == key:
                return kpi
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class KpiTable:
    """The rows behind one figure, as the screen shows them (and the CSV exports them)."""

    columns: list[str]
    rows: list[tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class LeakRow:
    """One place a shopper dropped out, with the way forward (``action``) and what it acts
    on (``ref_id``: the reservation, order, cart or outbox entry)."""

    shopper_id: str | None
    shopper_name: str
    what: str
    when: str  # wire timestamp
    action: LeakAction
    ref_id: str
