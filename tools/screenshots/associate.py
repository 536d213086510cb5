"""Every screen of the associate app, with demo data: ``SCREENS``, rendered to PNG by
``python -m tools.screenshots.associate OUTDIR`` and checked by ``tests/app/test_layouts.py``.

Starts the real central in-process on loopback with the demo data, runs the real app
start-up (enroll with DEMO-2026, first sync), then drives the app like a person through
``SCREENS`` in order; at each screen it lays the window out at 1024x768, 1280x800 and
1920x1080 (``--size`` for one), runs the layout check (``tools.layout_check``) and saves
``NAME-WIDTHxHEIGHT.png``. It exits non-zero when the check finds anything.

To add a screen: write ``async def my_screen(s: Associate) -> None`` (or return the
dialog it opens) that brings the app from the screen before it to the new state, and
add ``Screen("my-screen", my_screen)`` to ``SCREENS`` where it belongs in the walk.

Nothing touches the real home folder or keyring: data, config and logs go to a temp
folder and the device token to an in-memory keyring for the run.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.floor_device import FloorDevice
from tests.support.other_tablet import exhaust_stock_elsewhere
from tools.screenshots import close, compose, edits, points, returns, roles, signup
from tools.screenshots import dashboard as dashboard_screens
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
from tools.screenshots.influenced import clients_influenced, clients_influenced_store

log = logging.getLogger("clienteling.screenshots")


def pick_rich_shopper(cache: Any) -> str:
    """A shopper whose cart, wishlist, history, timeline (notes and support contacts) and
    "viewed online recently" all have something to show."""
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
                + min(len(p.support), 2)
                + min(len(p.viewed), 3)
            )
            if p.cart and p.wishlist and p.orders and (p.notes or p.support):
                score += 10
            if p.support and p.viewed:
                score += 6
            if score > best_score:
                best, best_score = shopper_id, score
        if best_score >= 38:
            break
    assert best is not None
    return best


@dataclass
class Associate:
    """The app under the walk: its window, start-up, central, and what screens share."""

    window: Any
    boot: Any
    central: Any
    progress: list[tuple[int, int]] = field(default_factory=list)
    shopper_id: str = ""
    sku: str = ""

    @property
    def ctx(self) -> Any:
        return self.boot.ctx

    def page(self, name: str) -> Any:
        return self.window.pages[name]


async def first_sync(s: Associate) -> None:
    """The first start: enrollment done, the first sync a third of the way."""
    s.window.startup.progressChanged.connect(lambda done, total: s.progress.append((done, total)))
    s.boot.begin()
    await until(lambda: any(t and d >= t // 3 for d, t in s.progress), 90, "first-sync progress")


async def signin(s: Associate) -> None:
    window = s.window
    await until(
        lambda: window.signin is not None and window.root.currentWidget() is window.signin,
        90,
        "the sign-in page",
    )
    window.signin.staff_field.setText("A1001")
    window.signin.pin_field.setFocus()
    for digit in "12":
        click(window.signin.keypad.keys[digit])
    await settle()


async def signin_wrong_pin(s: Associate) -> None:
    signin = s.window.signin
    for digit in "99":
        click(signin.keypad.keys[digit])
    click(signin.keypad.action)
    await until(lambda: signin.error.text(), 15, "the wrong-PIN message")
    await settle()


async def home(s: Associate) -> None:
    signin = s.window.signin
    for digit in "1234":
        click(signin.keypad.keys[digit])
    click(signin.keypad.action)
    await until(lambda: s.window.current_page() == "home", 15, "the home page")
    # recent shoppers come from opening a few profiles
    s.shopper_id = pick_rich_shopper(s.ctx.cache)
    for hit in s.ctx.cache.search_shoppers("murphy", limit=4):
        s.ctx.cache.mark_viewed(hit.id)
    s.ctx.cache.mark_viewed(s.shopper_id)
    s.page("home").refresh()
    await settle()


async def home_results(s: Associate) -> None:
    from PySide6.QtTest import QTest

    home = s.page("home")
    QTest.keyClicks(home.shopper_search.search, "murphy")
    QTest.keyClicks(home.product_lookup.product_search, "merino")
    await settle(400)


async def home_no_match(s: Associate) -> None:
    from PySide6.QtTest import QTest

    search = s.page("home").product_lookup.product_search
    search.clear()
    QTest.keyClicks(search, "zzqx")
    await settle(400)


def shopper_tab(index: int) -> Any:
    async def show(s: Associate) -> None:
        if s.window.current_page() != "shopper":
            s.window.show_shopper(s.shopper_id)
            shopper = s.page("shopper")
            await until(lambda: getattr(shopper, "profile", None) is not None, 20, "the profile")
            await settle()
        s.page("shopper").tabs.setCurrentIndex(index)
        await settle(150)

    return show


async def shopper_timeline(s: Associate) -> None:
    """The timeline, its newest support contact opened to its whole summary."""
    from sync.records import SupportContactView

    await shopper_tab(4)(s)
    notes = s.page("shopper").notes_tab
    for row in range(notes.model.rowCount()):
        if isinstance(notes.model.record(row), SupportContactView):
            notes.view.clicked.emit(notes.model.index(row, 0))
            break
    await settle(150)


async def shopper_insight(s: Associate) -> None:
    """The profile's insight panel with its details open and its next best action: the
    shopper at the top of the abandoned carts list (their cart opens the product next)."""
    from sync.read.outreach import Thresholds

    rows = s.ctx.cache.outreach(s.ctx.device.store_id, "abandoned_carts", Thresholds())
    shopper_id = rows[0].shopper_id if rows else s.shopper_id
    s.window.show_shopper(shopper_id)
    shopper = s.page("shopper")
    await until(lambda: getattr(shopper, "shopper_id", None) == shopper_id, 20, "the profile")
    await until(lambda: shopper.insight.action is not None, 20, "the next best action")
    shopper.tabs.setCurrentIndex(0)
    shopper.insight.toggle.setChecked(True)
    await settle(150)


async def product_stock(s: Associate) -> None:
    profile = s.page("shopper").profile
    line = (profile.cart or profile.wishlist)[0]
    s.sku = line.product.sku
    s.window.show_product(s.sku, s.shopper_id)
    await settle(400)


async def product_recommended(s: Associate) -> None:
    """The product page's recommendations with the first card chosen (its actions on)."""
    page = s.page("product")
    strip = page.recommended.strip
    await until(lambda: strip.model.rowCount() > 0, 10, "recommendations")
    page.recommended.button.click()
    strip.view.setCurrentIndex(strip.model.index(0, 0))
    await settle(150)


