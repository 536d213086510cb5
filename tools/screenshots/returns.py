"""The return screens of the associate walk (``tools.screenshots.associate``): the return
dialog with an order's lines, an exchange with its difference, the profile's history with
a return made offline (pending), and the receipt once central applied it.

``python -m tools.screenshots.returns OUTDIR`` renders only these (after the start-up,
sign-in and Home screens they start from), at the three sizes, with the layout check.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.app.return_data import returnable_order, with_exchange
from tools.screenshots.common import Screen, click, finish, isolate, run_themed, settle, until


async def _history(s: Any, order: Any) -> Any:
    s.window.show_shopper(order.shopper_id)
    page = s.page("shopper")
    await until(lambda: getattr(page, "shopper_id", None) == order.shopper_id, 20, "the profile")
    page.tabs.setCurrentWidget(page.history_tab)
    page.history_tab.select_order(order.id)
    await settle()
    return page


async def _open(s: Any, order: Any) -> Any:
    page = await _history(s, order)
    click(page.history_tab.detail.returns.button)
    await until(lambda: page.dialog is not None and page.dialog.isVisible(), 10, "the dialog")
    return page.dialog


def _choose(dialog: Any, row: Any, qty: int = 1, reason: int = 0, condition: int = 0) -> None:
    for _ in range(qty):
        click(row.qty.plus)
    row.reason.setCurrentIndex(reason)
    row.condition.setCurrentIndex(condition)


async def return_dialog(s: Any) -> Any:
    """An online order of two or more lines, one line coming back (too small, as new)."""
    if not s.central.running:
        s.central.restart()
        s.ctx.bridge.nudge()
        await until(lambda: s.ctx.bridge.state.online, 60, "online again")
    order = returnable_order(s.ctx.cache, min_lines=2, accept=lambda o: o.channel != "store")
    dialog = await _open(s, order)
    _choose(dialog, dialog.rows[0])
    s.window.banner.hide()
    await settle(300)
    return dialog


async def return_exchange(s: Any) -> Any:
    """A swap for another size held here: the options, the way, the difference."""
    order = returnable_order(s.ctx.cache, accept=with_exchange(s.ctx.cache))
    dialog = await _open(s, order)
    _choose(dialog, dialog.rows[0], reason=0, condition=1)
    click(dialog.method.buttons["exchange"])
    option = next(o for o in dialog.exchange.model.records() if o.available_here > 0)
    dialog.exchange.select(option.sku)
    await settle(300)
    dialog.scroll_area.ensureWidgetVisible(dialog.exchange.difference)
    await settle(150)
    return dialog


async def shopper_history_return(s: Any) -> None:
    """A return made while central is away: the order's card says it waits."""
    ctx = s.ctx
    order = returnable_order(ctx.cache, accept=lambda o: o.channel == "web")
    s.central.stop()
    ctx.bridge.nudge()
    await until(lambda: not ctx.bridge.state.online, 30, "offline")
    dialog = await _open(s, order)
    _choose(dialog, dialog.rows[0], reason=1)
    click(dialog.method.buttons["store_credit"])
    click(dialog.confirm_button)
    await until(lambda: dialog.receipt_panel is not None, 10, "the receipt")
    dialog.accept()
    page = await _history(s, order)
    page.reload()
    page.history_tab.select_order(order.id)
    s.window.banner.hide()
    await settle(300)


async def return_receipt(s: Any) -> Any:
    """Back online: the return waiting is applied; another one's receipt, with its number
    and QR code, ready to print or save as a PDF."""
    ctx = s.ctx
    s.central.restart()
    ctx.bridge.nudge()
    await until(lambda: ctx.bridge.state.online and ctx.bridge.state.pending == 0, 60, "synced")
    try:
        order = returnable_order(ctx.cache, accept=lambda o: o.channel == "app")
    except AssertionError:  # no app order in the window: any other
        order = returnable_order(ctx.cache)
    dialog = await _open(s, order)
    _choose(dialog, dialog.rows[0])
    click(dialog.confirm_button)
    ctx.bridge.nudge()
    panel = await until(lambda: dialog.receipt_panel, 10, "the receipt")
    await until(lambda: panel.state() != "pending", 30, "central's answer")
    s.window.banner.hide()
    await settle(300)
    return dialog


SCREENS: list[Screen] = [
    Screen("return-dialog", return_dialog),
    Screen("return-exchange", return_exchange),
    Screen("shopper-history-return", shopper_history_return),
    Screen("return-receipt", return_receipt),
]


def main(argv: list[str] | None = None) -> int:
    from tools.screenshots import associate

    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots.returns", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    start = {"first-sync", "signin", "signin-wrong-pin", "home", "home-results"}
    before = [s for s in associate.SCREENS if s.name in start]
    with tempfile.TemporaryDirectory(prefix="clienteling-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        from central.server import CentralServer

        central = CentralServer(tmp / "central.db", seed="demo").start()
        try:
            findings = run_themed(
                lambda: associate.walk(central, [*before, *SCREENS], outdir=outdir)
            )
        finally:
            if central.running:
                central.stop()
    return finish(findings)


if __name__ == "__main__":
    sys.exit(main())
