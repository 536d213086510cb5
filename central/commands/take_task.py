"""``take_task``: an associate says "I'm on it" for a request on the store's floor.

Who may send it: an associate's tablet of the task's store, with a signed-in associate
(a kiosk cannot: ``not_allowed``; nobody signed in: ``no_session``, as for every tablet command).
What it may touch: one task of the device's own store (another store's task is
``not_allowed``, an id central does not know ``unknown_task``): its status becomes
``taken``, with ``taken_by`` (the associate's staff id), ``taken_by_name`` and
``taken_at``. A task someone else took is a ``conflict`` naming who is on it; taking your
own again changes nothing and answers as the first time; a task already done is
``invalid_state``.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.commands.tasks import staff_name, store_task
from sync.commands.take_task import Args
from sync.wire import utc_now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    task = store_task(ctx, args.task_id, "take")
    staff_id = ctx.command.staff_id
    if task["status"] == "done":
        raise Reject("invalid_state", "This request is already done.")
    if task["status"] == "taken" and task.get("taken_by") != staff_id:
        raise Reject("conflict", f"{task.get('taken_by_name') or 'Someone'} is already on it.")
    if task["status"] == "open":
        task = ctx.put(
            "task",
            {
                **task,
                "status": "taken",
                "taken_by": staff_id,
                "taken_by_name": staff_name(ctx),
                "taken_at": utc_now(),
            },
        )
    return {"task_id": task["id"], "status": "taken", "taken_by_name": task["taken_by_name"]}


COMMAND = Declaration(
    "take_task",
    handle,
    touches="a task of the device's own store: taken by the signed-in associate",
)
