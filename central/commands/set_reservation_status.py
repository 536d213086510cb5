"""``set_reservation_status``: mark a reservation ``ready`` or ``collected``.

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``).
What it may touch: a reservation held at the device's own store, and that store's stock
when collected; one held at another store is ``not_allowed`` (even for the device that
made it: only the store holding the goods hands them over), and one out of the device's
sight is ``unknown_reservation``. A reservation whose hold has passed counts as expired
even before the sweep marks it (``invalid_state``). Collecting takes the units off the
shelf. Marking it ready holds it at least two more days from then (``sync.rules.holds``)
and queues "your reservation is ready" by the shopper's ``notify_by`` channel, once per
reservation (``central.messaging.service``).

Undo: ``pending`` takes back "ready", ``ready`` from collected takes back "collected" (the
units go back on the shelf, still held), only at the holding store and only within
``sync.rules.reservations.UNDO_WINDOW`` of the reservation's last change, and a ready one
only while its hold lasts (else ``invalid_state``).

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.expiry import hold_passed
from central.messaging.service import reservation_ready
from sync.commands.set_reservation_status import Args
from sync.rules.holds import hold_when_ready
from sync.rules.reservations import is_undo, undo_allowed

_NEXT_STATUS = {"ready": ("pending",), "collected": ("pending", "ready")}


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    res = ctx.reservation(args.reservation_id)
    if res["store_id"] != ctx.device.store_id:
        raise Reject(
            "not_allowed",
            "This reservation is held at another store; only that store can mark it"
            f" {args.status}.",
        )
    if is_undo(res["status"], args.status):
        return _undo(ctx, res, args.status)
    if res["status"] not in _NEXT_STATUS.get(args.status, ()):
        raise Reject(
            "invalid_state",
            f"This reservation is {res['status']}; it cannot become {args.status}.",
        )
    if hold_passed(res):
        raise Reject(
            "invalid_state",
            f"This reservation's hold has ended; it cannot become {args.status}."
            " Reserve the item again if it is still wanted.",
        )
    if args.status == "collected":
        inv = ctx.inventory(res["store_id"], res["sku"])
        ctx.put_stock(inv, inv["on_hand"] - res["qty"], inv["reserved"] - res["qty"])
    changed: dict[str, Any] = {}
    if args.status == "ready":
        changed["hold_until"] = hold_when_ready(res["hold_until"], datetime.now(UTC))
    stored = ctx.put_reservation_status(res, args.status, **changed)
    if args.status == "ready":
        reservation_ready(ctx, stored)  # "your reservation is ready", once, by notify_by
    return {"reservation_id": res["id"], "status": args.status}


def _undo(ctx: Context, res: dict[str, Any], status: str) -> dict[str, Any]:
    """Take back the last change (ready -> pending, collected -> ready) while it is recent."""
    if not undo_allowed(res["updated_at"], datetime.now(UTC)):
        raise Reject(
            "invalid_state",
            f"This reservation became {res['status']} too long ago to undo;"
            f" it cannot become {status}.",
        )
    if res["status"] == "ready" and hold_passed(res):  # counts as expired already
        raise Reject(
            "invalid_state", f"This reservation's hold has ended; it cannot become {status}."
        )
    if res["status"] == "collected":  # the units are back on the shelf, held again
        inv = ctx.inventory(res["store_id"], res["sku"])
        ctx.put_stock(inv, inv["on_hand"] + res["qty"], inv["reserved"] + res["qty"])
    ctx.put_reservation_status(res, status)
    return {"reservation_id": res["id"], "status": status}


COMMAND = Declaration(
    "set_reservation_status",
    handle,
    touches="a reservation held at the device's own store, and that store's stock",
)
