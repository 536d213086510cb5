"""Sync, always visible: offline and back, waiting commands, rejections, no stalls."""

from __future__ import annotations

import os
import time
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from app import background
from tests.app.driving import show_main_window
from tests.support.other_tablet import exhaust_stock_elsewhere

SURNAMES = ("murphy", "kelly", "byrne", "ryan", "walsh", "smith", "brien", "connor")

HEARTBEAT_MS = 10
MAX_STALL_MS = 100


def _shopper_with_cart(ctx: Any) -> Any:
    for hit in ctx.cache.search_shoppers("murphy", limit=25):
        profile = ctx.cache.shopper_profile(hit.id)
        if profile is not None and profile.cart:
            return profile
    raise AssertionError("no shopper with a cart")


def _tap_row_button(qtbot: Any, tab: Any, sku: str, key: str) -> None:
    """A finger on a cart row's painted button ("reserve", "order", "remove")."""
    model, view = tab.model, tab.view
    row = next(r for r in range(model.rowCount()) if model.line(r).product.sku == sku)
    index = model.index(row, model.column(model.ACTIONS))
    view.scrollTo(index)
    rect = tab.actions_delegate.button_rect(view, index, key)
    assert rect.isValid(), f"no {key} button on that row"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _tap_store(qtbot: Any, dialog: Any, store_id: str) -> None:
    row = dialog.stores.row_of(store_id)
    rect = dialog.store_list.visualRect(dialog.stores.index(row))
    qtbot.mouseClick(dialog.store_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _open_shopper_like_a_person(qtbot: Any, window: Any, app_env: Any, shopper: Any) -> Any:
    """Home -> search by phone -> tap the result: the shopper page, loaded."""
    from tests.app.driving import click_row

    if window.current_page() != "home":
        qtbot.mouseClick(window.home_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.current_page() == "home", timeout=5_000)
    home = app_env.page("home")
    qtbot.mouseClick(home.shopper_search.search, Qt.MouseButton.LeftButton)
    home.shopper_search.search.clear()
    qtbot.keyClicks(home.shopper_search.search, shopper.phone)
    qtbot.waitUntil(
        lambda: shopper.id in [h.id for h in home.shopper_search.results_model.records()],
        timeout=5_000,
    )
    click_row(
        qtbot,
        home.shopper_search.results,
        [h.id for h in home.shopper_search.results_model.records()].index(shopper.id),
    )
    qtbot.waitUntil(lambda: window.current_page() == "shopper", timeout=5_000)
    page = window.pages["shopper"]
    qtbot.waitUntil(
        lambda: (
            getattr(page, "profile", None) is not None and page.profile.shopper.id == shopper.id
        ),
        timeout=5_000,
    )
    return page


def _cart_line_in_stock_elsewhere(ctx: Any) -> tuple[Any, Any, list[Any]]:
    """(profile, cart line, other stores that have it): a line reservable at two other stores."""
    seen: set[str] = set()
    for name in SURNAMES:
        for hit in ctx.cache.search_shoppers(name, limit=50):
            if hit.id in seen:
                continue
            seen.add(hit.id)
            profile = ctx.cache.shopper_profile(hit.id)
            if profile is None or not profile.shopper.phone:
                continue
            for line in profile.cart:
                view = ctx.cache.product(line.product.sku)
                others = [
                    st
                    for st in view.stock
                    if not st.is_here and not st.is_online and st.available >= 1
                ]
                if len(others) >= 2:
                    return profile, line, others
    raise AssertionError("no cart line in stock at two other stores")


def _reservation_rejected_by_central(window: Any, app_env: Any, qtbot: Any) -> tuple[Any, Any, str]:
    """Reserve a cart line at another store (tapping the row's Reserve and the store),
    while another tablet takes that store's last units: central rejects it. Returns
    (profile, line, store_id) once the header counts it as needing attention."""
    ctx = app_env.ctx
    profile, line, others = _cart_line_in_stock_elsewhere(ctx)
    sku, store_id, available = line.product.sku, others[0].store_id, others[0].available
    # this tablet keeps its stale figure: it stops hearing of changes at once (sync.live)
    # and learns only at its next timed sync
    live = ctx.bridge.engine._live_task
    assert live is not None
    live.cancel()
    # meanwhile another tablet takes every unit there
    task = background.spawn(exhaust_stock_elsewhere(app_env.central.url, sku, store_id, available))
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.exception() is None

    page = _open_shopper_like_a_person(qtbot, window, app_env, profile.shopper)
    _tap_row_button(qtbot, page.cart_tab, sku, "reserve")
    qtbot.waitUntil(
        lambda: getattr(page, "dialog", None) is not None and page.dialog.isVisible(), timeout=5_000
    )
    dialog = page.dialog
    _tap_store(qtbot, dialog, store_id)
    assert dialog.store_id() == store_id
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.entry is not None, timeout=5_000)
    qtbot.waitUntil(lambda: ctx.bridge.state.attention == 1, timeout=20_000)
    return profile, line, store_id


