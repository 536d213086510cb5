"""A store's reservation queue and one reservation.

Each list shows the rows this device added (``pending``) and the statuses it set, through
the active commands' effects (:class:`sync.overlay.Overlay`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from sync import overlay, wire
from sync.commands.effects import Active, NewReservation
from sync.overlay import author_view
from sync.read.base import CacheBase, products, shopper_names
from sync.records import AuthorView, ReservationView

StoreName = Callable[[str | None], str | None]


def _view(
    r: wire.Reservation | NewReservation,
    status: str,
    pending: bool,
    created_at: str,
    product: wire.Product | None,
    shopper_name: str,
    store_name: StoreName,
    by: tuple[AuthorView | None, AuthorView | None] = (None, None),
) -> ReservationView:
    return ReservationView(
        id=r.id,
        store_id=r.store_id,
        store_name=store_name(r.store_id) or r.store_id,
        sku=r.sku,
        product=product,
        qty=r.qty,
        shopper_id=r.shopper_id,
        shopper_name=shopper_name,
        status=status,
        hold_until=r.hold_until,
        notify_by=r.notify_by,
        created_at=created_at,
        pending=pending,
        by=by[0],
        status_by=by[1],
    )


def confirmed_view(
    r: wire.Reservation,
    product: wire.Product | None,
    shopper_name: str,
    store_name: StoreName,
    ov: overlay.Overlay,
) -> ReservationView:
    """A confirmed reservation, with the status a queued command sets on it."""
    status: str = r.status
    pending = r.id in ov.pending_ids("reservations")
    change = ov.status_change("reservations", r.id)
    last = r.changes[-1] if r.changes and r.changes[-1].status == r.status else None
    status_by = author_view(last.by) if last else None
    if change is not None and change[0] != r.status:
        status, pending = change[0], pending or change[1]
        status_by = ov.status_by("reservations", r.id)
    by = (author_view(r.author), status_by)
    return _view(r, status, pending, r.created_at, product, shopper_name, store_name, by)


def new_view(
    a: Active,
    r: NewReservation,
    product: wire.Product | None,
    shopper_name: str,
    store_name: StoreName,
    ov: overlay.Overlay,
) -> ReservationView:
    """A reservation made on this device that no pull has brought yet."""
    status, pending = "pending", a.pending
    change = ov.status_change("reservations", r.id)
    status_by = None
    if change is not None:
        status, pending = change[0], pending or change[1]
        status_by = ov.status_by("reservations", r.id)
    by = (ov.by(a), status_by)
    return _view(r, status, pending, a.created_at, product, shopper_name, store_name, by)


class ReservationReads(CacheBase):
    def reservations(
        self, store_id: str | None = None, statuses: Sequence[str] | None = None
    ) -> list[ReservationView]:
        """Reservations (a store's queue), newest first, with pending ones from this device."""
        where, params = [], []
        if store_id is not None:
            where.append("r.store_id = ?")
            params.append(store_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT r.data, s.first_name, s.last_name FROM reservations r "
                f"LEFT JOIN shoppers s ON s.id = r.shopper_id {clause} "
                "ORDER BY r.created_at DESC",
                params,
            ).fetchall()
            ov = overlay.Overlay(conn, overlay.for_table(conn, "reservations"))
            created = [
                (a, r)
                for a, r in ov.created("reservations", NewReservation)
                if store_id is None or r.store_id == store_id
            ]
            names = shopper_names(conn, (r.shopper_id for _, r in created))
            confirmed = [wire.Reservation.model_validate_json(r[0]) for r in rows]
            found = products(conn, {r.sku for r in confirmed} | {r.sku for _, r in created})
        views = [
            confirmed_view(
                res,
                found.get(res.sku),
                f"{row[1]} {row[2]}" if row[1] is not None else res.shopper_id,
                self._store_name,
                ov,
            )
            for res, row in zip(confirmed, rows, strict=True)
        ]
        views += [
            new_view(
                a,
                r,
                found.get(r.sku),
                names.get(r.shopper_id, r.shopper_id),
                self._store_name,
                ov,
            )
            for a, r in created
        ]
        if statuses is not None:
            wanted = set(statuses)
            views = [v for v in views if v.status in wanted]
        views.sort(key=lambda v: v.created_at, reverse=True)
        return views

    def reservation(self, reservation_id: str) -> ReservationView | None:
        """One reservation (confirmed or created here), with queued status changes."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT r.data, s.first_name, s.last_name FROM reservations r "
                "LEFT JOIN shoppers s ON s.id = r.shopper_id WHERE r.id = ?",
                (reservation_id,),
            ).fetchone()
            ov = overlay.Overlay(
                conn,
                [
                    a
                    for a in overlay.for_table(conn, "reservations")
                    if a.target_id == reservation_id
                ],
            )
            if row is not None:
                res = wire.Reservation.model_validate_json(row[0])
                name = f"{row[1]} {row[2]}" if row[1] is not None else res.shopper_id
                product = products(conn, [res.sku]).get(res.sku)
                return confirmed_view(res, product, name, self._store_name, ov)
            created = ov.created("reservations", NewReservation)
            if not created:
                return None
            a, r = created[0]
            product = products(conn, [r.sku]).get(r.sku)
            names = shopper_names(conn, [r.shopper_id])
        return new_view(a, r, product, names.get(r.shopper_id, r.shopper_id), self._store_name, ov)

    def reservation_counts(self, store_id: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for view in self.reservations(store_id):
            counts[view.status] += 1
        return dict(counts)
