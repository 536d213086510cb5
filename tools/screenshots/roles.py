"""The role screens of the associate walk (``tools.screenshots.associate``): what an
associate (Ciarán, A1002) sees where a manager is needed, and a manager's approval on his
tablet.

``roles_offer_ask_manager``: his offer of 15 % (above his 10 %) with "Ask a manager".
``roles_ask_manager_wrong_pin``: the "Ask a manager" dialog over it, a wrong PIN said at
the field.
``roles_close_associate``: the close-of-day checklist as he sees it, "Sign off the day"
greyed with the reason.
``roles_offers_review_manager``: Aoife (manager) signed in again, the offer he left
waiting with Approve and Decline (the walk goes on as her).

``python -m tools.screenshots.roles OUTDIR`` renders only these (with the screens the walk
needs before them).
"""

from __future__ import annotations

import argparse
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

PINS = {"A1001": "1234", "A1002": "2468"}


async def _sign_in(s: Any, staff_id: str) -> None:
    """``staff_id`` signs in online on the walk's tablet (as at the sign-in page)."""
    from sync.auth import SignIn

    session = await SignIn(s.ctx.cache, s.ctx.bridge.engine.client).sign_in(
        staff_id, PINS[staff_id]
    )
    s.window._on_signed_in(session)  # as the sign-in page hands it over: the header too


async def _offer_dialog(s: Any) -> Any:
    """His offer dialog for the walk's shopper, at 15 % (above his 10 %), over Home (the
    profile behind it carries the state of the walk's screens before these)."""
    from app.dialogs.offer_dialog import open_offer_dialog

    s.window.show_home()
    s.offer_shopper = s.shopper_id
    dialog = open_offer_dialog(s.ctx, s.window, shopper_id=s.shopper_id)
    dialog.percent.set_value(15)
    await until(lambda: dialog.ask_manager.isVisible(), 10, "Ask a manager")
    return dialog


async def roles_offer_ask_manager(s: Any) -> Any:
    await until(lambda: s.ctx.bridge.state.online, 60, "central online")
    await _sign_in(s, "A1002")
    s.window.banner.hide()
    dialog = await _offer_dialog(s)
    await settle(300)
    return dialog


async def roles_ask_manager_wrong_pin(s: Any) -> Any:
    offer = await _offer_dialog(s)
    s.offer_dialog = offer
    click(offer.ask_manager)
    asking = await until(lambda: getattr(offer, "asking", None), 10, "the approval dialog")
    asking.staff.setText("A1001")
    asking.pin.setText("0000")
    asking.submit()
    await until(lambda: asking.field_error("pin"), 20, "the wrong-PIN message")
    await settle(300)
    return asking


async def roles_close_associate(s: Any) -> None:
    s.offer_dialog.close()
    # he makes the offer anyway: it waits for a manager (the last screen shows it)
    sku = s.ctx.cache.shopper_profile(s.offer_shopper).cart[0].product.sku
    s.ctx.commands.create_offer(shopper_id=s.offer_shopper, skus=[sku], percent_off=15, days=7)
    s.window.show_close_of_day()
    close = s.page("close")
    close.refresh()
    await until(lambda: not close.sign_button.isEnabled(), 15, "the greyed sign-off")
    await settle(300)


async def roles_offers_review_manager(s: Any) -> Any:
    s.ctx.bridge.nudge()

    def sent() -> bool:
        offers = s.ctx.cache.offers(s.offer_shopper)
        return any(o.status == "pending_approval" and not o.made_here for o in offers)

    await until(sent, 30, "the waiting offer at central")
    await _sign_in(s, "A1001")  # the sign-in shows Home
    from app.pages.shopper.offers_strip import OffersDialog

    dialog = OffersDialog(s.ctx, s.offer_shopper, s.window)
    dialog.open()
    await settle(300)
    return dialog


SCREENS = [
    Screen("roles-offer-ask-manager", roles_offer_ask_manager),
    Screen("roles-ask-manager-wrong-pin", roles_ask_manager_wrong_pin),
    Screen("roles-close-associate", roles_close_associate),
    Screen("roles-offers-review-manager", roles_offers_review_manager),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots.roles", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument("--size", help="one window size, WIDTHxHEIGHT (default: all three)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    from tools.screenshots import associate

    sizes = SIZES
    if args.size:
        width, height = (int(v) for v in args.size.lower().split("x"))
        sizes = ((width, height),)
    before = {"first-sync", "signin", "signin-wrong-pin", "home"}
    screens = [sc for sc in associate.SCREENS if sc.name in before] + SCREENS
    with tempfile.TemporaryDirectory(prefix="clienteling-roles-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        from central.server import CentralServer

        central = CentralServer(tmp / "central.db", seed="demo").start()
        try:
            findings = run_themed(lambda: associate.walk(central, screens, sizes, outdir))
        finally:
            if central.running:
                central.stop()
    return finish(findings)


if __name__ == "__main__":
    sys.exit(main())
