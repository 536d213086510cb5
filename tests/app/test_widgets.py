"""Shell widgets on their own: the qasync loop, the banner, the sync status, sign-in."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer

from app.background import spawn
from app.messages import MessageBus
from app.pages.signin_page import SignInPage, minutes_left
from app.widgets.banner import Banner
from app.widgets.sync_status import SyncStatus
from sync.errors import SignInError
from sync.records import SyncState


def state(**changes: Any) -> SyncState:
    values: dict[str, Any] = dict(
        online=True,
        offline_since=None,
        syncing=False,
        progress_done=0,
        progress_total=0,
        last_sync_at="2026-11-22T13:30:00Z",
        last_error=None,
        pending=0,
        attention=0,
        initial_sync_done=True,
    )
    values.update(changes)
    return SyncState(**values)


def test_spawned_coroutines_run_on_the_qt_loop(qtbot, qloop):
    results: list[int] = []

    async def work() -> int:
        # resumed by a Qt timer: the coroutine only finishes if both loops are one
        answer = asyncio.get_running_loop().create_future()
        QTimer.singleShot(0, lambda: answer.set_result(42))
        return await answer

    spawn(work(), success=results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=2000)


def test_banner_shows_messages_and_hides_itself(qtbot):
    bus = MessageBus()
    banner = Banner()
    qtbot.addWidget(banner)
    bus.posted.connect(banner.show_message)
    bus.error("Central can't be reached right now.")
    assert not banner.isHidden()
    assert banner.kind == "error"
    assert "Central" in banner.text.text()
    assert banner.hide_timer.objectName() == "bannerHideTimer" and banner.hide_timer.isActive()
    banner.hide_timer.setInterval(10)
    banner.hide_timer.start()
    qtbot.waitUntil(banner.isHidden, timeout=1000)
    assert bus.history[-1] == ("error", "Central can't be reached right now.")


def test_sync_status_reads_like_a_sentence(qtbot):
    status = SyncStatus()
    qtbot.addWidget(status)
    status.set_state(
        state(online=False, offline_since="2026-11-22T13:02:00Z", pending=3, attention=1)
    )
    assert status.headline.text().startswith("Offline since ")
    assert status.waiting.text() == "3 waiting" and not status.waiting.isHidden()
    assert status.attention.text() == "1 needs attention" and not status.attention.isHidden()
    status.set_state(state(syncing=True, progress_done=50, progress_total=200))
    assert status.headline.text() == "Syncing… 25%"
    assert not status.progress.isHidden() and status.progress.value() == 50
    assert status.waiting.isHidden() and status.attention.isHidden()
    with qtbot.waitSignal(status.clicked, timeout=1000):
        qtbot.mouseClick(status, Qt.MouseButton.LeftButton)


def test_sign_in_page_says_what_went_wrong(qtbot, qloop):
    tries: list[tuple[str, str]] = []

    async def authenticate(staff_id: str, pin: str) -> Any:
        tries.append((staff_id, pin))
        if pin != "1234":
            raise SignInError("wrong_pin", "That PIN isn't right. 4 tries left.")
        return type("Session", (), {"staff_id": staff_id, "name": "Aoife Byrne"})()

    page = SignInPage(authenticate)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.staff_field, "a1001")
    for digit in "9999":
        qtbot.mouseClick(page.keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.keypad.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "isn't right" in page.error.text(), timeout=2000)
    assert tries[-1] == ("A1001", "9999")
    assert page.pin_field.text() == ""
    for digit in "1234":
        qtbot.mouseClick(page.keypad.keys[digit], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.signedIn, timeout=2000) as signed:
        qtbot.mouseClick(page.keypad.action, Qt.MouseButton.LeftButton)
    assert signed.args[0].staff_id == "A1001"


def test_lockout_minutes_come_from_the_error():
    exc = SignInError("locked", "Locked.")
    exc.retry_after = 170  # type: ignore[attr-defined]
    assert minutes_left(exc) == 3
    assert minutes_left(SignInError("locked", "Locked.")) is None


def test_banner_text_with_a_shopper_name_never_reaches_the_log_file(qtbot, tmp_path):
    from sync.logs import setup_logging, teardown_logging

    log_file = setup_logging("DEBUG", tmp_path / "logs")
    try:
        bus = MessageBus()
        banner = Banner()
        qtbot.addWidget(banner)
        bus.posted.connect(banner.show_message)
        bus.success("Marked ready: Aoife Ní Bhriain", log_text="reservation marked ready")
        bus.info("Order placed for Aoife Ní Bhriain: they pay at the till.")
        bus.error("Couldn't reach Aoife Ní Bhriain's profile.")
        assert "Aoife" in banner.text.text()  # the person still sees it
        for handler in logging.getLogger().handlers:
            handler.flush()
    finally:
        teardown_logging()
    logged = log_file.read_text(encoding="utf-8")
    assert "Aoife" not in logged and "Bhriain" not in logged
    assert "message success" in logged and "reservation marked ready" in logged
    assert "message info" in logged and "message error" in logged
    assert "test_banner_text_with_a_shopper_name_never_reaches_the_log_file" in logged  # the caller


def test_emitting_signals_does_not_use_up_true(qtbot):
    """PySide6 6.12.0's ``emit`` returns ``True`` without a reference; ``app.qt_compat``
    adds it back, or a long session ends in "bool_dealloc: deallocating True"."""
    import sys

    bus = MessageBus()
    seen: list[str] = []
    bus.posted.connect(lambda kind, _text: seen.append(kind))
    before = sys.getrefcount(True)
    for _ in range(500):
        bus.posted.emit("info", "x")
    assert len(seen) == 500
    assert sys.getrefcount(True) >= before - 5


def test_other_stores_never_reads_as_a_count_at_one_store(qtbot):
    import re

    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QTableView

    from app.widgets.product_cell import AvailabilityDelegate
    from sync.records import Availability

    view = QTableView()
    qtbot.addWidget(view)
    delegate = AvailabilityDelegate(view)
    fm = QFontMetrics(QFont())
    stock = Availability(3, 13, 9, "S003", "Galway Shop Street")
    texts = [delegate.other_stores_text(stock, fm, room) for room in range(20, 600, 10)]
    assert "Other stores: 13, nearest Galway Shop Street" in texts  # room for it all
    assert "Other stores: 13, nearest Galway" in texts  # a narrower column
    assert "Other stores: 13" in texts  # too narrow for a store
    assert not [t for t in texts if re.search(r"\d+ \(", t)]  # never "13 (Galway)"
    for room, text in zip(range(20, 600, 10), texts, strict=True):
        assert fm.horizontalAdvance(text) <= room or text == "Other stores: 13"


def test_the_window_opens_no_larger_than_its_screen(qtbot):
    from app.main_window import MainWindow, fit_to_screen

    window = MainWindow(MessageBus())
    qtbot.addWidget(window)
    fit_to_screen(window)
    room = window.screen().availableGeometry()  # the test screen: 800 × 800
    assert window.height() <= room.height()
    assert window.width() == max(window.minimumWidth(), min(1280, room.width()))
    assert room.contains(window.frameGeometry().center())
