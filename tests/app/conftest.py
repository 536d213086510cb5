"""Fixtures for the app's UI tests (pytest-qt, offscreen, the real central on loopback).

How asyncio runs here
---------------------
The app runs asyncio on Qt's event loop (qasync). pytest-asyncio 1.x has no
``event_loop`` fixture, and an ``async def`` test would run on a plain asyncio loop that
never turns Qt's wheel. So the UI tests are ordinary (sync) pytest-qt tests, and the
``qloop`` fixture makes a ``qasync.QEventLoop(app, already_running=True)``: qasync then
registers it as asyncio's *running* loop at once, and its callbacks are Qt timers and
socket notifiers. Whenever Qt processes events (``qtbot.waitUntil``, ``qtbot.waitSignal``
spin Qt's loop), asyncio work advances: ``app.background.spawn`` tasks, the sync engine,
httpx calls to central. A test therefore drives the UI like a person (``keyClicks``,
``mouseClick``) and waits for the outcome with ``qtbot.waitUntil`` / ``waitSignal``;
it never sleeps and never calls ``loop.run_until_complete`` (that would start a second,
nested Qt loop). At teardown the fixture cancels what is left, lets it finish, and
unregisters the loop.

Fixtures
--------
``synced_template`` (session) a tablet and a kiosk of S001 enrolled once with a copy of
                  the demo central and synced once: the central database that knows
                  them, and each one's cache file, device id and token. Every test of
                  this folder gets a ``central`` on a fresh copy of that database
                  (``central_db_path``).
``synced_cache``  the template tablet's cache as this test's ``sync.paths.cache_path()``,
                  pointed at this test's central, with the device token in the keyring
                  (``synced_kiosk_cache``: the kiosk's).
``qloop``         the qasync loop (running) for one test.
``app_settings``  ``Settings`` for a tablet of S001 provisioned against ``central``.
``first_start_env`` the real cold start (``app.bootstrap.Bootstrap``): enrollment with
                  ``DEMO-2026``, first sync with its progress bar, then the sign-in
                  page. Yields an ``AppEnv`` (window, boot, ctx, central, messages).
``app_env``       the real start-up of an enrolled, synced tablet (``synced_cache``):
                  straight to the sign-in page. An ``AppEnv`` too.
``window``        ``app_env`` signed in as A1001 (PIN 1234), home page on screen.
``page_env``      a ``tests.app.page_env.PageEnv``: an ``AppContext`` over the synced
                  cache, for a page or dialog shown without the main window.

``central_process`` the real central as its own process (``python -m central serve``),
                  for the heartbeat test (an in-process central shares the GIL).

The helpers that drive the UI as a person would (``sign_in``, ``scan``, ``click_row``,
``show_main_window``) are in ``tests/app/driving.py``.

``_qt_garbage_on_the_qt_thread`` is not autouse: the modules that build pages on
``page_env`` ask for it with ``pytestmark = pytest.mark.usefixtures(...)``.

The offscreen platform's "does not support propagateSizeHints()" warning is ignored for
the tests in this folder (``pytest_collection_modifyitems`` below); every other Qt
warning still fails a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from app import background, theme
from central.server import CentralServer
from sync.store import Cache
from tests.app.driving import FIRST_SYNC_TIMEOUT_MS, show_main_window, sign_in, synced_once
from tests.app.page_env import PageEnv
from tests.app.synced import SyncedTemplate, enroll_and_pull, install_synced
from tests.support.central_process import CentralProcess

HERE = Path(__file__).resolve().parent

# The offscreen platform plugin warns each time a top-level window's size constraints
# change (it has no window manager to pass them to). That says nothing about the app, so
# UI tests ignore exactly this message; every other Qt warning still fails a test.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def synced_template(
    central_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> SyncedTemplate:
    """Enroll a tablet and a kiosk of S001 and pull what each may see, once, over HTTP."""
    folder = tmp_path_factory.mktemp("synced-template")
    db = folder / "central.db"
    shutil.copyfile(central_template, db)
    with CentralServer(db, seed="none") as server:
        tablet = enroll_and_pull(server.url, "associate", "test tablet", folder / "tablet.db")
        kiosk = enroll_and_pull(server.url, "kiosk", "test kiosk", folder / "kiosk.db")
    return SyncedTemplate(db, tablet, kiosk)


@pytest.fixture
def central_db_path(synced_template: SyncedTemplate, tmp_path: Path) -> Path:
    """A fresh copy of the demo central that already knows the template's devices."""
    path = tmp_path / "central.db"
    shutil.copyfile(synced_template.central_db, path)
    return path


