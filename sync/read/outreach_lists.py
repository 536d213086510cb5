"""Outreach lists about what the shopper did or wished for: abandoned online carts, wishlist
items back in stock, lapsed good clients (``sync.read.outreach`` joins them; the lists
about dates are in :mod:`sync.read.outreach_due`).

Each takes an :class:`~sync.read.outreach_ask.Ask` and returns
:class:`~sync.read.outreach_ask.Found` rows. Every query starts from an index the ``_v5``
migration of :mod:`sync.schema` made for it, so no list scans every shopper.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from sync import clienteling_rules as rules
from sync import overlay, wire
from sync.commands.effects import NewOrder
from sync.read import outreach_words as say
from sync.read.base import chunks, products
from sync.read.outreach_ask import Ask, Found, product_name
from sync.read.outreach_contact import last_heard_from_us
from sync.read.products import available
from sync.schema import RESTOCKED_AT

# -- abandoned carts -----------------------------------------------------------------------


def abandoned_carts(ask: Ask) -> list[Found]:
    """Online carts left within ``abandoned_cart_days`` (by their latest line), with how many
    of their items are available here now (queued reservations counted)."""
    cutoff = ask.ago(ask.thresholds.abandoned_cart_days)
    where, params = ask.clause("shopper_id")
    # a cart's updated_at is never before its latest line's added_at: a cheap index range
    rows = ask.conn.execute(
        "SELECT id, shopper_id, data FROM carts WHERE status = 'abandoned' AND updated_at >= ?"
        + where,
        [cutoff, *params],
    ).fetchall()
    carts = []
    since, today = say.at(cutoff), ask.today  # once, not once a cart
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
    result = []
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
                600 + (50 if here else 0) + max(0, 30 - days),
                today,
                cart_id,
            )
        )
    return result


# -- back in stock -------------------------------------------------------------------------

_SIZE_KEYS = {"footwear": ("shoes",), "apparel": ("tops", "bottoms")}


def _their_size(sizes: dict[str, Any], product: wire.Product) -> bool:
    keys = _SIZE_KEYS.get(product.category, ())
    return any(sizes.get(k) == product.size for k in keys)


def back_in_stock(ask: Ask) -> list[Found]:
    """Wishlist items available here again since the shopper last heard from us: the item
    itself, or the same style in the shopper's size when the wished size is still out."""
    return [back_found(ask, hit) for hit in back_hits(ask)]


def back_in_stock_count(ask: Ask) -> int:
    """How many shoppers :func:`back_in_stock` finds (no reason worded)."""
    return len(back_hits(ask))


BackHit = tuple[str, str, wire.Product, bool, str]
"""One shopper's wishlist item back: (shopper id, item id, the product back here, whether
it is another size of the wished style, when it came back)."""


def back_priority(ask: Ask, hit: BackHit) -> int:
    return 550 + max(0, 30 - ask.days_since(hit[4]))


def back_found(ask: Ask, hit: BackHit) -> Found:
    """The list's row of a :data:`BackHit`, worded."""
    shopper_id, item_id, product, in_size, when = hit
    reason = (
        f"Wishlist item back in stock in their size: {product.name}, {product.size}"
        if in_size
        else f"Wishlist item back in stock here: {product.name}, {product.size}"
    )
    return Found(
        shopper_id,
        reason,
        when,
        (product.sku,),
        back_priority(ask, hit),
        ask.today,
        item_id,
    )


def back_in_stock_page(ask: Ask, limit: int, offset: int) -> tuple[list[Found], int]:
    """A page of :func:`back_in_stock` in the list's order (priority, when, the shopper's
    name and id) and the list's total: every shopper is found, only the page is worded."""
    hits = back_hits(ask)
    names = dict(
        ask.conn.execute(
            "SELECT id, first_name || ' ' || last_name FROM shoppers "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([h[0] for h in hits]),),
        ).fetchall()
    )
    # many shoppers share a restock: each restock's priority once
    priority = {h[4]: back_priority(ask, h) for h in hits}
    hits.sort(key=lambda h: (-priority[h[4]], h[4] or "", names.get(h[0], h[0]), h[0]))
    return [back_found(ask, h) for h in hits[offset : offset + limit]], len(hits)


