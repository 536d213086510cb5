"""Writes to central's database behind its HTTP (another connection, as another worker
process or a tool would make them), for the tests and the benchmark of the live feed."""

from __future__ import annotations

import uuid

from central.db import CentralDB
from central.entities import Entities
from sync.wire import utc_now


def write_task(db: CentralDB, store_id: str, message: str = "Fitting room 2") -> str:
    """A floor task for ``store_id`` (in its associates' and kiosks' feeds); its id."""
    task_id = str(uuid.uuid4())
    with db.transaction() as conn:
        Entities(db).put(
            conn,
            "task",
            {
                "id": task_id,
                "store_id": store_id,
                "kind": "call_associate",
                "message": message,
                "status": "open",
                "created_at": utc_now(),
            },
        )
    return task_id
