"""``cancel_reservation``: give a pending or ready reservation's stock back.

Who may send it: an associate's tablet, for any reservation its device can see (not only
the ones held at its store). A reservation past its hold can still be cancelled: the
stock goes back either way.
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.commands.cancel_reservation import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    res = ctx.reservation(args.reservation_id)
    if res["status"] not in ("pending", "ready"):
        raise Reject(
            "invalid_state", f"This reservation is {res['status']}; it cannot be cancelled."
        )
    inv = ctx.inventory(res["store_id"], res["sku"])
    ctx.put_stock(inv, inv["on_hand"], inv["reserved"] - res["qty"])
    ctx.put("reservation", {**res, "status": "cancelled"})
    return {"reservation_id": res["id"], "status": "cancelled"}


COMMAND = Declaration("cancel_reservation", handle)
