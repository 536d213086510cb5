"""The return dialog against the real central: from the profile's history and from a scan
on Home, pending then applied with its receipt number, what may not come back, the
exchange and its difference, the receipt as a PDF, offline, and central's refusal."""

from __future__ import annotations

import unicodedata
import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QPushButton

from app import format as fmt
from app.dialogs.returns.dialog import ReturnDialog
from app.dialogs.returns.receipt_dialog import ReceiptDialog
from app.pages.home_page import HomePage
from app.pages.outbox_page import OutboxPage
from sync import wire
from tests.app.driving import scan
from tests.app.return_data import returnable_order, set_return_policy, with_exchange
from tests.support.floor_device import FloorDevice

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")

LEFT = Qt.MouseButton.LeftButton


def open_from_history(env: Any, order: Any) -> tuple[Any, ReturnDialog]:
    """The shopper's History tab, the order selected, "Return items" tapped."""
    page = env.open_shopper(order.shopper_id, wait_exposed=False)
    page.tabs.setCurrentWidget(page.history_tab)
    assert page.history_tab.select_order(order.id)
    button = page.history_tab.detail.returns.button
    assert button.isVisibleTo(page.history_tab)
    env.qtbot.mouseClick(button, LEFT)
    dialog = page.dialog
    assert isinstance(dialog, ReturnDialog)
    env.qtbot.waitExposed(dialog)
    return page, dialog


def choose(qtbot: Any, dialog: ReturnDialog, sku: str, qty: int = 1, *, condition: int = 0) -> Any:
    """Tap + ``qty`` times on the line of ``sku``, then pick a reason and a condition."""
    row = dialog.row_of(sku)
    assert row is not None
    for _ in range(qty):
        qtbot.mouseClick(row.qty.plus, LEFT)
    row.reason.setCurrentIndex(0)
    row.condition.setCurrentIndex(condition)
    return row


def test_a_line_returned_from_the_history_is_pending_then_applied_with_its_number(page_env):
    env = page_env
    order = returnable_order(env.cache)
    line = env.cache.returnable_lines(order.id)[0]
    page, dialog = open_from_history(env, order)

    assert order.number in dialog.title.text()
    window = env.cache.return_window(order.id)
    assert dialog.window_line.text() == window.sentence
    row = choose(env.qtbot, dialog, line.sku)
    assert row.qty.value() == 1
    assert dialog.total.text().endswith(f"{line.price_cents / 100:,.2f}")
    env.qtbot.mouseClick(dialog.method.buttons["store_credit"], LEFT)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)

    [entry] = env.cache.outbox(states=("pending",))
    assert entry.name == "return_items"
    assert entry.args["items"][0]["sku"] == line.sku and entry.args["items"][0]["qty"] == 1
    assert entry.args["refund_method"] == "store_credit"
    panel = dialog.receipt_panel
    assert panel is not None and panel.badge.text() == "Pending sync"
    assert panel.qr.has_code()
    # the profile's history says it is on its way
    page.reload()
    page.history_tab.select_order(order.id)
    assert page.history_tab.detail.returns.states() == ["Return pending sync"]

    env.sync()
    env.qtbot.waitUntil(lambda: panel.badge.text().startswith("Applied · R-S001-"), timeout=10_000)
    number = panel.badge.text().removeprefix("Applied · ")
    assert panel.qr.data() == number
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    env.qtbot.waitUntil(lambda: not dialog.isVisible())
    page.history_tab.select_order(order.id)
    assert page.history_tab.detail.returns.states() == [f"Returned · {number}"]
    # its receipt again, from the history
    again = page.history_tab.detail.returns.findChild(QPushButton, "ReturnReceiptButton")
    assert again is not None and again.isVisibleTo(page)
    env.qtbot.mouseClick(again, LEFT)
    receipt = page.dialog
    assert isinstance(receipt, ReceiptDialog)
    env.qtbot.waitExposed(receipt)
    assert receipt.panel.badge.text() == f"Applied · {number}"
    assert receipt.panel.qr.data() == number and receipt.panel.pdf_button.isEnabled()
    env.qtbot.mouseClick(receipt.close_button, LEFT)


