"""Sign-up at the kiosk, driven as a shopper would, against the real central: the
problems show at their field and nothing is written; signed up offline, the session starts
at once with the new record (first name only on screen, nothing typed left anywhere);
back online, central accepts it, issues the loyalty number, and the kiosk's session
follows central's record."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from tests.app import test_kiosk
from tests.app.test_kiosk import SYNC_MS, Kiosk

# the kiosk's start-up fixtures, shared with the kiosk's own tests (registered by name)
kiosk_fixture = test_kiosk.kiosk
kiosk_settings = test_kiosk.kiosk_settings
kiosk_idle_s = test_kiosk.kiosk_idle_s


def _click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _shopper_at_central(kiosk: Kiosk, shopper_id: str) -> dict[str, Any] | None:
    with sqlite3.connect(kiosk.central.db_path) as conn:
        row = conn.execute(
            "SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", (shopper_id,)
        ).fetchone()
    return json.loads(row[0]) if row else None


@pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")
def test_sign_up_offline_starts_a_session_then_syncs(qtbot: Any, kiosk_fixture: Kiosk) -> None:
    kiosk = kiosk_fixture
    shell = kiosk.shell
    kiosk.central.stop()
    qtbot.waitUntil(lambda: not kiosk.boot.bridge.state.online, timeout=SYNC_MS)
    _click(qtbot, shell.welcome.sign_up)
    assert shell.pages.currentWidget() is shell.signup
    panel = shell.signup

    _click(qtbot, panel.submit_button)
    assert panel.field_error("first_name") == "Enter the first name."
    assert "one at least" in panel.field_error("email")
    assert kiosk.ctx.cache.outbox() == []

    qtbot.keyClicks(panel.edits["first_name"], "Oisin")
    qtbot.keyClicks(panel.edits["last_name"], "Nolan")
    qtbot.keyClicks(panel.edits["phone"], "087 111 2233")
    _click(qtbot, panel.consent["sms"].toggle)
    _click(qtbot, panel.submit_button)
    assert shell.pages.currentWidget() is shell.shopper and shell.shopper_id is not None
    shopper_id = shell.shopper_id
    # privately: nothing typed is left in any field, the screen names the first name only
    assert all(not edit.text() for edit in shell.findChildren(QLineEdit))
    shown = " ".join(lbl.text() for lbl in shell.findChildren(QLabel) if lbl.isVisible())
    assert "Oisin" in shown and "Nolan" not in shown and "111" not in shown
    [entry] = kiosk.ctx.cache.outbox(states=("pending",))
    assert entry.name == "create_shopper" and entry.summary == "Sign-up at the kiosk"

    kiosk.central.restart()
    qtbot.waitUntil(lambda: _shopper_at_central(kiosk, shopper_id) is not None, timeout=SYNC_MS)
    shopper = _shopper_at_central(kiosk, shopper_id)
    assert shopper is not None and len(shopper["loyalty_id"]) == 12
    assert shopper["consent"]["sms"] is True
    assert [c["source"] for c in shopper["consent_log"] if c["granted"]] == ["kiosk"]
    # central's record opens a real session for the same shopper
    qtbot.waitUntil(lambda: not shell.served.local, timeout=SYNC_MS)
    assert shell.shopper_id == shopper_id
    assert kiosk.ctx.cache.shopper(shopper_id) is None  # the kiosk holds no record

    _click(qtbot, shell.bar.done_button)
    assert shell.shopper_id is None and shell.pages.currentWidget() is shell.welcome