async def shopper_for_them(s: Associate) -> None:
    """The profile's "For them" tab: recommendations from the cart, wishlist and orders."""
    await shopper_tab(5)(s)
    strip = s.page("shopper").for_them
    if strip.model.rowCount():
        strip.view.setCurrentIndex(strip.model.index(0, 0))
    await settle(150)


async def product_added(s: Associate) -> None:
    """The chosen size added to the served shopper's cart: said in place, with Undo."""
    click(s.page("product").for_shopper.cart_button)
    await settle(300)


async def reserve_dialog(s: Associate) -> Any:
    s.window.back()
    await settle()
    dialog = s.page("shopper").open_reserve(s.sku)
    await settle(300)
    return dialog


async def order_dialog_qr(s: Associate) -> Any:
    dialog = s.page("shopper").open_order([(s.sku, 1)])
    dialog.payment.set_value("pay_by_link")
    dialog.submit()
    s.ctx.bridge.nudge()
    await until(lambda: dialog.payment_link, 30, "the payment link")
    await settle(300)
    return dialog


async def queue(s: Associate) -> None:
    s.window.show_queue()
    await settle()
    page = s.page("queue")
    if page.model.rowCount():
        page.table.selectRow(0)
    await settle()


async def task_toast(s: Associate) -> None:
    """A kiosk's calls reach the tablet: one a colleague took, one waiting (the toast)."""
    kiosk = FloorDevice(s.central.url, "kiosk")
    colleague = FloorDevice(s.central.url, "associate", name="colleague's tablet")
    try:
        first = kiosk.call("Kiosk: Picking up a reservation")
        colleague.take(first, "A1002")
        shopper = s.ctx.cache.shopper(s.shopper_id)
        kiosk.call("Kiosk: Finding a size or colour", shopper.loyalty_id)
    finally:
        kiosk.close()
        colleague.close()
    await until(lambda: s.window.task_toast.isVisible(), 30, "the toast")
    await settle(300)


async def inbox(s: Associate) -> None:
    s.window.task_toast.hide()
    s.window.show_inbox()
    await until(lambda: s.page("inbox").model.rowCount() >= 2, 30, "the inbox")
    await settle(300)