def test_more_than_is_left_cannot_be_chosen_and_a_line_on_its_way_back_is_greyed(page_env):
    env = page_env
    order = returnable_order(env.cache)
    line = env.cache.returnable_lines(order.id)[0]
    _page, dialog = open_from_history(env, order)
    row = dialog.row_of(line.sku)
    for _ in range(line.left + 2):
        if row.qty.plus.isEnabled():
            env.qtbot.mouseClick(row.qty.plus, LEFT)
    assert row.qty.value() == line.left
    assert not row.qty.plus.isEnabled()
    row.qty.edit.selectAll()
    env.qtbot.keyClicks(row.qty.edit, str(line.left + 1))  # typed: refused as it is typed
    assert row.qty.value() <= line.left
    # nothing chosen, nothing written: said at the field
    row.qty.set_value(0)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.field_error("items") == "Choose how many of an item come back."
    # a reason is needed, at the line
    env.qtbot.mouseClick(row.qty.plus, LEFT)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.line_error(line.sku) == "Choose why it came back."
    assert env.outbox_count() == 0

    row.reason.setCurrentIndex(0)
    row.condition.setCurrentIndex(0)
    for _ in range(line.left - 1):
        env.qtbot.mouseClick(row.qty.plus, LEFT)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert env.outbox_count() == 1
    dialog.accept()

    # the same order again before central heard of it: that line is on its way back
    _page, again = open_from_history(env, order)
    row = again.row_of(line.sku)
    assert not row.isEnabled()
    assert f"{line.left} on its way back" in row.details.text()
    assert "0 left" in row.details.text()
    assert "on its way back in a return" in row.why.text()


def test_an_item_the_policy_bars_is_greyed_with_why_and_a_manager_may_override(page_env):
    env = page_env
    order = returnable_order(env.cache, min_lines=2)
    barred, other = env.cache.returnable_lines(order.id)[:2]
    set_return_policy(env.central.db_path, not_returnable_skus=[barred.sku])
    env.sync()
    env.qtbot.waitUntil(lambda: env.cache.returnable_lines(order.id)[0].barred is not None)

    _page, dialog = open_from_history(env, order)
    row = dialog.row_of(barred.sku)
    assert not row.isEnabled()
    assert "cannot be returned under the store's policy" in row.why.text()
    assert dialog.row_of(other.sku).isEnabled()
    # Aoife is a manager: she may accept it, with a reason
    assert dialog.override_box.isVisibleTo(dialog)
    env.qtbot.mouseClick(dialog.override_toggle, LEFT)
    assert row.isEnabled() and row.why.text().startswith("Accepted with your override")
    choose(env.qtbot, dialog, barred.sku)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.field_error("override_reason") == "Say why you accept it."
    env.qtbot.keyClicks(dialog.override_reason, "Gift, never worn")
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    [entry] = env.cache.outbox(states=("pending",))
    assert entry.args["override"] is True
    assert entry.args["override_reason"] == "Gift, never worn"


def test_an_associate_asks_a_manager_who_accepts_a_barred_item_on_the_tablet(page_env):
    from app.dialogs.returns import open_return_dialog
    from tests.app.test_roles import approve, sign_in

    env = page_env
    order = returnable_order(env.cache)
    barred = env.cache.returnable_lines(order.id)[0]
    set_return_policy(env.central.db_path, not_returnable_skus=[barred.sku])
    env.sync()
    env.qtbot.waitUntil(lambda: env.cache.returnable_lines(order.id)[0].barred is not None)
    sign_in(env, "A1003")  # an associate, not a manager
    parent = env.show(HomePage(env.ctx, env.navigator), wait_exposed=False)
    dialog = open_return_dialog(env.ctx, parent, order)
    env.qtbot.addWidget(dialog)
    row = dialog.row_of(barred.sku)
    assert not row.isEnabled()
    assert "a manager can accept it with an override" in row.why.text()
    # no override of their own: "Ask a manager"
    assert dialog.override_box.isVisibleTo(dialog)
    assert not dialog.override_toggle.isVisibleTo(dialog)
    env.qtbot.mouseClick(dialog.ask_manager, LEFT)
    asking = dialog.asking
    env.qtbot.waitExposed(asking)
    approve(env, asking, "A1001", "0000")  # the manager's PIN mistyped
    assert asking.field_error("pin") == "That PIN is not right. Try again."
    with env.qtbot.waitSignal(asking.approved, timeout=5000):
        approve(env, asking, "A1001", "1234")
    assert dialog.override_toggle.isChecked() and "Aoife" in dialog.override_toggle.text()
    assert row.isEnabled()
    choose(env.qtbot, dialog, barred.sku)
    env.qtbot.keyClicks(dialog.override_reason, "Gift, never worn")
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    [entry] = env.cache.outbox(states=("pending",))
    assert entry.args["approved_by"] == "A1001" and entry.args["override"] is True
    # central checks the approver again (a manager of this store) and applies it
    env.sync()
    env.qtbot.waitUntil(
        lambda: [r.state for r in env.cache.returns_of_order(order.id)] == ["applied"],
        timeout=10_000,
    )