@pytest.fixture
def synced_cache(synced_template: SyncedTemplate, central: Any, memory_keyring: Any) -> Path:
    """This test's cache: the template tablet's, pointed at this test's central."""
    return install_synced(synced_template.tablet, central.url)


@pytest.fixture
def synced_kiosk_cache(synced_template: SyncedTemplate, central: Any, memory_keyring: Any) -> Path:
    """This test's cache: the template kiosk's, pointed at this test's central."""
    return install_synced(synced_template.kiosk, central.url)


@pytest.fixture
def _qt_garbage_on_the_qt_thread() -> Iterator[None]:
    """Collect a test's widgets on the Qt thread, after qtbot closed them.

    Pages hold reference cycles (slots that are lambdas); left to the garbage collector
    they may be freed later from central's server thread, and Qt warns that timers
    "cannot be stopped from another thread". Used through ``usefixtures`` so it is set
    up before the test's own fixtures (qtbot), and so torn down last.
    """
    yield
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def _themed(qapp: QApplication) -> QApplication:
    """The real theme, so tests see the widgets people see."""
    theme.apply(qapp)
    return qapp


_CLOSED_LOOPS: list[Any] = []


@pytest.fixture
def qloop(qapp: QApplication, qtbot: Any) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            with contextlib.suppress(Exception):
                qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=5000)
        # let callbacks already scheduled (done-callbacks, transport closes) run
        QCoreApplication.processEvents()
        asyncio.events._set_running_loop(None)
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        with contextlib.suppress(RuntimeError, TypeError):
            qapp.aboutToQuit.disconnect(loop._after_run_forever)
        loop.close()
        asyncio.set_event_loop(None)
        # qasync's timer object keeps Qt timers registered after close(); kill them here,
        # on the Qt thread, and keep the loop alive so the garbage collector never frees
        # its QObjects from another thread (central's server thread, say).
        timer = loop._timer
        for timer_id in list(getattr(timer, "_SimpleTimer__callbacks", {})):
            timer.killTimer(timer_id)
        getattr(timer, "_SimpleTimer__callbacks", {}).clear()
        _CLOSED_LOOPS.append(loop)
        gc.collect()


@pytest.fixture
def app_settings(central: Any) -> Any:
    from sync.settings import defaults

    return defaults().replace(
        central_url=central.url,
        store_id="S001",
        mode="associate",
        enrollment_code="DEMO-2026",
        device_name="test tablet",
        sync_interval_s=5,
    )


@dataclass
class AppEnv:
    window: Any
    boot: Any
    messages: Any
    central: Any
    qtbot: Any
    progress: list[tuple[int, int]]
    # the screen the window's root showed at each change of screen and each first-sync
    # progress step, in order, with whether the first sync was done then
    screens: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def ctx(self) -> Any:
        return self.boot.ctx

    @property
    def state(self) -> Any:
        return self.boot.bridge.state

    def page(self, name: str) -> Any:
        return self.window.pages[name]


