"""The demo seed against the tablet's own outreach lists (``sync.read.outreach``): on the
demo day every list has a handful of rows for the first demo associate's book (A1001,
Aoife Byrne, S001). No server: the
demo's changes are applied to a cache as a first sync would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from central import demo_data
from central.entities import for_device
from sync import wire
from sync.apply import apply_page
from sync.read.outreach import LIST_NAMES, Thresholds
from sync.store import Cache
from tests.sync.helpers import DEVICE, change, pages

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)  # the afternoon of the demo day


@pytest.fixture(scope="module")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cache]:
    changes = [
        change(seq, entity, for_device(entity, data))
        for seq, (entity, data) in enumerate(demo_data.generate(2000, today=TODAY), start=1)
    ]
    cache = Cache(tmp_path_factory.mktemp("demo-lists") / "cache.sqlite3")
    cache.set_device(DEVICE)
    for raw in pages(changes, 2000):
        apply_page(cache.db, wire.validate_page(raw))
    yield cache
    cache.close()


def test_every_list_has_a_handful_for_aoife_on_the_demo_day(demo_cache: Cache) -> None:
    counts = demo_cache.outreach_counts("S001", Thresholds(), staff_id="A1001", now=NOW)
    assert set(counts) == set(LIST_NAMES)
    assert all(3 <= n <= 40 for n in counts.values()), counts
    store = demo_cache.outreach_counts("S001", Thresholds(), now=NOW)
    assert all(store[name] >= counts[name] for name in LIST_NAMES), (store, counts)


@pytest.mark.parametrize("staff_id", ["A1001", None])
def test_a_list_reads_a_page_at_a_time_with_its_total(
    demo_cache: Cache, staff_id: str | None
) -> None:
    """A page of a list is the list's rows from ``offset``, most urgent first, with the
    list's total; the counts (in SQL) are the lists' lengths."""
    t = Thresholds()
    counts = demo_cache.outreach_counts("S001", t, staff_id=staff_id, now=NOW)
    for name in LIST_NAMES:
        whole = demo_cache.outreach("S001", name, t, staff_id=staff_id, now=NOW)
        assert counts[name] == len(whole), name
        first = demo_cache.outreach_page("S001", name, t, staff_id=staff_id, now=NOW, limit=2)
        assert (first.rows, first.total, first.offset) == (whole[:2], len(whole), 0)
        assert first.more == max(0, len(whole) - 2)
        pages = []
        for offset in range(0, len(whole) + 2, 2):
            page = demo_cache.outreach_page(
                "S001", name, t, staff_id=staff_id, now=NOW, limit=2, offset=offset
            )
            assert page.total == len(whole)
            pages += page.rows
        assert pages == whole, name
        assert (
            demo_cache.outreach("S001", name, t, staff_id=staff_id, now=NOW, limit=3, offset=1)
            == whole[1:4]
        )
