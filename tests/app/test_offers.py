"""Personal offers on the profile: "New offer" (items from the cart ticked, the
associate's limit said from the synced policy), the offers card with its expiry and the
review dialog: a manager's Approve on an associate's offer above their limit, and Cancel;
the cart's prices follow at once, against the real central."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app import format as fmt
from app.dialogs.offer_dialog import OfferDialog
from app.pages.shopper.offers_strip import OffersDialog, OffersModel
from tests.app.demo_data import shopper_with_cart
from tests.support.signed_in import signed_in

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def tap_row_button(qtbot: Any, strip: OffersDialog, row: int, key: str) -> None:
    index: QModelIndex = strip.model.index(row, OffersModel.ACTIONS)
    rect = strip.row_actions.button_rect(strip.table, index, key)
    assert rect.isValid(), f"no {key} button on row {row}"
    qtbot.mouseClick(strip.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_keys(strip: OffersDialog, row: int) -> list[str]:
    return [b.key for b in strip.buttons_for(strip.model.index(row, OffersModel.ACTIONS))]


def review(qtbot: Any, page: Any) -> OffersDialog:
    qtbot.mouseClick(page.offers.review_button, Qt.MouseButton.LeftButton)
    dialog = page.offers.dialog
    assert isinstance(dialog, OffersDialog)
    qtbot.waitExposed(dialog)
    return dialog


def set_percent(qtbot: Any, dialog: OfferDialog, value: int) -> None:
    dialog.percent.edit.selectAll()
    qtbot.keyClicks(dialog.percent.edit, str(value))


def test_a_manager_makes_an_offer_and_the_cart_is_priced_with_it(page_env: Any) -> None:
    qtbot = page_env.qtbot
    shopper_id = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(shopper_id)
    assert not page.offers.isVisible()  # no offer yet: the strip keeps out of the way
    qtbot.mouseClick(page.header.offer_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, OfferDialog)
    qtbot.waitExposed(dialog)
    cart_skus = {line.product.sku for line in page.profile.cart}
    assert set(dialog.skus()) == cart_skus  # the cart is ticked to start

    set_percent(qtbot, dialog, 25)
    assert "no manager can approve it" in dialog.limit_hint.text()
    set_percent(qtbot, dialog, 15)
    assert dialog.limit_hint.text() == (
        "Your limit as a manager: 20 %. This offer is live at once."
    )
    qtbot.keyClicks(dialog.note, "For the cart she left online")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: page.offers.isVisible() and len(page.offers.offers()) == 1)
    (offer,) = page.offers.offers()
    assert (offer.status, offer.pending, offer.percent_off) == ("active", True, 15)
    assert page.offers.summary.text().startswith("15 % off until ")
    offers = review(qtbot, page)
    assert offers.model.index(0, OffersModel.WHEN).data().endswith("sending")
    assert row_keys(offers, 0) == []  # not at central yet: nothing to cancel
    qtbot.waitUntil(lambda: any(line.price.offer_id == offer.id for line in page.profile.cart))
    for line in page.profile.cart:  # the lower of the promotion and the offer, never both
        promoted = page_env.cache.price(line.product).sale_cents
        offered = (line.product.price_cents * 85 + 50) // 100
        assert line.price.sale_cents == min(promoted, offered)
        assert (line.price.offer_id == offer.id) == (offered < promoted)

    page_env.sync()
    qtbot.waitUntil(lambda: not offers.offers()[0].pending, timeout=5000)
    assert offers.model.index(0, OffersModel.WHEN).data().startswith("Until ")
    assert row_keys(offers, 0) == ["cancel"]


def test_items_left_unticked_are_refused_at_the_field_and_nothing_is_written(
    page_env: Any,
) -> None:
    qtbot = page_env.qtbot
    page = page_env.open_shopper(shopper_with_cart(page_env.cache, 2))
    dialog = page.open_offer()
    assert isinstance(dialog, OfferDialog)
    qtbot.waitExposed(dialog)
    before = page_env.outbox_count()
    for row in range(dialog.items.rowCount()):
        dialog.items.item(row).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.field_error("items") == "Choose the items the offer is for."
    assert page_env.outbox_count() == before


def test_a_manager_approves_an_associates_offer_and_anyone_cancels_one(page_env: Any) -> None:
    qtbot = page_env.qtbot
    shopper_id = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(shopper_id)
    sku = page.profile.cart[0].product.sku
    # Ciarán (an associate: 10 %) gives 15 % on this tablet: it waits for a manager
    ciaran = signed_in(page_env.cache, "A1002")
    made = ciaran.create_offer(shopper_id=shopper_id, skus=[sku], percent_off=15, days=5)
    page_env.sync()
    page.reload()
    qtbot.waitUntil(lambda: page.offers.isVisible())
    assert page.offers.summary.text() == "15 % off waits for a manager"
    assert page.offers.waiting.text() == "1 waiting"
    offers = review(qtbot, page)
    assert offers.model.index(0, OffersModel.WHEN).data() == "Needs approval"
    assert row_keys(offers, 0) == ["approve", "decline", "cancel"]
    assert page.profile.cart[0].price.offer_id is None  # it prices nothing yet

    tap_row_button(qtbot, offers, 0, "approve")  # Aoife is a manager
    qtbot.waitUntil(lambda: offers.offers()[0].status == "active")
    assert page.profile.cart[0].price.offer_id == made.args["offer_id"]
    page_env.sync()

    tap_row_button(qtbot, offers, 0, "cancel")
    assert offers.confirm.isVisible()  # are you sure? nothing written yet
    qtbot.mouseClick(offers.confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.offers.isVisible())
    assert offers.model.rowCount() == 0
    assert page.profile.cart[0].price.offer_id is None
    page_env.sync()
    (gone,) = [o for o in page_env.cache.offers(shopper_id) if o.id == made.args["offer_id"]]
    assert (gone.status, gone.pending) == ("cancelled", False)


def test_the_order_dialog_prices_for_the_shopper_once_chosen(page_env: Any) -> None:
    from app.dialogs.order_dialog import OrderDialog
    from tests.support.offers import quiet_products

    qtbot = page_env.qtbot
    shopper_id = shopper_with_cart(page_env.cache, 2)
    (item,) = quiet_products(page_env.cache, 1)
    page_env.ctx.commands.create_offer(
        shopper_id=shopper_id, skus=[item.sku], percent_off=10, days=3
    )
    dialog = page_env.show(OrderDialog(page_env.ctx, None, [(item.sku, 2)]))  # no shopper yet
    assert dialog.model.total_cents() == 2 * item.price_cents
    assert dialog.picker is not None
    dialog.picker.picked.emit(shopper_id)  # the associate picks the shopper
    offered = (item.price_cents * 90 + 50) // 100
    qtbot.waitUntil(lambda: dialog.model.total_cents() == 2 * offered)
    assert dialog.total.text() == f"Total {fmt.money(2 * offered)}"