def test_an_exchange_for_another_size_shows_the_difference_and_is_held_here(page_env):
    env = page_env
    order = returnable_order(env.cache, accept=with_exchange(env.cache))
    line = env.cache.returnable_lines(order.id)[0]
    options = env.cache.exchange_options(order.id, line.sku)
    option = next(o for o in options if o.available_here > 0)
    _page, dialog = open_from_history(env, order)
    choose(env.qtbot, dialog, line.sku, condition=1)
    env.qtbot.mouseClick(dialog.method.buttons["exchange"], LEFT)
    assert dialog.exchange.isVisibleTo(dialog)
    dialog.exchange.select(option.sku)
    difference = option.price.sale_cents - line.price_cents
    words = (
        f"Shopper pays €{difference / 100:,.2f}"
        if difference > 0
        else f"Refund €{-difference / 100:,.2f}"
        if difference < 0
        else "No difference to pay"
    )
    assert dialog.exchange.difference.text().endswith(words)
    assert dialog.total.text() == words
    assert dialog.exchange.way.value() == "reserve"
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)

    [entry] = env.cache.outbox(states=("pending",))
    swap = entry.args["exchange"]
    assert swap["kind"] == "reserve" and swap["sku"] == option.sku and swap["qty"] == 1
    env.sync()
    panel = dialog.receipt_panel
    env.qtbot.waitUntil(lambda: panel.badge.text().startswith("Applied"), timeout=10_000)
    assert words in panel.summary.text()
    # the new item is held for the shopper here
    held = [r for r in env.cache.reservations() if r.shopper_id == order.shopper_id]
    assert any(r.sku == option.sku and r.store_id == "S001" for r in held)


def test_the_receipt_is_saved_as_a_pdf_with_its_number(page_env, tmp_path: Path):
    from pypdf import PdfReader

    env = page_env
    order = returnable_order(env.cache)
    line = env.cache.returnable_lines(order.id)[0]
    _page, dialog = open_from_history(env, order)
    choose(env.qtbot, dialog, line.sku)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    env.sync()
    panel = dialog.receipt_panel
    env.qtbot.waitUntil(lambda: panel.badge.text().startswith("Applied"), timeout=10_000)
    number = panel.badge.text().removeprefix("Applied · ")

    env.qtbot.mouseClick(panel.pdf_button, LEFT)
    chooser = panel.file_dialog
    assert isinstance(chooser, QFileDialog)
    env.qtbot.waitExposed(chooser)
    target = tmp_path / "receipt.pdf"
    with env.qtbot.waitSignal(panel.saved, timeout=10_000):
        chooser.selectFile(str(target))
        chooser.accept()
    assert target.read_bytes().startswith(b"%PDF")
    reader = PdfReader(str(target))
    assert len(reader.pages) >= 1
    # Qt writes each space as its own glyph run (the words come apart with tabs) and sets
    # "ff" as a ligature
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    assert "Return receipt" in text
    assert number in text and order.number in text
    assert line.name in text
    assert fmt.date_short(wire.utc_now()) in text  # a date, not "Today"


def test_a_return_made_offline_shows_pending_in_the_history(page_env):
    env = page_env
    order = returnable_order(env.cache)
    line = env.cache.returnable_lines(order.id)[0]
    env.central.stop()
    page, dialog = open_from_history(env, order)
    choose(env.qtbot, dialog, line.sku)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    panel = dialog.receipt_panel
    assert panel.badge.text() == "Pending sync"
    assert "saved on this tablet" in panel.headline.text()
    assert panel.print_button.isEnabled() and panel.qr.has_code()
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    env.qtbot.waitUntil(lambda: not dialog.isVisible())
    page.history_tab.select_order(order.id)
    assert page.history_tab.detail.returns.states() == ["Return pending sync"]


