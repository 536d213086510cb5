"""``update_task``: a task is done, snoozed, reassigned or reopened.

Who may send it: an associate's tablet of the task's store, with a signed-in associate
(a kiosk cannot: ``not_allowed``; nobody signed in: ``no_session``, as for every tablet command).
What it may touch: one task of the device's own store (another store's task is
``not_allowed``, an id central does not know ``unknown_task``):

* ``done``: the task becomes ``done`` with ``closed_by``, ``closed_by_name``, ``closed_at``.
  The first to complete it wins: a task someone else completed is a ``conflict`` ("Already
  done by Aoife Byrne at 10:42", central's time, UTC); completing your own again changes
  nothing and answers as the first time. A kiosk's call may be done this way too.
* ``snooze``: ``snoozed`` until ``until``; ``reassign``: a new ``owner_id`` (an active
  associate of the task's store, ``not_allowed`` otherwise). Both on a task someone
  completed meanwhile are a ``conflict`` as above; both are for follow-ups only
  (``invalid_state`` for a call).
* ``reopen``: a done or snoozed follow-up is ``open`` again (an open one stays as it is).

A snooze without ``until`` or a reassign without ``owner_id`` is ``invalid_args``.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.commands.tasks import staff_name, store_owner, store_task
from sync.commands.update_task import Args, already_done
from sync.wire import utc_now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    task = store_task(ctx, args.task_id, "change")
    staff_id = ctx.command.staff_id
    action = args.action
    if action != "done" and task["kind"] != "follow_up":
        raise Reject("invalid_state", "Only a follow-up can be snoozed, reassigned or reopened.")
    if action != "reopen" and task["status"] == "done":
        if action == "done" and task.get("closed_by") == staff_id:
            return _answer(task)  # your own again: nothing changes
        closed_at = str(task.get("closed_at") or "")
        raise Reject("conflict", already_done(task.get("closed_by_name"), closed_at[11:16]))
    if action == "done":
        changes: dict[str, Any] = {
            "status": "done",
            "closed_by": staff_id,
            "closed_by_name": staff_name(ctx),
            "closed_at": utc_now(),
        }
    elif action == "snooze":
        if args.until is None:
            raise Reject("invalid_args", "Say until when to snooze the task.")
        changes = {"status": "snoozed", "snoozed_until": args.until}
    elif action == "reassign":
        if args.owner_id is None:
            raise Reject("invalid_args", "Say who takes the task over.")
        owner = store_owner(ctx, args.owner_id, task["store_id"])
        changes = {"owner_id": args.owner_id, "owner_name": owner}
    elif task["status"] in ("done", "snoozed"):
        changes = {
            "status": "open",
            "snoozed_until": None,
            "closed_by": None,
            "closed_by_name": None,
            "closed_at": None,
        }
    else:
        return _answer(task)  # reopening an open task changes nothing
    return _answer(ctx.put("task", {**task, **changes}))


def _answer(task: dict[str, Any]) -> dict[str, Any]:
    return {
        "task_id": task["id"],
        "status": task["status"],
        "owner_id": task.get("owner_id"),
        "closed_by_name": task.get("closed_by_name"),
        "version": task["version"],  # the row that holds the change (the device waits for it)
    }


COMMAND = Declaration(
    "update_task",
    handle,
    touches="a task of the device's own store: done, snoozed, reassigned or reopened",
)
