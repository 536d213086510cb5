"""``set_reservation_status``: mark a reservation ready (picked) or collected."""

from __future__ import annotations

from typing import Literal

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Active, Effects
from sync.wire import Id, Model

NAME = "set_reservation_status"


class Args(Model):
    reservation_id: Id
    status: Literal["ready", "collected"]


def check(c: Checks, *, reservation_id: str, status: str) -> Queued:
    if status not in ("ready", "collected"):
        c.fail("status", "Choose ready or collected.")
        c.raise_if_any()
    res = c.cache.reservation(reservation_id)
    if res is None:
        c.fail("reservation_id", "This reservation is not on this device.")
        c.raise_if_any()
    assert res is not None
    if res.status not in ("pending", "ready") or res.status == status:
        c.fail("status", f"This reservation is already {res.status}.")
    c.raise_if_any()
    name = res.product.name if res.product else res.sku
    return Queued(
        args=Args(reservation_id=reservation_id, status=status),  # type: ignore[arg-type]
        summary=f"Mark {res.qty} × {name} for {res.shopper_name} as {status}",
        shopper_id=res.shopper_id,
        store_id=res.store_id,
        sku=res.sku,
        target_id=reservation_id,
        base={"prev_status": res.status},
    )


def new_status(a: Active) -> str:
    return str(a.args["status"])


EFFECTS = Effects(table="reservations", status=new_status)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
