"""Editing a shopper's record from the profile against the real central: problems at the
field and nothing written, the edit shown at once and applied by central with the consent
logged, and the saved addresses offered by the order dialog (a new one saved from it)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.dialogs.order_dialog import OrderDialog
from app.dialogs.shopper_edit_dialog import ShopperEditDialog
from app.pages.shopper_page import ShopperPage
from sync.rules.shoppers import CONSENT_WORDING
from tests.app.demo_data import one, shopper_with_cart
from tests.support.offers import at_central

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def click(page_env: Any, widget: Any) -> None:
    page_env.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def retype(page_env: Any, edit: Any, text: str) -> None:
    edit.clear()
    page_env.qtbot.keyClicks(edit, text)


def open_edit(page_env: Any, shopper_id: str) -> tuple[ShopperPage, ShopperEditDialog]:
    page = page_env.open_shopper(shopper_id)
    click(page_env, page.header.edit_button)
    dialog = page.dialog
    assert isinstance(dialog, ShopperEditDialog)
    page_env.qtbot.waitExposed(dialog)
    return page, dialog


def no_sms_shopper(page_env: Any) -> str:
    return str(
        one(
            page_env.cache,
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' AND json_extract(data, "
            "'$.consent.sms') = 0 AND json_extract(data, '$.phone') != '' ORDER BY id LIMIT 1",
        )
    )


def test_the_edit_dialog_checks_at_the_field_then_saves_and_central_applies(page_env):
    sid = no_sms_shopper(page_env)
    page, dialog = open_edit(page_env, sid)
    before = page_env.outbox_count()
    retype(page_env, dialog.email, "kate@")
    retype(page_env, dialog.bottoms, "abc")
    click(page_env, dialog.confirm_button)
    assert "name@example.com" in dialog.field_error("email")
    assert "waist" in dialog.field_error("bottoms")
    assert dialog.isVisible() and page_env.outbox_count() == before

    retype(page_env, dialog.email, "kate.edit@example.com")
    retype(page_env, dialog.bottoms, "32")
    retype(page_env, dialog.brands, "Veja, Arc'teryx")
    dialog.birthday.day.setCurrentIndex(dialog.birthday.day.findData(14))
    dialog.birthday.month.setCurrentIndex(dialog.birthday.month.findData(2))
    new = dialog.addresses.new
    retype(page_env, new["line1"], "12 Main Street")
    retype(page_env, new["city"], "Dublin")
    retype(page_env, new["postcode"], "D02 XY45")
    click(page_env, dialog.addresses.add_button)
    assert dialog.addresses.addresses()[0]["is_default"]
    assert "Agreed" in dialog.consent["sms"].choice.buttons["yes"].text()
    assert CONSENT_WORDING["sms"] in dialog.consent["sms"].wording.text()
    click(page_env, dialog.consent["sms"].choice.buttons["yes"])
    with page_env.qtbot.waitSignal(dialog.saved, timeout=2000):
        click(page_env, dialog.confirm_button)

    # shown at once, pending
    page_env.qtbot.waitUntil(lambda: page.header.email.text() == "kate.edit@example.com")
    assert "Veja" in page.header.brands.text() and "Bottoms 32" in page.header.sizes.text()
    assert page.header.sms_consent.text() == "SMS OK"
    [entry] = [e for e in page_env.cache.outbox(states=("pending",)) if e.shopper_id == sid]
    sent = {k for k, v in entry.args["edits"].items() if v is not None}
    assert sent == {"email", "sizes", "favourite_brands", "important_dates", "addresses"}

    page_env.sync()
    held = at_central(page_env.central.location, "shopper", sid)
    assert held is not None and held["email"] == "kate.edit@example.com"
    assert held["addresses"][0]["line1"] == "12 Main Street"
    assert held["important_dates"] == [{"kind": "birthday", "month": 2, "day": 14, "year": None}]
    log = held["consent_log"][-1]
    assert (log["channel"], log["granted"], log["wording"]) == ("sms", True, CONSENT_WORDING["sms"])
    assert log["by"]["staff_id"] == "A1001" and log["source"] == "tablet"
    page_env.qtbot.waitUntil(lambda: page.header.email.text() == "kate.edit@example.com")


def test_the_order_dialog_offers_saved_addresses_and_saves_a_new_one(page_env):
    sid = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(sid)
    # a new address typed in the order dialog, saved to the record
    click(page_env, page.cart_tab.order_all)
    dialog = page.dialog
    assert isinstance(dialog, OrderDialog)
    lines = dialog.model.lines()
    click(page_env, dialog.fulfilment.buttons["ship_to_home"])
    assert not dialog.saved_addresses.isVisibleTo(dialog)  # nothing saved yet
    assert dialog.save_address.isVisibleTo(dialog)
    click(page_env, dialog.address)
    page_env.qtbot.keyClicks(dialog.address, "3 Quay Street, Galway, H91 AB12")
    dialog.save_address.setChecked(True)
    with page_env.qtbot.waitSignal(dialog.placed, timeout=2000):
        click(page_env, dialog.confirm_button)
    names = [e.name for e in page_env.cache.outbox(states=("pending",)) if e.shopper_id == sid]
    assert names[-2:] == ["place_order", "update_shopper"]
    [saved] = page_env.cache.saved_addresses(sid)
    assert (saved.line1, saved.city, saved.postcode) == ("3 Quay Street", "Galway", "H91 AB12")
    page_env.sync()

    # the next order offers it, chosen, and nobody types it again
    again = page.open_order(lines)
    assert isinstance(again, OrderDialog) and again is not dialog
    page_env.qtbot.waitExposed(again)
    click(page_env, again.fulfilment.buttons["ship_to_home"])
    assert again.saved_addresses.isVisibleTo(again)
    assert "3 Quay Street" in again.saved_addresses.currentText()
    assert not again.address.isVisibleTo(again)
    with page_env.qtbot.waitSignal(again.placed, timeout=2000):
        click(page_env, again.confirm_button)
    [order] = [e for e in page_env.cache.outbox(states=("pending",)) if e.name == "place_order"]
    assert order.args["fulfilment"]["address"].splitlines()[1:] == [
        "3 Quay Street",
        "Galway",
        "H91 AB12",
    ]


def test_an_unreadable_address_to_save_is_said_at_the_field(page_env):
    sid = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(sid)
    click(page_env, page.cart_tab.order_all)
    dialog = page.dialog
    assert isinstance(dialog, OrderDialog)
    click(page_env, dialog.fulfilment.buttons["ship_to_home"])
    click(page_env, dialog.address)
    page_env.qtbot.keyClicks(dialog.address, "Somewhere nice")
    dialog.save_address.setChecked(True)
    before = page_env.outbox_count()
    click(page_env, dialog.confirm_button)
    assert "separate lines" in dialog.field_error("address")
    assert page_env.outbox_count() == before


def test_the_profile_says_when_an_online_change_was_kept(page_env):
    from central.db import open_db
    from central.integration.keys import create_key
    from tests.support.central_server import http_client

    sid = no_sms_shopper(page_env)
    page, dialog = open_edit(page_env, sid)
    retype(page_env, dialog.email, "kate.tablet@example.com")
    retype(page_env, dialog.last_name, "Byrne-Doyle")
    with page_env.qtbot.waitSignal(dialog.saved, timeout=2000):
        click(page_env, dialog.confirm_button)
    assert not page.header.edit_notice.isVisibleTo(page)
    # the web shop changes the email after the tablet's edit, before it syncs
    db = open_db(page_env.central.location)
    try:
        _, key = create_key(db, "webshop")
    finally:
        db.close()
    held = at_central(page_env.central.location, "shopper", sid)
    assert held is not None
    data = {k: v for k, v in held.items() if k not in ("version", "updated_at")}
    with http_client(page_env.central.url, key) as web:
        record = {"entity": "shopper", "id": sid, "version": 1}
        body = {"records": [{**record, "data": {**data, "email": "kate.web@example.com"}}]}
        assert web.post("/v1/integration/records", json=body).json()["results"][0]["status"] == (
            "applied"
        )
    page_env.sync()
    page_env.sync()
    page_env.qtbot.waitUntil(lambda: page.header.email.text() == "kate.web@example.com")
    assert "Byrne-Doyle" in page.header.name.text()
    assert page.header.edit_notice.isVisibleTo(page)
    assert page.header.edit_notice.text() == "Kept from a newer change elsewhere: email"
    assert "another channel" in page.header.edit_notice.toolTip()
