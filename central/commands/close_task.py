"""``close_task``: an associate marks a request on the store's floor done.

Who may send it: an associate's tablet of the task's store, with a signed-in associate
(a kiosk cannot: ``not_allowed``; nobody signed in: ``no_session``, as for every tablet command).
What it may touch: one task of the device's own store (another store's task is
``not_allowed``, an id central does not know ``unknown_task``): open or taken, by anyone
of the store, it becomes ``done`` with ``closed_by`` (the associate's staff id),
``closed_by_name`` and ``closed_at``. A task already done stays as it was (closing it
again, by anyone, changes nothing and answers who closed it).

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration
from central.commands.tasks import staff_name, store_task
from sync.commands.close_task import Args
from sync.wire import utc_now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    task = store_task(ctx, args.task_id, "close")
    if task["status"] != "done":
        task = ctx.put(
            "task",
            {
                **task,
                "status": "done",
                "closed_by": ctx.command.staff_id,
                "closed_by_name": staff_name(ctx),
                "closed_at": utc_now(),
            },
        )
    return {"task_id": task["id"], "status": "done", "closed_by_name": task["closed_by_name"]}


COMMAND = Declaration(
    "close_task",
    handle,
    touches="a task of the device's own store: done, by the signed-in associate",
)
