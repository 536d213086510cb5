"""The ``abandoned_carts`` outreach list: online carts left within ``abandoned_cart_days``
(by their latest line), with which of their items are available here now (queued
reservations and orders counted).

Found in ONE SQL statement (:func:`abandoned_carts_page`) for the store, a book or one
shopper: SQL reads each cart's lines, decides which are available here (the stock the
queued commands change here is passed in as JSON), ranks the carts as the list does
(priority, then when, then the shopper's name and id) and counts them; only a page's carts
are read whole and worded.
"""

from __future__ import annotations

import json
from typing import Any

from sync.read import outreach_words as say
from sync.read.outreach_ask import Ask, Found
from sync.read.outreach_memo import Counted, CountMemo, key, stamps
from sync.read.products import available, available_here_after

_ALL = 1 << 62
"""An offset past any list: no cut, every shopper's name is read."""

READS = ("carts", "client_assignments", "outbox")
"""Every table the count reads (the book's assignments queued here: the outbox): its
remembered count holds while none of them is written (:mod:`sync.read.outreach_memo`;
``tests/sync/test_outreach_stamps.py`` checks the list against what SQLite reads)."""


def _priority(here: bool, days: int) -> int:
    """A cart's priority: higher with an item in stock here, and as it is recent."""
    return 600 + (50 if here else 0) + max(0, 30 - days)


def _carts_sql(ask: Ask) -> tuple[str, list[Any]]:
    """``WITH ... p AS (...)``: the carts on the list, ``p.id``, ``p.sid``, ``p.last``
    (when its latest line was added) and ``p.priority`` (:func:`_priority` in SQL:
    ``here``, any of its items available here after the queued commands; ``days``, whole
    days since ``last``); and its parameters."""
    cutoff = ask.ago(ask.thresholds.abandoned_cart_days)
    where, params = ask.clause("c.shopper_id")
    sql = (
        "WITH d AS (SELECT key AS sku, value AS n FROM json_each(?)), "
        # each line of the carts left since the cutoff (a cart's updated_at is never before
        # its latest line's added_at: a cheap index range), and whether it is in stock here
        "l AS MATERIALIZED (SELECT c.id, c.shopper_id AS sid, c.rowid AS rid, "
        "json_extract(x.value, '$.added_at') AS added, json_extract(x.value, '$.sku') AS sku "
        "FROM carts c, json_each(c.data, '$.lines') x "
        "WHERE c.status = 'abandoned' AND c.updated_at >= ?" + where + "), "
        "k AS MATERIALIZED (SELECT l.id, l.sid, l.rid, max(l.added) AS last, "
        "max(coalesce((SELECT d.n FROM d WHERE d.sku = l.sku), (SELECT i.available "
        "FROM inventory i WHERE i.sku = l.sku AND i.store_id = ?), 0) > 0) AS here "
        "FROM l GROUP BY l.id HAVING substr(max(l.added), 1, 19) >= substr(?, 1, 19)), "
        "p AS MATERIALIZED (SELECT k.id, k.sid, k.rid, k.last, 600 + 50 * k.here + "
        "max(0, 30 - max(0, (? - unixepoch(substr(k.last, 1, 19))) / 86400)) AS priority "
        "FROM k) "
    )
    return sql, [
        json.dumps(available_here_after(ask.conn, ask.store_id)),
        cutoff,
        *params,
        ask.store_id,
        cutoff,
        int(ask.now.timestamp()),  # whole seconds: the same whole days as ``days_since``
    ]


def abandoned_carts_page(ask: Ask, limit: int | None, offset: int = 0) -> tuple[list[Found], int]:
    """A page of the list in its order (priority, when, the shopper's name and id; all of
    it for ``limit`` None) and the list's total: only the shoppers' names up to the page's
    last priority and time are read (ties on it are ordered by name), and only the page's
    carts are read whole and worded."""
    sql, params = _carts_sql(ask)
    last = _ALL if limit is None else offset + limit - 1
    rows = ask.conn.execute(
        sql + ", cut AS MATERIALIZED (SELECT priority, last FROM p "
        "ORDER BY priority DESC, last LIMIT 1 OFFSET ?) "
        "SELECT (SELECT count(*) FROM p), p.id, p.sid, c.data, "
        "coalesce(s.first_name || ' ' || s.last_name, p.sid) AS name "
        "FROM p JOIN carts c ON c.rowid = p.rid LEFT JOIN shoppers s ON s.id = p.sid "
        "WHERE NOT EXISTS (SELECT 1 FROM cut) OR p.priority > (SELECT priority FROM cut) "
        "OR (p.priority = (SELECT priority FROM cut) AND p.last <= (SELECT last FROM cut)) "
        "ORDER BY p.priority DESC, p.last, name, p.sid, p.rid LIMIT ? OFFSET ?",
        [*params, max(0, last), -1 if limit is None else limit, offset],
    ).fetchall()
    if not rows:
        return [], (abandoned_carts_count(ask) if offset else 0)
    return _worded(ask, [(r[1], r[2], r[3]) for r in rows]), int(rows[0][0])  # (all in the list)


