"""Start the associate app: ``run(settings, args) -> int``.

Builds the QApplication with the Clienteling theme, puts asyncio on the Qt event loop
(qasync), shows the main window and hands the start-up to ``app.bootstrap.Bootstrap``
(open the cache, enroll on first start, first sync with a progress bar, then sign-in).
Returns the exit code when the window closes.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

log = logging.getLogger("clienteling.ui")


def run(settings: Any, args: Any = None) -> int:
    import qasync
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from app import theme
    from app.bootstrap import Bootstrap
    from app.main_window import MainWindow
    from app.messages import MessageBus

    QCoreApplication.setOrganizationName("Harbour & Pine")
    QCoreApplication.setApplicationName("Clienteling")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply(app)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    messages = MessageBus()
    window = MainWindow(messages)
    window.resize(1280, 800)
    if getattr(args, "fullscreen", False):
        window.showFullScreen()
    else:
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
            except Exception:  # noqa: BLE001 - closing down: log, don't hide the exit
                log.exception("shutdown failed")
                code = 1
    return code
