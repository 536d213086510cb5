"""Apply a page of the changes feed to the cache: validated whole, then one transaction.

* :func:`parse_page` validates a page *and every entity in it* with ``wire.validate_page``;
  a bad page raises :class:`sync.errors.BadData` (logged without PII: locations and error
  types only, never values) and nothing is touched.
* :func:`apply_page` upserts each change only when its version is at least the stored one
  (and above any tombstone), deletes on tombstones, keeps the FTS indexes in step (by
  triggers) and stores the new cursor, all in one short transaction. Applying a page
  twice, or an older page after a newer one, changes nothing.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from sync import meta, wire
from sync.db import Database
from sync.errors import BadData
from sync.schema import ENTITY_TABLES

log = logging.getLogger("clienteling.sync.apply")


def _describe(exc: Exception) -> str:
    """A PII-free description of a validation failure."""
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in err['loc'])}:{err['type']}"
            for err in exc.errors(include_input=False, include_url=False, include_context=False)[:5]
        ]
        return f"{exc.error_count()} error(s): {', '.join(parts)}"
    return type(exc).__name__ + (": " + str(exc) if isinstance(exc, ValueError) else "")


VALIDATE_CHUNK = 100
"""Changes validated per call: pydantic holds the GIL for a whole call, so a big page is
validated in slices and the event loop thread keeps running in between."""


BIG_PAGE_CHARS = 1_000_000
"""A page body longer than this is decoded change by change (see ``loads_page``)."""


class _NotSimple(Exception):
    """The body is not the plain object we expect: fall back to ``json.loads``."""


_WS = re.compile(r"[ \t\n\r]*")


def loads_page(text: str) -> Any:
    """``json.loads(text)``, but a page's ``changes`` are decoded one at a time.

    The C decoder holds the GIL for a whole call; decoding a 2 MB page in one call stalls
    every other thread (the UI's event loop) for a long time. The result is the same as
    ``json.loads`` (which is used for anything but a plain top-level object).
    """
    decode = json.JSONDecoder().raw_decode

    def skip(i: int) -> int:
        match = _WS.match(text, i)
        return match.end() if match else i

    def members(i: int, close: str, read: Callable[[int], int]) -> int:
        """Read comma-separated members from just after an opening bracket to ``close``."""
        i = skip(i)
        if text[i] == close:
            return i + 1
        while True:
            i = skip(read(i))
            if text[i] == close:
                return i + 1
            if text[i] != ",":
                raise _NotSimple
            i = skip(i + 1)

    out: dict[str, Any] = {}
    changes: list[Any] = []

    def change(i: int) -> int:
        item, i = decode(text, i)
        changes.append(item)
        if len(changes) % 100 == 0:
            time.sleep(0)  # hand the GIL to the event loop thread
        return i

    def member(i: int) -> int:
        key, i = decode(text, i)
        if not isinstance(key, str):
            raise _NotSimple
        i = skip(i)
        if text[i] != ":":
            raise _NotSimple
        i = skip(i + 1)
        if key == "changes" and text[i] == "[" and "changes" not in out:
            out[key] = changes
            return members(i + 1, "]", change)
        out[key], i = decode(text, i)
        return i

    try:
        i = skip(0)
        if text[i] != "{":
            raise _NotSimple
        if skip(members(i + 1, "}", member)) != len(text):
            raise _NotSimple
        return out
    except (_NotSimple, IndexError, json.JSONDecodeError):
        return json.loads(text)


def parse_page(raw: Any) -> wire.ChangesPage:
    """Validate a raw page (bytes, str or a decoded dict); raise ``BadData`` if any of it is bad.

    Every change is checked with ``wire.validate_page`` (in slices of ``VALIDATE_CHUNK``,
    with the seq order checked across slices), all before anything is applied.
    """
    try:
        if isinstance(raw, bytes | bytearray):
            raw = raw.decode("utf-8")
        if isinstance(raw, str):
            # json.loads holds the GIL for the whole text: fine for a normal page (500
            # changes decode in a few ms), decoded change by change when it is big.
            data = json.loads(raw) if len(raw) < BIG_PAGE_CHARS else loads_page(raw)
        else:
            data = raw
        changes = data.get("changes") if isinstance(data, dict) else None
        if not isinstance(changes, list) or len(changes) <= VALIDATE_CHUNK:
            return wire.validate_page(data)
        envelope = {k: v for k, v in data.items() if k != "changes"}
        head = wire.validate_page({**envelope, "changes": []})
        validated: list[wire.Change] = []
        last = 0
        for start in range(0, len(changes), VALIDATE_CHUNK):
            part = wire.validate_page(
                {**envelope, "changes": changes[start : start + VALIDATE_CHUNK]}
            )
            if part.changes[0].seq <= last:
                raise ValueError("changes are not in increasing seq order")
            last = part.changes[-1].seq
            validated += part.changes
            time.sleep(0)  # hand the GIL to the event loop thread
        return wire.ChangesPage.model_construct(
            changes=validated,
            next_cursor=head.next_cursor,
            has_more=head.has_more,
            total_estimate=head.total_estimate,
        )
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("rejected a changes page: %s", _describe(exc))
        raise BadData() from exc


@dataclass(frozen=True)
class PageApplied:
    upserts: int
    deletes: int
    skipped: int  # changes older than what the cache holds


def _sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ("id", "version", "updated_at", "refreshed_at", *columns, "data")
    names = ", ".join(cols)
    marks = ", ".join("?" for _ in cols)
    sets = ", ".join(f"{c} = excluded.{c}" for c in cols[1:])
    return (
        f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {sets} "
        f"WHERE excluded.version >= {table}.version"
    )


_UPSERT = {name: _sql(spec.table, spec.columns) for name, spec in ENTITY_TABLES.items()}


def _tombstoned(conn: Any, entity: str, ids: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    id_list = list(ids)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        for row in conn.execute(
            f"SELECT id, version FROM tombstones WHERE entity = ? AND id IN ({marks})",
            (entity, *chunk),
        ):
            found[row[0]] = row[1]
    return found


def apply_page(db: Database, page: wire.ChangesPage, *, now: str | None = None) -> PageApplied:
    """Apply a validated page and its cursor in one transaction (see module docstring)."""
    received = now or wire.utc_now()
    by_entity: dict[str, list[wire.Change]] = defaultdict(list)
    for change in page.changes:
        by_entity[change.entity].append(change)
    upserts = deletes = skipped = 0
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    with db.write(durable=False) as conn:
        any_tombstones = conn.execute("SELECT 1 FROM tombstones LIMIT 1").fetchone() is not None
        for entity, changes in by_entity.items():
            spec = ENTITY_TABLES[entity]
            graves = _tombstoned(conn, entity, {c.id for c in changes}) if any_tombstones else {}
            rows: list[tuple[Any, ...]] = []
            for change in changes:
                if change.id in graves and graves[change.id] >= change.version:
                    skipped += 1
                    continue
                if change.deleted:
                    if rows:  # keep per-id order: flush upserts before a delete
                        conn.executemany(_UPSERT[entity], rows)
                        rows = []
                    conn.execute(
                        f"DELETE FROM {spec.table} WHERE id = ? AND version <= ?",
                        (change.id, change.version),
                    )
                    if (
                        conn.execute(
                            f"SELECT 1 FROM {spec.table} WHERE id = ?", (change.id,)
                        ).fetchone()
                        is not None
                    ):
                        skipped += 1  # a newer version lives: this delete is history
                        continue
                    conn.execute(
                        "INSERT INTO tombstones (entity, id, version) VALUES (?, ?, ?) "
                        "ON CONFLICT(entity, id) DO UPDATE SET "
                        "version = max(version, excluded.version)",
                        (entity, change.id, change.version),
                    )
                    graves[change.id] = max(graves.get(change.id, 0), change.version)
                    any_tombstones = True
                    deletes += 1
                    continue
                data = change.data
                assert data is not None
                rows.append(
                    (
                        change.id,
                        change.version,
                        data["updated_at"],
                        received,
                        *spec.extract(data),
                        dumps(data),
                    )
                )
                upserts += 1
                if change.id in graves:
                    conn.execute(
                        "DELETE FROM tombstones WHERE entity = ? AND id = ? AND version < ?",
                        (entity, change.id, change.version),
                    )
                    del graves[change.id]
            if rows:
                conn.executemany(_UPSERT[entity], rows)
        _store_cursor(conn, page)
    return PageApplied(upserts=upserts, deletes=deletes, skipped=skipped)


def cursor_parts(cursor: str | None) -> tuple[str | None, int | None]:
    """``"<epoch>.<seq>"`` -> ``(epoch, seq)``; ``seq`` is None when it is not a number.

    The epoch names central's database: a reseeded or restored central has a new one and
    numbers its feed from the start again.
    """
    if not cursor:
        return None, None
    epoch, dot, seq = cursor.rpartition(".")
    if not dot:
        return cursor, None
    try:
        return epoch, int(seq)
    except ValueError:
        return epoch, None


def _store_cursor(conn: Any, page: wire.ChangesPage) -> None:
    """Keep the cursor of the newest page seen (an older page applied again leaves it).

    Seqs are compared only within one epoch: a page from a new epoch (central reseeded
    or restored) resets ``LAST_SEQ`` and is taken, whatever its seqs.
    """
    stored_epoch, stored_seq = cursor_parts(meta.get(conn, meta.CURSOR))
    new_epoch, new_seq = cursor_parts(page.next_cursor)
    if stored_epoch is not None and new_epoch != stored_epoch:
        log.info("central's feed has a new epoch; following it from here")
        meta.put(conn, meta.LAST_SEQ, page.changes[-1].seq if page.changes else 0)
        meta.put(conn, meta.CURSOR, page.next_cursor)
        return
    last_seq = int(meta.get(conn, meta.LAST_SEQ, 0))
    if page.changes:
        page_seq = page.changes[-1].seq
        if page_seq < last_seq:
            return
        meta.put(conn, meta.LAST_SEQ, page_seq)
    elif new_seq is not None and new_seq < max(last_seq, stored_seq or 0):
        return  # an empty page never moves the cursor backwards within an epoch
    meta.put(conn, meta.CURSOR, page.next_cursor)


def apply_profile(
    db: Database, profile: wire.ShopperProfile, *, now: str | None = None
) -> PageApplied:
    """Keep a shopper fetched on demand (and their carts, orders, ...), marked ``fetched``.

    Same version rules as a page; the cursor is not touched.
    """
    received = now or wire.utc_now()
    groups: list[tuple[str, list[wire.Entity]]] = [
        ("shopper", [profile.shopper]),
        ("cart", list(profile.carts)),
        ("wishlist_item", list(profile.wishlist)),
        ("order", list(profile.orders)),
        ("reservation", list(profile.reservations)),
        ("note", list(profile.notes)),
    ]
    upserts = 0
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    with db.write() as conn:
        for entity, models in groups:
            spec = ENTITY_TABLES[entity]
            graves = _tombstoned(conn, entity, {m.id for m in models})
            rows = []
            for model in models:
                if graves.get(model.id, 0) >= model.version:
                    continue
                data = model.model_dump(mode="json")
                rows.append(
                    (
                        model.id,
                        model.version,
                        model.updated_at,
                        received,
                        *spec.extract(data),
                        dumps(data),
                    )
                )
            if rows:
                conn.executemany(_UPSERT[entity], rows)
                upserts += len(rows)
        conn.execute("UPDATE shoppers SET fetched = 1 WHERE id = ?", (profile.shopper.id,))
    return PageApplied(upserts=upserts, deletes=0, skipped=0)
