"""What the return screen reads: an order found by its number, what of it may still come
back and until when, the returns made of it (confirmed, waiting here, or refused), a
return's receipt, and what an item may be swapped for.

Returns still in the outbox count as *in flight*: their quantities are taken off what may
come back, so two returns queued offline cannot take the same unit twice on this device
(central decides between devices). The policy is central's, synced (``wire.Policy``); its
rules are :mod:`sync.rules.returns`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sync import overlay, pricing, wire
from sync.commands import registry
from sync.commands.effects import Active, NewExchange, NewReturn
from sync.overlay import author_view
from sync.read import offers
from sync.read.base import CacheBase, names, products, shopper_names
from sync.read.products import available, size_key
from sync.read.reach import POLICY_ID
from sync.records import AuthorView, Price
from sync.rules import returns as rules
from sync.schema import ORDER_NUMBER_KEY

ONLINE_WAREHOUSE = "WEB"


order_number_key = rules.order_number_key  # the read API's name for the rule


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """One SKU of an order on the return screen: what may still come back of it."""

    sku: str
    name: str
    colour: str
    size: str
    image: str | None
    bought: int
    returned: int  # central's count
    in_flight: int  # returns of this order still waiting in this device's outbox
    left: int  # bought - returned - in_flight
    price_cents: int  # the unit price refunded (what the order paid)
    barred: str | None  # the policy's sentence when the item cannot come back


@dataclass(frozen=True, slots=True)
class ReturnWindow:
    deadline: str  # the date (YYYY-MM-DD) the window ends
    days: int
    inside: bool
    override_possible: bool  # past the window, a manager may still accept it
    sentence: str


@dataclass(frozen=True, slots=True)
class ReturnedLine:
    sku: str
    name: str
    colour: str
    size: str
    qty: int
    price_cents: int
    reason: str  # the wire code
    reason_text: str  # its words (``wire.RETURN_REASONS``)
    condition: str
    condition_text: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ExchangeView:
    kind: str  # reserve (held here) / order (ordered online)
    sku: str
    name: str
    colour: str
    size: str
    qty: int
    price_cents: int
    difference_cents: int  # > 0 the shopper pays, < 0 they get back
    reservation_id: str | None
    order_id: str | None


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    """A return of an order: applied by central, waiting in this device's outbox, or
    refused by central (``reason`` says why and what to do)."""

    id: str
    number: str  # the receipt number, or "pending" until central has applied it
    state: str  # pending / applied / rejected
    reason: str | None  # why central refused it
    order_id: str
    order_number: str
    order_channel: str
    shopper_id: str
    store_id: str
    store_name: str
    lines: tuple[ReturnedLine, ...]
    refund_cents: int
    refund_method: str
    refund_method_text: str
    points_back: int
    exchange: ExchangeView | None
    override: bool
    created_at: str
    by: AuthorView | None = None


@dataclass(frozen=True, slots=True)
class ReturnReceipt:
    """Everything a printed return receipt shows."""

    return_id: str
    number: str  # or "pending"
    state: str
    store_name: str
    store_address: str  # street, city and postcode
    store_phone: str
    date: str  # wire timestamp of the return
    associate: str | None
    shopper_name: str
    order_number: str
    order_channel: str
    lines: tuple[ReturnedLine, ...]
    refund_cents: int
    refund_method_text: str
    exchange: ExchangeView | None
    difference_cents: int  # the exchange's (0 without one)
    points_back: int
    policy_sentence: str
    qr_text: str  # what the receipt's QR code holds: the number, or the return id


@dataclass(frozen=True, slots=True)
class ExchangeOption:
    """Another size or colour of the same style, to swap for."""

    sku: str
    name: str
    colour: str
    size: str
    image: str | None
    price: Price  # the shopper's price today (promotions, their own offers)
    available_here: int
    available_online: int
    same_colour: bool


def _returned_line(
    sku: str,
    qty: int,
    price_cents: int,
    reason: str,
    condition: str,
    note: str | None,
    found: dict[str, wire.Product],
) -> ReturnedLine:
    p = found.get(sku)
    return ReturnedLine(
        sku=sku,
        name=p.name if p else sku,
        colour=p.colour if p else "",
        size=p.size if p else "",
        qty=qty,
        price_cents=price_cents,
        reason=reason,
        reason_text=wire.RETURN_REASONS.get(reason, reason),
        condition=condition,
        condition_text=wire.ITEM_CONDITIONS.get(condition, condition),
        note=note,
    )


def _exchange_view(
    e: wire.Exchange | NewExchange | None, found: dict[str, wire.Product]
) -> ExchangeView | None:
    if e is None:
        return None
    p = found.get(e.sku)
    return ExchangeView(
        kind=e.kind,
        sku=e.sku,
        name=p.name if p else e.sku,
        colour=p.colour if p else "",
        size=p.size if p else "",
        qty=e.qty,
        price_cents=e.price_cents,
        difference_cents=e.difference_cents,
        reservation_id=e.reservation_id,
        order_id=e.order_id,
    )


def _skus(r: wire.Return | NewReturn) -> set[str]:
    skus = {ln.sku for ln in r.lines}
    if r.exchange is not None:
        skus.add(r.exchange.sku)
    return skus


def returning_actives(conn: sqlite3.Connection, *, rejected: bool = False) -> list[Active]:
    """Outbox rows of the commands that add returns: active ones (pending, or applied and
    not yet pulled), and with ``rejected`` the ones central refused too."""
    actives = overlay.for_table(conn, "returns")
    if not rejected:
        return actives
    names = registry.names_where(lambda e: e.table == "returns")
    marks = ",".join("?" for _ in names)
    refused = [
        overlay.active_row(r)
        for r in conn.execute(
            f"SELECT * FROM outbox WHERE name IN ({marks}) AND state = 'rejected' ORDER BY number",
            names,
        )
    ]
    return actives + refused


def new_returns(
    conn: sqlite3.Connection, actives: Iterable[Active]
) -> list[tuple[Active, NewReturn]]:
    """The returns these outbox rows add (not yet pulled from central), in command order."""
    rows = []
    for a in actives:
        for effects in registry.effects(a.name).parts():
            if effects.table == "returns" and effects.creates is not None:
                made = effects.creates(a)
                if isinstance(made, NewReturn):
                    rows.append((a, made))
    ov = overlay.Overlay(conn, [])
    return [(a, r) for a, r in rows if not ov.confirmed("returns", r.id)]


def in_flight(conn: sqlite3.Connection, order_id: str) -> dict[str, int]:
    """SKU -> units of ``order_id`` that returns still waiting in the outbox take."""
    taken: dict[str, int] = {}
    for _, r in new_returns(conn, returning_actives(conn)):
        if r.order_id == order_id:
            for ln in r.lines:
                taken[ln.sku] = taken.get(ln.sku, 0) + ln.qty
    return taken


class ReturnReads(CacheBase):
    def _policy(self, conn: sqlite3.Connection) -> wire.Policy | None:
        row = conn.execute("SELECT data FROM policies WHERE id = ?", (POLICY_ID,)).fetchone()
        return wire.Policy.model_validate_json(row[0]) if row else None

    def order(self, order_id: str) -> wire.Order | None:
        """One order as central last sent it (any channel), or None when not cached."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM orders WHERE id = ?", (order_id,)).fetchone()
        return wire.Order.model_validate_json(row[0]) if row else None

    def order_by_number(self, text: str) -> wire.Order | None:
        """The order with a scanned or typed number (any channel; see
        :func:`order_number_key`), or None when this device has no such order."""
        key = order_number_key(text)
        if not key:
            return None
        with self.db.read() as conn:
            row = conn.execute(
                f"SELECT data FROM orders WHERE {ORDER_NUMBER_KEY} = ? ORDER BY created_at DESC",
                (key,),
            ).fetchone()
        return wire.Order.model_validate_json(row[0]) if row else None

    def in_flight_returns(self, order_id: str) -> dict[str, int]:
        """SKU -> units of the order that returns waiting in the outbox take."""
        with self.db.read() as conn:
            return in_flight(conn, order_id)

    def returnable_lines(self, order_id: str) -> list[ReturnableLine]:
        """The order's SKUs (in the order's order) with what may still come back of each;
        empty when the order is not cached."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM orders WHERE id = ?", (order_id,)).fetchone()
            if row is None:
                return []
            order = wire.Order.model_validate_json(row[0])
            waiting = in_flight(conn, order_id)
            found = products(conn, (ln.sku for ln in order.lines))
            policy = self._policy(conn) or rules.FALLBACK_POLICY
        left = rules.returnable_by_sku(order, waiting)
        lines: dict[str, ReturnableLine] = {}
        for ln in order.lines:
            if ln.sku in lines:
                prev = lines[ln.sku]
                lines[ln.sku] = _with(
                    prev, bought=prev.bought + ln.qty, returned=prev.returned + ln.returned_qty
                )
                continue
            p = found.get(ln.sku)
            refusal = rules.item_refusal(policy, p, override=False, role=None)
            lines[ln.sku] = ReturnableLine(
                sku=ln.sku,
                name=p.name if p else ln.sku,
                colour=p.colour if p else "",
                size=p.size if p else "",
                image=p.image if p else None,
                bought=ln.qty,
                returned=ln.returned_qty,
                in_flight=waiting.get(ln.sku, 0),
                left=0,
                price_cents=ln.price_cents,
                barred=refusal.message if refusal else None,
            )
        return [_with(v, left=left.get(sku, 0)) for sku, v in lines.items()]

    def return_window(self, order_id: str) -> ReturnWindow | None:
        """Until when the order may come back (None when the order is not cached)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM orders WHERE id = ?", (order_id,)).fetchone()
            policy = self._policy(conn) or rules.FALLBACK_POLICY
        if row is None:
            return None
        order = wire.Order.model_validate_json(row[0])
        now = wire.parse_ts(self.now())
        last = rules.deadline(policy, order)
        return ReturnWindow(
            deadline=last.date().isoformat(),
            days=rules.policy_days(policy, order),
            inside=now < last,
            override_possible=now >= last and now < rules.override_deadline(policy, order),
            sentence=rules.window_sentence(policy, order, now),
        )

    def returns_of_order(self, order_id: str) -> list[ReturnRecord]:
        """The order's returns, newest first: applied, waiting here, refused by central."""
        return self._returns("order_id", order_id)

    def returns_of_shopper(self, shopper_id: str) -> list[ReturnRecord]:
        """The shopper's returns of any order, newest first."""
        return self._returns("shopper_id", shopper_id)

    def _returns(self, column: str, value: str) -> list[ReturnRecord]:
        with self.db.read() as conn:
            confirmed = [
                wire.Return.model_validate_json(r[0])
                for r in conn.execute(
                    f"SELECT data FROM returns WHERE {column} = ? ORDER BY created_at DESC",
                    (value,),
                )
            ]
            made = [
                (a, r)
                for a, r in new_returns(conn, returning_actives(conn, rejected=True))
                if getattr(r, column) == value
            ]
            ov = overlay.Overlay(conn, [a for a, _ in made])
            skus = set().union(*(_skus(r) for r in confirmed), *(_skus(r) for _, r in made))
            found = products(conn, skus)
            by = {a.id: ov.by(a) for a, _ in made}
            why = refusals(conn, (a for a, _ in made))
        records = [self._confirmed_record(r, found) for r in confirmed]
        records += [self._new_record(a, r, found, by[a.id], why.get(a.id)) for a, r in made]
        records.sort(key=lambda v: v.created_at, reverse=True)
        return records

    def _confirmed_record(self, r: wire.Return, found: dict[str, wire.Product]) -> ReturnRecord:
        return ReturnRecord(
            id=r.id,
            number=r.number,
            state="applied",
            reason=None,
            order_id=r.order_id,
            order_number=r.order_number,
            order_channel=r.order_channel,
            shopper_id=r.shopper_id,
            store_id=r.store_id,
            store_name=self._store_name(r.store_id) or r.store_id,
            lines=tuple(
                _returned_line(
                    ln.sku, ln.qty, ln.price_cents, ln.reason, ln.condition, ln.note, found
                )
                for ln in r.lines
            ),
            refund_cents=r.refund_cents,
            refund_method=r.refund_method,
            refund_method_text=wire.REFUND_METHODS[r.refund_method],
            points_back=r.points_back,
            exchange=_exchange_view(r.exchange, found),
            override=r.override_by is not None,
            created_at=r.created_at,
            by=author_view(r.author),
        )

    def _new_record(
        self,
        a: Active,
        r: NewReturn,
        found: dict[str, wire.Product],
        by: AuthorView | None,
        why: str | None,
    ) -> ReturnRecord:
        state = "rejected" if a.state == "rejected" else "pending" if a.pending else "applied"
        return ReturnRecord(
            id=r.id,
            number=r.number or "pending",
            state=state,
            reason=why if state == "rejected" else None,
            order_id=r.order_id,
            order_number=r.order_number,
            order_channel=r.order_channel,
            shopper_id=r.shopper_id,
            store_id=r.store_id,
            store_name=self._store_name(r.store_id) or r.store_id,
            lines=tuple(
                _returned_line(
                    ln.sku, ln.qty, ln.price_cents, ln.reason, ln.condition, ln.note, found
                )
                for ln in r.lines
            ),
            refund_cents=r.refund_cents,
            refund_method=r.refund_method,
            refund_method_text=wire.REFUND_METHODS.get(r.refund_method, r.refund_method),
            points_back=r.points_back,
            exchange=_exchange_view(r.exchange, found),
            override=r.override,
            created_at=a.created_at,
            by=by,
        )

    def return_record(self, return_id: str) -> ReturnRecord | None:
        """One return (applied, waiting here or refused), or None."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT shopper_id FROM returns WHERE id = ?", (return_id,)
            ).fetchone()
            if row is None:
                row = conn.execute(
                    "SELECT shopper_id FROM outbox WHERE target_id = ?", (return_id,)
                ).fetchone()
        if row is None or row[0] is None:
            return None
        return next((r for r in self.returns_of_shopper(row[0]) if r.id == return_id), None)

    def return_receipt(self, return_id: str) -> ReturnReceipt | None:
        """Everything a printed receipt shows for one return (None when unknown)."""
        record = self.return_record(return_id)
        if record is None:
            return None
        with self.db.read() as conn:
            policy = self._policy(conn) or rules.FALLBACK_POLICY
            names = shopper_names(conn, [record.shopper_id])
        store = self._stores().get(record.store_id)
        address = f"{store.address}, {store.city} {store.postcode}" if store else ""
        return ReturnReceipt(
            return_id=record.id,
            number=record.number,
            state=record.state,
            store_name=record.store_name,
            store_address=address,
            store_phone=store.phone if store else "",
            date=record.created_at,
            associate=record.by.name if record.by else None,
            shopper_name=names.get(record.shopper_id, ""),
            order_number=record.order_number,
            order_channel=record.order_channel,
            lines=record.lines,
            refund_cents=record.refund_cents,
            refund_method_text=record.refund_method_text,
            exchange=record.exchange,
            difference_cents=record.exchange.difference_cents if record.exchange else 0,
            points_back=record.points_back,
            policy_sentence=rules.policy_sentence(policy, record.order_channel),
            qr_text=record.number if record.number != "pending" else record.id,
        )

    def exchange_options(self, order_id: str, sku: str) -> list[ExchangeOption]:
        """The same style's other sizes and colours (the same colour first, sizes in
        wearing order), priced for the order's shopper, with what is available here and
        online. Empty when the order or the SKU is not cached."""
        with self.db.read() as conn:
            row = conn.execute("SELECT shopper_id FROM orders WHERE id = ?", (order_id,)).fetchone()
            prow = conn.execute("SELECT data FROM products WHERE id = ?", (sku,)).fetchone()
            if row is None or prow is None:
                return []
            product = wire.Product.model_validate_json(prow[0])
            mine = offers.pricing_offers(conn, row[0])
            others = [
                wire.Product.model_validate_json(r[0])
                for r in conn.execute(
                    "SELECT data FROM products WHERE style_id = ? AND id != ? ORDER BY rid",
                    (product.style_id, sku),
                )
            ]
            stock = available(conn, [p.sku for p in others])
        here = self._here()
        promos, now = self._promotions(), self.now()
        options = [
            ExchangeOption(
                sku=p.sku,
                name=p.name,
                colour=p.colour,
                size=p.size,
                image=p.image,
                price=pricing.best_price(p, promos, now, offers=mine),
                available_here=stock.get(p.sku, {}).get(here, 0) if here else 0,
                available_online=stock.get(p.sku, {}).get(ONLINE_WAREHOUSE, 0),
                same_colour=p.colour == product.colour,
            )
            for p in others
        ]
        options.sort(key=lambda o: (not o.same_colour, o.colour, size_key(o.size)))
        return options


def refusals(conn: sqlite3.Connection, actives: Iterable[Active]) -> dict[str, str]:
    """Outbox id -> central's sentence, for the refused ones of ``actives``."""
    ids = [a.id for a in actives if a.state == "rejected"]
    return names(conn, "SELECT id, message FROM outbox WHERE id IN ({marks})", ids)


def _with(line: ReturnableLine, **counts: int) -> ReturnableLine:
    """``line`` with other counts (bought, returned, left)."""
    return replace(line, **counts)  # type: ignore[arg-type]


__all__ = [
    "ExchangeOption",
    "ExchangeView",
    "ReturnReads",
    "ReturnReceipt",
    "ReturnRecord",
    "ReturnWindow",
    "ReturnableLine",
    "ReturnedLine",
]