def _worded(ask: Ask, rows: list[tuple[str, str, str]]) -> list[Found]:
    """The found rows of (cart id, shopper id, the cart's data) carts, in that order; a cart
    whose latest line is older than ``abandoned_cart_days`` (or with none) is left out."""
    since = say.at(ask.ago(ask.thresholds.abandoned_cart_days))  # once, not once a cart
    carts = []
    for cart_id, shopper_id, data in rows:
        cart = json.loads(data)
        lines = cart.get("lines") or []
        if not lines:
            continue
        last = max(line["added_at"] for line in lines)
        if say.at(last) < since:
            continue
        carts.append((cart_id, shopper_id, cart["channel"], last, [ln["sku"] for ln in lines]))
    stock = available(ask.conn, (sku for c in carts for sku in c[4]))
    result, today = [], ask.today
    for cart_id, shopper_id, channel, last, skus in carts:
        here = [s for s in dict.fromkeys(skus) if stock.get(s, {}).get(ask.store_id, 0) > 0]
        total = len(dict.fromkeys(skus))
        where_left = "in the app" if channel == "app" else "online"
        if total == 1:
            stocked = "in stock here" if here else "not in stock here"
        else:
            stocked = f"{len(here)} of {total} items in stock here"
        days = ask.days_since(last)
        result.append(
            Found(
                shopper_id,
                f"Cart left {where_left} {say.days_ago(days)}: {stocked}",
                last,
                tuple(here) + tuple(s for s in dict.fromkeys(skus) if s not in here),
                _priority(bool(here), days),
                today,
                cart_id,
            )
        )
    return result


def abandoned_carts(ask: Ask) -> list[Found]:
    """Online carts left within ``abandoned_cart_days`` (by their latest line), with how many
    of their items are available here now (queued reservations counted); in no order (the
    caller sorts them; :func:`abandoned_carts_page` is the list in its order).

    Every row at once, or one shopper's: the carts changed since the cutoff, their latest
    line checked in Python while they are read for their words (cheaper, for all of them,
    than SQL reading their lines first: 36 against 49 ms for 1,438 carts)."""
    where, params = ask.clause("shopper_id")
    rows = ask.conn.execute(
        "SELECT id, shopper_id, data FROM carts WHERE status = 'abandoned' AND updated_at >= ?"
        + where,
        [ask.ago(ask.thresholds.abandoned_cart_days), *params],
    ).fetchall()
    return _worded(ask, rows)


def abandoned_carts_count(ask: Ask, memo: CountMemo | None = None) -> int:
    """How many carts :func:`abandoned_carts` finds (no reason worded); with a ``memo``, a
    count remembered while it holds (:mod:`sync.read.outreach_memo`: as time goes on, carts
    only leave the list; it holds until the cutoff passes the earliest counted cart's
    update or latest line)."""
    cutoff = ask.ago(ask.thresholds.abandoned_cart_days)
    remembered, version = key("abandoned_carts", ask), stamps(ask.conn, READS)
    if memo is not None:
        hit = memo.get(remembered, version, cutoff)
        if hit is not None:
            return hit
    where, params = ask.clause("shopper_id")
    count, updated, last = ask.conn.execute(
        # (materialized: each cart's lines are read once, not once per use of ``last``)
        "WITH c AS MATERIALIZED (SELECT updated_at, "
        "(SELECT max(substr(json_extract(l.value, '$.added_at'), 1, 19)) "
        "FROM json_each(carts.data, '$.lines') l) AS last "
        "FROM carts WHERE status = 'abandoned' AND updated_at >= ?"
        + where
        + ") SELECT count(*), min(updated_at), min(last) FROM c WHERE last >= substr(?, 1, 19)",
        [cutoff, *params, cutoff],
    ).fetchone()
    if memo is not None:
        # a later cutoff at or before both keeps every counted cart (and adds none)
        until = min(updated, last) if count else None
        memo.put(remembered, Counted(version, cutoff, until, int(count)))
    return int(count)
