"""Floor requests on the tablet, driven as the associates and the kiosk would: a kiosk
calls, the tablet (on Home, then on a shopper's profile) shows the badge and the toast
within seconds, an associate taps "I'm on it", another tablet and the kiosk see it taken,
and "Done" in the inbox closes it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.support.floor_device import FloorDevice

SEEN_MS = 15_000  # a call must show on the tablet within this (measured: ~5 s at most)


@pytest.fixture
def floor(window: Any) -> Iterator[dict[str, FloorDevice]]:
    """The store's kiosk and a second tablet, on this test's central."""
    url = window.ctx.settings.central_url
    devices = {"kiosk": FloorDevice(url, "kiosk"), "tablet": FloorDevice(url, "associate")}
    yield devices
    for device in devices.values():
        device.close()


def _shopper_in_book(window: Any) -> Any:
    hit = window.ctx.cache.search_shoppers("a", limit=5)[0]
    return window.ctx.cache.shopper(hit.id)


def test_a_kiosk_call_reaches_the_associate_anywhere_and_is_taken_then_done(
    qtbot: Any, window: Any, floor: dict[str, FloorDevice]
) -> None:
    kiosk, other_tablet = floor["kiosk"], floor["tablet"]
    toast, badge = window.task_toast, window.inbox_button
    assert window.current_page() == "home" and badge.count == 0 and not toast.isVisible()
    shopper = _shopper_in_book(window)

    # 1. on Home: the kiosk calls for a shopper it identified
    called_at = time.monotonic()
    first = kiosk.call("Kiosk: Finding a size or colour", shopper.loyalty_id)
    qtbot.waitUntil(lambda: badge.count == 1 and toast.isVisible(), timeout=SEEN_MS)
    print(f"kiosk call -> tablet badge and toast: {time.monotonic() - called_at:.2f} s")
    assert toast.message.text() == "Kiosk: Finding a size or colour"
    assert toast.shopper.text() == f"Shopper: {shopper.first_name}"
    assert shopper.last_name not in toast.shopper.text()
    assert badge.text() == "Inbox 1"
    qtbot.mouseClick(toast.close_button, Qt.MouseButton.LeftButton)
    assert not toast.isVisible() and badge.count == 1  # the badge keeps it

    # 2. on a shopper's profile: a second call, without a shopper
    window.show_shopper(shopper.id)
    assert window.current_page() == "shopper"
    called_at = time.monotonic()
    second = kiosk.call("Kiosk: Something else")
    qtbot.waitUntil(lambda: badge.count == 2 and toast.isVisible(), timeout=SEEN_MS)
    print(f"kiosk call -> tablet badge and toast (profile): {time.monotonic() - called_at:.2f} s")
    assert toast.task_id == second and toast.message.text() == "Kiosk: Something else"
    assert not toast.shopper.isVisible()
    assert window.current_page() == "shopper"  # nothing took the associate away

    # 3. "I'm on it" on the toast: taken at once here, then at central
    qtbot.mouseClick(toast.take_button, Qt.MouseButton.LeftButton)
    assert badge.count == 1 and not toast.isVisible()
    cache = window.ctx.cache
    qtbot.waitUntil(
        lambda: (t := cache.task(second)) is not None and t.status == "taken" and not t.pending,
        timeout=SEEN_MS,
    )
    seen = other_tablet.task(second)
    assert seen is not None and (seen["status"], seen["taken_by"]) == ("taken", "A1001")
    at_kiosk = kiosk.task(second)
    assert at_kiosk is not None and (at_kiosk["status"], at_kiosk["taken_by_name"]) == (
        "taken",
        "Aoife",
    )
    late = other_tablet.take(second, "A1002")  # a colleague a moment too late
    assert (late["status"], late["code"]) == ("rejected", "conflict")

    # 4. the inbox from the badge: both requests, newest first, then "Done"
    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    inbox = window.pages["inbox"]
    assert window.current_page() == "inbox"
    rows = inbox.model.records()
    assert [t.id for t in rows] == [second, first]
    status = inbox.model.STATUS_COLUMN
    assert inbox.model.data(inbox.model.index(0, status)) == "Aoife Byrne is on it"
    assert inbox.model.data(inbox.model.index(1, status)) == "Waiting"
    assert inbox.model.data(inbox.model.index(1, 0)) == (
        f"Kiosk: Finding a size or colour · {shopper.first_name}\nCall from a kiosk"
    )
    table = inbox.table
    index = inbox.model.index(0, inbox.model.ACTIONS_COLUMN)
    done = inbox.row_actions.button_rect(table, index, "close")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=done.center())
    assert [t.id for t in inbox.model.records()] == [first]  # gone at once
    qtbot.waitUntil(
        lambda: (t := other_tablet.task(second)) is not None and t["status"] == "done",
        timeout=SEEN_MS,
    )
    assert other_tablet.task(second)["closed_by"] == "A1001"  # type: ignore[index]
    # "I'm on it" from the inbox row too
    index = inbox.model.index(0, inbox.model.ACTIONS_COLUMN)
    take = inbox.row_actions.button_rect(table, index, "take")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=take.center())
    assert inbox.model.records()[0].status == "taken"
    qtbot.waitUntil(lambda: badge.count == 0 and badge.text() == "Inbox", timeout=SEEN_MS)


def test_a_call_a_colleague_takes_leaves_the_toast_and_the_badge(
    qtbot: Any, window: Any, floor: dict[str, FloorDevice]
) -> None:
    kiosk, colleague = floor["kiosk"], floor["tablet"]
    toast, badge = window.task_toast, window.inbox_button
    task_id = kiosk.call("Kiosk: An item that's out of stock")
    qtbot.waitUntil(lambda: toast.isVisible() and badge.count == 1, timeout=SEEN_MS)
    assert colleague.take(task_id, "A1002")["status"] == "applied"
    qtbot.waitUntil(lambda: not toast.isVisible() and badge.count == 0, timeout=SEEN_MS)
    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    inbox = window.pages["inbox"]
    (row,) = inbox.model.records()
    assert (row.id, row.taken_by_name) == (task_id, "Ciarán Doyle")
    index = inbox.model.index(0, inbox.model.ACTIONS_COLUMN)
    assert [b.key for b in inbox.buttons_for(index)] == ["close"]  # nobody takes it twice
