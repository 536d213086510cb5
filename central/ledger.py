"""Close of day on central's side: what central itself knows of a device, and a store's
ledger (``GET /v1/stores/{store_id}/ledger``, ``central.routes.ledger``).

Central's own record of a device: the last command number it applied
(``devices.last_number``), every command's result and time (``device_commands``), and
when the device last pulled its feed (``meta`` key ``pull:<device id>``, written at most
once a minute per device and worker: :func:`note_pull`). What the device itself
certified comes with each ``sign_off_day`` (the ``sign_off`` entity keeps the
certificate). The rule that says what keeps a day open is shared with the device:
``sync.rules.ledger``.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from central.storage.base import CentralDB
from central.storage.dialect import Conn
from sync import wire
from sync.rules import ledger as rules
from sync.wire import parse_ts, utc_now

PULL_KEY = "pull:"
PULL_EVERY_S = 60.0

_noted: dict[str, float] = {}
_noted_lock = threading.Lock()


def note_pull(db: CentralDB, device_id: str) -> None:
    """Record that ``device_id`` pulled its feed now (at most once a minute per worker:
    the feed is read far more often than IT needs to know it)."""
    now = time.monotonic()
    with _noted_lock:
        if now - _noted.get(device_id, -PULL_EVERY_S) < PULL_EVERY_S:
            return
        _noted[device_id] = now
    db.set_meta(PULL_KEY + device_id, utc_now())


def central_view(conn: Conn, device_id: str, since: str) -> wire.CentralView:
    """What central knows of ``device_id``: its last applied number, its last command's
    and last pull's times, and its commands applied and rejected since ``since``."""
    row = conn.execute("SELECT last_number FROM devices WHERE id = ?", (device_id,)).fetchone()
    last_number = int(row[0]) if row else 0
    last_at = conn.execute(
        "SELECT max(applied_at) FROM device_commands WHERE device_id = ?", (device_id,)
    ).fetchone()
    pulled = conn.execute(
        "SELECT value FROM meta WHERE key = ?", (PULL_KEY + device_id,)
    ).fetchone()
    rows = conn.execute(
        "SELECT name, result FROM device_commands WHERE device_id = ? AND applied_at >= ?",
        (device_id, since),
    ).fetchall()
    outcomes = []
    for name, result in rows:
        status = json.loads(result).get("status")
        if status in ("applied", "rejected"):
            outcomes.append((str(name), str(status)))
    return wire.CentralView(
        last_applied_number=last_number,
        last_command_at=str(last_at[0]) if last_at and last_at[0] else None,
        last_pull_at=str(pulled[0]) if pulled else None,
        today=rules.counts(outcomes),
    )


def _later(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if parse_ts(a) >= parse_ts(b) else b


def _device(
    record: tuple[Any, ...], view: wire.CentralView, last: wire.SignOff | None
) -> wire.DeviceLedger:
    device_id, name, mode, revoked_at = (str(record[0]), str(record[1]), str(record[2]), record[3])
    cert = last.certificate if last else None
    last_sync = _later(view.last_pull_at, view.last_command_at)
    waiting = max(0, cert.last_number - view.last_applied_number) if cert else None
    open_ = []
    if last_sync is None:
        open_.append("This device has never synced with central.")
    if waiting:
        open_.append(f"It holds {waiting} action(s) central has not received.")
    if cert is not None and cert.unresolved:
        open_.append(f"It certified {cert.unresolved} rejected action(s) not dealt with.")
    return wire.DeviceLedger(
        device_id=device_id,
        name=name,
        mode=mode,
        revoked=revoked_at is not None,
        last_sync_at=last_sync,
        last_applied_number=view.last_applied_number,
        waiting=waiting,
        unresolved=cert.unresolved if cert else None,
        central=view,
        certified=cert,
        certified_at=last.signed_at if last else None,
        open=open_,
    )


def store_ledger(db: CentralDB, store_id: str, since: str | None = None) -> wire.StoreLedger:
    """The store's devices (central's view and what each last certified) and its
    sign-offs, newest first; ``since`` (default: the start of today, UTC) bounds the
    counts of commands."""
    now = utc_now()
    start = since or now[:10] + "T00:00:00Z"
    with db.reading() as conn:
        devices = conn.execute(
            "SELECT id, name, mode, revoked_at FROM devices WHERE store_id = ?"
            " ORDER BY created_at, id",
            (store_id,),
        ).fetchall()
        rows = conn.execute(
            "SELECT data FROM entities WHERE entity = 'sign_off' AND deleted = 0 AND "
            + db.dialect.json_text("data", "store_id")
            + " = ?",
            (store_id,),
        ).fetchall()
        sign_offs = sorted(
            (wire.SignOff.model_validate_json(r[0]) for r in rows),
            key=lambda s: (s.day, s.signed_at),
            reverse=True,
        )
        found = []
        for record in devices:
            last = next((s for s in sign_offs if s.device_id == str(record[0])), None)
            found.append(_device(record, central_view(conn, str(record[0]), start), last))
    return wire.StoreLedger(
        store_id=store_id, as_of=now, since=start, devices=found, sign_offs=sign_offs
    )