def test_a_scan_on_home_opens_the_return_and_an_unknown_number_is_said_at_the_field(page_env):
    env = page_env
    order = returnable_order(env.cache)
    home = env.show(HomePage(env.ctx, env.navigator))
    field = home.return_lookup.field
    home.activateWindow()
    env.qtbot.mouseClick(field, LEFT)
    env.qtbot.waitUntil(field.hasFocus)
    scan(env.qtbot, "X-000000")
    assert "No order “X-000000” on this tablet" in home.return_lookup.error_text()
    # the next scan into the same box replaces that number
    scan(env.qtbot, f" {order.number.lower().replace('-', '')} ")
    dialog = home.return_lookup.dialog
    assert isinstance(dialog, ReturnDialog)
    env.qtbot.addWidget(dialog)
    assert dialog.order.id == order.id
    assert home.return_lookup.error_text() == ""


def test_a_return_central_turns_down_shows_in_the_attention_list_with_why(page_env):
    env = page_env
    order = returnable_order(env.cache)
    line = env.cache.returnable_lines(order.id)[0]
    env.central.stop()
    _page, dialog = open_from_history(env, order)
    choose(env.qtbot, dialog, line.sku, line.left)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    dialog.accept()
    page = _page
    # meanwhile the shopper brought the same units back at another store's tablet
    env.central.restart()
    other = FloorDevice(env.central.url, "associate", store_id="S002", name="other tablet")
    try:
        item = {"sku": line.sku, "qty": line.left, "reason": "too_small", "condition": "as_new"}
        answer = other.send(
            "return_items",
            {
                "return_id": str(uuid.uuid4()),
                "order_id": order.id,
                "items": [item],
                "refund_method": "original",
            },
            "A1006",
        )
        assert answer["status"] == "applied", answer
    finally:
        other.close()
    env.sync()
    outbox = env.show(OutboxPage(env.ctx, env.navigator))
    env.qtbot.waitUntil(lambda: len(outbox.cards) == 1)
    [card] = outbox.cards.values()
    summary = card.findChild(QLabel, "AttentionSummary")
    reason = card.findChild(QLabel, "AttentionReason")
    assert summary is not None and reason is not None
    assert order.number in summary.text() and summary.text().startswith("Return")
    assert "can still come back" in reason.text()
    # the profile's history says so too, beside the other store's return
    page.reload()
    page.history_tab.select_order(order.id)
    states = page.history_tab.detail.returns.states()
    assert "Return turned down" in states
    assert any(state.startswith("Returned · R-S002-") for state in states)
    words = page.history_tab.detail.findChildren(QLabel, "OrderReturnText")
    assert any("can still come back" in w.text() for w in words)


def test_an_order_that_cannot_come_back_says_why_and_offers_nothing_to_confirm(page_env):
    env = page_env
    with env.cache.db.read() as conn:
        number = conn.execute(
            "SELECT json_extract(data, '$.number') FROM orders "
            "WHERE json_extract(data, '$.status') = 'cancelled' LIMIT 1"
        ).fetchone()[0]
    home = env.show(HomePage(env.ctx, env.navigator))
    env.qtbot.keyClicks(home.return_lookup.field, number)
    env.qtbot.mouseClick(home.return_lookup.find_button, LEFT)
    dialog = home.return_lookup.dialog
    assert isinstance(dialog, ReturnDialog)
    env.qtbot.addWidget(dialog)
    assert dialog.window_line.text() == f"Order {number} was cancelled: nothing to return."
    assert not dialog.confirm_button.isEnabled()


# the offscreen platform cannot raise Qt's print dialog nor let the file name's completer
# popup grab the keyboard; a screen does both (and the page_env noise, which this replaces)
@pytest.mark.qt_log_ignore(
    r"This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)"
)
def test_print_asks_which_printer_and_prints_the_receipt(page_env, tmp_path: Path):
    """The system's print dialog; the printer chosen here is a file, so the test can read
    what was printed."""
    from pypdf import PdfReader

    env = page_env
    order = returnable_order(env.cache)
    line = env.cache.returnable_lines(order.id)[0]
    env.central.stop()
    _page, dialog = open_from_history(env, order)
    choose(env.qtbot, dialog, line.sku)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    panel = dialog.receipt_panel
    env.qtbot.mouseClick(panel.print_button, LEFT)
    printing = panel.print_dialog
    assert printing is not None
    env.qtbot.waitExposed(printing)
    target = tmp_path / "printed.pdf"
    # no printer on this machine: Qt's dialog offers printing to a file
    where = printing.findChild(QLineEdit, "filename")
    assert where is not None and where.isVisible()
    where.selectAll()
    env.qtbot.keyClicks(where, str(target))
    printing.accept()
    env.qtbot.waitUntil(target.exists)
    text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Pending" in " ".join(text.split())  # offline: no number yet, said so