def _open_attention(qtbot: Any, window: Any, app_env: Any) -> tuple[Any, Any]:
    status = window.sync_status
    qtbot.waitUntil(lambda: not status.attention.isHidden(), timeout=5_000)
    # the chip says it in full, or its count when the header is short of room (the
    # full sentence is then its tooltip)
    assert status.attention.toolTip() == "1 needs attention"
    assert status.attention.text() in ("1 needs attention", "1")
    qtbot.mouseClick(status.attention, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "outbox", timeout=5_000)
    outbox = app_env.page("outbox")
    assert len(outbox.cards) == 1
    return outbox, next(iter(outbox.cards.values()))


def test_sign_in_search_by_phone_and_see_the_cart_with_prices(app_env, qtbot):
    from app import format as fmt
    from app.models.roles import Roles
    from tests.app.driving import sign_in

    window = app_env.window
    sign_in(qtbot, window, "A1001", "1234")
    qtbot.waitUntil(lambda: window.current_page() == "home", timeout=10_000)
    profile = _shopper_with_cart(app_env.ctx)
    page = _open_shopper_like_a_person(qtbot, window, app_env, profile.shopper)

    tabs = page.tabs
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(page.CART).center()
    )
    assert tabs.currentWidget() is page.cart_tab
    assert tabs.tabText(page.CART).startswith("Cart (")
    model = page.cart_tab.model
    qtbot.waitUntil(lambda: model.rowCount() == len(profile.cart), timeout=5_000)
    assert model.rowCount() >= 1
    for row, line in enumerate(profile.cart):
        item = model.index(row, model.column(model.ITEM))
        assert line.product.name in item.data()
        assert item.data(Roles.Price) == line.price  # what the cell paints as the price
        assert line.price.sale_cents > 0
    total = sum(line.price.sale_cents * line.qty for line in profile.cart)
    assert fmt.money(total) in page.cart_tab.summary.text()
    assert not page.cart_tab.grab().isNull()


def test_an_order_placed_offline_waits_then_is_confirmed_by_itself(window, app_env, qtbot):
    ctx = app_env.ctx
    status = window.sync_status
    qtbot.waitUntil(lambda: ctx.bridge.state.online, timeout=10_000)

    app_env.central.stop()
    profile = _shopper_with_cart(ctx)
    page = _open_shopper_like_a_person(qtbot, window, app_env, profile.shopper)
    line = next(li for li in profile.cart if li.availability.online > 0)
    _tap_row_button(qtbot, page.cart_tab, line.product.sku, "order")
    qtbot.waitUntil(
        lambda: getattr(page, "dialog", None) is not None and page.dialog.isVisible(), timeout=5_000
    )
    dialog = page.dialog
    assert dialog.model.lines() == [(line.product.sku, line.qty)]
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)  # pay at the till
    qtbot.waitUntil(lambda: dialog.order_id is not None, timeout=5_000)
    order_id = dialog.order_id

    # pending on the profile, counted as waiting, and the header says offline
    qtbot.waitUntil(lambda: not ctx.bridge.state.online, timeout=15_000)
    qtbot.waitUntil(lambda: not status.waiting.isHidden(), timeout=5_000)
    assert status.waiting.text() == "1 waiting"
    assert status.headline.text().startswith("Offline")
    order = next(
        o for o in ctx.cache.shopper_profile(profile.shopper.id).orders if o.id == order_id
    )
    assert order.pending

    # central comes back: confirmed without anyone touching anything
    app_env.central.restart()
    qtbot.waitUntil(
        lambda: ctx.bridge.state.online and ctx.bridge.state.pending == 0, timeout=45_000
    )
    qtbot.waitUntil(status.waiting.isHidden, timeout=5_000)
    qtbot.waitUntil(lambda: status.headline.text() == "Online", timeout=10_000)
    order = next(
        o for o in ctx.cache.shopper_profile(profile.shopper.id).orders if o.id == order_id
    )
    assert not order.pending and order.number


