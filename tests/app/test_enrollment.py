"""The app's side of enrollment (issue 9, item 1), against the real central on loopback.

* a kiosk provisioned from a file enrolls at first start, and the code is then gone from
  the file and from the settings in memory; IT still leaves kiosk mode with that code
  (checked against its salted hash in the keyring);
* too many wrong codes from this address: the first-start screen says when to try again,
  at the enrollment code setting;
* IT revokes the tablet while it runs: the sync status and the banner say so, and the
  waiting action stays on the tablet.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app import background
from central.__main__ import main as central_main
from central.server import CentralServer
from central.throttle import Limits
from sync import enrollment_code
from sync.settings import load_settings, write_settings
from tests.app.driving import FIRST_SYNC_TIMEOUT_MS, show_main_window
from tests.support.central_server import http_client

KIOSK_CODE = "DEMO-KIOSK-2026"
SYNC_TIMEOUT_MS = 15_000
REVOKED_ONE = "IT revoked this device. Ask IT to enroll it again; 1 action is kept on this device."


def provision(folder: Path, url: str, mode: str, code: str) -> Path:
    values = {"central_url": url, "store_id": "S001", "mode": mode, "enrollment_code": code}
    return write_settings(folder / "config.toml", values | {"device_name": f"test {mode}"})


def close_down(qtbot: Any, window: Any, boot: Any) -> None:
    task = background.spawn(boot.shutdown())
    qtbot.waitUntil(task.done, timeout=10_000)
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def test_kiosk_forgets_its_code_and_it_can_still_leave(
    qtbot: Any, qloop: Any, central: Any, tmp_path: Path
) -> None:
    from app.bootstrap import Bootstrap
    from app.kiosk.shell import KioskShell

    config = provision(tmp_path, central.url, "kiosk", KIOSK_CODE)
    window, messages = show_main_window(qtbot)
    boot = Bootstrap(load_settings(config), window, messages)
    boot.begin()
    try:
        qtbot.waitUntil(
            lambda: isinstance(window.root.currentWidget(), KioskShell),
            timeout=FIRST_SYNC_TIMEOUT_MS,
        )
        shell = window.root.currentWidget()
        assert not enrollment_code.still_in(config)
        assert KIOSK_CODE not in config.read_text()
        assert boot.settings.enrollment_code == "" and boot.ctx.settings.enrollment_code == ""

        for _ in range(5):
            qtbot.mouseClick(shell.bar.logo, Qt.MouseButton.LeftButton)
        assert shell.it_strip.isVisible() and shell.it_strip.field.isEnabled()
        qtbot.keyClicks(shell.it_strip.field, "DEMO-2026")
        qtbot.mouseClick(shell.it_strip.exit, Qt.MouseButton.LeftButton)
        assert shell.guard.locked and "isn't right" in shell.it_strip.text.text()
        qtbot.keyClicks(shell.it_strip.field, KIOSK_CODE)
        with qtbot.waitSignal(shell.exitRequested, timeout=5000):
            QTest.keyClick(shell.it_strip.field, Qt.Key.Key_Return)
        assert not shell.guard.locked
    finally:
        shell = window.root.currentWidget()
        if isinstance(shell, KioskShell):
            shell.guard.unlock()
            app = QApplication.instance()
            assert app is not None
            shell.uninstall(app)
        close_down(qtbot, window, boot)


@pytest.fixture
def throttled_central(tmp_path: Path) -> Iterator[CentralServer]:
    """The real central hearing 1 wrong code per address within 2 minutes."""
    limits = Limits(per_address=1, overall=50, window_s=120.0)
    with CentralServer(tmp_path / "throttled.db", enroll_limits=limits) as server:
        yield server


def test_a_device_enrolled_before_forgets_its_code_at_start(
    qtbot: Any, qloop: Any, central: Any, synced_cache: Path, tmp_path: Path
) -> None:
    """A tablet enrolled by an earlier version still has its code in the file: the next
    start keeps the code's hash in the keyring and removes the code from the file."""
    from app.bootstrap import Bootstrap
    from sync import device as device_mod

    config = provision(tmp_path, central.url, "associate", "DEMO-2026")
    window, messages = show_main_window(qtbot)
    boot = Bootstrap(load_settings(config), window, messages)
    boot.begin()
    try:
        qtbot.waitUntil(
            lambda: window.signin is not None and window.root.currentWidget() is window.signin,
            timeout=FIRST_SYNC_TIMEOUT_MS,
        )
        assert not enrollment_code.still_in(config)
        assert boot.ctx.settings.enrollment_code == ""
        assert device_mod.exit_code_matches(boot.ctx.device.device_id, "DEMO-2026")
    finally:
        close_down(qtbot, window, boot)


def test_throttled_enrollment_shows_at_the_code(
    qtbot: Any, qloop: Any, throttled_central: CentralServer, tmp_path: Path
) -> None:
    from app.bootstrap import Bootstrap

    body = {"enrollment_code": "WRONG", "store_id": "S001", "mode": "associate", "device_name": "x"}
    with http_client(throttled_central.url) as client:
        assert client.post("/v1/devices/enroll", json=body).status_code == 403
    config = provision(tmp_path, throttled_central.url, "associate", "DEMO-2026")
    window, messages = show_main_window(qtbot)
    boot = Bootstrap(load_settings(config), window, messages)
    boot.begin()
    try:
        startup = window.startup
        qtbot.waitUntil(lambda: startup.retry.isVisible(), timeout=FIRST_SYNC_TIMEOUT_MS)
        assert startup.title.text() == "This tablet couldn't be enrolled"
        assert startup.text.text() == "Too many wrong codes from here; try again in 2 minutes."
        assert startup.detail.text() == f"Setting enrollment_code in {config}"
        assert enrollment_code.still_in(config)  # not enrolled: the code stays
    finally:
        close_down(qtbot, window, boot)


def test_revoked_tablet_says_so_and_keeps_its_work(app_env: Any, window: Any, qtbot: Any) -> None:
    device_id = app_env.ctx.device.device_id
    db = str(app_env.central.db_path)
    assert central_main(["devices", "revoke", "--db", db, device_id]) == 0
    shopper = app_env.ctx.cache.search_shoppers("a")[0].id

    app_env.ctx.commands.add_note(shopper_id=shopper, text="kept for IT")

    status = window.sync_status
    qtbot.waitUntil(
        lambda: status.headline.text() == "Revoked by IT: not syncing", timeout=SYNC_TIMEOUT_MS
    )
    assert status.toolTip() == REVOKED_ONE
    assert window.banner.text.text() == REVOKED_ONE
    assert app_env.ctx.cache.pending_count() == 1
