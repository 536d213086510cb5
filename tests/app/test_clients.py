"""The Clients page, driven as an associate would: the header's Clients button, "Mine" /
"Whole store", a list from the left column with its count, "Open profile" on a row and
back, and a list that empties as reservations are collected on this tablet."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.dialogs.task_dialog import TaskDialog
from app.pages.clients.page import ClientsPage
from app.pages.clients.sections import LIST_TITLES
from sync.read.outreach import PAGE, Thresholds
from tests.app.page_env import PageEnv


def on_screen(qtbot: Any, page: ClientsPage) -> None:
    """Wait for the page's read (a worker thread) to be on screen."""
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)


def tap_section(qtbot: Any, page: ClientsPage, key: str) -> None:
    index = page.sections.index(page.sections.row_of_key(key))
    rect = page.nav.visualRect(index)
    qtbot.mouseClick(page.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    on_screen(qtbot, page)


def tap_action(qtbot: Any, page: ClientsPage, row: int, key: str) -> None:
    view = page.outreach
    index = view.model.index(row, view.model.ACTIONS_COLUMN)
    rect = view.row_actions.button_rect(view.table, index, key)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_clients_page_lists_who_to_reach_and_opens_their_profile(
    qtbot: Any, window: Any
) -> None:
    qtbot.mouseClick(window.clients_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "clients"
    page: ClientsPage = window.pages["clients"]
    on_screen(qtbot, page)
    cache, store = window.ctx.cache, window.ctx.store_id
    thresholds = Thresholds.from_settings(window.ctx.settings)
    assert page.mine_button.isChecked() and page.outreach.staff_id == "A1001"

    qtbot.mouseClick(page.store_button, Qt.MouseButton.LeftButton)
    on_screen(qtbot, page)
    assert page.outreach.staff_id is None
    counts = cache.outreach_counts(store, thresholds)
    shown = {s.key: s.count for s in page.sections.records() if s.key in LIST_TITLES}
    assert shown == counts
    busiest = max(counts, key=lambda name: counts[name])
    assert counts[busiest] > 0

    tap_section(qtbot, page, busiest)
    assert page.current_list() == busiest
    rows = page.outreach.rows()
    assert rows == cache.outreach(store, busiest, thresholds, limit=PAGE)
    assert page.outreach.lists.currentWidget() is page.outreach.table
    first = rows[0]
    who_and_why = page.outreach.model.index(0, page.outreach.model.CLIENT_COLUMN).data()
    assert who_and_why.startswith(f"{first.shopper_name} · ")
    assert who_and_why.endswith(f"\n{first.reason}")

    # "Create task": the follow-up dialog for this client, the reason as its text
    tap_action(qtbot, page, 0, "task")
    qtbot.waitUntil(lambda: page.findChild(TaskDialog) is not None)
    dialog = page.findChild(TaskDialog)
    qtbot.waitExposed(dialog)
    assert dialog.shopper_id == first.shopper_id
    assert dialog.message.toPlainText() == first.reason
    assert dialog.day.date().toPython() == first.due_on
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    [task] = [
        e for e in window.ctx.cache.outbox(states=("pending", "applied")) if e.name == "create_task"
    ]
    assert (task.args["shopper_id"], task.args["message"]) == (first.shopper_id, first.reason)

    tap_action(qtbot, page, 0, "open")
    assert window.current_page() == "shopper"
    assert window.pages["shopper"].shopper_id == first.shopper_id
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    on_screen(qtbot, page)
    assert window.current_page() == "clients" and page.current_list() == busiest

    # the client book's scopes live in the same column
    tap_section(qtbot, page, "store")
    assert page.views.currentWidget() is page.book and page.book.scope == "store"
    assert page.current_list() is None
    window.show_clients("lapsed")
    on_screen(qtbot, page)
    assert page.views.currentWidget() is page.outreach and page.current_list() == "lapsed"


def test_a_list_empties_as_this_tablet_collects_and_says_it_is_clear(
    qtbot: Any, page_env: PageEnv
) -> None:
    ctx = page_env.ctx
    page = page_env.show(ClientsPage(ctx, page_env.navigator))
    page.set_mine(False)
    page.load("reservations")
    on_screen(qtbot, page)
    rows = page.outreach.rows()
    assert rows, "the demo store has reservations ready or about to expire"
    for row in rows:
        reservation = ctx.cache.reservation(row.source_id)
        if reservation.status == "ready":  # collected; a pending hold about to end: let go
            ctx.commands.set_reservation_status(reservation_id=row.source_id, status="collected")
        else:
            ctx.commands.cancel_reservation(reservation_id=row.source_id)
    qtbot.waitUntil(lambda: not page.outreach.rows(), timeout=5000)
    assert page.outreach.lists.currentWidget() is page.outreach.empty
    assert page.outreach.empty.title.text() == "Nothing waiting for collection"
    count = page.sections.record(page.sections.row_of_key("reservations")).count
    assert count == 0

    # "Open profile" tells the navigator (the page never opens it itself)
    page.load("follow_ups")
    on_screen(qtbot, page)
    assert page.outreach.rows()
    tap_action(qtbot, page, 0, "open")
    assert page_env.navigator.calls[-1] == ("show_shopper", (page.outreach.rows()[0].shopper_id,))


def test_a_long_list_shows_a_page_and_show_more_reads_the_next(
    qtbot: Any, page_env: PageEnv
) -> None:
    ctx = page_env.ctx
    thresholds = Thresholds.from_settings(ctx.settings)
    counts = ctx.cache.outreach_counts(ctx.store_id, thresholds)
    longest = max(counts, key=lambda name: counts[name])
    whole = ctx.cache.outreach(ctx.store_id, longest, thresholds)
    assert len(whole) > PAGE, "the demo store has a list longer than a page"
    page = page_env.show(ClientsPage(ctx, page_env.navigator))
    page.set_mine(False)
    page.load(longest)
    on_screen(qtbot, page)
    view = page.outreach
    assert view.rows() == whole[:PAGE]
    assert view.summary.text() == f"Showing {PAGE} of {len(whole):,} · the store"
    assert view.more.isVisible() and view.more.height() >= 44

    with qtbot.waitSignal(view.more_loaded, timeout=10_000):
        qtbot.mouseClick(view.more, Qt.MouseButton.LeftButton)
    assert view.rows() == whole[: 2 * PAGE]
    if len(whole) <= 2 * PAGE:
        assert not view.more.isVisible()
        assert view.summary.text() == f"{len(whole):,} to reach · the store"

    # a read after a data change keeps the rows shown, not just the first page
    page.refresh()
    on_screen(qtbot, page)
    assert view.rows() == whole[: 2 * PAGE]
