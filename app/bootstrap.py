"""From a cold start to the sign-in page, without ever blocking the window.

``Bootstrap(settings, window, messages)``; ``begin()`` schedules ``start()`` on the loop:

1. not provisioned (no central URL / store): say so, with what IT has to do;
2. open the cache (``sync.store.Cache``); a known failure becomes a sentence;
3. first start: enroll with central (``sync.device.enroll``) using the enrollment code;
   once enrolled, the code is removed from the provisioning file
   (``sync.enrollment_code.forget``) and from the settings in memory;
4. start the sync engine; on a new device wait for the first sync with a progress bar;
5. kiosk mode: the kiosk shell (``app.kiosk.show_kiosk``); associate mode: build
   ``AppContext`` and the sign-in.

Any problem shows on the start-up face with "Try again"; nothing is modal.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from app.background import spawn
from app.context import AppContext
from app.crash import UnexpectedError
from app.images import ImageCache
from app.sync_bridge import SyncBridge

# Imported here, not when first needed: the start-up runs with the event loop already
# turning, and a first import (httpx, pydantic models) is a long, unbroken piece of work.
# app.gui imports this module only after the first window is painted, and imports the
# heavy sync modules below on a worker thread just before (app.gui._AFTER_THE_FIRST_WINDOW).
from sync import device as device_mod
from sync import enrollment_code, paths
from sync.auth import SignIn
from sync.client import CentralClient
from sync.engine import SyncEngine
from sync.errors import InvalidInput, Offline, SyncError
from sync.live import LIVE_WAIT_S
from sync.queueing import Commands
from sync.records import DeviceInfo, SyncState
from sync.store import Cache

if TYPE_CHECKING:
    from app.main_window import MainWindow
    from app.messages import MessageBus
    from sync.settings import Settings

log = logging.getLogger("clienteling.ui")

# Changes per page of the first sync. Validating a page (pydantic) holds the GIL for its
# whole length even in a worker thread, so smaller pages keep the UI thread's turns short
# (1,000 per page stalled the event loop ~130 ms; 250 keeps it well under 100 ms).
PAGE_LIMIT = 250


def _tr(text: str) -> str:
    return QCoreApplication.translate("Bootstrap", text)


class Bootstrap(QObject):
    def __init__(self, settings: Settings, window: MainWindow, messages: MessageBus) -> None:
        super().__init__(window)
        self.settings = settings
        self.window = window
        self.messages = messages
        self.cache: Cache | None = None
        self.client: CentralClient | None = None
        self.engine: SyncEngine | None = None
        self.bridge: SyncBridge | None = None
        self.ctx: AppContext | None = None
        self.task: asyncio.Task[AppContext | None] | None = None
        window.startup.retryRequested.connect(self.begin)

    def begin(self) -> None:
        if self.task is not None and not self.task.done():
            return
        self.task = spawn(self.start(), failure=self._failed)

    def _failed(self, exc: SyncError) -> None:
        log.error("start-up failed: %s", type(exc).__name__)
        message = exc.message
        if isinstance(exc, UnexpectedError):  # a bug, logged by the crash handler
            message = _tr(
                "Something unexpected stopped the app from starting. Try again, or ask IT to "
                "look at the log."
            )
        self.window.startup.show_problem(_tr("The app couldn't start"), message)

    # -- the steps ---------------------------------------------------------------------------
    async def start(self) -> AppContext | None:
        startup = self.window.show_startup()
        settings = self.settings
        if not settings.provisioned:
            startup.show_problem(
                _tr("This tablet isn't set up yet"),
                _tr(
                    "IT needs to give it the central address and its store: "
                    "clienteling provision --central URL --store ID --enrollment-code CODE."
                ),
                can_retry=False,
            )
            return None
        startup.set_status(_tr("Starting…"), _tr("Opening this tablet's data."))
        if self.cache is None:
            # opening (and on a new tablet, creating) the file runs the migrations: off
            # the UI thread (the connections are made for use from any thread)
            self.cache = await asyncio.to_thread(Cache, paths.cache_path())
        cache = self.cache
        device = cache.device()
        if device is None:
            startup.set_status(
                _tr("Setting up this tablet"),
                _tr("Enrolling with central for {store}…").format(store=settings.store_id),
            )
            try:
                device = await self._enroll()
            except Offline:
                startup.show_problem(
                    _tr("Central can't be reached"),
                    _tr(
                        "This tablet needs central once, to enroll and download the store's "
                        "data. Check the network, then try again."
                    ),
                )
                return None
            except InvalidInput as exc:
                field = next(iter(exc.errors), "")
                detail = (
                    _tr("Setting {name} in {file}").format(
                        name=field, file=settings.source or _tr("the settings")
                    )
                    if field
                    else ""
                )
                startup.show_problem(
                    _tr("This tablet couldn't be enrolled"), exc.message, detail=detail
                )
                return None
            except SyncError as exc:
                startup.show_problem(_tr("This tablet couldn't be enrolled"), exc.message)
                return None
        if settings.enrollment_code:
            await asyncio.to_thread(self._forget_code, device)
            settings = self.settings
        await self._make_engine(device)
        ctx = self._context(device)
        kiosk = device.mode == "kiosk" or settings.mode == "kiosk"
        if not kiosk and self.window.ctx is None:
            assert self.client is not None
            signin = SignIn(cache, self.client, offline_signin_days=settings.offline_signin_days)
            self.window.attach(ctx, signin.sign_in)
        assert self.engine is not None
        await self.engine.start()
        self.engine.nudge()
        if not self._initial_sync_done():
            startup.set_status(
                _tr("Getting the store ready"),
                _tr(
                    "Downloading shoppers, products and stock for this store. This happens "
                    "once; it takes a minute."
                ),
            )
            startup.set_progress(0, 0)
            done = await self._wait_first_sync()
            if not done:
                startup.show_problem(
                    _tr("The first sync didn't finish"),
                    (self.bridge.state.last_error if self.bridge else None)
                    or _tr("Central can't be reached. Check the network, then try again."),
                )
                return None
            startup.hide_progress()
        if kiosk:  # the kiosk shell (app/kiosk) instead of the associate sign-in
            from app.kiosk import show_kiosk

            show_kiosk(self.window, ctx)
            log.info("page shown: kiosk")
            return ctx
        self.window.show_signin()
        return ctx

    async def _enroll(self) -> DeviceInfo:
        settings = self.settings
        assert self.cache is not None
        client = await new_client(settings.central_url)
        try:
            return await device_mod.enroll(
                self.cache,
                client,
                settings.enrollment_code,
                settings.store_id,
                settings.mode,
                settings.device_name,
            )
        finally:
            await _close(client)

    def _forget_code(self, device: DeviceInfo) -> None:
        """The device is enrolled: the code must not stay readable on it. Its hash stays in
        the keyring for the kiosk's IT exit (a device enrolled by an older version gets
        it from the code still in its file), and the file loses the code."""
        code = self.settings.enrollment_code
        if not device_mod.has_exit_verifier(device.device_id):
            device_mod.keep_exit_verifier(device.device_id, code)
        enrollment_code.forget(self.settings.source)
        self.settings = self.settings.replace(enrollment_code="")

    async def _make_engine(self, device: DeviceInfo) -> None:
        if self.engine is not None:
            return
        assert self.cache is not None
        token = device_mod.token(self.cache)  # NotEnrolled when the keyring lost it
        self.client = await new_client(self.settings.central_url or device.central_url, token)
        self.engine = SyncEngine(
            self.cache,
            self.client,
            self.settings.sync_interval_s,
            page_limit=PAGE_LIMIT,
            purge_days=self.settings.purge_days,
            snapshots=True,
            live_wait_s=LIVE_WAIT_S,  # changes land while idle (sync.live)
        )
        self.bridge = SyncBridge(self.engine, self)

    def _initial_sync_done(self) -> bool:
        assert self.bridge is not None and self.cache is not None
        return bool(self.bridge.state.initial_sync_done or self.cache.initial_sync_done())

    async def _wait_first_sync(self) -> bool:
        """Show progress until the first sync is done; False when it stopped (offline)."""
        assert self.bridge is not None and self.engine is not None
        engine = self.engine
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[bool] = loop.create_future()
        startup = self.window.startup
        cache = self.cache
        assert cache is not None

        def on_state(state: SyncState) -> None:
            if state.syncing:
                startup.set_progress(state.progress_done, state.progress_total)
            if outcome.done():
                return
            if state.initial_sync_done:
                outcome.set_result(True)
            elif not state.syncing and state.last_error and not state.online:
                outcome.set_result(False)
            elif not state.syncing and state.last_error and device_mod.revoked_at(cache):
                outcome.set_result(False)  # IT revoked the device: the engine stopped

        self.bridge.stateChanged.connect(on_state)
        try:
            on_state(self.bridge.state)
            engine.nudge()
            return await outcome
        finally:
            self.bridge.stateChanged.disconnect(on_state)

    def _context(self, device: DeviceInfo) -> AppContext:
        if self.ctx is not None:
            return self.ctx
        assert self.bridge is not None and self.cache is not None
        commands = Commands(self.cache, device)
        # whoever queues a command (a page, a dialog, the kiosk), the bridge hears of it:
        # the engine syncs soon and every page reloads
        self.bridge.watch(commands)
        self.ctx = AppContext(
            settings=self.settings,
            cache=self.cache,
            commands=commands,
            device=device,
            bridge=self.bridge,
            messages=self.messages,
            images=ImageCache(),
        )
        return self.ctx

    async def shutdown(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        if self.bridge is not None:
            self.bridge.close()
        if self.engine is not None:
            try:
                await self.engine.stop()
            except Exception:  # closing down: log it and close the rest
                log.exception("sync engine did not stop cleanly")
        if self.client is not None:
            await _close(self.client)
            self.client = None
        if self.cache is not None:
            self.cache.close()
            self.cache = None


async def _close(client: CentralClient) -> None:
    try:
        await client.close()
    except Exception:  # closing down: a connection pool is closed on a best-effort basis
        log.exception("closing the central client failed")


async def new_client(url: str, token: str | None = None) -> CentralClient:
    """A central client made on a worker thread: making one loads the CA bundle for TLS
    (tens of milliseconds of work that would otherwise hold the event loop)."""
    return await asyncio.to_thread(CentralClient, url, token=token)
