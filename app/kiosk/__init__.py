"""Kiosk mode: the self-service screen shoppers use in store.

``show_kiosk(window, ctx)`` is what the start-up (``app.bootstrap``) calls on a device
provisioned with ``mode = "kiosk"`` instead of showing the associate sign-in: it puts a
``KioskShell`` on the window's root stack (no associate session: ``ctx.session`` stays
None, and the associate pages can never be reached), locks the window against closing
(``lock.CloseGuard``) and, on a real screen, shows it full screen. Calling it again (a
start-up retried) reuses the shell.

IT leaves kiosk mode with the hidden exit: 5 quick taps on the logo (or Ctrl+Alt+Shift+Q)
then the device's enrollment code (see ``app.kiosk.lock``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from app.context import AppContext
    from app.kiosk.shell import KioskShell
    from app.main_window import MainWindow

HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")


def show_kiosk(
    window: MainWindow, ctx: AppContext, *, fullscreen: bool | None = None
) -> KioskShell:
    from app.kiosk.lock import CloseGuard
    from app.kiosk.shell import KioskShell

    shell = window.findChild(KioskShell)
    if shell is None:
        shell = KioskShell(ctx)
        guard = CloseGuard(shell)
        window.installEventFilter(guard)

        def leave() -> None:
            guard.unlock()
            app = QApplication.instance()
            if app is not None:
                shell.uninstall(app)
            window.close()

        shell.exitRequested.connect(leave)
        shell.guard = guard
        window.root.addWidget(shell)
        app = QApplication.instance()
        if app is not None:
            shell.install(app)
    window.root.setCurrentWidget(shell)
    window.setWindowTitle(shell.tr("Harbour & Pine"))
    if fullscreen is None:
        fullscreen = QGuiApplication.platformName() not in HEADLESS_PLATFORMS
    if fullscreen:
        window.showFullScreen()
    return shell
