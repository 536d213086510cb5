"""Who to reach out to today, and why: the six outreach lists, computed on the device
from the cache alone (so they work offline), with the effects of queued commands laid
over the confirmed rows (a reservation collected here leaves its list at once).

* ``abandoned_carts``: online carts left within ``abandoned_cart_days``, with how many of
  their items are in stock here;
* ``back_in_stock``: wishlist items back in stock here (or the same style in the
  shopper's size) since the shopper last heard from us;
* ``lapsed``: top-tier clients with no visit and no order for ``lapsed_days``;
* ``important_dates``: birthdays and anniversaries in the next ``important_date_days``;
* ``follow_ups``: purchases delivered or collected ``follow_up_days`` ago, not followed up;
* ``reservations``: ready and not collected here, or a hold ending within
  ``hold_expiring_hours``.

The queries are in :mod:`sync.read.outreach_carts`, :mod:`sync.read.outreach_lists`,
:mod:`sync.read.outreach_back` and :mod:`sync.read.outreach_due`
(what they are asked: :mod:`sync.read.outreach_ask`); "last heard from us" is
:func:`sync.read.outreach_contact.last_heard_from_us`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property

from sync import wire
from sync.read.base import CacheBase, chunks
from sync.read.outreach_ask import Ask, Found, Thresholds
from sync.read.outreach_back import back_in_stock, back_in_stock_page
from sync.read.outreach_carts import abandoned_carts, abandoned_carts_page
from sync.read.outreach_counts import COUNTS, REMEMBERED
from sync.read.outreach_due import (
    follow_ups,
    important_dates,
    important_dates_page,
    reservations,
)
from sync.read.outreach_lists import lapsed
from sync.read.outreach_memo import CountMemo
from sync.read.outreach_pages import PAGES

__all__ = ["LIST_NAMES", "PAGE", "OutreachPage", "OutreachReads", "OutreachRow", "Thresholds"]

LISTS = {
    "abandoned_carts": abandoned_carts,
    "back_in_stock": back_in_stock,
    "lapsed": lapsed,
    "important_dates": important_dates,
    "follow_ups": follow_ups,
    "reservations": reservations,
}
"""Each list's name and the function that finds its rows."""

ROW_PAGES = {
    "important_dates": important_dates_page,
    "back_in_stock": back_in_stock_page,
    "abandoned_carts": abandoned_carts_page,
}
"""The lists whose page of rows (more than one a shopper) is found and worded in SQL order."""

REMEMBERING_PAGES = {"back_in_stock": back_in_stock_page}
"""The row pages that use what their count remembered (``sync.read.outreach_memo``)."""

LIST_NAMES = tuple(LISTS)
"""The lists, in the order a page shows them."""


@dataclass(frozen=True)
class OutreachRow:
    """One shopper on one list: who, why (a sentence a person reads), when, the SKUs it is
    about, and how urgent (``priority``: higher first). ``due_on`` is a sensible due date
    for a task made from the row; ``source_id`` what the row is about (cart, order,
    reservation, wishlist item, ``MM-DD``)."""

    list_name: str
    shopper_id: str
    shopper_name: str
    tier: str
    reason: str
    when: str | None
    skus: tuple[str, ...]
    priority: int
    due_on: date | None = None
    source_id: str | None = None


PAGE = 100
"""How many rows a page of a list shows at a time (the Clients page's "Show more")."""


@dataclass(frozen=True)
class OutreachPage:
    """A page of a list, most urgent first: its ``rows``, where it starts (``offset``) and
    how many rows the whole list has (``total``)."""

    rows: list[OutreachRow]
    total: int
    offset: int = 0

    @property
    def more(self) -> int:
        """How many rows come after this page."""
        return max(0, self.total - self.offset - len(self.rows))


def _moment(now: datetime | str | None, fallback: str) -> datetime:
    if isinstance(now, datetime):
        return now
    return wire.parse_ts(now or fallback)


def _urgent_first(rows: list[OutreachRow]) -> list[OutreachRow]:
    return sorted(rows, key=lambda r: (-r.priority, r.when or "", r.shopper_name, r.shopper_id))


