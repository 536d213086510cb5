""" "I'm on it" and "Done", for the inbox page and the toast alike, and a follow-up's
Done, Snooze, Reassign and Reopen (``update_task``): one command each through
``sync.queueing.Commands``, a clear sentence when it cannot be sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.records import OutboxEntry


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskActions", text)


def take(ctx: AppContext, task_id: str) -> bool:
    """The signed-in associate takes the request; False (and a banner) when not sent."""
    return _send(
        ctx.commands.take_task,
        ctx,
        task_id,
        _tr("You're on it: the kiosk shows that someone is coming."),
        "task taken",
    )


def close(ctx: AppContext, task_id: str) -> bool:
    """The request is done; False (and a banner) when not sent."""
    return _send(
        ctx.commands.close_task,
        ctx,
        task_id,
        _tr("Done: the request is off the list."),
        "task closed",
    )


def _send(
    command: Callable[..., OutboxEntry], ctx: AppContext, task_id: str, done: str, log_text: str
) -> bool:
    try:
        command(task_id=task_id)
    except (InvalidInput, CacheError) as exc:
        ctx.messages.error(exc.message)
        return False
    ctx.messages.success(done, log_text=log_text)
    return True


def finish(ctx: AppContext, task_id: str) -> bool:
    """A follow-up is done."""
    return _send(
        partial(ctx.commands.update_task, action="done"),
        ctx,
        task_id,
        _tr("Done: the follow-up is off your list."),
        "follow-up done",
    )


def snooze(ctx: AppContext, task_id: str, until: datetime) -> bool:
    """A follow-up waits until ``until``; it comes back as open then."""
    return _send(
        partial(ctx.commands.update_task, action="snooze", until=until),
        ctx,
        task_id,
        _tr("Snoozed until {when}.").format(when=until.strftime("%a %d %b, %H:%M")),
        "follow-up snoozed",
    )


def reassign(ctx: AppContext, task_id: str, owner_id: str | None, owner: str) -> bool:
    """A follow-up goes to ``owner_id`` (None: anyone in the store)."""
    return _send(
        partial(ctx.commands.update_task, action="reassign", owner_id=owner_id),
        ctx,
        task_id,
        _tr("Given to {name}.").format(name=owner),
        "follow-up reassigned",
    )


def reopen(ctx: AppContext, task_id: str) -> bool:
    """A done or snoozed follow-up is open again."""
    return _send(
        partial(ctx.commands.update_task, action="reopen"),
        ctx,
        task_id,
        _tr("Open again."),
        "follow-up reopened",
    )
