"""The shopper profile, driven as an associate would, against a real cache and central."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from app import format as fmt
from app.models.roles import Roles
from tests.app.demo_data import shopper_with_cart, shopper_with_wishlist

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def tap(qtbot: Any, view: QAbstractItemView, delegate: Any, index: QModelIndex, key: str) -> None:
    """A finger on one of the buttons painted in a cell."""
    view.scrollTo(index)
    rect = delegate.button_rect(view, index, key)
    assert rect.isValid(), f"no {key} button in that cell"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_cart_shows_every_line_with_price_and_availability(page_env):
    sid = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(sid)
    profile = page_env.cache.shopper_profile(sid)
    shopper = profile.shopper

    assert page.header.name.text() == f"{shopper.first_name} {shopper.last_name}"
    assert page.header.tier.text() == fmt.tier(shopper.tier)
    assert profile.home_store_name in page.header.store_line.text()
    assert page.tabs.currentWidget() is page.cart_tab
    model = page.cart_tab.model
    assert model.rowCount() == len(profile.cart) >= 2
    for row, line in enumerate(profile.cart):
        item = model.index(row, model.column(model.ITEM))
        assert line.product.name in item.data()
        assert item.data(Roles.Price) == line.price
        avail = model.index(row, model.column(model.AVAILABILITY))
        assert avail.data(Roles.Availability) == line.availability
        assert f"Here {line.availability.here}" in avail.data()
    total = sum(line.price.sale_cents * line.qty for line in profile.cart)
    assert fmt.money(total) in page.cart_tab.summary.text()
    assert page.tabs.tabText(page.CART).startswith("Cart (")
    assert not page.cart_tab.pending_badge.isVisibleTo(page)
    assert not page.grab().isNull()  # every delegate paints


def test_quantity_plus_is_pending_then_confirmed_by_central(page_env):
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    view, model = page.cart_tab.view, page.cart_tab.model
    line = model.line(0)
    index = model.index(0, model.column(model.QTY))

    tap(page_env.qtbot, view, page.cart_tab.stepper_delegate, index, "plus")

    page_env.qtbot.waitUntil(lambda: model.line(model.row_of(line.key)).qty == line.qty + 1)
    row = model.row_of(line.key)
    assert model.line(row).pending
    assert page.cart_tab.pending_badge.isVisibleTo(page)
    [entry] = page_env.cache.outbox(states=("pending",))
    assert entry.name == "update_cart" and entry.args["ops"][0]["qty"] == line.qty + 1

    page_env.sync()

    page_env.qtbot.waitUntil(lambda: not model.line(model.row_of(line.key)).pending, timeout=5000)
    assert model.line(model.row_of(line.key)).qty == line.qty + 1
    assert not page.cart_tab.pending_badge.isVisibleTo(page)
    assert page_env.cache.outbox(states=("pending", "rejected")) == []


def test_remove_a_cart_line(page_env):
    sid = shopper_with_cart(page_env.cache, 2)
    page = page_env.open_shopper(sid)
    model = page.cart_tab.model
    before = model.rowCount()
    gone = model.line(0)
    tap(
        page_env.qtbot,
        page.cart_tab.view,
        page.cart_tab.actions_delegate,
        model.index(0, model.column(model.ACTIONS)),
        "remove",
    )
    page_env.qtbot.waitUntil(lambda: model.rowCount() == before - 1)
    assert model.row_of(gone.key) == -1
    assert page_env.ctx.messages.history[-1][0] == "success"


def test_wishlist_move_to_cart(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    page = page_env.open_shopper(sid)
    page_env.qtbot.mouseClick(
        page.tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=page.tabs.tabBar().tabRect(page.WISHLIST).center(),
    )
    assert page.tabs.currentWidget() is page.wishlist_tab
    wish = page.wishlist_tab.model
    item = wish.line(0)
    tap(
        page_env.qtbot,
        page.wishlist_tab.view,
        page.wishlist_tab.actions_delegate,
        wish.index(0, wish.column(wish.ACTIONS)),
        "move",
    )
    cart = page.cart_tab.model
    page_env.qtbot.waitUntil(lambda: cart.row_of(item.product.sku) >= 0)
    assert cart.line(cart.row_of(item.product.sku)).pending
    assert wish.row_of(item.key) == -1


def test_add_a_note_then_it_is_confirmed(page_env):
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    page.tabs.setCurrentWidget(page.notes_tab)
    notes = page.notes_tab

    page_env.qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)  # nothing typed yet
    assert not notes.error.isHidden() and notes.error.text()
    assert page_env.outbox_count() == 0

    text = "Wants the Aran shell in navy, size M; call when it lands."
    page_env.qtbot.mouseClick(notes.editor, Qt.MouseButton.LeftButton)
    page_env.qtbot.keyClicks(notes.editor, text)
    assert notes.error.isHidden()
    page_env.qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)

    page_env.qtbot.waitUntil(
        lambda: notes.model.rowCount() > 0 and notes.model.records()[0].text == text
    )
    assert notes.model.records()[0].pending
    assert notes.editor.toPlainText() == ""
    page_env.sync()
    page_env.qtbot.waitUntil(
        lambda: notes.model.records()[0].text == text and not notes.model.records()[0].pending,
        timeout=5000,
    )


def test_kiosk_events_show_in_notes_but_do_not_count_in_its_badge(page_env):
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    written = sum(1 for note in page.profile.notes if note.kind != "kiosk_event") + len(
        page.profile.support
    )
    assert page.tabs.tabText(page.NOTES) == f"Timeline ({written})"
    page_env.ctx.commands.record_event(
        shopper_id=sid, kind="kiosk_event", text="Identified at kiosk"
    )
    page_env.qtbot.waitUntil(
        lambda: any(n.text == "Identified at kiosk" for n in page.notes_tab.model.records())
    )
    assert page.tabs.tabText(page.NOTES) == f"Timeline ({written})"


def test_unknown_shopper_offline_says_so(page_env):
    page = page_env.open_shopper("SH999999")
    assert not page_env.ctx.bridge.state.online
    assert "offline" in page.status_text()
    assert page.retry_button.isVisibleTo(page)


@pytest.mark.parametrize("tab", ["history", "reservations"])
def test_history_and_reservations_tabs_fill(page_env, tab):
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    profile = page_env.cache.shopper_profile(sid)
    if tab == "history":
        page.tabs.setCurrentWidget(page.history_tab)
        assert page.history_tab.model.rowCount() == len(profile.orders)
        if profile.orders:
            first = profile.orders[0]
            assert page.history_tab.detail.number.text().endswith(first.number)
            top = page.history_tab.model.index(0, 0)
            assert page.history_tab.model.rowCount(top) == len(first.lines)
    else:
        page.tabs.setCurrentWidget(page.reservations_tab)
        assert page.reservations_tab.model.rowCount() == len(profile.reservations)


def test_shopper_not_on_this_tablet_is_fetched_from_central_when_online(page_env):
    import sqlite3

    with sqlite3.connect(page_env.central.db_path) as conn:
        ids = [
            r[0]
            for r in conn.execute("SELECT id FROM entities WHERE entity = 'shopper' ORDER BY id")
        ]
    sid = next(i for i in ids if not page_env.cache.has_shopper(i))
    page_env.sync()  # the engine has talked to central: online
    assert page_env.ctx.bridge.state.online

    page = page_env.open_shopper(sid)
    assert "Fetching" in page.status_text()
    page_env.qtbot.waitUntil(lambda: page.profile is not None, timeout=10_000)
    assert page.status_text() == ""
    assert page.profile.shopper.id == sid
    assert page.header.name.text().startswith(page.profile.shopper.first_name)


def test_offline_then_online_fetches_the_shopper_without_a_tap(page_env):
    import sqlite3

    with sqlite3.connect(page_env.central.db_path) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM entities WHERE entity = 'shopper' ORDER BY id DESC"
            )
        ]
    sid = next(i for i in ids if not page_env.cache.has_shopper(i))
    page = page_env.open_shopper(sid)
    assert "offline" in page.status_text()
    page_env.sync()  # the connection is back: the engine says online
    page_env.qtbot.waitUntil(lambda: page.profile is not None, timeout=10_000)
    assert page.profile.shopper.id == sid
