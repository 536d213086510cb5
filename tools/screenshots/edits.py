"""The associate app's screens for a shopper's record (``tools.screenshots.associate``
walks them after its own): the edit dialog (contact, sizes, brands, dates at the top; its
saved addresses and consent with the words shown per channel further down), problems at
their fields, the profile once central kept a newer change made on the web shop instead
of the tablet's, and the order dialog offering a saved address.

``python -m tools.screenshots.edits OUTDIR`` renders only these (after sign-in).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx

from tools.screenshots.common import click, settle, until


async def _profile(s: Any) -> Any:
    s.window.show_shopper(s.shopper_id)
    page = s.page("shopper")
    await until(lambda: getattr(page, "profile", None) is not None, 20, "the profile")
    return page


async def _edit(s: Any) -> Any:
    page = await _profile(s)
    dialog = page.open_edit()
    await until(lambda: dialog.isVisible(), 10, "the edit dialog")
    return dialog


async def shopper_edit(s: Any) -> Any:
    """The edit dialog on a profile: brands and a birthday filled in."""
    dialog = await _edit(s)
    dialog.brands.setText("Veja, Arc'teryx, Patagonia")
    dialog.birthday.day.setCurrentIndex(dialog.birthday.day.findData(14))
    dialog.birthday.month.setCurrentIndex(dialog.birthday.month.findData(2))
    await settle(300)
    return dialog


async def shopper_edit_errors(s: Any) -> Any:
    """The same dialog after "Save changes" with an email and a waist that are none."""
    dialog = await _edit(s)
    dialog.email.setText("kate@")
    dialog.bottoms.setText("abc")
    click(dialog.confirm_button)
    await settle(300)
    return dialog


async def shopper_edit_addresses(s: Any) -> Any:
    """Further down: an address added (the default), another being typed, and consent per
    channel with its words."""
    dialog = await _edit(s)
    new = dialog.addresses.new
    new["line1"].setText("12 Harbour View")
    new["city"].setText("Howth")
    new["postcode"].setText("D13 X2Y4")
    click(dialog.addresses.add_button)
    new["label"].setText("Work")
    new["line1"].setText("4 Grand Canal Quay")
    dialog.consent["sms"].choice.set_value("yes")
    await settle(200)
    dialog.scroll_area.ensureWidgetVisible(dialog.consent["whatsapp"])
    await settle(300)
    return dialog


def _web_shop_changes_email(s: Any, email: str) -> None:
    """The web shop sends the shopper with a new email (the integration API)."""
    from central.db import open_db
    from central.integration.keys import create_key

    db = open_db(s.central.location)
    try:
        _, key = create_key(db, "webshop-shots")
        with db.transaction() as conn:
            raw = conn.execute(
                "SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", (s.shopper_id,)
            ).fetchone()[0]
    finally:
        db.close()
    data = {k: v for k, v in json.loads(raw).items() if k not in ("version", "updated_at")}
    record = {
        "entity": "shopper",
        "id": s.shopper_id,
        "version": 1,
        "data": {**data, "email": email},
    }
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=s.central.url, headers=headers, trust_env=False) as client:
        client.post("/v1/integration/records", json={"records": [record]}).raise_for_status()


async def shopper_edit_overruled(s: Any) -> None:
    """The profile after the tablet's edit (email and last name) met a newer email change
    from the web shop: the web's email stays, the name applies, and the header says so."""
    dialog = await _edit(s)
    dialog.email.setText("kate.instore@example.com")
    dialog.brands.setText("Veja, Arc'teryx")
    click(dialog.confirm_button)
    _web_shop_changes_email(s, "kate.online@example.com")
    page = s.page("shopper")
    s.ctx.bridge.nudge()
    await until(lambda: page.header.edit_notice.isVisibleTo(page), 60, "the edit notice")
    await settle(300)


async def order_saved_address(s: Any) -> Any:
    """The order dialog delivering home: the saved address chosen, nothing to type."""
    home = {
        "label": "Home",
        "name": "James Johnston",
        "line1": "12 Harbour View",
        "city": "Howth",
        "postcode": "D13 X2Y4",
    }
    s.ctx.commands.update_shopper(shopper_id=s.shopper_id, edits={"addresses": [home]})
    page = await _profile(s)
    sku = s.sku or (page.profile.cart[0].product.sku if page.profile.cart else "")
    if not sku:
        with s.ctx.cache.db.read() as conn:
            sku = conn.execute(
                "SELECT sku FROM inventory WHERE store_id = 'S001' AND available > 0 LIMIT 1"
            ).fetchone()[0]
    dialog = page.open_order([(sku, 1)])
    await until(lambda: dialog.isVisible(), 10, "the order dialog")
    click(dialog.fulfilment.buttons["ship_to_home"])
    await settle(300)
    return dialog


def main(argv: list[str] | None = None) -> int:
    """Render the sign-in screens the walk needs, then these."""
    from tools.screenshots import associate

    edits = [sc for sc in associate.SCREENS if sc.show.__module__ == "tools.screenshots.edits"]
    associate.SCREENS[:] = associate.SCREENS[:4] + edits
    return associate.main(argv)


if __name__ == "__main__":
    sys.exit(main())
