""" "My influenced sales" on the Clients page, driven as an associate would: the real central
credits the web shop's orders to touches made on the tablet (and on another tablet by
Ciarán), the tablet syncs, and the list shows each order's number, total, date and why;
the period switches 7 / 30 days, a manager switches to the whole store, an associate
cannot; it reads offline; a row opens the profile."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app import background
from app.pages.clients.influenced_view import InfluencedView
from app.pages.clients.page import INFLUENCED, ClientsPage
from sync import wire
from sync.auth import SignIn
from tests.app.page_env import PageEnv
from tests.central.helpers import DEMO_PINS
from tests.central.integration_support import record, send_as_webshop, web_order
from tests.support.floor_device import FloorDevice

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def credited_sales(page_env: PageEnv, central_db_path: Path) -> tuple[dict[str, Any], ...]:
    """Aoife notes a client on this tablet today, Ciarán another on his tablet 12 days
    ago; the web shop sends an order of each shopper (today, and 10 days ago)."""
    cache = page_env.cache
    with cache.db.read() as conn:
        mine, theirs = (
            r[0]
            for r in conn.execute(
                "SELECT id FROM shoppers WHERE home_store_id = 'S001' ORDER BY id LIMIT 2"
            )
        )
        sku = conn.execute("SELECT id FROM products ORDER BY id LIMIT 1").fetchone()[0]
    page_env.ctx.commands.add_note(shopper_id=mine, text="Loved the linen shirt in blue")
    page_env.sync()
    other = FloorDevice(page_env.central.url, mode="associate", name="Ciarán's tablet")
    try:
        note = {"note_id": str(uuid.uuid4()), "shopper_id": theirs, "text": "Boots in 41"}
        result = other.send("add_note", note, "A1002", created_at=ago(12))
        assert result["status"] == "applied", result
    finally:
        other.client.close()
    first = web_order(mine, sku, ago(0), total_cents=12900)
    second = web_order(theirs, sku, ago(10), total_cents=4500)
    results = send_as_webshop(
        page_env.central.url,
        central_db_path,
        record("order", "o-mine", 1, first),
        record("order", "o-theirs", 1, second),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    page_env.sync()
    return first, second


def shown(qtbot: Any, view: InfluencedView) -> list[str]:
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)
    return [s.order_id for s in view.sales()]


def test_my_influenced_sales_say_why_and_a_manager_sees_the_store(
    qtbot: Any, page_env: PageEnv, central_db_path: Path
) -> None:
    first, second = credited_sales(page_env, central_db_path)
    page = page_env.show(ClientsPage(page_env.ctx, page_env.navigator))
    qtbot.mouseClick(page.influenced_button, Qt.MouseButton.LeftButton)
    view = page.influenced
    assert view is not None and page.views.currentWidget() is view
    assert page.section == INFLUENCED and page.store_button.isEnabled()  # Aoife manages S001
    assert shown(qtbot, view) == ["o-mine"]
    model = view.model
    text = model.index(0, model.ORDER_COLUMN).data()
    number_line, why = text.split("\n")
    assert number_line.startswith(f"{first['number']} · ")
    assert why == "Ordered online the same day Aoife wrote a note about them"
    assert model.index(0, model.TOTAL_COLUMN).data() == "€129.00"
    assert model.index(0, model.DATE_COLUMN).data()
    assert view.title.text() == "My influenced sales"
    assert view.summary.text() == "1 order · €129.00 · last 7 days · yours"

    # the page's "Whole store": the store's sales hold Ciarán's, which is 10 days old
    qtbot.mouseClick(page.store_button, Qt.MouseButton.LeftButton)
    assert shown(qtbot, view) == ["o-mine"] and page.views.currentWidget() is view
    assert view.title.text() == "Store's influenced sales"
    qtbot.mouseClick(view.period_buttons[30], Qt.MouseButton.LeftButton)
    assert shown(qtbot, view) == ["o-mine", "o-theirs"]
    why = model.index(1, model.ORDER_COLUMN).data().split("\n")[1]
    assert why == "Ordered online 2 days after Ciarán wrote a note about them"
    assert view.summary.text() == "2 orders · €174.00 · last 30 days · the store"

    # offline, the list is the cache's
    page_env.central.stop()
    qtbot.mouseClick(page.mine_button, Qt.MouseButton.LeftButton)
    assert shown(qtbot, view) == ["o-mine"]

    # a row opens the shopper's profile (the navigator does)
    view.table.rowActivated.emit(0)
    assert page_env.navigator.calls[-1] == ("show_shopper", (first["shopper_id"],))

    # back to a list: the page's "Mine / Whole store" is the lists' again
    page.load("follow_ups")
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert page.views.currentWidget() is page.outreach and page.outreach.staff_id == "A1001"


def test_an_associate_sees_only_their_own_and_an_empty_period_says_so(
    qtbot: Any, page_env: PageEnv, central_db_path: Path
) -> None:
    credited_sales(page_env, central_db_path)
    signing_in = background.spawn(
        SignIn(page_env.cache, page_env.client).sign_in("A1002", DEMO_PINS["A1002"])
    )
    qtbot.waitUntil(signing_in.done, timeout=10_000)
    page_env.ctx.set_session(signing_in.result())
    page = page_env.show(ClientsPage(page_env.ctx, page_env.navigator))
    page.set_mine(False)  # the store's lists are every associate's to see
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert page.outreach.staff_id is None
    qtbot.mouseClick(page.influenced_button, Qt.MouseButton.LeftButton)
    view = page.influenced
    assert view is not None
    # influenced sales: an associate's own; "Whole store" is a manager's there
    assert not page.store_button.isEnabled() and page.mine_button.isChecked()
    assert shown(qtbot, view) == []  # Ciarán's sale is 10 days old
    view.set_mine(False)
    assert shown(qtbot, view) == []  # still his own, not Aoife's
    assert view.stack.currentWidget() is view.empty
    assert view.empty.title.text() == "No influenced sales in the last 7 days"
    assert "within 14 days of a message" in view.empty.text.text()
    qtbot.mouseClick(view.period_buttons[30], Qt.MouseButton.LeftButton)
    assert shown(qtbot, view) == ["o-theirs"]
    assert [s.staff_id for s in view.sales()] == ["A1002"]
    assert wire.parse_ts(view.sales()[0].ordered_at) < datetime.now(UTC) - timedelta(days=9)
