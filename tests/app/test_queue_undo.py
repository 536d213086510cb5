"""Undo on the queue: "Mark ready" or "Collected" by mistake, taken back through central."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.driving import click_row


def _open_queue(window, app_env, qtbot):
    qtbot.mouseClick(window.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "queue", timeout=5_000)
    return app_env.page("queue")


def test_undo_mark_ready_puts_the_row_back_in_pending(window, app_env, qtbot):
    ctx = app_env.ctx
    queue = _open_queue(window, app_env, qtbot)
    qtbot.mouseClick(queue.filter_buttons["pending"], Qt.MouseButton.LeftButton)
    assert queue.undo.isHidden()
    click_row(qtbot, queue.table, 0)
    chosen = queue.selected()
    assert chosen is not None
    qtbot.mouseClick(queue.mark_ready, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chosen.id not in [r.id for r in queue.model.records()], timeout=5_000)
    assert queue.undo.isVisible() and queue.undo.text() == "Undo ready"
    qtbot.mouseClick(queue.undo, Qt.MouseButton.LeftButton)
    assert queue.undo.isHidden()
    qtbot.waitUntil(lambda: chosen.id in [r.id for r in queue.model.records()], timeout=5_000)
    assert ctx.cache.reservation(chosen.id).status == "pending"
    assert app_env.messages.history[-1][0] == "success"
    # both commands reach central, and the reservation stays pending
    qtbot.waitUntil(lambda: not ctx.cache.reservation(chosen.id).pending, timeout=20_000)
    assert ctx.cache.reservation(chosen.id).status == "pending"


def test_undo_collected_makes_it_ready_again(window, app_env, qtbot):
    ctx = app_env.ctx
    queue = _open_queue(window, app_env, qtbot)
    qtbot.mouseClick(queue.filter_buttons["pending"], Qt.MouseButton.LeftButton)
    click_row(qtbot, queue.table, 0)
    chosen = queue.selected()
    assert chosen is not None
    qtbot.mouseClick(queue.mark_ready, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ctx.cache.reservation(chosen.id).pending, timeout=20_000)
    qtbot.mouseClick(queue.filter_buttons["ready"], Qt.MouseButton.LeftButton)
    rows = [r.id for r in queue.model.records()]
    click_row(qtbot, queue.table, rows.index(chosen.id))
    assert queue.mark_collected.isEnabled()
    qtbot.mouseClick(queue.mark_collected, Qt.MouseButton.LeftButton)
    assert queue.undo.text() == "Undo collected"
    qtbot.mouseClick(queue.undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chosen.id in [r.id for r in queue.model.records()], timeout=5_000)
    qtbot.waitUntil(lambda: not ctx.cache.reservation(chosen.id).pending, timeout=20_000)
    assert ctx.cache.reservation(chosen.id).status == "ready"


def test_undo_goes_away_after_a_while(window, app_env, qtbot):
    queue = _open_queue(window, app_env, qtbot)
    qtbot.mouseClick(queue.filter_buttons["pending"], Qt.MouseButton.LeftButton)
    queue._undo_timer.setInterval(50)  # the real 10 s, shortened; waited on, not slept
    click_row(qtbot, queue.table, 0)
    qtbot.mouseClick(queue.mark_ready, Qt.MouseButton.LeftButton)
    assert queue.undo.isVisible()
    qtbot.waitUntil(queue.undo.isHidden, timeout=5_000)
