"""PINs of 4 to 8 digits on the sign-in page's keypad (a chain should issue 6 or more)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.pages.signin_page import SignInPage


def test_the_keypad_takes_pins_of_4_to_8_digits_and_no_more(qtbot, qloop):
    tries: list[tuple[str, str]] = []

    async def authenticate(staff_id: str, pin: str) -> Any:
        tries.append((staff_id, pin))
        return type("Session", (), {"staff_id": staff_id, "name": "Aoife Byrne"})()

    page = SignInPage(authenticate)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.staff_field, "a1001")
    for digit in "123":
        qtbot.mouseClick(page.keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.keypad.action, Qt.MouseButton.LeftButton)
    assert "4 to 8 digits" in page.error.text() and not tries
    for pin in ("482916", "12345678"):
        page.pin_field.clear()
        for digit in pin:
            qtbot.mouseClick(page.keypad.keys[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.keypad.keys["9"], Qt.MouseButton.LeftButton)
        if len(pin) == 8:  # a ninth digit is not taken
            assert page.pin_field.text() == pin
        else:
            page.pin_field.backspace()
        with qtbot.waitSignal(page.signedIn, timeout=2000):
            qtbot.mouseClick(page.keypad.action, Qt.MouseButton.LeftButton)
        assert tries[-1] == ("A1001", pin)
