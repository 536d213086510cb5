"""Every kiosk screen, with demo data: ``SCREENS``, rendered to PNG by
``python -m tools.screenshots.kiosk OUTDIR`` and checked by ``tests/app/test_layouts.py``.

It provisions a kiosk of S001 (its own cache), runs the real start-up (enroll as a kiosk,
first sync), then drives the kiosk like a shopper through ``SCREENS`` in order; at each
screen it lays the window out at 1024x768, 1280x800 (the kiosk's own size) and 1920x1080,
runs the layout check (``tools.layout_check``) and saves ``NAME-WIDTHxHEIGHT.png``. It
exits non-zero when the check finds anything. Nothing touches the real home or keyring.

To add a screen: write ``async def my_screen(s: Kiosk) -> None`` that brings the kiosk
from the screen before it to the new state, and add ``Screen("kiosk-my-screen",
my_screen)`` to ``SCREENS`` where it belongs in the walk.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from central.demo_data import DEMO_ENROLLMENT_CODES
from tools.screenshots import signup
from tools.screenshots.common import (
    SIZES,
    Findings,
    Screen,
    click,
    finish,
    isolate,
    render_screens,
    run_themed,
    settle,
    until,
)

log = logging.getLogger("clienteling.screenshots")


@dataclass
class Kiosk:
    """The kiosk under the walk: its window, shell, context and the shopper it scans."""

    window: Any
    shell: Any
    ctx: Any
    loyalty_id: str  # the card scanned (a kiosk has no list of shoppers)
    central_url: str
    store_id: str
    line: Any = None


def demo_card(central_db: Path, store_id: str = "S001") -> str:
    """The loyalty number of a demo shopper worth showing: of ``store_id``'s book, with a
    wishlist and a cart line available there (more lines first). Read from central's own
    database, as a person would hold their card: a kiosk has no list of shoppers."""
    conn = sqlite3.connect(f"file:{central_db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT json_extract(s.data, '$.loyalty_id'), json_array_length(c.data, '$.lines')"
            " FROM entities s JOIN entity_scopes b ON b.entity = 'shopper' AND b.id = s.id"
            " AND b.store_id = ?"
            " JOIN entities c ON c.entity = 'cart' AND c.id = 'cart-' || s.id AND c.deleted = 0"
            " AND json_extract(c.data, '$.status') != 'converted'"
            " WHERE s.entity = 'shopper' AND s.deleted = 0"
            " AND EXISTS (SELECT 1 FROM entities w WHERE w.entity = 'wishlist_item'"
            "  AND w.deleted = 0 AND w.shopper_id = s.id)"
            " AND EXISTS (SELECT 1 FROM json_each(c.data, '$.lines') l JOIN entities i"
            "  ON i.entity = 'inventory' AND i.id = ? || ':' || json_extract(l.value, '$.sku')"
            "  WHERE json_extract(i.data, '$.available') > 0)"
            " ORDER BY min(json_array_length(c.data, '$.lines'), 3) DESC, s.id LIMIT 1",
            (store_id, store_id),
        ).fetchall()
    finally:
        conn.close()
    assert rows, "no shopper with a reservable cart item"
    return str(rows[0][0])


async def _taken_on_a_tablet(central_url: str, store_id: str, call: Any) -> None:
    """An associate takes the kiosk's call on a tablet; the call screen names them."""
    from tests.support.floor_device import FloorDevice

    task_id = call.task_id
    await until(lambda: (t := call.ctx.cache.task(task_id)) and not t.pending, 30, "the call")
    tablet = FloorDevice(central_url, "associate", store_id, "screenshot tablet")
    try:
        tablet.take(task_id, "A1001")
    finally:
        tablet.close()
    await until(lambda: "on the way" in call.confirmation.text(), 30, "the call taken")
    await settle()


