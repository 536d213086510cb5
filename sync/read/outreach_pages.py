"""The shoppers of one page of an outreach list, in the list's order (most urgent first),
found in SQL over the list's own conditions (those of :mod:`sync.read.outreach_counts`):
the list then words the reasons of that page's shoppers only.

Each takes an :class:`~sync.read.outreach_ask.Ask`, a ``limit`` and an ``offset`` and
returns the page's shopper ids and the list's total (None for an empty page); a list without one here is built whole and cut (:data:`PAGES`).
The order is the one ``sync.read.outreach`` sorts rows by: priority, then when, then the
shopper's name and id.
"""

from __future__ import annotations

from collections.abc import Callable

from sync import clienteling_rules as rules
from sync.read.outreach_ask import Ask
from sync.read.outreach_counts import follow_up_rows, lapsed_rows

_NAME = "s.first_name || ' ' || s.last_name"


def _ids(
    ask: Ask, sql: str, params: list[object], limit: int, offset: int
) -> tuple[list[str], int | None]:
    """The page's shopper ids and the list's total (None when the page is empty)."""
    # the total rides along on every row (a window over the whole result, before LIMIT)
    return _page(
        ask, sql.replace("SELECT ", "SELECT count(*) OVER () AS total, ", 1), params, limit, offset
    )


def _page(
    ask: Ask, sql: str, params: list[object], limit: int, offset: int
) -> tuple[list[str], int | None]:
    """:func:`_ids` of an ``sql`` whose rows are (total, shopper id, ...)."""
    rows = ask.conn.execute(sql + " LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return [str(r[1]) for r in rows], (int(rows[0][0]) if rows else None)


def follow_ups(ask: Ask, limit: int, offset: int) -> tuple[list[str], int | None]:
    """Oldest purchase first (its priority grows with the days since, up to the window):
    each shopper by their latest purchase nobody followed up (their name read once they
    are grouped, not once a purchase)."""
    sql, params = follow_up_rows(ask)
    # the purchases found first, as the count finds them (SQLite grouping the query itself
    # reads every order's data again), then grouped by shopper; names are read only for
    # the shoppers up to the page's last purchase time (``cut``: ties on it ordered by name)
    return _page(
        ask,
        "WITH p AS MATERIALIZED (SELECT f.sid AS sid, f.at AS at "
        + sql
        + "), g AS MATERIALIZED (SELECT sid, max(at) AS latest FROM p GROUP BY sid), "
        "cut AS (SELECT latest FROM g ORDER BY latest LIMIT 1 OFFSET ?) "
        f"SELECT (SELECT count(*) FROM g) AS total, g.sid, g.latest, {_NAME} AS name "
        "FROM g LEFT JOIN shoppers s ON s.id = g.sid "
        "WHERE NOT EXISTS (SELECT 1 FROM cut) OR g.latest <= (SELECT latest FROM cut) "
        "ORDER BY g.latest, coalesce(name, g.sid), g.sid",
        [*params, max(0, offset + limit - 1)],
        limit,
        offset,
    )


def lapsed(ask: Ask, limit: int, offset: int) -> tuple[list[str], int | None]:
    """The top tier first, then the longest since a visit or an order (never first)."""
    sql, params = lapsed_rows(ask)
    return _ids(
        ask,
        "SELECT s.id, max(coalesce(s.last_visit_at, ''), coalesce((SELECT max(o.created_at) "
        f"FROM orders o WHERE o.shopper_id = s.id), '')) AS latest, {_NAME} AS name "
        + sql
        + " ORDER BY s.tier = ? DESC, latest, name, s.id",
        [*params, rules.LAPSED_TIERS[-1]],
        limit,
        offset,
    )


PAGES: dict[str, Callable[[Ask, int, int], tuple[list[str], int | None]]] = {
    "follow_ups": follow_ups,
    "lapsed": lapsed,
}
"""The lists whose page is found in SQL, by name."""
