"""Co-purchases: "often bought together", from every store's and channel's orders.

A tablet holds only its store's book, so it cannot count what the whole chain buys
together; central does, and sends the result to every device as ``co_purchase`` entities
(:class:`sync.wire.CoPurchase`, ``id == style_id``), which the tablet's recommendations
read (:mod:`sync.read.recommendations`).

For each style, :func:`compute_co_purchases` counts the orders (any store or channel, not
cancelled) in which another style was bought too, keeps the :data:`TOP` most frequent
bought in at least :data:`MIN_ORDERS` orders, and writes only the styles whose list
changed: a rerun over the same orders writes nothing, so the feed does not grow by itself.

It is one streaming pass over the orders, a page of :data:`PAGE` at a time in id order
(the ``(entity, id)`` index), each reading only the order's ``lines``; memory grows with
the catalog's styles, not with the orders. Central runs it after seeding
(:func:`central.seed.seed_database`), every :data:`DEFAULT_EVERY_S` seconds while it serves
(``python -m central serve --co-purchases-every``), and on demand
(``python -m central co-purchases --db ...``, for IT's nightly job).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from central.db import CentralDB, database_errors
from central.entities import Entities
from central.problems import describe_failure

log = logging.getLogger("clienteling.central")

ENTITY = "co_purchase"
TOP = 12
"""Styles kept per style, the most frequent first."""
MIN_ORDERS = 2
"""A style bought with another in fewer orders than this is not "often" bought with it."""
PAGE = 5000
"""Orders read per query."""
DEFAULT_EVERY_S = 3600.0


def style_of_sku(db: CentralDB) -> dict[str, str]:
    """sku -> style id, for every product in the catalog."""
    style = db.dialect.json_text("data", "style_id")
    rows = db.all(f"SELECT id, {style} FROM entities WHERE entity = 'product' AND deleted = 0")
    return {str(sku): str(style_id) for sku, style_id in rows}


def count_pairs(db: CentralDB) -> dict[str, Counter[str]]:
    """style -> other style -> orders (not cancelled) in which both were bought."""
    styles = style_of_sku(db)
    pairs: dict[str, Counter[str]] = {}
    status = db.dialect.json_text("data", "status")
    lines = db.dialect.json_text("data", "lines")
    sql = (
        f"SELECT id, {lines} FROM entities WHERE entity = 'order' AND deleted = 0"
        f" AND {status} <> 'cancelled' AND id > ? ORDER BY id LIMIT {PAGE}"
    )
    after = ""
    with db.reading() as conn:
        while True:
            page = conn.execute(sql, (after,)).fetchall()
            for _, raw in page:
                bought = {styles[s] for s in (ln["sku"] for ln in json.loads(raw)) if s in styles}
                if len(bought) < 2:
                    continue
                for style in bought:
                    counter = pairs.setdefault(style, Counter())
                    counter.update(other for other in bought if other != style)
            if len(page) < PAGE:
                return pairs
            after = str(page[-1][0])


def top_styles(counter: Counter[str]) -> list[dict[str, Any]]:
    """The :data:`TOP` styles bought in at least :data:`MIN_ORDERS` orders, most first
    (ties by style id, so the same counts always give the same list)."""
    kept = sorted((-n, style) for style, n in counter.items() if n >= MIN_ORDERS)
    return [{"style_id": style, "orders": -n} for n, style in kept[:TOP]]


def compute_co_purchases(
    db: CentralDB, now: datetime | None = None, entities: Entities | None = None
) -> int:
    """Count co-purchases over every order and write the ``co_purchase`` entities whose
    list changed (a style left with none is deleted). Returns how many it wrote."""
    started = time.perf_counter()
    entities = entities or Entities(db)
    computed_at = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    wanted = {
        style: top for style, counter in count_pairs(db).items() if (top := top_styles(counter))
    }
    written = 0
    with db.transaction() as conn:
        known = {
            str(id_): json.loads(raw)["with_styles"]
            for id_, raw in conn.execute(
                "SELECT id, data FROM entities WHERE entity = ? AND deleted = 0", (ENTITY,)
            ).fetchall()
        }
        for style in sorted(wanted):
            if known.get(style) != wanted[style]:
                data = {
                    "id": style,
                    "style_id": style,
                    "with_styles": wanted[style],
                    "computed_at": computed_at,
                }
                entities.put(conn, ENTITY, data)
                written += 1
        for style in sorted(set(known) - set(wanted)):
            entities.delete(conn, ENTITY, style)
            written += 1
    log.info(
        "co-purchases: %d style(s) with some, %d written, in %.1f s",
        len(wanted),
        written,
        time.perf_counter() - started,
    )
    return written


async def compute_forever(db: CentralDB, entities: Entities, every_s: float) -> None:
    """Compute now, then every ``every_s`` seconds, until cancelled (in a worker thread,
    so the event loop keeps serving). A failed run is logged and tried again next time."""
    while True:
        run = asyncio.ensure_future(asyncio.to_thread(compute_co_purchases, db, None, entities))
        try:
            await asyncio.shield(run)
        except asyncio.CancelledError:
            await asyncio.wait([run])  # shutting down: let a run in flight finish first
            if not run.cancelled() and (error := run.exception()) is not None:
                log.error("the last co-purchase run failed: %s", describe_failure(error))
            raise
        except database_errors() as error:
            log.error("co-purchases failed, trying again later: %s", describe_failure(error))
        except Exception as error:  # noqa: BLE001 - a bug: logged with its frames, run again
            log.error("co-purchases failed by a bug: %s", describe_failure(error))
        await asyncio.sleep(every_s)


def run_cli(where: str | Path) -> int:
    """``python -m central co-purchases --db WHERE``: one run; prints what it wrote."""
    from central.admin import AdminError, known_failures, open_existing

    try:
        db = open_existing(where)
    except AdminError as error:
        print(f"central: {error}", file=sys.stderr)
        return 1
    try:
        started = time.perf_counter()
        written = compute_co_purchases(db)
    except known_failures() as error:
        print(f"central: co-purchases failed: {describe_failure(error)}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"co-purchases: {written} style(s) updated in {time.perf_counter() - started:.1f} s")
    return 0
