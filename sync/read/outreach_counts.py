"""How many rows each outreach list holds, counted in SQL over the same conditions as the
list (``sync.read.outreach_lists``, ``sync.read.outreach_due``), without building a row or
a reason: the Clients page's column at the 100k-shopper scale.

Each takes an :class:`~sync.read.outreach_ask.Ask` and returns the number of rows the list
would return. The effects of commands queued on this device count at once, as in the lists
(orders placed here, interactions noted and follow-ups done here). ``back_in_stock``,
whose rows depend on stock after queued effects, counts its shoppers without wording a row;
``reservations`` is counted by its own finder (:data:`COUNTS` leaves it out).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sync import clienteling_rules as rules
from sync import overlay
from sync.commands.effects import NewOrder
from sync.read.outreach_ask import Ask
from sync.read.outreach_back import back_in_stock_count
from sync.read.outreach_carts import abandoned_carts_count
from sync.read.outreach_contact import heard_since_sql
from sync.read.outreach_due import _month_days
from sync.read.outreach_memo import CountMemo
from sync.schema import FULFILLED_AT


def _one(ask: Ask, sql: str, params: list[object]) -> int:
    return int(ask.conn.execute(sql, params).fetchone()[0])


def lapsed_rows(ask: Ask) -> tuple[str, list[object]]:
    """``FROM shoppers s WHERE ...``: the lapsed list's shoppers, and its parameters."""
    cutoff = ask.ago(ask.thresholds.lapsed_days)
    tiers = rules.LAPSED_TIERS
    where, params = ask.clause("s.id")
    return (
        f"FROM shoppers s WHERE s.tier IN ({','.join('?' for _ in tiers)}) "
        "AND (s.last_visit_at IS NULL OR s.last_visit_at < ?)"
        + where
        + " AND s.id NOT IN (SELECT value FROM json_each(?)) "
        "AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.shopper_id = s.id "
        "AND o.created_at >= ?)",
        [*tiers, cutoff, *params, json.dumps(ordered_here(ask)), cutoff],
    )


def lapsed(ask: Ask) -> int:
    """Top-tier clients with no visit and no order (here or confirmed) for ``lapsed_days``."""
    sql, params = lapsed_rows(ask)
    return _one(ask, "SELECT count(*) " + sql, params)


def ordered_here(ask: Ask) -> list[str]:
    """The shoppers with an order placed on this device (not confirmed yet)."""
    ov = overlay.Overlay(ask.conn, overlay.for_table(ask.conn, "orders"))
    return sorted({a.shopper_id for a, _ in ov.created("orders", NewOrder) if a.shopper_id})


def important_dates(ask: Ask) -> int:
    """Birthdays and anniversaries in the next ``important_date_days``."""
    keys = _month_days(ask.today, ask.thresholds.important_date_days)
    where, params = ask.book_clause("shopper_id")
    return _one(
        ask,
        f"SELECT count(*) FROM shopper_dates WHERE md IN ({','.join('?' for _ in keys)})" + where,
        [*keys, *params],
    )


def follow_up_rows(ask: Ask) -> tuple[str, list[object]]:
    """``FROM (...) f WHERE ...``: the purchases (``f.sid``, ``f.at``) delivered or
    collected in the follow-up window that nobody followed up since; and the parameters."""
    oldest = ask.ago(rules.FOLLOW_UP_WINDOW_DAYS)
    newest = ask.ago(ask.thresholds.follow_up_days)
    where, params = ask.book_clause("shopper_id")
    heard, here = heard_since_sql(ask.conn, "f.sid", "f.at")
    return (
        f"FROM (SELECT shopper_id AS sid, {FULFILLED_AT} AS at FROM orders "
        "WHERE json_extract(data, '$.status') IN ('delivered', 'collected') "
        f"AND {FULFILLED_AT} BETWEEN ? AND ?" + where + ") f "
        f"WHERE NOT {heard}",
        [oldest, newest, *params, *here],
    )


def follow_ups(ask: Ask) -> int:
    """Shoppers with a purchase to follow up (the list's one row per shopper)."""
    sql, params = follow_up_rows(ask)
    return _one(ask, "SELECT count(DISTINCT f.sid) " + sql, params)


REMEMBERED: dict[str, Callable[[Ask, CountMemo | None], int]] = {
    "back_in_stock": back_in_stock_count,
    "abandoned_carts": abandoned_carts_count,
}
"""The counts remembered between reads while they hold (:mod:`sync.read.outreach_memo`),
given the memo."""

COUNTS: dict[str, Callable[[Ask], int]] = {
    "abandoned_carts": abandoned_carts_count,
    "lapsed": lapsed,
    "important_dates": important_dates,
    "follow_ups": follow_ups,
    "back_in_stock": back_in_stock_count,
}
"""The lists counted in SQL, by name."""
