"""The manager's store dashboard on a real cache against the real central: it shows the
cache's figures for the chosen period with the time they are as of, offline too; a leak
tile opens its list and the row's one tap opens the right dialog (or the attention list);
"CSV" writes a file that reads back and a failure says why on the banner; an associate
cannot open it."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from app import background
from app import format as fmt
from app.dialogs.compose_dialog import ComposeDialog, open_compose
from app.dialogs.offer_dialog import OfferDialog
from app.pages.dashboard.page import DashboardPage
from app.pages.dashboard.values import value_text
from app.pages.home.dashboard_tile import DashboardTile
from sync.export import to_csv
from tests.app.compose_data import add_templates, emailable_shopper, put_at_central, set_policy
from tests.app.driving import sign_in
from tests.app.page_env import PageEnv
from tests.central.helpers import DEMO_PINS
from tests.support.other_tablet import exhaust_stock_elsewhere

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")

LEFT = Qt.MouseButton.LeftButton


def _open(env: PageEnv, qtbot: Any) -> DashboardPage:
    page = env.show(DashboardPage(env.ctx, env.navigator))
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.activate()
    return page  # type: ignore[no-any-return]


def _expected(env: PageEnv, page: DashboardPage) -> dict[str, str]:
    assert page.period is not None and page.now is not None
    kpis = env.cache.store_kpis(env.ctx.store_id, page.period, page.now)
    return {k.key: value_text(k.value, k.unit) for k in kpis.figures}


def test_the_page_shows_the_store_figures_as_of_the_last_sync(
    page_env: PageEnv, qtbot: Any
) -> None:
    env = page_env
    env.sync()
    page = _open(env, qtbot)
    assert page.period is not None and page.period.kind == "7d"
    shown = {key: tile.value.text() for key, tile in page.tiles.items()}
    assert shown == _expected(env, page)
    assert {"reservations_created", "channel_adoption", "returns_by_channel"} <= set(shown)
    last_sync = env.ctx.bridge.state.last_sync_at
    assert page.period_bar.freshness.text() == f"As of {fmt.time_hm(last_sync)} (the last sync)"

    # online: the chain comparison from central, this store's value as on its tile
    qtbot.waitUntil(lambda: not page.chain.busy, timeout=10_000)
    assert page.chain.table.isVisible() and not page.chain.offline_note.isVisible()
    assert page.chain.answer is not None
    keys = [f.key for f in page.chain.answer.figures]
    assert "reservation_conversion" in keys
    mine = page.chain.findChild(QLabel, "Chain_reservation_conversion_1")
    assert mine is not None and mine.text() == shown["reservation_conversion"]

    # how it is computed: a tap on the tile's info button shows the sentence
    tile = page.tiles["channel_adoption"]
    # a share's breakdown counts the shoppers behind it (per pair of channels), never "%"
    adoption = env.cache.store_kpis(env.ctx.store_id, page.period, page.now).get("channel_adoption")
    assert adoption is not None and adoption.breakdown
    description = tile.chart.accessibleDescription()
    assert "%" not in description
    name, count = adoption.breakdown[0]
    assert f"{name} {int(count)}" in description
    assert not tile.how.isVisible()
    page.figures.ensureWidgetVisible(tile)  # the person scrolls down to it
    qtbot.mouseClick(tile.info, LEFT)
    assert tile.how.isVisible() and tile.how.text().endswith(".")
    assert tile.how.text() == tile.info.toolTip()

    # another period: the figures of today
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(page.period_bar.buttons["today"], LEFT)
    assert page.period.kind == "today"
    assert {key: t.value.text() for key, t in page.tiles.items()} == _expected(env, page)

    # a custom range: two date pickers; the figures of those days
    end = page.now.date()
    start = end - timedelta(days=9)
    qtbot.mouseClick(page.period_bar.buttons["custom"], LEFT)
    assert page.period_bar.first.isVisible() and page.period_bar.last.isVisible()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.period_bar.first.setDate(QDate(start.year, start.month, start.day))
    assert page.period.kind == "custom" and page.period.start.date() == start
    assert {key: t.value.text() for key, t in page.tiles.items()} == _expected(env, page)
    assert "The chain comparison covers" in page.chain.offline_note.text()
    # more than a year: said where the period is chosen, the figures stay
    page.period_bar.first.setDate(QDate(start.year - 2, start.month, 1))
    assert page.busy  # the read started; it ends in the error at the period
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert page.period_bar.freshness.text() == "A custom period is at most 366 days."
    assert page.period.start.date() == start

    first_paint = max(t.chart.last_paint_ms for t in page.tiles.values() if t.chart.isVisible())
    assert first_paint < 50
    assert page.first_show_ms is not None


def test_offline_the_figures_stay_with_the_time_they_are_as_of(
    page_env: PageEnv, qtbot: Any
) -> None:
    env = page_env
    env.sync()
    last_sync = env.ctx.bridge.state.last_sync_at
    env.central.stop()
    trying = background.spawn(env.engine.sync_once())
    qtbot.waitUntil(trying.done, timeout=20_000)
    qtbot.waitUntil(lambda: not env.ctx.bridge.state.online, timeout=20_000)
    page = _open(env, qtbot)
    assert {key: tile.value.text() for key, tile in page.tiles.items()} == _expected(env, page)
    text = page.period_bar.freshness.text()
    assert text.startswith("Offline") and text.endswith(f"figures as of {fmt.time_hm(last_sync)}")
    assert page.chain.offline_note.isVisible()
    assert "offline" in page.chain.offline_note.text().lower()
    assert not page.chain.table.isVisible()


def _tap_row_action(view: Any, qtbot: Any, row: int) -> None:
    """A tap on the row's button (the delegate paints it; the tap goes to its cell)."""
    index = view.model.index(row, view.model.ACTION_COLUMN)
    view.table.scrollTo(index)
    rect = view.row_actions.button_rect(view.table, index, view.model.record(row).action)
    qtbot.mouseClick(view.table.viewport(), LEFT, pos=rect.center())


