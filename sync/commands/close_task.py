"""``close_task``: a request on the store's floor is done."""

from __future__ import annotations

from sync.commands.base import Checks, CommandSpec, Queued, short
from sync.commands.effects import Active, Effects
from sync.wire import Id, Model

NAME = "close_task"


class Args(Model):
    task_id: Id


def check(c: Checks, *, task_id: str) -> Queued:
    task = c.task(task_id, "close")
    c.raise_if_any()
    assert task is not None
    return Queued(
        args=Args(task_id=task.id),
        summary=f"Done: {short(task.message)}",
        shopper_id=task.shopper_id,
        store_id=task.store_id,
        target_id=task.id,
    )


def done(a: Active) -> str:
    """The task leaves the open list at once; central's copy says who closed it."""
    return "done"


EFFECTS = Effects(table="tasks", status=done)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