def test_a_rejected_reservation_shows_on_the_attention_list_with_its_reason(window, app_env, qtbot):
    ctx = app_env.ctx
    status = window.sync_status
    profile, line, store_id = _reservation_rejected_by_central(window, app_env, qtbot)
    outbox, card = _open_attention(qtbot, window, app_env)
    entry = ctx.cache.outbox_entry(card.entry.id)
    assert entry.state == "rejected" and entry.code == "out_of_stock"
    reason = card.findChild(type(outbox.state_line), "AttentionReason")
    assert reason.text() == entry.message and "left" in reason.text()

    # "Order online instead": the order dialog, for that item
    order = card.findChild(type(outbox.sync_now), "OrderOnlineButton")
    qtbot.mouseClick(order, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outbox._dialogs), timeout=5_000)
    dialog = outbox._dialogs[-1]
    assert type(dialog).__name__ == "OrderDialog" and dialog.isVisible()
    assert dialog.shopper_id == profile.shopper.id
    assert dialog.model.lines() == [(line.product.sku, int(entry.args.get("qty", 1) or 1))]
    dialog.reject()  # changed their mind: the rejected reservation stays on the list
    qtbot.waitUntil(lambda: not outbox._dialogs, timeout=5_000)
    assert ctx.cache.outbox_entry(entry.id).state == "rejected"

    # "Reserve at <another store>": the reserve dialog, on another store that has it
    elsewhere = card.findChild(type(outbox.sync_now), "ReserveElsewhereButton")
    qtbot.mouseClick(elsewhere, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outbox._dialogs), timeout=5_000)
    reserve = outbox._dialogs[-1]
    assert reserve.store_id() not in (None, store_id)
    reserve.reject()

    # dismiss, confirmed inline
    dismiss = card.findChild(type(outbox.sync_now), "DismissButton")
    qtbot.mouseClick(dismiss, Qt.MouseButton.LeftButton)
    assert not card.confirm.isHidden()
    qtbot.mouseClick(card.confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not outbox.cards, timeout=5_000)
    qtbot.waitUntil(lambda: ctx.bridge.state.attention == 0, timeout=5_000)
    qtbot.waitUntil(status.attention.isHidden, timeout=5_000)


def test_reserve_at_another_store_replaces_the_rejected_reservation(window, app_env, qtbot):
    ctx = app_env.ctx
    status = window.sync_status
    profile, line, store_id = _reservation_rejected_by_central(window, app_env, qtbot)
    outbox, card = _open_attention(qtbot, window, app_env)
    rejected = card.entry
    elsewhere = card.findChild(type(outbox.sync_now), "ReserveElsewhereButton")
    qtbot.mouseClick(elsewhere, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outbox._dialogs), timeout=5_000)
    reserve = outbox._dialogs[-1]
    other_store = reserve.store_id()
    assert other_store not in (None, store_id)
    assert (
        other_store in elsewhere.text()
        or reserve.stores.stock(reserve.stores.row_of(other_store)).store_name in elsewhere.text()
    )

    qtbot.mouseClick(reserve.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reserve.entry is not None, timeout=5_000)
    new = ctx.cache.outbox_entry(reserve.entry.id)
    assert new is not None and new.id != rejected.id and new.name == "reserve_item"
    assert new.args["sku"] == line.product.sku and new.args["store_id"] == other_store
    assert new.shopper_id == profile.shopper.id
    # the rejected one is dismissed: off the attention list, never sent again
    qtbot.waitUntil(lambda: not outbox.cards, timeout=5_000)
    # (the cache stores it as "dismissed"; ``OutboxEntry.state`` has no such value)
    assert rejected.id in [e.id for e in ctx.cache.outbox(states=("dismissed",))]
    assert rejected.id not in [e.id for e in ctx.cache.outbox(states=("pending", "rejected"))]
    qtbot.waitUntil(lambda: ctx.bridge.state.attention == 0, timeout=5_000)
    qtbot.waitUntil(status.attention.isHidden, timeout=5_000)
    # and central takes the new one
    qtbot.waitUntil(
        lambda: ctx.bridge.state.pending == 0 and ctx.bridge.state.attention == 0, timeout=20_000
    )


