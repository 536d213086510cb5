"""Counts of outreach lists remembered between reads while they cannot have changed: the
Clients page's column asks for the six counts again and again, and ``back_in_stock``'s is
the dearest (about 25 ms of CPU for a 100k-shopper store's book; ``abandoned_carts`` 4 to 6).

A remembered count is used again only while it is exact:

* nothing was written since it was counted to the tables its list reads: each of those
  tables has the same stamp (``table_stamps``, migration ``_v12``: SQLite triggers give a
  table a new random stamp at every insert, update or delete on it, in the writer's own
  transaction, whichever connection or process writes: a pull applied, a command queued,
  sent, acknowledged or rejected, ``clienteling sync --once``; a first sync loading in
  bulk, with the triggers set aside, stamps every table itself, ``sync.bulk``). A pull
  that brings nothing those tables hold (the last-sync time, orders, views of products) leaves the
  count remembered; the stamps are read before counting, so a write landing between the
  two only makes the next read count again;
* and the time has not moved its window past a row it counted. Both lists depend on the
  time only by a window that starts ``N`` days back from now (``since``: restocks for
  ``back_in_stock``, carts by their latest line for ``abandoned_carts``): as time goes on
  ``since`` moves later and rows only leave the window, never enter it. The count holds
  while ``since`` is at or after where it was when counted and at or before ``until``,
  the earliest time among the rows counted. A clock moved back, or a row leaving the
  window, counts again.

A step of a count may be remembered too, under its inputs (:meth:`CountMemo.latest`):
``back_in_stock`` keeps each shopper's latest wished item back (before "heard from us
since") while the stamps of the five tables it reads and its parameters (the restocks in
the window, the stock queued commands change here, the book) are the same; a note, a task,
a message or a command that changes no stock then costs only "heard from us since", and
its page is ranked from it (``sync.read.outreach_back``).

The other lists' counts depend on the time in ways that change within a minute at this
scale (an order reaching the follow-up delay or the lapsed threshold, a hold nearing its
end), so they are not remembered.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from sync.read.outreach_ask import Ask

Key = tuple[str, str, str | None, str | None, tuple[str, ...] | None]
"""Which count: the list, the store, the staff member (None: the store's book), one
shopper, a page's shoppers (:class:`~sync.read.outreach_ask.Ask`'s fields)."""


def key(name: str, ask: Ask) -> Key:
    return (name, ask.store_id, ask.staff_id, ask.shopper_id, ask.shopper_ids)


Version = tuple[int, ...]
"""The stamps of the tables a count reads, in the order asked (see :func:`stamps`)."""


def stamps(conn: sqlite3.Connection, tables: tuple[str, ...]) -> Version | None:
    """The tables' stamps now (one read of a table of 27 rows); None when one of them has
    none (a table no trigger stamps: such a count is never remembered)."""
    marks = ",".join("?" for _ in tables)
    found = dict(
        conn.execute(f"SELECT tbl, stamp FROM table_stamps WHERE tbl IN ({marks})", tables)
    )
    if len(found) != len(tables):
        return None
    return tuple(int(found[t]) for t in tables)


@dataclass(frozen=True)
class Counted:
    version: Version | None
    since: str
    until: str | None
    """The earliest time among the rows counted (None: none; the count is 0 until a write)."""
    count: int


class CountMemo:
    """Counts remembered by :data:`Key` (see the module's docstring for when they hold)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counted: dict[Key, Counted] = {}
        self._latest: dict[Key, tuple[tuple[object, ...], str]] = {}

    def get(self, key: Key, version: Version | None, since: str) -> int | None:
        """The count for ``key`` if it still holds at these stamps and window start."""
        with self._lock:
            hit = self._counted.get(key)
        if hit is None or version is None or hit.version != version or since < hit.since:
            return None
        if hit.until is not None and since > hit.until:
            return None
        return hit.count

    def put(self, key: Key, counted: Counted) -> None:
        if counted.version is None:
            return
        with self._lock:
            self._counted[key] = counted

    def latest(self, key: Key, inputs: tuple[object, ...]) -> str | None:
        """What a list remembered of a step of its count under ``key``, if every one of its
        ``inputs`` is the same (the stamps of the tables the step reads among them: None,
        a table not stamped, never matches)."""
        if None in inputs:
            return None
        with self._lock:
            hit = self._latest.get(key)
        return hit[1] if hit is not None and hit[0] == inputs else None

    def put_latest(self, key: Key, inputs: tuple[object, ...], value: str) -> None:
        if None in inputs:
            return
        with self._lock:
            self._latest[key] = (inputs, value)
