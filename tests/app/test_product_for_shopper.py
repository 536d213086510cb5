"""The product page's "Add to cart" and "Add to wishlist" for the shopper being served, and
the wishlist tab's "Remove", driven as an associate would against the real central."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt

from sync.errors import SyncError
from tests.app.demo_data import one, shopper_with_wishlist
from tests.app.test_shopper_page import tap

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def fresh_sku(cache: Any, shopper_id: str) -> str:
    """A SKU in stock here that is in neither the shopper's cart nor their wishlist."""
    return one(
        cache,
        """
        SELECT i.sku FROM inventory i WHERE i.store_id = 'S001' AND i.available > 0
          AND i.sku NOT IN (SELECT json_extract(data, '$.sku') FROM wishlist_items
                            WHERE shopper_id = ?)
          AND i.sku NOT IN (SELECT json_extract(l.value, '$.sku')
                            FROM carts c, json_each(json_extract(c.data, '$.lines')) l
                            WHERE c.shopper_id = ?)
        ORDER BY i.sku LIMIT 1""",
        shopper_id,
        shopper_id,
    )


def central_wishlist(env: Any, shopper_id: str, sku: str) -> list[str]:
    """The ids of the shopper's live wishlist items for ``sku`` at central."""
    with sqlite3.connect(env.central.db_path) as conn:
        rows = conn.execute(
            "SELECT id, data FROM entities WHERE entity = 'wishlist_item' AND deleted = 0"
            " AND shopper_id = ?",
            (shopper_id,),
        ).fetchall()
    return [id_ for id_, data in rows if json.loads(data)["sku"] == sku]


