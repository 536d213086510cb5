"""The sign-up and duplicate screens (``tools.screenshots.associate`` and ``.kiosk`` walk
them as part of their lists): the search that found nobody offering a new shopper, the
new-shopper dialog with a problem at its field, the new profile pending central, a
possible duplicate compared side by side for a manager; at the kiosk, the sign-up panel,
its problems at the fields, and the session started with the new record.

``python -m tools.screenshots.signup OUTDIR`` renders only these (with the few screens
each walk needs before them: the first sync, the sign-in, the welcome screen).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

from tools.screenshots.common import Screen, click, finish, isolate, run_themed, settle, until

SIGNED_UP = ("Wilhelmina", "Quarrie", "w.quarrie@example.ie")


# -- the tablet ------------------------------------------------------------------------
async def home_nobody_found(s: Any) -> None:
    """A search that found nobody: "Sign up a new shopper" beside the usual hint."""
    s.window.show_home()
    search = s.page("home").shopper_search
    search.search.setText(f"{SIGNED_UP[0]} {SIGNED_UP[1]}")
    await until(lambda: search.lists.currentWidget() is search.no_results, 10, "no results")
    await settle()


async def new_shopper_dialog(s: Any) -> Any:
    """The dialog from that search: the names prefilled, an email that is no email."""
    search = s.page("home").shopper_search
    click(search.new_from_empty)
    from app.dialogs.new_shopper_dialog import NewShopperDialog

    dialog = await until(lambda: search.findChild(NewShopperDialog), 10, "the dialog")
    dialog.email.setText("wilhelmina.quarrie@")
    click(dialog.consent["email"].toggle)
    dialog.submit()
    await settle(300)
    return dialog


async def new_shopper_pending(s: Any) -> None:
    """Signed up with central out of reach: the new profile at once, "loyalty number when
    central confirms" (central is back for the next screen)."""
    search = s.page("home").shopper_search
    search.reset()
    s.central.stop()
    s.ctx.bridge.nudge()
    await until(lambda: not s.ctx.bridge.state.online, 30, "offline")
    entry = s.ctx.commands.create_shopper(
        first_name=SIGNED_UP[0],
        last_name=SIGNED_UP[1],
        email=SIGNED_UP[2],
        phone="087 555 0142",
        consent={"email": True, "sms": False, "whatsapp": False},
        sizes={"shoes": "39", "tops": "M", "bottoms": None},
        important_dates=(),
    )
    s.new_shopper_id = str(entry.args["shopper_id"])
    s.window.show_shopper(s.new_shopper_id)
    page = s.page("shopper")
    await until(lambda: getattr(page, "shopper_id", None) == s.new_shopper_id, 20, "the profile")
    s.window.banner.hide()  # "working offline" was said; the header is what this shows
    await settle(300)


async def duplicate_compare(s: Any) -> Any:
    """The same person signed up again (another spelling): central's task, compared."""
    from app.dialogs.compare_shoppers_dialog import open_compare_dialog

    s.central.start()
    s.ctx.commands.create_shopper(
        first_name="Mina",
        last_name=SIGNED_UP[1],
        email=SIGNED_UP[2],
        phone="",
        consent={"email": True, "sms": False, "whatsapp": False},
        sizes=None,
        important_dates=(),
    )
    s.ctx.bridge.nudge()

    def task() -> Any:
        found = [t for t in s.ctx.cache.tasks("S001") if t.kind == "duplicate_shopper"]
        if not found:
            s.ctx.bridge.nudge()
        return found[0] if found else None

    found = await until(task, 60, "the duplicate task")
    s.window.show_inbox("store")
    await settle(300)
    dialog = open_compare_dialog(s.ctx, s.page("inbox"), found)
    await settle(300)
    return dialog


ASSOCIATE_SCREENS = [
    Screen("home-new-shopper", home_nobody_found),
    Screen("new-shopper-dialog", new_shopper_dialog),
    Screen("shopper-new-pending", new_shopper_pending),
    Screen("inbox-duplicate-compare", duplicate_compare),
]


# -- the kiosk -------------------------------------------------------------------------
async def kiosk_signup(s: Any) -> None:
    """ "New here? Sign up": the panel, part filled in, one channel agreed."""
    # the walk may have shortened the idle wait to show the countdown: the usual wait again
    s.shell.idle.timer.setInterval(s.ctx.settings.kiosk_idle_timeout_s * 1000)
    s.shell.end_session("done")
    click(s.shell.welcome.sign_up)
    panel = s.shell.signup
    panel.edits["first_name"].setText("Oisín")
    panel.edits["last_name"].setText("Nolan")
    panel.edits["phone"].setText("087 111 2233")
    click(panel.consent["sms"].toggle)
    await settle(300)


async def kiosk_signup_errors(s: Any) -> None:
    """Problems at their fields: a name left out and an email that is no email."""
    panel = s.shell.signup
    panel.edits["last_name"].clear()
    panel.edits["email"].setText("oisin@")
    click(panel.submit_button)
    await settle(300)


async def kiosk_signed_up(s: Any) -> None:
    """Signed up: the session starts with the new record, first name only."""
    panel = s.shell.signup
    panel.edits["last_name"].setText("Nolan")
    panel.edits["email"].clear()
    click(panel.submit_button)
    await until(lambda: s.shell.pages.currentWidget() is s.shell.shopper, 10, "the session")
    await settle(300)


KIOSK_SCREENS = [
    Screen("kiosk-signup", kiosk_signup),
    Screen("kiosk-signup-errors", kiosk_signup_errors),
    Screen("kiosk-signed-up", kiosk_signed_up),
]


# -- rendering these alone -------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots.signup", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument("--part", choices=("all", "tablet", "kiosk"), default="all")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    from tools.screenshots import associate, kiosk

    before = {"first-sync", "signin", "signin-wrong-pin", "home"}
    tablet = [sc for sc in associate.SCREENS if sc.name in before] + ASSOCIATE_SCREENS
    with tempfile.TemporaryDirectory(prefix="clienteling-signup-shots-") as folder:
        tmp = Path(folder)
        isolate(tmp)
        from central.server import CentralServer

        central = CentralServer(tmp / "central.db", seed="demo").start()
        try:
            findings = {}
            if args.part in ("all", "tablet"):
                findings = run_themed(lambda: associate.walk(central, tablet, outdir=outdir))
            if args.part == "tablet":
                return finish(findings)
            card = kiosk.demo_card(tmp / "central.db")
            counter = [sc for sc in kiosk.SCREENS if sc.name == "kiosk-welcome"] + KIOSK_SCREENS
            findings.update(
                run_themed(
                    lambda: kiosk.walk(
                        central.url, tmp / "kiosk", counter, outdir=outdir, loyalty_id=card
                    )
                )
            )
        finally:
            if central.running:
                central.stop()
    return finish(findings)


if __name__ == "__main__":
    sys.exit(main())
