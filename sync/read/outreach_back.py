"""The ``back_in_stock`` outreach list: wishlist items available here again since the
shopper last heard from us (the item itself, or the same style in the shopper's size while
the wished size is still out here), one row a shopper: their latest.

Found in ONE SQL statement (:func:`_hits_sql`) for the store, a book or one shopper: what
Python knows is passed in as JSON (the SKUs restocked here and when, the stock the queued
commands change here, what this tablet noted or followed up), SQL decides "back here",
"in their size" and "since they last heard from us", orders the shoppers as the list does
(priority, then when, then the shopper's name and id) and counts them; only a page's rows
are worded.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sync import clienteling_rules as rules
from sync.read.base import products
from sync.read.outreach_ask import Ask, Found
from sync.read.outreach_contact import heard_since_sql
from sync.read.outreach_memo import Counted, CountMemo, key, stamps
from sync.read.products import available_here_after
from sync.schema import RESTOCKED_AT, SHOPPER_SIZE

SIZE_KEYS = {"footwear": ("shoes",), "apparel": ("tops", "bottoms")}
"""Which of a shopper's sizes a product's category compares (``sizes.<key>`` = its size)."""

READS = (
    "inventory", "products", "wishlist_items", "shoppers", "client_assignments", "outbox",
    "reservations", "notes", "tasks", "support_contacts", "messages",
)  # fmt: skip
"""Every table the count reads (the queued commands' stock and notes: the outbox and the
reservations they may name; "heard from us": notes, tasks, support contacts, messages):
its remembered count holds while none of them is written (:mod:`sync.read.outreach_memo`;
``tests/sync/test_outreach_stamps.py`` checks the list against what SQLite reads)."""

LATEST_READS = ("inventory", "products", "wishlist_items", "shoppers", "client_assignments")
"""The tables each shopper's latest wished item back (``y`` of :func:`_latest_sql`)
reads, besides its parameters (the restocks, the stock queued, the book queued)."""


def _name(row: str) -> str:
    """The name of the shopper ``row.sid`` (``s``: their shoppers row), or their id."""
    return f"coalesce(s.first_name || ' ' || s.last_name, {row}.sid)"


def _in_their_size(shopper: str, product: str) -> str:
    """An SQL condition: ``product`` (an alias with ``cat`` and ``size``) is in the size of
    the shopper whose id is ``shopper`` by :data:`SIZE_KEYS` (a lookup in the shoppers'
    size indexes, no shopper's data read)."""

    def wears(key: str) -> str:
        size = SHOPPER_SIZE.format(key=key).replace("(data,", "(z.data,")
        return (
            f"EXISTS (SELECT 1 FROM shoppers z INDEXED BY idx_shoppers_size_{key} "
            f"WHERE {size} = {product}.size AND z.id = {shopper})"
        )

    return (
        "("
        + " OR ".join(
            f"({product}.cat = '{cat}' AND ({' OR '.join(wears(k) for k in keys)}))"
            for cat, keys in SIZE_KEYS.items()
        )
        + ")"
    )


def _latest_sql(ask: Ask, restocked: dict[str, str]) -> tuple[str, list[Any]]:
    """``WITH ... y AS (...), ``: each shopper with a wished item back here, ``y.sid`` and
    ``y.at`` (when their latest came back), whether or not they heard from us since; ``x``
    holds every wished item back (``sid, item, wished, sku, in_size, at``). And its
    parameters: with the tables of :data:`LATEST_READS`, all ``y`` depends on."""
    where, params = ask.book_clause("w.shopper_id")
    # stock here after the queued commands, for the SKUs they change
    after = available_here_after(ask.conn, ask.store_id)
    sql = (
        "WITH r AS MATERIALIZED (SELECT key AS sku, value AS at FROM json_each(?)), "
        "d AS (SELECT key AS sku, value AS n FROM json_each(?)), "
        # the styles restocked here: every size of them, with the stock here now
        "st AS MATERIALIZED (SELECT p.id AS sku, p.style_id AS style, "
        "json_extract(p.data, '$.category') AS cat, json_extract(p.data, '$.size') AS size, "
        "coalesce((SELECT d.n FROM d WHERE d.sku = p.id), (SELECT i.available FROM inventory i "
        "WHERE i.sku = p.id AND i.store_id = ?), 0) AS n "
        "FROM products p WHERE p.style_id IN (SELECT q.style_id FROM products q "
        "WHERE q.id IN (SELECT sku FROM r))), "
        # back here: restocked and available now
        "b AS MATERIALIZED (SELECT st.*, r.at FROM st JOIN r ON r.sku = st.sku "
        "WHERE st.n != 0), "
        # a wished size out here: the first size of its style back in the shopper's size
        "q AS MATERIALIZED (SELECT w.shopper_id AS sid, w.id AS item, w.sku AS wished, "
        "(SELECT min(b.sku) FROM b WHERE b.style = o.style AND "
        + _in_their_size("w.shopper_id", "b")
        + ") AS sku FROM st o JOIN wishlist_items w ON w.sku = o.sku"
        + where
        + " WHERE o.n <= 0 AND o.sku NOT IN (SELECT sku FROM b) "
        "AND o.style IN (SELECT style FROM b)), "
        # each wished item back (``at``: when): itself, or another size (``in_size``)
        "x AS MATERIALIZED (SELECT w.shopper_id AS sid, w.id AS item, w.sku AS wished, "
        "b.sku AS sku, 0 AS in_size, b.at AS at "
        "FROM b JOIN wishlist_items w ON w.sku = b.sku" + where + " "
        "UNION ALL SELECT q.sid, q.item, q.wished, q.sku, 1, b.at FROM q JOIN b ON b.sku = q.sku), "
        # each shopper's latest
        "y AS (SELECT sid, max(at) AS at FROM x GROUP BY sid), "
    )
    return sql, [
        json.dumps(restocked),
        json.dumps(after),
        ask.store_id,
        *params,  # q
        *params,  # x
    ]


def _shoppers_sql(ask: Ask, restocked: dict[str, str]) -> tuple[str, list[Any]]:
    """``WITH ... h AS (...)``: the shoppers on the list, ``h.sid`` and ``h.at`` (when
    their latest wishlist item came back here, after they last heard from us): ``y`` of
    :func:`_latest_sql` but those who heard from us since. And its parameters."""
    sql, params = _latest_sql(ask, restocked)
    heard, here = heard_since_sql(ask.conn, "y.sid", "y.at")
    return sql + f"h AS (SELECT y.sid, y.at FROM y WHERE NOT {heard}) ", [*params, *here]


def back_in_stock_page(
    ask: Ask, limit: int | None, offset: int = 0, memo: CountMemo | None = None
) -> tuple[list[Found], int]:
    """A page of the list in its order (priority, when, the shopper's name and id; all of
    it for ``limit`` None) and the list's total: only the page's shoppers' names are read
    (those up to its last priority and time: ties on it are ordered by name) and only the
    page is worded. With a ``memo`` holding each shopper's latest item back (its count
    read it, and it still holds), the page is ranked from it and only the page's
    shoppers' wished items are read (:func:`_page_from_latest`)."""
    restocked = _restocked(ask, ask.ago(rules.BACK_IN_STOCK_DAYS))
    if not restocked:
        return [], 0
    # each restock's priority once (it grows as the restock is recent)
    priority = {when: 550 + max(0, 30 - ask.days_since(when)) for when in restocked.values()}
    latest = None
    if memo is not None and limit is not None:
        latest = memo.latest(key("back_in_stock", ask), _latest_inputs(ask, restocked))
    if latest is not None and limit is not None:
        rows = _page_from_latest(ask, restocked, latest, priority, limit, offset)
    else:
        rows = _page_whole(ask, restocked, priority, limit, offset)
    total = int(rows[0][0]) if rows else (back_in_stock_count(ask) if offset else 0)
    named = products(ask.conn, {r[3] for r in rows})
    found, today = [], ask.today
    for _, shopper_id, item_id, sku, in_size, when, rank, _ in rows:
        product = named[sku]
        reason = (
            f"Wishlist item back in stock in their size: {product.name}, {product.size}"
            if in_size
            else f"Wishlist item back in stock here: {product.name}, {product.size}"
        )
        found.append(Found(shopper_id, reason, when, (sku,), int(rank), today, item_id))
    return found, total


Row = tuple[Any, ...]
"""(the list's total, shopper id, wishlist item id, SKU back, in their size, when, the
priority, the shopper's name): a page's row, in the page's order."""

_ONE = (
    # the item each stands for: their latest (ties: the first wished SKU, then item)
    "one AS (SELECT x.sid, x.item, x.sku, x.in_size, x.at, row_number() OVER "
    "(PARTITION BY x.sid ORDER BY x.at DESC, x.wished, x.item) AS k FROM x{where}) "
)


def _page_from_latest(
    ask: Ask,
    restocked: dict[str, str],
    latest: str,
    priority: dict[str, int],
    limit: int,
    offset: int,
) -> list[Row]:
    """A page ranked from each shopper's latest item back remembered (``latest``: ``y`` as
    JSON, :func:`_counted_from_latest`), less those who heard from us since; then only the
    page's shoppers' wished items are read (``x`` for them alone: the same rows as the
    whole ``x`` has for them, each wished item being decided on its own)."""
    heard, here = heard_since_sql(ask.conn, "y.sid", "y.at")
    total, ids = ask.conn.execute(
        "WITH y AS MATERIALIZED (SELECT key AS sid, value AS at FROM json_each(?)), "
        f"h AS MATERIALIZED (SELECT y.sid, y.at FROM y WHERE NOT {heard}), "
        # each one's priority from their restock's time: the whole days of ``days_since``
        # (a join with the map ``pr`` here scans it once per shopper)
        "p AS MATERIALIZED (SELECT h.sid, h.at, 550 + max(0, 30 - "
        "max(0, (? - unixepoch(substr(h.at, 1, 19))) / 86400)) AS priority FROM h), "
        + _PAGE.rstrip(", ")
        + " SELECT (SELECT count(*) FROM p), (SELECT json_group_array(sid) FROM page)",
        [latest, *here, int(ask.now.timestamp()), max(0, offset + limit - 1), limit, offset],
    ).fetchone()
    page = json.loads(ids)
    if not page:
        return []
    sql, params = _latest_sql(replace(ask, shopper_ids=tuple(page)), restocked)
    rows = ask.conn.execute(
        sql
        + "pr AS MATERIALIZED (SELECT key AS at, value AS priority FROM json_each(?)), "
        + _ONE.format(where="")
        + f"SELECT ?, one.sid, one.item, one.sku, one.in_size, one.at, pr.priority, "
        f"{_name('one')} AS name FROM one JOIN pr ON pr.at = one.at "
        "LEFT JOIN shoppers s ON s.id = one.sid "
        "WHERE k = 1 ORDER BY pr.priority DESC, one.at, name, one.sid",
        [*params, json.dumps(priority), total],
    ).fetchall()
    return [tuple(r) for r in rows]


_RANKED = (
    "pr AS MATERIALIZED (SELECT key AS at, value AS priority FROM json_each(?)), "
    "p AS MATERIALIZED (SELECT h.sid, h.at, pr.priority FROM h JOIN pr ON pr.at = h.at), "
)
"""The shoppers of ``h`` with their priority (``p``), from the JSON map ``pr``."""

_PAGE = (
    "cut AS MATERIALIZED (SELECT priority, at FROM p ORDER BY priority DESC, at "
    "LIMIT 1 OFFSET ?), "
    f"page AS MATERIALIZED (SELECT p.*, {_name('p')} AS name "
    "FROM p LEFT JOIN shoppers s ON s.id = p.sid "
    "WHERE NOT EXISTS (SELECT 1 FROM cut) OR p.priority > (SELECT priority FROM cut) "
    "OR (p.priority = (SELECT priority FROM cut) AND p.at <= (SELECT at FROM cut)) "
    "ORDER BY p.priority DESC, p.at, name, p.sid LIMIT ? OFFSET ?), "
)
"""A page of the shoppers of ``p`` ranked (``page``): only those up to the page's last
(priority, when) named."""


def _page_whole(
    ask: Ask, restocked: dict[str, str], priority: dict[str, int], limit: int | None, offset: int
) -> list[Row]:
    """A page found in one statement from the cache (every wished item back decided)."""
    sql, params = _shoppers_sql(ask, restocked)
    last = _ALL if limit is None else offset + limit - 1
    rows = ask.conn.execute(
        sql
        + ", "
        + _RANKED
        + _PAGE
        + _ONE.format(where=" WHERE x.sid IN (SELECT sid FROM page)")
        + "SELECT (SELECT count(*) FROM p), one.sid, one.item, one.sku, one.in_size, one.at, "
        f"pr.priority, {_name('one')} AS name FROM one JOIN pr ON pr.at = one.at "
        "LEFT JOIN shoppers s ON s.id = one.sid "
        "WHERE k = 1 ORDER BY pr.priority DESC, one.at, name, one.sid",
        [*params, json.dumps(priority), max(0, last), -1 if limit is None else limit, offset],
    ).fetchall()
    return [tuple(r) for r in rows]


_ALL = 1 << 62
"""An offset past any list: no cut, every shopper's name is read."""


def back_in_stock(ask: Ask) -> list[Found]:
    """Wishlist items available here again since the shopper last heard from us: the item
    itself, or the same style in the shopper's size when the wished size is still out."""
    return back_in_stock_page(ask, None)[0]


def back_in_stock_count(ask: Ask, memo: CountMemo | None = None) -> int:
    """How many shoppers :func:`back_in_stock` finds (no reason worded); with a ``memo``, a
    count remembered while it holds (:mod:`sync.read.outreach_memo`), and otherwise each
    shopper's latest item back remembered while it holds (the tables of
    :data:`LATEST_READS` not written, the same restocks, stock queued and book): then only
    "heard from us since" is read again (a note, a task, a message, a contact, a command
    queued that changes no stock here)."""
    since = ask.ago(rules.BACK_IN_STOCK_DAYS)
    remembered, version = key("back_in_stock", ask), stamps(ask.conn, READS)
    if memo is not None:
        hit = memo.get(remembered, version, since)
        if hit is not None:
            return hit
    restocked = _restocked(ask, since)
    count = 0
    if restocked and memo is None:
        sql, params = _shoppers_sql(ask, restocked)
        count = int(ask.conn.execute(sql + " SELECT count(*) FROM h", params).fetchone()[0])
    elif restocked and memo is not None:
        count = _counted_from_latest(ask, restocked, memo)
    if memo is not None:
        until = min(restocked.values()) if restocked else None
        memo.put(remembered, Counted(version, since, until, count))
    return count


def _counted_from_latest(ask: Ask, restocked: dict[str, str], memo: CountMemo) -> int:
    """The count, from each shopper's latest item back (``y``) remembered while its inputs
    are the same, or read with it (and remembered: ``y`` as JSON)."""
    sql, params = _latest_sql(ask, restocked)
    heard, here = heard_since_sql(ask.conn, "y.sid", "y.at")
    remembered, inputs = key("back_in_stock", ask), _latest_inputs(ask, restocked)
    latest = memo.latest(remembered, inputs)
    if latest is not None:
        found = ask.conn.execute(
            "WITH y AS (SELECT key AS sid, value AS at FROM json_each(?)), "
            f"h AS (SELECT y.sid FROM y WHERE NOT {heard}) SELECT count(*) FROM h",
            [latest, *here],
        ).fetchone()
        return int(found[0])
    count, latest = ask.conn.execute(
        sql + f"h AS MATERIALIZED (SELECT y.sid, y.at, NOT {heard} AS fresh FROM y) "
        "SELECT (SELECT count(*) FROM h WHERE fresh), json_group_object(h.sid, h.at) FROM h",
        [*params, *here],
    ).fetchone()
    memo.put_latest(remembered, inputs, str(latest))
    return int(count)


def _latest_inputs(ask: Ask, restocked: dict[str, str]) -> tuple[object, ...]:
    """All each shopper's latest item back depends on (see :func:`_counted_from_latest`)."""
    return (stamps(ask.conn, LATEST_READS), *_latest_sql(ask, restocked)[1])


def _restocked(ask: Ask, since: str) -> dict[str, str]:
    """sku -> when it came back in stock here (since ``since``): the store's restocks, or for
    one shopper only the SKUs of the styles on their wishlist (never a store-wide read)."""
    if ask.shopper_id is None:
        sql = (
            f"SELECT sku, {RESTOCKED_AT} FROM inventory WHERE store_id = ? AND {RESTOCKED_AT} >= ?"
        )
        return dict(ask.conn.execute(sql, (ask.store_id, since)).fetchall())
    at = RESTOCKED_AT.replace("(data,", "(i.data,")
    return dict(
        ask.conn.execute(
            f"SELECT i.sku, {at} FROM wishlist_items w JOIN products s ON s.id = w.sku "
            "JOIN products p ON p.style_id = s.style_id "
            "JOIN inventory i ON i.sku = p.id AND i.store_id = ? "
            f"WHERE w.shopper_id = ? AND {at} >= ?",
            (ask.store_id, ask.shopper_id, since),
        ).fetchall()
    )