def click(env: Any, button: Any) -> None:
    env.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_add_to_cart_and_wishlist_show_at_once_then_are_confirmed(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    sku = fresh_sku(page_env.cache, sid)
    first = page_env.cache.shopper(sid).first_name
    page = page_env.open_product(sku, sid)
    actions = page.for_shopper
    assert actions.cart_button.isEnabled() and actions.wishlist_button.isEnabled()
    assert actions.cart_button.height() >= 44

    click(page_env, actions.cart_button)
    assert actions.done_text.text() == f"Added to {first}'s cart."
    assert actions.undo_button.isVisibleTo(page)
    click(page_env, actions.wishlist_button)
    assert actions.done_text.text() == f"Added to {first}'s wishlist."
    cart_entry, wish_entry = page_env.cache.outbox(states=("pending",))
    assert cart_entry.args["ops"] == [{"op": "add", "sku": sku, "qty": 1}]
    assert [a["sku"] for a in wish_entry.args["add"]] == [sku]

    profile = page_env.open_shopper(sid)
    cart, wish = profile.cart_tab.model, profile.wishlist_tab.model
    assert cart.line(cart.row_of(sku)).pending and cart.line(cart.row_of(sku)).qty == 1
    assert wish.line(0).product.sku == sku and wish.line(0).pending

    page_env.sync()

    page_env.qtbot.waitUntil(lambda: not wish.line(0).pending, timeout=5000)
    assert wish.line(0).product.sku == sku
    assert not cart.line(cart.row_of(sku)).pending
    assert central_wishlist(page_env, sid, sku) == [wish.line(0).key]
    assert page_env.cache.outbox(states=("pending", "rejected")) == []


def test_undo_takes_each_add_back(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    sku = fresh_sku(page_env.cache, sid)
    first = page_env.cache.shopper(sid).first_name
    page = page_env.open_product(sku, sid)
    actions = page.for_shopper
    before = page_env.cache.shopper_profile(sid)

    click(page_env, actions.wishlist_button)
    click(page_env, actions.undo_button)
    assert actions.done_text.text() == f"Taken off {first}'s wishlist again."
    assert not actions.undo_button.isVisibleTo(page)
    click(page_env, actions.cart_button)
    click(page_env, actions.undo_button)
    assert actions.done_text.text() == f"Taken out of {first}'s cart again."
    after = page_env.cache.shopper_profile(sid)
    assert [w.key for w in after.wishlist] == [w.key for w in before.wishlist]
    assert [(c.key, c.qty) for c in after.cart] == [(c.key, c.qty) for c in before.cart]
    page_env.sync()
    assert central_wishlist(page_env, sid, sku) == []


def test_adding_what_is_on_the_wishlist_says_so_and_writes_nothing(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    sku = page_env.cache.shopper_profile(sid).wishlist[0].product.sku
    first = page_env.cache.shopper(sid).first_name
    page = page_env.open_product(sku, sid)
    click(page_env, page.for_shopper.wishlist_button)
    assert page.for_shopper.problem.text() == f"This is already on {first}'s wishlist."
    assert page.for_shopper.problem.isVisibleTo(page)
    assert not page.for_shopper.done.isVisibleTo(page)
    assert page_env.cache.outbox(states=("pending",)) == []


def test_without_a_size_the_buttons_say_why(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    page = page_env.open_product(fresh_sku(page_env.cache, sid), sid)
    page.for_shopper.set_item(None, sid)
    assert not page.for_shopper.cart_button.isEnabled()
    assert not page.for_shopper.wishlist_button.isEnabled()
    assert page.for_shopper.problem.text() == "Choose a size first."


def test_without_a_shopper_a_tap_asks_for_one_who_is_then_served(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    shopper = page_env.cache.shopper(sid)
    sku = fresh_sku(page_env.cache, sid)
    page = page_env.open_product(sku, None)
    assert page.shopper_badge.text() == "No shopper chosen"
    click(page_env, page.for_shopper.wishlist_button)
    dialog = page.for_shopper.dialog
    page_env.qtbot.waitUntil(dialog.isVisible)
    assert not dialog.confirm_button.isEnabled()
    page_env.qtbot.keyClicks(dialog.picker.search, shopper.loyalty_id)
    page_env.qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)  # a card scan
    page_env.qtbot.waitUntil(lambda: dialog.shopper_id == sid)
    click(page_env, dialog.confirm_button)
    page_env.qtbot.waitUntil(lambda: not dialog.isVisible())
    assert page.shopper_id == sid
    assert page.shopper_badge.text() == f"For {shopper.first_name} {shopper.last_name}"
    assert page.for_shopper.done_text.text() == f"Added to {shopper.first_name}'s wishlist."
    assert page_env.cache.shopper_profile(sid).wishlist[0].product.sku == sku


def test_offline_then_reconnected_makes_exactly_one_wishlist_item(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    sku = fresh_sku(page_env.cache, sid)
    page = page_env.open_product(sku, sid)
    page_env.central.stop()
    click(page_env, page.for_shopper.wishlist_button)
    with pytest.raises(SyncError):
        page_env.sync()
    click(page_env, page.for_shopper.wishlist_button)  # again, while offline: it is there
    assert "already on" in page.for_shopper.problem.text()
    assert page_env.cache.shopper_profile(sid).wishlist[0].pending

    page_env.central.restart()
    page_env.sync()
    page_env.sync()
    [item_id] = central_wishlist(page_env, sid, sku)
    shown = [w for w in page_env.cache.shopper_profile(sid).wishlist if w.product.sku == sku]
    assert [(w.key, w.pending) for w in shown] == [(item_id, False)]


def test_remove_from_the_wishlist_tab(page_env):
    sid = shopper_with_wishlist(page_env.cache)
    page = page_env.open_shopper(sid)
    page.tabs.setCurrentWidget(page.wishlist_tab)
    wish = page.wishlist_tab.model
    before = wish.rowCount()
    gone = wish.line(0)
    tap(
        page_env.qtbot,
        page.wishlist_tab.view,
        page.wishlist_tab.actions_delegate,
        wish.index(0, wish.column(wish.ACTIONS)),
        "remove",
    )
    page_env.qtbot.waitUntil(lambda: wish.rowCount() == before - 1)
    assert wish.row_of(gone.key) == -1
    assert page_env.ctx.messages.history[-1][0] == "success"
    page_env.sync()
    assert central_wishlist(page_env, sid, gone.product.sku) == []
