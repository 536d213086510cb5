"""Kiosk mode, driven as a shopper would, against the real central on loopback.

The device is provisioned with ``mode = "kiosk"`` and was enrolled as a kiosk and synced
once per session (``synced_kiosk_cache``): the real start-up (``app.bootstrap.Bootstrap``)
shows the kiosk shell (``app.kiosk``) instead of the associate sign-in. A kiosk holds no
shopper records, so the cards to scan come from central's data (``tests.app.kiosk_cards``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit

from tests.app import kiosk_cards
from tests.app.driving import click_row, show_main_window, synced_once
from tests.app.test_enrollment import close_down
from tests.support.central_server import auth_headers, enroll, http_client
from tests.support.signed_in import open_session

FIRST_SYNC_TIMEOUT_MS = 30_000
SYNC_MS = 15_000


@pytest.fixture
def kiosk_idle_s() -> int:
    return 90


@pytest.fixture
def kiosk_settings(central: Any, kiosk_idle_s: int) -> Any:
    from sync.settings import defaults

    settings = defaults().replace(
        central_url=central.url,
        store_id="S001",
        mode="kiosk",
        enrollment_code="DEMO-KIOSK-2026",
        device_name="test kiosk",
        sync_interval_s=5,
    )
    # a test may wait less than the 15 s a provisioning file allows
    return dataclasses.replace(settings, kiosk_idle_timeout_s=kiosk_idle_s)


@dataclass
class Kiosk:
    window: Any
    boot: Any
    shell: Any
    central: Any

    @property
    def ctx(self) -> Any:
        return self.boot.ctx


@pytest.fixture
def kiosk(
    qtbot: Any, qloop: Any, central: Any, kiosk_settings: Any, synced_kiosk_cache: Any
) -> Iterator[Kiosk]:
    window, boot, shell = start_kiosk(qtbot, kiosk_settings)
    try:
        yield Kiosk(window=window, boot=boot, shell=shell, central=central)
    finally:
        close_kiosk(qtbot, window, boot, shell)


def start_kiosk(qtbot: Any, settings: Any) -> tuple[Any, Any, Any]:
    """The real start-up of a kiosk, until its shell shows and a first sync round is over:
    ``(window, boot, shell)``."""
    from app.bootstrap import Bootstrap
    from app.kiosk.shell import KioskShell

    window, messages = show_main_window(qtbot)
    boot = Bootstrap(settings, window, messages)
    boot.begin()
    qtbot.waitUntil(
        lambda: isinstance(window.root.currentWidget(), KioskShell), timeout=FIRST_SYNC_TIMEOUT_MS
    )
    qtbot.waitUntil(lambda: synced_once(boot), timeout=FIRST_SYNC_TIMEOUT_MS)
    return window, boot, window.root.currentWidget()


def close_kiosk(qtbot: Any, window: Any, boot: Any, shell: Any) -> None:
    """Unlock and stop a kiosk started by a test (``test_enrollment.close_down``)."""
    shell.guard.unlock()
    app = QApplication.instance()
    assert app is not None
    shell.uninstall(app)
    close_down(qtbot, window, boot)


# -- helpers ---------------------------------------------------------------------------


def wedge_scan(window: Any, text: str) -> None:
    """A keyboard-wedge scanner: the digits then Return, to the window (nothing on the
    welcome screen needs the focus first)."""
    for char in text:
        QTest.keyClick(window, char)
    QTest.keyClick(window, Qt.Key.Key_Return)


def pick_shopper(kiosk: Kiosk) -> kiosk_cards.Card:
    """A shopper of this store's book with something in their cart that can be reserved
    here."""
    return kiosk_cards.reservable(kiosk.central.db_path)


def contact_details(kiosk: Kiosk, shopper_id: str) -> tuple[str, str]:
    """The shopper's email and phone as central stores them (a kiosk never gets them)."""
    shopper = next(
        s for s in kiosk_cards.entities(kiosk.central.db_path, "shopper") if s["id"] == shopper_id
    )
    return str(shopper["email"]), str(shopper["phone"])


def shown_texts(shell: Any) -> list[str]:
    """Every text a person could read in the kiosk shell (labels, buttons, fields)."""
    texts = [w.text() for w in shell.findChildren(QLabel)]
    texts += [w.text() for w in shell.findChildren(QAbstractButton)]
    texts += [w.text() for w in shell.findChildren(QLineEdit)]
    return texts


