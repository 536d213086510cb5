"""A tablet killed while it installs its store's snapshot: the next start finds the empty
cache it had (SQLite rolls the unfinished transaction back), never a half-installed one,
and finishes the first sync from the bytes it already downloaded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.server import CentralServer
from sync.snapshot_download import SnapshotFiles
from sync.store import Cache
from tests.support.central_server import enroll
from tests.support.snapshots import build_snapshot, snapshot_central
from tests.support.waiting import wait_until
from tests.sync import live

REPO = Path(__file__).resolve().parents[2]

# The tablet's side, in its own process: download, verify, then install until half the
# snapshot has been copied into the cache's transaction; there it waits to be killed.
CHILD = """
import sys, threading
from pathlib import Path
from sync import snapshot
from sync.client import CentralClient
from sync.snapshot_download import SnapshotFiles, download
from sync.store import Cache

cache_path, url, token, marker = sys.argv[1:5]
cache = Cache(Path(cache_path))
files = SnapshotFiles.beside(cache.path)
fetched = download(CentralClient(url, token=token), "S001", files, lambda have, got: None,
                   threading.Event())
snapshot.verify(files, fetched)
with cache.db.whole_file() as conn:  # a small page cache: the copy spills into the WAL early
    conn.execute("PRAGMA cache_size=8")

def step(copied):
    if copied >= 0.5:
        Path(marker + ".tmp").write_text(str(copied))
        Path(marker + ".tmp").replace(marker)
        threading.Event().wait()  # half copied, not committed: killed here

snapshot.install(cache, files.inflated, step)
"""


@pytest.fixture
def server(central_db_path: Path, tmp_path: Path) -> Iterator[CentralServer]:
    with snapshot_central(central_db_path, tmp_path) as running:
        yield running


@pytest.mark.asyncio
async def test_killed_during_install_the_next_start_is_clean_and_finishes(
    server: CentralServer, tmp_path: Path
) -> None:
    build_snapshot(server)
    fed = await live.synced_cache(
        server.url, enroll(server.url, "S001", "associate", "fed"), tmp_path / "fed.db"
    )
    tablet = enroll(server.url, "S001", "associate", "t1")
    path = tmp_path / "c.db"
    live.device_cache(path, tablet).close()
    marker = tmp_path / "installing"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), server.url, tablet["token"], str(marker)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: marker.exists() or child.poll() is not None, 60, what="the install under way"
        )
        assert marker.exists(), child.communicate()[0].decode(errors="replace")
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        if child.stdout is not None:
            child.stdout.close()
    assert 0.5 <= float(marker.read_text()) < 1  # killed between two steps of the copy
    assert Path(f"{path}-wal").stat().st_size > 1_000_000  # half the copy was in the WAL

    cache = Cache(path)
    assert cache.db.quick_check() == "ok"
    assert cache.cursor() is None and not cache.initial_sync_done()
    assert sum(cache.counts().values()) == 0
    device = cache.device()
    assert device is not None and device.device_id == tablet["device_id"]
    assert SnapshotFiles.beside(path).part.exists()  # downloaded, kept

    eng = live.engine(cache, server.url, tablet["token"], snapshots=True)
    try:
        await eng.sync_once()
    finally:
        await live.close(eng)
    assert cache.counts() == fed.counts() and cache.initial_sync_done()
    assert cache.cursor() == fed.cursor() and cache.db.quick_check() == "ok"
    files = SnapshotFiles.beside(path)
    assert not files.part.exists() and not files.inflated.exists()
    cache.close()
    fed.close()
