"""Follow-ups on the tablet, driven as an associate would, against the real central: one
made from a shopper's profile (checked at the field, saved offline, shown at once, then
confirmed), Home's counts and the inbox's chips, Done / Snooze / Reassign / Reopen from the
inbox, and a colleague's tablet completing a follow-up first (the conflict is told)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from app.dialogs.task_dialog import TaskDialog
from app.pages.inbox.times import quick_time
from tests.support.floor_device import FloorDevice

SYNC_MS = 30_000


@pytest.fixture
def colleague(window: Any) -> Iterator[FloorDevice]:
    """A second tablet of the store (its own enrollment), on this test's central."""
    device = FloorDevice(window.ctx.settings.central_url, "associate")
    yield device
    device.close()


def _shopper(window: Any) -> Any:
    hit = window.ctx.cache.search_shoppers("a", limit=5)[0]
    return window.ctx.cache.shopper(hit.id)


def _queued(window: Any, name: str) -> list[Any]:
    return [e for e in window.ctx.cache.outbox(("pending", "rejected")) if e.name == name]


def _row(inbox: Any, task_id: str) -> int:
    ids = [t.id for t in inbox.model.records()]
    return ids.index(task_id) if task_id in ids else -1


def _tap(qtbot: Any, inbox: Any, task_id: str, key: str) -> None:
    index = inbox.model.index(_row(inbox, task_id), inbox.model.ACTIONS_COLUMN)
    rect = inbox.row_actions.button_rect(inbox.table, index, key)
    qtbot.mouseClick(inbox.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _chip(qtbot: Any, inbox: Any, key: str) -> None:
    qtbot.mouseClick(inbox.filter_buttons[key], Qt.MouseButton.LeftButton)
    assert inbox.filter == key


def _confirmed(window: Any, task_id: str) -> bool:
    task = window.ctx.cache.task(task_id)
    return task is not None and not task.pending


def _follow_up(window: Any, qtbot: Any, **kwargs: Any) -> str:
    """A follow-up made through the command (the dialog has its own test), confirmed."""
    entry = window.ctx.commands.create_task(**kwargs)
    task_id = str(entry.args["task_id"])
    qtbot.waitUntil(lambda: _confirmed(window, task_id), timeout=SYNC_MS)
    return task_id


def test_a_follow_up_from_the_profile_checked_at_the_field_saved_offline_then_confirmed(
    qtbot: Any, window: Any, app_env: Any
) -> None:
    ctx = window.ctx
    shopper = _shopper(window)
    name = f"{shopper.first_name} {shopper.last_name}"
    window.show_shopper(shopper.id)
    page = window.pages["shopper"]
    qtbot.mouseClick(page.header.follow_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.findChild(TaskDialog) is not None)
    dialog = page.findChild(TaskDialog)
    qtbot.waitExposed(dialog)
    assert dialog.title.text() == f"Follow-up with {name}"
    assert dialog.when.value() == "tomorrow" and dialog.owner.value() == "me"
    assert dialog.confirm_button.height() >= 44 and dialog.day.height() >= 44

    # nothing to say: told at the field, nothing written
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("message") == "Say what to follow up on."
    assert dialog.isVisible() and not _queued(window, "create_task")

    # a day that has passed: told at the field, nothing written
    qtbot.keyClicks(dialog.message, "Call about the boots arriving Friday")
    assert dialog.field_error("message") == ""
    dialog.day.setDate(QDate.currentDate().addDays(-1))
    assert dialog.when.value() is None  # no chip stands for a hand-picked day
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("due_at") == "Choose a time that has not passed yet."
    assert not _queued(window, "create_task")

    # offline: saved all the same, and on the profile and in the inbox at once
    qtbot.waitUntil(lambda: ctx.bridge.state.online, timeout=SYNC_MS)
    app_env.central.stop()
    qtbot.waitUntil(lambda: not ctx.bridge.state.online, timeout=SYNC_MS)
    qtbot.mouseClick(dialog.when.buttons["tomorrow"], Qt.MouseButton.LeftButton)
    assert dialog.field_error("due_at") == ""
    later = dialog.findChild(type(dialog.confirm_button), "DueTimeLater")
    assert later.height() >= 44 and later.width() >= 44
    qtbot.mouseClick(later, Qt.MouseButton.LeftButton)  # half an hour later
    assert dialog.when.value() is None
    due = quick_time("tomorrow") + timedelta(minutes=30)
    assert dialog.due_hint.text().endswith(due.strftime("%H:%M"))
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    kind, text = ctx.messages.history[-1]
    assert kind == "success" and text.startswith("Follow-up saved")
    [entry] = _queued(window, "create_task")
    task_id = str(entry.args["task_id"])
    assert entry.args["shopper_id"] == shopper.id and entry.args["owner_id"] == "A1001"
    qtbot.waitUntil(lambda: page.header.follow_ups.isVisible(), timeout=5_000)
    assert page.header.follow_ups.text() == (
        f"1 follow-up open, next due Tomorrow {due.strftime('%H:%M')}"
    )

    window.show_inbox()
    inbox = window.pages["inbox"]
    assert inbox.filter == "mine" and _row(inbox, task_id) >= 0
    row = _row(inbox, task_id)
    model = inbox.model
    assert model.data(model.index(row, 0)) == (
        f"Call about the boots arriving Friday\nFollow-up for {name}"
    )
    assert model.data(model.index(row, model.WHEN_COLUMN)) == (f"Tomorrow {due.strftime('%H:%M')}")
    assert model.data(model.index(row, model.STATUS_COLUMN)) == "Aoife Byrne · sending"

    # back online: confirmed by itself
    app_env.central.restart()
    qtbot.waitUntil(lambda: _confirmed(window, task_id), timeout=45_000)
    qtbot.waitUntil(
        lambda: model.data(model.index(_row(inbox, task_id), model.STATUS_COLUMN)) == "Aoife Byrne",
        timeout=10_000,
    )
    # a tap on the row opens the shopper's profile
    rect = inbox.table.visualRect(model.index(_row(inbox, task_id), model.WHEN_COLUMN))
    qtbot.mouseClick(inbox.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page() == "shopper"


def test_home_counts_and_done_snooze_reassign_reopen_from_the_inbox(
    qtbot: Any, window: Any, colleague: FloorDevice
) -> None:
    ctx = window.ctx
    home = window.pages["home"]
    before = dict(home.follow_ups.counts)
    shopper = _shopper(window)
    task_id = _follow_up(
        window,
        qtbot,
        message="Ring about the parka",
        due_at=quick_time("today"),
        shopper_id=shopper.id,
        owner_id="A1001",
    )
    qtbot.waitUntil(
        lambda: home.follow_ups.counts["due_today"] == before["due_today"] + 1, timeout=5_000
    )
    assert home.follow_ups.due_today.text() == f"Due today {before['due_today'] + 1}"

    # Home's count opens the inbox on that chip
    qtbot.mouseClick(home.follow_ups.due_today, Qt.MouseButton.LeftButton)
    inbox = window.pages["inbox"]
    assert window.current_page() == "inbox" and inbox.filter == "due_today"
    assert _row(inbox, task_id) >= 0
    # Home (Cache.task_counts) and the inbox's chips count the same follow-ups
    for key in ("due_today", "overdue"):
        assert inbox.filter_buttons[key].text().endswith(f"  {home.follow_ups.counts[key]}")

    # Snooze until tomorrow: off Mine, on Snoozed, at central too
    _chip(qtbot, inbox, "mine")
    _tap(qtbot, inbox, task_id, "snooze")
    assert inbox.choice.isVisible()
    qtbot.mouseClick(inbox.choice.snooze_buttons["tomorrow"], Qt.MouseButton.LeftButton)
    assert _row(inbox, task_id) == -1 and not inbox.choice.isVisible()
    qtbot.waitUntil(
        lambda: (colleague.task(task_id) or {}).get("status") == "snoozed", timeout=SYNC_MS
    )
    _chip(qtbot, inbox, "snoozed")
    assert _row(inbox, task_id) >= 0

    # Reopen: back on Mine
    _tap(qtbot, inbox, task_id, "reopen")
    assert _row(inbox, task_id) == -1
    _chip(qtbot, inbox, "mine")
    assert _row(inbox, task_id) >= 0
    qtbot.waitUntil(
        lambda: (colleague.task(task_id) or {}).get("status") == "open", timeout=SYNC_MS
    )

    # Reassign to a colleague: off Mine, on Store with their name
    _tap(qtbot, inbox, task_id, "reassign")
    picker = inbox.choice.owners
    assert picker.isVisible() and picker.itemText(0) == "Anyone in the store"
    picker.setCurrentIndex(picker.findData("A1002"))
    qtbot.mouseClick(inbox.choice.give, Qt.MouseButton.LeftButton)
    assert _row(inbox, task_id) == -1
    qtbot.waitUntil(
        lambda: (colleague.task(task_id) or {}).get("owner_id") == "A1002", timeout=SYNC_MS
    )
    _chip(qtbot, inbox, "store")
    model = inbox.model
    qtbot.waitUntil(
        lambda: (
            model.data(model.index(_row(inbox, task_id), model.STATUS_COLUMN)) == "Ciarán Doyle"
        ),
        timeout=10_000,
    )

    # Done: off Store, on Done, closed by the signed-in associate at central
    _tap(qtbot, inbox, task_id, "done")
    assert _row(inbox, task_id) == -1
    qtbot.waitUntil(
        lambda: (colleague.task(task_id) or {}).get("status") == "done", timeout=SYNC_MS
    )
    assert (colleague.task(task_id) or {})["closed_by"] == "A1001"
    _chip(qtbot, inbox, "done")
    assert _row(inbox, task_id) >= 0
    window.show_home()
    qtbot.waitUntil(lambda: home.follow_ups.counts == before, timeout=10_000)
    assert ctx.cache.attention_count() == 0


def test_a_follow_up_a_colleague_completed_first_is_told_with_who(
    qtbot: Any, window: Any, app_env: Any, colleague: FloorDevice
) -> None:
    ctx = window.ctx
    task_id = _follow_up(
        window, qtbot, message="Check the alterations", due_at=quick_time("tomorrow")
    )
    qtbot.waitUntil(lambda: ctx.bridge.state.online, timeout=SYNC_MS)
    app_env.central.stop()
    qtbot.waitUntil(lambda: not ctx.bridge.state.online, timeout=SYNC_MS)
    window.show_inbox("store")
    inbox = window.pages["inbox"]
    _tap(qtbot, inbox, task_id, "done")  # done here, offline
    assert _row(inbox, task_id) == -1

    # meanwhile a colleague's tablet completes it at central first
    app_env.central.restart()
    answer = colleague.send("update_task", {"task_id": task_id, "action": "done"}, "A1002")
    assert answer["status"] == "applied"

    # this tablet's "done" is turned down, and the banner says who did it
    qtbot.waitUntil(lambda: ctx.cache.attention_count() == 1, timeout=45_000)
    qtbot.waitUntil(
        lambda: any(
            kind == "error" and text.startswith("Already done by Ciarán Doyle")
            for kind, text in ctx.messages.history
        ),
        timeout=10_000,
    )
    _chip(qtbot, inbox, "done")
    model = inbox.model
    qtbot.waitUntil(lambda: _row(inbox, task_id) >= 0, timeout=10_000)
    assert model.data(model.index(_row(inbox, task_id), model.STATUS_COLUMN)) == (
        "Done by Ciarán Doyle"
    )
