"""A bad config file on the GUI path: the message on stderr *and* in a window.

The window is the start-up page's problem face (file, key, what is allowed) with a Quit
button; closing it ends the app with status 2, like the stderr-only path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.__main__ import main
from sync.settings import SettingsError, load_settings

OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def _bad_config(tmp_path: Path) -> tuple[Path, SettingsError]:
    bad = tmp_path / "bad.toml"
    bad.write_text('mode = "tablet"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(bad)
    return bad, info.value


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_window_shows_file_key_and_allowed_with_a_quit_button(tmp_path, qtbot):
    from app import gui

    bad, error = _bad_config(tmp_path)
    window = gui.show_settings_problem(error)
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.title.text() == "Clienteling can't start"
    shown = window.detail.text()
    assert window.detail.isVisible()
    assert f"File: {bad}" in shown
    assert "Setting: mode" in shown
    assert "Allowed: associate or kiosk" in shown
    assert str(error) in shown  # the same sentence as on stderr
    assert window.quit.isVisible() and window.quit.text() == "Quit"
    assert not window.retry.isVisible() and not window.progress.isVisible()
    # themed like the app
    from PySide6.QtWidgets import QApplication

    assert QApplication.instance().styleSheet()
    window.quit.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_gui_path_shows_the_window_and_exits_2(tmp_path, monkeypatch, capsys):
    import app.gui

    bad, _ = _bad_config(tmp_path)
    seen: list[SettingsError] = []

    def fake_run_settings_problem(error: SettingsError) -> int:
        seen.append(error)
        return 0  # even a window that "succeeded" keeps the bad-config status

    monkeypatch.setattr(app.gui, "can_show_window", lambda: True)
    monkeypatch.setattr(app.gui, "run_settings_problem", fake_run_settings_problem)
    assert main(["--config", str(bad)]) == 2
    assert len(seen) == 1 and seen[0].key == "mode" and seen[0].file == bad
    err = capsys.readouterr().err
    assert f"configuration error: {bad}: key 'mode'" in err


def test_no_window_for_sync_or_when_none_can_be_seen(tmp_path, monkeypatch, capsys):
    import app.gui

    bad, _ = _bad_config(tmp_path)
    calls: list[SettingsError] = []
    monkeypatch.setattr(app.gui, "run_settings_problem", lambda e: calls.append(e) or 2)
    monkeypatch.setattr(app.gui, "can_show_window", lambda: True)
    assert main(["--config", str(bad), "sync", "--status"]) == 2  # a CLI: stderr only
    assert calls == []
    monkeypatch.setattr(app.gui, "can_show_window", lambda: False)
    assert main(["--config", str(bad)]) == 2
    assert calls == []
    assert "configuration error" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "platform", "visible"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux", False),
        ({}, "linux", False),  # no display: Qt would abort instead of showing anything
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"}, "linux", True),
        ({}, "win32", True),
    ],
)
def test_can_show_window(monkeypatch, env, platform, visible):
    from app import gui

    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(gui.sys, "platform", platform)
    assert gui.can_show_window() is visible
