"""The shopper profile, driven as an associate would, against a real cache and central."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from app import format as fmt
from app.widgets.product_cell import Roles
from tests.app._fixtures_b import shopper_with_cart, shopper_with_wishlist

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def tap(qtbot: Any, view: QAbstractItemView, delegate: Any, index: QModelIndex, key: str) -> None:
    """A finger on one of the buttons painted in a cell."""
    view.scrollTo(index)
    rect = delegate.button_rect(view, index, key)
    assert rect.isValid(), f"no {key} button in that cell"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_cart_shows_every_line_with_price_and_availability(b_env):
    sid = shopper_with_cart(b_env.cache, 2)
    page = b_env.open_shopper(sid)
    profile = b_env.cache.shopper_profile(sid)
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


def test_quantity_plus_is_pending_then_confirmed_by_central(b_env):
    sid = shopper_with_cart(b_env.cache, 1)
    page = b_env.open_shopper(sid)
    view, model = page.cart_tab.view, page.cart_tab.model
    line = model.line(0)
    index = model.index(0, model.column(model.QTY))

    tap(b_env.qtbot, view, page.cart_tab.stepper_delegate, index, "plus")

    b_env.qtbot.waitUntil(lambda: model.line(model.row_of(line.key)).qty == line.qty + 1)
    row = model.row_of(line.key)
    assert model.line(row).pending
    assert page.cart_tab.pending_badge.isVisibleTo(page)
    [entry] = b_env.cache.outbox(states=("pending",))
    assert entry.name == "update_cart" and entry.args["ops"][0]["qty"] == line.qty + 1

    b_env.sync()

    b_env.qtbot.waitUntil(lambda: not model.line(model.row_of(line.key)).pending, timeout=5000)
    assert model.line(model.row_of(line.key)).qty == line.qty + 1
    assert not page.cart_tab.pending_badge.isVisibleTo(page)
    assert b_env.cache.outbox(states=("pending", "rejected")) == []


def test_remove_a_cart_line(b_env):
    sid = shopper_with_cart(b_env.cache, 2)
    page = b_env.open_shopper(sid)
    model = page.cart_tab.model
    before = model.rowCount()
    gone = model.line(0)
    tap(
        b_env.qtbot,
        page.cart_tab.view,
        page.cart_tab.actions_delegate,
        model.index(0, model.column(model.ACTIONS)),
        "remove",
    )
    b_env.qtbot.waitUntil(lambda: model.rowCount() == before - 1)
    assert model.row_of(gone.key) == -1
    assert b_env.ctx.messages.history[-1][0] == "success"


def test_wishlist_move_to_cart(b_env):
    sid = shopper_with_wishlist(b_env.cache)
    page = b_env.open_shopper(sid)
    b_env.qtbot.mouseClick(
        page.tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=page.tabs.tabBar().tabRect(page.WISHLIST).center(),
    )
    assert page.tabs.currentWidget() is page.wishlist_tab
    wish = page.wishlist_tab.model
    item = wish.line(0)
    tap(
        b_env.qtbot,
        page.wishlist_tab.view,
        page.wishlist_tab.actions_delegate,
        wish.index(0, wish.column(wish.ACTIONS)),
        "move",
    )
    cart = page.cart_tab.model
    b_env.qtbot.waitUntil(lambda: cart.row_of(item.product.sku) >= 0)
    assert cart.line(cart.row_of(item.product.sku)).pending
    assert wish.row_of(item.key) == -1


def test_add_a_note_then_it_is_confirmed(b_env):
    sid = shopper_with_cart(b_env.cache, 1)
    page = b_env.open_shopper(sid)
    page.tabs.setCurrentWidget(page.notes_tab)
    notes = page.notes_tab

    b_env.qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)  # nothing typed yet
    assert not notes.error.isHidden() and notes.error.text()
    assert b_env.outbox_count() == 0

    text = "Wants the Aran shell in navy, size M; call when it lands."
    b_env.qtbot.mouseClick(notes.editor, Qt.MouseButton.LeftButton)
    b_env.qtbot.keyClicks(notes.editor, text)
    assert notes.error.isHidden()
    b_env.qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)

    b_env.qtbot.waitUntil(lambda: notes.model.rowCount() > 0 and notes.model.records()[0].text == text)
    assert notes.model.records()[0].pending
    assert notes.editor.toPlainText() == ""
    b_env.sync()
    b_env.qtbot.waitUntil(
        lambda: notes.model.records()[0].text == text and not notes.model.records()[0].pending,
        timeout=5000,
    )


def test_unknown_shopper_offline_says_so(b_env):
    page = b_env.open_shopper("SH999999")
    assert not b_env.ctx.bridge.state.online
    assert "offline" in page.status_text()
    assert page.retry_button.isVisibleTo(page)


@pytest.mark.parametrize("tab", ["history", "reservations"])
def test_history_and_reservations_tabs_fill(b_env, tab):
    sid = shopper_with_cart(b_env.cache, 1)
    page = b_env.open_shopper(sid)
    profile = b_env.cache.shopper_profile(sid)
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


def test_shopper_not_on_this_tablet_is_fetched_from_central_when_online(b_env):
    import sqlite3

    with sqlite3.connect(b_env.central.db_path) as conn:
        ids = [
            r[0]
            for r in conn.execute("SELECT id FROM entities WHERE entity = 'shopper' ORDER BY id")
        ]
    sid = next(i for i in ids if not b_env.cache.has_shopper(i))
    b_env.sync()  # the engine has talked to central: online
    assert b_env.ctx.bridge.state.online

    page = b_env.open_shopper(sid)
    assert "Fetching" in page.status_text()
    b_env.qtbot.waitUntil(lambda: page.profile is not None, timeout=10_000)
    assert page.status_text() == ""
    assert page.profile.shopper.id == sid
    assert page.header.name.text().startswith(page.profile.shopper.first_name)


def test_offline_then_online_fetches_the_shopper_without_a_tap(b_env):
    import sqlite3

    with sqlite3.connect(b_env.central.db_path) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM entities WHERE entity = 'shopper' ORDER BY id DESC"
            )
        ]
    sid = next(i for i in ids if not b_env.cache.has_shopper(i))
    page = b_env.open_shopper(sid)
    assert "offline" in page.status_text()
    b_env.sync()  # the connection is back: the engine says online
    b_env.qtbot.waitUntil(lambda: page.profile is not None, timeout=10_000)
    assert page.profile.shopper.id == sid
