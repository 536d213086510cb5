"""The one way to tell a person something: ``MessageBus`` -> a non-blocking banner.

Pages call ``ctx.messages.error(text)`` (or ``info`` / ``success``); the main window
listens to ``posted`` and shows a banner that hides itself. Never a modal box: a tablet
left on the counter must not stall on a dialog nobody dismisses.

Each message is logged once here (errors at WARNING, the rest at INFO). The text is what
the person sees; callers keep shopper details (names, emails, phones) out of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from sync.errors import CacheError

T = TypeVar("T")

log = logging.getLogger("clienteling.ui")


class MessageBus(QObject):
    """Signals: ``posted(kind, text)`` with kind ``"error"``, ``"info"`` or ``"success"``."""

    posted = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[tuple[str, str]] = []  # newest last; tests and diagnostics read it

    def error(self, text: str) -> None:
        self._post("error", text)

    def info(self, text: str) -> None:
        self._post("info", text)

    def success(self, text: str) -> None:
        self._post("success", text)

    def read(self, call: Callable[[], T]) -> T | None:
        """``call()`` (a cache read); a ``CacheError`` (disk full, locked, unreadable)
        becomes an error banner and ``None``."""
        try:
            return call()
        except CacheError as exc:
            self.error(str(exc))
            return None

    def _post(self, kind: str, text: str) -> None:
        log.log(logging.WARNING if kind == "error" else logging.INFO, "message %s: %s", kind, text)
        self.history.append((kind, text))
        del self.history[:-50]
        self.posted.emit(kind, text)
