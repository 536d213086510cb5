"""The remembered counts (``sync.read.outreach_memo``) keyed on the stamps of the tables
their list reads (``table_stamps``, migration ``_v12``): a sync that writes nothing those
tables hold (its last-sync time, an order, a product viewed) leaves them remembered; a
write to one of them, by this app or another process, counts again. And the tables each
count watches are every table SQLite reads for it. No server: the demo's changes are
applied to a cache as a first sync would, and a later pull as the engine applies it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from central import demo_data
from central.entities import for_device
from sync import bulk, meta, wire
from sync.apply import apply_page
from sync.pages import ReadPage
from sync.queueing import Commands
from sync.read import outreach_back, outreach_carts
from sync.read.outreach import Thresholds
from sync.read.outreach_ask import Ask
from sync.read.outreach_counts import REMEMBERED
from sync.schema import STAMPED_TABLES
from sync.store import Cache
from tests.sync.helpers import DEVICE, change, pages
from tests.sync.test_outreach_memo import SIGNS, counted, listed

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
LISTS = ("back_in_stock", "abandoned_carts")


@pytest.fixture
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cache]:
    changes = [
        change(seq, entity, for_device(entity, data))
        for seq, (entity, data) in enumerate(demo_data.generate(600, today=TODAY), start=1)
    ]
    cache = Cache(tmp_path_factory.mktemp("outreach-stamps") / "cache.sqlite3")
    cache.set_device(DEVICE)
    for raw in pages(changes, 5000):
        apply_page(cache.db, wire.validate_page(raw))
    yield cache
    cache.close()


def pull(cache: Cache, entity: str, table: str, where: str, seq: int, **edit: Any) -> None:
    """A pull bringing a newer version of one row of ``table`` (the first ``where``),
    then the last-sync time written, as the engine does."""
    with cache.db.read() as conn:
        (data,) = conn.execute(f"SELECT data FROM {table} WHERE {where} LIMIT 1").fetchone()
    row = json.loads(data)
    row.update(version=row["version"] + 1, **edit)
    page = {"changes": [change(seq, entity, row)], "next_cursor": f"c.{seq}", "has_more": False}
    apply_page(cache.db, wire.validate_page(page))
    cache.put_meta(meta.LAST_SYNC_AT, "2026-11-22T14:00:00Z")


def read_again(cache: Cache) -> dict[str, bool]:
    """Whether each remembered list's count read the cache again (and it equals the list)."""
    statements: list[str] = []
    with cache.db.read() as conn:
        conn.set_trace_callback(statements.append)
    try:
        counts = cache.outreach_counts("S001", Thresholds(), now=NOW)
    finally:
        with cache.db.read() as conn:
            conn.set_trace_callback(None)
    for name in LISTS:
        assert counts[name] == listed(cache, NOW, name=name)
    return {name: any(SIGNS[name] in s for s in statements) for name in LISTS}


def test_a_sync_writing_nothing_a_list_reads_keeps_its_count(demo_cache: Cache) -> None:
    cache = demo_cache
    assert read_again(cache) == {"back_in_stock": True, "abandoned_carts": True}
    assert read_again(cache) == {"back_in_stock": False, "abandoned_carts": False}
    # a sync bringing nothing new: only its last-sync time written
    cache.put_meta(meta.LAST_SYNC_AT, "2026-11-22T13:59:00Z")
    assert read_again(cache) == {"back_in_stock": False, "abandoned_carts": False}
    # a pull bringing an order and a product viewed: neither list reads them
    pull(cache, "order", "orders", "1", 90_001, updated_at="2026-11-22T13:00:00Z")
    pull(cache, "product_view", "product_views", "1", 90_002)
    assert read_again(cache) == {"back_in_stock": False, "abandoned_carts": False}
    # a pull bringing a note: back in stock reads notes ("heard from us"), carts do not
    pull(cache, "note", "notes", "1", 90_003)
    assert read_again(cache) == {"back_in_stock": True, "abandoned_carts": False}
    # a pull bringing a cart: the other way round
    pull(cache, "cart", "carts", "status = 'abandoned'", 90_004)
    assert read_again(cache) == {"back_in_stock": False, "abandoned_carts": True}
    # a command queued here: both read the outbox
    Commands(cache, DEVICE).add_note(shopper_id="SH000001", text="Asked about shoes")
    assert read_again(cache) == {"back_in_stock": True, "abandoned_carts": True}


