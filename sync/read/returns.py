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
from dataclasses import replace

from sync import overlay, pricing, wire
from sync.commands.effects import Active, NewReturn
from sync.overlay import author_view
from sync.read import offers
from sync.read.base import CacheBase, products, shopper_names
from sync.read.products import available, size_key
from sync.read.reach import POLICY_ID
from sync.read.return_views import (
    ExchangeOption,
    ExchangeView,
    ReturnableLine,
    ReturnedLine,
    ReturnReceipt,
    ReturnRecord,
    ReturnWindow,
    exchange_view,
    returned_line,
    skus_of,
)
from sync.read.returns_waiting import in_flight, new_returns, refusals, returning_actives
from sync.records import AuthorView
from sync.rules import returns as rules
from sync.schema import ORDER_NUMBER_KEY

ONLINE_WAREHOUSE = "WEB"


order_number_key = rules.order_number_key  # the read API's name for the rule


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
            skus = set().union(*(skus_of(r) for r in confirmed), *(skus_of(r) for _, r in made))
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
                returned_line(
                    ln.sku, ln.qty, ln.price_cents, ln.reason, ln.condition, ln.note, found
                )
                for ln in r.lines
            ),
            refund_cents=r.refund_cents,
            refund_method=r.refund_method,
            refund_method_text=wire.REFUND_METHODS[r.refund_method],
            points_back=r.points_back,
            exchange=exchange_view(r.exchange, found),
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
                returned_line(
                    ln.sku, ln.qty, ln.price_cents, ln.reason, ln.condition, ln.note, found
                )
                for ln in r.lines
            ),
            refund_cents=r.refund_cents,
            refund_method=r.refund_method,
            refund_method_text=wire.REFUND_METHODS.get(r.refund_method, r.refund_method),
            points_back=r.points_back,
            exchange=exchange_view(r.exchange, found),
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
    "order_number_key",
]