def identify(qtbot: Any, kiosk: Kiosk, card: kiosk_cards.Card) -> None:
    wedge_scan(kiosk.window, card.loyalty_id)
    qtbot.waitUntil(lambda: kiosk.shell.shopper_id == card.id, timeout=10_000)
    assert kiosk.shell.pages.currentWidget() is kiosk.shell.shopper


def tap_reservable_line(qtbot: Any, kiosk: Kiosk) -> tuple[Any, Any]:
    """Identify a shopper and tap a cart line that can be reserved here: the reserve
    panel is on screen. Returns (the shopper page, the line)."""
    shell = kiosk.shell
    identify(qtbot, kiosk, pick_shopper(kiosk))
    page = shell.shopper
    row = next(i for i, line in enumerate(page.lines()) if line.availability.here >= 1)
    line = page.lines()[row]
    click_row(qtbot, page.view, row)
    assert shell.pages.currentWidget() is shell.reserve
    return page, line


# -- tests -----------------------------------------------------------------------------


def test_scan_shows_own_cart_with_first_name_only(qtbot: Any, kiosk: Kiosk) -> None:
    shell, ctx = kiosk.shell, kiosk.ctx
    assert ctx.session is None and kiosk.window.ctx is None  # no associate anywhere
    assert shell.pages.currentWidget() is shell.welcome
    card = pick_shopper(kiosk)
    assert ctx.cache.shopper(card.id) is None  # a kiosk holds no shopper records

    identify(qtbot, kiosk, card)

    page = shell.shopper
    assert page.greeting.text() == f"Hello, {card.first_name}!"
    assert page.points.text() == f"{card.points:,} points"
    assert [line.product.sku for line in page.lines()] == list(card.cart_skus)
    texts = "\n".join(shown_texts(shell))
    assert card.last_name not in texts
    stored = contact_details(kiosk, card.id)  # central has them; the kiosk never does
    assert all(stored) and not [value for value in stored if value in texts]
    assert card.loyalty_id not in texts.replace(" ", "")  # the number is forgotten
    assert shell.bar.done_button.isVisible()
    assert ctx.cache.shopper(card.id) is None  # still nothing of them in the cache
    # the identification is kept in the shopper's history, without personal details
    events = [
        e
        for e in ctx.cache.outbox(("pending", "applied"))
        if e.name == "record_event" and e.shopper_id == card.id
    ]
    assert events and events[0].args["text"] == "Identified at kiosk"
    assert card.first_name not in events[0].summary

    page.set_tab(page.WISHLIST)
    assert [line.key for line in page.lines()] == list(card.wishlist_ids)


