"""What the screenshot scripts (``associate``, ``kiosk``) share: an isolated environment
for the run, the running qasync loop, and small waits on it."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("clienteling.screenshots")


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


# -- screens: one list per mode, shared by the screenshot tool and the layout test --------

SIZES: tuple[tuple[int, int], ...] = ((1024, 768), (1280, 800), (1920, 1080))


@dataclass(frozen=True)
class Screen:
    """One state of the app: ``show(session)`` brings the app there (from the state the
    screen before it in its list left) and returns a dialog shown over the window, if any."""

    name: str
    show: Callable[[Any], Awaitable[Any]]


# findings per screen name, then per size
Findings = dict[str, dict[tuple[int, int], list[Any]]]


def lay_out(window: Any, size: tuple[int, int]) -> None:
    """Resize ``window`` and lay it out now, without turning the loop (so a state that
    lasts until central answers is still there for the next size)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window.resize(*size)
    for _ in range(10):  # nested layouts ask again once their parent has a size
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.sendPostedEvents(None, 0)  # posted events only: no timer, no socket


def grab_with(window: Any, dialog: Any = None) -> Any:
    """The window as a pixmap; with ``dialog``, drawn centred over the dimmed window."""
    from PySide6.QtGui import QColor, QPainter

    pixmap = window.grab()
    if dialog is not None:
        over = dialog.grab()
        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect(), QColor(20, 30, 25, 110))
        x = (window.width() - dialog.width()) // 2
        y = (window.height() - dialog.height()) // 2
        painter.drawPixmap(max(0, x), max(0, y), over)
        painter.end()
    return pixmap


async def render_screens(
    session: Any,
    window: Any,
    screens: list[Screen],
    sizes: tuple[tuple[int, int], ...] = SIZES,
    outdir: Path | None = None,
) -> Findings:
    """Bring the app to each screen in turn; at each size lay it out, run the layout check
    (window and dialog) and, with ``outdir``, save ``NAME-WxH.png``. Returns the findings."""
    from tools.layout_check import check_window

    findings: Findings = {}
    for screen in screens:
        dialog = await screen.show(session)
        for size in sizes:
            lay_out(window, size)
            if dialog is not None:
                lay_out(dialog, (dialog.width(), dialog.height()))
            found = check_window(window)
            if dialog is not None:
                found += check_window(dialog)
            findings.setdefault(screen.name, {})[size] = found
            if outdir is not None:
                path = outdir / f"{screen.name}-{size[0]}x{size[1]}.png"
                grab_with(window, dialog).save(str(path))
                log.info("saved %s (%d findings)", path.name, len(found))
        if dialog is not None:
            dialog.close()
    return findings


def report(findings: Findings) -> str:
    """The findings, one line each under their screen and size; empty when there are none."""
    lines: list[str] = []
    for name, by_size in findings.items():
        for (w, h), found in by_size.items():
            lines += [f"{name}-{w}x{h}: {f}" for f in found]
    return "\n".join(lines)


def counts(findings: Findings) -> str:
    """How many findings per screen and size, as a small table."""
    rows = []
    for name, by_size in findings.items():
        cells = "  ".join(f"{w}x{h}:{len(f):3d}" for (w, h), f in by_size.items())
        rows.append(f"{name:28s} {cells}")
    return "\n".join(rows)


def click(button: Any) -> None:
    """A left click on ``button``, as a finger's tap."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def finish(findings: Findings) -> int:
    """Print the findings per screen and size, and each finding; the exit code (1 when
    the layout check found anything)."""
    print(counts(findings))
    found = report(findings)
    if found:
        print(f"layout check: {found.count(chr(10)) + 1} findings\n{found}", file=sys.stderr)
        return 1
    return 0
