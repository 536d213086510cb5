"""Rescue files: the commands still waiting to be sent, kept safe before a device starts over.

A rescue file is JSON lines, one pending command each (``device_id``, ``id``, ``number``
as sent to central, ``name``, ``args``, ``created_at``, ``staff_id``, its ``session_id``
and ``signed_in`` when the outbox has them, and what the outbox shows), written with mode 0600 in the data folder as ``rescue-<UTC time>.jsonl``.

* :func:`export_pending` writes one from an open cache; :func:`export_from_file` tries
  the same on a damaged file (read-only, best effort) before it is refused.
* :func:`start_over` moves an unusable cache file aside (never deletes it) and opens a
  fresh one for the **same device** (its enrollment kept in the keyring, the token too),
  so the rescued commands go to central under the same device id, ids and numbers.
* :func:`import_rescue` queues a rescue file's commands again; an id already in the
  outbox is skipped, and central answers a command it has seen with its first answer, so
  a rescue pushed twice applies nothing twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync import meta
from sync.errors import CacheDamaged, CacheError
from sync.records import DeviceInfo

if TYPE_CHECKING:
    from sync.store import Cache

log = logging.getLogger("clienteling.sync.rescue")

PREFIX = "rescue-"
_COLUMNS = (
    "id, number, name, args, summary, created_at, staff_id, shopper_id, store_id, sku, "
    "target_id, base"
)
_FIELDS = ("id", "number", "name", "args", "created_at", "staff_id")
_WHO = ("session_id", "signed_in")  # outbox columns since schema 2; older files lack them


def _stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def _write(folder: Path, lines: list[dict[str, Any]]) -> Path:
    path = folder / f"{PREFIX}{_stamp()}.jsonl"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{PREFIX}{_stamp()}-{n}.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, separators=(",", ":")) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    log.warning("saved %d waiting command(s) to %s", len(lines), path.name)
    return path


def _pending_lines(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    raw = meta.get(conn, meta.DEVICE)
    device_id = raw.get("device_id") if isinstance(raw, dict) else None
    base = int(meta.get(conn, "number_base", 0))
    lines = []
    present = {str(r[1]) for r in conn.execute("PRAGMA table_info(outbox)")}
    columns = [*_COLUMNS.split(", "), *(c for c in _WHO if c in present)]
    for row in conn.execute(
        f"SELECT {', '.join(columns)} FROM outbox WHERE state = 'pending' ORDER BY number"
    ).fetchall():
        line = dict(zip(columns, tuple(row), strict=True))
        line["number"] = int(line["number"]) - base
        line["args"] = json.loads(line["args"])
        line["base"] = json.loads(line["base"] or "{}")
        lines.append({"device_id": device_id, **line})
    return lines


def export_pending(cache: Cache) -> Path | None:
    """Write the cache's pending commands to a new rescue file; None when there are none."""
    with cache.db.read() as conn:
        lines = _pending_lines(conn)
    return _write(cache.path.parent, lines) if lines else None


def export_from_file(path: Path) -> Path | None:
    """Best effort on a damaged cache file: its readable pending commands to a rescue
    file (None when none could be read). The file itself is only read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        lines = _pending_lines(conn)
    except (sqlite3.Error, ValueError, TypeError, AttributeError):
        log.warning("no waiting commands could be read from the damaged cache")
        return None
    finally:
        conn.close()
    if not lines:
        return None
    try:
        return _write(path.parent, lines)
    except OSError:
        log.warning("the rescue file could not be written")
        return None


def latest(folder: Path) -> Path | None:
    """The newest rescue file in ``folder``, if any."""
    found = sorted(folder.glob(f"{PREFIX}*.jsonl"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def read_rescue(path: Path) -> list[dict[str, Any]]:
    """The commands of a rescue file; ``CacheError`` (kind ``rescue``) when it isn't one."""
    try:
        text = path.read_text(encoding="utf-8")
        commands = [json.loads(line) for line in text.splitlines() if line.strip()]
        for command in commands:
            if not isinstance(command, dict) or any(f not in command for f in _FIELDS):
                raise ValueError("missing fields")
            int(command["number"])
    except (OSError, ValueError, TypeError) as exc:
        raise CacheError(
            f"{path} is not a rescue file the app can read; check the name and try again.",
            kind="rescue",
        ) from exc
    return commands