def test_another_process_writing_a_table_a_list_reads_counts_again(demo_cache: Cache) -> None:
    cache = demo_cache
    read_again(cache)
    other = sqlite3.connect(cache.path)
    with other:  # ``clienteling sync --once`` applying an order: nothing either list reads
        other.execute("UPDATE orders SET refreshed_at = '2026-11-22T14:00:00Z'")
    assert read_again(cache) == {"back_in_stock": False, "abandoned_carts": False}
    before = counted(cache, NOW)[0]
    with other:  # ... and deleting half the store's restocks
        other.execute(
            "DELETE FROM inventory WHERE store_id = 'S001' "
            "AND json_extract(data, '$.restocked_at') IS NOT NULL AND rid % 2 = 0"
        )
    assert read_again(cache) == {"back_in_stock": True, "abandoned_carts": False}
    assert counted(cache, NOW)[0] < before
    with other:
        other.execute("DELETE FROM carts WHERE status = 'abandoned'")
    assert read_again(cache) == {"back_in_stock": False, "abandoned_carts": True}
    assert counted(cache, NOW, name="abandoned_carts")[0] == 0
    other.close()


def test_a_first_sync_in_bulk_moves_every_stamp(demo_cache: Cache) -> None:
    """Loading in bulk sets the stamping triggers aside: each batch stamps every table."""
    cache = demo_cache

    def stamps() -> dict[str, int]:
        with cache.db.read() as conn:
            return dict(conn.execute("SELECT tbl, stamp FROM table_stamps"))

    before = stamps()
    assert sorted(before) == sorted(STAMPED_TABLES)
    with cache.db.read() as conn:
        (data,) = conn.execute("SELECT data FROM notes LIMIT 1").fetchone()
    row = json.loads(data)
    row["version"] += 1
    raw = {"changes": [change(90_005, "note", row)], "next_cursor": "c.90005", "has_more": False}
    bulk.apply_pages(cache.db, [ReadPage(wire.validate_page(raw), [None])])
    after = stamps()
    assert all(after[t] != before[t] for t in STAMPED_TABLES)
    bulk.finish(cache.db)
    assert all(stamps()[t] != after[t] for t in STAMPED_TABLES)


def test_each_remembered_count_watches_every_table_it_reads(demo_cache: Cache) -> None:
    """What SQLite reads for each count (its authorizer, on a fresh connection: no statement
    prepared before), with commands queued that lay stock, notes, an assignment and a
    wishlist over the cache, is among the tables the count's stamps watch."""
    cache = demo_cache
    back = cache.outreach("S001", "back_in_stock", Thresholds(), now=NOW)
    carts = cache.outreach("S001", "abandoned_carts", Thresholds(), now=NOW)
    cmd = Commands(cache, DEVICE)
    cmd.reserve_item(shopper_id=back[0].shopper_id, sku=back[0].skus[0])
    cmd.reserve_item(shopper_id=carts[0].shopper_id, sku=carts[0].skus[0])
    cmd.add_note(shopper_id=back[1].shopper_id, text="Called them", kind="interaction")
    cmd.assign_client(action="assign", shopper_id=carts[2].shopper_id, staff_id="A1001")
    cmd.update_wishlist(shopper_id=carts[1].shopper_id, add=[carts[1].skus[0]])
    watched = {"back_in_stock": outreach_back.READS, "abandoned_carts": outreach_carts.READS}
    assert set(watched) == set(REMEMBERED)
    not_data = {"json_each", "sqlite_master", "table_stamps"}
    for name, count in REMEMBERED.items():
        assert set(watched[name]) <= set(STAMPED_TABLES)
        for staff_id in (None, "A1001"):
            fresh = Cache(cache.path)
            seen: set[str] = set()

            def note(action: int, table: str | None, *_: object, seen: set[str] = seen) -> int:
                if action == sqlite3.SQLITE_READ and table:
                    seen.add(table)
                return sqlite3.SQLITE_OK

            with fresh.db.read() as conn:
                conn.set_authorizer(note)
                assert count(Ask(conn, "S001", Thresholds(), NOW, staff_id=staff_id), None) >= 0
                conn.set_authorizer(None)
            fresh.close()
            assert seen and seen - not_data <= set(watched[name]), (name, staff_id)


