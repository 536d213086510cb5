"""``call_associate``: open a task asking an associate to come over, at the device's store.

Who may send it: an associate's tablet or a kiosk (a kiosk naming a shopper only one it
served: ``central.kiosk``).
What it may touch: a new task at the device's own store, and no other (the command names
no store); the shopper, when named, must be one central knows (``unknown_shopper``) and
joins the store's book. An existing task id is a ``conflict``.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration
from central.commands.tasks import open_task
from sync.commands.call_associate import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    open_task(
        ctx,
        args.task_id,
        args.shopper_id,
        kind="call_associate",
        message=args.message,
        device_id=ctx.device.id,
    )
    return {"task_id": args.task_id}


COMMAND = Declaration(
    "call_associate",
    handle,
    touches="a new task at the device's own store",
    kiosk=True,
)
