"""The loyalty points screens of the associate walk (``tools.screenshots.associate``): the
order dialog with "Use points" switched on (balance, worth, the most usable, the stepper and
the total after points), for a shopper of this store with points to spend.

``python -m tools.screenshots.points OUTDIR`` renders only these (after the few screens of
the walk they start from), which is much quicker than the whole walk.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

from tools.screenshots.common import (
    SIZES,
    Screen,
    click,
    finish,
    isolate,
    run_themed,
    settle,
    until,
)


def points_shopper(cache: Any, at_least: int = 4000) -> str:
    """The S001 shopper with an active cart and the most points (at least ``at_least``)."""
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT c.shopper_id FROM carts c JOIN shoppers s ON s.id = c.shopper_id "
            "WHERE c.status = 'active' AND s.home_store_id = 'S001' AND s.points >= ? "
            "AND json_array_length(json_extract(c.data, '$.lines')) >= 2 "
            "ORDER BY s.points DESC, c.shopper_id LIMIT 1",
            (at_least,),
        ).fetchone()
    assert row is not None, "no shopper with points and a cart"
    return str(row[0])


async def order_dialog_points(s: Any) -> Any:
    """The shopper's cart ordered online, with their points on it (one step below the most)."""
    shopper_id = points_shopper(s.ctx.cache)
    s.window.show_shopper(shopper_id)
    page = s.page("shopper")
    await until(
        lambda: getattr(page, "profile", None) is not None and page.shopper_id == shopper_id,
        20,
        "the points shopper's profile",
    )
    await settle()
    lines = [(line.product.sku, line.qty) for line in page.profile.cart]
    dialog = page.open_order(lines, from_cart=True)
    await settle(150)
    click(dialog.points_panel.use)
    click(dialog.points_panel.minus)
    await settle(150)
    dialog.scroll_area.ensureWidgetVisible(dialog.points_panel, 24, 24)  # a short screen
    await settle(300)
    return dialog


SCREENS = [Screen("order-dialog-points", order_dialog_points)]
"""Appended to the associate walk's list."""


def main(argv: list[str] | None = None) -> int:
    from tools.screenshots import associate

    args = argv if argv is not None else sys.argv[1:]
    outdir = Path(args[0]) if args else Path("/tmp/shots-points")
    outdir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    before = [
        s
        for s in associate.SCREENS
        if s.name in ("first-sync", "signin", "signin-wrong-pin", "home")
    ]
    with tempfile.TemporaryDirectory(prefix="clienteling-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        from central.server import CentralServer

        central = CentralServer(tmp / "central.db", seed="demo").start()
        try:
            findings = run_themed(
                lambda: associate.walk(central, [*before, *SCREENS], SIZES, outdir)
            )
        finally:
            if central.running:
                central.stop()
    return finish(findings)


if __name__ == "__main__":
    sys.exit(main())
