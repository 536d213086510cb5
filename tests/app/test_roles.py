"""Roles on the tablet: what only a manager may do is hidden or greyed with the reason
(``sync.rules.roles``), and "Ask a manager" lets a manager approve on an associate's tablet
with their staff id and PIN, checked offline; central checks the approval again."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app import background
from app.dialogs.ask_manager_dialog import AskManagerDialog
from app.dialogs.compare_shoppers_dialog import CompareShoppersDialog
from app.dialogs.offer_dialog import OfferDialog
from app.pages.clients.book_view import BookView
from app.pages.close.page import CloseOfDayPage
from app.pages.shopper.offers_strip import OffersDialog, OffersModel
from central.demo_data.pins import DEMO_ASSOCIATES
from sync.auth import SignIn
from tests.app.demo_data import shopper_with_cart
from tests.app.page_env import PageEnv
from tests.central.helpers import DBReader

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")

DEMO_PINS = {a["staff_id"]: a["pin"] for a in DEMO_ASSOCIATES}


def sign_in(env: PageEnv, staff_id: str) -> None:
    """``staff_id`` signs in online on this tablet (as at the sign-in page)."""
    task = background.spawn(SignIn(env.cache, env.client).sign_in(staff_id, DEMO_PINS[staff_id]))
    env.qtbot.waitUntil(task.done, timeout=10_000)
    env.ctx.set_session(task.result())


def approve(env: PageEnv, dialog: AskManagerDialog, staff_id: str, pin: str) -> None:
    dialog.staff.clear()
    env.qtbot.keyClicks(dialog.staff, staff_id)
    env.qtbot.keyClicks(dialog.pin, pin)
    env.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    env.qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled() or not dialog.isVisible())


def set_percent(env: PageEnv, dialog: OfferDialog, value: int) -> None:
    dialog.percent.edit.selectAll()
    env.qtbot.keyClicks(dialog.percent.edit, str(value))


def test_a_manager_approves_an_associates_offer_above_their_limit_on_the_tablet(
    page_env: PageEnv, central: Any
) -> None:
    env, qtbot = page_env, page_env.qtbot
    shopper_id = shopper_with_cart(env.cache, 2)
    sign_in(env, "A1002")  # Ciarán, an associate: 10 % on his own
    page = env.open_shopper(shopper_id)
    dialog = page.open_offer()
    assert isinstance(dialog, OfferDialog)
    qtbot.waitExposed(dialog)
    set_percent(env, dialog, 8)
    assert not dialog.ask_manager.isVisible()  # within his limit: no manager needed
    set_percent(env, dialog, 15)
    assert dialog.limit_hint.text().endswith("15 % needs a manager's approval.")
    assert dialog.ask_manager.isVisible()

    qtbot.mouseClick(dialog.ask_manager, Qt.MouseButton.LeftButton)
    asking = dialog.asking
    qtbot.waitExposed(asking)
    assert (
        "give an offer above an associate's limit"
        in asking.findChild(type(dialog.limit_hint), "AskManagerWhy").text()
    )
    approve(env, asking, "A1003", "1357")  # another associate cannot approve
    assert "not a manager" in asking.field_error("staff_id")
    approve(env, asking, "A1001", "0000")  # Aoife, the wrong PIN
    assert asking.field_error("pin") == "That PIN is not right. Try again."
    with qtbot.waitSignal(asking.approved, timeout=5000):
        approve(env, asking, "A1001", "1234")
    assert dialog.limit_hint.text().endswith("Approved by Aoife Byrne: live at once.")
    assert not dialog.ask_manager.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.entry is not None and dialog.entry.args["approved_by"] == "A1001"

    env.sync()
    reader = DBReader(central.location)
    try:
        raw = reader.value(
            "SELECT data FROM entities WHERE entity = 'offer' AND id = ?",
            dialog.entry.args["offer_id"],
        )
    finally:
        reader.close()
    offer = json.loads(raw)
    assert offer["status"] == "active"
    assert (offer["created_by"]["staff_id"], offer["approved_by"]["staff_id"]) == (
        "A1002",
        "A1001",
    )


def test_a_manager_is_never_asked_for_an_approval(page_env: PageEnv) -> None:
    env = page_env  # Aoife, a manager, is signed in
    page = env.open_shopper(shopper_with_cart(env.cache, 2))
    dialog = page.open_offer()
    assert isinstance(dialog, OfferDialog)
    env.qtbot.waitExposed(dialog)
    set_percent(env, dialog, 15)
    assert not dialog.ask_manager.isVisible()


def _duplicate_task(env: PageEnv) -> Any:
    """Two sign-ups with one email: central opens a possible-duplicate task."""
    for first in ("Wilhelmina", "Mina"):
        env.ctx.commands.create_shopper(
            first_name=first,
            last_name="Quarrie",
            email="w.quarrie@example.ie",
            phone="",
            consent={"email": True},
            sizes=None,
            important_dates=(),
        )
    env.sync()
    env.sync()  # the task central opened comes with the next pull
    (task,) = [t for t in env.cache.tasks("S001") if t.kind == "duplicate_shopper"]
    return task


def test_an_associate_sees_why_a_merge_is_a_managers_and_asks_one(page_env: PageEnv) -> None:
    env, qtbot = page_env, page_env.qtbot
    task = _duplicate_task(env)
    sign_in(env, "A1002")
    pair = env.cache.duplicate_pair(task.id)
    assert pair is not None
    dialog = env.show(CompareShoppersDialog(env.ctx, task, pair))
    assert dialog.managers_only.isVisible()
    assert (
        dialog.managers_only.text()
        == "Only a store manager can merge shoppers or keep both records."
    )
    assert not dialog.keep_both.isVisible()
    assert not any(b.isVisible() for b in dialog.merge_buttons.values())
    qtbot.mouseClick(dialog.ask_manager, Qt.MouseButton.LeftButton)
    qtbot.waitExposed(dialog.asking)
    with qtbot.waitSignal(dialog.asking.approved, timeout=5000):
        approve(env, dialog.asking, "A1001", "1234")
    assert dialog.keep_both.isVisible() and not dialog.ask_manager.isVisible()
    assert dialog.managers_only.text() == "Approved by Aoife Byrne."
    with qtbot.waitSignal(dialog.answered, timeout=2000):
        qtbot.mouseClick(dialog.keep_both, Qt.MouseButton.LeftButton)
    env.sync()
    (sent,) = [e for e in env.cache.outbox(states=("applied",)) if e.name == "merge_shoppers"]
    assert (sent.args["approved_by"], sent.state) == ("A1001", "applied")


def test_close_of_day_is_read_by_anyone_and_signed_off_by_a_manager(page_env: PageEnv) -> None:
    env = page_env
    env.sync()  # nothing waits: a manager may sign off
    page = env.show(CloseOfDayPage(env.ctx, env.navigator))
    page.refresh()
    assert page.sign_button.isEnabled()
    assert "Only a store manager" not in page.reason.text()
    sign_in(env, "A1002")
    env.sync()
    page.refresh()
    assert page.sign_button.isVisible() and not page.sign_button.isEnabled()
    assert page.reason.text().startswith("Only a store manager can sign off the day.")
    assert page.check_rows  # the checklist itself is there to read


def test_offers_waiting_for_approval_are_answered_by_a_manager_only(page_env: PageEnv) -> None:
    env = page_env
    shopper_id = shopper_with_cart(env.cache, 2)
    sku = env.cache.shopper_profile(shopper_id).cart[0].product.sku  # type: ignore[union-attr]
    sign_in(env, "A1002")
    env.ctx.commands.create_offer(shopper_id=shopper_id, skus=[sku], percent_off=15, days=5)
    env.sync()
    review = env.show(OffersDialog(env.ctx, shopper_id))
    index = review.model.index(0, OffersModel.ACTIONS)
    assert [b.key for b in review.buttons_for(index)] == ["cancel"]
    assert review.managers_only.isVisible()
    assert review.managers_only.text() == "Only a store manager can approve or decline an offer."
    sign_in(env, "A1001")
    review.reload()
    assert [b.key for b in review.buttons_for(index)] == ["approve", "decline", "cancel"]
    assert not review.managers_only.isVisible()


def test_transferring_a_book_is_offered_to_a_manager_only(page_env: PageEnv) -> None:
    env = page_env
    view = env.show(BookView(env.ctx, env.navigator))
    view.show_scope("store")
    assert view.transfer_button.isVisible()
    sign_in(env, "A1002")
    view.show_scope("store")  # as when the page comes on screen again
    assert not view.transfer_button.isVisible()
