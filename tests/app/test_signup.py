"""New shoppers and duplicates on the tablet, against the real central: the sign-up
dialog (errors at the field, nothing written; the new profile opens pending and gets its
loyalty number after the sync), "New shopper" on the search when nothing matches, and a
manager comparing a possible duplicate in the inbox and merging it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.dialogs.compare_shoppers_dialog import CompareShoppersDialog, open_compare_dialog
from app.dialogs.new_shopper_dialog import NewShopperDialog
from app.pages.home.shopper_search import ShopperSearch
from app.pages.inbox.page import InboxPage
from sync.rules.shoppers import CONSENT_WORDING

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def _type(qtbot: Any, widget: Any, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def _click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_sign_up_shows_errors_at_the_field_then_opens_the_pending_profile(page_env: Any) -> None:
    qtbot = page_env.qtbot
    dialog = page_env.show(NewShopperDialog(page_env.ctx))
    _type(qtbot, dialog.email, "not an email")
    _click(qtbot, dialog.confirm_button)
    assert dialog.field_error("first_name") == "Enter the first name."
    assert "name@example.com" in dialog.field_error("email")
    assert page_env.outbox_count() == 0  # nothing written

    _type(qtbot, dialog.first_name, "Ottilie")
    _type(qtbot, dialog.last_name, "Zabrowska")
    _type(qtbot, dialog.email, "ottilie.z@example.ie")
    assert dialog.field_error("email") == ""  # typing clears the problem
    assert dialog.consent["email"].wording.text() == CONSENT_WORDING["email"]
    _click(qtbot, dialog.consent["email"].toggle)
    dialog.shoes.setCurrentIndex(dialog.shoes.findData("38"))
    with qtbot.waitSignal(dialog.created, timeout=2000) as created:
        _click(qtbot, dialog.confirm_button)
    shopper_id = created.args[0]
    [entry] = page_env.cache.outbox(states=("pending",))
    assert entry.name == "create_shopper" and entry.args["shopper_id"] == shopper_id
    assert [c["channel"] for c in entry.args["consent"] if c["granted"]] == ["email"]

    page = page_env.open_shopper(shopper_id)
    assert page.header.name.text() == "Ottilie Zabrowska"
    assert "loyalty number when central confirms" in page.header.store_line.text()
    page_env.sync()
    qtbot.waitUntil(lambda: "Loyalty 72" in page.header.store_line.text(), timeout=5000)


def test_new_shopper_from_a_search_that_found_nobody(page_env: Any) -> None:
    qtbot = page_env.qtbot
    panel = page_env.show(ShopperSearch(page_env.ctx, page_env.navigator))
    assert panel.new_button.isVisible()  # always there
    qtbot.keyClicks(panel.search, "Wilhelmina Quarrie")
    qtbot.waitUntil(lambda: panel.lists.currentWidget() is panel.no_results)
    assert panel.new_from_empty.isVisible()
    _click(qtbot, panel.new_from_empty)
    dialog = panel.findChild(NewShopperDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert (dialog.first_name.text(), dialog.last_name.text()) == ("Wilhelmina", "Quarrie")
    _type(qtbot, dialog.phone, "087 555 0142")
    _click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: bool(page_env.navigator.calls))
    (name, (shopper_id,)) = page_env.navigator.calls[-1]
    assert name == "show_shopper"
    # found at once by the search, while central has not seen it yet
    panel.search.clear()
    qtbot.keyClicks(panel.search, "wilhelmina")
    qtbot.waitUntil(
        lambda: (
            panel.lists.currentWidget() is panel.results
            and panel.results_model.record(0).id == shopper_id
        )
    )


def test_a_manager_compares_a_possible_duplicate_and_merges_it(page_env: Any) -> None:
    qtbot = page_env.qtbot
    commands = page_env.ctx.commands
    ids = []
    for first in ("Wilhelmina", "Mina"):
        entry = commands.create_shopper(
            first_name=first,
            last_name="Quarrie",
            email="w.quarrie@example.ie",
            phone="",
            consent={"email": True},
            sizes=None,
            important_dates=(),
        )
        ids.append(str(entry.args["shopper_id"]))
    page_env.sync()
    page_env.sync()  # the task central opened comes with the next pull
    inbox = page_env.show(InboxPage(page_env.ctx, page_env.navigator))
    inbox.activate("store")
    (row,) = [
        r
        for r in range(inbox.model.rowCount())
        if inbox.model.record(r).kind == "duplicate_shopper"
    ]
    task = inbox.model.record(row)
    assert [b.key for b in inbox.buttons_for(inbox.model.index(row, 0))] == ["compare"]

    dialog = open_compare_dialog(page_env.ctx, inbox, task)
    assert isinstance(dialog, CompareShoppersDialog)
    qtbot.waitExposed(dialog)
    assert "the same email" in dialog.findChild(type(dialog.title), "DuplicateReason").text()
    keep = dialog.known.id
    assert dialog.merge_buttons[keep].isVisible() and dialog.keep_both.isVisible()
    with qtbot.waitSignal(dialog.answered, timeout=2000):
        _click(qtbot, dialog.merge_buttons[keep])
    qtbot.waitUntil(
        lambda: (
            not [
                r
                for r in range(inbox.model.rowCount())
                if inbox.model.record(r).kind == "duplicate_shopper"
            ]
        )
    )
    page_env.sync()
    assert [h.id for h in page_env.cache.search_shoppers("w.quarrie@example.ie")] == [keep]
    gone = next(i for i in ids if i != keep)
    assert page_env.cache.shopper(gone).id == keep  # type: ignore[union-attr]
