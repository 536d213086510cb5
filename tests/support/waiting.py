"""Waiting on conditions in tests, in one place.

Qt tests use ``qtbot.waitUntil``; these are for what lives outside the Qt loop: another
process (a central started with ``python -m central serve``), a server thread's sweep, an
asyncio engine. Each polls a condition with a deadline; nothing waits a fixed time.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx

POLL_S = 0.02


def wait_until(
    condition: Callable[[], object], timeout: float = 10.0, *, what: str = "condition"
) -> None:
    """Return as soon as ``condition()`` is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout:g} s")
        time.sleep(POLL_S)


async def wait_for(
    condition: Callable[[], object], timeout: float = 20.0, *, what: str = "condition"
) -> None:
    """``wait_until`` for async tests: yields to the event loop between polls."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout:g} s")
        await asyncio.sleep(POLL_S)


def wait_for_health(
    url: str, process: subprocess.Popen[Any] | None = None, timeout: float = 30.0
) -> dict[str, Any]:
    """Wait until central at ``url`` answers /v1/health with 200; return the body.

    Fails at once if ``process`` (the server's) has exited."""
    answer: dict[str, Any] = {}

    def healthy() -> bool:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"central exited with status {process.returncode}")
        try:
            response = httpx.get(f"{url}/v1/health", trust_env=False, timeout=1.0)
        except httpx.TransportError:
            return False
        if response.status_code != 200:
            return False
        answer.update(response.json())
        return True

    wait_until(healthy, timeout, what=f"central answering {url}/v1/health")
    return answer
