"""A tablet's first sync from its store's snapshot (``sync.snapshot``), against the real
central over loopback: the same cache as the feed path, resumed after a cut, refused or
set aside (the feed path instead) when anything is wrong."""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from central.server import CentralServer
from central.snapshots import Snapshot
from sync import meta
from sync.engine import SyncEngine
from sync.errors import Offline
from sync.schema import ENTITY_TABLES, SCHEMA_VERSION
from sync.snapshot import eligible, install, verify
from sync.snapshot_download import Fetched, SnapshotFiles, Unusable
from sync.store import Cache
from tests.faults.proxy import FaultProxy
from tests.support.central_server import enroll
from tests.support.other_tablet import exhaust_stock_elsewhere
from tests.support.snapshots import build_snapshot, snapshot_central
from tests.sync import live

LOG = "clienteling.sync.snapshot"


@pytest.fixture
def server(central_db_path: Path, tmp_path: Path) -> Iterator[CentralServer]:
    with snapshot_central(central_db_path, tmp_path) as running:
        yield running


async def first_sync(
    url: str, device: dict[str, Any], path: Path, *, snapshots: bool = True, **engine_args: Any
) -> Cache:
    cache = live.device_cache(path, device)
    eng = live.engine(cache, url, device["token"], snapshots=snapshots, **engine_args)
    try:
        await eng.sync_once()
    finally:
        await live.close(eng)
    return cache


