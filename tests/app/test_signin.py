"""Start-up and sign-in against the real central: enroll, first sync, PINs, lock-out, idle."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.driving import FIRST_SYNC_TIMEOUT_MS, sign_in


def test_first_start_enrolls_syncs_and_signs_in(first_start_env, qtbot):
    app_env = first_start_env
    window = app_env.window
    assert app_env.progress, "the first sync showed no progress bar"
    assert any(total > 0 for _done, total in app_env.progress)
    assert app_env.ctx.cache.initial_sync_done()
    assert window.signin.store_name.text() == "Dublin Grafton Street"
    # the keypad alone will do: "1001" is read as A1001, known on this tablet
    page = window.signin
    for field, digits in ((page.staff_field, "1001"), (page.pin_field, "1234")):
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(field.hasFocus, timeout=2_000)
        for digit in digits:
            qtbot.mouseClick(page.keypad.keys[digit], Qt.MouseButton.LeftButton)
    assert page.staff_field.text() == "1001"
    qtbot.mouseClick(page.keypad.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "home", timeout=10_000)
    assert app_env.ctx.session.staff_id == "A1001"
    assert window.signout_button.text()  # the associate's first name
    assert window.store_label.text() == "Dublin Grafton Street"


def test_wrong_pin_says_so_and_five_lock_the_staff_id(app_env, qtbot):
    window = app_env.window
    page = window.signin
    sign_in(qtbot, window, "A1002", "0000")
    qtbot.waitUntil(lambda: "not right" in page.error.text(), timeout=10_000)
    assert page.pin_field.text() == ""
    assert window.root.currentWidget() is page
    for attempt in range(4):
        before = page.error.text()
        page.error.clear()
        sign_in(qtbot, window, "A1002", "0000")
        qtbot.waitUntil(lambda: page.error.text() != "" and not page.busy, timeout=10_000)
        assert page.error.text(), f"no message after attempt {attempt + 2} (was {before!r})"
    assert "locked" in page.error.text()
    assert "minute" in page.error.text()
    # the right PIN does not help while locked
    page.error.clear()
    sign_in(qtbot, window, "A1002", _pin_of("A1002"))
    qtbot.waitUntil(lambda: page.error.text() != "", timeout=10_000)
    assert "locked" in page.error.text()
    assert window.root.currentWidget() is page


def _pin_of(staff_id: str) -> str:
    from central.demo_data import DEMO_ASSOCIATES

    return next(a["pin"] for a in DEMO_ASSOCIATES if a["staff_id"] == staff_id)


def test_idle_time_signs_the_associate_out(window, app_env, qtbot):
    assert window.idle.timer.objectName() == "idleSignoutTimer"
    assert window.idle.timer.interval() == app_env.ctx.settings.associate_idle_signout_min * 60_000
    from app.dialogs.order_dialog import OrderDialog

    # a dialog left open on the counter
    hit = app_env.ctx.cache.search_shoppers("murphy", limit=1)[0]
    order = OrderDialog(app_env.ctx, hit.id, [], window)
    order.open()
    assert order.isVisible()
    window.idle.set_timeout_ms(300)
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.signin, timeout=5_000)
    assert app_env.ctx.session is None
    assert "signed out" in window.signin.error.text()
    assert not order.isVisible()  # no dialog left over the sign-in page


def test_first_start_without_central_says_so_and_tries_again(qtbot, qloop, central, app_settings):
    from app import background
    from app.bootstrap import Bootstrap
    from app.main_window import MainWindow
    from app.messages import MessageBus

    central.stop()
    messages = MessageBus()
    window = MainWindow(messages)
    window.show()
    boot = Bootstrap(app_settings, window, messages)
    boot.begin()
    startup = window.startup
    qtbot.waitUntil(lambda: not startup.retry.isHidden(), timeout=20_000)
    assert "can't be reached" in startup.title.text()
    central.restart()
    qtbot.mouseClick(startup.retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.root.currentWidget() is window.signin, timeout=FIRST_SYNC_TIMEOUT_MS
    )
    task = background.spawn(boot.shutdown())
    qtbot.waitUntil(task.done, timeout=10_000)
    window.close()
    window.deleteLater()