ATTEMPTS = 3


def _one_full_sync(qtbot: Any, settings: Any) -> tuple[int, int, float, int]:
    """A new tablet enrolls and pulls the whole demo store while a 10 ms timer beats.
    Returns (sync took ms, beats, worst wall-clock gap ms, worst UI-busy gap ms)."""
    from app.bootstrap import Bootstrap

    window, messages = show_main_window(qtbot)
    clock = QElapsedTimer()
    wall_gaps: list[int] = []
    busy_gaps: list[float] = []
    last = [0, 0.0]

    def beat() -> None:
        now, cpu = clock.elapsed(), time.thread_time()
        wall_gaps.append(now - last[0])
        busy_gaps.append((cpu - last[1]) * 1000)
        last[0], last[1] = now, cpu

    heartbeat = QTimer()
    heartbeat.setObjectName("heartbeatTimer")
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(beat)
    boot = Bootstrap(settings, window, messages)
    clock.start()
    last[1] = time.thread_time()
    heartbeat.start()
    boot.begin()
    try:
        qtbot.waitUntil(lambda: window.root.currentWidget() is window.signin, timeout=60_000)
        heartbeat.stop()
        took = clock.elapsed()
        assert boot.cache.counts()["shopper"] > 500
        return took, len(wall_gaps), max(wall_gaps), max(busy_gaps)
    finally:
        heartbeat.stop()
        task = background.spawn(boot.shutdown())
        qtbot.waitUntil(task.done, timeout=10_000)
        window.close()
        window.deleteLater()


def test_heartbeat_never_stalls_during_a_full_sync(
    qtbot, qloop, central_process, app_settings, tmp_path, monkeypatch
):
    """A 10 ms timer keeps beating (no gap over 100 ms) while a new tablet enrolls and
    pulls the whole demo store from central (its own process, on loopback).

    Each gap is measured twice: on the wall clock (what a person would see) and as the
    UI thread's own CPU time (the loop busy with the app's code). Every attempt must keep
    the UI thread's busy time under 100 ms. The wall clock also measures the OS scheduler
    (a loaded CI machine can pause the process), so up to three attempts are made, each a
    fresh device with a fresh cache doing the full first sync, and at least one of them
    must keep every wall-clock gap under 100 ms. Every attempt's figures are printed.
    """
    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    results: list[tuple[int, int, float, int]] = []
    for attempt in range(1, ATTEMPTS + 1):
        folder = tmp_path / f"attempt-{attempt}"
        folder.mkdir()
        monkeypatch.setenv("CLIENTELING_DATA_DIR", str(folder))
        keyring.set_keyring(MemoryKeyring())  # a new device: no token from the last attempt
        settings = app_settings.replace(
            central_url=central_process, device_name=f"heartbeat tablet {attempt}"
        )
        took, beats, worst_wall, worst_busy = _one_full_sync(qtbot, settings)
        results.append((took, beats, worst_wall, worst_busy))
        print(
            f"\nheartbeat attempt {attempt}: full sync {took} ms, {beats} beats, max gap "
            f"{worst_wall} ms (UI thread busy at most {worst_busy:.0f} ms in one gap), "
            f"load {os.getloadavg()[0]:.1f}/{os.cpu_count() or 1} cores"
        )
        assert worst_busy <= MAX_STALL_MS, (
            f"attempt {attempt}: the app kept the loop busy for {worst_busy:.0f} ms"
        )
        if worst_wall <= MAX_STALL_MS:
            break
    best_wall = min(r[2] for r in results)
    assert best_wall <= MAX_STALL_MS, (
        f"the event loop stalled in every attempt: max gaps "
        f"{', '.join(str(r[2]) for r in results)} ms (limit {MAX_STALL_MS} ms)"
    )
