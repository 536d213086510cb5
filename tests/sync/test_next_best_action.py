"""The next best action (``Cache.next_best_action``) for the issue's examples, through the
real central: what the retailer's systems write there reaches the tablet by a real pull,
and the tablet says what to do and why, online and with central stopped."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from central.db import open_db
from central.entities import Entities
from central.server import CentralServer
from sync import wire
from sync.read.insight import VIEWED_ONLINE
from sync.read.outreach import Thresholds
from sync.read.outreach_contact import last_heard_from_us
from sync.store import Cache
from tests.sync.live import DeviceEngine

HERE = "S001"
RULES = Thresholds()


def stamp(**ago: float) -> str:
    return (datetime.now(UTC) - timedelta(**ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def at_central(central: CentralServer, *writes: tuple[str, dict[str, Any]]) -> None:
    """``writes`` made at central, as the retailer's systems send them."""
    db = open_db(central.location)
    try:
        with db.transaction() as conn:
            for entity, data in writes:
                Entities(db).put(conn, entity, data)
    finally:
        db.close()


def quiet_shopper(cache: Cache, tier: str = "bronze") -> tuple[str, dict[str, Any]]:
    """A shopper of the book with nothing to act on yet (no list row, no product viewed
    online in stock here) and nobody who spoke to them lately (so a restock of yesterday is
    news), with their data."""
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT id, data FROM shoppers WHERE tier = ? ORDER BY id", (tier,)
        ).fetchall()
        heard = last_heard_from_us(conn, [r[0] for r in rows])
    for sid, data in rows:
        recent = heard.get(sid)
        if recent and wire.parse_ts(recent) > datetime.now(UTC) - timedelta(days=3):
            continue
        if cache.next_best_action(sid, HERE, RULES) is None:  # no list row, nothing viewed
            return sid, json.loads(data)
    raise AssertionError("no quiet shopper in the demo book")


def stock(cache: Cache, sku: str) -> dict[str, Any]:
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT data FROM inventory WHERE store_id = ? AND sku = ?", (HERE, sku)
        ).fetchone()
    return dict(json.loads(row[0]))


def skus_here(cache: Cache, n: int, *, available: bool) -> list[str]:
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT sku FROM inventory WHERE store_id = ? AND available "
            + ("> 2" if available else "= 0")
            + " ORDER BY sku LIMIT ?",
            (HERE, n),
        ).fetchall()
    return [r[0] for r in rows]


def cart_left(sid: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """An online cart the shopper left (abandoned) with ``lines``."""
    return {
        "id": f"cart-nba-{sid}",
        "shopper_id": sid,
        "channel": "web",
        "status": "abandoned",
        "lines": lines,
    }


def viewed(sid: str, sku: str, channel: str, at: str) -> dict[str, Any]:
    """The shopper looked at ``sku`` online (``channel``) at ``at``."""
    return {
        "id": f"pv-nba-{sid}",
        "shopper_id": sid,
        "sku": sku,
        "channel": channel,
        "viewed_at": at,
        "views": 1,
    }


@pytest.mark.asyncio
async def test_an_abandoned_cart_is_the_next_best_action_online_and_offline(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    sid, _ = quiet_shopper(cache)
    assert cache.next_best_action(sid, HERE, RULES) is None
    two, [out] = skus_here(cache, 2, available=True), skus_here(cache, 1, available=False)
    lines = [
        {"sku": sku, "qty": 1, "price_cents": 5000, "added_at": stamp(days=d, hours=2)}
        for sku, d in ((two[0], 5), (out, 4), (two[1], 3))
    ]
    cart = cart_left(sid, lines)
    at_central(central, ("cart", cart))
    await eng.sync_once()

    action = cache.next_best_action(sid, HERE, RULES)
    assert action is not None
    assert action.reason == "Cart left online 3 days ago: 2 of 3 items in stock here"
    assert (action.source, action.action) == ("abandoned_carts", "open_cart")
    assert action.source_id == cart["id"] and action.sku in two

    central.stop()  # offline: the same answer from the cache
    assert cache.next_best_action(sid, HERE, RULES) == action


@pytest.mark.asyncio
async def test_a_wishlist_item_back_in_their_size_offers_that_size(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    sid, shopper = quiet_shopper(cache)
    with cache.db.read() as conn:
        style, wished, theirs = conn.execute(
            "SELECT a.style_id, a.id, b.id FROM products a JOIN products b "
            "ON b.style_id = a.style_id AND b.colour = a.colour AND b.size != a.size "
            "WHERE a.category = 'footwear' ORDER BY a.id LIMIT 1"
        ).fetchone()
        size = conn.execute("SELECT size FROM products WHERE id = ?", (theirs,)).fetchone()[0]
    shopper["sizes"] = {**shopper["sizes"], "shoes": size}
    gone = stock(cache, wished) | {"on_hand": 0, "reserved": 0, "available": 0}
    back = stock(cache, theirs) | {
        "on_hand": 3,
        "reserved": 0,
        "available": 3,
        "restocked_at": stamp(days=1),
    }
    item = {
        "id": f"wl-nba-{sid}",
        "shopper_id": sid,
        "sku": wished,
        "channel": "app",
        "added_at": stamp(days=20),
    }
    at_central(
        central,
        ("shopper", shopper),
        ("inventory", gone),
        ("inventory", back),
        ("wishlist_item", item),
    )
    await eng.sync_once()

    action = cache.next_best_action(sid, HERE, RULES)
    assert action is not None
    assert action.reason.startswith("Wishlist item back in stock in their size: ")
    assert action.reason.endswith(f", {size}")
    # the size alternative: the style in their size, for the associate to show or reserve
    assert (action.source, action.action) == ("back_in_stock", "open_product")
    with cache.db.read() as conn:
        offered = conn.execute(
            "SELECT style_id, size FROM products WHERE id = ?", (action.sku,)
        ).fetchone()
    assert tuple(offered) == (style, size)


@pytest.mark.asyncio
async def test_without_a_list_row_a_product_viewed_online_in_stock_here_is_suggested(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    sid, _ = quiet_shopper(cache)
    before = cache.shopper_profile(sid)
    assert before is not None
    held = {line.product.sku for line in (*before.cart, *before.wishlist)}
    sku = next(s for s in skus_here(cache, 50, available=True) if s not in held)
    at_central(central, ("product_view", viewed(sid, sku, "app", stamp(days=2))))
    await eng.sync_once()
    profile = cache.shopper_profile(sid)
    action = cache.next_best_action(sid, HERE, RULES, profile=profile)
    assert action is not None
    assert (action.source, action.action, action.sku) == (VIEWED_ONLINE, "open_product", sku)
    assert action.reason.startswith("Viewed ")
    assert action.reason.endswith(
        " in the app 2 days ago: " + f"{stock(cache, sku)['available']} in stock here"
    )