def test_an_order_of_a_shopper_this_store_never_served_is_found_at_central(page_env):
    from tests.central.helpers import DBReader
    from tests.central.return_support import put_order

    env = page_env
    db = DBReader(env.central.location)
    try:
        stranger = db.shopper_only_in("S002")
        order = put_order(db, stranger)
    finally:
        db.close()
    env.sync()
    assert env.cache.order_by_number(order["number"]) is None
    home = env.show(HomePage(env.ctx, env.navigator))
    lookup = home.return_lookup
    env.qtbot.keyClicks(lookup.field, order["number"])
    env.qtbot.mouseClick(lookup.find_button, LEFT)
    env.qtbot.waitUntil(lambda: lookup.dialog is not None, timeout=10_000)
    dialog = lookup.dialog
    env.qtbot.addWidget(dialog)
    assert isinstance(dialog, ReturnDialog) and dialog.order.id == order["id"]
    assert [row.line.left for row in dialog.rows] == [
        line.left for line in env.cache.returnable_lines(order["id"])
    ]
    assert all(row.isEnabled() for row in dialog.rows)
    # central has no such order either: said at the field
    dialog.reject()
    env.qtbot.keyClicks(lookup.field, "W-000000000")
    env.qtbot.mouseClick(lookup.find_button, LEFT)
    env.qtbot.waitUntil(lambda: "here or at central" in lookup.error_text(), timeout=10_000)


def test_an_exchange_ordered_online_to_the_home_needs_the_address(page_env):
    env = page_env
    order = returnable_order(env.cache, accept=with_exchange(env.cache))
    line = env.cache.returnable_lines(order.id)[0]
    option = next(
        o for o in env.cache.exchange_options(order.id, line.sku) if o.available_online > 0
    )
    _page, dialog = open_from_history(env, order)
    choose(env.qtbot, dialog, line.sku)
    env.qtbot.mouseClick(dialog.method.buttons["exchange"], LEFT)
    dialog.exchange.select(option.sku)
    env.qtbot.mouseClick(dialog.exchange.way.buttons["order"], LEFT)
    assert dialog.exchange.fulfilment.isVisibleTo(dialog)
    assert not dialog.exchange.address.isVisibleTo(dialog)
    env.qtbot.mouseClick(dialog.exchange.fulfilment.buttons["ship_to_home"], LEFT)
    assert dialog.exchange.address.isVisibleTo(dialog)
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.field_error("exchange") == "Enter the delivery address for the new item."
    assert env.outbox_count() == 0
    env.qtbot.keyClicks(dialog.exchange.address, "4 Quay Street, Galway H91 X2Y3")
    assert dialog.field_error("exchange") == ""  # typing puts it right
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    [entry] = env.cache.outbox(states=("pending",))
    swap = entry.args["exchange"]
    assert swap["kind"] == "order" and swap["fulfilment"] == "ship_to_home"
    assert swap["address"] == "4 Quay Street, Galway H91 X2Y3" and swap["order_id"]


def test_past_the_window_a_manager_accepts_it_with_a_reason(page_env):
    from tests.app.return_data import late_order

    env = page_env
    order = late_order(env.cache)
    line = env.cache.returnable_lines(order.id)[0]
    _page, dialog = open_from_history(env, order)
    assert dialog.window_line.text() == env.cache.return_window(order.id).sentence
    assert dialog.window_line.property("role") == "error"
    choose(env.qtbot, dialog, line.sku)
    # without the override, the command's own check says no
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert "a manager can accept it with an override" in dialog.general_error_text()
    assert env.outbox_count() == 0
    assert dialog.override_box.isVisibleTo(dialog)
    env.qtbot.mouseClick(dialog.override_toggle, LEFT)
    env.qtbot.keyClicks(dialog.override_reason, "Shopper was abroad; receipt shown")
    env.qtbot.mouseClick(dialog.confirm_button, LEFT)
    [entry] = env.cache.outbox(states=("pending",))
    assert entry.args["override"] is True
    env.sync()
    panel = dialog.receipt_panel
    env.qtbot.waitUntil(lambda: panel.badge.text().startswith("Applied"), timeout=10_000)
