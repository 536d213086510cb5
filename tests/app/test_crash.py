"""A bug takes one path: ``app.crash``'s ``sys.excepthook`` logs its traceback (through
the PII filter) and shows a calm, generic banner, never the exception's own text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app import background, crash
from app.messages import MessageBus
from app.widgets.banner import Banner
from sync.errors import SyncError
from sync.logs import setup_logging, teardown_logging

SECRET = "jane.doe@example.com"


@pytest.fixture
def crash_setup(qtbot: Any, tmp_path: Path) -> Iterator[tuple[Banner, Path]]:
    log_file = setup_logging("INFO", tmp_path / "logs")
    messages = MessageBus()
    banner = Banner()
    qtbot.addWidget(banner)
    messages.posted.connect(banner.show_message)
    handler = crash.install(messages)
    try:
        yield banner, log_file
    finally:
        handler.uninstall()
        teardown_logging()


def _slot_with_a_bug() -> None:
    raise ValueError(f"could not read {SECRET}")


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_is_logged_with_its_traceback_and_shown_calmly(
    qtbot: Any, crash_setup: tuple[Banner, Path]
) -> None:
    banner, log_file = crash_setup
    button = QPushButton("Go")
    qtbot.addWidget(button)
    button.clicked.connect(_slot_with_a_bug)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(banner.isVisible, timeout=2_000)

    assert banner.kind == "error"
    assert banner.text.text() == crash.generic_text()
    assert SECRET not in banner.text.text() and "could not read" not in banner.text.text()
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error (a bug)" in logged
    assert "ValueError at " in logged and "_slot_with_a_bug" in logged  # the traceback
    assert SECRET not in logged  # the message can quote shopper data: never logged


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_background_work_takes_the_same_path(
    qtbot: Any, qloop: Any, crash_setup: tuple[Banner, Path]
) -> None:
    banner, log_file = crash_setup
    failures: list[SyncError] = []

    async def work_with_a_bug() -> None:
        raise KeyError(SECRET)

    background.spawn(work_with_a_bug(), failure=failures.append)
    qtbot.waitUntil(banner.isVisible, timeout=2_000)

    assert banner.text.text() == crash.generic_text()
    # the caller still hears that the work failed, in the same calm words
    assert [type(e) for e in failures] == [crash.UnexpectedError]
    assert failures[0].message == crash.generic_text()
    logged = log_file.read_text(encoding="utf-8")
    assert "KeyError at " in logged and "work_with_a_bug" in logged
    assert SECRET not in logged