def sample(cache: Cache, rng: random.Random) -> dict[str, list[tuple[Any, ...]]]:
    """Per entity table: up to 25 rows picked by id, every column but when it arrived."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with cache.db.read() as conn:
        for spec in ENTITY_TABLES.values():
            ids = sorted(r[0] for r in conn.execute(f"SELECT id FROM {spec.table}"))
            picked = rng.sample(ids, min(25, len(ids)))
            cols = ", ".join(("id", "version", "updated_at", *spec.columns, "data"))
            out[spec.table] = [
                tuple(
                    conn.execute(f"SELECT {cols} FROM {spec.table} WHERE id = ?", (i,)).fetchone()
                )
                for i in picked
            ]
    return out


def leftovers(cache: Cache) -> list[Path]:
    files = SnapshotFiles.beside(cache.path)
    return [p for p in (files.part, files.info, files.inflated) if p.exists()]


@pytest.mark.asyncio
async def test_first_sync_from_the_snapshot_is_the_feed_paths_cache(
    server: CentralServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    snap = build_snapshot(server)
    tablet = enroll(server.url, "S001", "associate", "t1")
    fed = await first_sync(server.url, tablet, tmp_path / "fed.db", snapshots=False)
    with fed.db.read() as conn:
        sku, available = conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = 'S001' AND available > 0"
            " ORDER BY sku LIMIT 1"
        ).fetchone()
    # central moves on after the snapshot: the new tablet gets the rest from the feed
    await exhaust_stock_elsewhere(server.url, sku, "S001", available)
    fed_eng = live.engine(fed, server.url, tablet["token"])
    assert (await fed_eng.sync_once()).pulled > 0
    await live.close(fed_eng)

    caplog.set_level(logging.INFO, LOG)
    new = enroll(server.url, "S001", "associate", "t2")
    progress: list[tuple[int, int]] = []
    snapped = await first_sync(
        server.url, new, tmp_path / "snap.db", on_progress=lambda *p: progress.append(p)
    )
    # progress in changes, as the feed path counts them ("N of M records"), never backwards
    assert progress[0][1] == snap.rows and (snap.rows, snap.rows) in progress
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert [r.getMessage()[:37] for r in caplog.records if r.name == LOG] == [
        "first sync: store snapshot installed "
    ]
    assert snapped.counts() == fed.counts() and snapped.counts()["shopper"] > 0
    assert snapped.cursor() == fed.cursor() and snapped.initial_sync_done()
    assert sample(snapped, random.Random(7)) == sample(fed, random.Random(7))
    device = snapped.device()
    assert device is not None and device.device_id == new["device_id"]
    with snapped.db.read() as conn:
        assert meta.get(conn, meta.LAST_SYNC_AT)
    # the delta after the snapshot arrived: the stock the other tablet took is gone here too
    assert snapped.available(sku, "S001") == fed.available(sku, "S001") == 0
    # and search works: the FTS index came with the snapshot
    with fed.db.read() as conn:
        last_name = conn.execute("SELECT last_name FROM shoppers ORDER BY id LIMIT 1").fetchone()[0]
    assert snapped.search_shoppers(last_name) == fed.search_shoppers(last_name) != []
    assert leftovers(snapped) == []
    assert snapped.db.quick_check() == "ok"
    assert snapped.path.stat().st_mode & 0o777 == 0o600
    snapped.close()
    fed.close()


@pytest.mark.asyncio
async def test_no_snapshot_yet_falls_back_to_the_feed(
    server: CentralServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOG)
    tablet = enroll(server.url, "S001", "associate", "t1")
    cache = await first_sync(server.url, tablet, tmp_path / "c.db")
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == LOG] == [
        ("INFO", "first sync: no store snapshot (central answered 404); loading from the feed")
    ]
    assert cache.initial_sync_done() and cache.counts()["shopper"] > 0
    assert leftovers(cache) == []
    cache.close()


@pytest.mark.asyncio
async def test_another_schema_or_a_bad_checksum_falls_back(
    server: CentralServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    snap = build_snapshot(server)
    folder = server.snapshots_dir
    assert folder is not None
    fed = await first_sync(
        server.url, enroll(server.url, "S001", "associate", "f"), tmp_path / "f.db", snapshots=False
    )
    caplog.set_level(logging.INFO, LOG)

    # a central whose snapshot is a cache of another schema (another app version)
    info = json.loads((folder / "S001.json").read_text())
    (folder / "S001.json").write_text(json.dumps({**info, "schema": SCHEMA_VERSION + 1}))
    one = await first_sync(
        server.url, enroll(server.url, "S001", "associate", "a"), tmp_path / "a.db"
    )
    # the stored file damaged on central's disk: its bytes no longer match its ETag
    (folder / "S001.json").write_text(json.dumps(info))
    served = folder / snap.file
    data = bytearray(served.read_bytes())
    data[len(data) // 2] ^= 0xFF
    served.write_bytes(bytes(data))
    two = await first_sync(
        server.url, enroll(server.url, "S001", "associate", "b"), tmp_path / "b.db"
    )

    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == LOG]
    assert said == [
        ("WARNING", "first sync: no store snapshot (central answered 409); loading from the feed"),
        (
            "WARNING",
            "first sync: no store snapshot (its checksum is not the one central sent);"
            " loading from the feed",
        ),
    ]
    for cache in (one, two):
        assert cache.counts() == fed.counts() and cache.initial_sync_done()
        assert leftovers(cache) == []
        cache.close()
    fed.close()


def test_a_cache_holding_an_unsent_command_is_never_replaced(
    server: CentralServer, tmp_path: Path
) -> None:
    tablet = enroll(server.url, "S001", "associate", "t1")
    cache = live.device_cache(tmp_path / "c.db", tablet)
    assert eligible(cache)
    with cache.db.write() as conn:
        conn.execute(
            "INSERT INTO outbox (id, number, name, args, summary, created_at)"
            " VALUES ('c1', 1, 'add_note', '{}', 'a note', '2026-12-01T00:00:00Z')"
        )
    assert not eligible(cache)
    folder = server.snapshots_dir
    assert folder is not None
    inflated = tmp_path / "snapshot.sqlite3"
    inflated.write_bytes(zlib.decompress((folder / build_snapshot(server).file).read_bytes(), 31))
    with pytest.raises(Unusable, match="commands not sent"):
        install(cache, inflated)
    assert cache.pending_count() == 1 and cache.cursor() is None
    assert cache.counts()["shopper"] == 0
    cache.close()


@dataclass
class Proxied:
    """A new tablet of S001 whose requests go through a proxy that breaks on command."""

    snap: Snapshot
    proxy: FaultProxy
    cache: Cache
    tablet: dict[str, Any]

    def engine(self) -> SyncEngine:
        return live.engine(self.cache, self.proxy.url, self.tablet["token"], snapshots=True)

    def asked(self) -> list[bytes]:
        """The snapshot requests the proxy forwarded (their heads, lower case)."""
        return [r.lower() for r in self.proxy.requests if r.startswith(b"GET /v1/sync/snapshot")]


@pytest_asyncio.fixture
async def proxied(server: CentralServer, tmp_path: Path) -> AsyncIterator[Proxied]:
    snap = build_snapshot(server)
    tablet = enroll(server.url, "S001", "associate", "t1")
    proxy = await FaultProxy("127.0.0.1", server.port).start()
    cache = live.device_cache(tmp_path / "c.db", tablet, url=proxy.url)
    try:
        yield Proxied(snap, proxy, cache, tablet)
    finally:
        cache.close()
        await proxy.stop()


@pytest.mark.asyncio
async def test_a_cut_download_resumes_from_the_bytes_it_has(proxied: Proxied) -> None:
    size = proxied.snap.size
    eng = proxied.engine()
    # cut once midway: the same sync resumes at once with Range
    proxied.proxy.cut_response_midway(b"GET /v1/sync/snapshot", size // 3)
    await eng.sync_once()
    await live.close(eng)
    first, second = proxied.asked()
    assert proxied.proxy.cuts == 1 and b"range:" not in first
    resumed_at = int(second.split(b"range: bytes=")[1].split(b"-")[0])
    assert 0 < resumed_at <= size // 3
    assert proxied.cache.initial_sync_done() and proxied.cache.counts()["shopper"] > 0
    assert leftovers(proxied.cache) == []


@pytest.mark.asyncio
async def test_a_download_that_cannot_finish_resumes_at_the_next_round(proxied: Proxied) -> None:
    size, cache = proxied.snap.size, proxied.cache
    eng = proxied.engine()
    # the first connection is cut midway; every later one is refused (the link is down)
    proxied.proxy.cut_response_midway(b"GET /v1/sync/snapshot", size // 2, then_refuse=True)
    with pytest.raises(Offline):
        await eng.sync_once()
    await live.close(eng)
    files = SnapshotFiles.beside(cache.path)
    kept = files.part.stat().st_size
    assert 0 < kept <= size // 2 and cache.cursor() is None
    assert files.part.stat().st_mode & 0o777 == 0o600

    proxied.proxy.forward()  # the link is back: the next round (a new engine) asks for the rest
    eng = proxied.engine()
    await eng.sync_once()
    await live.close(eng)
    assert f"range: bytes={kept}-".encode() in proxied.asked()[-1]
    assert cache.initial_sync_done() and cache.counts()["shopper"] > 0
    assert leftovers(cache) == [] and cache.db.quick_check() == "ok"


def test_snapshot_files_are_private(tmp_path: Path) -> None:
    files = SnapshotFiles.beside(tmp_path / "c.db")
    files.keep(Fetched("0" * 64, 10, "e.1", SCHEMA_VERSION, 5))
    assert files.info.stat().st_mode & 0o777 == 0o600
    assert files.held() == (None, 0)  # a record with no part is dropped
    assert not files.info.exists()


def test_a_journal_left_by_a_kill_never_meets_a_new_inflated_file(
    server: CentralServer, tmp_path: Path
) -> None:
    """Killed while the device's meta was written into the inflated file: its journal
    stays beside it; the next verify removes it before inflating the bytes again."""
    snap = build_snapshot(server)
    folder = server.snapshots_dir
    assert folder is not None
    files = SnapshotFiles.beside(tmp_path / "c.db")
    files.part.write_bytes((folder / snap.file).read_bytes())
    journal = Path(f"{files.inflated}-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 4096)  # a hot journal's magic
    verify(files, Fetched(snap.sha256, snap.size, snap.cursor, snap.schema, snap.rows))
    assert not journal.exists()
    conn = sqlite3.connect(files.inflated)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()
