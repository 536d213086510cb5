"""The count of ``back_in_stock`` remembered between reads while it cannot have changed:
the Clients page's column asks for the six counts again and again, and this one is the
dearest (about 25 ms of CPU for a 100k-shopper store's book, the others 0.1 to 15).

A remembered count is used again only while it is exact:

* nothing was written to the cache since it was counted: the read's snapshot is of the
  same commit (SQLite's ``PRAGMA data_version`` on the read connection, which moves with
  every commit by any other connection: a pull applied, a command queued, sent,
  acknowledged or rejected, a client assigned here; this process's or another's);
* and the restocks it counted are still the ones in the window: the list's only
  dependence on the time is the window of restocks (``BACK_IN_STOCK_DAYS`` back from now).
  As time goes on, the window's start (``since``) moves later and restocks only leave it;
  the count holds while ``since`` is at or after where it was when counted and at or
  before the earliest restock counted (``until``). A clock moved back, or a restock
  leaving the window, counts again.

Every other count depends on the time in a way that changes within a minute at this scale
(an order reaching the follow-up delay or the lapsed threshold), so they are not remembered.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

Key = tuple[str, str | None, str | None, tuple[str, ...] | None]
"""Whose count: the store, the staff member (None: the store's book), one shopper, a page's
shoppers (``sync.read.outreach_ask.Ask``'s fields)."""


@dataclass(frozen=True)
class Counted:
    version: int
    since: str
    until: str | None
    count: int


class CountMemo:
    """Counts remembered by :data:`Key` (see the module's docstring for when they hold)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counted: dict[Key, Counted] = {}

    def get(self, key: Key, version: int, since: str) -> int | None:
        """The count for ``key`` if it still holds at this data ``version`` and window start."""
        with self._lock:
            hit = self._counted.get(key)
        if hit is None or hit.version != version or since < hit.since:
            return None
        if hit.until is not None and since > hit.until:
            return None
        return hit.count

    def put(self, key: Key, counted: Counted) -> None:
        with self._lock:
            self._counted[key] = counted