async def task_dialog(s: Associate) -> Any:
    """A follow-up from the profile: the text prefilled, due tomorrow, for me."""
    from app.dialogs.task_dialog import TaskDialog, open_task_dialog

    s.window.show_shopper(s.shopper_id)
    await settle()
    page = s.page("shopper")
    open_task_dialog(
        s.ctx, page, shopper_id=s.shopper_id, message="Call when the boots arrive in a 38"
    )
    await settle(300)
    return page.findChild(TaskDialog)


async def inbox_follow_ups(s: Associate) -> None:
    """Calls and follow-ups in one inbox: one of mine due today, one for anyone, one a
    colleague's, and one made on this tablet that is still sending."""
    from app.pages.inbox.times import quick_time

    commands = s.ctx.commands
    hits = s.ctx.cache.search_shoppers("murphy", limit=4)
    made = [
        ("Ring about the parka in the window", quick_time("today"), "A1001"),
        ("Thank-you call after the wedding order", quick_time("tomorrow"), None),
        ("Ask how the running shoes fit", quick_time("in_3_days"), "A1002"),
    ]
    for (message, due, owner), hit in zip(made, hits, strict=False):
        commands.create_task(message=message, due_at=due, shopper_id=hit.id, owner_id=owner)
    commands.create_task(
        message="Call when the boots arrive in a 38",
        due_at=quick_time("in_3_days"),
        shopper_id=s.shopper_id,
        owner_id="A1001",
    )
    await until(lambda: s.ctx.bridge.state.pending == 0, 30, "the follow-ups confirmed")
    commands.create_task(
        message="Send the new season's lookbook", due_at=quick_time("next_week"), owner_id=None
    )
    s.window.show_inbox("store")
    await settle(400)


async def shopper_follow_ups(s: Associate) -> None:
    """The profile's header says what follow-ups are open for the shopper."""
    s.window.show_shopper(s.shopper_id)
    await settle(300)


async def home_follow_ups(s: Associate) -> None:
    s.window.show_home()
    await settle(300)


async def clients(s: Associate) -> None:
    """The Clients page, the whole store's book: the busiest outreach list."""
    s.window.show_clients()
    page = s.page("clients")
    page.set_mine(False)
    await until(lambda: not page.busy, 30, "the outreach counts")
    counts = {sec.key: sec.count or 0 for sec in page.sections.records() if sec.key}
    lists = [key for key in counts if key in page.outreach_lists()]
    page.load(max(lists, key=lambda key: counts[key]))
    await until(lambda: not page.busy, 30, "the list")
    await settle(300)


async def clients_show_more(s: Associate) -> None:
    """The busiest list after "Show more": its next page under the first, at the bottom."""
    view = s.page("clients").outreach
    if view.more.isVisible():
        shown = len(view.rows())
        view.more.click()
        await until(lambda: len(view.rows()) > shown, 30, "the next page")
    view.table.scrollToBottom()
    await settle(300)


async def clients_empty(s: Associate) -> None:
    """A list with nobody on it says it is clear (the associate's own clients first)."""
    page = s.page("clients")
    for mine in (True, False):
        page.set_mine(mine)
        await until(lambda: not page.busy, 30, "the outreach counts")
        counts = {sec.key: sec.count for sec in page.sections.records() if sec.key}
        clear = [key for key in page.outreach_lists() if counts.get(key) == 0]
        if clear:
            page.load(clear[0])
            break
    await until(lambda: not page.busy, 30, "the list")
    await settle(300)


def _stock_in_two_other_stores(cache: Any) -> tuple[str, str, int]:
    for product in cache.search_products("jacket", limit=40):
        view = cache.product(product.sku)
        if view is None:
            continue
        others = [s for s in view.stock if not s.is_here and not s.is_online and s.available]
        if len(others) >= 2:
            return product.sku, others[0].store_id, others[0].available
    raise AssertionError("no product with stock in two other stores")


async def _book_view(s: Associate) -> Any:
    """The client book on the Clients page (``MainWindow.show_clients``)."""
    s.window.show_clients("mine")
    page = s.page("clients")
    await until(lambda: not page.busy, 30, "the counts")
    return page.book_view()


async def book_mine(s: Associate) -> None:
    """Aoife's clients: a few she took on, the rich shopper among them, one still sending."""
    ctx = s.ctx
    hits = [h.id for h in ctx.cache.search_shoppers("o", limit=40) if h.id != s.shopper_id]
    for shopper_id in [s.shopper_id, *hits[:6]]:
        ctx.commands.assign_client(action="assign", shopper_id=shopper_id, staff_id="A1001")
    for shopper_id in hits[6:11]:
        ctx.commands.assign_client(action="assign", shopper_id=shopper_id, staff_id="A1002")
    ctx.bridge.nudge()
    await until(lambda: ctx.bridge.state.pending == 0, 30, "the assignments sent")
    ctx.commands.assign_client(action="assign", shopper_id=hits[11], staff_id="A1001")
    await _book_view(s)
    await settle(300)


