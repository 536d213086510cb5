"""``create_task``: an associate makes a follow-up with a shopper (what, when, for whom).

Who may send it: an associate's tablet with a signed-in associate (a kiosk cannot:
``not_allowed``; nobody signed in: ``no_session``, as for every tablet command).
What it may touch: a new ``follow_up`` task at the device's own store, and no other (the
command names no store), ``open``, with the author (``created_by``). The shopper, when
named, must be one central knows (``unknown_shopper``) and joins the store's book; the
owner, when named, must be an active associate of the device's store (``not_allowed``
otherwise). An existing task id is a ``conflict``.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration
from central.commands.tasks import open_task, store_owner
from sync.commands.create_task import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    owner = store_owner(ctx, args.owner_id, ctx.device.store_id)
    open_task(
        ctx,
        args.task_id,
        args.shopper_id,
        kind="follow_up",
        message=args.message,
        due_at=args.due_at,
        owner_id=args.owner_id,
        owner_name=owner,
        created_by=ctx.author(),
    )
    return {"task_id": args.task_id}


COMMAND = Declaration(
    "create_task",
    handle,
    touches="a new follow-up task at the device's own store",
)
