"""What the other channels add to a profile (``sync.read.profile_channels``): support
contacts merged into the timeline by time, products viewed online within the window, and
where carts, cart lines and wishlist items came from and when they changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from central.db import open_db
from central.entities import Entities
from central.server import CentralServer
from sync import wire
from sync.apply import apply_page
from sync.queueing import Commands
from sync.records import AuthorView, NoteView, Provenance, SupportContactView
from sync.settings import BY_NAME, RECENT_VIEWS_DAYS, defaults
from sync.store import Cache
from tests.sync.helpers import change, page
from tests.sync.live import DeviceEngine
from tests.sync.test_commands import AOIFE
from tests.sync.test_engine import outside_the_book

NOW = "2026-11-22T12:00:00Z"


def ago(**delta: float) -> str:
    return (wire.parse_ts(NOW) - timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pinned(cache: Cache) -> Cache:
    cache.now = lambda: NOW  # type: ignore[method-assign]
    return cache


def bare_shopper(cache: Cache) -> str:
    """A shopper with nothing from the other channels, so a test sets all of it."""
    with cache.db.write() as conn:
        sid = str(
            conn.execute(
                "SELECT s.id FROM shoppers s JOIN carts c ON c.shopper_id = s.id "
                "WHERE c.status = 'active' AND json_array_length(c.data, '$.lines') > 0 "
                "ORDER BY s.id LIMIT 1"
            ).fetchone()[0]
        )
        conn.execute("DELETE FROM support_contacts WHERE shopper_id = ?", (sid,))
        conn.execute("DELETE FROM product_views WHERE shopper_id = ?", (sid,))
        conn.execute("DELETE FROM notes WHERE shopper_id = ?", (sid,))
    return sid


def contact(sid: str, n: int, opened: str, **extra: object) -> dict[str, object]:
    return {
        "id": f"sc-t{n}",
        "version": 1,
        "updated_at": opened,
        "shopper_id": sid,
        "channel": "chat",
        "subject": f"Subject {n}",
        "summary": f"Summary {n}",
        "agent": "Orla Brennan",
        "status": "resolved",
        "opened_at": opened,
        "closed_at": None,
        **extra,
    }


def note(sid: str, n: int, created: str) -> dict[str, object]:
    return {
        "id": f"note-t{n}",
        "version": 1,
        "updated_at": created,
        "shopper_id": sid,
        "kind": "note",
        "text": f"Note {n}",
        "author_staff_id": "A1001",
        "author_name": "Aoife Byrne",
        "store_id": "S001",
        "created_at": created,
    }


def view(sid: str, sku: str, viewed: str, channel: str = "web") -> dict[str, object]:
    return {
        "id": f"pv-{sid}-{sku}",
        "version": 1,
        "updated_at": viewed,
        "shopper_id": sid,
        "sku": sku,
        "channel": channel,
        "viewed_at": viewed,
        "views": 3,
    }


def skus(cache: Cache, n: int) -> list[str]:
    with cache.db.read() as conn:
        return [r[0] for r in conn.execute("SELECT id FROM products ORDER BY id LIMIT ?", (n,))]


def test_support_contacts_merge_into_the_timeline_by_time(cache: Cache) -> None:
    sid = bare_shopper(cache)
    apply_page(
        cache.db,
        page(
            [
                change(1, "note", note(sid, 1, ago(days=10))),
                change(2, "support_contact", contact(sid, 1, ago(days=5), channel="phone")),
                change(3, "note", note(sid, 2, ago(days=2))),
                change(
                    4,
                    "support_contact",
                    contact(sid, 2, ago(hours=3), status="open", agent=None, channel="email"),
                ),
                change(5, "support_contact", contact(sid, 3, ago(days=40), status="closed")),
            ]
        ),
    )
    profile = pinned(cache).shopper_profile(sid)
    assert profile is not None
    order = [e.id for e in profile.timeline]
    assert order == ["sc-t2", "note-t2", "sc-t1", "note-t1", "sc-t3"]
    assert [n.id for n in profile.notes] == ["note-t2", "note-t1"]  # notes alone, as before
    newest = profile.timeline[0]
    assert isinstance(newest, SupportContactView)
    assert (newest.channel, newest.subject, newest.summary, newest.status, newest.agent) == (
        "email",
        "Subject 2",
        "Summary 2",
        "open",
        None,
    )
    assert isinstance(profile.timeline[1], NoteView)
    assert profile.support[1].agent == "Orla Brennan" and profile.support[1].channel == "phone"


def test_a_note_written_here_goes_to_the_top_of_the_timeline(
    cache: Cache, commands: Commands
) -> None:
    sid = bare_shopper(cache)
    apply_page(cache.db, page([change(1, "support_contact", contact(sid, 1, ago(minutes=5)))]))
    commands.sign_in(AOIFE)
    commands.add_note(shopper_id=sid, text="Called back about the chat.")
    profile = cache.shopper_profile(sid)  # the real clock: the note is newer than the chat
    assert profile is not None
    first, second = profile.timeline
    assert isinstance(first, NoteView) and first.pending and second.id == "sc-t1"


def test_viewed_online_recently_is_the_window_newest_first(cache: Cache) -> None:
    sid = bare_shopper(cache)
    a, b, c, d = skus(cache, 4)
    apply_page(
        cache.db,
        page(
            [
                change(1, "product_view", view(sid, a, ago(days=13), "app")),
                change(2, "product_view", view(sid, b, ago(hours=2))),
                change(3, "product_view", view(sid, c, ago(days=15))),
                change(4, "product_view", view(sid, "NOT-IN-CATALOG", ago(hours=1))),
                change(5, "product_view", view(sid, d, ago(days=1, hours=2))),
            ]
        ),
    )
    pinned(cache)
    default = BY_NAME[RECENT_VIEWS_DAYS].default
    assert default == defaults().recent_views_days == 14
    profile = cache.shopper_profile(sid)
    assert profile is not None
    assert [v.product.sku for v in profile.viewed] == [b, d, a]
    first = profile.viewed[0]
    assert first.channel == "web" and first.viewed_at == ago(hours=2) and first.views == 3
    assert first.price.list_cents == first.product.price_cents
    assert first.availability.online >= 0
    assert profile.viewed[2].channel == "app"
    wider = cache.shopper_profile(sid, recent_days=30)
    assert wider is not None and [v.product.sku for v in wider.viewed] == [b, d, a, c]
    narrow = cache.shopper_profile(sid, recent_days=1)
    assert narrow is not None and [v.product.sku for v in narrow.viewed] == [b]


def test_carts_lines_and_wishlist_items_say_where_they_came_from(
    cache: Cache, commands: Commands
) -> None:
    sid = bare_shopper(cache)
    with cache.db.read() as conn:
        cart = wire.Cart.model_validate_json(
            conn.execute("SELECT data FROM carts WHERE shopper_id = ?", (sid,)).fetchone()[0]
        )
    first, *_ = cart.lines
    x, y = [s for s in skus(cache, 40) if s not in {ln.sku for ln in cart.lines}][:2]
    store_line = {
        "sku": x,
        "qty": 1,
        "price_cents": 1000,
        "added_at": ago(hours=4),
        "changed_by": {"staff_id": "A1003", "name": "Niamh Kavanagh", "signed_in": "online"},
    }
    data = cart.model_dump(mode="json") | {
        "version": cart.version + 1,
        "updated_at": ago(hours=3),
        "channel": "app",
        "lines": [*[ln.model_dump(mode="json") for ln in cart.lines], store_line],
    }
    wish = {
        "id": f"wl-{sid}-t",
        "version": 1,
        "updated_at": ago(days=2),
        "shopper_id": sid,
        "sku": y,
        "channel": "store",
        "added_at": ago(days=2),
    }
    apply_page(cache.db, page([change(1, "cart", data), change(2, "wishlist_item", wish)]))
    profile = pinned(cache).shopper_profile(sid)
    assert profile is not None
    assert profile.cart_origin == Provenance("app", ago(hours=3))
    by_sku = {line.product.sku: line for line in profile.cart}
    assert by_sku[first.sku].origin == Provenance("app", first.added_at)
    assert by_sku[x].origin == Provenance("store", None, AuthorView("Niamh Kavanagh"))
    item = next(w for w in profile.wishlist if w.key == wish["id"])
    assert item.origin == Provenance("store", ago(days=2))

    commands.sign_in(AOIFE)
    commands.update_cart(
        shopper_id=sid, ops=[("set_qty", first.sku, 2)], base_version=profile.cart_version
    )
    edited = cache.shopper_profile(sid)
    assert edited is not None and edited.cart_origin is not None
    origin = edited.cart_origin
    assert (origin.channel, origin.by, origin.pending) == ("store", AuthorView("Aoife Byrne"), True)
    assert origin.changed_at and origin.changed_at > ago(hours=3)
    line = next(ln for ln in edited.cart if ln.product.sku == first.sku)
    assert line.origin is not None and line.origin.pending and line.origin.channel == "store"


@pytest.mark.asyncio
async def test_a_shopper_fetched_on_demand_comes_with_contacts_and_views(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    outsider = outside_the_book(central, enrolled_device, cache, "a")
    sku = skus(cache, 1)[0]
    now = wire.utc_now()
    db = open_db(central.location)
    try:
        with db.transaction() as conn:
            Entities(db).put(conn, "support_contact", contact(outsider, 9, now))
            Entities(db).put(conn, "product_view", view(outsider, sku, now))
    finally:
        db.close()

    profile = await eng.fetch_shopper(outsider)
    assert profile is not None
    assert [c.id for c in profile.support] == ["sc-t9"]
    assert [v.product.sku for v in profile.viewed] == [sku]

    cache.now = lambda: "2099-01-01T00:00:00Z"  # type: ignore[method-assign]
    assert cache.purge_fetched(90) == 1  # forgotten with everything of theirs
    with cache.db.read() as conn:
        for table in ("support_contacts", "product_views"):
            left = conn.execute(f"SELECT count(*) FROM {table} WHERE shopper_id = ?", (outsider,))
            assert left.fetchone()[0] == 0, table
