"""The path of a bug: one ``sys.excepthook`` for the whole GUI (qutebrowser's crash
handler is the model).

Known failures (``sync.errors``: a full disk, central unreachable, a person's invalid
input) are caught where they happen and told in a sentence. Anything else is a bug, and
it reaches ``CrashHandler``: from a Qt slot (PySide hands an exception that leaves a
slot to ``sys.excepthook``), or from background work (``app.background.spawn`` hands a
task's unexpected exception to ``report``, and the caller's ``failure`` an
``UnexpectedError``). The handler logs the traceback through the
``clienteling`` log, whose handlers mask PII and keep an exception's type and frames but
never its message (``sync.logs.PiiFilter``), and shows a calm, generic banner through
``app.messages.MessageBus``: never the exception's text, never a modal box.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication

from app.messages import MessageBus
from sync.errors import SyncError

log = logging.getLogger("clienteling.ui")

ExcHook = type(sys.excepthook)


def generic_text() -> str:
    return QCoreApplication.translate(
        "CrashHandler",
        "Something went wrong on this tablet. It has been noted for IT; you can carry on, "
        "or go back to the home screen if this screen looks wrong.",
    )


class UnexpectedError(SyncError):
    """Stands for a bug in background work, after the bug went to the crash handler:
    ``app.background.spawn`` hands it to the caller's ``failure``, so a screen that waits
    for the work (a spinner, a disabled button) is put right, with the generic text."""

    def __init__(self) -> None:
        super().__init__(generic_text())


class CrashHandler:
    """``sys.excepthook``: log the traceback, show the generic banner."""

    def __init__(self, messages: MessageBus) -> None:
        self.messages = messages
        self.previous = sys.excepthook

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        log.critical("unexpected error (a bug)", exc_info=(exc_type, exc, tb))
        self.messages.error(generic_text(), log_text="unexpected error, see the traceback above")

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous


def install(messages: MessageBus) -> CrashHandler:
    """Make a ``CrashHandler`` over ``messages`` the process's ``sys.excepthook``."""
    handler = CrashHandler(messages)
    handler.install()
    return handler


def report(exc: BaseException) -> None:
    """Hand a bug caught elsewhere (a background task) to ``sys.excepthook``."""
    sys.excepthook(type(exc), exc, exc.__traceback__)
