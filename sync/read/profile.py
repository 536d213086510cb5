"""One shopper's profile: cart, wishlist, orders, reservations, notes and what the other
channels told (``sync.read.profile_channels``), with the effects of the commands still
active for that shopper laid over the confirmed rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace

from sync import overlay, pricing, wire
from sync.commands.effects import Active, Cart, NewNote, NewOrder, NewReservation
from sync.read import new_shoppers
from sync.read import profile_channels as channels
from sync.read import reservations as res_views
from sync.read.base import CacheBase, products
from sync.read.offers import pricing_offers
from sync.read.points import points_view, with_points
from sync.read.products import available
from sync.read.reservations import StoreName
from sync.read.shopper_edits import with_edits
from sync.records import (
    AuthorView,
    ItemLine,
    NoteView,
    OrderLineView,
    OrderView,
    Provenance,
    ReservationView,
    ShopperProfileView,
    ViewedProduct,
)
from sync.settings import BY_NAME, RECENT_VIEWS_DAYS

RECENT_VIEWS_DEFAULT: int = BY_NAME[RECENT_VIEWS_DAYS].default


@dataclass(frozen=True)
class _Confirmed:
    """The shopper's confirmed rows, newest first."""

    cart: wire.Cart | None
    wishlist: list[wire.WishlistItem]
    orders: list[wire.Order]
    reservations: list[wire.Reservation]
    notes: list[wire.Note]

    @classmethod
    def load(cls, conn: sqlite3.Connection, shopper_id: str) -> _Confirmed:
        def rows(table: str, order: str) -> list[str]:
            sql = f"SELECT data FROM {table} WHERE shopper_id = ? ORDER BY {order} DESC"
            return [r[0] for r in conn.execute(sql, (shopper_id,))]

        cart_row = conn.execute(
            "SELECT data FROM carts WHERE shopper_id = ? ORDER BY "
            "CASE status WHEN 'active' THEN 0 WHEN 'abandoned' THEN 1 ELSE 2 END, "
            "updated_at DESC LIMIT 1",
            (shopper_id,),
        ).fetchone()
        return cls(
            cart=wire.Cart.model_validate_json(cart_row[0]) if cart_row else None,
            wishlist=[
                wire.WishlistItem.model_validate_json(d)
                for d in rows("wishlist_items", "updated_at")
            ],
            orders=[wire.Order.model_validate_json(d) for d in rows("orders", "created_at")],
            reservations=[
                wire.Reservation.model_validate_json(d) for d in rows("reservations", "created_at")
            ],
            notes=[wire.Note.model_validate_json(d) for d in rows("notes", "created_at")],
        )


@dataclass(frozen=True)
class _Shown:
    """Rows the shopper's active commands add, not yet pulled from central."""

    orders: list[tuple[Active, NewOrder]]
    reservations: list[tuple[Active, NewReservation]]
    notes: list[tuple[Active, NewNote]]


def _skus(mine: _Confirmed, cart: Cart, shown: _Shown) -> set[str]:
    """Every SKU the profile shows."""
    return (
        set(cart.lines)
        | {w.sku for w in mine.wishlist}
        | {ln.sku for o in mine.orders for ln in o.lines}
        | {r.sku for r in mine.reservations}
        | {r.sku for _, r in shown.reservations}
        | {ln.sku for _, o in shown.orders for ln in o.lines}
    )


def order_view(o: wire.Order, found: dict[str, wire.Product], store_name: StoreName) -> OrderView:
    return OrderView(
        id=o.id,
        number=o.number,
        channel=o.channel,
        store_name=store_name(o.store_id),
        status=o.status,
        fulfilment_type=o.fulfilment.type,
        fulfilment_store_name=store_name(o.fulfilment.store_id),
        payment_method=o.payment.method,
        payment_link=o.payment.link,
        total_cents=o.total_cents,
        created_at=o.created_at,
        lines=tuple(
            OrderLineView(
                product=found.get(ln.sku), sku=ln.sku, qty=ln.qty, price_cents=ln.price_cents
            )
            for ln in o.lines
        ),
        by=overlay.author_view(o.author),
        points_redeemed=o.points_redeemed,
        points_value_cents=o.points_value_cents,
    )


