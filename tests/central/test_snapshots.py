"""Store snapshots on central (``central.snapshots``) and their route
(``GET /v1/sync/snapshot``): who gets one, ETag and Range, files, one build at a time."""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.server import CentralServer
from central.snapshots import _exclusive
from sync.schema import SCHEMA_VERSION
from tests.support.central_server import enroll, http_client
from tests.support.snapshots import build_snapshot, snapshot_central, snapshots_of
from tests.support.waiting import wait_until

ROUTE = "/v1/sync/snapshot"


@pytest.fixture
def server(central_db_path: Path, tmp_path: Path) -> Iterator[CentralServer]:
    with snapshot_central(central_db_path, tmp_path) as running:
        yield running


def ask(
    server: CentralServer,
    device: dict[str, Any],
    headers: dict[str, str] | None = None,
    **params: Any,
) -> httpx.Response:
    params.setdefault("schema", SCHEMA_VERSION)
    with http_client(server.url, device["token"]) as client:
        return client.get(ROUTE, params=params, headers=headers or {})


def rows_in(body: bytes, tmp_path: Path) -> dict[str, int]:
    """Rows per table of a served snapshot (inflated into a file)."""
    path = tmp_path / "inflated.sqlite3"
    path.write_bytes(zlib.decompress(body, 31))
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("shoppers", "products", "orders", "associates", "outbox")
        }
    finally:
        conn.close()


def test_none_yet_is_404_then_built_and_served_whole(server: CentralServer) -> None:
    tablet = enroll(server.url, "S001", "associate", "t1")
    first = ask(server, tablet)
    assert first.status_code == 404
    assert first.json()["code"] == "snapshot_not_ready" and first.headers["Retry-After"]
    folder = server.snapshots_dir
    assert folder is not None
    wait_until(lambda: (folder / "S001.json").exists(), 30, what="the snapshot built")

    served = ask(server, tablet)
    assert served.status_code == 200
    sha = hashlib.sha256(served.content).hexdigest()
    assert served.headers["ETag"] == f'"{sha}"' and served.headers["X-Snapshot-Sha256"] == sha
    assert int(served.headers["Content-Length"]) == len(served.content)
    assert served.headers["Accept-Ranges"] == "bytes"
    assert served.headers["X-Cache-Schema"] == str(SCHEMA_VERSION)
    with http_client(server.url, tablet["token"]) as client:
        head = client.get("/v1/sync/head").json()["cursor"]
    assert served.headers["X-Snapshot-Cursor"] == head
    assert served.headers["X-Snapshot-Encoding"] == "gzip"
    assert int(served.headers["X-Snapshot-Raw-Size"]) > 3 * len(served.content)
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path.name


def test_kiosk_other_store_and_no_token_are_refused(server: CentralServer, tmp_path: Path) -> None:
    build_snapshot(server, "S001")
    build_snapshot(server, "S002")
    kiosk = enroll(server.url, "S001", "kiosk", "k1")
    refused = ask(server, kiosk)
    assert refused.status_code == 403 and refused.json()["code"] == "kiosk_no_snapshot"
    other = enroll(server.url, "S002", "associate", "t2")
    refused = ask(server, other, store="S001")
    assert refused.status_code == 403 and refused.json()["code"] == "other_store"
    with httpx.Client(base_url=server.url, trust_env=False) as client:
        assert client.get(ROUTE, params={"schema": SCHEMA_VERSION}).status_code == 401

    own = ask(server, other)
    s001 = ask(server, enroll(server.url, "S001", "associate", "t1"))
    assert own.status_code == s001.status_code == 200
    assert own.headers["ETag"] != s001.headers["ETag"]
    theirs, ours = rows_in(own.content, tmp_path), rows_in(s001.content, tmp_path)
    assert theirs["products"] == ours["products"] > 0  # the catalog is everyone's
    assert 0 < theirs["shoppers"] != ours["shoppers"]  # each store's book is its own
    assert theirs["outbox"] == 0


def test_range_resumes_and_a_changed_snapshot_is_sent_whole(server: CentralServer) -> None:
    snap = build_snapshot(server)
    tablet = enroll(server.url, "S001", "associate", "t1")
    whole = ask(server, tablet).content
    etag = f'"{snap.sha256}"'

    rest = ask(server, tablet, {"Range": "bytes=1000-", "If-Range": etag})
    assert rest.status_code == 206
    assert rest.headers["Content-Range"] == f"bytes 1000-{len(whole) - 1}/{len(whole)}"
    assert rest.content == whole[1000:]

    stale = ask(server, tablet, {"Range": "bytes=1000-", "If-Range": '"' + "0" * 64 + '"'})
    assert stale.status_code == 200 and stale.content == whole

    past = ask(server, tablet, {"Range": f"bytes={len(whole)}-", "If-Range": etag})
    assert past.status_code == 416


def test_another_cache_schema_is_409(server: CentralServer) -> None:
    build_snapshot(server)
    tablet = enroll(server.url, "S001", "associate", "t1")
    answer = ask(server, tablet, schema=SCHEMA_VERSION + 1)
    assert answer.status_code == 409 and answer.json()["code"] == "schema_mismatch"


def test_a_central_without_a_snapshots_folder_serves_none(central: CentralServer) -> None:
    tablet = enroll(central.url, "S001", "associate", "t1")
    answer = ask(central, tablet)
    assert answer.status_code == 404 and answer.json()["code"] == "snapshot_not_ready"
    assert "keeps no store snapshots" in answer.json()["detail"]


def test_one_build_at_a_time_per_store_across_processes(server: CentralServer) -> None:
    """Another worker process holds the store's build lock: this one does not build."""
    snapshots = snapshots_of(server)
    try:
        snapshots.folder.mkdir(parents=True, exist_ok=True)
        with _exclusive(snapshots.folder / "S001.lock", wait=False) as held:
            assert held
            assert snapshots.build("S001", wait=False) is None
            assert snapshots.current("S001") is None
            assert snapshots.build("S002", wait=False) is not None  # another store: free
        built = snapshots.build("S001", wait=False)
        assert built is not None and snapshots.current("S001") == built
        assert snapshots.path(built).stat().st_size == built.size
    finally:
        snapshots.feed.db.close()


def test_a_stale_snapshot_is_served_while_a_new_one_is_built(server: CentralServer) -> None:
    old = build_snapshot(server)
    snapshots = snapshots_of(server)
    snapshots.max_age_s = 0.0  # every snapshot is stale
    try:
        assert snapshots.ensure("S001") == old  # served as it is meanwhile
        wait_until(
            lambda: (now := snapshots.current("S001")) is not None and now.built_at > old.built_at,
            30,
            what="a new build",
        )
    finally:
        wait_until(lambda: not snapshots._building, 30, what="the build thread done")
        snapshots.feed.db.close()


def test_it_builds_a_snapshot_on_demand_from_the_command_line(
    central_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from central.__main__ import main

    folder = tmp_path / "snaps"
    assert (
        main(
            [
                "snapshot",
                "--db",
                str(central_db_path),
                "--store",
                "S001",
                "--snapshots-dir",
                str(folder),
            ]
        )
        == 0
    )
    assert "store S001: " in capsys.readouterr().out
    assert (folder / "S001.json").exists() and list(folder.glob("S001-*.sqlite3.gz"))
    assert main(["snapshot", "--db", str(central_db_path), "--store", "S999"]) == 1
    assert "there is no store S999" in capsys.readouterr().err
    assert not (tmp_path / "central.db.snapshots").exists()
