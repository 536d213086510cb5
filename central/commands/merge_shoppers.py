"""``merge_shoppers``: a manager's answer to a probable duplicate: merge or keep both.

Who may send it: a manager's tablet of the task's store (central reads the role from its
own associate record: anyone else is ``not_allowed``, as is a kiosk).
What it may touch: the ``duplicate_shopper`` task it answers (done, with who answered) and
the two shoppers it names, nothing else: the pair must be the task's (``invalid_args``),
a task already answered is ``invalid_state``. ``merge`` folds ``merge_id`` into
``keep_id`` and moves everything of theirs (``central.shopper_merge``); ``keep_both``
changes no shopper, and since the task stays, central never asks about that pair again
(``central.duplicates``).

Role: only a manager of the store (``Declaration.roles``, enforced by the command
runner from central's own associate record), or an associate whose command carries a
manager's approval (``approved_by``: an active manager of the store).
"""

from __future__ import annotations

from typing import Any

from central import duplicates, shopper_merge
from central.commands.base import Context, Declaration, Reject
from central.commands.tasks import staff_name, store_task
from sync.commands.merge_shoppers import Args
from sync.rules import roles
from sync.wire import utc_now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    task = store_task(ctx, args.task_id, "answer")
    if task.get("kind") != duplicates.DUPLICATE:
        raise Reject("invalid_args", "This task is not about a possible duplicate.")
    if task["status"] == "done":
        raise Reject("invalid_state", "This possible duplicate was already answered.")
    if {args.keep_id, args.merge_id} != {task.get("shopper_id"), task.get("duplicate_of")}:
        raise Reject("invalid_args", "Name the two records of this task.")
    moved = 0
    if args.decision == "merge":
        keep = ctx.get("shopper", args.keep_id, lock=True)
        gone = ctx.get("shopper", args.merge_id, lock=True)
        if keep is None or gone is None:
            raise Reject("unknown_shopper", "One of these shoppers is not known to central.")
        if keep.get("merged_into") or gone.get("merged_into"):
            raise Reject("invalid_state", "One of these records was already merged.")
        moved = shopper_merge.merge(ctx, keep, gone, str(task["id"]))
    ctx.put(
        "task",
        {
            **task,
            "status": "done",
            "closed_by": ctx.command.staff_id,
            "closed_by_name": staff_name(ctx),
            "closed_at": utc_now(),
        },
    )
    return {"decision": args.decision, "keep_id": args.keep_id, "moved": moved}


COMMAND = Declaration(
    "merge_shoppers",
    handle,
    touches="a duplicate task of the device's store and the two shoppers it names",
    roles=roles.MANAGERS,
    role_rule=roles.ACTIONS["merge_shoppers"],
)
