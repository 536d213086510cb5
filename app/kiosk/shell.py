"""The kiosk shell: the one screen a shopper sees, from welcome to "Done".

``KioskShell(ctx)`` stacks the kiosk pages under a slim pine bar (logo, store, a small
sync dot, "Call an associate" on every screen, "Done" once someone is identified:
``app.kiosk.bar.KioskBar``):

* ``WelcomePage``: scan or type the 12-digit loyalty number (a keyboard-wedge scanner's
  digits and Return are taken from anywhere on this screen by ``ScanInput``);
* ``KioskShopperPage``: the shopper's own cart and wishlist, reservations, recent orders;
* ``ReservePanel``: reserve an item for pickup;
* ``CallPanel``: call an associate.

The session (the identified shopper) starts when central answers the scanned number with
a kiosk-shopper session (``Identifier``; offline, the kiosk says it needs the connection
and offers an associate) and ends on "Done", when ``KioskIdleGuard`` finds nobody there,
or when central says it expired; ``end_session`` empties every widget that showed
shopper data and drops every reference to it (``ServedShopper.forget``: the shopper's
projection only ever lived in memory). There is no modal box anywhere: nobody may be
there to dismiss it.

Signals:
    sessionStarted(): a shopper was identified
    sessionEnded(str): "done" or "idle"
    exitRequested(): IT gave the exit code
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app import format as fmt
from app.kiosk import common
from app.kiosk.bar import KioskBar
from app.kiosk.call import CallPanel
from app.kiosk.common import kbutton
from app.kiosk.identify import Identifier, LookupPause
from app.kiosk.idle import KioskIdleGuard, StillThereStrip
from app.kiosk.items import can_reserve
from app.kiosk.lock import CloseGuard, ItExitStrip
from app.kiosk.reserve import ReservationWatch, ReservePanel, pickup_stores
from app.kiosk.scan_input import ScanInput
from app.kiosk.served import ServedShopper
from app.kiosk.shopper_view import KioskShopperPage
from app.kiosk.signup import SignUpPanel
from app.kiosk.welcome import WelcomePage
from app.widgets.banner import Banner
from sync import device as device_mod
from sync import wire
from sync.errors import CacheError, InvalidInput, SyncError
from sync.records import ItemLine, OutboxEntry

if TYPE_CHECKING:
    from app.context import AppContext

T = TypeVar("T")

log = logging.getLogger("clienteling.ui.kiosk")


class KioskShell(QWidget):
    sessionStarted = Signal()
    sessionEnded = Signal(str)
    exitRequested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskShell")
        self._large = False
        self.setStyleSheet(common.stylesheet(self._large))
        self.ctx = ctx
        self.guard: CloseGuard | None = None  # set by app.kiosk.show_kiosk
        self.shopper_id: str | None = None
        self._return_to: QWidget | None = None
        self._last_reserved: tuple[str, str, str] | None = None  # (id, product, store)
        store = _safe(lambda: ctx.cache.store(ctx.store_id))
        self.store_name = store.name if store is not None else ctx.store_id

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.bar = KioskBar(self.store_name)
        self.bar.callRequested.connect(self.open_call)
        self.bar.doneRequested.connect(lambda: self.end_session("done"))
        layout.addWidget(self.bar)
        self.it_strip = ItExitStrip(self._is_it_exit_code)
        self.it_strip.exitConfirmed.connect(self.exitRequested.emit)
        self.bar.secretTapped.connect(self.it_strip.open)
        it_row = QHBoxLayout()
        it_row.setContentsMargins(32, 12, 32, 0)
        it_row.addWidget(self.it_strip)
        layout.addLayout(it_row)

        self.pages = QStackedWidget()
        self.pages.setObjectName("KioskPages")
        self.welcome = WelcomePage(self.store_name)
        self.shopper = KioskShopperPage(ctx.images)
        self.reserve = ReservePanel(ctx)
        self.call = CallPanel(ctx, lambda: self.shopper_id)
        self.signup = SignUpPanel(ctx)
        self._signup_command: str | None = None  # a sign-up here, until its number opens a session
        for page in (self.welcome, self.shopper, self.reserve, self.call, self.signup):
            self.pages.addWidget(page)
        layout.addWidget(self.pages, 1)
        self.banner = Banner()
        self.banner.float_over(self.pages, 16)  # over the pages: it never moves them
        self.still_there = StillThereStrip()
        layout.addWidget(self.still_there)

        self.served = ServedShopper(ctx, self)
        self.served.refreshed.connect(self._on_refreshed)
        self.served.lapsed.connect(lambda: self.end_session("expired"))
        self.identifier = Identifier(ctx, self)
        self.identifier.found.connect(self._on_found)
        self.identifier.notFound.connect(self._on_not_found)
        self.identifier.failed.connect(self._on_failed)
        self.identifier.busyChanged.connect(self.welcome.set_busy)
        self.welcome.submitted.connect(self._identify)
        self.welcome.signUpRequested.connect(self.open_signup)
        self.signup.signedUp.connect(self._on_signed_up)
        self.signup.cancelled.connect(lambda: self.end_session("done"))
        self.shopper.itemTapped.connect(self._on_item)
        self.reserve.reserved.connect(self._on_reserved)
        self.reserve.cancelled.connect(self._show_shopper_page)
        self.call.closed.connect(self._close_call)
        self.watch = ReservationWatch(ctx, self)
        self.watch.rejected.connect(self._on_rejected)

        self.pause = LookupPause(self)
        self.pause.resumed.connect(self._resume_lookups)

        self.idle = KioskIdleGuard(
            ctx.settings.kiosk_idle_timeout_s * 1000, self.session_open, self
        )
        self.idle.countdownStarted.connect(self.still_there.start)
        self.idle.countdownTick.connect(self.still_there.set_left)
        self.idle.countdownCancelled.connect(self.still_there.hide)
        self.idle.expired.connect(lambda: self.end_session("idle"))
        self.still_there.stay.clicked.connect(self.idle.restart)
        self.scan_input = ScanInput(self)

        ctx.messages.posted.connect(self.banner.show_message)
        ctx.bridge.stateChanged.connect(self.bar.set_sync_state)
        ctx.bridge.dataChanged.connect(self._on_data_changed)
        self.bar.set_sync_state(ctx.bridge.state)

    def _is_it_exit_code(self, typed: str) -> bool:
        """The code this kiosk enrolled with, checked against its hash in the keyring."""
        try:
            return device_mod.exit_code_matches(self.ctx.device.device_id, typed)
        except SyncError as exc:  # no keyring: the sentence is logged, the strip says no
            log.warning("kiosk: cannot check the IT exit code: %s", exc.message)
            return False

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        large = common.is_large(self.width(), self.height())
        if large != self._large:  # bigger type and keys on a big screen
            self._large = large
            self.setStyleSheet(common.stylesheet(large))
            self.welcome.card.setMaximumWidth(720 if large else 560)

    # -- installing ----------------------------------------------------------------
    def install(self, app: QObject) -> None:
        """Listen to the whole application: scans reach the welcome screen from anywhere,
        and any input, scans included, resets the idle wait. The idle guard goes in last
        so that Qt asks it first: the scan filter takes the keys it uses, and a filter
        that takes an event hides it from the filters asked after it."""
        app.installEventFilter(self.scan_input)
        app.installEventFilter(self.idle)
        self.idle.restart()

    def uninstall(self, app: QObject) -> None:
        app.removeEventFilter(self.idle)
        app.removeEventFilter(self.scan_input)
        self.idle.stop()

    # -- the session ---------------------------------------------------------------
    def session_open(self) -> bool:
        """Is anything on screen that the next person should not see?"""
        return (
            self.shopper_id is not None
            or bool(self.welcome.digits)
            or self.welcome.notice.isVisible()
            or self.pages.currentWidget() is not self.welcome
        )

    def _identify(self, number: str) -> None:
        if self.lookups_paused:
            self.welcome.clear_number()
            return
        self.identifier.identify(number)

    def _on_found(self, session: wire.KioskSession) -> None:
        self.served.begin(session)
        profile = self.served.profile()
        if profile is None:
            self.served.forget()
            self._on_failed(self.tr("Something went wrong. Please ask an associate."), False)
            return
        self.welcome.reset()
        shopper_id = session.shopper.id
        self.shopper_id = shopper_id
        self.shopper.set_tab(self.shopper.CART)
        self.shopper.show_profile(profile)
        self.pages.setCurrentWidget(self.shopper)
        self.bar.done_button.show()
        self.idle.restart()  # a session ends on idle whatever opened it
        log.info("kiosk: a shopper identified")
        try:
            self.ctx.commands.record_event(
                shopper_id=shopper_id, kind="kiosk_event", text="Identified at kiosk"
            )
        except (InvalidInput, CacheError) as exc:
            log.warning("kiosk event not recorded: %s", type(exc).__name__)
        self.sessionStarted.emit()

    def _on_not_found(self) -> None:
        self.welcome.clear_number()
        if self.pause.missed():
            self.welcome.keypad.setEnabled(False)
            self.welcome.show_error(
                self.tr("We couldn't find that number. Please ask an associate to help you.")
            )
            return
        self.welcome.show_error(
            self.tr("We couldn't find that number. Check it and try again, or ask an associate.")
        )

    @property
    def lookups_paused(self) -> bool:
        return self.pause.paused

    def _resume_lookups(self) -> None:
        self.welcome.keypad.setEnabled(True)
        self.welcome.reset()

    def _on_failed(self, text: str, offline: bool = False) -> None:
        self.welcome.clear_number()
        self.welcome.show_error(text)
        if offline:  # identifying needs central: an associate can help meanwhile
            ask = kbutton(self.tr("Call an associate"), "primary", "user", name="OfflineCallButton")
            ask.clicked.connect(self.open_call)
            self.welcome.notice.show_message("error", text, (ask,))

    def end_session(self, reason: str = "done") -> None:
        """Wipe everything that showed the shopper and go back to the welcome screen."""
        had_shopper = self.shopper_id is not None
        self.identifier.cancel()
        self.watch.clear()
        self.served.forget()
        self.shopper_id = None
        self._return_to = None
        self._last_reserved = None
        self.shopper.clear()
        self.reserve.clear()
        self.call.reset()
        self.signup.clear()
        self._signup_command = None
        self.welcome.reset()
        self.welcome.keypad.setEnabled(not self.lookups_paused)
        self.banner.text.setText("")
        self.banner.hide()
        self.still_there.hide()
        self.bar.done_button.hide()
        self.pages.setCurrentWidget(self.welcome)
        self.idle.restart()  # the guard keeps watching: the next session may begin by a scan
        if had_shopper:
            log.info("kiosk: session ended (%s)", reason)
        self.sessionEnded.emit(reason)

    # -- signing up ------------------------------------------------------------------
    def open_signup(self) -> None:
        self.welcome.reset()
        self.signup.start()
        self.pages.setCurrentWidget(self.signup)
        self.idle.restart()

    def _on_signed_up(self, shopper: wire.KioskShopper, command_id: str) -> None:
        """The new shopper's session starts at once with their pending record."""
        self.served.begin_signed_up(shopper)
        profile = self.served.profile()
        if profile is None:
            self.end_session("done")
            return
        self._signup_command = command_id
        self.shopper_id = shopper.id
        self.shopper.set_tab(self.shopper.CART)
        self.shopper.show_profile(profile)
        self.pages.setCurrentWidget(self.shopper)
        self.bar.done_button.show()
        self.idle.restart()
        self.shopper.notice.show_message(
            "success",
            self.tr(
                "Welcome, {name}! You're signed up; your loyalty number arrives by email or "
                "text once we've confirmed it."
            ).format(name=shopper.first_name),
        )
        self.sessionStarted.emit()

    def _signed_up_accepted(self) -> None:
        """Central accepted the sign-up: its loyalty number opens a real session, so the
        screen follows central's record from now on (online only; offline it waits)."""
        if self._signup_command is None or not self.served.local:
            return
        command_id = self._signup_command
        entry = _safe(lambda: self.ctx.cache.outbox_entry(command_id))
        if entry is None or entry.state != "applied" or not entry.created:
            return
        number = str(entry.created.get("loyalty_id") or "")
        if number:
            self._signup_command = None
            self.identifier.identify(number)

    # -- the shopper's page --------------------------------------------------------
    def _reload(self) -> None:
        if self.shopper_id is None:
            return
        profile = self.served.profile()
        if profile is not None:
            self.shopper.show_profile(profile)

    def _on_data_changed(self) -> None:
        if self.shopper_id is None:
            return
        self._signed_up_accepted()
        self.served.refresh()  # central's answer to what this kiosk did
        self._on_refreshed()

    def _on_refreshed(self) -> None:
        if self.shopper_id is None:
            return
        self._reload()
        self.watch.check()
        self._confirm_reserved()

    def _show_shopper_page(self) -> None:
        self.reserve.clear()
        if self.shopper_id is None:
            self.pages.setCurrentWidget(self.welcome)
            return
        self._reload()
        self.pages.setCurrentWidget(self.shopper)

    def _on_item(self, line: ItemLine) -> None:
        held = self.shopper.model.held.get(line.product.sku)
        if held is not None:  # reserved already: say where, never reserve it twice
            self.shopper.notice.show_message(
                "info",
                self.tr("You've already reserved {name}. {where}.").format(
                    name=line.product.name, where=held[0]
                ),
            )
            return
        self.open_reserve(line)

    def open_reserve(
        self, line: ItemLine, store_id: str | None = None, exclude: str | None = None
    ) -> bool:
        profile = self.shopper.profile
        if profile is None:
            return False
        stores = (
            [s for s in pickup_stores(self.ctx, line.product.sku) if s.store_id != exclude]
            if can_reserve(line)
            else []
        )
        if not stores:
            ask = kbutton(self.tr("Ask an associate"), "primary", "user")
            ask.clicked.connect(self.open_call)
            self.shopper.notice.show_message(
                "info",
                self.tr(
                    "{name} isn't in any of our stores right now. An associate can order it "
                    "for you."
                ).format(name=line.product.name),
                (ask,),
            )
            return False
        self.shopper.notice.clear()
        self.reserve.start(profile, line, stores)
        if store_id:
            self.reserve.choose(store_id)
        self.pages.setCurrentWidget(self.reserve)
        return True

    def _on_reserved(self, entry: OutboxEntry) -> None:
        self.watch.add(entry)
        name = self.reserve.line.product.name if self.reserve.line else ""
        store = self.reserve.chosen_store()
        self._last_reserved = (
            str(entry.args["reservation_id"]),
            name,
            store.store_name if store else "",
        )
        self._show_shopper_page()
        self.shopper.notice.show_message(
            "pending",
            self.tr(
                "Reserved — pending confirmation: {name} at {store}. This takes a moment."
            ).format(name=name, store=self._last_reserved[2]),
        )

    def _confirm_reserved(self) -> None:
        """Once central confirmed the reservation just made, the message says so."""
        if self._last_reserved is None:
            return
        rid, name, store = self._last_reserved
        profile = self.shopper.profile
        held = [r for r in profile.reservations if r.id == rid] if profile else []
        view = held[0] if held else None
        if view is None or view.pending:
            return
        self._last_reserved = None
        if self.shopper.notice.property("kind") == "pending":
            self.shopper.notice.show_message(
                "success",
                self.tr("Reserved: {name} is waiting for you at {store} until {date}.").format(
                    name=name, store=store, date=fmt.short_date(view.hold_until)
                ),
            )

    def _on_rejected(self, sku: str, store_id: str, text: str) -> None:
        if self.shopper_id is None:
            return
        if self.pages.currentWidget() is self.reserve:
            self._show_shopper_page()
        line = (
            next(
                (
                    ln
                    for ln in (self.shopper.profile.cart + self.shopper.profile.wishlist)
                    if ln.product.sku == sku
                ),
                None,
            )
            if self.shopper.profile
            else None
        )
        buttons = []
        others = [s for s in pickup_stores(self.ctx, sku) if s.store_id != store_id]
        if line is not None and others:
            another = kbutton(
                self.tr("Try another store"), "primary", "store", name="TryAnotherStoreButton"
            )
            another.clicked.connect(lambda: self.open_reserve(line, exclude=store_id))
            buttons.append(another)
        ask = kbutton(self.tr("Ask an associate"), "secondary", "user", name="RejectAskButton")
        ask.clicked.connect(self.open_call)
        buttons.append(ask)
        hint = (
            self.tr("You can pick it up from another store instead, or an associate can help.")
            if len(buttons) > 1
            else self.tr("An associate can order it for you.")
        )
        self.shopper.notice.show_message("warning", f"{text} {hint}", tuple(buttons))

    # -- call an associate ---------------------------------------------------------
    def open_call(self) -> None:
        if self.pages.currentWidget() is not self.call:
            self._return_to = self.pages.currentWidget()
        self.call.ask()
        self.pages.setCurrentWidget(self.call)

    def _close_call(self) -> None:
        target = self._return_to
        self._return_to = None
        self.call.reset()
        if target in (self.shopper, self.reserve) and self.shopper_id is not None:
            self.pages.setCurrentWidget(target)
            return
        self.pages.setCurrentWidget(self.welcome)


def _safe(call: Callable[[], T]) -> T | None:
    """``call()`` (a cache read); ``None`` when the cache file fails (logged)."""
    try:
        return call()
    except CacheError:
        log.exception("kiosk: the cache could not be read")
        return None
