"""``cancel_reservation``: give a pending or ready reservation's stock back.

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``).
What it may touch: a reservation held at the device's store, or one this very device
created (at any store); any other reservation it can see is ``not_allowed``, and one it
cannot see is ``unknown_reservation``. Seeing a reservation is not enough: serving a
shopper puts them, and their reservations at other stores, in the device's book.
A reservation past its hold can still be cancelled: the stock goes back either way.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.commands.cancel_reservation import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    res = ctx.reservation(args.reservation_id)
    if res["store_id"] != ctx.device.store_id and not ctx.created_reservation(res["id"]):
        raise Reject(
            "not_allowed",
            "This reservation is held at another store; only that store, or the device"
            " that made it, can cancel it.",
        )
    if res["status"] not in ("pending", "ready"):
        raise Reject(
            "invalid_state", f"This reservation is {res['status']}; it cannot be cancelled."
        )
    inv = ctx.inventory(res["store_id"], res["sku"])
    ctx.put_stock(inv, inv["on_hand"], inv["reserved"] - res["qty"])
    ctx.put_reservation_status(res, "cancelled")
    return {"reservation_id": res["id"], "status": "cancelled"}


COMMAND = Declaration(
    "cancel_reservation",
    handle,
    touches="a reservation held at the device's store, or one the device created",
)
