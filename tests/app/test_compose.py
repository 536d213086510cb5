"""Composing a message on the tablet, driven as an associate would, against the real central:
from a profile offline (pending in the timeline at once, queued once central has it), a
refusal at the field that writes nothing, templates filled with the shopper's first name,
the associate and the store, a back-in-stock list row that attaches its SKUs with the
back-in-stock template, and a send central refuses (quiet hours) on the attention list and
in the thread with the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.dialogs.compose_dialog import ComposeDialog, open_compose
from app.pages.clients.outreach_view import OutreachView
from sync.read.outreach import OutreachRow
from sync.records import MessageView
from sync.rules.messaging import fill
from tests.app.compose_data import add_templates, emailable_shopper, put_at_central, set_policy
from tests.app.demo_data import one

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def ready(page_env: Any, central_db_path: Path) -> Any:
    """The tablet with the retailer's templates and a policy without quiet hours now."""
    add_templates(central_db_path)
    set_policy(central_db_path, quiet_now=False)
    page_env.sync()
    assert page_env.cache.message_templates()
    return page_env


def _messages_queued(env: Any) -> list[Any]:
    return [e for e in env.cache.outbox(("pending", "rejected")) if e.name == "send_message"]


def _thread(page: Any) -> list[MessageView]:
    return [r for r in page.notes_tab.model.records() if isinstance(r, MessageView)]


def _open_from_header(env: Any, page: Any) -> ComposeDialog:
    env.qtbot.mouseClick(page.header.message_button, LEFT)
    env.qtbot.waitUntil(lambda: page.findChild(ComposeDialog) is not None)
    dialog = page.findChild(ComposeDialog)
    env.qtbot.waitExposed(dialog)
    return dialog


def _values(env: Any) -> tuple[str, str]:
    """(the store's name, the signed-in associate's first name)."""
    store = env.cache.store("S001")
    return store.name, env.cache.associate("A1001").name.split(" ")[0]


def test_compose_from_the_profile_offline_is_pending_in_the_timeline_then_queued(
    ready: Any,
) -> None:
    env, qtbot = ready, ready.qtbot
    sid = emailable_shopper(env.cache)
    shopper = env.cache.shopper(sid)
    page = env.open_shopper(sid)
    assert page.header.message_button.height() >= 44
    dialog = _open_from_header(env, page)
    assert dialog.title.text() == f"Message to {shopper.first_name} {shopper.last_name}"
    assert dialog.confirm_button.height() >= 44
    # email is open to them; SMS is greyed out and the field says why
    assert dialog.channel.value() == "email"
    assert dialog.channel.buttons["email"].isEnabled()
    assert not dialog.channel.buttons["sms"].isEnabled()
    assert dialog.channel_hint.text().startswith("Not open to them: SMS (not agreed)")
    assert (
        dialog.channel.buttons["sms"]
        .toolTip()
        .startswith("This shopper has not agreed to text messages from us.")
    )

    # a template, filled with their first name, the associate and the store
    dialog.template.setCurrentIndex(dialog.template.findData("tpl-hello"))
    store, associate = _values(env)
    assert dialog.subject.text() == f"A few ideas for you, {shopper.first_name}"
    assert dialog.body_edit.toPlainText() == (
        f"Hi {shopper.first_name}, I put a few things aside that I think you'll love. "
        f"Drop in to {store} any time. {associate}"
    )
    qtbot.keyClicks(dialog.body_edit, " PS: the navy is in.")

    # a product card: a tap attaches it
    cards = dialog.attach.cards
    assert cards.model.rowCount() >= 1
    first = cards.model.record(0)
    rect = cards.view.visualRect(cards.model.index(0, 0))
    qtbot.mouseClick(cards.view.viewport(), LEFT, pos=rect.center())
    assert cards.chosen() == [first.sku]

    # offline: queued all the same, and pending in the timeline at once
    env.central.stop()
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(dialog.confirm_button, LEFT)
    kind, text = env.ctx.messages.history[-1]
    assert kind == "success" and text.startswith(f"Message to {shopper.first_name}")
    [entry] = _messages_queued(env)
    message_id = str(entry.args["message_id"])
    assert entry.args["channel"] == "email" and entry.args["purpose"] == "marketing"
    assert entry.args["template_id"] == "tpl-hello"
    assert entry.args["body"].endswith("PS: the navy is in.")
    assert entry.args["attachments"]["skus"] == [first.sku]
    qtbot.waitUntil(lambda: any(m.id == message_id for m in _thread(page)), timeout=5_000)
    [shown] = [m for m in _thread(page) if m.id == message_id]
    assert (shown.status, shown.pending, shown.skus) == ("pending", True, (first.sku,))
    assert page.tabs.tabText(page.NOTES).startswith("Timeline (")

    # back online: central takes it, and the timeline says so
    env.central.restart()
    env.sync()
    qtbot.waitUntil(
        lambda: (
            [(m.status, m.pending) for m in _thread(page) if m.id == message_id]
            == [("queued", False)]
        ),
        timeout=10_000,
    )
    assert not _messages_queued(env)


