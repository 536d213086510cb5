"""Sync, always visible: offline and back, waiting commands, rejections, no stalls."""

from __future__ import annotations

import os
import time
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from app import background
from app.screenshots import exhaust_stock_elsewhere
from tests.app.conftest import show_main_window

HEARTBEAT_MS = 10
MAX_STALL_MS = 100


def _shopper_with_cart(ctx: Any) -> Any:
    for hit in ctx.cache.search_shoppers("murphy", limit=25):
        profile = ctx.cache.shopper_profile(hit.id)
        if profile is not None and profile.cart:
            return profile
    raise AssertionError("no shopper with a cart")


def test_an_order_placed_offline_waits_then_is_confirmed_by_itself(window, app_env, qtbot):
    ctx = app_env.ctx
    status = window.sync_status
    qtbot.waitUntil(lambda: ctx.bridge.state.online, timeout=10_000)

    app_env.central.stop()
    profile = _shopper_with_cart(ctx)
    window.show_shopper(profile.shopper.id)
    page = window.pages["shopper"]
    qtbot.waitUntil(lambda: getattr(page, "profile", None) is not None, timeout=5_000)
    line = profile.cart[0]
    dialog = page.open_order([(line.product.sku, 1)])
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)  # pay at the till
    qtbot.waitUntil(lambda: dialog.order_id is not None, timeout=5_000)
    order_id = dialog.order_id

    # pending on the profile, counted as waiting, and the header says offline
    qtbot.waitUntil(lambda: not ctx.bridge.state.online, timeout=15_000)
    qtbot.waitUntil(lambda: not status.waiting.isHidden(), timeout=5_000)
    assert status.waiting.text() == "1 waiting"
    assert status.headline.text().startswith("Offline")
    order = next(o for o in ctx.cache.shopper_profile(profile.shopper.id).orders if o.id == order_id)
    assert order.pending

    # central comes back: confirmed without anyone touching anything
    app_env.central.restart()
    qtbot.waitUntil(lambda: ctx.bridge.state.online and ctx.bridge.state.pending == 0,
                    timeout=45_000)
    qtbot.waitUntil(status.waiting.isHidden, timeout=5_000)
    qtbot.waitUntil(lambda: status.headline.text() == "Online", timeout=10_000)
    order = next(o for o in ctx.cache.shopper_profile(profile.shopper.id).orders if o.id == order_id)
    assert not order.pending and order.number


def test_a_rejected_reservation_shows_on_the_attention_list_with_its_reason(window, app_env, qtbot):
    ctx = app_env.ctx
    status = window.sync_status
    # a product this tablet believes is in stock at another store (and somewhere else too)
    target = None
    for hit in ctx.cache.search_products("jacket", limit=40):
        view = ctx.cache.product(hit.sku)
        others = [s for s in view.stock if not s.is_here and not s.is_online and s.available >= 1]
        if len(others) >= 2:
            target = (hit.sku, others[0].store_id, others[0].available)
            break
    assert target is not None
    sku, store_id, available = target
    # meanwhile another tablet takes every unit there
    task = background.spawn(exhaust_stock_elsewhere(app_env.central.url, sku, store_id, available))
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.exception() is None

    profile = _shopper_with_cart(ctx)
    window.show_shopper(profile.shopper.id)
    page = window.pages["shopper"]
    dialog = page.open_reserve(sku)
    dialog.select_store(store_id)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.entry is not None, timeout=5_000)

    qtbot.waitUntil(lambda: ctx.bridge.state.attention == 1, timeout=20_000)
    qtbot.waitUntil(lambda: not status.attention.isHidden(), timeout=5_000)
    assert status.attention.text() == "1 needs attention"
    qtbot.mouseClick(status.attention, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "outbox", timeout=5_000)
    outbox = app_env.page("outbox")
    assert len(outbox.cards) == 1
    card = next(iter(outbox.cards.values()))
    entry = ctx.cache.outbox_entry(card.entry.id)
    assert entry.state == "rejected" and entry.code == "out_of_stock"
    reason = card.findChild(type(outbox.state_line), "AttentionReason")
    assert reason.text() == entry.message and "left" in reason.text()

    # one tap to reserve elsewhere: the reserve dialog, on another store that has it
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


def test_heartbeat_never_stalls_during_a_full_sync(qtbot, qloop, central_process, app_settings):
    """A 10 ms timer keeps beating (no gap over 100 ms) while a new tablet enrolls and
    pulls the whole demo store from central (its own process, on loopback).

    Each gap is measured twice: on the wall clock (what a person would see) and as the
    UI thread's own CPU time (the loop busy with the app's code). On a machine that other
    processes saturate (load average above the number of cores), wall-clock gaps also
    measure the OS scheduler, so there only the CPU-time stall is held to 100 ms; both
    numbers are printed.
    """
    from app.bootstrap import Bootstrap

    settings = app_settings.replace(central_url=central_process)
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
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.signin, timeout=60_000)
    heartbeat.stop()
    took = clock.elapsed()
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    try:
        assert boot.cache.counts()["shopper"] > 500
        worst_wall, worst_busy = max(wall_gaps), max(busy_gaps)
        print(
            f"\nheartbeat: full sync {took} ms, {len(wall_gaps)} beats, max gap {worst_wall} ms "
            f"(UI thread busy at most {worst_busy:.0f} ms in one gap), load {load:.1f}/{cores} cores"
        )
        assert worst_busy <= MAX_STALL_MS, f"the app kept the loop busy for {worst_busy:.0f} ms"
        if load <= cores:
            assert worst_wall <= MAX_STALL_MS, f"the event loop stalled for {worst_wall} ms"
    finally:
        task = background.spawn(boot.shutdown())
        qtbot.waitUntil(task.done, timeout=10_000)
        window.close()
        window.deleteLater()
