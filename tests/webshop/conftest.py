"""The web shop against the real central, in Debian's chromium driven by Playwright.

* ``chromium`` (session): one headless browser for the whole session, launched from
  ``/usr/bin/chromium`` (``make setup`` installs it with apt; Playwright never downloads
  a browser here) with the flags ENVIRONMENT.md measured for offline use;
* ``shop_template`` (session): the shop's database seeded once, copied for each test;
* ``shop``: the storefront on 127.0.0.1 port 0, linked to the test's central with an
  integration key an operator created for it; stopped by the test;
* ``page``: a fresh browser context (no cookies) and page on it;
* ``channels``: the shop and an enrolled S001 tablet (:class:`Channels`): the tablet's
  cache after a full sync, and its next sync, each run in a thread of its own
  (Playwright's sync API holds this thread's event loop).
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from central.db import open_db
from central.integration.keys import create_key
from central.server import CentralServer
from sync.store import Cache
from tests.sync.live import close, engine, synced_cache
from tools.webshop.server import ShopServer
from tools.webshop.shopdb import ShopDB

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
T = TypeVar("T")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run 'make setup'"
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def shop_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shop-template") / "webshop.db"
    db = ShopDB(path)
    db.seed_if_empty()
    db.close()
    return path


@pytest.fixture
def shop(central: CentralServer, shop_template: Path, tmp_path: Path) -> Iterator[ShopServer]:
    db = open_db(central.location)
    try:
        _, key = create_key(db, "webshop")
    finally:
        db.close()
    path = tmp_path / "webshop.db"
    shutil.copyfile(shop_template, path)
    server = ShopServer(path, central.url, key).start()
    yield server
    server.stop()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def in_thread(work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work()`` to its end on an event loop in another thread."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = asyncio.run(work())  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in out:
        raise out["error"]
    return out["value"]  # type: ignore[no-any-return]


def tablet_cache(central_url: str, device: dict[str, Any], path: Path) -> Cache:
    """The S001 tablet's cache after a full sync with central (the caller closes its db)."""
    return in_thread(lambda: synced_cache(central_url, device, path))


def tablet_sync(cache: Cache, central_url: str, device: dict[str, Any]) -> None:
    """One sync of the tablet: its queued commands go to central, new changes come back."""

    async def once() -> None:
        eng = engine(cache, central_url, device["token"])
        try:
            await eng.sync_once()
        finally:
            await close(eng)

    in_thread(once)


def sign_in(page: Page, shop: ShopServer) -> str:
    """Sign in as the first demo shopper offered (home store S001); returns their id."""
    page.goto(shop.url + "/sign-in")
    button = page.locator("button[data-shopper]").first
    shopper_id = button.get_attribute("data-shopper")
    assert shopper_id
    button.click()
    page.wait_for_url(shop.url + "/")
    return shopper_id


@dataclass
class Channels:
    """The web shop and an enrolled S001 tablet of the same central."""

    shop: ShopServer
    central_url: str
    device: dict[str, Any]
    folder: Path

    @contextmanager
    def tablet(self, name: str) -> Iterator[Cache]:
        """The tablet's cache after a full sync (a new file each time), closed after."""
        cache = tablet_cache(self.central_url, self.device, self.folder / name)
        try:
            yield cache
        finally:
            cache.db.close()

    def sync(self, cache: Cache) -> None:
        tablet_sync(cache, self.central_url, self.device)


@pytest.fixture
def channels(
    shop: ShopServer, central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> Channels:
    return Channels(shop, central.url, enrolled_device, tmp_path)