def test_a_refusal_shows_at_the_field_and_writes_nothing(ready: Any, central_db_path: Path) -> None:
    env, qtbot = ready, ready.qtbot
    sid = emailable_shopper(env.cache)
    page = env.open_shopper(sid)
    dialog = _open_from_header(env, page)
    dialog.template.setCurrentIndex(dialog.template.findData("tpl-hello"))

    # nothing to say: told at the field
    dialog.body_edit.clear()
    qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.field_error("body") == "Write the message."
    assert dialog.isVisible() and not _messages_queued(env)

    # the shopper withdrew their email consent meanwhile (another channel told central)
    shopper = env.cache.shopper(sid).model_dump(mode="json")
    shopper["consent"]["email"] = False
    put_at_central(central_db_path, "shopper", shopper)
    env.sync()
    qtbot.waitUntil(lambda: not env.cache.shopper(sid).consent.email)
    qtbot.keyClicks(dialog.body_edit, "The boots are in.")
    qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.field_error("channel") == (
        "This shopper has not agreed to email from us. Ask them in store, or choose a "
        "channel they agreed to."
    )
    assert dialog.isVisible() and not _messages_queued(env)


def test_a_back_in_stock_row_attaches_its_skus_with_the_back_in_stock_template(
    ready: Any,
) -> None:
    env, qtbot = ready, ready.qtbot
    sid = emailable_shopper(env.cache)
    shopper = env.cache.shopper(sid)
    sku = one(env.cache, "SELECT id FROM products ORDER BY id LIMIT 1")
    view = env.show(OutreachView(env.ctx, env.navigator))
    reason = "Wished for the Trail Runner: back in stock here"
    row = OutreachRow(
        "back_in_stock", sid, shopper.first_name, shopper.tier, reason, None, (sku,), 1
    )
    view.show_rows("back_in_stock", None, [row])
    index = view.model.index(0, view.model.ACTIONS_COLUMN)
    rect = view.row_actions.button_rect(view.table, index, "message")
    assert rect.height() >= 44
    qtbot.mouseClick(view.table.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: view.findChild(ComposeDialog) is not None)
    dialog = view.findChild(ComposeDialog)
    assert dialog.reason.text() == reason and not dialog.reason.isHidden()
    # the retailer's back-in-stock template (ours here: central's demo data may hold more)
    chosen = dialog.chosen_template()
    assert chosen is not None and chosen.attaches == "back_in_stock"
    store, associate = _values(env)
    filled = {"first_name": shopper.first_name, "store": store, "associate": associate}
    assert dialog.subject.text() == fill(chosen.subject or "", filled)
    assert dialog.body_edit.toPlainText() == fill(chosen.body, filled)
    if chosen.id == "tpl-back":
        assert dialog.body_edit.toPlainText() == (
            f"Hi {shopper.first_name}, what you wished for is back in stock at {store}. "
            f"Shall I keep one aside? {associate}"
        )
    assert dialog.attach.cards.chosen() == [sku]
    assert dialog.field_values()["attachments"]["skus"] == [sku]


def test_a_send_central_refuses_in_quiet_hours_is_on_the_attention_list_and_in_the_thread(
    ready: Any, central_db_path: Path
) -> None:
    env, qtbot = ready, ready.qtbot
    sid = emailable_shopper(env.cache)
    page = env.open_shopper(sid)
    dialog = open_compose(env.ctx, page, shopper_id=sid, share_cart=True)
    assert dialog is not None
    chosen = dialog.chosen_template()
    assert chosen is not None and chosen.attaches == "cart" and dialog.attach.cart.isChecked()
    qtbot.mouseClick(dialog.purpose.buttons["marketing"], LEFT)  # quiet hours hold it
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(dialog.confirm_button, LEFT)
    [entry] = _messages_queued(env)
    assert entry.args["attachments"]["cart_id"] is not None

    # central's policy changed before the tablet sent it: quiet hours now
    set_policy(central_db_path, quiet_now=True)
    env.sync()
    [refused] = [e for e in env.cache.outbox(("rejected",)) if e.id == entry.id]
    assert refused.code == "quiet_hours" and "we send no marketing between" in refused.message
    assert env.cache.attention_count() == 1
    qtbot.waitUntil(
        lambda: [m.status for m in _thread(page) if m.command_id == entry.id] == ["refused"],
        timeout=5_000,
    )
    [shown] = [m for m in _thread(page) if m.command_id == entry.id]
    assert shown.status_note == refused.message and shown.shares_cart
    row = page.notes_tab.model.index(page.notes_tab.model.records().index(shown), 0)
    assert f"Not sent: {refused.message}" in row.data(Qt.ItemDataRole.AccessibleTextRole)


