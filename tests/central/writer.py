"""A write that central cannot finish yet: for tests of what is served meanwhile.

``held_writer(location)`` takes central's write lock from outside (SQLite's write lock on
the file, or on PostgreSQL the advisory lock every write transaction of central takes);
``stuck_command(device)`` then sends a command from a thread, which central accepts and
keeps in flight (its transaction waits for the lock) until the block ends.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from central.db import is_url
from tests.central.helpers import Device, new_id


@contextmanager
def held_writer(location: Path | str) -> Iterator[None]:
    """Central's write lock on its database for the block (central's writes wait for it)."""
    if is_url(location):
        import psycopg

        from central.storage.postgres import WRITE_LOCK

        with psycopg.connect(str(location), autocommit=True) as pg:
            pg.execute("BEGIN")
            pg.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield
            pg.execute("ROLLBACK")
        return
    conn = sqlite3.connect(str(location), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


class StuckCommand:
    """A note about ``shopper_id`` sent from a thread; ``result`` once central answered."""

    def __init__(self, device: Device, shopper_id: str) -> None:
        self.body = {
            "commands": [
                device.next(
                    "add_note", {"note_id": new_id(), "shopper_id": shopper_id, "text": "x"}
                )
            ]
        }
        self.device = device
        self.status: int | None = None
        self.result: dict[str, Any] | None = None
        self.thread = threading.Thread(target=self._send, daemon=True)

    def _send(self) -> None:
        response = self.device.client.post("/v1/sync/commands", json=self.body, timeout=30)
        self.status = response.status_code
        self.result = response.json()

    def start(self) -> StuckCommand:
        self.thread.start()
        return self

    def join(self) -> dict[str, Any]:
        self.thread.join(timeout=30)
        assert self.status == 200, self.result
        assert self.result is not None
        return self.result
