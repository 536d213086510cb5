""" "I'm on it" and "Done", for the inbox page and the toast alike, and a follow-up's
Done, Snooze, Reassign and Reopen (``update_task``): one command each through
``sync.queueing.Commands``, a clear sentence when it cannot be sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Literal

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
    return _update(ctx, task_id, "done", _tr("Done: the follow-up is off your list."))


def snooze(ctx: AppContext, task_id: str, until: datetime) -> bool:
    """A follow-up waits until ``until``; it comes back as open then."""
    when = until.strftime("%a %d %b, %H:%M")
    return _update(
        ctx, task_id, "snooze", _tr("Snoozed until {when}.").format(when=when), until=until
    )


def reassign(ctx: AppContext, task_id: str, owner_id: str | None, owner: str) -> bool:
    """A follow-up goes to ``owner_id`` (None: anyone in the store)."""
    given = _tr("Given to {name}.").format(name=owner)
    return _update(ctx, task_id, "reassign", given, owner_id=owner_id)


def reopen(ctx: AppContext, task_id: str) -> bool:
    """A done or snoozed follow-up is open again."""
    return _update(ctx, task_id, "reopen", _tr("Open again."))


def _update(
    ctx: AppContext,
    task_id: str,
    action: Literal["done", "snooze", "reassign", "reopen"],
    done: str,
    until: datetime | None = None,
    owner_id: str | None = None,
) -> bool:
    command = partial(ctx.commands.update_task, action=action, until=until, owner_id=owner_id)
    return _send(command, ctx, task_id, done, f"follow-up {action}")
