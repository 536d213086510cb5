"""What the screenshot scripts (``associate``, ``kiosk``) share: an isolated environment
for the run, the running qasync loop, and small waits on it."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def isolate(tmp: Path) -> None:
    """Headless Qt; data, config and logs in ``tmp``; the device token in memory.

    Call before anything imports Qt.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    for name in ("DATA", "LOG", "CONFIG"):
        folder = tmp / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[f"CLIENTELING_{name}_DIR"] = str(folder)
    os.environ.pop("CLIENTELING_CONFIG", None)

    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


def run_themed(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``scenario()`` to its end on a qasync loop in a ``QApplication`` with the app's
    theme (what the running app has), and return what it returns."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from app import theme

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    theme.apply(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result: T = loop.run_until_complete(scenario())
    return result


async def until(condition: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    """Wait (on the loop, never blocking it) until ``condition()`` is truthy; return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.05)


async def settle(ms: int = 250) -> None:
    """Let debounce timers, layouts and repaints finish."""
    await asyncio.sleep(ms / 1000)
