"""``call_associate``: a kiosk asks for an associate (a task for the store's floor)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.commands.base import Checks, CommandSpec, Queued, new_id, short
from sync.commands.effects import Active, Effects, NewTask
from sync.wire import Id, Model

NAME = "call_associate"


class Args(Model):
    task_id: Id  # chosen by the client (uuid4)
    shopper_id: Id | None = None
    message: Annotated[str, Field(min_length=1, max_length=500)]


def check(c: Checks, *, message: str, shopper_id: str | None) -> Queued:
    task_id = new_id()
    if shopper_id is not None:
        c.shopper(shopper_id)
    clean = c.text(message, "message", 500, "Say what you need help with.")
    if c.here is None:
        c.fail("store_id", "This device is not set up for a store yet.")
    c.raise_if_any()
    return Queued(
        args=Args(task_id=task_id, shopper_id=shopper_id, message=clean),
        summary=f"Call an associate: {short(clean)}",
        shopper_id=shopper_id,
        store_id=c.here,
        target_id=task_id,
    )


def new_task(a: Active) -> NewTask:
    """An open task on the store's list until central's copy is pulled."""
    return NewTask(
        id=a.target_id or a.id,
        kind=NAME,
        shopper_id=a.shopper_id,
        message=str(a.args["message"]),
    )


EFFECTS = Effects(table="tasks", creates=new_task)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
