"""``cancel_reservation``: give a reservation's held stock back."""

from __future__ import annotations

from collections.abc import Iterator

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Active, Effects, StockContext, StockDelta
from sync.wire import Id, Model

NAME = "cancel_reservation"


class Args(Model):
    reservation_id: Id


def check(c: Checks, *, reservation_id: str) -> Queued:
    res = c.cache.reservation(reservation_id)
    if res is None:
        c.fail("reservation_id", "This reservation is not on this device.")
        c.raise_if_any()
    assert res is not None
    if res.status not in ("pending", "ready"):
        c.fail("reservation_id", f"This reservation is already {res.status}.")
    c.raise_if_any()
    name = res.product.name if res.product else res.sku
    return Queued(
        args=Args(reservation_id=reservation_id),
        summary=f"Cancel reservation of {res.qty} × {name} for {res.shopper_name}",
        shopper_id=res.shopper_id,
        store_id=res.store_id,
        sku=res.sku,
        target_id=reservation_id,
        base={"qty": res.qty, "prev_status": res.status},
    )


def cancelled(a: Active) -> str:
    return "cancelled"


def given_back(a: Active, seen: StockContext) -> Iterator[StockDelta]:
    """The units come back while central's reservation still holds them (a reservation
    made here and not yet confirmed simply stops holding: see ``reserve_item``)."""
    holding = seen.confirmed_status("reservations", a.target_id or "") in ("pending", "ready")
    if holding and a.store_id and a.sku:
        yield StockDelta(a.store_id, a.sku, int(a.base.get("qty", 0)))


EFFECTS = Effects(table="reservations", status=cancelled, stock=given_back)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