def test_a_follow_up_in_the_inbox_opens_compose_and_sending_marks_it_done(ready: Any) -> None:
    from app.pages.inbox.page import InboxPage
    from app.pages.inbox.times import quick_time

    env, qtbot = ready, ready.qtbot
    sid = emailable_shopper(env.cache)
    entry = env.ctx.commands.create_task(
        message="Tell them the navy parka is in",
        due_at=quick_time("today"),
        shopper_id=sid,
        owner_id="A1001",
    )
    task_id = str(entry.args["task_id"])
    inbox = env.show(InboxPage(env.ctx, env.navigator))
    inbox.activate("mine")
    row = [t.id for t in inbox.model.records()].index(task_id)
    index = inbox.model.index(row, inbox.model.ACTIONS_COLUMN)
    rect = inbox.row_actions.button_rect(inbox.table, index, "message")
    assert rect.height() >= 44 and rect.width() >= 44
    qtbot.mouseClick(inbox.table.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: inbox.findChild(ComposeDialog) is not None)
    dialog = inbox.findChild(ComposeDialog)
    assert dialog.reason.text() == "Tell them the navy parka is in"
    assert dialog.done_task.isVisible() and dialog.done_task.isChecked()
    dialog.template.setCurrentIndex(dialog.template.findData("tpl-hello"))
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(dialog.confirm_button, LEFT)
    [sent] = _messages_queued(env)
    assert sent.args["shopper_id"] == sid
    assert env.cache.task(task_id).status == "done"
    qtbot.waitUntil(lambda: task_id not in [t.id for t in inbox.model.records()])


def test_a_pay_link_goes_as_a_service_message_with_the_order(ready: Any) -> None:
    env, qtbot = ready, ready.qtbot
    sid = emailable_shopper(env.cache)
    sku = env.cache.shopper_profile(sid).cart[0].product.sku
    placed = env.ctx.commands.place_order(
        shopper_id=sid,
        lines=[(sku, 1)],
        fulfilment_type="ship_to_store",
        payment_method="pay_by_link",
        fulfilment_store_id="S001",
    )
    order_id = str(placed.args["order_id"])
    env.sync()  # central's order, waiting for payment by link, is on the tablet now
    page = env.open_shopper(sid)
    dialog = open_compose(env.ctx, page, shopper_id=sid, pay_order_id=order_id)
    assert dialog is not None
    assert dialog.attach.pay.isChecked() and dialog.attach.order.currentData() == order_id
    assert dialog.purpose.value() == "service"
    qtbot.keyClicks(dialog.subject, "Your order")
    qtbot.keyClicks(dialog.body_edit, "Here is the link to pay for your order.")
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(dialog.confirm_button, LEFT)
    [entry] = _messages_queued(env)
    assert entry.args["purpose"] == "service"
    assert entry.args["attachments"]["pay_order_id"] == order_id
    [shown] = [m for m in env.cache.messages(sid) if m.command_id == entry.id]
    assert shown.pay_order_id == order_id


def test_a_card_shows_the_shoppers_own_price_with_their_offer(ready: Any) -> None:
    env = ready
    sid = emailable_shopper(env.cache)
    with env.cache.db.read() as conn:
        skus = [r[0] for r in conn.execute("SELECT id FROM products ORDER BY id LIMIT 200")]
    listed = env.cache.prices_for(None, skus)
    sku = next(k for k in skus if not listed[k].on_sale)  # no promotion to beat
    env.ctx.commands.create_offer(shopper_id=sid, skus=[sku], percent_off=10, days=7)
    env.sync()
    page = env.open_shopper(sid)
    dialog = open_compose(env.ctx, page, shopper_id=sid, skus=(sku,))
    assert dialog is not None
    [card] = [c for c in dialog.attach.cards.model.records() if c.sku == sku]
    assert card.price.offer_id is not None
    assert card.price.sale_cents < card.price.list_cents == listed[sku].list_cents
