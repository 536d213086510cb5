"""The client book on the tablet, driven as an associate and a manager would, against a
real cache and central: assign from the profile, the book view's three books, its row
actions and search, and a manager's transfer of a whole book."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.pages.clients.book_view import BookView
from app.pages.clients.staff_dialogs import AssignDialog, TransferDialog

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def tap(qtbot: Any, view: BookView, row: int, key: str) -> None:
    """A finger on one of the row's buttons."""
    index: QModelIndex = view.model.index(row, view.model.ACTIONS)
    view.table.scrollTo(index)
    rect = view.row_actions.button_rect(view.table, index, key)
    assert rect.isValid(), f"no {key} button on row {row}"
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_keys(view: BookView, row: int) -> list[str]:
    return [b.key for b in view.buttons_for(view.model.index(row, view.model.ACTIONS))]


def book_shoppers(page_env: Any, n: int) -> list[str]:
    """``n`` shoppers of S001 nobody looks after yet (the demo gives every associate a book)."""
    with page_env.cache.db.read() as conn:
        rows = conn.execute(
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' AND id NOT IN "
            "(SELECT shopper_id FROM client_assignments WHERE store_id = 'S001' "
            "AND staff_id IS NOT NULL) ORDER BY id LIMIT ?",
            (n,),
        )
        return [r[0] for r in rows]


def unassigned_rows(view: BookView) -> list[int]:
    """The rows of the book's page whose shopper nobody looks after."""
    return [i for i, r in enumerate(view.model.records()) if r.looked_after_by is None]


def open_book(page_env: Any, scope: str) -> BookView:
    view = page_env.show(BookView(page_env.ctx, page_env.navigator))
    view.show_scope(scope)
    return view  # type: ignore[no-any-return]


def test_assign_from_the_profile_then_change_it(page_env: Any) -> None:
    qtbot = page_env.qtbot
    sid = book_shoppers(page_env, 1)[0]
    page = page_env.open_shopper(sid)
    header = page.header
    assert header.assignment.text() == "No associate yet"
    assert header.assign_button.isVisible() and header.assign_button.text() == "Assign to me"
    assert header.assign_button.height() >= 44
    qtbot.mouseClick(header.assign_button, Qt.MouseButton.LeftButton)
    assert header.assignment.text() == "Looked after by you · sending"
    assert header.assign_button.text() == "Change"  # Aoife manages the store
    page_env.sync()
    qtbot.waitUntil(lambda: header.assignment.text() == "Looked after by you")
    qtbot.mouseClick(header.assign_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, AssignDialog)
    assert "A1001" not in {c.id for c in dialog.model.records()}  # already hers
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("staff_id") == "Choose who looks after them."
    dialog.choose("A1002")
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: header.assignment.text() == "Looked after by Ciarán Doyle · sending")