async def book_store(s: Associate) -> None:
    s.window.show_clients("store")
    await until(lambda: not s.page("clients").busy, 30, "the counts")
    await settle(300)


async def book_transfer(s: Associate) -> Any:
    dialog = (await _book_view(s)).open_transfer()
    dialog.choose("A1002", "A1003")
    dialog.ask()
    await settle(300)
    return dialog


async def shopper_assigned(s: Associate) -> None:
    """The profile's header: who looks after the shopper here, and "Change"."""
    s.window.show_shopper(s.shopper_id)
    shopper = s.page("shopper")
    await until(lambda: shopper.assignment.button is not None, 20, "the assignment line")
    shopper.tabs.setCurrentIndex(0)
    await settle(300)


async def attention(s: Associate) -> None:
    """A reservation central turns down: another tablet took the stock meanwhile."""
    ctx = s.ctx
    sku, store_id, available = _stock_in_two_other_stores(ctx.cache)
    # the live feed would bring the other tablet's reservation before this one is made
    # (then the tablet refuses it itself): this tablet learns only at its next timed sync,
    # as in tests/app/test_sync_status.py
    live = ctx.bridge.engine._live_task
    if live is not None:
        live.cancel()
    await exhaust_stock_elsewhere(s.central.url, sku, store_id, available)
    ctx.commands.reserve_item(
        shopper_id=s.shopper_id,
        sku=sku,
        qty=1,
        store_id=store_id,
        notify_by="sms",
    )
    await until(lambda: ctx.bridge.state.attention >= 1, 30, "the rejection")
    s.window.show_outbox()
    await settle(400)


async def offline(s: Associate) -> None:
    """Central goes away; an order waits on the tablet."""
    from PySide6.QtTest import QTest

    ctx = s.ctx
    s.central.stop()
    ctx.bridge.nudge()
    await until(
        lambda: not ctx.bridge.state.online and ctx.bridge.state.offline_since, 30, "offline"
    )
    ctx.commands.place_order(
        shopper_id=s.shopper_id,
        lines=[(s.sku, 1)],
        fulfilment_type="ship_to_store",
        payment_method="pay_at_till",
        fulfilment_store_id=ctx.store_id,
    )
    s.window.show_home()
    search = s.page("home").product_lookup.product_search
    search.clear()
    QTest.keyClicks(search, "merino")  # the product results of home-results again
    await until(lambda: ctx.bridge.state.pending >= 1, 10, "a waiting command")
    await settle(400)


async def offer_dialog(s: Associate) -> Any:
    """A personal offer for the shopper: their cart's items ticked, 15 % (within Aoife's
    20 % as a manager), the note."""
    s.window.show_shopper(s.shopper_id)
    page = s.page("shopper")
    await until(lambda: getattr(page, "profile", None) is not None, 20, "the profile")
    dialog = page.open_offer()
    dialog.percent.set_value(15)
    dialog.note.setText("For the cart left online")
    await settle(300)
    return dialog


async def shopper_offers(s: Associate) -> None:
    """The profile's offers card beside the insight: Aoife's 15 % live (the cart priced with
    it, until its day) and Ciarán's 15 % waiting for a manager."""
    from sync.queueing import Commands
    from sync.records import Actor

    ctx = s.ctx
    page = s.page("shopper")
    profile = page.profile
    skus = [line.product.sku for line in profile.cart][:3] or [s.sku]
    ctx.commands.create_offer(
        shopper_id=s.shopper_id, skus=skus, percent_off=15, days=14, note="For the cart"
    )
    ciaran = Commands(ctx.cache, ctx.device)
    if s.central.running:  # Ciarán signed in on this tablet earlier today
        from tests.support.signed_in import actor

        ciaran.sign_in(actor(ctx.cache, "A1002"))
    else:
        ciaran.sign_in(Actor("A1002", None, "offline"))
    wished = [line.product.sku for line in profile.wishlist][:1] or skus[:1]
    ciaran.create_offer(shopper_id=s.shopper_id, skus=wished, percent_off=15, days=7)
    page.reload()
    page.tabs.setCurrentIndex(0)
    await until(lambda: len(page.offers.offers()) == 2, 20, "the offers card")
    await settle(300)