def import_rescue(cache: Cache, commands: list[dict[str, Any]]) -> int:
    """Queue ``commands`` again under their ids and numbers; the count newly queued."""
    device = cache.device()
    owners = {c.get("device_id") for c in commands} - {None}
    if device is None:
        raise CacheError(
            "This device isn't enrolled, so it has no rescue to send; enroll it with the "
            "store's enrollment code.",
            kind="rescue",
        )
    if owners and owners != {device.device_id}:
        raise CacheError(
            "This rescue file belongs to another device; it can only be sent by the device "
            "that wrote it.",
            kind="rescue",
        )
    added = 0
    with cache.db.write() as conn:
        base = int(meta.get(conn, "number_base", 0))
        for c in sorted(commands, key=lambda c: int(c["number"])):
            if conn.execute("SELECT 1 FROM outbox WHERE id = ?", (c["id"],)).fetchone():
                continue
            number = int(c["number"]) + base
            if conn.execute("SELECT 1 FROM outbox WHERE number = ?", (number,)).fetchone():
                raise CacheError(
                    "This device already has other actions under the rescue file's numbers; "
                    "ask IT to reset the device first ('clienteling sync --reset').",
                    kind="rescue",
                )
            conn.execute(
                f"INSERT INTO outbox ({_COLUMNS}, session_id, signed_in)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    c["id"],
                    number,
                    c["name"],
                    json.dumps(c["args"]),
                    c.get("summary") or c["name"],
                    c["created_at"],
                    c["staff_id"],
                    c.get("shopper_id"),
                    c.get("store_id"),
                    c.get("sku"),
                    c.get("target_id"),
                    json.dumps(c.get("base") or {}),
                    c.get("session_id"),
                    c.get("signed_in"),
                ),
            )
            added += 1
        last = conn.execute("SELECT coalesce(max(number), 0) FROM outbox").fetchone()[0]
        meta.put(
            conn,
            meta.LAST_COMMAND_NUMBER,
            max(int(last), meta.get(conn, meta.LAST_COMMAND_NUMBER, 0)),
        )
    log.warning("queued %d rescued command(s) again", added)
    return added


def start_over(path: Path, identity: DeviceInfo) -> Cache:
    """Move ``path`` (and its WAL files) aside and open a fresh cache for ``identity``."""
    from sync.store import Cache

    stamp = _stamp()
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{path}{suffix}")
        with contextlib.suppress(FileNotFoundError):
            old.rename(old.with_name(f"{path.name}.broken-{stamp}{suffix}"))
    cache = Cache(path, start_over=True)
    cache.set_device(identity)
    log.warning("started the cache over for device %s", identity.device_id)
    return cache


def prepare(path: Path, rescue_file: Path | None, reset: bool) -> Cache:
    """For ``clienteling sync --rescue FILE`` / ``--reset``: the cache to sync, with the
    rescued commands queued again under this device's identity.

    ``reset`` saves the waiting commands (if the file can be read) to a rescue file,
    moves the file aside, starts over for the same device and queues them again. A
    missing, emptied or damaged file is started over the same way. A full, read-only or
    busy disk is reported as it is: starting over would not help.
    """
    from sync.store import Cache, remembered_device

    rescued = read_rescue(rescue_file) if rescue_file is not None else []  # before any change
    identity = remembered_device(path)
    saved: Path | None = None
    cache: Cache | None = None
    try:
        cache = Cache(path)
    except CacheError as exc:
        if exc.kind not in ("lost", "unreadable"):
            raise
        saved = exc.saved_to if isinstance(exc, CacheDamaged) else None
    if cache is not None:
        device = cache.device()
        identity = identity or device
        if reset and device is not None:
            saved = export_pending(cache)
        if not reset and device is not None:
            identity = None  # a sound cache: queue into it
    if identity is None and cache is None:
        raise CacheError(
            "This device has no enrollment to rescue; enroll it again with the store's "
            "enrollment code.",
            kind="rescue",
        )
    if identity is not None and (cache is None or reset):
        if cache is not None:
            cache.close()
        cache = start_over(path, identity)
    assert cache is not None
    try:
        if saved is not None:
            import_rescue(cache, read_rescue(saved))
        if rescued:
            import_rescue(cache, rescued)
    except BaseException:
        cache.close()
        raise
    return cache
