"""A device's sync certificate, computed from its cache (no network, no Qt).

:func:`compute` answers, for the device's local day: is anything still waiting in the
outbox, is every rejection resolved or dismissed by someone named, when did the device
last sync, does the cache pass ``PRAGMA quick_check``, and what did it send and have
applied today, by kind. The close-of-day page shows it as a checklist,
``clienteling sync --certify`` prints it as JSON, ``sign_off_day`` carries it to central.
Whether it is clean is ``sync.rules.ledger.open_reasons``.

Only commands of the current enrollment count (numbers above the device's number base):
central knows the device's earlier enrollments under other ids.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from sync import meta, outbox, wire
from sync.rules import ledger

if TYPE_CHECKING:
    from sync.read.base import CacheBase


def compute(cache: CacheBase) -> wire.Certificate:
    """The certificate of ``cache``'s device for its local day, as of now.

    Raises ``ValueError`` when the device is not enrolled (it has no day to certify)."""
    device = cache.device()
    if device is None:
        raise ValueError("This device is not enrolled yet: there is nothing to certify.")
    now = wire.parse_ts(cache.now())
    start = ledger.day_start(now)
    since = ledger.wire_time(start)
    with cache.db.read() as conn:
        integrity = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        base = outbox.number_base(conn)
        last = max(
            int(meta.get(conn, meta.LAST_COMMAND_NUMBER, 0)),
            int(conn.execute("SELECT coalesce(max(number), 0) FROM outbox").fetchone()[0]),
        )
        open_rows = _open(conn)
        dismissed = _dismissed(conn, since)
        today = ledger.counts(_outcomes(conn, base, since))
        last_sync = meta.get(conn, meta.LAST_SYNC_AT)
    return wire.Certificate(
        device_id=device.device_id,
        store_id=device.store_id,
        day=_local_day(now),
        since=since,
        as_of=ledger.wire_time(now),
        last_sync_at=str(last_sync) if last_sync else None,
        integrity=integrity[:500],
        waiting=sum(1 for o in open_rows if o.state == "waiting"),
        unresolved=sum(1 for o in open_rows if o.state == "rejected"),
        open=open_rows,
        dismissed=dismissed,
        last_number=max(0, last - base),
        today=today,
    )


def _local_day(now: datetime) -> str:
    return now.astimezone().strftime("%Y-%m-%d")


def _open(conn: sqlite3.Connection) -> list[wire.OpenCommand]:
    rows = conn.execute(
        "SELECT number, name, state, code, created_at FROM outbox "
        "WHERE state IN ('pending', 'rejected') ORDER BY number"
    ).fetchall()
    return [
        wire.OpenCommand(
            number=int(r["number"]),
            name=str(r["name"]),
            state="waiting" if r["state"] == "pending" else "rejected",
            code=r["code"],
            created_at=str(r["created_at"]),
        )
        for r in rows
    ]


def _dismissed(conn: sqlite3.Connection, since: str) -> list[wire.Dismissal]:
    """Rejections dismissed today (those from before names were recorded have no time)."""
    rows = conn.execute(
        "SELECT number, name, code, dismissed_by, dismissed_at FROM outbox "
        "WHERE state = 'dismissed' AND dismissed_at >= ? ORDER BY number",
        (since,),
    ).fetchall()
    return [
        wire.Dismissal(
            number=int(r["number"]),
            name=str(r["name"]),
            code=r["code"],
            dismissed_by=r["dismissed_by"],
            dismissed_at=r["dismissed_at"],
        )
        for r in rows
    ]


def _outcomes(conn: sqlite3.Connection, base: int, since: str) -> list[tuple[str, str]]:
    """``(name, outcome)`` for every command of this enrollment sent, applied or rejected
    since ``since``."""
    rows = conn.execute(
        "SELECT name, state, last_sent_at, resolved_at FROM outbox WHERE number > ?",
        (base,),
    ).fetchall()
    found = []
    for r in rows:
        if r["last_sent_at"] is not None and r["last_sent_at"] >= since:
            found.append((str(r["name"]), "sent"))
        if r["resolved_at"] is not None and r["resolved_at"] >= since:
            if r["state"] == "applied":
                found.append((str(r["name"]), "applied"))
            elif r["state"] in ("rejected", "dismissed"):
                found.append((str(r["name"]), "rejected"))
    return found
