"""The manager's store dashboard on a real cache against the real central: it shows the
cache's figures for the chosen period with the time they are as of, offline too; a leak
tile opens its list and the row's one tap opens the right dialog (or the attention list);
"CSV" writes a file that reads back and a failure says why on the banner; an associate
cannot open it."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app import background
from app import format as fmt
from app.dialogs.compose_dialog import ComposeDialog
from app.dialogs.offer_dialog import OfferDialog
from app.pages.dashboard.page import DashboardPage
from app.pages.dashboard.values import value_text
from app.pages.home.dashboard_tile import DashboardTile
from sync.export import to_csv
from tests.app.page_env import PageEnv
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

    # how it is computed: a tap on the tile's info button shows the sentence
    tile = page.tiles["channel_adoption"]
    assert not tile.how.isVisible()
    qtbot.mouseClick(tile.info, LEFT)
    assert tile.how.isVisible() and tile.how.text().endswith(".")
    assert tile.how.text() == tile.info.toolTip()

    # another period: the figures of today
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(page.period_bar.buttons["today"], LEFT)
    assert page.period.kind == "today"
    assert {key: t.value.text() for key, t in page.tiles.items()} == _expected(env, page)
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


def test_a_leak_tile_opens_its_list_and_each_row_its_way_forward(
    page_env: PageEnv, qtbot: Any
) -> None:
    env = page_env
    env.sync()
    # a rejected action: another tablet took the stock a reservation counted on
    with env.cache.db.read() as conn:
        sku, available = conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = 'S001' AND available "
            "BETWEEN 1 AND 5 ORDER BY sku DESC LIMIT 1"
        ).fetchone()
        (shopper,) = conn.execute(
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' ORDER BY id LIMIT 1"
        ).fetchone()
    env.ctx.commands.reserve_item(shopper_id=shopper, sku=sku, qty=1)
    taking = background.spawn(exhaust_stock_elsewhere(env.central.url, sku, "S001", available))
    qtbot.waitUntil(taking.done, timeout=10_000)
    env.sync()
    page = _open(env, qtbot)
    with qtbot.waitSignal(page.leak_loaded, timeout=10_000):
        page.tiles["rejected"].leak_button.click() if "rejected" in page.tiles else (
            page.open_leak("rejected")
        )
    view = page.leak_view
    assert page.faces.currentWidget() is view
    [row] = view.rows()
    assert row.action == "resolve" and row.shopper_id == shopper
    view.act(row)
    assert env.navigator.calls[-1] == ("show_outbox", ())

    # abandoned carts: a tap makes an offer to that shopper in the offer dialog
    qtbot.mouseClick(view.back_button, LEFT)
    assert page.faces.currentWidget() is page.scroll
    with qtbot.waitSignal(page.leak_loaded, timeout=10_000):
        page.open_leak("abandoned_carts")
    carts = view.rows()
    if carts:
        view.act(carts[0])
        dialog = view.last_dialog
        assert isinstance(dialog, OfferDialog) and dialog.isVisible()
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
    text = target.read_text(encoding="utf-8")
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
