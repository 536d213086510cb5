"""The app's first start on a new tablet takes its store's snapshot (``sync.snapshot``):
ready at the sign-in screen with the store's data, the UI thread never busy over 100 ms."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from central.__main__ import main as central_main
from tests.app.test_sync_status import MAX_STALL_MS, _one_full_sync


def test_a_new_tablet_starts_from_the_store_snapshot(
    qtbot: Any,
    qloop: Any,
    central_process: str,
    central_db_path: Path,
    app_settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # IT builds S001's snapshot where ``serve`` keeps it (next to the database)
    assert central_main(["snapshot", "--db", str(central_db_path), "--store", "S001"]) == 0
    caplog.set_level(logging.INFO, "clienteling.sync.snapshot")
    settings = app_settings.replace(central_url=central_process, device_name="snapshot tablet")
    took, beats, worst_wall, worst_busy = _one_full_sync(qtbot, settings)
    print(f"\nfirst start from the snapshot: {took} ms, max gap {worst_wall} ms")
    said = [r.getMessage() for r in caplog.records if r.name == "clienteling.sync.snapshot"]
    assert len(said) == 1 and said[0].startswith("first sync: store snapshot installed")
    assert worst_busy <= MAX_STALL_MS
