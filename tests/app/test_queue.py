"""The store's reservation queue: filters, mark ready, cancel with an inline confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.driving import click_row


def test_mark_ready_then_cancel_another(window, app_env, qtbot):
    ctx = app_env.ctx
    home = app_env.page("home")
    pending_before = ctx.cache.reservation_counts(ctx.store_id).get("pending", 0)
    ready_before = ctx.cache.reservation_counts(ctx.store_id).get("ready", 0)
    assert pending_before >= 2
    assert home.queue_summary.queue_counts["pending"].count.text() == str(pending_before)

    # the home tile opens the queue on its filter
    qtbot.mouseClick(home.queue_summary.queue_counts["pending"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "queue", timeout=5_000)
    queue = app_env.page("queue")
    assert queue.filter == "pending" and queue.model.rowCount() == pending_before

    click_row(qtbot, queue.table, 0)
    chosen = queue.selected()
    assert chosen is not None and queue.mark_ready.isEnabled()
    qtbot.mouseClick(queue.mark_ready, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chosen.id not in [r.id for r in queue.model.records()], timeout=5_000)
    assert app_env.messages.history[-1][0] == "success"
    # central confirms it by itself (the command nudged the engine)
    qtbot.waitUntil(lambda: not ctx.cache.reservation(chosen.id).pending, timeout=20_000)
    assert ctx.cache.reservation(chosen.id).status == "ready"
    qtbot.waitUntil(
        lambda: queue.filter_buttons["ready"].text().endswith(str(ready_before + 1)), timeout=5_000
    )

    # cancel another one: the inline confirmation, not a modal box
    click_row(qtbot, queue.table, 0)
    other = queue.selected()
    qtbot.mouseClick(queue.cancel, Qt.MouseButton.LeftButton)
    assert not queue.confirm.isHidden()
    qtbot.mouseClick(queue.confirm.keep_button, Qt.MouseButton.LeftButton)
    assert queue.confirm.isHidden() and ctx.cache.reservation(other.id).status == "pending"
    qtbot.mouseClick(queue.cancel, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(queue.confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.cache.reservation(other.id).status == "cancelled", timeout=5_000)

    qtbot.mouseClick(queue.filter_buttons["ready"], Qt.MouseButton.LeftButton)
    assert chosen.id in [r.id for r in queue.model.records()]
    qtbot.mouseClick(queue.filter_buttons["expired"], Qt.MouseButton.LeftButton)
    assert other.id in [r.id for r in queue.model.records()]


def test_collected_from_the_ready_list_is_confirmed_by_central(window, app_env, qtbot):
    ctx = app_env.ctx
    qtbot.mouseClick(window.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "queue", timeout=5_000)
    queue = app_env.page("queue")
    if ctx.cache.reservation_counts(ctx.store_id).get("ready", 0) == 0:
        # nothing is ready yet: mark a pending one ready first, as a person would
        qtbot.mouseClick(queue.filter_buttons["pending"], Qt.MouseButton.LeftButton)
        click_row(qtbot, queue.table, 0)
        qtbot.mouseClick(queue.mark_ready, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(queue.filter_buttons["ready"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue.filter == "ready" and queue.model.rowCount() >= 1, timeout=5_000)

    click_row(qtbot, queue.table, 0)
    chosen = queue.selected()
    assert chosen is not None and chosen.status == "ready"
    assert queue.mark_collected.isEnabled()
    qtbot.mouseClick(queue.mark_collected, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chosen.id not in [r.id for r in queue.model.records()], timeout=5_000)
    assert app_env.messages.history[-1][0] == "success"
    assert ctx.cache.reservation(chosen.id).status == "collected"

    # central confirms it by itself: the status stays collected, no longer pending
    qtbot.waitUntil(lambda: not ctx.cache.reservation(chosen.id).pending, timeout=20_000)
    assert ctx.cache.reservation(chosen.id).status == "collected"
    qtbot.waitUntil(lambda: ctx.bridge.state.pending == 0, timeout=10_000)
    qtbot.mouseClick(queue.filter_buttons["collected"], Qt.MouseButton.LeftButton)
    assert chosen.id in [r.id for r in queue.model.records()]


def test_a_selected_row_keeps_the_products_true_colours(window, app_env, qtbot):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    qtbot.mouseClick(window.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "queue", timeout=5_000)
    queue = app_env.page("queue")
    click_row(qtbot, queue.table, 0)
    index = queue.model.index(0, 1)
    assert queue.table.selectionModel().isRowSelected(0)
    picture = queue.model.data(index, Qt.ItemDataRole.DecorationRole)
    icon = picture if isinstance(picture, QIcon) else QIcon(picture)
    size = QSize(36, 36)
    # what the view paints for a selected row is the icon's Selected mode
    selected = icon.pixmap(size, QIcon.Mode.Selected).toImage()
    assert selected == icon.pixmap(size, QIcon.Mode.Normal).toImage()
