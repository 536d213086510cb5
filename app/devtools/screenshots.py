"""What the screenshot scripts (``app.screenshots``, ``app.kiosk.screenshots``) share:
an isolated environment for the run and small waits for the running qasync loop."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


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

    from app.devtools.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


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
