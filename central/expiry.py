"""Reservation expiry: a hold whose time has passed gives its stock back.

A ``pending`` or ``ready`` reservation whose ``hold_until`` lies before now becomes
``expired`` and its quantity returns to the store's stock (``reserved -= qty``,
``available += qty``). Both writes go through :meth:`Entities.put`, so they get a new
version and seq and reach devices through the changes feed like every other write; the
expiry is a ``reservation.status_changed`` event for the retailer's systems.

:func:`expire_reservations` does one sweep (tests call it with a chosen ``now``);
:func:`sweep_forever` runs it every N seconds inside the app's lifespan
(``create_app(..., expire_every=60.0)``, ``python -m central serve --expire-every``).
Commands treat a reservation past its hold as expired even before the sweep reaches it
(see ``commands.set_reservation_status``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from central.db import CentralDB, database_errors
from central.entities import Entities
from central.integration import events
from central.problems import describe_failure

log = logging.getLogger("clienteling.central")

ACTIVE = ("pending", "ready")
DEFAULT_EVERY_S = 60.0


def wire_second(now: datetime) -> str:
    """``now`` as ``YYYY-MM-DDTHH:MM:SS`` in UTC: a wire timestamp's comparable prefix."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def hold_passed(reservation: dict[str, Any], now: datetime | None = None) -> bool:
    """Whether the reservation's hold time lies before ``now`` (default: the clock)."""
    moment = wire_second(now or datetime.now(UTC))
    return str(reservation["hold_until"])[:19] < moment


def expire_reservations(
    db: CentralDB, now: datetime | None = None, entities: Entities | None = None
) -> int:
    """Expire every active reservation held until before ``now``; returns how many.

    One transaction: the reservations and their stock change together or not at all.
    Safe to run while the server serves (the same lock and ``BEGIN IMMEDIATE``), and from
    another process on the same database file.
    """
    entities = entities or Entities(db)
    moment = wire_second(now or datetime.now(UTC))
    expired = 0
    with db.transaction() as conn:
        status = db.dialect.json_text("data", "status")
        hold = db.dialect.json_text("data", "hold_until")
        rows = conn.execute(
            "SELECT data FROM entities WHERE entity = 'reservation' AND deleted = 0"
            f" AND {status} IN (?, ?) AND substr({hold}, 1, 19) < ? ORDER BY seq",
            (*ACTIVE, moment),
        ).fetchall()
        for (raw,) in rows:
            reservation = json.loads(raw)
            inv_id = f"{reservation['store_id']}:{reservation['sku']}"
            found = conn.execute(
                "SELECT data FROM entities WHERE entity = 'inventory' AND id = ? AND deleted = 0"
                + db.dialect.for_update,
                (inv_id,),
            ).fetchone()
            if found is not None:
                inv = json.loads(found[0])
                reserved = max(0, int(inv["reserved"]) - int(reservation["qty"]))
                entities.put(
                    conn,
                    "inventory",
                    {
                        **inv,
                        "reserved": reserved,
                        "available": max(0, int(inv["on_hand"]) - reserved),
                    },
                )
            stored = entities.put(conn, "reservation", {**reservation, "status": "expired"})
            # the retailer's systems hear of it (``central.integration.events``)
            events.emit(conn, [events.Written("reservation", stored, False)], stored["store_id"])
            expired += 1
    if expired:
        log.info("expired %d reservation(s) held until before %sZ", expired, moment)
    return expired


async def sweep_forever(
    db: CentralDB,
    entities: Entities,
    every_s: float,
    job: Callable[[CentralDB, datetime | None, Entities], int] = expire_reservations,
    what: str = "reservation expiry sweep",
) -> None:
    """Sweep now, then every ``every_s`` seconds, until cancelled (``job``: another
    periodic job with the same shape, e.g. ``central.clienteling.task_rules``).

    The sweep runs in a worker thread (SQLite work never blocks the event loop). A sweep
    that SQLite fails (database locked, disk full) is logged and tried again next time.
    So is a bug, with where it happened: stopping the sweeps would leave every store's
    lapsed holds holding stock, which is worse than a log line a minute.
    """
    while True:
        sweep = asyncio.ensure_future(asyncio.to_thread(job, db, None, entities))
        try:
            await asyncio.shield(sweep)
        except asyncio.CancelledError:
            # shutting down: let a sweep in flight finish before the database closes
            await asyncio.wait([sweep])
            if not sweep.cancelled() and (error := sweep.exception()) is not None:
                log.error("the last %s failed: %s", what, describe_failure(error))
            raise
        except database_errors() as error:
            log.error(
                "%s failed, trying again in %.0f s: %s",
                what,
                every_s,
                describe_failure(error),
            )
        except Exception as error:  # noqa: BLE001 - a bug: logged with its frames, swept again
            log.error(
                "%s failed by a bug, trying again in %.0f s: %s",
                what,
                every_s,
                describe_failure(error),
            )
        await asyncio.sleep(every_s)