def _start(qtbot: Any, central: Any, settings: Any) -> Iterator[AppEnv]:
    from app.bootstrap import Bootstrap

    window, messages = show_main_window(qtbot)
    window.activateWindow()
    boot = Bootstrap(settings, window, messages)
    progress: list[tuple[int, int]] = []
    screens: list[tuple[str, bool]] = []

    def shown(*_args: Any) -> None:
        page = window.root.currentWidget()
        synced = boot.cache is not None and boot.cache.initial_sync_done()
        screens.append((type(page).__name__, synced))

    window.startup.progressChanged.connect(lambda done, total: progress.append((done, total)))
    window.startup.progressChanged.connect(shown)
    window.root.currentChanged.connect(shown)
    boot.begin()
    qtbot.waitUntil(
        lambda: window.signin is not None and window.root.currentWidget() is window.signin,
        timeout=FIRST_SYNC_TIMEOUT_MS,
    )
    # as after a first start: central answered, the engine's first round is over
    qtbot.waitUntil(lambda: synced_once(boot), timeout=FIRST_SYNC_TIMEOUT_MS)
    env = AppEnv(
        window=window, boot=boot, messages=messages, central=central, qtbot=qtbot, progress=progress
    )
    env.screens = screens
    try:
        yield env
    finally:
        task = background.spawn(boot.shutdown())
        qtbot.waitUntil(task.done, timeout=10_000)
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()  # free the window's Python cycles here, on the Qt thread


@pytest.fixture
def first_start_env(qtbot: Any, qloop: Any, central: Any, app_settings: Any) -> Iterator[AppEnv]:
    """A new tablet's first start: enroll, first sync with progress, sign-in page."""
    yield from _start(qtbot, central, app_settings)


@pytest.fixture
def app_env(
    qtbot: Any, qloop: Any, central: Any, app_settings: Any, synced_cache: Path
) -> Iterator[AppEnv]:
    """An enrolled, synced tablet starting: the sign-in page."""
    yield from _start(qtbot, central, app_settings)


@pytest.fixture
def page_env(
    qtbot: Any, qloop: Any, central: Any, synced_cache: Path, synced_template: SyncedTemplate
) -> Iterator[PageEnv]:
    from app.context import AppContext
    from app.images import ImageCache
    from app.messages import MessageBus
    from app.sync_bridge import SyncBridge
    from sync.auth import SignIn
    from sync.client import CentralClient
    from sync.engine import SyncEngine
    from sync.queueing import Commands
    from sync.settings import defaults

    cache = Cache(synced_cache)
    device = cache.device()
    assert device is not None
    client = CentralClient(central.url, synced_template.tablet.token)
    engine = SyncEngine(cache, client, 3600)
    bridge = SyncBridge(engine)
    commands = Commands(cache, device)
    bridge.watch(commands)
    settings = defaults().replace(central_url=central.url, store_id="S001", mode="associate")
    # Aoife signs in online, as on the tablet: central opens her session on this device
    signing_in = background.spawn(SignIn(cache, client).sign_in("A1001", "1234"))
    qtbot.waitUntil(signing_in.done, timeout=10_000)
    ctx = AppContext(
        settings=settings,
        cache=cache,
        commands=commands,
        device=device,
        bridge=bridge,
        messages=MessageBus(),
        images=ImageCache(),
        session=signing_in.result(),
    )
    env = PageEnv(ctx=ctx, cache=cache, client=client, engine=engine, central=central, qtbot=qtbot)
    try:
        yield env
    finally:
        bridge.close()
        task = background.spawn(client.close())
        qtbot.waitUntil(task.done, timeout=5000)
        cache.close()


@pytest.fixture
def window(app_env: AppEnv, qtbot: Any) -> Any:
    sign_in(qtbot, app_env.window, "A1001", "1234")
    qtbot.waitUntil(lambda: app_env.window.current_page() == "home", timeout=10_000)
    return app_env.window


@pytest.fixture
def central_process(central_db_path: Path, tmp_path: Path) -> Iterator[str]:
    """The real central as its own process (``python -m central serve``) on a free port.

    For the heartbeat test: an in-process central would share this process's GIL, and
    its own work (serialising a page of 1,000 changes) would show up as stalls of the
    app's event loop that a tablet, talking to a central elsewhere, never has.
    """
    with CentralProcess(central_db_path, tmp_path / "central.log") as central:
        yield central.url