def test_a_leak_tile_opens_its_list_and_each_row_its_way_forward(
    page_env: PageEnv, qtbot: Any, central_db_path: Path
) -> None:
    env = page_env
    add_templates(central_db_path)
    set_policy(central_db_path, quiet_now=False)
    env.sync()
    # an unpaid pay-by-link order: placed, its link sent, not paid
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
    env.sync()
    sending = open_compose(env.ctx, None, shopper_id=sid, pay_order_id=order_id)
    assert sending is not None
    qtbot.keyClicks(sending.subject, "Your order")
    qtbot.keyClicks(sending.body_edit, "Here is the link to pay for your order.")
    with qtbot.waitSignal(sending.accepted, timeout=5_000):
        qtbot.mouseClick(sending.confirm_button, LEFT)
    env.sync()
    with env.cache.db.read() as conn:
        (raw,) = conn.execute(
            "SELECT data FROM messages WHERE json_extract(data, '$.attachments.pay_order_id') = ?",
            (order_id,),
        ).fetchone()
    message = json.loads(raw)  # the provider tells central it went out
    put_at_central(central_db_path, "message", {**message, "status": "sent"})
    # a rejected action: another tablet took the stock a reservation counted on
    with env.cache.db.read() as conn:
        stock_sku, available = conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = 'S001' AND available "
            "BETWEEN 1 AND 5 ORDER BY sku DESC LIMIT 1"
        ).fetchone()
    env.ctx.commands.reserve_item(shopper_id=sid, sku=stock_sku, qty=1)
    taking = background.spawn(
        exhaust_stock_elsewhere(env.central.url, stock_sku, "S001", available)
    )
    qtbot.waitUntil(taking.done, timeout=10_000)
    env.sync()

    page = _open(env, qtbot)
    assert page.leak_strip.buttons["unpaid_links"].text() == "Unpaid links · 1"
    assert page.leak_strip.buttons["rejected"].text() == "Rejected actions · 1"

    # the pay-by-link tile opens the unpaid links; the row's tap resends the link
    tile = page.tiles["pay_links_sent"]
    assert tile.leak == "unpaid_links" and tile.leak_button.isVisible()
    with qtbot.waitSignal(page.leak_loaded, timeout=10_000):
        qtbot.mouseClick(tile.leak_button, LEFT)
    view = page.leak_view
    assert page.faces.currentWidget() is view and view.title.text() == "Unpaid pay-by-link orders"
    [row] = view.rows()
    assert (row.shopper_id, row.action, row.ref_id) == (sid, "resend_link", order_id)
    _tap_row_action(view, qtbot, 0)
    dialog = view.last_dialog
    assert isinstance(dialog, ComposeDialog) and dialog.isVisible()
    assert dialog.attach.pay.isChecked() and dialog.attach.order.currentData() == order_id
    dialog.reject()
    assert env.navigator.calls == []  # the profile stays where it is: the dialog is over it

    # rejected actions: the tap opens the outbox's attention list
    qtbot.mouseClick(view.back_button, LEFT)
    assert page.faces.currentWidget() is page.figures
    with qtbot.waitSignal(page.leak_loaded, timeout=10_000):
        qtbot.mouseClick(page.leak_strip.buttons["rejected"], LEFT)
    [row] = view.rows()
    assert row.action == "resolve" and row.shopper_id == sid
    _tap_row_action(view, qtbot, 0)
    assert env.navigator.calls == [("show_outbox", ())]  # the tap only resolves
    who = view.table.visualRect(view.model.index(0, view.model.WHO_COLUMN))
    qtbot.mouseClick(view.table.viewport(), LEFT, pos=who.center())
    assert env.navigator.calls[-1] == ("show_shopper", (sid,))  # the row: their profile

    # abandoned carts: a tap makes that shopper an offer in the offer dialog
    with qtbot.waitSignal(page.leak_loaded, timeout=10_000):
        page.tiles["carts_recovered"].leak_button.click()
    carts = view.rows()
    assert carts and all(r.action == "offer" for r in carts)
    _tap_row_action(view, qtbot, 0)
    dialog = view.last_dialog
    assert isinstance(dialog, OfferDialog) and dialog.isVisible()
    assert dialog.shopper_id == carts[0].shopper_id
    dialog.reject()

    # an expired hold: the tap opens the compose dialog to reach out, with what happened
    hold = dataclasses.replace(carts[0], action="reach_out", what="The hold ran out")
    view.show_rows("expired_holds", [hold])
    _tap_row_action(view, qtbot, 0)
    dialog = view.last_dialog
    assert isinstance(dialog, ComposeDialog) and dialog.reason.text() == "The hold ran out"
    dialog.reject()


