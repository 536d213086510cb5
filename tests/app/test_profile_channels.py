"""The profile tells the whole story: contacts with the contact centre in the timeline,
where the cart and wishlist came from, and the products viewed online recently. What the
other channels tell reaches central (as the integration API would write it), a real pull
brings it to the tablet, and an open profile shows it without being opened again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app import format as fmt
from app.models.roles import Roles
from central.db import open_db
from central.entities import Entities
from sync.records import SupportContactView
from tests.app.demo_data import shopper_with_cart, shopper_with_wishlist
from tests.app.test_shopper_page import tap

pytestmark = pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread")

SUMMARY = (
    "Phoned to return the Aran shell (M) from order W-100231: fit too small in the "
    "shoulders. Booked a courier collection for Thursday morning; refund to card within "
    "5 days of receipt. Suggested trying the L in store at Grafton Street before reordering. "
    "They also asked whether the navy colour comes back before Christmas: told them the next "
    "delivery is due in about two weeks and noted their size, so an associate can call them."
)


def stamp(**ago: float) -> str:
    return (datetime.now(UTC) - timedelta(**ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def at_central(db_path: Path, entity: str, data: dict[str, Any]) -> None:
    """``data`` written at central, as the retailer's systems send it (a new version, a
    new place in the changes feed of the shopper's stores)."""
    db = open_db(db_path)
    try:
        with db.transaction() as conn:
            Entities(db).put(conn, entity, {"version": 1, "updated_at": stamp(), **data})
    finally:
        db.close()


def contact(sid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"sc-ui-{sid}",
        "shopper_id": sid,
        "channel": "phone",
        "subject": "Return of order W-100231",
        "summary": SUMMARY,
        "agent": "Orla Brennan",
        "status": "open",
        "opened_at": stamp(minutes=20),
        "closed_at": None,
        **extra,
    }


def test_a_support_contact_arriving_in_a_pull_shows_on_the_open_profile(
    page_env: Any, central_db_path: Path
) -> None:
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    page.tabs.setCurrentWidget(page.notes_tab)
    timeline = page.notes_tab.model
    before = page.tabs.tabText(page.NOTES)

    at_central(central_db_path, "support_contact", contact(sid))
    page_env.sync()

    page_env.qtbot.waitUntil(
        lambda: timeline.rowCount() > 0 and timeline.records()[0].id == f"sc-ui-{sid}"
    )
    row = timeline.index(0, 0)
    assert isinstance(row.data(Roles.Record), SupportContactView)
    assert row.data() == "Return of order W-100231"
    meta = row.data(Roles.Note)
    assert "Contact centre" in meta and "Phone" in meta and "Orla Brennan" in meta
    spoken = row.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Phone" in spoken and fmt.support_status("open") in spoken and SUMMARY in spoken
    assert SUMMARY in row.data(Qt.ItemDataRole.ToolTipRole)  # the whole text, on demand
    count = int(before.split("(")[1].rstrip(")"))
    assert page.tabs.tabText(page.NOTES) == f"Timeline ({count + 1})"


def test_a_long_summary_is_cut_until_tapped(page_env: Any, central_db_path: Path) -> None:
    sid = shopper_with_cart(page_env.cache, 1)
    at_central(central_db_path, "support_contact", contact(sid, status="resolved"))
    page_env.sync()
    page = page_env.open_shopper(sid)
    page.tabs.setCurrentWidget(page.notes_tab)
    notes = page.notes_tab
    page_env.qtbot.waitUntil(lambda: notes.view.isVisible())
    row = notes.model.row_of(f"sc-ui-{sid}")
    assert row >= 0
    index = notes.model.index(row, 0)
    cut = notes.view.visualRect(index).height()
    assert cut > 0
    notes.view.scrollTo(index)
    page_env.qtbot.mouseClick(
        notes.view.viewport(), Qt.MouseButton.LeftButton, pos=notes.view.visualRect(index).center()
    )
    page_env.qtbot.waitUntil(lambda: notes.view.visualRect(index).height() > cut)
    page_env.qtbot.mouseClick(
        notes.view.viewport(), Qt.MouseButton.LeftButton, pos=notes.view.visualRect(index).center()
    )
    page_env.qtbot.waitUntil(lambda: notes.view.visualRect(index).height() == cut)
    assert not page.grab().isNull()  # the contact row paints


def test_viewed_online_recently_shows_the_window_and_opens_a_product(
    page_env: Any, central_db_path: Path
) -> None:
    sid = shopper_with_cart(page_env.cache, 1)
    with page_env.cache.db.read() as conn:
        a, b, old = (r[0] for r in conn.execute("SELECT id FROM products ORDER BY id LIMIT 3"))
    page = page_env.open_shopper(sid)
    strip = page.viewed
    for sku, when, channel in ((a, stamp(days=1), "app"), (b, stamp(hours=2), "web")):
        at_central(
            central_db_path,
            "product_view",
            {
                "id": f"pv-ui-{sid}-{sku}",
                "shopper_id": sid,
                "sku": sku,
                "channel": channel,
                "viewed_at": when,
                "views": 2,
            },
        )
    at_central(
        central_db_path,
        "product_view",
        {
            "id": f"pv-ui-{sid}-{old}",
            "shopper_id": sid,
            "sku": old,
            "channel": "web",
            "viewed_at": stamp(days=page_env.ctx.settings.recent_views_days + 1),
            "views": 1,
        },
    )
    page_env.sync()

    page_env.qtbot.waitUntil(
        lambda: strip.isVisible() and [v.product.sku for v in strip.model.records()][:2] == [b, a]
    )
    assert old not in [v.product.sku for v in strip.model.records()]
    first = strip.model.index(0, 0)
    assert first.data(Roles.Note) == "Web · 2 h ago"
    assert first.data(Roles.Product).sku == b and first.data(Roles.Price) is not None
    assert strip.model.records()[0].availability == first.data(Roles.Availability)

    rect = strip.view.visualRect(strip.model.index(1, 0))
    page_env.qtbot.mouseClick(strip.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page_env.navigator.calls[-1] == ("show_product", (a, sid))


def test_cart_and_wishlist_say_where_they_came_from(page_env: Any) -> None:
    sid = shopper_with_cart(page_env.cache, 1)
    page = page_env.open_shopper(sid)
    profile = page.profile
    assert profile.cart_origin is not None
    origin = page.cart_tab.origin
    assert origin.isVisibleTo(page)
    assert origin.text().startswith(fmt.channel(profile.cart_origin.channel) + " · changed ")
    model = page.cart_tab.model
    for row, line in enumerate(profile.cart):
        note = model.index(row, model.column(model.ITEM)).data(Roles.Note)
        if line.by is None:
            assert note == fmt.provenance(line.origin, "added")
            assert note.startswith(("Web · added", "App · added"))

    # the associate changes the cart here: it says so, and who, at once
    plus = model.index(0, model.column(model.QTY))
    tap(page_env.qtbot, page.cart_tab.view, page.cart_tab.stepper_delegate, plus, "plus")
    page_env.qtbot.waitUntil(lambda: origin.text() == "Store · Aoife Byrne · changed just now")

    wid = shopper_with_wishlist(page_env.cache)
    page.load(wid)
    wishlist = page.wishlist_tab.model
    assert wishlist.rowCount() > 0
    for row, item in enumerate(page.profile.wishlist):
        note = wishlist.index(row, wishlist.column(wishlist.ITEM)).data(Roles.Note)
        assert (
            note == f"{fmt.channel(item.origin.channel)} · added {fmt.ago(item.origin.changed_at)}"
        )
