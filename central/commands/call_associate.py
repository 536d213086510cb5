"""``call_associate``: open a task asking an associate to come over, at the device's store.

Who may send it: an associate's tablet or a kiosk (a kiosk naming a shopper only one it
served: ``central.kiosk``).
What it may touch: a new task at the device's own store, and no other (the command names
no store); the shopper, when named, must be one central knows (``unknown_shopper``) and
joins the store's book. An existing task id is a ``conflict``.
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.commands.call_associate import Args
from sync.wire import utc_now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.exists("task", args.task_id):
        raise Reject("conflict", "A task with this id already exists.")
    if args.shopper_id is not None:
        ctx.shopper(args.shopper_id)
        ctx.book(args.shopper_id)
    now = utc_now()
    ctx.put(
        "task",
        {
            "id": args.task_id,
            "version": 1,
            "updated_at": now,
            "store_id": ctx.device.store_id,
            "kind": "call_associate",
            "shopper_id": args.shopper_id,
            "message": args.message,
            "status": "open",
            "device_id": ctx.device.id,
            "created_at": now,
        },
    )
    return {"task_id": args.task_id}


COMMAND = Declaration(
    "call_associate",
    handle,
    touches="a new task at the device's own store",
    kiosk=True,
)
