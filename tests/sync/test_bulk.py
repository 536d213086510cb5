"""A first sync into an empty cache loads in bulk (``sync.bulk``): the same cache as page by
page, resumable after an interruption, and never "done" with a bad page half-way."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync import bulk, meta
from sync.apply import apply_page
from sync.errors import BadData, Offline
from sync.pages import read_page
from sync.store import Cache
from tests.sync.helpers import DEVICE, change, pages
from tests.sync.live import MockEngine
from tests.sync.test_apply import snapshot

PAGE = 150  # changes per page the engine asks for


def demo_feed(demo_raw_changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The demo feed, then some later history: a shopper renamed, one deleted, a note gone."""
    feed = copy.deepcopy(demo_raw_changes)
    shoppers = [c for c in feed if c["entity"] == "shopper"]
    note = next(c for c in feed if c["entity"] == "note")
    seq = feed[-1]["seq"]
    renamed = {**shoppers[0]["data"], "version": shoppers[0]["version"] + 1, "first_name": "Zoë"}
    gone = shoppers[1]
    feed += [
        change(seq + 1, "shopper", renamed),
        change(seq + 2, "shopper", None, id_=gone["id"], version=gone["version"] + 1),
        change(seq + 3, "note", None, id_=note["id"], version=note["version"] + 1),
    ]
    return feed


@pytest.fixture
def feed(
    demo_raw_changes: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> list[dict[str, Any]]:
    """The demo feed with later history; a bulk load commits every two pages."""
    monkeypatch.setattr(bulk, "BATCH_ROWS", 2 * PAGE)
    return demo_feed(demo_raw_changes)


def page_by_page(path: Path, feed: list[dict[str, Any]]) -> Cache:
    """The reference: every page applied on its own, indexes and FTS kept row by row."""
    cache = Cache(path)
    cache.set_device(DEVICE)
    for raw in pages(feed, PAGE):
        apply_page(cache.db, read_page(json.dumps(raw)).page)
    return cache


def schema_of(cache: Cache) -> list[tuple[str, str]]:
    with cache.db.read() as conn:
        return [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
            )
        ]


def same_cache(got: Cache, want: Cache) -> None:
    assert snapshot(got) == snapshot(want)  # rows, tombstones, cursor; FTS integrity
    assert schema_of(got) == schema_of(want)  # every index and trigger is back
    for text in ("Zoë", "o", "ma", "+353 8", "@example"):
        found = [h.id for h in got.search_shoppers(text, limit=500)]
        assert found == [h.id for h in want.search_shoppers(text, limit=500)]
    assert got.search_shoppers("Zoë")
    dates = "SELECT * FROM shopper_dates ORDER BY shopper_id, kind"  # kept by triggers
    with got.db.read() as mine, want.db.read() as theirs:
        kept = [tuple(r) for r in theirs.execute(dates)]
        assert kept and [tuple(r) for r in mine.execute(dates)] == kept


def serve(
    feed: list[dict[str, Any]], spoil: Callable[[dict[str, Any]], None] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """Central's changes route over ``feed`` (cursor ``c.<seq>``); ``spoil`` may change a
    page before it is sent."""

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/sync/changes"
        after = int(request.url.params.get("cursor", "c.0").rpartition(".")[2])
        limit = int(request.url.params["limit"])
        rest = [c for c in feed if c["seq"] > after]
        chunk = copy.deepcopy(rest[:limit])
        body = {
            "changes": chunk,
            "next_cursor": f"c.{chunk[-1]['seq'] if chunk else after}",
            "has_more": len(rest) > limit,
            "total_estimate": len(rest),
        }
        if spoil is not None:
            spoil(body)
        return httpx.Response(200, json=body)

    return handler


@pytest.mark.asyncio
async def test_bulk_first_sync_is_the_same_cache_as_page_by_page(
    mock_engine: MockEngine, feed: list[dict[str, Any]], tmp_path: Path
) -> None:
    want = page_by_page(tmp_path / "want.db", feed)
    progress: list[tuple[int, int]] = []
    eng = mock_engine(
        serve(feed), page_limit=PAGE, on_progress=lambda d, t: progress.append((d, t))
    )
    await eng.sync_once()
    got = eng.cache
    assert got.initial_sync_done() and got.get_meta(bulk.DEFERRED) is None
    assert len(progress) >= len(feed) // PAGE  # a progress step per page, as before
    same_cache(got, want)
    want.close()


@pytest.mark.asyncio
async def test_an_interrupted_bulk_load_resumes_and_ends_identical(
    mock_engine: MockEngine, feed: list[dict[str, Any]], tmp_path: Path
) -> None:
    full = serve(feed)
    served = 0

    def cut_after_five(request: httpx.Request) -> httpx.Response:
        nonlocal served
        served += 1
        if served > 5:
            raise httpx.ConnectError("the store's connection dropped")
        return full(request)

    path = tmp_path / "c.db"
    first = Cache(path)
    first.set_device(DEVICE)
    with pytest.raises(Offline):
        await mock_engine(cut_after_five, first, page_limit=PAGE).sync_once()
    first.close()  # the app ends here

    again = Cache(path)
    # two batches of two pages were committed with their cursor; the fifth page was not
    assert again.cursor() == f"c.{feed[4 * PAGE - 1]['seq']}"
    assert not again.initial_sync_done() and again.get_meta(bulk.DEFERRED)
    assert sum(again.counts().values()) <= 4 * PAGE
    await mock_engine(serve(feed), again, page_limit=PAGE).sync_once()
    want = page_by_page(tmp_path / "want.db", feed)
    same_cache(again, want)
    again.close()
    want.close()


@pytest.mark.asyncio
async def test_a_bad_page_mid_bulk_is_rejected_whole_and_nothing_passes_for_done(
    mock_engine: MockEngine, feed: list[dict[str, Any]], tmp_path: Path
) -> None:
    bad_seq = feed[5 * PAGE + 7]["seq"]  # in the sixth page

    def spoil(body: dict[str, Any]) -> None:
        for item in body["changes"]:
            if item["seq"] == bad_seq:
                item["data"]["updated_at"] = "2026-02-30T10:00:00Z"  # no such day

    path = tmp_path / "c.db"
    cache = Cache(path)
    cache.set_device(DEVICE)
    with pytest.raises(BadData):
        await mock_engine(serve(feed, spoil), cache, page_limit=PAGE).sync_once()
    # the batches before the bad page are kept (pulled once); nothing of its batch is
    assert cache.cursor() == f"c.{feed[4 * PAGE - 1]['seq']}"
    assert sum(cache.counts().values()) <= 4 * PAGE
    assert not cache.initial_sync_done() and cache.get_meta(bulk.DEFERRED)
    with cache.db.read() as conn:
        assert meta.get(conn, meta.INITIAL_SYNC_DONE) is None
    await mock_engine(serve(feed), cache, page_limit=PAGE).sync_once()  # central fixed it
    want = page_by_page(tmp_path / "want.db", feed)
    same_cache(cache, want)
    cache.close()
    want.close()


def test_the_cache_keeps_centrals_json_text(demo_raw_changes: list[dict[str, Any]]) -> None:
    """What the cache stores as ``data`` is the entity's text exactly as it came."""
    raw = next(pages(demo_raw_changes, PAGE))
    text = json.dumps(raw, indent=1, ensure_ascii=False)
    read = read_page(text)
    for item, kept in zip(read.page.changes, read.texts, strict=True):
        assert kept is not None and json.loads(kept) == item.data
        assert kept in text and "\n" in kept  # the server's own layout, not re-encoded
