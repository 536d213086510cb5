"""The outbox as people see it: what waits, what needs attention."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from sync.read.base import CacheBase
from sync.records import OutboxEntry


def outbox_entry(row: sqlite3.Row) -> OutboxEntry:
    """An outbox row as the UI shows it (a dismissed one counts as rejected)."""
    state = row["state"]
    return OutboxEntry(
        id=row["id"],
        number=row["number"],
        name=row["name"],
        summary=row["summary"],
        shopper_id=row["shopper_id"],
        args=json.loads(row["args"]),
        created_at=row["created_at"],
        state=state if state in ("pending", "applied", "rejected") else "rejected",
        attempts=row["attempts"],
        code=row["code"],
        message=row["message"],
        created=json.loads(row["result"]) if row["result"] else None,
    )


class OutboxReads(CacheBase):
    def outbox(self, states: Sequence[str] = ("pending", "rejected")) -> list[OutboxEntry]:
        marks = ",".join("?" for _ in states)
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY number", tuple(states)
            ).fetchall()
        return [outbox_entry(r) for r in rows]

    def outbox_entry(self, command_id: str) -> OutboxEntry | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT * FROM outbox WHERE id = ?", (command_id,)).fetchone()
        return outbox_entry(row) if row else None

    def _count(self, state: str) -> int:
        with self.db.read() as conn:
            sql = "SELECT count(*) FROM outbox WHERE state = ?"
            return int(conn.execute(sql, (state,)).fetchone()[0])

    def pending_count(self) -> int:
        return self._count("pending")

    def attention_count(self) -> int:
        return self._count("rejected")