def traced(cache: Cache, staff_id: str | None = None) -> tuple[int, list[str]]:
    """Back in stock's count as the Clients page reads it, and the statements it ran."""
    statements: list[str] = []
    with cache.db.read() as conn:
        conn.set_trace_callback(statements.append)
    try:
        counts = cache.outreach_counts("S001", Thresholds(), staff_id=staff_id, now=NOW)
    finally:
        with cache.db.read() as conn:
            conn.set_trace_callback(None)
    assert counts["back_in_stock"] == listed(cache, NOW, staff_id=staff_id)
    return counts["back_in_stock"], statements


WHOLE = "st AS MATERIALIZED"
"""The statement finding every wished item back (not only who heard from us since)."""


def test_back_in_stock_reads_only_who_heard_from_us_when_that_alone_changed(
    demo_cache: Cache,
) -> None:
    cache = demo_cache
    first, statements = traced(cache)
    assert any(WHOLE in s for s in statements)
    mine, _ = traced(cache, "A1001")
    back = cache.outreach("S001", "back_in_stock", Thresholds(), now=NOW)
    cmd = Commands(cache, DEVICE)
    # a conversation noted here: one fewer, found without reading the wished items again
    cmd.add_note(shopper_id=back[0].shopper_id, text="Told them", kind="interaction")
    count, statements = traced(cache)
    assert count == first - 1
    assert not any(WHOLE in s for s in statements)
    assert any("SELECT count(*) FROM h" in s for s in statements)
    # a pull bringing a note of a conversation with another of them: the same way
    pull(
        cache,
        "note",
        "notes",
        "json_extract(data, '$.kind') = 'interaction'",
        90_006,
        shopper_id=back[1].shopper_id,
        created_at="2026-11-22T13:00:00Z",
    )
    count, statements = traced(cache)
    assert count == first - 2 and not any(WHOLE in s for s in statements)
    # one associate's clients: their own remembered items
    assert traced(cache, "A1001")[0] <= mine
    # the last unit of a SKU back reserved here: the stock queued changed, read whole
    with cache.db.read() as conn:
        sku = next(
            r.skus[0]
            for r in back[2:]
            if conn.execute(
                "SELECT available FROM inventory WHERE store_id = 'S001' AND sku = ?",
                (r.skus[0],),
            ).fetchone()[0]
            == 1
        )
    cmd.reserve_item(shopper_id=back[3].shopper_id, sku=sku)
    count, statements = traced(cache)
    assert any(WHOLE in s for s in statements)


def test_back_in_stock_pages_from_the_remembered_items_are_the_lists_pages(
    demo_cache: Cache,
) -> None:
    """After the counts (the Clients page reads them first), a page is ranked from each
    shopper's latest item back remembered: the same rows as the whole list's, in order,
    with its total, and the wished items of the page's shoppers alone read."""
    cache = demo_cache
    cmd = Commands(cache, DEVICE)
    back = cache.outreach("S001", "back_in_stock", Thresholds(), now=NOW)
    cmd.add_note(shopper_id=back[5].shopper_id, text="Told them", kind="interaction")
    for staff_id in (None, "A1001"):
        whole = cache.outreach("S001", "back_in_stock", Thresholds(), staff_id=staff_id, now=NOW)
        traced(cache, staff_id)  # the counts, as the page reads them
        for offset, limit in ((0, 20), (20, 20), (7, 13), (max(0, len(whole) - 3), 20)):
            statements: list[str] = []
            with cache.db.read() as conn:
                conn.set_trace_callback(statements.append)
            try:
                page = cache.outreach_page(
                    "S001",
                    "back_in_stock",
                    Thresholds(),
                    staff_id=staff_id,
                    now=NOW,
                    limit=limit,
                    offset=offset,
                )
            finally:
                with cache.db.read() as conn:
                    conn.set_trace_callback(None)
            assert page.total == len(whole) > 0
            assert page.rows == whole[offset : offset + limit], (staff_id, offset, limit)
            assert any("json_group_array(sid) FROM page" in s for s in statements)
