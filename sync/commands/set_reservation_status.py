"""``set_reservation_status``: mark a reservation ready (picked) or collected, or undo that.

``pending`` takes back "ready" and ``ready`` takes back "collected"
(``sync.rules.reservations``); central allows it only shortly after the change.
"""

from __future__ import annotations

from typing import Literal

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Active, Effects
from sync.rules.reservations import is_undo
from sync.wire import Id, Model

NAME = "set_reservation_status"


class Args(Model):
    reservation_id: Id
    status: Literal["pending", "ready", "collected"]


def check(c: Checks, *, reservation_id: str, status: str) -> Queued:
    if status not in ("pending", "ready", "collected"):
        c.fail("status", "Choose pending, ready or collected.")
        c.raise_if_any()
    res = c.cache.reservation(reservation_id)
    if res is None:
        c.fail("reservation_id", "This reservation is not on this device.")
        c.raise_if_any()
    assert res is not None
    undo = is_undo(res.status, status)
    if not undo and (res.status not in ("pending", "ready") or res.status == status):
        c.fail("status", f"This reservation is already {res.status}.")
    elif not undo and status == "pending":
        c.fail("status", "Only a reservation marked ready can go back to pending.")
    c.raise_if_any()
    name = res.product.name if res.product else res.sku
    return Queued(
        args=Args(reservation_id=reservation_id, status=status),  # type: ignore[arg-type]
        summary=f"{'Undo: mark' if undo else 'Mark'} {res.qty} × {name}"
        f" for {res.shopper_name} as {status}",
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