def test_offline_identification_says_it_needs_the_connection(qtbot: Any, kiosk: Kiosk) -> None:
    shell = kiosk.shell
    kiosk.central.stop()
    qtbot.waitUntil(lambda: not kiosk.boot.bridge.state.online, timeout=SYNC_MS)
    wedge_scan(kiosk.window, pick_shopper(kiosk).loyalty_id)
    qtbot.waitUntil(shell.welcome.notice.isVisible, timeout=5000)
    assert "needs our connection" in shell.welcome.notice.text.text()
    assert shell.shopper_id is None and shell.pages.currentWidget() is shell.welcome
    call = shell.welcome.notice.findChild(QAbstractButton, "OfflineCallButton")
    assert call is not None and call.isVisible()
    qtbot.mouseClick(call, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is shell.call
    qtbot.mouseClick(shell.call.cancel, Qt.MouseButton.LeftButton)
    # the catalog still works offline: its products and stock are in the cache
    assert kiosk.ctx.cache.product_model(pick_shopper(kiosk).cart_skus[0]) is not None


def test_unknown_or_short_number_shows_a_message_and_nothing_else(qtbot: Any, kiosk: Kiosk) -> None:
    shell = kiosk.shell
    keys = shell.welcome.keypad.keys
    for digit in "12345":
        qtbot.mouseClick(keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.welcome.keypad.action, Qt.MouseButton.LeftButton)
    assert "12 digits" in shell.welcome.notice.text.text()

    for _ in range(5):
        qtbot.mouseClick(keys["delete"], Qt.MouseButton.LeftButton)
    for digit in "123456789012":  # not a Harbour & Pine number (they start 7000)
        qtbot.mouseClick(keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.welcome.keypad.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "couldn't find" in shell.welcome.notice.text.text(), timeout=10_000)
    assert shell.pages.currentWidget() is shell.welcome
    assert shell.shopper_id is None and shell.shopper.profile is None
    assert shell.shopper.model.rowCount() == 0
    assert shell.welcome.field.text() == ""


def test_reserve_for_pickup_pending_then_confirmed(qtbot: Any, kiosk: Kiosk) -> None:
    shell, ctx = kiosk.shell, kiosk.ctx
    page, line = tap_reservable_line(qtbot, kiosk)
    assert shell.reserve.chosen_store().store_id == "S001"  # this store first
    assert shell.reserve.name.text() == line.product.name
    qtbot.mouseClick(shell.reserve.confirm, Qt.MouseButton.LeftButton)

    # back at once, pending until central confirms
    assert shell.pages.currentWidget() is page, shell.reserve.store_error.text()
    entry = next(
        e
        for e in ctx.cache.outbox(("pending", "applied"))
        if e.name == "reserve_item" and e.args["sku"] == line.product.sku
    )
    rid = entry.args["reservation_id"]
    statuses = page.reservations.statuses()
    assert statuses.get(rid) == "Reserved — pending confirmation"
    consent = pick_shopper(kiosk).consent  # told the way they agreed to
    assert entry.args["notify_by"] == (
        "sms" if consent["sms"] else "email" if consent["email"] else "none"
    )
    qtbot.waitUntil(
        lambda: page.reservations.statuses().get(rid) == "Reserved — confirmed", timeout=SYNC_MS
    )
    qtbot.waitUntil(
        lambda: (
            "Reserved:" in page.notice.text.text() and page.notice.property("kind") == "success"
        ),
        timeout=SYNC_MS,
    )
    held = [r for r in kiosk_cards.entities(kiosk.central.db_path, "reservation") if r["id"] == rid]
    assert held and held[0]["status"] == "pending"  # at central, until the store has it ready


def test_an_item_reserved_already_is_not_offered_again(qtbot: Any, kiosk: Kiosk) -> None:
    shell = kiosk.shell
    page, line = tap_reservable_line(qtbot, kiosk)
    qtbot.mouseClick(shell.reserve.confirm, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is page
    row = next(i for i, ln in enumerate(page.lines()) if ln.key == line.key)
    qtbot.waitUntil(lambda: page.model.held.get(line.product.sku) is not None, timeout=5000)

    click_row(qtbot, page.view, row)  # the same item again
    assert shell.pages.currentWidget() is page  # no second reservation panel
    assert page.notice.isVisible()
    assert page.notice.text.text().startswith(f"You've already reserved {line.product.name}.")
    reserves = [
        e
        for e in kiosk.ctx.cache.outbox(("pending", "applied"))
        if e.name == "reserve_item" and e.args["sku"] == line.product.sku
    ]
    assert len(reserves) == 1


def test_reservation_turned_down_is_explained_kindly(qtbot: Any, kiosk: Kiosk) -> None:
    shell, ctx = kiosk.shell, kiosk.ctx
    page, line = tap_reservable_line(qtbot, kiosk)

    # meanwhile another device takes every unit left here
    available = ctx.cache.available(line.product.sku, "S001")
    other = enroll(kiosk.central.url, "S001", "associate", "other tablet")
    with http_client(kiosk.central.url) as client:
        answer = client.post(
            "/v1/sync/commands",
            headers=auth_headers(other["token"]),
            json={
                "commands": [
                    {
                        "id": "6f1c2c2e-1111-4b7e-9a55-0c1d2e3f4a5b",
                        "number": 1,
                        "name": "reserve_item",
                        "created_at": "2026-11-22T14:00:00Z",
                        "staff_id": "A1001",  # signed in on that tablet
                        "session_id": open_session(kiosk.central.url, other["token"]),
                        "signed_in": "online",
                        "args": {
                            "reservation_id": "0d9f3a52-2222-4c1b-8e77-1a2b3c4d5e6f",
                            "store_id": "S001",
                            "sku": line.product.sku,
                            "qty": available,
                            "shopper_id": "SH000001",
                            "hold_until": "2099-01-01T00:00:00Z",
                            "notify_by": "none",
                        },
                    }
                ],
            },
        )
    answer.raise_for_status()
    assert answer.json()["results"][0]["status"] == "applied"

    qtbot.mouseClick(shell.reserve.confirm, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is page
    qtbot.waitUntil(
        lambda: page.notice.property("kind") == "warning" and page.notice.isVisible(),
        timeout=SYNC_MS,
    )
    assert "couldn't hold" in page.notice.text.text()
    assert page.findChild(QAbstractButton, "RejectAskButton") is not None
    assert ctx.cache.attention_count() == 0  # the shopper was told; nothing left to do


def test_call_an_associate_reaches_central(qtbot: Any, kiosk: Kiosk) -> None:
    shell, ctx = kiosk.shell, kiosk.ctx
    card = pick_shopper(kiosk)
    identify(qtbot, kiosk, card)
    cursor = kiosk_cards.cursor(kiosk.central.db_path)  # everything at central until now

    qtbot.mouseClick(shell.bar.call_button, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is shell.call
    qtbot.mouseClick(shell.call.reasons["size"], Qt.MouseButton.LeftButton)
    assert shell.call.confirmation.isVisible()
    assert shell.call.confirmation.text() == "We've called an associate"
    entry = next(e for e in ctx.cache.outbox(("pending", "applied")) if e.name == "call_associate")
    task_id = entry.args["task_id"]

    # applied by central
    qtbot.waitUntil(lambda: ctx.cache.outbox_entry(entry.id).state == "applied", timeout=SYNC_MS)
    # and there at central for the store's tablets, through the real API
    tablet = enroll(kiosk.central.url, "S001", "associate", "floor tablet")
    with http_client(kiosk.central.url, tablet["token"]) as client:
        page = client.get("/v1/sync/changes", params={"cursor": cursor, "limit": 2000})
    page.raise_for_status()
    tasks = [
        c["data"] for c in page.json()["changes"] if c["entity"] == "task" and c["id"] == task_id
    ]
    assert tasks and tasks[0]["status"] == "open" and tasks[0]["shopper_id"] == card.id
    assert tasks[0]["message"].startswith("Kiosk: ")

    qtbot.mouseClick(shell.call.ok, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is shell.shopper


@pytest.mark.parametrize("kiosk_idle_s", [1])
def test_idle_timeout_wipes_the_session(qtbot: Any, kiosk: Kiosk) -> None:
    shell = kiosk.shell
    shell.idle.countdown_s = 2
    card = pick_shopper(kiosk)
    first = card.first_name
    identify(qtbot, kiosk, card)
    click_row(qtbot, shell.shopper.view, 0)  # the reserve panel shows the shopper too
    assert shell.pages.currentWidget() is shell.reserve

    # "Are you still there?" — a tap says yes
    qtbot.waitUntil(shell.still_there.isVisible, timeout=5000)
    assert shell.still_there.title.text() == "Are you still there?"
    qtbot.mouseClick(shell.still_there.stay, Qt.MouseButton.LeftButton)
    assert not shell.still_there.isVisible()
    assert shell.pages.currentWidget() is shell.reserve

    # nobody answers: wiped back to the welcome screen
    qtbot.waitUntil(shell.still_there.isVisible, timeout=5000)
    with qtbot.waitSignal(shell.sessionEnded, timeout=5000) as ended:
        pass
    assert ended.args == ["idle"]
    assert shell.pages.currentWidget() is shell.welcome
    assert not shell.still_there.isVisible()
    assert shell.shopper_id is None and shell.shopper.profile is None
    assert shell.reserve.profile is None and shell.reserve.line is None
    assert shell.shopper.model.rowCount() == 0
    name = re.compile(rf"\b{re.escape(first)}\b")
    assert not [t for t in shown_texts(shell) if name.search(t)]


@pytest.mark.parametrize("kiosk_idle_s", [1])
def test_a_session_opened_by_a_scan_alone_is_wiped_on_idle(qtbot: Any, kiosk: Kiosk) -> None:
    """The shopper before pressed Done; the next one scans a card and touches nothing."""
    shell = kiosk.shell
    shell.idle.countdown_s = 1
    before = pick_shopper(kiosk)
    identify(qtbot, kiosk, before)
    qtbot.mouseClick(shell.bar.done_button, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is shell.welcome

    scanned = kiosk_cards.another(kiosk.central.db_path, before.id)
    with qtbot.waitSignal(shell.sessionEnded, timeout=10_000) as ended:
        identify(qtbot, kiosk, scanned)  # the scan alone: no tap, no key but the scanner's
    assert ended.args == ["idle"]
    assert shell.pages.currentWidget() is shell.welcome
    assert shell.shopper_id is None and shell.shopper.profile is None
    name = re.compile(rf"\b{re.escape(scanned.first_name)}\b")
    assert not [t for t in shown_texts(shell) if name.search(t)]


def test_done_wipes_at_once_and_closing_is_ignored(qtbot: Any, kiosk: Kiosk) -> None:
    shell, window = kiosk.shell, kiosk.window
    card = pick_shopper(kiosk)
    identify(qtbot, kiosk, card)
    window.close()  # Alt+F4 and the like
    assert window.isVisible()
    with qtbot.waitSignal(shell.sessionEnded, timeout=1000):
        qtbot.mouseClick(shell.bar.done_button, Qt.MouseButton.LeftButton)
    assert shell.pages.currentWidget() is shell.welcome
    assert not shell.bar.done_button.isVisible()
    assert card.first_name not in "\n".join(shown_texts(shell))


def test_it_exit_needs_the_enrollment_code(qtbot: Any, kiosk: Kiosk) -> None:
    shell, window = kiosk.shell, kiosk.window
    for _ in range(5):
        qtbot.mouseClick(shell.bar.logo, Qt.MouseButton.LeftButton)
    assert shell.it_strip.isVisible()
    qtbot.keyClicks(shell.it_strip.field, "1234")
    qtbot.mouseClick(shell.it_strip.exit, Qt.MouseButton.LeftButton)
    assert window.isVisible() and shell.guard.locked
    assert "isn't right" in shell.it_strip.text.text()
    qtbot.keyClicks(shell.it_strip.field, "DEMO-KIOSK-2026")
    with qtbot.waitSignal(shell.exitRequested, timeout=1000):
        QTest.keyClick(shell.it_strip.field, Qt.Key.Key_Return)
    assert not shell.guard.locked
    assert not window.isVisible()


def test_a_fast_scanners_repeated_digits_all_count(qtbot: Any, kiosk: Kiosk) -> None:
    """X marks a key press as auto-repeat when it comes in the same millisecond as the
    release of the same key, as a fast wedge scanner's "000" does: every digit counts."""
    shell = kiosk.shell
    assert shell.pages.currentWidget() is shell.welcome
    target = QApplication.focusWidget() or shell
    for digit in "700000444912":
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key(ord(digit)), Qt.KeyboardModifier.NoModifier, digit, True)
            QApplication.sendEvent(target, event)
    assert shell.welcome.digits == "700000444912"
    shell.welcome.clear_number()


def test_next_card_scanned_replaces_the_shopper(qtbot: Any, kiosk: Kiosk) -> None:
    shell = kiosk.shell
    first = pick_shopper(kiosk)
    identify(qtbot, kiosk, first)
    second = kiosk_cards.another(kiosk.central.db_path, first.id)
    with qtbot.waitSignal(shell.sessionEnded, timeout=1000):
        wedge_scan(kiosk.window, second.loyalty_id)
    qtbot.waitUntil(lambda: shell.shopper_id == second.id, timeout=10_000)
    assert shell.shopper.greeting.text() == f"Hello, {second.first_name}!"


def test_many_unknown_numbers_pause_the_lookups(qtbot: Any, kiosk: Kiosk) -> None:
    shell = kiosk.shell
    for attempt in range(5):
        wedge_scan(kiosk.window, f"12345678901{attempt}")
        qtbot.waitUntil(
            lambda: shell.welcome.notice.isVisible() and not shell.identifier.busy, timeout=10_000
        )
    assert shell.lookups_paused
    assert not shell.welcome.keypad.isEnabled()
    assert "ask an associate" in shell.welcome.notice.text.text()
    wedge_scan(kiosk.window, pick_shopper(kiosk).loyalty_id)  # even a real card waits
    assert shell.shopper_id is None
