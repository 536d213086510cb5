"""``back_in_stock``'s and ``abandoned_carts``' counts remembered between reads of the
Clients page's counts (``sync.read.outreach_memo``): read again from the cache only when
they may have changed (a pull applied, a command queued here, another process writing, the
window of restocks or carts moved past one), and always the count the list itself has. No server: the demo's changes are applied to a cache as a first
sync would, and a later pull as the engine applies it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from central import demo_data
from central.entities import for_device
from sync import wire
from sync.apply import apply_page
from sync.queueing import Commands
from sync.read.outreach import Thresholds
from sync.store import Cache
from tests.sync.helpers import DEVICE, change, pages

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)


@pytest.fixture
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cache]:
    changes = [
        change(seq, entity, for_device(entity, data))
        for seq, (entity, data) in enumerate(demo_data.generate(600, today=TODAY), start=1)
    ]
    cache = Cache(tmp_path_factory.mktemp("outreach-memo") / "cache.sqlite3")
    cache.set_device(DEVICE)
    for raw in pages(changes, 5000):
        apply_page(cache.db, wire.validate_page(raw))
    yield cache
    cache.close()


SIGNS = {"back_in_stock": "SELECT count(*) FROM h", "abandoned_carts": "AS last FROM carts"}
"""A statement that counts the list (the cache read for it)."""


def counted(
    cache: Cache, now: datetime, staff_id: str | None = None, name: str = "back_in_stock"
) -> tuple[int, bool]:
    """(list ``name``'s count as the Clients page reads it, whether the cache was read)."""
    statements: list[str] = []
    with cache.db.read() as conn:
        conn.set_trace_callback(statements.append)
    try:
        counts = cache.outreach_counts("S001", Thresholds(), staff_id=staff_id, now=now)
    finally:
        with cache.db.read() as conn:
            conn.set_trace_callback(None)
    read = any(SIGNS[name] in s for s in statements)
    return counts[name], read


def listed(
    cache: Cache, now: datetime, staff_id: str | None = None, name: str = "back_in_stock"
) -> int:
    """How many rows the list itself has (every row, not a count)."""
    return len(cache.outreach("S001", name, Thresholds(), staff_id=staff_id, now=now))


def test_the_count_is_read_again_only_when_it_may_have_changed(demo_cache: Cache) -> None:
    cache = demo_cache
    first, read = counted(cache, NOW)
    assert read and first == listed(cache, NOW) > 3
    # asked again with nothing changed: the same count, the cache not read for it
    assert counted(cache, NOW) == (first, False)
    assert counted(cache, NOW + timedelta(minutes=30)) == (first, False)
    # whose clients is another count
    mine, read = counted(cache, NOW, staff_id="A1001")
    assert read and mine == listed(cache, NOW, staff_id="A1001") < first

    # a conversation noted here: that shopper heard from us, one fewer on the list
    someone = cache.outreach("S001", "back_in_stock", Thresholds(), now=NOW)[0].shopper_id
    Commands(cache, DEVICE).add_note(
        shopper_id=someone, text="Told them it is back", kind="interaction"
    )
    assert counted(cache, NOW) == (first - 1, True)
    assert listed(cache, NOW) == first - 1

    # a pull brings a restock of a wished SKU that was out: read again, as the list has it
    with cache.db.read() as conn:
        sku, data = conn.execute(
            "SELECT i.sku, i.data FROM inventory i JOIN wishlist_items w ON w.sku = i.sku "
            "WHERE i.store_id = 'S001' AND i.available = 0 "
            "AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.shopper_id = w.shopper_id) "
            "ORDER BY i.sku LIMIT 1"
        ).fetchone()
    row = json.loads(data)
    row.update(
        version=row["version"] + 1,
        on_hand=4,
        available=4,
        restocked_at=(NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    page = {"changes": [change(90_000, "inventory", row)], "next_cursor": "c.90000"}
    apply_page(cache.db, wire.validate_page({**page, "has_more": False}))
    after_pull, read = counted(cache, NOW)
    assert read and after_pull == listed(cache, NOW) > first - 1, sku

    # the window of restocks moves past the earliest one counted: read again
    assert counted(cache, NOW + timedelta(hours=1)) == (after_pull, False)
    later = NOW + timedelta(days=25)
    gone, read = counted(cache, later)
    assert read and gone == listed(cache, later) < after_pull
    # a clock moved back: read again
    assert counted(cache, NOW) == (after_pull, True)

    # another process writing the same file (``clienteling sync --once``): read again
    other = sqlite3.connect(cache.path)
    with other:
        other.execute("DELETE FROM inventory WHERE store_id = 'S001' AND sku = ?", (sku,))
    other.close()
    assert counted(cache, NOW) == (listed(cache, NOW), True)
    assert listed(cache, NOW) < after_pull


def test_abandoned_carts_count_again_when_the_earliest_cart_leaves(demo_cache: Cache) -> None:
    cache, carts = demo_cache, "abandoned_carts"
    first, read = counted(cache, NOW, name=carts)
    assert read and first == listed(cache, NOW, name=carts) > 3
    assert counted(cache, NOW + timedelta(minutes=5), name=carts) == (first, False)
    with cache.db.read() as conn:
        earliest = min(
            max(line["added_at"] for line in json.loads(data)["lines"])
            for (data,) in conn.execute("SELECT data FROM carts WHERE status = 'abandoned'")
            if json.loads(data)["lines"]
            and max(line["added_at"] for line in json.loads(data)["lines"])
            >= (NOW - timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
    # a second after the earliest counted cart's latest line is 14 days old: it left
    leaves = datetime.fromisoformat(earliest[:19]).replace(tzinfo=UTC) + timedelta(days=14)
    gone, read = counted(cache, leaves + timedelta(seconds=1), name=carts)
    assert read and gone == listed(cache, leaves + timedelta(seconds=1), name=carts) < first
    # a command queued here (nothing to do with carts): counted again, the same
    Commands(cache, DEVICE).add_note(shopper_id="SH000001", text="Asked about shoes")
    assert counted(cache, NOW, name=carts) == (first, True)
