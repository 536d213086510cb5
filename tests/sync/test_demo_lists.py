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
