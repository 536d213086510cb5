""" "I'm on it" and "Done", for the inbox page and the toast alike: one command each
through ``sync.queueing.Commands``, a clear sentence when it cannot be sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskActions", text)


def take(ctx: AppContext, task_id: str) -> bool:
    """The signed-in associate takes the request; False (and a banner) when not sent."""
    try:
        ctx.commands.take_task(task_id=task_id, staff_id=ctx.staff_id)
    except (InvalidInput, CacheError) as exc:
        ctx.messages.error(exc.message)
        return False
    ctx.messages.success(
        _tr("You're on it: the kiosk shows that someone is coming."), log_text="task taken"
    )
    return True


def close(ctx: AppContext, task_id: str) -> bool:
    """The request is done; False (and a banner) when not sent."""
    try:
        ctx.commands.close_task(task_id=task_id, staff_id=ctx.staff_id)
    except (InvalidInput, CacheError) as exc:
        ctx.messages.error(exc.message)
        return False
    ctx.messages.success(_tr("Done: the request is off the list."), log_text="task closed")
    return True