def back_hits(ask: Ask) -> list[BackHit]:
    """Each shopper's latest wishlist item back here since they last heard from us."""
    restocked = _restocked(ask, ask.ago(rules.BACK_IN_STOCK_DAYS))
    if not restocked:
        return []
    back = {s for s, per in available(ask.conn, restocked).items() if per.get(ask.store_id, 0)}
    back_products = products(ask.conn, back)
    styles = {p.style_id for p in back_products.values()}
    style_skus: list[str] = []
    for chunk, marks in chunks(styles):
        style_skus += [
            r[0]
            for r in ask.conn.execute(f"SELECT id FROM products WHERE style_id IN ({marks})", chunk)
        ]
    # a wished SKU is back itself, or another size of it is while it is out here: only
    # those SKUs' wishlist items can be on the list
    stock = available(ask.conn, style_skus)
    wanted = [s for s in style_skus if s in back or stock.get(s, {}).get(ask.store_id, 0) <= 0]
    where, params = ask.book_clause("shopper_id")
    items: list[tuple[str, str, str]] = []
    for chunk, marks in chunks(wanted):
        items += ask.conn.execute(
            f"SELECT id, shopper_id, sku FROM wishlist_items WHERE sku IN ({marks})" + where,
            [*chunk, *params],
        ).fetchall()
    if not items:
        return []
    wished = products(ask.conn, {sku for _, _, sku in items})
    by_style: dict[str, list[wire.Product]] = {}
    for product in back_products.values():
        by_style.setdefault(product.style_id, []).append(product)
    # only a wished size still out here asks for the shopper's sizes
    out = {
        sku
        for sku, p in wished.items()
        if sku not in back_products and p.style_id in by_style
        if stock.get(sku, {}).get(ask.store_id, 0) <= 0
    }
    sizes = _sizes(ask.conn, {sid for _, sid, sku in items if sku in out})
    hits = []
    for item_id, shopper_id, sku in items:
        hit = _back_for(ask, sku, wished, stock, by_style, sizes.get(shopper_id, {}))
        if hit is not None:
            hits.append((item_id, shopper_id, *hit))
    heard = last_heard_from_us(ask.conn, {sid for _, sid, _, _ in hits})
    best: dict[str, BackHit] = {}
    back_at = {sku: say.at(when) for sku, when in restocked.items()}
    for item_id, shopper_id, sku_back, in_size in hits:
        when = restocked[sku_back]
        last = heard.get(shopper_id)
        if last is not None and back_at[sku_back] <= say.at(last):
            continue
        kept = best.get(shopper_id)
        if kept is None or (when or "") > (kept[4] or ""):
            best[shopper_id] = (shopper_id, item_id, back_products[sku_back], in_size, when)
    return list(best.values())


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


def _back_for(
    ask: Ask,
    sku: str,
    wished: dict[str, wire.Product],
    stock: dict[str, dict[str, int]],
    back: dict[str, list[wire.Product]],
    sizes: dict[str, Any],
) -> tuple[str, bool] | None:
    """(the SKU back here, whether it is another size of the wished style) or None;
    ``back``: the products back here by style."""
    product = wished.get(sku)
    if product is not None and any(p.sku == sku for p in back.get(product.style_id, ())):
        return sku, False
    if product is None or stock.get(sku, {}).get(ask.store_id, 0) > 0:
        return None
    for other in back.get(product.style_id, ()):
        if _their_size(sizes, other):
            return other.sku, True
    return None


def _sizes(conn: sqlite3.Connection, shopper_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """shopper id -> their sizes of the kinds :data:`_SIZE_KEYS` compares (SQL reads just
    those, not the whole of every shopper's sizes)."""
    keys = sorted({k for ks in _SIZE_KEYS.values() for k in ks})
    cols = ", ".join(f"json_extract(data, '$.sizes.{k}')" for k in keys)
    found: dict[str, dict[str, Any]] = {}
    for chunk, marks in chunks(shopper_ids):
        for sid, *values in conn.execute(
            f"SELECT id, {cols} FROM shoppers WHERE id IN ({marks})", chunk
        ):
            found[sid] = dict(zip(keys, values, strict=True))
    return found


# -- lapsed good clients -------------------------------------------------------------------


def lapsed(ask: Ask) -> list[Found]:
    """Clients of the top tiers with no visit and no order for ``lapsed_days`` (or ever)."""
    cutoff = ask.ago(ask.thresholds.lapsed_days)
    tiers = rules.LAPSED_TIERS
    where, params = ask.clause("id")
    candidates = {
        sid: (tier, visit)
        for sid, tier, visit in ask.conn.execute(
            f"SELECT id, tier, last_visit_at FROM shoppers WHERE tier IN "
            f"({','.join('?' for _ in tiers)}) "
            "AND (last_visit_at IS NULL OR last_visit_at < ?)" + where,
            [*tiers, cutoff, *params],
        )
    }
    ordered_here = {
        a.shopper_id
        for a, _ in overlay.Overlay(ask.conn, overlay.for_table(ask.conn, "orders")).created(
            "orders", NewOrder
        )
    }
    last_orders: dict[str, tuple[str, str | None]] = {}
    for chunk, marks in chunks(s for s in candidates if s not in ordered_here):
        # SQLite takes the bare column from the row holding max(created_at)
        for sid, created, sku in ask.conn.execute(
            f"SELECT shopper_id, max(created_at), json_extract(data, '$.lines[0].sku') "
            f"FROM orders WHERE shopper_id IN ({marks}) GROUP BY shopper_id",
            chunk,
        ):
            last_orders[sid] = (created, sku)
    names = products(ask.conn, {sku for _, sku in last_orders.values() if sku})
    result = []
    for sid, (tier, visit) in candidates.items():
        if sid in ordered_here:
            continue
        order = last_orders.get(sid)
        if order is not None and order[0] >= cutoff:
            continue
        latest = max(filter(None, (visit, order[0] if order else None)), default=None)
        label = f"{tier.capitalize()} client"
        if latest is None:
            reason = f"{label}, no visit or order yet"
        else:
            reason = f"{label}, no visit or order for {say.span(ask.days_since(latest))}"
        if order is not None and order[1]:
            bought = say.month(say.at(order[0]), ask.now)
            reason += f" (last: {product_name(names, order[1])}, {bought})"
        bonus = 20 if tier == rules.LAPSED_TIERS[-1] else 0
        result.append(Found(sid, reason, latest, (), 300 + bonus, ask.today))
    return result
