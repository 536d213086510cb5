"""Start the associate app: ``run(settings, args) -> int``.

Builds the QApplication with the Clienteling theme, puts asyncio on the Qt event loop
(qasync), shows the main window and hands the start-up to ``app.bootstrap.Bootstrap``
(open the cache, enroll on first start, first sync with a progress bar, then sign-in).
Returns the exit code when the window closes.

``run_settings_problem(error) -> int``: a configuration file that cannot be used still
gets a window (the start-up page's problem face with the file, the key and what is
allowed, and a Quit button), because an app started from the menu or a kiosk shell has
no terminal where the stderr line could be read.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

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
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply(app)
    return app


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


def run(settings: Settings, *, quit_after_first_window: bool = False) -> int:
    import qasync

    from app import crash
    from app.bootstrap import Bootstrap
    from app.first_window import FirstPaint
    from app.main_window import MainWindow, fit_to_screen
    from app.messages import MessageBus

    app = _application()
    from app import debug_geometry

    debug_geometry.install(app)  # nothing unless CLIENTELING_DEBUG_GEOMETRY names widgets

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    messages = MessageBus()
    crash.install(messages)  # from here on a bug is logged and shown as a calm banner
    window = MainWindow(messages)
    fit_to_screen(window)
    first_paint = FirstPaint(window)
    if quit_after_first_window:
        first_paint.painted.connect(loop.stop)
    window.show()
    boot = Bootstrap(settings, window, messages)
    app.lastWindowClosed.connect(loop.stop)

    code = 0
    with loop:
        loop.call_soon(boot.begin)
        try:
            loop.run_forever()
        finally:
            try:
                loop.run_until_complete(boot.shutdown())
            except Exception:  # closing down, a process boundary: log it, exit 1
                log.exception("shutdown failed")
                code = 1
    return code