def test_the_three_books_their_actions_and_a_search(page_env: Any) -> None:
    qtbot = page_env.qtbot
    view = open_book(page_env, "mine")
    hers = page_env.cache.client_book("S001", "mine", "A1001", limit=1000)
    assert view.model.rowCount() == len(hers) > 0  # the demo's book
    assert view.summary.text() == f"{len(hers)} shopper(s)"
    # Aoife hands her book on to Ciarán: hers is empty
    page_env.ctx.commands.assign_client(action="transfer", from_staff_id="A1001", staff_id="A1002")
    view.reload()
    assert view.model.rowCount() == 0 and view.lists.currentWidget() is view.empty
    assert view.empty.title.text() == "No clients yet"
    assert view.transfer_button.isVisible()  # a manager

    view.show_scope("store")
    assert view.title.text() == "Store book" and view.model.rowCount() > 0
    row = unassigned_rows(view)[0]
    first = view.model.record(row)
    assert first.looked_after_by is None
    assert row_keys(view, row) == ["mine", "assign"]
    tap(qtbot, view, row, "mine")
    assert view.model.record(row).shopper_id == first.shopper_id
    assert view.model.record(row).looked_after_by == "Aoife Byrne"
    assert view.model.record(row).pending
    assert row_keys(view, row) == ["assign", "unassign"]

    view.show_scope("mine")
    assert [r.shopper_id for r in view.model.records()] == [first.shopper_id]
    assert view.summary.text() == "1 shopper(s)"

    # tap the row: the profile
    rect = view.table.visualRect(view.model.index(0, view.model.NAME))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page_env.navigator.calls[-1] == ("show_shopper", (first.shopper_id,))

    # unassign, confirmed inline
    tap(qtbot, view, 0, "unassign")
    assert view.confirm.isVisible() and first.name in view.confirm.question.text()
    qtbot.mouseClick(view.confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 0 and view.empty.title.text() == "No clients yet"

    # all shoppers, searched by email
    view.show_scope("all")
    assert view.model.rowCount() == 200  # a page: the search narrows it
    assert view.summary.text() == "The first 200 by name: search to find someone."
    shopper = page_env.cache.shopper(first.shopper_id)
    view.search.type_in(shopper.email)
    qtbot.waitUntil(lambda: [r.shopper_id for r in view.model.records()] == [first.shopper_id])
    view.search.clear_quietly()
    view.search.type_in("zzqqxx")
    qtbot.waitUntil(lambda: view.lists.currentWidget() is view.empty)
    assert view.empty.title.text() == "Nobody here matches “zzqqxx”"


def test_an_associate_gets_only_what_is_theirs_to_do(page_env: Any) -> None:
    ctx = page_env.ctx
    ctx.session = dataclasses.replace(ctx.session, staff_id="A1002", role="associate")
    view = open_book(page_env, "store")
    sid, taken = (view.model.record(i).shopper_id for i in unassigned_rows(view)[:2])
    ctx.commands.assign_client(action="assign", shopper_id=taken, staff_id="A1003")
    view.reload()
    assert not view.transfer_button.isVisible()
    keys = {r.shopper_id: row_keys(view, i) for i, r in enumerate(view.model.records())}
    assert keys[sid] == ["mine"] and keys[taken] == []
    page = page_env.open_shopper(taken)
    assert page.header.assignment.text() == "Looked after by Niamh Kavanagh · sending"
    assert not page.header.assign_button.isVisible()


def test_a_manager_transfers_a_leaving_associate_s_book(page_env: Any) -> None:
    qtbot = page_env.qtbot
    a, b, c = book_shoppers(page_env, 3)
    sizes = page_env.cache.book_sizes("S001")
    his = sizes["A1002"] + 2  # the demo's book and a, b
    for sid in (a, b):
        page_env.ctx.commands.assign_client(action="assign", shopper_id=sid, staff_id="A1002")
    page_env.ctx.commands.assign_client(action="assign", shopper_id=c, staff_id="A1004")
    page_env.sync()
    view = open_book(page_env, "store")
    qtbot.mouseClick(view.transfer_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, TransferDialog)
    assert {s.id: s.clients for s in dialog.from_model.records()} == {
        **sizes,
        "A1002": his,
        "A1004": sizes["A1004"] + 1,
    }
    assert not dialog.confirm_button.isEnabled()
    dialog.choose("A1002", None)
    assert dialog.plan.text() == (
        f"{his} client(s) of Ciarán Doyle will move: choose who takes them on."
    )
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("staff_id") == "Choose who takes the clients on."
    dialog.choose("A1002", "A1003")
    assert dialog.confirm_button.text() == f"Move {his} client(s)"
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm.isVisible()
    assert (
        dialog.confirm.question.text()
        == f"Move all {his} of Ciarán Doyle's clients to Niamh Kavanagh?"
    )
    qtbot.mouseClick(dialog.confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert page_env.cache.book_sizes("S001") == {
        **{k: v for k, v in sizes.items() if k != "A1002"},
        "A1003": sizes["A1003"] + his,
        "A1004": sizes["A1004"] + 1,
    }
    page_env.sync()
    for sid in (a, b):  # found by email in the store book, as a manager would check
        view.search.clear_quietly()
        view.search.type_in(page_env.cache.shopper(sid).email)
        qtbot.waitUntil(
            lambda sid=sid: (
                [(r.shopper_id, r.looked_after_by, r.pending) for r in view.model.records()]
                == [(sid, "Niamh Kavanagh", False)]
            )
        )
    assert page_env.cache.pending_count() == 0 and page_env.cache.attention_count() == 0


def test_a_narrow_tablet_keeps_the_name_and_the_buttons_and_drops_the_dates(
    page_env: Any,
) -> None:
    qtbot = page_env.qtbot
    view = open_book(page_env, "store")
    header = view.table.horizontalHeader()
    model = view.model

    def fits() -> bool:
        actions_end = header.sectionViewportPosition(model.ACTIONS) + header.sectionSize(
            model.ACTIONS
        )
        return (
            header.sectionSize(model.NAME) >= 220 and actions_end <= view.table.viewport().width()
        )

    view.resize(708, 680)  # the book's room beside the lists at 1024x768
    qtbot.waitUntil(lambda: header.isSectionHidden(model.LAST_ORDER) and fits())
    assert not header.isSectionHidden(model.LOOKED_AFTER)
    tap(qtbot, view, unassigned_rows(view)[0], "mine")  # the buttons are there to tap
    view.resize(1600, 900)
    qtbot.waitUntil(
        lambda: (
            not header.isSectionHidden(model.LAST_ORDER)
            and not header.isSectionHidden(model.LAST_VISIT)
        )
    )
