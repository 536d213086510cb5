""" "I'm on it" and "Done", for the inbox page and the toast alike: one command each
through ``sync.queueing.Commands``, a clear sentence when it cannot be sent."""

from __future__ import annotations

from collections.abc import Callable
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
