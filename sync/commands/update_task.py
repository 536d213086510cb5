"""``update_task``: a task moves on: ``done``, ``snooze`` (until a later time),
``reassign`` (to an active associate of the store), ``reopen`` (a done or snoozed task
open again).

Follow-ups take every action; a kiosk's call takes ``done`` (``take_task`` and
``close_task`` stay the call's own). The effect shows at once as fields laid over the
task (``Effects.fields``); central decides who was first (a task someone else completed
meanwhile is a ``conflict``: "Already done by Aoife Byrne at 10:42").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sync.commands.base import Checks, CommandSpec, Queued, short
from sync.commands.create_task import future_time, local_hhmm, moment, store_associate
from sync.commands.effects import Active, Effects
from sync.wire import Id, Model, Timestamp

NAME = "update_task"

Action = Literal["done", "snooze", "reassign", "reopen"]
ACTIONS = ("done", "snooze", "reassign", "reopen")


class Args(Model):
    task_id: Id
    action: Action
    until: Timestamp | None = None  # snooze: until when
    owner_id: Id | None = None  # reassign: to whom (central refuses either missing)


def already_done(name: str | None, at: str | None) -> str:
    """The sentence for a task someone completed first (device and central say the same)."""
    return f"Already done by {name or 'someone'} at {at or '?'}."


def check(
    c: Checks,
    *,
    task_id: str,
    action: str,
    until: str | datetime | None,
    owner_id: str | None,
) -> Queued:
    if c.is_kiosk:
        c.fail("task_id", "Only an associate's tablet can change a task.")
        c.raise_if_any()
    task = c.cache.task(task_id) if isinstance(task_id, str) else None
    if task is None:
        c.fail("task_id", "This task is not on this tablet; wait for the next sync.")
        c.raise_if_any()
    assert task is not None
    if action not in ACTIONS:
        c.fail("action", "Choose done, snooze, reassign or reopen.")
        c.raise_if_any()
    if task.kind != "follow_up" and action != "done":
        c.fail("action", "Only a follow-up can be snoozed, reassigned or reopened.")
    elif action != "reopen" and task.status == "done":
        c.fail("task_id", already_done(task.closed_by_name, local_hhmm(task.closed_at)))
    elif action == "reopen" and task.status not in ("done", "snoozed"):
        c.fail("action", "Only a done or snoozed task can be reopened.")
    snooze_until = None
    if action == "snooze":
        if until is None:
            c.fail("until", "Choose until when to snooze it.")
        else:
            snooze_until = future_time(c, until, "until", "Choose a later time to snooze until.")
    owner = None
    if action == "reassign":
        if owner_id is None:
            c.fail("owner_id", "Choose who takes it over.")
        else:
            owner = store_associate(c, owner_id, "owner_id")
    c.raise_if_any()
    summaries = {
        "done": "Done",
        "snooze": f"Snoozed until {_local(snooze_until)}",
        "reassign": f"For {owner.name if owner else ''}",
        "reopen": "Reopened",
    }
    return Queued(
        args=Args(
            task_id=task.id,
            action=action,  # type: ignore[arg-type]  # checked against ACTIONS above
            until=snooze_until,
            owner_id=owner.id if owner else None,
        ),
        summary=f"{summaries[action]}: {short(task.message)}",
        shopper_id=task.shopper_id,
        store_id=task.store_id,
        target_id=task.id,
        base={"version": task.version},
    )


def _local(timestamp: str | None) -> str:
    return moment(timestamp).astimezone().strftime("%d %b %H:%M") if timestamp else ""


def changed(a: Active) -> dict[str, Any]:
    """The fields the action sets on the task, shown until central's copy is pulled."""
    action = a.args["action"]
    if action == "done":
        return {"status": "done", "closed_by": a.staff_id, "closed_at": a.created_at}
    if action == "snooze":
        return {"status": "snoozed", "snoozed_until": a.args["until"]}
    if action == "reassign":
        return {"owner_id": a.args["owner_id"]}
    return {"status": "open", "snoozed_until": None, "closed_by": None, "closed_at": None}


EFFECTS = Effects(table="tasks", fields=changed)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