def scan(s: Kiosk, number: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClicks(s.window, number)  # a scan: digits, then Return
    QTest.keyClick(s.window, Qt.Key.Key_Return)


async def welcome(s: Kiosk) -> None:
    s.shell.end_session("done")
    await settle(300)


async def unknown_number(s: Kiosk) -> None:
    scan(s, "123456789012")
    notice = s.shell.welcome.notice.text
    await until(lambda: "couldn't find" in notice.text(), 20, "the unknown-number message")
    await settle()


async def cart(s: Kiosk) -> None:
    s.shell.welcome.reset()
    scan(s, s.loyalty_id)
    await until(lambda: s.shell.pages.currentWidget() is s.shell.shopper, 20, "the shopper")
    await settle(300)


async def wishlist(s: Kiosk) -> None:
    s.shell.shopper.set_tab(s.shell.shopper.WISHLIST)
    await settle()


async def reserve(s: Kiosk) -> None:
    shopper = s.shell.shopper
    shopper.set_tab(shopper.CART)
    s.line = next(ln for ln in shopper.lines() if ln.availability.here > 0)
    s.shell.open_reserve(s.line)
    await settle(300)


async def reserved_pending(s: Kiosk) -> None:
    click(s.shell.reserve.confirm)  # rendered at once: central has not answered yet


async def reserved_confirmed(s: Kiosk) -> None:
    statuses = s.shell.shopper.reservations.statuses
    pending = "Reserved — pending confirmation"
    await until(lambda: pending not in statuses().values(), 30, "the confirmation")
    await settle(300)


async def rejected(s: Kiosk) -> None:
    """The wording when central turns a reservation down (drawn as central's answer is)."""
    shell = s.shell
    shell.shopper.notice.clear()
    text = shell.tr("Sorry, we couldn't hold {item} at {store}: the last one was just taken.")
    store = shell.store_name
    shell._on_rejected(
        s.line.product.sku, s.ctx.store_id, text.format(item=s.line.product.name, store=store)
    )
    await settle()


async def call(s: Kiosk) -> None:
    s.shell.shopper.notice.clear()
    click(s.shell.bar.call_button)
    await settle()


async def call_confirmed(s: Kiosk) -> None:
    s.shell.call.call(s.shell.tr("Finding a size or colour"))
    await settle()


async def call_taken(s: Kiosk) -> None:
    await _taken_on_a_tablet(s.central_url, s.store_id, s.shell.call)


async def still_there(s: Kiosk) -> None:
    shell = s.shell
    shell.call.closed.emit()
    shell.idle.timer.setInterval(100)
    shell.idle.restart()
    await until(shell.still_there.isVisible, 10, "the still-there strip")
    await until(lambda: shell.idle.left <= shell.idle.countdown_s - 3, 10, "the countdown")


SCREENS: list[Screen] = [
    Screen("kiosk-welcome", welcome),
    Screen("kiosk-unknown-number", unknown_number),
    Screen("kiosk-cart", cart),
    Screen("kiosk-wishlist", wishlist),
    Screen("kiosk-reserve", reserve),
    Screen("kiosk-reserved-pending", reserved_pending),
    Screen("kiosk-reserved-confirmed", reserved_confirmed),
    Screen("kiosk-rejected", rejected),
    Screen("kiosk-call", call),
    Screen("kiosk-call-confirmed", call_confirmed),
    Screen("kiosk-call-taken", call_taken),
    Screen("kiosk-still-there", still_there),
    *signup.KIOSK_SCREENS,
]


async def walk(
    central_url: str,
    data_dir: Path,
    screens: list[Screen] = SCREENS,
    sizes: tuple[tuple[int, int], ...] = SIZES,
    outdir: Path | None = None,
    store_id: str = "S001",
    *,
    loyalty_id: str,
) -> Findings:
    """A new kiosk of ``store_id`` (its cache in ``data_dir``) against a central with the
    demo data, through ``screens``, scanning the card ``loyalty_id`` (:func:`demo_card`);
    the layout findings of each screen at each size.
    Needs a running qasync loop, a themed ``QApplication`` and a keyring."""
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import Bootstrap
    from app.kiosk.shell import KioskShell
    from app.main_window import MainWindow
    from app.messages import MessageBus
    from sync.settings import defaults

    data_dir.mkdir(parents=True, exist_ok=True)
    settings = defaults().replace(
        central_url=central_url,
        store_id=store_id,
        mode="kiosk",
        enrollment_code=DEMO_ENROLLMENT_CODES[(store_id, "kiosk")],
        device_name="screenshot kiosk",
        sync_interval_s=5,
    )
    messages = MessageBus()
    window = MainWindow(messages)
    window.resize(*sizes[0])
    window.show()
    boot = Bootstrap(settings, window, messages)
    previous = os.environ.get("CLIENTELING_DATA_DIR")
    os.environ["CLIENTELING_DATA_DIR"] = str(data_dir)  # the kiosk's own cache
    try:
        boot.begin()
        await until(
            lambda: isinstance(window.root.currentWidget(), KioskShell), 120, "the kiosk shell"
        )
    finally:
        if previous is None:
            os.environ.pop("CLIENTELING_DATA_DIR", None)
        else:
            os.environ["CLIENTELING_DATA_DIR"] = previous
    shell: Any = window.root.currentWidget()
    ctx: Any = boot.ctx
    session = Kiosk(window, shell, ctx, loyalty_id, central_url, store_id)
    timeout = shell.idle.timer.interval()
    try:
        return await render_screens(session, window, screens, sizes, outdir)
    finally:
        shell.idle.timer.setInterval(timeout)
        shell.end_session("done")
        shell.guard.unlock()
        app = QApplication.instance()
        if app is not None:
            shell.uninstall(app)
        await boot.shutdown()
        window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots.kiosk", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clienteling-kiosk-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        from central.server import CentralServer

        central = CentralServer(tmp / "central.db", seed="demo").start()
        try:
            card = demo_card(tmp / "central.db")
            findings = run_themed(
                lambda: walk(central.url, tmp / "kiosk", SCREENS, SIZES, outdir, loyalty_id=card)
            )
        finally:
            central.stop()
    return finish(findings)


if __name__ == "__main__":
    sys.exit(main())
