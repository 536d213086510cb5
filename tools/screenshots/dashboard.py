"""The store dashboard's screens of the associate walk (``tools.screenshots.associate``), as
Aoife (A1001, manager of S001) sees them.

``dashboard``: the last 7 days' figures, each tile with its chart, and the chain comparison.
``dashboard_leak``: the list behind a leak tile (the first with rows: abandoned carts,
expired holds, unpaid links, rejected actions), each row with its way forward.
"""

from __future__ import annotations

from typing import Any

from tools.screenshots.common import settle, until

LEAKS = ("abandoned_carts", "expired_holds", "unpaid_links", "rejected")


async def dashboard(s: Any) -> None:
    s.window.banner.hide()
    s.window.show_dashboard()
    page = s.page("dashboard")
    await until(lambda: page.tiles and not page.busy, 30, "the dashboard's figures")
    await until(lambda: not page.chain.busy, 30, "the chain comparison")
    page.figures.verticalScrollBar().setValue(0)
    await settle(300)


async def dashboard_leak(s: Any) -> None:
    page = s.page("dashboard")
    assert page.period is not None and page.now is not None
    cache, store = s.ctx.cache, s.ctx.store_id
    kind = next((k for k in LEAKS if cache.leak_list(k, store, page.period, page.now)), LEAKS[0])
    page.open_leak(kind)
    await until(lambda: page.faces.currentWidget() is page.leak_view, 15, "the leak list")
    await settle(300)
