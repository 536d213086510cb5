"""What the task commands share: the task a device may act on, who, and to whom it goes."""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Reject
from sync.wire import utc_now


def store_task(ctx: Context, task_id: str, doing: str) -> dict[str, Any]:
    """The task ``task_id`` of the device's own store, for a signed-in associate.

    ``unknown_task`` when central has no such task; ``not_allowed`` when it belongs to
    another store (only that store's associates work its floor) or when no associate is
    named (a task is taken and closed by a person, whose name the kiosk and the other
    tablets show).
    """
    task = ctx.get("task", task_id)
    if task is None:
        raise Reject("unknown_task", "This request is not known to central.")
    if task["store_id"] != ctx.device.store_id:
        raise Reject(
            "not_allowed",
            f"This request is for another store; only that store's associates can {doing} it.",
        )
    if ctx.command.staff_id is None:
        raise Reject(
            "not_allowed", f"Sign in first: only a signed-in associate can {doing} a request."
        )
    return task


def staff_name(ctx: Context) -> str:
    """The signed-in associate's name (their staff id if central has no name)."""
    return ctx.staff_name() or str(ctx.command.staff_id)


def store_owner(ctx: Context, owner_id: str | None, store_id: str) -> str | None:
    """The name of ``owner_id``, an active associate of ``store_id`` (None for nobody:
    anyone in the store); ``not_allowed`` for anyone else."""
    if owner_id is None:
        return None
    associate = ctx.get("associate", owner_id)
    if associate is None or associate["store_id"] != store_id or not associate.get("active", True):
        raise Reject("not_allowed", "A task can go only to an active associate of its store.")
    return str(associate["name"])


def open_task(ctx: Context, task_id: str, shopper_id: str | None, **fields: Any) -> dict[str, Any]:
    """Write a new ``open`` task at the device's store (``fields``: its kind, message and
    the rest). An existing id is a ``conflict``; the shopper, when named, must be known to
    central (``unknown_shopper``) and joins the store's book."""
    if ctx.exists("task", task_id):
        raise Reject("conflict", "A task with this id already exists.")
    if shopper_id is not None:
        ctx.shopper(shopper_id)
        ctx.book(shopper_id)
    now = utc_now()
    return ctx.put(
        "task",
        {
            "id": task_id,
            "version": 1,
            "updated_at": now,
            "store_id": ctx.device.store_id,
            "shopper_id": shopper_id,
            "status": "open",
            "created_at": now,
            **fields,
        },
    )
