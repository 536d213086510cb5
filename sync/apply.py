"""Apply a page of the changes feed to the cache: validated whole, then one transaction.

* :func:`parse_page` (from :mod:`sync.pages`) validates a page *and every entity in it*;
  a bad page raises :class:`sync.errors.BadData` and nothing is touched.
* :func:`apply_page` upserts each change only when its version is at least the stored one
  (and above any tombstone), deletes on tombstones, keeps the FTS indexes in step (by
  triggers) and stores the new cursor, all in one short transaction. Applying a page
  twice, or an older page after a newer one, changes nothing. The ``data`` column holds
  the entity's JSON as central sent it when the page came as text (``texts``).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sync import meta, wire
from sync.db import Database
from sync.pages import loads_page, parse_page
from sync.schema import ENTITY_TABLES

__all__ = ["PageApplied", "apply_page", "apply_profile", "cursor_parts", "loads_page", "parse_page"]

log = logging.getLogger("clienteling.sync.apply")


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


def apply_page(
    db: Database,
    page: wire.ChangesPage,
    *,
    now: str | None = None,
    texts: Sequence[str | None] | None = None,
) -> PageApplied:
    """Apply a validated page and its cursor in one transaction (see module docstring).

    ``texts[i]``, when given and not None, is change ``i``'s ``data`` as central's JSON
    text (``sync.pages.ReadPage``): stored as it is instead of encoding ``data`` again.
    """
    received = now or wire.utc_now()
    by_entity: dict[str, list[tuple[wire.Change, str | None]]] = defaultdict(list)
    for i, change in enumerate(page.changes):
        by_entity[change.entity].append((change, texts[i] if texts is not None else None))
    upserts = deletes = skipped = 0
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    with db.write(durable=False) as conn:
        any_tombstones = conn.execute("SELECT 1 FROM tombstones LIMIT 1").fetchone() is not None
        for entity, changes in by_entity.items():
            spec = ENTITY_TABLES[entity]
            graves = _tombstoned(conn, entity, {c.id for c, _ in changes}) if any_tombstones else {}
            rows: list[tuple[Any, ...]] = []
            for change, text in changes:
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
                        dumps(data) if text is None else text,
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
        ("support_contact", list(profile.support_contacts)),
        ("product_view", list(profile.product_views)),
        ("client_assignment", list(profile.client_assignments)),
        ("message", list(profile.messages)),
        ("offer", list(profile.offers)),
        ("touch", list(profile.touches)),
        ("credit", list(profile.credits)),
        ("return", list(profile.returns)),
        ("redemption", list(profile.redemptions)),
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
