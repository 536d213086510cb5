"""Start the associate app: ``run(settings, args) -> int``.

Builds the QApplication with the Clienteling theme and shows the main window; once the
window is painted (``app.first_window``), it puts asyncio on the Qt event loop (qasync),
imports what the start-up needs on a worker thread while the window builds its sign-in
page and shell (``MainWindow.build_rest``), and hands it to ``app.bootstrap.Bootstrap``
(open the cache, enroll on first start, first sync with a progress bar, then sign-in).
The first window is the start-up face alone: nothing on its way imports asyncio, the wire
models, HTTP, the cache, the keyring, the sign-in page or the shell, nor builds PySide6's
``Qt`` namespace (``tests/app/test_first_window_imports.py``,
``tests/packaging/test_first_window.py``). Returns the exit code when the window closes.

``run_settings_problem(error) -> int``: a configuration file that cannot be used still
gets a window (the start-up page's problem face with the file, the key and what is
allowed, and a Quit button), because an app started from the menu or a kiosk shell has
no terminal where the stderr line could be read.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QApplication

    from app.bootstrap import Bootstrap
    from app.main_window import MainWindow
    from app.messages import MessageBus
    from app.pages.startup_page import StartupPage
    from sync.settings import Settings, SettingsError

log = logging.getLogger("clienteling.ui")

SETTINGS_PROBLEM_EXIT = 2  # the same status as the stderr-only path: a bad config file
# Platforms on which no one can see a window: the problem stays on stderr only.
_INVISIBLE_PLATFORMS = ("offscreen", "minimal", "vnc")


def _application() -> QApplication:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from app import theme

    QCoreApplication.setOrganizationName("Harbour & Pine")
    QCoreApplication.setApplicationName("Clienteling")
    existing = QApplication.instance()
    if existing is None:
        app = QApplication(sys.argv[:1] + theme.STYLE_ARGUMENTS)
        theme.apply(app, set_style=False)
        return app
    assert isinstance(existing, QApplication)
    theme.apply(existing)
    return existing


def can_show_window() -> bool:
    """Whether a window started now could be seen (and Qt would not abort for want of a
    display): not on the offscreen/minimal platforms, and on Linux only with a display."""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if platform in _INVISIBLE_PLATFORMS:
        return False
    if sys.platform.startswith("linux") and platform in ("", "xcb", "wayland"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def settings_problem_text(error: SettingsError) -> tuple[str, str, str]:
    """(title, text, detail) of the window for a configuration file that cannot be used."""
    title = "Clienteling can't start"
    text = (
        "Its configuration file has a setting that can't be used. Ask store IT to correct "
        "the file (clienteling --self-test checks it), then start Clienteling again."
    )
    lines = [f"File: {error.file}" if error.file else "File: (settings)"]
    if error.key:
        lines.append(f"Setting: {error.key}")
    if error.allowed:
        lines.append(f"Allowed: {error.allowed}")
    lines.append("")
    lines.append(str(error))
    return title, text, "\n".join(lines)


def show_settings_problem(error: SettingsError) -> StartupPage:
    """Show the start-up page's problem face for ``error``, with a Quit button, and return
    it (the window). The QApplication is created with the theme if there is none yet."""
    from PySide6.QtCore import Qt

    from app.pages.startup_page import StartupPage

    app = _application()
    page = StartupPage()
    page.setWindowTitle("Clienteling: configuration problem")
    page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    title, text, detail = settings_problem_text(error)
    page.show_problem(title, text, can_retry=False, detail=detail, can_quit=True)
    page.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # A top-level window does not ask its wrapped labels for height-for-width: give the
    # several-line detail the height it needs at the card's text width.
    page.ensurePolished()
    inner = page.card.maximumWidth() - 80  # the card's left + right margins
    for wrapped in (page.text, page.detail):
        wrapped.ensurePolished()
        slack = wrapped.fontMetrics().lineSpacing()  # one line spare for rounding
        wrapped.setMinimumHeight(wrapped.heightForWidth(inner) + slack)
    page.quitRequested.connect(page.close)
    page.resize(900, 640)
    page.show()
    page.activateWindow()
    app.setQuitOnLastWindowClosed(True)
    return page


def run_settings_problem(error: SettingsError) -> int:
    """Show ``show_settings_problem(error)`` until it is closed; always a non-zero status."""
    from PySide6.QtWidgets import QApplication

    window = show_settings_problem(error)
    app = QApplication.instance()
    assert app is not None
    app.exec()
    window.deleteLater()
    return SETTINGS_PROBLEM_EXIT


# What app.bootstrap needs that the first window does not: the wire models (pydantic),
# HTTP (httpx), the cache and the keyring. Imported on a worker thread after the first
# paint (``sync`` never imports Qt), so neither the window nor the event loop waits on
# them; app.bootstrap itself (Qt objects) is imported on the UI thread afterwards.
_AFTER_THE_FIRST_WINDOW = ("sync.auth", "sync.device", "sync.engine", "sync.queueing")


def _import_sync_modules() -> None:
    import importlib

    for name in _AFTER_THE_FIRST_WINDOW:
        importlib.import_module(name)


class _StartUp:
    """Hands the start-up to ``app.bootstrap.Bootstrap`` once the window is painted."""

    def __init__(self, settings: Settings, window: MainWindow, messages: MessageBus) -> None:
        self.settings = settings
        self.window = window
        self.messages = messages
        self.boot: Bootstrap | None = None
        self.task: asyncio.Task[None] | None = None

    def begin(self) -> None:
        from app.background import spawn

        self.task = spawn(self._begin())

    async def _begin(self) -> None:
        import asyncio

        importing = asyncio.get_running_loop().run_in_executor(None, _import_sync_modules)
        if self.settings.mode != "kiosk":  # a kiosk's own shell replaces them (app.kiosk)
            self.window.build_rest()  # the sign-in page and the shell, meanwhile
        await importing
        from app.bootstrap import Bootstrap

        self.boot = Bootstrap(self.settings, self.window, self.messages)
        self.boot.begin()

    async def shutdown(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        if self.boot is not None:
            await self.boot.shutdown()


def run(settings: Settings, *, quit_after_first_window: bool = False) -> int:
    """Show the window and turn Qt's own loop until it is painted; then (``_run_loop``)
    put asyncio on it (qasync) and start (``_StartUp``). With ``quit_after_first_window``
    exit 0 once painted (``clienteling --quit-after-first-window``)."""
    from app import crash, debug_geometry
    from app.first_window import FirstPaint
    from app.main_window import MainWindow, fit_to_screen
    from app.messages import MessageBus

    app = _application()
    debug_geometry.install(app)  # nothing unless CLIENTELING_DEBUG_GEOMETRY names widgets
    messages = MessageBus()
    crash.install(messages)  # from here on a bug is logged and shown as a calm banner
    window = MainWindow(messages)
    fit_to_screen(window)
    first_paint = FirstPaint(window)
    first_paint.painted.connect(lambda: app.exit(0))  # leave the loop, keep the window
    window.show()
    app.exec()  # until the window is painted (or closed before that)
    if quit_after_first_window or not window.isVisible():
        return 0
    return _run_loop(app, settings, window, messages)


def _run_loop(
    app: QApplication, settings: Settings, window: MainWindow, messages: MessageBus
) -> int:
    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    start = _StartUp(settings, window, messages)
    app.lastWindowClosed.connect(loop.stop)

    code = 0
    with loop:
        loop.call_soon(start.begin)
        try:
            loop.run_forever()
        finally:
            try:
                loop.run_until_complete(start.shutdown())
            except Exception:  # closing down, a process boundary: log it, exit 1
                log.exception("shutdown failed")
                code = 1
    return code
