"""The changes feed: a device's pages read on a reader connection, sent as stored.

A page is one ordered range scan per scope (``'*'`` and the device's store) on
``entity_scopes (store_id, seq)``, read on the serving thread's own read-only connection
(``CentralDB.reading``): no page waits for a write or for another page.

The work of a page does not grow with the rows left after it:

* ``total_estimate`` (for a device's first-sync progress bar) is counted once per pull:
  on the first page read from a cursor this process has not seen; each page then leaves
  the estimate for the cursor it hands out (what was left minus what it served) in a small
  bounded cache (for two minutes), so the next page of the same pull counts nothing. A page that ends the
  feed is exact without counting (what it holds). Writes made during a pull are not in
  its estimate; the device's bar ends at what it got.
* the body is built as bytes around each row's stored JSON (:func:`render_page`), not by
  decoding every row and encoding it again. Only what a device may not see is decoded:
  an associate's row loses its PIN fields (``entities.for_device``), and a kiosk's rows
  pass its allow-list (``entities.KIOSK_FEED``).

:meth:`Feed.head` is where a device's feed ends now (``GET /v1/sync/head``, the idle probe
that tells a device to pull): two index look-ups.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from central.db import GLOBAL_SCOPE, CentralDB
from central.entities import KIOSK_FEED, dumps, for_device

ESTIMATES_KEPT = 20_000
"""Pulls in progress whose next estimate this process remembers (a miss costs one count)."""

ESTIMATE_KEPT_S = 120.0
"""How long a remembered estimate serves: a pull asks for its next page within seconds; a
cursor asked for again much later (another device at the same point) is counted afresh."""

Row = tuple[int, str, str, int, int, str | None]
"""``(seq, entity, id, version, deleted, data)``: one row of the feed as stored."""


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    has_more: bool
    total_estimate: int

    @property
    def last_seq(self) -> int | None:
        return self.rows[-1][0] if self.rows else None


class Feed:
    """Pages and the head of each store's feed on one :class:`CentralDB`."""

    def __init__(self, db: CentralDB) -> None:
        self.db = db
        # (store, kiosk, after seq) -> (rows left after that seq, when it was remembered)
        self._left: dict[tuple[str, bool, int], tuple[int, float]] = {}
        self._left_lock = threading.Lock()  # a dict update, never held across a query

    def page(self, store_id: str, after: int, limit: int, *, kiosk: bool = False) -> Page:
        """Up to ``limit`` rows of the store's feed after ``after``, in ``seq`` order.

        ``kiosk``: only the entities of ``KIOSK_FEED`` (:func:`render_page` applies each
        one's row rule).
        """
        hidden, hide = _kiosk_filter(kiosk)
        with self.db.reading() as conn:
            rows: list[Row] = conn.execute(
                "SELECT e.seq, e.entity, e.id, e.version, e.deleted, e.data"
                " FROM entities e WHERE e.seq IN ("
                "  SELECT seq FROM (SELECT seq FROM entity_scopes"
                f"   WHERE store_id = ? AND seq > ?{hidden} ORDER BY seq LIMIT ?) AS everyone"
                "  UNION ALL"
                "  SELECT seq FROM (SELECT seq FROM entity_scopes"
                f"   WHERE store_id = ? AND seq > ?{hidden} ORDER BY seq LIMIT ?) AS store"
                " ) ORDER BY e.seq LIMIT ?",
                (
                    GLOBAL_SCOPE,
                    after,
                    *hide,
                    limit + 1,
                    store_id,
                    after,
                    *hide,
                    limit + 1,
                    limit + 1,
                ),
            ).fetchall()
            has_more = len(rows) > limit
            rows = rows[:limit]
            if not has_more:
                return Page(rows, False, len(rows))
            left = self._remembered((store_id, kiosk, after))
            if left is None:  # the first page of a pull: count once
                left = int(
                    conn.execute(
                        "SELECT count(*) FROM entity_scopes WHERE store_id IN (?, ?)"
                        f" AND seq > ?{hidden}",
                        (GLOBAL_SCOPE, store_id, after, *hide),
                    ).fetchone()[0]
                )
        left = max(left, len(rows) + 1)  # more is coming: at least one more row
        self._remember((store_id, kiosk, rows[-1][0]), left - len(rows))
        return Page(rows, True, left)

    def _remembered(self, key: tuple[str, bool, int]) -> int | None:
        with self._left_lock:
            found = self._left.get(key)
        if found is None or time.monotonic() - found[1] > ESTIMATE_KEPT_S:
            return None
        return found[0]

    def _remember(self, key: tuple[str, bool, int], left: int) -> None:
        with self._left_lock:
            if len(self._left) >= ESTIMATES_KEPT:  # the oldest pulls go first
                for old in list(self._left)[: ESTIMATES_KEPT // 4]:
                    del self._left[old]
            self._left[key] = (left, time.monotonic())

    def head(self, store_id: str, *, kiosk: bool = False) -> int:
        """The last ``seq`` of the store's feed (what :meth:`page` would reach)."""
        hidden, hide = _kiosk_filter(kiosk)
        row = self.db.one(
            "SELECT coalesce(max(last), 0) FROM ("
            f" SELECT max(seq) AS last FROM entity_scopes WHERE store_id = ?{hidden}"
            f" UNION ALL SELECT max(seq) FROM entity_scopes WHERE store_id = ?{hidden}) AS heads",
            (GLOBAL_SCOPE, *hide, store_id, *hide),
        )
        return int(row[0]) if row else 0


def _kiosk_filter(kiosk: bool) -> tuple[str, tuple[str, ...]]:
    if not kiosk:
        return "", ()
    return " AND entity IN ({})".format(", ".join("?" * len(KIOSK_FEED))), tuple(sorted(KIOSK_FEED))


def render_page(page: Page, next_cursor: str, *, kiosk: bool, device_id: str) -> bytes:
    """The ``wire.ChangesPage`` JSON of ``page`` as bytes, each row's stored JSON spliced
    in as it is (an associate's row and a kiosk's rows go through their rules first)."""
    parts: list[str] = []
    for seq, entity, id_, version, deleted, data in page.rows:
        if deleted or data is None:
            value = "null"
        elif kiosk:
            if entity not in KIOSK_FEED:
                continue  # not for kiosks: the cursor still moves past it
            kept = KIOSK_FEED[entity](_loads(data), device_id)
            if kept is None:
                continue  # not this kiosk's row
            value = dumps(kept)
        elif entity == "associate":
            value = dumps(for_device(entity, _loads(data)))
        else:
            value = data
        parts.append(
            f'{{"seq":{int(seq)},"entity":{_string(entity)},"id":{_string(id_)},'
            f'"version":{int(version)},"deleted":{"true" if deleted else "false"},'
            f'"data":{value}}}'
        )
    tail = (
        f'],"next_cursor":{_string(next_cursor)},"has_more":{"true" if page.has_more else "false"}'
        f',"total_estimate":{int(page.total_estimate)}}}'
    )
    return ('{"changes":[' + ",".join(parts) + tail).encode()


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(raw: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(raw)
    return value
