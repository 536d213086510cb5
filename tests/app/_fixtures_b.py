"""Fixtures for the shopper, product and dialog tests: a real cache against the real central.

``b_env`` gives an ``AppContext`` over a cache that holds the demo store (filled once per
session through the real ``/v1/sync/changes`` feed of a real central, then copied per
test) for a device enrolled with this test's own central (a fresh copy of the demo
data). ``b_env.sync()`` runs one real sync (push the outbox, pull the changes) on the
qasync loop and waits for it, as the engine does after a command.

The fixtures are registered for ``tests/app`` by importing them into
``tests/app/conftest.py``; a test module imports only the plain helpers below
(``shopper_with_cart`` and friends). ``_qt_garbage_on_the_qt_thread`` is not autouse:
the modules that build pages on ``b_env`` ask for it with
``pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")``.

``b_env.open_shopper(id)`` / ``b_env.open_product(sku, shopper_id)`` show a page at
1280x720 (closed by qtbot after the test) and load it.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import background
from sync.apply import apply_page, parse_page
from sync.records import DeviceInfo

TEMPLATE_DEVICE = "template-device"


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


@pytest.fixture(scope="session")
def b_cache_template(central_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache with the whole demo store, pulled once from a real central."""
    from central.server import CentralServer
    from sync.store import Cache
    from tests.support.central_server import auth_headers, enroll

    folder = tmp_path_factory.mktemp("b-cache-template")
    db = folder / "central.db"
    shutil.copyfile(central_template, db)
    path = folder / "cache.sqlite3"
    with CentralServer(db, seed="none") as server:
        device = enroll(server.url)
        cache = Cache(path)
        cache.set_device(DeviceInfo(TEMPLATE_DEVICE, "S001", "associate", server.url, "t"))
        cursor: str | None = None
        with httpx.Client(
            base_url=server.url, trust_env=False, timeout=30, headers=auth_headers(device["token"])
        ) as client:
            while True:
                params = {"limit": 2000} if cursor is None else {"cursor": cursor, "limit": 2000}
                response = client.get("/v1/sync/changes", params=params)
                response.raise_for_status()
                page = parse_page(response.json())
                apply_page(cache.db, page)
                cursor = page.next_cursor
                if not page.has_more:
                    break
        cache.close()
    return path


