"""The shopper of a kiosk session, as the kiosk shows them.

A kiosk holds no shopper records: the shopper's projection (``sync.wire.KioskShopper``)
lives in the kiosk's memory for the session only and is passed in here. This lays the
kiosk's own active commands for that shopper over it (a reservation just made shows as
pending, a cart edit at once) and prices the lines from the cached catalog, exactly as
the associate's profile does with confirmed rows (``sync.read.profile``).
"""

from __future__ import annotations

from sync import overlay, wire
from sync.commands.effects import NewReservation
from sync.read import reservations as res_views
from sync.read.base import products
from sync.read.profile import ProfileReads
from sync.records import KioskProfileView, ReservationView


class KioskReads(ProfileReads):
    def kiosk_profile(self, served: wire.KioskShopper) -> KioskProfileView:
        with self.db.read() as conn:
            ov = overlay.Overlay(conn, overlay.for_shopper(conn, served.id))
            cart = ov.cart(served.cart_version, served.cart)
            wishlist = cart.wishlist(served.wishlist)
            held = {r.id for r in served.reservations}
            made = [
                (a, r) for a, r in ov.created("reservations", NewReservation) if r.id not in held
            ]
            skus = (
                set(cart.lines)
                | {w.sku for w in wishlist}
                | {r.sku for r in served.reservations}
                | {r.sku for _, r in made}
            )
            found = products(conn, skus)
            items = self._items(conn, found, set(cart.lines) | {w.sku for w in wishlist})
            reservations = [
                ReservationView(
                    id=r.id,
                    store_id=r.store_id,
                    store_name=self._store_name(r.store_id) or r.store_id,
                    sku=r.sku,
                    product=found.get(r.sku),
                    qty=r.qty,
                    shopper_id=served.id,
                    shopper_name=served.first_name,
                    status=r.status,
                    hold_until=r.hold_until,
                    notify_by=served.notify_by,
                    created_at=r.created_at,
                )
                for r in served.reservations
            ] + [
                res_views.new_view(a, r, found.get(r.sku), served.first_name, self._store_name, ov)
                for a, r in made
            ]
        reservations.sort(key=lambda v: v.created_at, reverse=True)
        return KioskProfileView(
            shopper=served,
            cart_version=cart.version,
            cart=tuple(
                items(sku, sku, int(ln["qty"]), sku in cart.pending_skus, ln.get("added_at"))
                for sku, ln in cart.lines.items()
                if sku in found
            ),
            wishlist=tuple(
                items(w.id, w.sku, 1, w.pending, w.added_at) for w in wishlist if w.sku in found
            ),
            reservations=tuple(reservations),
        )
