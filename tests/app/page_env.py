"""``PageEnv``: one page or dialog on a real cache against the real central, without the
main window (the ``page_env`` fixture of ``tests/app/conftest.py`` builds it).

``page_env.open_shopper(id)`` / ``page_env.open_product(sku, shopper_id)`` show a page at
1280x720 (closed by qtbot after the test) and load it; ``page_env.sync()`` runs one real
sync (push the outbox, pull the changes) on the qasync loop and waits for it, as the
engine does after a command. ``RecordingNavigator`` stands in for the main window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app import background
from app.context import AppContext
from app.pages.product_page import ProductPage
from app.pages.shopper_page import ShopperPage
from sync.client import CentralClient
from sync.engine import SyncEngine
from sync.store import Cache


class RecordingNavigator:
    """Implements ``app.context.Navigator``: remembers where a page asked to go."""

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

    def show_queue(self, status: str | None = None) -> None:
        self._record("show_queue", *(() if status is None else (status,)))

    def show_outbox(self) -> None:
        self._record("show_outbox")

    def show_inbox(self, section: str | None = None) -> None:
        self._record("show_inbox", *(() if section is None else (section,)))

    def show_clients(self, section: str | None = None) -> None:
        self._record("show_clients", *(() if section is None else (section,)))

    def back(self) -> None:
        self._record("back")

    def show_close_of_day(self) -> None:
        self._record("show_close_of_day")

    def show_dashboard(self) -> None:
        self._record("show_dashboard")


@dataclass
class PageEnv:
    ctx: AppContext
    cache: Cache
    client: CentralClient
    engine: SyncEngine
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

    def open_shopper(self, shopper_id: str, wait_exposed: bool = True) -> ShopperPage:
        """A ``ShopperPage`` on screen, loaded with ``shopper_id``."""
        page = self.show(ShopperPage(self.ctx, self.navigator), wait_exposed)
        page.load(shopper_id)
        return page  # type: ignore[no-any-return]

    def open_product(
        self, sku: str, shopper_id: str | None = None, wait_exposed: bool = True
    ) -> ProductPage:
        """A ``ProductPage`` on screen, loaded with ``sku`` (``""``: the search)."""
        page = self.show(ProductPage(self.ctx, self.navigator), wait_exposed)
        page.load(sku, shopper_id)
        return page  # type: ignore[no-any-return]

    def sync(self, timeout: int = 20_000) -> None:
        """One real sync round (push then pull); the bridge tells the pages."""
        task = background.spawn(self.engine.sync_once())
        self.qtbot.waitUntil(task.done, timeout=timeout)
        error = task.exception()
        if error is not None:
            raise error

    def outbox_count(self) -> int:
        return len(self.cache.outbox(states=("pending", "rejected", "applied")))
