"""The one way to tell a person something: ``MessageBus`` -> a non-blocking banner.

Pages call ``ctx.messages.error(text)`` (or ``info`` / ``success``); the main window
listens to ``posted`` and shows a banner that hides itself. Never a modal box: a tablet
left on the counter must not stall on a dialog nobody dismisses.

Each message is logged once here (errors at WARNING, the rest at INFO), but never its
text: what a person sees may name a shopper ("Marked ready: <name>"). The log line holds
the kind, where it came from (``module.function`` of the caller) and, when the caller
gives one, ``log_text``: a PII-free sentence for diagnostics ("reservation marked ready").
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from app import qt_compat
from sync.errors import CacheError

qt_compat.install()  # PySide6 6.12.0's Signal.emit leaks a reference to True

T = TypeVar("T")

log = logging.getLogger("clienteling.ui")


class MessageBus(QObject):
    """Signals: ``posted(kind, text)`` with kind ``"error"``, ``"info"`` or ``"success"``."""

    posted = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[tuple[str, str]] = []  # newest last; tests and diagnostics read it

    def error(self, text: str, log_text: str | None = None) -> None:
        self._post("error", text, log_text)

    def info(self, text: str, log_text: str | None = None) -> None:
        self._post("info", text, log_text)

    def success(self, text: str, log_text: str | None = None) -> None:
        self._post("success", text, log_text)

    def read(self, call: Callable[[], T]) -> T | None:
        """``call()`` (a cache read); a ``CacheError`` (disk full, locked, unreadable)
        becomes an error banner and ``None``."""
        try:
            return call()
        except CacheError as exc:
            self.error(str(exc), log_text=f"cache read failed ({type(exc).__name__})")
            return None

    def _post(self, kind: str, text: str, log_text: str | None) -> None:
        # ``text`` is for the screen only: it may carry a shopper's name, so it is never logged
        log.log(
            logging.WARNING if kind == "error" else logging.INFO,
            "message %s from %s: %s",
            kind,
            _caller(),
            log_text or "(text not logged)",
        )
        self.history.append((kind, text))
        del self.history[:-50]
        self.posted.emit(kind, text)


def _caller() -> str:
    """``module.function`` of the code that posted the message (no arguments, no PII)."""
    frame: FrameType | None = sys._getframe(1)  # the cheapest way to name the caller
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    if frame is None:
        return "unknown"
    module = frame.f_globals.get("__name__", "?")
    return f"{module}.{frame.f_code.co_name}"
