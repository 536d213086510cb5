"""Notes and cart changes show who did them (issue 10.3), while pending (the signed-in
associate's name from the cache) and once confirmed (the author central recorded)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app import background
from app.models.roles import Roles
from sync.auth import SignIn
from sync.client import CentralClient
from tests.app.demo_data import shopper_with_cart
from tests.app.test_shopper_page import tap

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")


def _add_note(page_env: Any, page: Any, text: str) -> None:
    notes = page.notes_tab
    page.tabs.setCurrentWidget(notes)
    page_env.qtbot.mouseClick(notes.editor, Qt.MouseButton.LeftButton)
    page_env.qtbot.keyClicks(notes.editor, text)
    page_env.qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)
    page_env.qtbot.waitUntil(
        lambda: notes.model.rowCount() > 0 and notes.model.records()[0].text == text
    )


def _note_meta(page: Any, text: str) -> tuple[str, bool]:
    model = page.notes_tab.model
    row = next(i for i, n in enumerate(model.records()) if n.text == text)
    return str(model.index(row, 0).data(Roles.Note)), model.records()[row].pending


def _plus_on_the_first_line(page_env: Any, page: Any) -> tuple[Any, str]:
    page.tabs.setCurrentWidget(page.cart_tab)
    view, model = page.cart_tab.view, page.cart_tab.model
    line = model.line(0)
    tap(
        page_env.qtbot,
        view,
        page.cart_tab.stepper_delegate,
        model.index(0, model.column(model.QTY)),
        "plus",
    )
    page_env.qtbot.waitUntil(lambda: model.line(model.row_of(line.key)).qty == line.qty + 1)
    return model, line.key


def _line_note(model: Any, key: str) -> str:
    return str(model.index(model.row_of(key), model.column(model.ITEM)).data(Roles.Note))


def test_a_note_and_a_cart_change_show_who_made_them(page_env: Any) -> None:
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    text = "Asked for the navy shell in M; call when it lands."
    _add_note(page_env, page, text)
    model, key = _plus_on_the_first_line(page_env, page)

    meta, pending = _note_meta(page, text)
    assert pending and "Aoife Byrne" in meta and "offline" not in meta
    assert model.line(model.row_of(key)).pending
    assert _line_note(model, key) == "Changed by Aoife Byrne"
    assert not page.grab().isNull()

    page_env.sync()
    page_env.qtbot.waitUntil(lambda: not _note_meta(page, text)[1], timeout=5000)
    page_env.qtbot.waitUntil(lambda: not model.line(model.row_of(key)).pending, timeout=5000)
    # now from central's data: the note and the cart line it sent back name her
    profile = page_env.cache.shopper_profile(sid)
    confirmed = next(n for n in profile.notes if n.text == text)
    assert confirmed.by is not None and confirmed.by.name == "Aoife Byrne"
    assert "Aoife Byrne" in _note_meta(page, text)[0]
    assert _line_note(model, key) == "Changed by Aoife Byrne"


def test_signed_in_offline_shows_subtly_before_and_after_sync(page_env: Any) -> None:
    offline = CentralClient("http://127.0.0.1:9", token="t" * 40, timeout=1)
    signing_in = background.spawn(SignIn(page_env.cache, offline).sign_in("A1001", "1234"))
    page_env.qtbot.waitUntil(signing_in.done, timeout=10_000)
    closing = background.spawn(offline.close())
    page_env.qtbot.waitUntil(closing.done, timeout=5_000)
    session = signing_in.result()
    assert not session.online and session.session_id
    page_env.ctx.set_session(session)

    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    text = "Signed in while the line was down."
    _add_note(page_env, page, text)
    model, key = _plus_on_the_first_line(page_env, page)
    assert "Aoife Byrne (signed in offline)" in _note_meta(page, text)[0]
    assert _line_note(model, key) == "Changed by Aoife Byrne (signed in offline)"

    page_env.sync()
    page_env.qtbot.waitUntil(lambda: not _note_meta(page, text)[1], timeout=5000)
    page_env.qtbot.waitUntil(lambda: not model.line(model.row_of(key)).pending, timeout=5000)
    assert "Aoife Byrne (signed in offline)" in _note_meta(page, text)[0]
    assert _line_note(model, key) == "Changed by Aoife Byrne (signed in offline)"
