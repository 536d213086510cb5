"""Render every main screen with demo data to PNG: ``python -m tools.screenshots.associate OUTDIR``.

Starts the real central in-process on loopback with the demo data, runs the real app
start-up (enroll with DEMO-2026, first sync), then drives the app like a person and
saves (offscreen, 1280x800 unless ``--size``):

    first-sync, signin, signin-wrong-pin, home, home-results, shopper-cart,
    shopper-wishlist, shopper-history, shopper-notes, product-stock, reserve-dialog,
    order-dialog-qr, queue, task-toast, inbox, attention, offline, home-1920x1080

Nothing touches the real home folder or keyring: data, config and logs go to a temp
folder and the device token to an in-memory keyring for the run.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.support.floor_device import FloorDevice
from tests.support.other_tablet import exhaust_stock_elsewhere
from tools.screenshots.common import isolate, run_themed, settle, until

log = logging.getLogger("clienteling.screenshots")

SHOTS: list[str] = []


def save(widget: Any, outdir: Path, name: str, dialog: Any = None) -> Path:
    """Grab ``widget`` (the window); with ``dialog``, draw it centred over a dimmed window."""
    from PySide6.QtGui import QColor, QPainter

    pixmap = widget.grab()
    if dialog is not None:
        over = dialog.grab()
        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect(), QColor(20, 30, 25, 110))
        x = (widget.width() - dialog.width()) // 2
        y = (widget.height() - dialog.height()) // 2
        painter.drawPixmap(max(0, x), max(0, y), over)
        painter.end()
    path = outdir / f"{name}.png"
    pixmap.save(str(path))
    SHOTS.append(path.name)
    log.info("saved %s", path)
    return path


def pick_rich_shopper(cache: Any) -> str:
    """A shopper whose cart, wishlist, history and notes all have something to show."""
    best: str | None = None
    best_score = -1
    seen: set[str] = set()
    # shoppers with a reservation here first (few have one), then everyone by letter
    batches = [[r.shopper_id for r in cache.reservations()]]
    batches += [[h.id for h in cache.search_shoppers(letter, limit=60)] for letter in "abcdeijkmst"]
    for batch in batches:
        for shopper_id in batch:
            if shopper_id in seen:
                continue
            seen.add(shopper_id)
            p = cache.shopper_profile(shopper_id)
            if p is None:
                continue
            score = (
                2 * min(len(p.cart), 4)
                + min(len(p.wishlist), 3)
                + min(len(p.orders), 3)
                + min(len(p.notes), 3)
                + min(len(p.reservations), 2)
            )
            if p.cart and p.wishlist and p.orders and p.notes:
                score += 10
            if score > best_score:
                best, best_score = shopper_id, score
        if best_score >= 28:
            break
    assert best is not None
    return best


async def floor_requests(window: Any, outdir: Path, central_url: str, shopper_id: str) -> None:
    """A kiosk's calls reach the tablet: the toast and the badge, then the inbox with one
    call a colleague took and one waiting."""
    kiosk = FloorDevice(central_url, "kiosk")
    colleague = FloorDevice(central_url, "associate", name="colleague's tablet")
    try:
        first = kiosk.call("Kiosk: Picking up a reservation")
        colleague.take(first, "A1002")
        shopper = window.ctx.cache.shopper(shopper_id)
        kiosk.call("Kiosk: Finding a size or colour", shopper.loyalty_id)
        await until(lambda: window.task_toast.isVisible(), 30, "the toast")
        await settle(300)
        save(window, outdir, "task-toast")
        window.task_toast.hide()
        window.show_inbox()
        await until(lambda: window.pages["inbox"].model.rowCount() == 2, 30, "the inbox")
        await settle(300)
        save(window, outdir, "inbox")
    finally:
        kiosk.close()
        colleague.close()


async def scenario(outdir: Path, size: tuple[int, int], tmp: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.bootstrap import Bootstrap
    from app.dialogs.order_dialog import OrderDialog
    from app.dialogs.reserve_dialog import ReserveDialog
    from app.main_window import MainWindow
    from app.messages import MessageBus
    from app.pages.home_page import HomePage
    from app.pages.queue_page import QueuePage
    from app.pages.shopper_page import ShopperPage
    from central.server import CentralServer
    from sync.settings import defaults

    central = CentralServer(tmp / "central.db", seed="demo").start()
    try:
        settings = defaults().replace(
            central_url=central.url,
            store_id="S001",
            mode="associate",
            enrollment_code="DEMO-2026",
            device_name="screenshot tablet",
            sync_interval_s=5,
        )
        messages = MessageBus()
        window = MainWindow(messages)
        window.resize(*size)
        window.show()
        boot = Bootstrap(settings, window, messages)
        startup = window.startup
        shot_taken = {"first": False}

        def on_progress(done: int, total: int) -> None:
            if not shot_taken["first"] and total > 0 and done >= total // 3:
                shot_taken["first"] = True
                save(window, outdir, "first-sync")

        startup.progressChanged.connect(on_progress)
        boot.begin()
        await until(
            lambda: window.signin is not None and window.root.currentWidget() is window.signin,
            90,
            "the sign-in page",
        )
        if not shot_taken["first"]:
            save(window, outdir, "first-sync")
        signin = window.signin
        assert signin is not None
        ctx = boot.ctx
        assert ctx is not None

        # sign-in: a wrong PIN first, then the right one
        signin.staff_field.setText("A1001")
        signin.pin_field.setFocus()
        for digit in "12":
            QTest.mouseClick(signin.keypad.keys[digit], Qt.MouseButton.LeftButton)
        await settle()
        save(window, outdir, "signin")
        for digit in "99":
            QTest.mouseClick(signin.keypad.keys[digit], Qt.MouseButton.LeftButton)
        QTest.mouseClick(signin.keypad.action, Qt.MouseButton.LeftButton)
        await until(lambda: signin.error.text(), 15, "the wrong-PIN message")
        await settle()
        save(window, outdir, "signin-wrong-pin")
        for digit in "1234":
            QTest.mouseClick(signin.keypad.keys[digit], Qt.MouseButton.LeftButton)
        QTest.mouseClick(signin.keypad.action, Qt.MouseButton.LeftButton)
        await until(lambda: window.current_page() == "home", 15, "the home page")
        home = window.pages["home"]
        assert isinstance(home, HomePage)

        # home: recent shoppers come from opening a few profiles
        shopper_id = pick_rich_shopper(ctx.cache)
        for hit in ctx.cache.search_shoppers("murphy", limit=4):
            ctx.cache.mark_viewed(hit.id)
        ctx.cache.mark_viewed(shopper_id)
        home.refresh()
        await settle()
        save(window, outdir, "home")
        QTest.keyClicks(home.shopper_search.search, "murphy")
        QTest.keyClicks(home.product_lookup.product_search, "merino")
        await settle(400)
        save(window, outdir, "home-results")

        # the shopper profile, tab by tab
        window.show_shopper(shopper_id)
        shopper = window.pages["shopper"]
        assert isinstance(shopper, ShopperPage)
        await until(lambda: getattr(shopper, "profile", None) is not None, 20, "the profile")
        await settle()
        tabs = getattr(shopper, "tabs", None)
        for index, name in ((0, "cart"), (1, "wishlist"), (2, "history"), (4, "notes")):
            if tabs is not None and index < tabs.count():
                tabs.setCurrentIndex(index)
                await settle(150)
                save(window, outdir, f"shopper-{name}")

        # product and stock, from the first cart line
        profile = shopper.profile
        assert profile is not None
        line = (profile.cart or profile.wishlist)[0]
        window.show_product(line.product.sku, shopper_id)
        await settle(400)
        save(window, outdir, "product-stock")

        # reserve dialog (from the profile), then the order dialog with its QR code
        window.back()
        await settle()
        reserve = shopper.open_reserve(line.product.sku)
        assert isinstance(reserve, ReserveDialog)
        await settle(300)
        save(window, outdir, "reserve-dialog", dialog=reserve)
        reserve.reject()
        order = shopper.open_order([(line.product.sku, 1)])
        assert isinstance(order, OrderDialog)
        order.payment.set_value("pay_by_link")
        order.submit()
        ctx.bridge.nudge()
        await until(lambda: order.payment_link, 30, "the payment link")
        await settle(300)
        save(window, outdir, "order-dialog-qr", dialog=order)
        order.accept()

        # the reservation queue
        window.show_queue()
        await settle()
        queue = window.pages["queue"]
        assert isinstance(queue, QueuePage)
        if queue.model.rowCount():
            queue.table.selectRow(0)
        await settle()
        save(window, outdir, "queue")

        # the floor: a kiosk calls (the toast and the badge, over any page), then the inbox
        await floor_requests(window, outdir, central.url, shopper_id)

        # a reservation central turns down: another tablet took the stock meanwhile
        target = None
        for product in ctx.cache.search_products("jacket", limit=40):
            view = ctx.cache.product(product.sku)
            if view is None:
                continue
            for stock in view.stock:
                if not stock.is_here and not stock.is_online and stock.available >= 1:
                    others = [
                        s
                        for s in view.stock
                        if s.store_id not in (stock.store_id,)
                        and not s.is_online
                        and s.available >= 1
                    ]
                    if others:
                        target = (product.sku, stock.store_id, stock.available)
                        break
            if target:
                break
        assert target is not None, "no product with stock in two other stores"
        sku, store_id, available = target
        await exhaust_stock_elsewhere(central.url, sku, store_id, available)
        ctx.commands.reserve_item(
            shopper_id=shopper_id,
            sku=sku,
            qty=1,
            store_id=store_id,
            notify_by="sms",
        )
        await until(lambda: ctx.bridge.state.attention >= 1, 30, "the rejection")
        window.show_outbox()
        await settle(400)
        save(window, outdir, "attention")

        # offline: central goes away; an order waits on the tablet
        central.stop()
        ctx.bridge.nudge()
        await until(
            lambda: not ctx.bridge.state.online and ctx.bridge.state.offline_since, 30, "offline"
        )
        ctx.commands.place_order(
            shopper_id=shopper_id,
            lines=[(line.product.sku, 1)],
            fulfilment_type="ship_to_store",
            payment_method="pay_at_till",
            fulfilment_store_id=ctx.store_id,
        )
        window.show_home()
        await until(lambda: ctx.bridge.state.pending >= 1, 10, "a waiting command")
        await settle(400)
        save(window, outdir, "offline")

        # the same home screen on a 1920x1080 display
        window.banner.hide()
        window.resize(1920, 1080)
        await settle(400)
        save(window, outdir, "home-1920x1080")
        window.resize(*size)
        await boot.shutdown()
        window.close()
    finally:
        if central.running:
            central.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots.associate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clienteling-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        run_themed(lambda: scenario(outdir, (width, height), tmp))
    print("\n".join(SHOTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