def new_order_view(
    a: Active,
    o: NewOrder,
    found: dict[str, wire.Product],
    store_name: StoreName,
    by: AuthorView | None = None,
) -> OrderView:
    lines = tuple(
        OrderLineView(product=found.get(ln.sku), sku=ln.sku, qty=ln.qty, price_cents=ln.price_cents)
        for ln in o.lines
    )
    return OrderView(
        id=o.id,
        number=o.number,
        channel="store",
        store_name=store_name(a.store_id),
        status=o.status,
        fulfilment_type=o.fulfilment_type,
        fulfilment_store_name=store_name(o.fulfilment_store_id),
        payment_method=o.payment_method,
        payment_link=o.payment_link,
        total_cents=sum(ln.price_cents * ln.qty for ln in lines),
        created_at=a.created_at,
        lines=lines,
        pending=a.pending,
        by=by,
    )


class ProfileReads(CacheBase):
    def shopper_profile(
        self, shopper_id: str, *, recent_days: int = RECENT_VIEWS_DEFAULT
    ) -> ShopperProfileView | None:
        """Everything about one shopper, with pending effects; None if not in the cache.

        ``recent_days``: how far back "viewed online recently" reaches (the setting
        ``recent_views_days``)."""
        with self.db.read() as conn:
            shopper = new_shoppers.shopper_record(conn, shopper_id)
            if shopper is None:
                return None
            shopper_id = shopper.id  # the record it was merged into, when merged
            mine = _Confirmed.load(conn, shopper_id)
            ov = overlay.Overlay(conn, overlay.for_shopper(conn, shopper_id))
            shopper = with_edits(ov, shopper)  # the record's edits waiting here
            cart = ov.cart(
                mine.cart.version if mine.cart else 0,
                mine.cart.lines if mine.cart and mine.cart.status != "converted" else [],
            )
            wishlist = cart.wishlist(mine.wishlist)
            confirmed_wishlist = {w.id: w for w in mine.wishlist}
            wish_origin = {
                w.id: channels.wishlist_origin(confirmed_wishlist[w.id])
                if w.added_by is None
                else Provenance("store", w.added_at, ov.by(w.added_by), w.pending)
                for w in wishlist
            }
            shown = _Shown(
                orders=ov.created("orders", NewOrder),
                reservations=ov.created("reservations", NewReservation),
                notes=ov.created("notes", NewNote),
            )
            viewed = channels.recent_views(conn, shopper_id, self.now(), recent_days)
            wished = {w.sku for w in wishlist}
            found = products(conn, _skus(mine, cart, shown) | wished | {v.sku for v in viewed})
            items = self._items(
                conn, found, set(cart.lines) | wished | {v.sku for v in viewed}, shopper_id
            )
            orders = self._orders(mine, shown, ov, found)
            name = f"{shopper.first_name} {shopper.last_name}"
            reservations = self._reservations(mine, shown, ov, found, name)
            notes = self._notes(mine, shown, ov)
            support = channels.support_contacts(conn, shopper_id)
            cart_origin = channels.cart_origin(mine.cart, cart, ov)
            line_origin = {
                sku: channels.line_origin(mine.cart, cart, ov, sku, ln)
                for sku, ln in cart.lines.items()
            }
            line_by = {
                sku: ov.by(cart.changed_by[sku])
                if sku in cart.changed_by
                else overlay.author_view(ln.get("changed_by"))
                for sku, ln in cart.lines.items()
            }
            seen = [v for v in viewed if v.sku in found]  # a SKU gone from the catalog: not shown
            points = points_view(conn, shopper_id, shopper.points, ov)
        home = self._stores().get(shopper.home_store_id)
        return ShopperProfileView(
            shopper=shopper,
            home_store_name=home.name if home else shopper.home_store_id,
            cart_id=mine.cart.id if mine.cart else None,
            cart_version=cart.version,
            cart=tuple(
                replace(
                    items(sku, sku, int(ln["qty"]), sku in cart.pending_skus, ln.get("added_at")),
                    by=line_by[sku],
                    origin=line_origin[sku],
                )
                for sku, ln in cart.lines.items()
                if sku in found
            ),
            cart_pending=cart.pending,
            wishlist=tuple(
                replace(
                    items(w.id, w.sku, 1, w.pending, w.added_at),
                    origin=wish_origin[w.id],
                )
                for w in wishlist
                if w.sku in found
            ),
            orders=tuple(orders),
            reservations=tuple(reservations),
            notes=tuple(notes),
            cart_origin=cart_origin,
            support=tuple(support),
            timeline=channels.timeline(notes, support),
            viewed=tuple(
                ViewedProduct(
                    product=line.product,
                    price=line.price,
                    availability=line.availability,
                    channel=v.channel,
                    viewed_at=v.viewed_at,
                    views=v.views,
                )
                for v, line in ((v, items(v.sku, v.sku, 1, False, None)) for v in seen)
            ),
            points=points,
        )

    def _items(
        self,
        conn: sqlite3.Connection,
        found: dict[str, wire.Product],
        skus: set[str],
        shopper_id: str | None = None,
    ) -> Callable[[str, str, int, bool, str | None], ItemLine]:
        """A maker of cart lines and wishlist items, priced today for the shopper (their
        offers beside the promotions; a kiosk has none), with their stock."""
        stock = available(conn, skus)
        stores, here, promos, now = self._stores(), self._here(), self._promotions(), self.now()
        mine = pricing_offers(conn, shopper_id) if shopper_id else []

        def item(key: str, sku: str, qty: int, pending: bool, added: str | None) -> ItemLine:
            product = found[sku]
            return ItemLine(
                key=key,
                product=product,
                qty=qty,
                price=pricing.best_price(product, promos, now, offers=mine),
                availability=pricing.availability(stock.get(sku, {}), stores, here),
                pending=pending,
                added_at=added,
            )

        return item

    def _orders(
        self, mine: _Confirmed, shown: _Shown, ov: overlay.Overlay, found: dict[str, wire.Product]
    ) -> list[OrderView]:
        waiting = ov.pending_ids("orders")
        views = [
            replace(v, pending=True) if v.id in waiting else v
            for v in (order_view(o, found, self._store_name) for o in mine.orders)
        ] + [new_order_view(a, o, found, self._store_name, ov.by(a)) for a, o in shown.orders]
        views = [with_points(v, ov) for v in views]
        views.sort(key=lambda v: v.created_at, reverse=True)
        return views

    def _reservations(
        self,
        mine: _Confirmed,
        shown: _Shown,
        ov: overlay.Overlay,
        found: dict[str, wire.Product],
        shopper_name: str,
    ) -> list[ReservationView]:
        views = [
            res_views.confirmed_view(r, found.get(r.sku), shopper_name, self._store_name, ov)
            for r in mine.reservations
        ] + [
            res_views.new_view(a, r, found.get(r.sku), shopper_name, self._store_name, ov)
            for a, r in shown.reservations
        ]
        views.sort(key=lambda v: v.created_at, reverse=True)
        return views

    def _notes(self, mine: _Confirmed, shown: _Shown, ov: overlay.Overlay) -> list[NoteView]:
        here = self._store_name(self._here())
        views = [
            NoteView(
                id=n.id,
                kind=n.kind,
                text=n.text,
                author_name=n.author_name,
                store_name=self._store_name(n.store_id),
                created_at=n.created_at,
                by=overlay.author_view(n.author)
                or (AuthorView(n.author_name) if n.author_name else None),
            )
            for n in mine.notes
        ]
        for a, n in shown.notes:
            by = ov.by(a)
            views.append(
                NoteView(
                    id=n.id,
                    kind=n.kind,
                    text=n.text,
                    author_name=by.name if by else None,
                    store_name=here,
                    created_at=a.created_at,
                    pending=a.pending,
                    by=by,
                )
            )
        views.sort(key=lambda v: v.created_at, reverse=True)
        return views
