"""``reserve_item``: hold ``qty`` of a SKU at a store for a shopper until ``hold_until``.

Who may send it: an associate's tablet or a kiosk (a kiosk only for a shopper it served:
``central.kiosk``).
What it may touch: a new reservation, and the stock it holds, at any store (pickup
elsewhere is allowed: the stock decides), for any shopper central knows; the online
warehouse or an unknown store is ``unknown_store``. The device is recorded as the
reservation's creator (``cancel_reservation`` lets it cancel it). An existing
reservation id is a ``conflict``: nobody takes over another's reservation. A hold time
already past is refused (``invalid_state``): queued offline for longer than the hold, it
would expire on arrival.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.expiry import hold_passed
from sync.commands.reserve_item import Args
from sync.wire import utc_now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.exists("reservation", args.reservation_id):
        raise Reject("conflict", "A reservation with this id already exists.")
    store = ctx.store(args.store_id)
    ctx.product(args.sku)
    ctx.shopper(args.shopper_id)
    if hold_passed({"hold_until": args.hold_until}):
        raise Reject(
            "invalid_state", "The time to hold this item until has passed; reserve it again."
        )
    inv = ctx.inventory(args.store_id, args.sku)
    if inv["available"] < args.qty:
        left = inv["available"]
        have = f"Only {left} left" if left else "None left"
        raise Reject(
            "out_of_stock",
            f"{have} at {store['name']}; try another store or order online.",
        )
    ctx.put_stock(inv, inv["on_hand"], inv["reserved"] + args.qty)
    ctx.book(args.shopper_id, args.store_id)
    ctx.note_reservation_creator(args.reservation_id)
    now = utc_now()
    ctx.put(
        "reservation",
        {
            "id": args.reservation_id,
            "version": 1,
            "updated_at": now,
            "store_id": args.store_id,
            "sku": args.sku,
            "qty": args.qty,
            "shopper_id": args.shopper_id,
            "status": "pending",
            "hold_until": args.hold_until,
            "notify_by": args.notify_by,
            "created_by": ctx.command.staff_id,
            "author": ctx.author(),
            "created_at": now,
        },
    )
    return {"reservation_id": args.reservation_id}


COMMAND = Declaration(
    "reserve_item",
    handle,
    touches="a new reservation and its stock at any store, for any shopper central knows",
    kiosk=True,
)
