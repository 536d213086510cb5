"""The PIN field takes digits only: letters typed on a keyboard do nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.pages.signin_page import SignInPage


def test_letters_typed_into_the_pin_field_do_nothing(qtbot):
    page = SignInPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.pin_field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.pin_field, "ab12cd34")
    assert page.pin_field.text() == "1234"
    qtbot.keyClicks(page.pin_field, "x56789")  # a ninth digit is not taken either
    assert page.pin_field.text() == "12345678"