async def offers_review(s: Associate) -> Any:
    """The offers reviewed: what, until when, and what a manager may do with each."""
    dialog = s.page("shopper").offers.review()
    await settle(300)
    return dialog


SCREENS: list[Screen] = [
    Screen("first-sync", first_sync),
    Screen("signin", signin),
    Screen("signin-wrong-pin", signin_wrong_pin),
    Screen("home", home),
    Screen("home-results", home_results),
    Screen("home-product-no-match", home_no_match),
    Screen("shopper-cart", shopper_tab(0)),
    Screen("shopper-wishlist", shopper_tab(1)),
    Screen("shopper-history", shopper_tab(2)),
    Screen("shopper-reservations", shopper_tab(3)),
    Screen("shopper-notes", shopper_timeline),
    Screen("product-stock", product_stock),
    Screen("product-added", product_added),
    Screen("product-recommended", product_recommended),
    Screen("reserve-dialog", reserve_dialog),
    Screen("order-dialog-qr", order_dialog_qr),
    Screen("queue", queue),
    Screen("task-toast", task_toast),
    Screen("inbox", inbox),
    Screen("task-dialog", task_dialog),
    Screen("inbox-follow-ups", inbox_follow_ups),
    Screen("shopper-follow-ups", shopper_follow_ups),
    Screen("home-follow-ups", home_follow_ups),
    Screen("clients-outreach", clients),
    Screen("clients-empty", clients_empty),
    Screen("clients-show-more", clients_show_more),
    Screen("clients-influenced", clients_influenced),
    Screen("clients-influenced-store", clients_influenced_store),
    Screen("book-mine", book_mine),
    Screen("book-store", book_store),
    Screen("book-transfer", book_transfer),
    Screen("shopper-assigned", shopper_assigned),
    Screen("shopper-insight", shopper_insight),
    Screen("attention", attention),
    Screen("offline", offline),
    Screen("shopper-for-them", shopper_for_them),
    Screen("offer-dialog", offer_dialog),
    Screen("shopper-offers", shopper_offers),
    Screen("offers-review", offers_review),
    Screen("compose-email", compose.compose_email),
    Screen("compose-sms", compose.compose_sms),
    Screen("compose-refused", compose.compose_refused),
    Screen("shopper-messages", compose.shopper_messages),
    Screen("close-of-day-open", close.close_of_day_open),
    Screen("close-of-day-signed", close.close_of_day_signed),
    Screen("order-dialog-points", points.order_dialog_points),
    *signup.ASSOCIATE_SCREENS,
    Screen("shopper-edit", edits.shopper_edit),
    Screen("shopper-edit-errors", edits.shopper_edit_errors),
    Screen("shopper-edit-addresses", edits.shopper_edit_addresses),
    Screen("shopper-edit-overruled", edits.shopper_edit_overruled),
    Screen("order-saved-address", edits.order_saved_address),
    *returns.SCREENS,
    *roles.SCREENS,
    Screen("dashboard", dashboard_screens.dashboard),
    Screen("dashboard-leak", dashboard_screens.dashboard_leak),
]


async def walk(
    central: Any,
    screens: list[Screen] = SCREENS,
    sizes: tuple[tuple[int, int], ...] = SIZES,
    outdir: Path | None = None,
) -> Findings:
    """A new tablet against ``central`` (demo data, running) through ``screens``; the
    layout findings of each screen at each size. Needs a running qasync loop, a themed
    ``QApplication``, isolated folders and a keyring (as ``main`` sets up)."""
    from app.bootstrap import Bootstrap
    from app.main_window import MainWindow
    from app.messages import MessageBus
    from sync.settings import defaults

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
    window.resize(*sizes[0])
    window.show()
    session = Associate(window, Bootstrap(settings, window, messages), central)
    try:
        return await render_screens(session, window, screens, sizes, outdir)
    finally:
        window.banner.hide()
        await session.boot.shutdown()
        window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots.associate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument("--size", help="one window size, WIDTHxHEIGHT (default: all three)")
    args = parser.parse_args(argv)
    sizes = SIZES
    if args.size:
        width, height = (int(v) for v in args.size.lower().split("x"))
        sizes = ((width, height),)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clienteling-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        from central.server import CentralServer

        central = CentralServer(tmp / "central.db", seed="demo").start()
        try:
            findings = run_themed(lambda: walk(central, SCREENS, sizes, outdir))
        finally:
            if central.running:
                central.stop()
    return finish(findings)


if __name__ == "__main__":
    sys.exit(main())