class RecordingNavigator:
    """Stands in for the main window: remembers where a page asked to go."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def _record(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))

    def show_home(self) -> None:
        self._record("show_home")

    def show_shopper(self, shopper_id: str) -> None:
        self._record("show_shopper", shopper_id)

    def show_product(self, sku: str, shopper_id: str | None = None) -> None:
        self._record("show_product", sku, shopper_id)

    def show_queue(self) -> None:
        self._record("show_queue")

    def show_outbox(self) -> None:
        self._record("show_outbox")

    def back(self) -> None:
        self._record("back")


@dataclass
class StaffStub:
    staff_id: str = "A1001"
    name: str = "Aoife Byrne"
    store_id: str = "S001"
    role: str = "associate"


@dataclass
class BEnv:
    ctx: Any
    cache: Any
    client: Any
    engine: Any
    central: Any
    qtbot: Any
    navigator: RecordingNavigator = field(default_factory=RecordingNavigator)

    def show(self, widget: Any, wait_exposed: bool = True) -> Any:
        """Show ``widget`` at 1280x720 (qtbot closes it after the test)."""
        self.qtbot.addWidget(widget)
        widget.resize(1280, 720)
        widget.show()
        if wait_exposed:
            self.qtbot.waitExposed(widget)
        return widget

    def open_shopper(self, shopper_id: str, wait_exposed: bool = True) -> Any:
        """A ``ShopperPage`` on screen, loaded with ``shopper_id``."""
        from app.pages.shopper_page import ShopperPage

        page = self.show(ShopperPage(self.ctx, self.navigator), wait_exposed)
        page.load(shopper_id)
        return page

    def open_product(
        self, sku: str, shopper_id: str | None = None, wait_exposed: bool = True
    ) -> Any:
        """A ``ProductPage`` on screen, loaded with ``sku`` (``""``: the search)."""
        from app.pages.product_page import ProductPage

        page = self.show(ProductPage(self.ctx, self.navigator), wait_exposed)
        page.load(sku, shopper_id)
        return page

    def sync(self, timeout: int = 20_000) -> None:
        """One real sync round (push then pull) and the pages hear about it."""
        task = background.spawn(self._sync_once())
        self.qtbot.waitUntil(task.done, timeout=timeout)
        if task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
        self.ctx.bridge.local_change()

    async def _sync_once(self) -> None:
        if self.engine is not None:
            await self.engine.sync_once()
            return
        # Until sync.engine exists: the same push/pull with sync.outbox and the client.
        from sync import outbox

        batch = outbox.pending_batch(self.cache)
        if batch:
            outbox.mark_sent(self.cache, batch)
            answer = await self.client.push_commands(batch)
            outbox.record_results(self.cache, batch, answer)
        mark = outbox.settle_mark(self.cache)
        cursor = self.cache.cursor()
        while True:
            page = await self.client.changes(cursor, 1000)
            apply_page(self.cache.db, page)
            cursor = page.next_cursor
            if not page.has_more:
                break
        outbox.settle(self.cache, mark)

    def outbox_count(self) -> int:
        return len(self.cache.outbox(states=("pending", "rejected", "applied")))


@pytest.fixture
def b_env(
    qtbot: Any,
    qloop: Any,
    central: Any,
    enrolled_device: dict[str, Any],
    b_cache_template: Path,
    tmp_path: Path,
) -> Iterator[BEnv]:
    from app.context import AppContext
    from app.images import ImageCache
    from app.messages import MessageBus
    from app.sync_bridge import SyncBridge
    from sync.client import CentralClient
    from sync.queueing import Commands
    from sync.settings import defaults
    from sync.store import Cache

    path = tmp_path / "cache.sqlite3"
    shutil.copyfile(b_cache_template, path)
    path.chmod(0o600)
    cache = Cache(path)
    device = DeviceInfo(
        enrolled_device["device_id"], "S001", "associate", central.url, "test tablet"
    )
    cache.set_device(device)
    client = CentralClient(central.url, enrolled_device["token"])
    engine = None
    try:
        from sync.engine import SyncEngine
    except ImportError:
        SyncEngine = None  # noqa: N806
    if SyncEngine is not None:
        engine = SyncEngine(cache, client, 3600)
    bridge = SyncBridge(engine)
    settings = defaults().replace(central_url=central.url, store_id="S001", mode="associate")
    ctx = AppContext(
        settings=settings,
        cache=cache,
        commands=Commands(cache, device),
        device=device,
        bridge=bridge,
        messages=MessageBus(),
        images=ImageCache(),
        session=StaffStub(),
    )  # type: ignore[arg-type]
    env = BEnv(ctx=ctx, cache=cache, client=client, engine=engine, central=central, qtbot=qtbot)
    try:
        yield env
    finally:
        bridge.close()
        task = background.spawn(client.close())
        qtbot.waitUntil(task.done, timeout=5000)
        cache.close()


# -- finding demo data a test needs (tests may read the cache file; widgets never do) ----


def one(cache: Any, sql: str, *params: Any) -> Any:
    with cache.db.read() as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None, f"the demo data has nothing for: {sql}"
    return row[0]


def shopper_with_cart(cache: Any, min_lines: int = 2) -> str:
    """An S001 shopper whose active cart has at least ``min_lines`` lines."""
    return one(
        cache,
        """
        SELECT c.shopper_id FROM carts c JOIN shoppers s ON s.id = c.shopper_id
        WHERE c.status = 'active' AND json_array_length(json_extract(c.data, '$.lines')) >= ?
          AND s.home_store_id = 'S001'
        ORDER BY c.shopper_id LIMIT 1""",
        min_lines,
    )


def shopper_with_wishlist(cache: Any) -> str:
    return one(
        cache,
        """
        SELECT w.shopper_id FROM wishlist_items w JOIN shoppers s ON s.id = w.shopper_id
        WHERE s.home_store_id = 'S001' ORDER BY w.shopper_id LIMIT 1""",
    )


def sku_out_here_in_stock_elsewhere(cache: Any) -> str:
    """A SKU (of a style with several sizes) with none at S001 and 2+ at S002 or S003."""
    return one(
        cache,
        """
        SELECT h.sku FROM inventory h JOIN inventory o ON o.sku = h.sku
        JOIN products p ON p.id = h.sku
        WHERE h.store_id = 'S001' AND h.available = 0
          AND o.store_id IN ('S002', 'S003') AND o.available >= 2
          AND (SELECT count(*) FROM products q
               WHERE q.style_id = p.style_id AND q.colour = p.colour) >= 3
        ORDER BY h.sku LIMIT 1""",
    )
