"""The manager's close-of-day page on a real cache against the real central: the checklist
turns red for an action waiting and for a rejection (with the way to the attention list),
"Sign off the day" stays disabled saying why, and the sign-off shows once recorded. Home
shows its tile to a manager only."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt

from app import background
from app.pages.close.page import CheckRowWidget, CloseOfDayPage
from app.pages.home.close_of_day_tile import CloseOfDayTile
from tests.app.page_env import PageEnv
from tests.support.other_tablet import exhaust_stock_elsewhere


def _row(page: CloseOfDayPage, key: str) -> CheckRowWidget:
    (row,) = [w for w in page.check_rows if w.row.key == key]
    return row


def _ok(page: CloseOfDayPage, key: str) -> bool:
    return bool(_row(page, key).row.ok)


def _in_stock(env: PageEnv) -> tuple[str, int]:
    with env.cache.db.read() as conn:
        row = conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = 'S001' AND available "
            "BETWEEN 1 AND 5 ORDER BY sku DESC LIMIT 1"
        ).fetchone()
    return str(row[0]), int(row[1])


def _shopper(env: PageEnv) -> str:
    with env.cache.db.read() as conn:
        row = conn.execute(
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' ORDER BY id LIMIT 1"
        ).fetchone()
    return str(row[0])


def test_the_day_is_signed_off_once_nothing_is_open(page_env: PageEnv, qtbot: Any) -> None:
    env = page_env
    env.sync()
    page = env.show(CloseOfDayPage(env.ctx, env.navigator))
    page.activate()
    assert all(_ok(page, key) for key in ("waiting", "rejections", "last_sync", "integrity"))
    assert page.sign_button.isEnabled()

    # an action waiting: red, and the sign-off says why
    shopper = _shopper(env)
    env.ctx.commands.add_note(shopper_id=shopper, text="Tried on the wool coat")
    qtbot.waitUntil(lambda: not _ok(page, "waiting"))
    assert _row(page, "waiting").findChild(object, "CheckSyncNow") is not None
    assert not page.sign_button.isEnabled()
    assert "1 action is still waiting to be sent" in page.reason.text()

    # a rejection: another tablet took the stock; the row opens the attention list
    sku, available = _in_stock(env)
    entry = env.ctx.commands.reserve_item(shopper_id=shopper, sku=sku, qty=1)
    taking = background.spawn(exhaust_stock_elsewhere(env.central.url, sku, "S001", available))
    qtbot.waitUntil(taking.done, timeout=10_000)
    env.sync()
    qtbot.waitUntil(lambda: _ok(page, "waiting") and not _ok(page, "rejections"))
    assert _row(page, "rejections").row.text == "1 rejected action(s) need attention"
    assert "1 rejected action needs attention" in page.reason.text()
    assert not page.sign_button.isEnabled()
    go = _row(page, "rejections").findChild(object, "CheckOpenOutbox")
    qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    assert env.navigator.calls[-1] == ("show_outbox", ())

    # the manager dismisses it on the attention list, and comes back
    env.ctx.commands.dismiss(entry.id)
    page.activate()
    assert _ok(page, "rejections")
    assert _row(page, "rejections").row.detail == "1 dismissed today, each by someone named"
    assert page.sign_button.isEnabled()
    assert page.recorded.text() == "Not signed off yet"
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.recorded.text().endswith("(waiting to be sent)"))
    assert page.recorded.text().startswith("Signed off by Aoife Byrne at ")
    assert not page.sign_button.isEnabled()
    env.sync()
    qtbot.waitUntil(lambda: not page.recorded.text().endswith("(waiting to be sent)"))
    assert page.recorded.text().startswith("Signed off by Aoife Byrne at ")


def test_home_shows_the_tile_to_a_manager_only(page_env: PageEnv) -> None:
    env = page_env
    tile = env.show(CloseOfDayTile(env.ctx, env.navigator))
    tile.refresh()
    assert tile.isVisible()
    assert tile.state.text() in ("Nothing open", "Open: 0 waiting, 0 need attention")
    tile.open_button.click()
    assert env.navigator.calls[-1] == ("show_close_of_day", ())
    session = env.ctx.session
    assert session is not None
    env.ctx.set_session(dataclasses.replace(session, staff_id="A1002", role="associate"))
    tile.refresh()
    assert not tile.isVisible()
