"""What the store's KPIs are computed from: the cache's confirmed rows of one store and one
period, loaded once (:func:`load`) into plain lists that :mod:`sync.read.kpi_figures`
counts. Figures are as of the last sync: what central confirmed, not what waits in the
outbox (a queued reservation is not yet a reservation the store can count on).

Each query is bounded by the store or the period; channel adoption alone reads the whole
book (the store's home shoppers) once. Which reservations, endless-aisle orders and returns
count is said by pure functions (:func:`counted_reservations`, :func:`endless_aisle_orders`,
:func:`taken_back`) that central's chain comparison applies to its own rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sync import wire
from sync.read.base import chunks, shopper_names
from sync.read.kpi_types import Period
from sync.rules.attribution import ONLINE_CHANNELS

MESSAGE_TOUCHES = frozenset({"message", "shared_cart", "pay_link"})
"""Touch kinds that are a message sent (what ``message_sales`` credits)."""
SENT = frozenset({"sent", "delivered"})
"""Message states that reached the provider (queued and failed ones are not sent)."""
DEFAULT_ATTRIBUTION_DAYS = 14


def local_day(ts: str, zone: tzinfo) -> date:
    """The store's local day of a wire timestamp."""
    return wire.parse_ts(ts).astimezone(zone).date()


def status_at(r: wire.Reservation, status: str) -> str | None:
    """When a reservation reached ``status`` (its last change to it), None if it never did."""
    times = [c.at for c in r.changes if c.status == status]
    if times:
        return max(times)
    if r.status != status:
        return None
    return r.hold_until if status == "expired" else r.updated_at


def ended_as(f: Facts, status: str) -> list[tuple[wire.Reservation, str]]:
    """The reservations that are now ``status`` (collected, expired) and got there in the
    period, with when."""
    found = []
    for r in f.reservations:
        at = status_at(r, status)
        if r.status == status and at is not None and f.within(at):
            found.append((r, at))
    return found


@dataclass
class Facts:
    """The rows of one store and one period that the figures count."""

    store_id: str
    period: Period
    zone: tzinfo
    start: str  # the period as wire timestamps: [start, end)
    end: str
    reservations: list[wire.Reservation] = field(default_factory=list)  # created or ended in it
    endless_aisle: list[wire.Order] = field(default_factory=list)  # placed here for delivery
    messages: list[wire.Message] = field(default_factory=list)  # sent from here in it
    pay_orders: dict[str, wire.Order] = field(default_factory=dict)  # the links' orders
    recovered: list[tuple[wire.Cart, wire.Touch]] = field(default_factory=list)
    credits: list[wire.Credit] = field(default_factory=list)  # online orders credited here
    touched: dict[str, str] = field(default_factory=dict)  # shopper -> first touch here
    touched_bought: dict[str, wire.Order] = field(default_factory=dict)  # first online order
    book_size: int = 0
    adoption: dict[str, dict[str, str]] = field(default_factory=dict)  # shopper -> channel -> first
    returns: list[wire.Return] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # shopper id -> name
    products: dict[str, str] = field(default_factory=dict)  # sku -> product name

    def day(self, ts: str) -> date:
        return local_day(ts, self.zone)

    def within(self, ts: str | None) -> bool:
        return ts is not None and self.start <= ts < self.end


def _rows(conn: sqlite3.Connection, sql: str, args: tuple[object, ...]) -> list[str]:
    return [r[0] for r in conn.execute(sql, args)]


