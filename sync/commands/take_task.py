"""``take_task``: "I'm on it" for a request on the store's floor (a kiosk's call)."""

from __future__ import annotations

from sync.commands.base import Checks, CommandSpec, Queued, short
from sync.commands.effects import Active, Effects
from sync.wire import Id, Model

NAME = "take_task"


class Args(Model):
    task_id: Id


def check(c: Checks, *, task_id: str) -> Queued:
    task = c.task(task_id, "take")
    c.raise_if_any()
    assert task is not None
    return Queued(
        args=Args(task_id=task.id),
        summary=f"I'm on it: {short(task.message)}",
        shopper_id=task.shopper_id,
        store_id=task.store_id,
        target_id=task.id,
    )


def taken(a: Active) -> str:
    """The task shows taken (by this command's associate) until central answers."""
    return "taken"


EFFECTS = Effects(table="tasks", status=taken)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