def test_a_tile_exports_its_table_as_csv_and_a_failure_says_why(
    page_env: PageEnv, qtbot: Any, tmp_path: Path
) -> None:
    env = page_env
    env.sync()
    page = _open(env, qtbot)
    tile = page.tiles["reservations_created"]
    qtbot.mouseClick(tile.export_button, LEFT)
    dialog = page.export.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    target = tmp_path / "reservations.csv"
    with qtbot.waitSignal(page.export.written, timeout=10_000):
        dialog.selectFile(str(target))
        dialog.accept()
    assert page.period is not None and page.now is not None
    table = env.cache.kpi_table("reservations_created", "S001", page.period, page.now)
    text = target.read_bytes().decode("utf-8")
    assert text == to_csv(table)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == table.columns and len(rows) == len(table.rows) + 1
    assert env.ctx.messages.history[-1] == ("success", f"Exported to {target}")

    # a disk that is full: said on the banner, at the point it failed
    with qtbot.waitSignal(page.export.failed, timeout=10_000):
        page.export.start([("reservations_created", Path("/dev/full"))], page.period, page.now)
    kind, said = env.ctx.messages.history[-1]
    assert kind == "error" and said.startswith("The disk is full")

    # every figure at once, into a folder
    folder = tmp_path / "all"
    folder.mkdir()
    qtbot.mouseClick(page.export_all, LEFT)
    dialog = page.export.dialog
    assert dialog is not None
    with qtbot.waitSignal(page.export.written, timeout=20_000) as written:
        dialog.selectFile(str(folder))
        dialog.accept()
    assert len(written.args[0]) == len(page.tiles)
    assert sorted(p.name.rsplit("-", 1)[-1] for p in folder.iterdir()) == sorted(
        f"{key}.csv" for key in page.tiles
    )


def test_an_associate_cannot_open_the_dashboard(page_env: PageEnv, qtbot: Any) -> None:
    env = page_env
    tile = env.show(DashboardTile(env.ctx, env.navigator))
    tile.refresh()
    assert tile.isVisible()
    qtbot.mouseClick(tile.open_button, LEFT)
    assert env.navigator.calls[-1] == ("show_dashboard", ())

    session = env.ctx.session
    assert session is not None
    env.ctx.set_session(dataclasses.replace(session, staff_id="A1002", role="associate"))
    tile.refresh()
    assert not tile.isVisible()
    page = env.show(DashboardPage(env.ctx, env.navigator))
    page.activate()
    assert page.faces.currentWidget() is page.refused
    assert page.tiles == {} and not page.export_all.isEnabled()


def test_the_window_opens_the_dashboard_for_a_manager_only(window: Any, qtbot: Any) -> None:
    home = window.pages["home"]
    assert home.dashboard.isVisible()  # Aoife manages the store
    qtbot.mouseClick(home.dashboard.open_button, LEFT)
    assert window.current_page() == "dashboard"
    assert window.page_label.text() == "Store dashboard"
    board = window.pages["dashboard"]
    qtbot.waitUntil(lambda: bool(board.tiles) and not board.busy, timeout=20_000)

    window.sign_out()
    sign_in(qtbot, window, "A1002", DEMO_PINS["A1002"])
    qtbot.waitUntil(lambda: window.current_page() == "home", timeout=10_000)
    assert not home.dashboard.isVisible()
    window.show_dashboard()  # whatever asks: an associate stays where they are
    assert window.current_page() == "home"