def _attribution_days(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT data FROM policies ORDER BY id LIMIT 1").fetchone()
    if row is None:
        return DEFAULT_ATTRIBUTION_DAYS
    return wire.Policy.model_validate_json(row[0]).attribution_days


def _shift(ts: str, days: int) -> str:
    moment: datetime = wire.parse_ts(ts) - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def facts(store_id: str, period: Period, zone: tzinfo) -> Facts:
    """Empty facts of ``store_id`` in ``period``: ``load`` (or some of its steps) fills them."""
    start, end = period.utc_bounds()
    return Facts(store_id, period, zone, start, end)


def load(conn: sqlite3.Connection, store_id: str, period: Period, zone: tzinfo) -> Facts:
    """The facts of ``store_id`` in ``period`` (one read snapshot: ``conn``)."""
    f = facts(store_id, period, zone)
    for step in (
        reservations,
        endless_aisle,
        messages,
        _carts,
        _credits,
        _cross_channel,
        _adoption,
        _returns,
        names,
    ):
        step(conn, f)
    return f


def counted_reservations(f: Facts, rows: Iterable[wire.Reservation]) -> list[wire.Reservation]:
    """Of the store's reservations, those created, collected or expired in the period."""
    return [
        r
        for r in rows
        if r.store_id == f.store_id
        and (
            f.within(r.created_at)
            or f.within(status_at(r, "collected"))
            or f.within(status_at(r, "expired"))
        )
    ]


def endless_aisle_orders(f: Facts, rows: Iterable[wire.Order]) -> list[wire.Order]:
    """Of orders, those placed in this store in the period for delivery (to home or to a
    store), not cancelled: the endless aisle."""
    return [
        o
        for o in rows
        if o.channel == "store"
        and o.store_id == f.store_id
        and f.within(o.created_at)
        and o.fulfilment.type != "carry_out"
        and o.status != "cancelled"
    ]


def taken_back(f: Facts, rows: Iterable[wire.Return]) -> list[wire.Return]:
    """Of returns, those taken back in this store in the period."""
    return [r for r in rows if r.store_id == f.store_id and f.within(r.created_at)]


def reservations(conn: sqlite3.Connection, f: Facts) -> None:
    """The store's reservations created, collected or expired in the period."""
    f.reservations = counted_reservations(
        f,
        map(
            wire.Reservation.model_validate_json,
            _rows(
                conn,
                "SELECT data FROM reservations WHERE store_id = ? "
                "AND (created_at >= ? OR updated_at >= ?) AND created_at < ?",
                (f.store_id, f.start, f.start, f.end),
            ),
        ),
    )


def endless_aisle(conn: sqlite3.Connection, f: Facts) -> None:
    """Orders placed in this store in the period for delivery, not cancelled."""
    f.endless_aisle = endless_aisle_orders(
        f,
        map(
            wire.Order.model_validate_json,
            _rows(
                conn,
                # narrowing only (carried-out sales are most of a store's orders and need
                # not be parsed): which orders count is endless_aisle_orders' to say
                "SELECT data FROM orders WHERE store_id = ? AND created_at >= ? "
                "AND created_at < ? AND json_extract(data, '$.fulfilment.type') != 'carry_out'",
                (f.store_id, f.start, f.end),
            ),
        ),
    )


def messages(conn: sqlite3.Connection, f: Facts) -> None:
    """Messages sent from this store in the period, and the orders of their pay links."""
    f.messages = [
        m
        for m in map(
            wire.Message.model_validate_json,
            _rows(
                conn,
                "SELECT data FROM messages WHERE store_id = ? AND created_at >= ? "
                "AND created_at < ?",
                (f.store_id, f.start, f.end),
            ),
        )
        if m.direction == "out" and m.status in SENT
    ]
    pay_ids = {m.attachments.pay_order_id for m in f.messages if m.attachments.pay_order_id}
    for chunk, marks in chunks(i for i in pay_ids if i):
        for raw in _rows(conn, f"SELECT data FROM orders WHERE id IN ({marks})", tuple(chunk)):
            order = wire.Order.model_validate_json(raw)
            f.pay_orders[order.id] = order


def _credits(conn: sqlite3.Connection, f: Facts) -> None:
    f.credits = [
        wire.Credit.model_validate_json(raw)
        for raw in _rows(
            conn,
            "SELECT data FROM credits WHERE store_id = ? AND ordered_at >= ? AND ordered_at < ?",
            (f.store_id, f.start, f.end),
        )
    ]


def _returns(conn: sqlite3.Connection, f: Facts) -> None:
    f.returns = taken_back(
        f,
        map(
            wire.Return.model_validate_json,
            _rows(
                conn,
                "SELECT data FROM returns WHERE store_id = ? AND created_at >= ? "
                "AND created_at < ?",
                (f.store_id, f.start, f.end),
            ),
        ),
    )


def names(conn: sqlite3.Connection, f: Facts) -> None:
    """The names of the shoppers and products the facts mention."""
    people = {r.shopper_id for r in f.reservations} | {o.shopper_id for o in f.endless_aisle}
    people |= {m.shopper_id for m in f.messages} | {c.shopper_id for c, _ in f.recovered}
    people |= {c.shopper_id for c in f.credits} | set(f.touched) | {r.shopper_id for r in f.returns}
    people |= {s for s, seen in f.adoption.items() if len(seen) >= 2}
    f.names = shopper_names(conn, people)
    skus = {r.sku for r in f.reservations}
    for chunk, marks in chunks(skus):
        for sku, name in conn.execute(
            f"SELECT sku, name FROM products WHERE sku IN ({marks})", chunk
        ):
            f.products[sku] = name


def _touches(conn: sqlite3.Connection, f: Facts, shoppers: list[str]) -> list[wire.Touch]:
    found: list[wire.Touch] = []
    for chunk, marks in chunks(shoppers):
        found += [
            t
            for t in map(
                wire.Touch.model_validate_json,
                _rows(
                    conn,
                    f"SELECT data FROM touches WHERE shopper_id IN ({marks}) AND store_id = ?",
                    (*chunk, f.store_id),
                ),
            )
        ]
    return found


def _carts(conn: sqlite3.Connection, f: Facts) -> None:
    """Carts that converted in the period after a touch from this store within the
    attribution window before (the touch kept: the latest before the conversion)."""
    window = _attribution_days(conn)
    carts = [
        wire.Cart.model_validate_json(raw)
        for raw in _rows(
            conn,
            "SELECT data FROM carts WHERE status = 'converted' AND updated_at >= ? "
            "AND updated_at < ?",
            (f.start, f.end),
        )
    ]
    by_shopper: dict[str, list[wire.Touch]] = defaultdict(list)
    for t in _touches(conn, f, [c.shopper_id for c in carts]):
        by_shopper[t.shopper_id].append(t)
    for cart in carts:
        since = _shift(cart.updated_at, window)
        before = [t for t in by_shopper[cart.shopper_id] if since <= t.at <= cart.updated_at]
        if before:
            f.recovered.append((cart, max(before, key=lambda t: t.at)))


def _cross_channel(conn: sqlite3.Connection, f: Facts) -> None:
    """Shoppers touched here in the period, and the first web or app order each placed
    after their first touch and before the period's end."""
    for shopper_id, first in conn.execute(
        "SELECT shopper_id, MIN(at) FROM touches WHERE store_id = ? AND at >= ? AND at < ? "
        "GROUP BY shopper_id",
        (f.store_id, f.start, f.end),
    ):
        f.touched[shopper_id] = first
    for chunk, marks in chunks(f.touched):
        for raw in _rows(
            conn,
            f"SELECT data FROM orders WHERE shopper_id IN ({marks}) AND created_at < ? "
            "ORDER BY created_at",
            (*chunk, f.end),
        ):
            order = wire.Order.model_validate_json(raw)
            if (
                order.channel in ONLINE_CHANNELS
                and order.status != "cancelled"
                and order.created_at >= f.touched[order.shopper_id]
                and order.shopper_id not in f.touched_bought
            ):
                f.touched_bought[order.shopper_id] = order


def _adoption(conn: sqlite3.Connection, f: Facts) -> None:
    """The book (shoppers whose home store this is) and, for each active in the period,
    the first time on each channel: an order (web, app, store), an online cart changed,
    a visit to a store. The book is read once (one pass over the shoppers) and the
    period's orders and carts are matched to it here: cheaper than a join per table."""
    book: set[str] = set()
    seen: dict[str, dict[str, str]] = defaultdict(dict)

    def saw(shopper_id: str, channel: str, at: str) -> None:
        mine = seen[shopper_id]
        if channel not in mine or at < mine[channel]:
            mine[channel] = at

    for shopper_id, visit in conn.execute(
        "SELECT id, last_visit_at FROM shoppers WHERE home_store_id = ?", (f.store_id,)
    ):
        book.add(shopper_id)
        if f.within(visit):
            saw(shopper_id, "store", visit)
    f.book_size = len(book)
    for shopper_id, channel, at, status in conn.execute(
        "SELECT shopper_id, json_extract(data, '$.channel'), created_at, "
        "json_extract(data, '$.status') FROM orders WHERE created_at >= ? AND created_at < ?",
        (f.start, f.end),
    ):
        if shopper_id in book and status != "cancelled":
            saw(shopper_id, channel, at)
    for shopper_id, channel, at in conn.execute(
        "SELECT shopper_id, json_extract(data, '$.channel'), updated_at FROM carts "
        "WHERE updated_at >= ? AND updated_at < ?",
        (f.start, f.end),
    ):
        if shopper_id in book:
            saw(shopper_id, channel, at)
    f.adoption = dict(seen)
