"""Kiosk screens to PNG, with demo data: ``render_kiosk_screens(outdir, central_url, ...)``.

Run as ``python -m tools.screenshots.kiosk OUTDIR`` (starts the real central on loopback
with the demo data, offscreen, nothing in the real home or keyring), or call
``render_kiosk_screens`` from inside a running qasync loop.

It provisions a kiosk of ``store_id`` (its own cache in ``data_dir``), runs the real
start-up (enroll as a kiosk, first sync), then drives the kiosk like a shopper and saves,
for each size: ``kiosk-welcome``, ``kiosk-unknown-number``, ``kiosk-cart``,
``kiosk-wishlist``, ``kiosk-reserve``, ``kiosk-reserved-pending``,
``kiosk-reserved-confirmed``, ``kiosk-call``,
``kiosk-call-confirmed``, ``kiosk-call-taken``, ``kiosk-still-there``, each named ``NAME-WIDTHxHEIGHT.png``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from central.demo_data import DEMO_ENROLLMENT_CODES
from tools.screenshots.common import isolate, run_themed, settle, until

log = logging.getLogger("clienteling.screenshots")

DEFAULT_SIZES: tuple[tuple[int, int], ...] = ((1280, 800), (1920, 1080))


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


async def render_kiosk_screens(
    outdir: Path,
    central_url: str,
    *,
    data_dir: Path,
    loyalty_id: str,
    sizes: Iterable[tuple[int, int]] = DEFAULT_SIZES,
    store_id: str = "S001",
) -> list[Path]:
    """Render the kiosk's screens to ``outdir``; returns the files written.

    Needs a running qasync loop and a themed ``QApplication`` (as ``common.run_themed``
    gives), a central with the demo data at ``central_url``, and a keyring (the caller's
    in-memory one). ``data_dir`` gets the kiosk's own cache file; ``loyalty_id`` is the
    card scanned (:func:`demo_card`).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.bootstrap import Bootstrap
    from app.kiosk.shell import KioskShell
    from app.main_window import MainWindow
    from app.messages import MessageBus
    from sync.settings import defaults

    outdir.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    settings = defaults().replace(
        central_url=central_url,
        store_id=store_id,
        mode="kiosk",
        enrollment_code=DEMO_ENROLLMENT_CODES[(store_id, "kiosk")],
        device_name="screenshot kiosk",
        sync_interval_s=5,
    )
    sizes = list(sizes)
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

    def save(name: str, size: tuple[int, int]) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        # lay out what changed in this turn of the loop (a grab does not wait for it)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        path = outdir / f"{name}-{size[0]}x{size[1]}.png"
        window.grab().save(str(path))
        written.append(path)
        log.info("saved %s", path)

    try:
        for size in sizes:
            window.resize(*size)
            shell.end_session("done")
            await settle(300)
            save("kiosk-welcome", size)

            QTest.keyClicks(window, "123456789012")  # a scan: digits, then Return
            QTest.keyClick(window, Qt.Key.Key_Return)
            await until(
                lambda: "couldn't find" in shell.welcome.notice.text.text(),
                20,
                "the unknown-number message",
            )
            await settle()
            save("kiosk-unknown-number", size)
            shell.welcome.reset()

            QTest.keyClicks(window, loyalty_id)
            QTest.keyClick(window, Qt.Key.Key_Return)
            await until(
                lambda: shell.pages.currentWidget() is shell.shopper, 20, "the shopper's page"
            )
            await settle(300)
            save("kiosk-cart", size)
            shell.shopper.set_tab(shell.shopper.WISHLIST)
            await settle()
            save("kiosk-wishlist", size)
            shell.shopper.set_tab(shell.shopper.CART)

            lines = shell.shopper.lines()
            reservable = [ln for ln in lines if ln.availability.here > 0]
            line = reservable[sizes.index(size) % len(reservable)]
            shell.open_reserve(line)
            await settle(300)
            save("kiosk-reserve", size)
            QTest.mouseClick(shell.reserve.confirm, Qt.MouseButton.LeftButton)
            save("kiosk-reserved-pending", size)  # at once: central has not answered yet
            await until(
                lambda: (
                    "Reserved — pending confirmation"
                    not in shell.shopper.reservations.statuses().values()
                ),
                30,
                "the confirmation",
            )
            await settle(300)
            save("kiosk-reserved-confirmed", size)
            shell.shopper.notice.clear()
            if os.environ.get("KIOSK_SHOTS_REJECTED"):  # a look at the wording only
                shell._on_rejected(
                    line.product.sku,
                    ctx.store_id,
                    shell.tr(
                        "Sorry, we couldn't hold {item} at {store}: the last one was just taken."
                    ).format(item=line.product.name, store=shell.store_name),
                )
                await settle()
                save("kiosk-rejected", size)
                shell.shopper.notice.clear()

            QTest.mouseClick(shell.bar.call_button, Qt.MouseButton.LeftButton)
            await settle()
            save("kiosk-call", size)
            shell.call.call(shell.tr("Finding a size or colour"))
            await settle()
            save("kiosk-call-confirmed", size)
            await _taken_on_a_tablet(central_url, store_id, shell.call)
            save("kiosk-call-taken", size)
            shell.call.closed.emit()

            timeout = shell.idle.timer.interval()
            shell.idle.timer.setInterval(100)
            shell.idle.restart()
            await until(shell.still_there.isVisible, 10, "the still-there strip")
            await until(lambda: shell.idle.left <= shell.idle.countdown_s - 3, 10, "the countdown")
            save("kiosk-still-there", size)
            shell.idle.timer.setInterval(timeout)
            shell.idle.restart()
        shell.end_session("done")
    finally:
        shell.guard.unlock()
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            shell.uninstall(app)
        await boot.shutdown()
        window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots.kiosk", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="clienteling-kiosk-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        from central.server import CentralServer

        central = CentralServer(tmp / "central.db", seed="demo").start()
        try:
            files = run_themed(
                lambda: render_kiosk_screens(
                    args.outdir,
                    central.url,
                    data_dir=tmp / "kiosk",
                    loyalty_id=demo_card(tmp / "central.db"),
                )
            )
        finally:
            central.stop()
    print("\n".join(p.name for p in files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
