"""``app.debug_geometry``: where named widgets are painted, for the real-window test only."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.debug_geometry import ENV, install


def geometry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("geometry ")]


def test_a_named_widget_is_logged_where_it_is_painted_and_again_when_its_window_moves(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(ENV, "ReserveButton, ConfirmButton")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    logger = install(app)
    assert logger is not None
    try:
        window = QWidget()
        qtbot.addWidget(window)
        window.setGeometry(100, 80, 400, 300)
        reserve = QPushButton("Reserve", window)
        reserve.setObjectName("ReserveButton")
        reserve.setGeometry(20, 30, 120, 40)
        other = QPushButton("Cancel", window)
        other.setObjectName("CancelButton")
        other.setGeometry(200, 30, 120, 40)
        with caplog.at_level(logging.INFO, logger="clienteling.ui.debug"):
            window.show()
            qtbot.waitUntil(lambda: bool(geometry_lines(caplog)))
            where = reserve.mapToGlobal(reserve.rect().topLeft())
            size = f"w={reserve.width()} h={reserve.height()}"
            expected = f"geometry ReserveButton x={where.x()} y={where.y()} {size}"
            assert geometry_lines(caplog) == [expected]  # once, and only the named one

            reserve.update()  # painted again in the same place: nothing new
            window.move(150, 120)  # its window moved: where it is now
            moved = reserve.mapToGlobal(reserve.rect().topLeft())
            qtbot.waitUntil(lambda: len(geometry_lines(caplog)) == 2)
            assert geometry_lines(caplog)[-1] == (
                f"geometry ReserveButton x={moved.x()} y={moved.y()} {size}"
            )
    finally:
        app.removeEventFilter(logger)


def test_nothing_is_installed_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    assert install(app) is None
    monkeypatch.setenv(ENV, " , ")
    assert install(app) is None
