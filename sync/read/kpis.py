"""The store manager's figures, computed on this device from the cache so they work
offline (issue 16): ``store_kpis`` (every figure of a period, as of the last sync),
``kpi_table`` (the rows behind one figure, for the table and its CSV export) and
``leak_list`` (where shoppers dropped out, each with its way forward).

Definitions: :mod:`sync.read.kpi_figures` (one place: label, unit, how it is computed);
what they count: :mod:`sync.read.kpi_facts`; leak lists: :mod:`sync.read.leaks`; the
shapes and the period: :mod:`sync.read.kpi_types`.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sync import meta, wire
from sync.read import kpi_facts, kpi_figures, leaks
from sync.read.base import CacheBase
from sync.read.kpi_types import (
    KpiTable,
    LeakKind,
    LeakRow,
    Period,
    PeriodKind,
    StoreKpis,
    period_for,
)
from sync.rules.messaging import store_zone

__all__ = ["KpiReads", "Period", "period_for"]

_MEMO = "kpis"  # one entry: the last facts read (a period of "today" ends at each now)
_LEAK_STEPS = {
    "expired_holds": (kpi_facts.reservations, kpi_facts.names),
    "unpaid_links": (kpi_facts.messages,),
    "abandoned_carts": (),
    "rejected": (),
}


class KpiReads(CacheBase):
    def store_zone(self, store_id: str) -> ZoneInfo:
        """The store's time zone (UTC when the store or its zone is unknown)."""
        return store_zone(self._stores().get(store_id))

    def store_now(self, store_id: str) -> datetime:
        """Now (the cache's clock) in the store's time zone: what ``period_for`` takes."""
        return wire.parse_ts(self.now()).astimezone(self.store_zone(store_id))

    def store_period(
        self,
        kind: PeriodKind,
        store_id: str,
        start: date | datetime | None = None,
        end: date | datetime | None = None,
    ) -> Period:
        """``period_for(kind, now in the store's zone, start, end)``."""
        return period_for(kind, self.store_now(store_id), start, end)

    def _as_of(self) -> str:
        """When this device last synced (wire timestamp; "" before its first sync)."""
        with self.db.read() as conn:
            value = meta.get(conn, meta.LAST_SYNC_AT)
        return str(value) if value else ""

    def _facts(self, store_id: str, period: Period) -> kpi_facts.Facts:
        """The facts of the store's period; the last ones are kept until the next write to
        the cache (the dashboard asks for the figures, then the table behind one)."""
        wanted = (store_id, period)
        hit = self._memo.get(_MEMO)
        if hit is not None and hit[0] == self.db.generation and hit[1][0] == wanted:
            found: kpi_facts.Facts = hit[1][1]
            return found
        generation = self.db.generation
        with self.db.read() as conn:
            facts = kpi_facts.load(conn, store_id, period, self.store_zone(store_id))
        self._memo[_MEMO] = (generation, (wanted, facts))
        return facts

    def store_kpis(self, store_id: str, period: Period, now: datetime) -> StoreKpis:
        """Every figure of ``store_id`` in ``period``, as of the last sync (``now`` is the
        moment the manager asked: the period is already bounded by it)."""
        del now  # the period carries it; kept in the signature for the screen's clarity
        facts = self._facts(store_id, period)
        return StoreKpis(self._as_of(), period, kpi_figures.figures(facts))

    def kpi_table(self, key: str, store_id: str, period: Period, now: datetime) -> KpiTable:
        """The rows behind figure ``key`` (``KeyError`` for an unknown key)."""
        del now
        if key not in kpi_figures.BY_KEY:
            raise KeyError(key)
        return kpi_figures.table(key, self._facts(store_id, period))

    def leak_list(
        self, kind: LeakKind, store_id: str, period: Period, now: datetime
    ) -> list[LeakRow]:
        """The leak list ``kind`` of ``store_id`` in ``period``, newest first
        (``KeyError`` for an unknown kind)."""
        del now
        steps = _LEAK_STEPS[kind]
        with self.db.read() as conn:
            facts = kpi_facts.facts(store_id, period, self.store_zone(store_id))
            for step in steps:
                step(conn, facts)
            return leaks.leak_rows(conn, kind, facts)
