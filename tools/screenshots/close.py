"""The close-of-day screens of the associate walk (``tools.screenshots.associate``), as
Aoife (A1001, manager of S001) sees them at the end of a day.

``close_of_day_open``: the checklist with a rejection still open (another tablet took the
stock a reservation counted on, as in the walk's ``attention`` screen; made here if the
walk left none open), "Sign off the day" disabled with the reason.
``close_of_day_signed``: every rejection dismissed by her, a sync, the day signed off.
"""

from __future__ import annotations

from typing import Any

from tests.support.other_tablet import exhaust_stock_elsewhere
from tools.screenshots.common import click, settle, until


def _stock_here(cache: Any) -> tuple[str, int]:
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = 'S001' AND available "
            "BETWEEN 1 AND 3 ORDER BY sku DESC LIMIT 1"
        ).fetchone()
    return str(row[0]), int(row[1])


async def close_of_day_open(s: Any) -> None:
    ctx = s.ctx
    await until(lambda: ctx.bridge.state.online, 60, "central back online")
    if ctx.cache.attention_count() == 0:
        live = ctx.bridge.engine._live_task  # the next timed sync brings the rejection
        if live is not None:
            live.cancel()
        sku, available = _stock_here(ctx.cache)
        await exhaust_stock_elsewhere(s.central.url, sku, "S001", available)
        ctx.commands.reserve_item(shopper_id=s.shopper_id, sku=sku, qty=1, notify_by="none")
        await until(lambda: ctx.cache.attention_count() >= 1, 30, "the rejection")
    s.window.banner.hide()  # the rejection's banner would cover the page's title
    s.window.show_close_of_day()
    page = s.page("close")
    await until(lambda: not page.sign_button.isEnabled(), 15, "the open checklist")
    await settle(300)


async def close_of_day_signed(s: Any) -> None:
    ctx = s.ctx
    for entry in ctx.cache.outbox(("rejected",)):
        ctx.commands.dismiss(entry.id)
    ctx.bridge.nudge()
    page = s.page("close")

    def ready() -> bool:
        page.refresh()
        return bool(page.sign_button.isEnabled())

    await until(ready, 60, "nothing open")
    click(page.sign_button)
    await until(lambda: "Signed off by" in page.recorded.text(), 15, "the sign-off")
    ctx.bridge.nudge()
    await until(lambda: "waiting" not in page.recorded.text(), 30, "the sign-off sent")
    s.window.banner.hide()
    await settle(300)
