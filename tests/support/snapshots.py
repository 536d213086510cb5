"""Central with store snapshots (``central.snapshots``) for the snapshot tests.

@pytest.fixture
def server(central_db_path, tmp_path):
    with snapshot_central(central_db_path, tmp_path) as server:
        yield server

snap = build_snapshot(server, "S001")
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from central.server import CentralServer
from central.snapshots import Snapshot, Snapshots
from central.state import Central


def snapshots_of(server: CentralServer) -> Snapshots:
    """A second view of the server's snapshots folder (its own connection to the database:
    another worker process would be the same)."""
    assert server.snapshots_dir is not None
    central = Central(server.location)
    return Snapshots(central.feed, central.cursor, server.snapshots_dir)


def build_snapshot(server: CentralServer, store_id: str = "S001") -> Snapshot:
    """Build the store's snapshot now, as central would (returns it)."""
    snapshots = snapshots_of(server)
    try:
        snap = snapshots.build(store_id)
    finally:
        snapshots.feed.db.close()
    assert snap is not None
    return snap


@contextlib.contextmanager
def snapshot_central(central_db_path: Path, tmp_path: Path) -> Iterator[CentralServer]:
    """The real central on ``central_db_path``, keeping store snapshots in
    ``tmp_path / "snapshots"`` (none built yet)."""
    server = CentralServer(central_db_path, seed="none", snapshots_dir=tmp_path / "snapshots")
    server.start()
    try:
        yield server
    finally:
        server.stop()
