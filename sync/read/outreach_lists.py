"""The six outreach lists as queries over the cache (``sync.read.outreach`` joins them).

Each function takes a :class:`Ask` (the connection, whose clients, the thresholds, now)
and returns :class:`Found` rows: a shopper, the reason in a sentence, when, the SKUs it is
about and a priority (higher: more urgent). Every query starts from an index the
``_v5`` migration of :mod:`sync.schema` made for it, so no list scans every shopper.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sync import clienteling_rules as rules
from sync import overlay, wire
from sync.commands.effects import NewOrder, NewReservation
from sync.read import outreach_words as say
from sync.read.base import chunks, products
from sync.read.client_book import _overlaid as _moved  # the book's assignment overlay
from sync.read.outreach_contact import last_heard_from_us
from sync.read.products import available
from sync.read.reservations import confirmed_view, new_view
from sync.schema import FULFILLED_AT, RESTOCKED_AT

WIRE_TIME = "%Y-%m-%dT%H:%M:%SZ"


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime(WIRE_TIME)


@dataclass(frozen=True)
class Thresholds:
    """The lists' thresholds; the defaults are the shared rules, a device's are its
    settings (:meth:`from_settings`)."""

    abandoned_cart_days: int = rules.ABANDONED_CART_DAYS
    lapsed_days: int = rules.LAPSED_DAYS
    important_date_days: int = rules.IMPORTANT_DATE_LEAD_DAYS
    follow_up_days: int = rules.FOLLOW_UP_AFTER_DAYS
    hold_expiring_hours: int = rules.HOLD_EXPIRING_HOURS

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        """From a ``sync.settings.Settings`` (or anything with the same attributes)."""
        return cls(
            abandoned_cart_days=settings.abandoned_cart_days,
            lapsed_days=settings.lapsed_days,
            important_date_days=settings.important_date_days,
            follow_up_days=settings.follow_up_days,
            hold_expiring_hours=settings.hold_expiring_hours,
        )


@dataclass(frozen=True)
class Ask:
    """One list's question: at ``store_id``, for ``staff_id``'s clients (None: the store's
    book) or for one ``shopper_id``, with these thresholds, at ``now``."""

    conn: sqlite3.Connection
    store_id: str
    thresholds: Thresholds
    now: datetime
    staff_id: str | None = None
    shopper_id: str | None = None

    def clause(self, column: str) -> tuple[str, list[str]]:
        """`` AND column ...`` restricting ``column`` (a shopper id) to whose clients."""
        if self.shopper_id is not None:
            return f" AND {column} = ?", [self.shopper_id]
        if self.staff_id is not None:
            moved = _moved(self.conn, self.store_id)
            if not moved:
                return (
                    f" AND {column} IN (SELECT shopper_id FROM client_assignments "
                    "WHERE store_id = ? AND staff_id = ?)",
                    [self.store_id, self.staff_id],
                )
            # assignments made on this device count at once (the book's overlay)
            gained = [sid for sid, now in moved.items() if now.staff_id == self.staff_id]
            return (
                f" AND ({column} IN (SELECT shopper_id FROM client_assignments "
                "WHERE store_id = ? AND staff_id = ? "
                "AND shopper_id NOT IN (SELECT value FROM json_each(?))) "
                f"OR {column} IN (SELECT value FROM json_each(?)))",
                [self.store_id, self.staff_id, json.dumps(sorted(moved)), json.dumps(gained)],
            )
        return "", []

    def wants(self, shopper_id: str | None) -> bool:
        """Whether a row this device added (not in the tables yet) is for whose clients."""
        if shopper_id is None:
            return False
        where, params = self.clause("id")
        found = self.conn.execute(
            "SELECT 1 FROM shoppers WHERE id = ?" + where, [shopper_id, *params]
        ).fetchone()
        return found is not None

    def days_since(self, ts: str) -> int:
        return max(0, (self.now - say.at(ts)).days)

    def ago(self, days: int) -> str:
        return stamp(self.now - timedelta(days=days))

    @property
    def today(self) -> date:
        return self.now.astimezone().date()


@dataclass(frozen=True)
class Found:
    shopper_id: str
    reason: str
    when: str | None
    skus: tuple[str, ...] = ()
    priority: int = 0
    due_on: date | None = None
    source_id: str | None = None


def _name(found: dict[str, wire.Product], sku: str) -> str:
    product = found.get(sku)
    return product.name if product else sku


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
    for cart_id, shopper_id, data in rows:
        cart = json.loads(data)
        lines = cart.get("lines") or []
        if not lines:
            continue
        last = max(line["added_at"] for line in lines)
        if say.at(last) < say.at(cutoff):
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
                ask.today,
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
    since = ask.ago(rules.BACK_IN_STOCK_DAYS)
    restocked = dict(
        ask.conn.execute(
            f"SELECT sku, {RESTOCKED_AT} FROM inventory WHERE store_id = ? AND {RESTOCKED_AT} >= ?",
            (ask.store_id, since),
        ).fetchall()
    )
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
    where, params = ask.clause("shopper_id")
    items: list[tuple[str, str, str]] = []
    for chunk, marks in chunks(style_skus):
        items += ask.conn.execute(
            f"SELECT id, shopper_id, sku FROM wishlist_items WHERE sku IN ({marks})" + where,
            [*chunk, *params],
        ).fetchall()
    if not items:
        return []
    wished = products(ask.conn, {sku for _, _, sku in items})
    stock = available(ask.conn, wished)
    sizes = _sizes(ask.conn, {sid for _, sid, _ in items})
    heard = last_heard_from_us(ask.conn, {sid for _, sid, _ in items})
    best: dict[str, Found] = {}
    for item_id, shopper_id, sku in items:
        hit = _back_for(ask, sku, wished, stock, back_products, sizes.get(shopper_id, {}))
        if hit is None:
            continue
        sku_back, in_size = hit
        when = restocked[sku_back]
        last = heard.get(shopper_id)
        if last is not None and say.at(when) <= say.at(last):
            continue
        product = back_products[sku_back]
        reason = (
            f"Wishlist item back in stock in their size: {product.name}, {product.size}"
            if in_size
            else f"Wishlist item back in stock here: {product.name}, {product.size}"
        )
        found = Found(
            shopper_id,
            reason,
            when,
            (sku_back,),
            550 + max(0, 30 - ask.days_since(when)),
            ask.today,
            item_id,
        )
        kept = best.get(shopper_id)
        if kept is None or (found.when or "") > (kept.when or ""):
            best[shopper_id] = found
    return list(best.values())


def _back_for(
    ask: Ask,
    sku: str,
    wished: dict[str, wire.Product],
    stock: dict[str, dict[str, int]],
    back: dict[str, wire.Product],
    sizes: dict[str, Any],
) -> tuple[str, bool] | None:
    """(the SKU back here, whether it is another size of the wished style) or None."""
    if sku in back:
        return sku, False
    product = wished.get(sku)
    if product is None or stock.get(sku, {}).get(ask.store_id, 0) > 0:
        return None
    for other in back.values():
        if other.style_id == product.style_id and _their_size(sizes, other):
            return other.sku, True
    return None


def _sizes(conn: sqlite3.Connection, shopper_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk, marks in chunks(shopper_ids):
        for sid, raw in conn.execute(
            f"SELECT id, json_extract(data, '$.sizes') FROM shoppers WHERE id IN ({marks})", chunk
        ):
            found[sid] = json.loads(raw) if raw else {}
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
            reason += f" (last: {_name(names, order[1])}, {bought})"
        bonus = 20 if tier == rules.LAPSED_TIERS[-1] else 0
        result.append(Found(sid, reason, latest, (), 300 + bonus, ask.today))
    return result


# -- important dates -----------------------------------------------------------------------


def _month_days(today: date, days: int) -> list[str]:
    """The ``MM-DD`` keys of the next ``days`` days (today included); 29 February falls on
    the 28th in a year that has none."""
    keys = []
    for n in range(days + 1):
        day = today + timedelta(days=n)
        keys.append(f"{day:%m-%d}")
        if day.month == 2 and day.day == 28 and (day + timedelta(days=1)).month == 3:
            keys.append("02-29")
    return keys


def important_dates(ask: Ask) -> list[Found]:
    """Birthdays and anniversaries in the next ``important_date_days`` (across the year end)."""
    today, lead = ask.today, ask.thresholds.important_date_days
    keys = _month_days(today, lead)
    where, params = ask.clause("shopper_id")
    rows = ask.conn.execute(
        f"SELECT shopper_id, kind, md, year FROM shopper_dates WHERE md IN "
        f"({','.join('?' for _ in keys)})" + where,
        [*keys, *params],
    ).fetchall()
    result = []
    for sid, kind, md, year in rows:
        month, day = (int(part) for part in md.split("-"))
        on = rules.next_occurrence(month, day, today)
        n = (on - today).days
        if n > lead:
            continue
        when = {0: "today", 1: f"tomorrow, {say.day_label(on)}"}.get(n, f"on {say.day_label(on)}")
        what = "Birthday" if kind == "birthday" else "Anniversary"
        reason = f"{what} {when}"
        if year:
            years = on.year - int(year)
            reason += f" (turns {years})" if kind == "birthday" else f" ({years} years)"
        due = today if n <= 3 else on - timedelta(days=3)
        result.append(
            Found(sid, reason, f"{on.isoformat()}T00:00:00Z", (), 700 + lead - n, due, md)
        )
    return result


# -- follow-ups after a purchase -----------------------------------------------------------


def follow_ups(ask: Ask) -> list[Found]:
    """Orders delivered or collected ``follow_up_days`` ago or more (up to
    ``FOLLOW_UP_WINDOW_DAYS``) that nobody followed up since (:func:`last_heard_from_us`)."""
    oldest = ask.ago(rules.FOLLOW_UP_WINDOW_DAYS)
    newest = ask.ago(ask.thresholds.follow_up_days)
    where, params = ask.clause("shopper_id")
    rows = ask.conn.execute(
        f"SELECT id, shopper_id, data, {FULFILLED_AT} FROM orders "
        "WHERE json_extract(data, '$.status') IN ('delivered', 'collected') "
        f"AND {FULFILLED_AT} BETWEEN ? AND ?" + where,
        [oldest, newest, *params],
    ).fetchall()
    heard = last_heard_from_us(ask.conn, {r[1] for r in rows})
    latest: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for order_id, sid, data, fulfilled in rows:
        last = heard.get(sid)
        if last is not None and say.at(last) >= say.at(fulfilled):
            continue
        if sid not in latest or fulfilled > latest[sid][1]:
            latest[sid] = (order_id, fulfilled, json.loads(data))
    names = products(ask.conn, {o[2]["lines"][0]["sku"] for o in latest.values()})
    result = []
    for sid, (order_id, fulfilled, order) in latest.items():
        skus = tuple(dict.fromkeys(line["sku"] for line in order["lines"]))
        first = names.get(skus[0])
        what = f"the {first.name}" if first else "their order"
        if len(skus) > 1:
            what += f" and {say.count(len(skus) - 1, 'other item')}"
        verb = "Collected" if order["status"] == "collected" else "Received"
        ask_about = (
            "ask how it fits"
            if first and first.category != "accessories"
            else ("ask how they like it")
        )
        days = ask.days_since(fulfilled)
        result.append(
            Found(
                sid,
                f"{verb} {what} {say.days_ago(days)}: {ask_about}",
                fulfilled,
                skus,
                500 + min(days, 30),
                ask.today,
                order_id,
            )
        )
    return result


# -- reservations --------------------------------------------------------------------------


def reservations(ask: Ask) -> list[Found]:
    """Reservations here ready and not collected, and holds ending within
    ``hold_expiring_hours``, as this device shows them (one collected here leaves at once)."""
    where, params = ask.clause("r.shopper_id")
    rows = ask.conn.execute(
        "SELECT r.data FROM reservations r WHERE r.store_id = ? "
        "AND r.status IN ('pending', 'ready')" + where,
        [ask.store_id, *params],
    ).fetchall()
    ov = overlay.Overlay(ask.conn, overlay.for_table(ask.conn, "reservations"))
    confirmed = [wire.Reservation.model_validate_json(r[0]) for r in rows]
    created = [
        (a, r)
        for a, r in ov.created("reservations", NewReservation)
        if r.store_id == ask.store_id and ask.wants(r.shopper_id)
    ]
    found = products(ask.conn, {r.sku for r in confirmed} | {r.sku for _, r in created})
    views = [
        (confirmed_view(r, found.get(r.sku), "", lambda s: s, ov), _ready_since(r, ov))
        for r in confirmed
    ] + [(new_view(a, r, found.get(r.sku), "", lambda s: s, ov), None) for a, r in created]
    soon = ask.now + timedelta(hours=ask.thresholds.hold_expiring_hours)
    result = []
    for view, ready_since in views:
        hold = say.at(view.hold_until)
        expiring = hold <= soon
        if view.status not in ("pending", "ready") or (view.status == "pending" and not expiring):
            continue
        ends = say.day_and_time(hold, ask.now)
        hold_text = f"hold ended {ends}" if hold < ask.now else f"hold ends {ends}"
        if view.status == "ready":
            since = ready_since or view.created_at
            days = ask.days_since(since)
            ready = "Ready since today" if days == 0 else f"Ready for {say.count(days, 'day')}"
            reason = f"{ready}, {hold_text}" if expiring else ready
        else:
            reason = f"Not ready yet, {hold_text}"
            since = view.created_at
        item = view.product.name if view.product else view.sku
        hours_left = max(0, int((hold - ask.now).total_seconds() // 3600))
        priority = 900 + max(0, 99 - hours_left) if expiring else 800 + ask.days_since(since)
        result.append(
            Found(
                view.shopper_id,
                f"{reason} ({item})",
                view.hold_until if expiring else since,
                (view.sku,),
                priority,
                ask.today,
                view.id,
            )
        )
    return result


def _ready_since(r: wire.Reservation, ov: overlay.Overlay) -> str | None:
    """When it became ready: marked ready on this device, or its last change to ready."""
    command = ov.status_command("reservations", r.id)
    if command is not None and ov.status("reservations", r.id) == "ready":
        return command.created_at
    for change in reversed(r.changes):
        if change.status == "ready":
            return change.at
    return r.updated_at if r.status == "ready" else None


LISTS = {
    "abandoned_carts": abandoned_carts,
    "back_in_stock": back_in_stock,
    "lapsed": lapsed,
    "important_dates": important_dates,
    "follow_ups": follow_ups,
    "reservations": reservations,
}