def _who(conn: sqlite3.Connection, shopper_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """shopper id -> (name, tier)."""
    who: dict[str, tuple[str, str]] = {}
    for chunk, marks in chunks(shopper_ids):
        for sid, first, last, tier in conn.execute(
            f"SELECT id, first_name, last_name, tier FROM shoppers WHERE id IN ({marks})", chunk
        ):
            who[sid] = (f"{first} {last}", tier)
    return who


def _urgency(f: Found, who: dict[str, tuple[str, str]]) -> tuple[int, str, str, str]:
    """The sort key of :func:`_urgent_first`, on a found row."""
    return (-f.priority, f.when or "", who.get(f.shopper_id, (f.shopper_id, ""))[0], f.shopper_id)


class OutreachReads(CacheBase):
    def outreach(
        self,
        store_id: str,
        name: str,
        thresholds: Thresholds,
        *,
        staff_id: str | None = None,
        now: datetime | str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[OutreachRow]:
        """List ``name`` at ``store_id``: ``staff_id``'s clients (their client assignments
        here), or the store's whole book for None; most urgent first. ``limit`` rows from
        ``offset`` (None: all of them; :meth:`outreach_page` adds the total)."""
        return self.outreach_page(
            store_id, name, thresholds, staff_id=staff_id, now=now, limit=limit, offset=offset
        ).rows

    def outreach_page(
        self,
        store_id: str,
        name: str,
        thresholds: Thresholds,
        *,
        staff_id: str | None = None,
        now: datetime | str | None = None,
        limit: int | None = PAGE,
        offset: int = 0,
    ) -> OutreachPage:
        """A page of list ``name`` (as :meth:`outreach`): ``limit`` rows from ``offset``,
        most urgent first, with the list's total."""
        if name not in LISTS:
            raise ValueError(f"no outreach list {name!r}; the lists are {', '.join(LISTS)}")
        offset = max(0, int(offset))
        moment = _moment(now, self.now())
        with self.db.read() as conn:
            ask = Ask(conn, store_id, thresholds, moment, staff_id=staff_id)
            if name in REMEMBERING_PAGES and limit is not None:
                rows, count = REMEMBERING_PAGES[name](
                    ask, max(0, int(limit)), offset, self._counts_memo
                )
                who = _who(conn, {f.shopper_id for f in rows})
                return OutreachPage(self._rows(name, rows, who), count, offset)
            if name in ROW_PAGES and limit is not None:
                rows, count = ROW_PAGES[name](ask, max(0, int(limit)), offset)
                who = _who(conn, {f.shopper_id for f in rows})
                return OutreachPage(self._rows(name, rows, who), count, offset)
            if name in PAGES and limit is not None:
                # the page's shoppers in SQL, then the list's reasons for them alone
                ids, total = PAGES[name](ask, max(0, int(limit)), offset)
                page = LISTS[name](replace(ask, shopper_ids=tuple(ids))) if ids else []
                who = _who(conn, ids)
                page.sort(key=lambda f: _urgency(f, who))
                if total is None:
                    total = COUNTS[name](ask)
                return OutreachPage(self._rows(name, page, who), total, offset)
            found = LISTS[name](ask)
            who = _who(conn, (f.shopper_id for f in found))
            found.sort(key=lambda f: _urgency(f, who))
            end = None if limit is None else offset + max(0, int(limit))
            return OutreachPage(self._rows(name, found[offset:end], who), len(found), offset)

    def outreach_counts(
        self,
        store_id: str,
        thresholds: Thresholds,
        *,
        staff_id: str | None = None,
        now: datetime | str | None = None,
    ) -> dict[str, int]:
        """How many shoppers are on each list (the same rows :meth:`outreach` returns),
        counted in SQL where the conditions allow (:mod:`sync.read.outreach_counts`);
        the dearest remembered while they hold (:mod:`sync.read.outreach_memo`)."""
        moment = _moment(now, self.now())
        with self.db.read() as conn:
            ask = Ask(conn, store_id, thresholds, moment, staff_id=staff_id)
            return {
                name: REMEMBERED[name](ask, self._counts_memo)
                if name in REMEMBERED
                else COUNTS[name](ask)
                if name in COUNTS
                else len(find(ask))
                for name, find in LISTS.items()
            }

    @cached_property
    def _counts_memo(self) -> CountMemo:
        return CountMemo()

    def outreach_for_shopper(
        self,
        shopper_id: str,
        store_id: str,
        thresholds: Thresholds,
        now: datetime | str | None = None,
    ) -> list[OutreachRow]:
        """Every list's rows for one shopper, most urgent first: the first is the next best
        action's reason."""
        moment = _moment(now, self.now())
        rows: list[OutreachRow] = []
        with self.db.read() as conn:
            ask = Ask(conn, store_id, thresholds, moment, shopper_id=shopper_id)
            who = _who(conn, [shopper_id])
            for name, find in LISTS.items():
                rows += self._rows(name, find(ask), who)
        return _urgent_first(rows)

    def _rows(
        self, name: str, found: list[Found], who: dict[str, tuple[str, str]]
    ) -> list[OutreachRow]:
        return [
            OutreachRow(
                list_name=name,
                shopper_id=f.shopper_id,
                shopper_name=who.get(f.shopper_id, (f.shopper_id, ""))[0],
                tier=who.get(f.shopper_id, ("", ""))[1],
                reason=f.reason,
                when=f.when,
                skus=f.skus,
                priority=f.priority,
                due_on=f.due_on,
                source_id=f.source_id,
            )
            for f in found
        ]
