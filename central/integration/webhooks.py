"""Outgoing webhooks: the endpoints an operator configured and the log of deliveries to them.

Every event of the integration events feed (``central.integration.events``) is delivered
to every endpoint, in the feed's order, as a signed ``POST`` (the sender is
``central.integration.webhook_delivery``). This module holds what is stored and how a
delivery is signed:

``webhook_endpoints``  one row per endpoint: its URL, its shared secret, and the feed
                       cursor up to which its deliveries were queued (``after_cursor``; an
                       endpoint starts at the feed's head when it is added). A removed
                       endpoint keeps its row (``removed_at``) so its log stays readable.
``webhook_deliveries`` the delivery log: one row per (endpoint, event) queued, in
                       ``position`` order, with the body as it is sent, the attempts, the
                       last status code or error, and when the next attempt is due.
                       ``status``: ``pending`` (waiting or retrying), ``delivered``,
                       ``failed`` (gave up after the last attempt; replay queues it again).

The secret is stored as it is, in the central database, because central must compute the
signature with it: whoever can read that database (the central service's account and the
database's administrators) can read it; it is never printed after ``webhooks add`` (and only
there with ``--generate-secret``), never logged and never served by the API.

Signature: ``X-Clienteling-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`` with
``X-Clienteling-Timestamp: <unix seconds>``; ``X-Clienteling-Event-Id`` is the same on every
attempt and replay of an event (receivers dedupe on it), ``X-Clienteling-Delivery-Id`` names
the delivery in the log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from central.db import CentralDB
from central.integration.events import events_after
from central.storage.dialect import Conn
from sync.wire import utc_now

Event = dict[str, Any]
EventSource = Callable[[CentralDB, str, int], list[Event]]
"""``events_after(db, cursor, limit)``: the feed's events after ``cursor``, in order."""

SIGNATURE_VERSION = "v1"
MIN_SECRET_CHARS = 16
MAX_URL_CHARS = 2000
PAGE = 500

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookError(ValueError):
    """Input an operator gave that cannot be used (one sentence)."""


@dataclass(frozen=True)
class Endpoint:
    id: str
    url: str
    created_at: str
    after_cursor: str
    removed_at: str | None


@dataclass(frozen=True)
class Delivery:
    id: str
    endpoint_id: str
    event_id: str
    event_cursor: str
    status: str
    attempts: int
    status_code: int | None
    error: str | None
    next_attempt_at: float
    created_at: str
    last_attempt_at: str | None
    delivered_at: str | None


# -- signing ---------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Clienteling-Signature`` value for ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def headers(secret: str, body: bytes, event_id: str, delivery_id: str) -> dict[str, str]:
    """Every header of one attempt, signed now."""
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json",
        "User-Agent": "Clienteling-Webhooks/1",
        "X-Clienteling-Timestamp": str(timestamp),
        "X-Clienteling-Signature": sign(secret, timestamp, body),
        "X-Clienteling-Event-Id": event_id,
        "X-Clienteling-Delivery-Id": delivery_id,
    }


def feed_events(db: CentralDB, cursor: str, limit: int) -> list[Event]:
    """The integration events feed as an :data:`EventSource` (plain JSON objects)."""
    return [e.model_dump(mode="json") for e in events_after(db, cursor, limit).events]


def event_id(event: Event) -> str:
    """The stable id of an event: its place in the feed (the same on every retry)."""
    return f"evt_{event['cursor']}"


def body_of(event: Event) -> str:
    """What is POSTed for ``event``: the event as the feed serves it, with its id."""
    return json.dumps({"event_id": event_id(event), **event}, separators=(",", ":"))


# -- endpoints -------------------------------------------------------------------------------


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL_CHARS:
        raise WebhookError(f"{url!r} is not an http:// or https:// URL.")
    return url


def check_secret(secret: str) -> str:
    secret = secret.strip()
    if len(secret) < MIN_SECRET_CHARS:
        raise WebhookError(f"the secret must have at least {MIN_SECRET_CHARS} characters.")
    return secret


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def add_endpoint(db: CentralDB, url: str, secret: str, events: EventSource) -> Endpoint:
    """A new endpoint; it receives the events that happen from now on (``replay --since``
    sends it earlier ones)."""
    url, secret = check_url(url), check_secret(secret)
    head = feed_head(db, events)
    endpoint = Endpoint("wh_" + uuid.uuid4().hex[:12], url, utc_now(), head, None)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO webhook_endpoints (id, url, secret, created_at, after_cursor)"
            " VALUES (?, ?, ?, ?, ?)",
            (endpoint.id, url, secret, endpoint.created_at, head),
        )
    return endpoint


def feed_head(db: CentralDB, events: EventSource) -> str:
    """The cursor of the last event in the feed now (``''`` when it is empty)."""
    cursor = ""
    while True:
        page = events(db, cursor, PAGE)
        if not page:
            return cursor
        cursor = str(page[-1]["cursor"])


def list_endpoints(db: CentralDB, *, removed: bool = False) -> list[Endpoint]:
    rows = db.all(
        "SELECT id, url, created_at, after_cursor, removed_at FROM webhook_endpoints"
        + ("" if removed else " WHERE removed_at IS NULL")
        + " ORDER BY created_at, id"
    )
    return [Endpoint(*row) for row in rows]


def secret_of(db: CentralDB, endpoint_id: str) -> str | None:
    row = db.one("SELECT secret FROM webhook_endpoints WHERE id = ?", (endpoint_id,))
    return str(row[0]) if row else None


def remove_endpoint(db: CentralDB, endpoint_id: str) -> bool:
    """Stop delivering to it (its pending deliveries are dropped from the queue, its log
    stays). ``False`` when there is no such endpoint in use."""
    now = utc_now()
    with db.transaction() as conn:
        cursor = conn.execute(
            "UPDATE webhook_endpoints SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
            (now, endpoint_id),
        )
        if cursor.rowcount == 0:
            return False
        conn.execute(
            "UPDATE webhook_deliveries SET status = ?, error = ? WHERE endpoint_id = ?"
            " AND status = ?",
            (FAILED, "endpoint removed", endpoint_id, PENDING),
        )
    return True


# -- the delivery log ------------------------------------------------------------------------

_DELIVERY_COLUMNS = (
    "id, endpoint_id, event_id, event_cursor, status, attempts, status_code, error,"
    " next_attempt_at, created_at, last_attempt_at, delivered_at"
)


def _next_positions(conn: Conn, count: int) -> int:
    """Reserve ``count`` positions in the log; returns the first."""
    conn.execute(
        "INSERT INTO counters (name, value) VALUES ('webhook_delivery', 0)"
        " ON CONFLICT (name) DO NOTHING"
    )
    row = conn.execute(
        "UPDATE counters SET value = value + ? WHERE name = 'webhook_delivery' RETURNING value",
        (count,),
    ).fetchone()
    return int(row[0]) - count + 1


def queue(conn: Conn, endpoint_id: str, events: Iterable[Event]) -> list[str]:
    """Queue one delivery of each event to the endpoint (inside a transaction); their ids."""
    batch = list(events)
    if not batch:
        return []
    first = _next_positions(conn, len(batch))
    now, created = time.time(), utc_now()
    rows = [
        (
            "dlv_" + uuid.uuid4().hex,
            first + i,
            endpoint_id,
            event_id(event),
            str(event["cursor"]),
            body_of(event),
            PENDING,
            now,
            created,
        )
        for i, event in enumerate(batch)
    ]
    conn.executemany(
        "INSERT INTO webhook_deliveries (id, position, endpoint_id, event_id, event_cursor,"
        " body, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return [str(row[0]) for row in rows]


def queue_new_events(db: CentralDB, events: EventSource, limit: int = PAGE) -> int:
    """Queue, for every endpoint in use, the events after its cursor (one page each);
    returns how many deliveries were queued."""
    queued = 0
    for endpoint in list_endpoints(db):
        page = events(db, endpoint.after_cursor, limit)
        if not page:
            continue
        with db.transaction() as conn:
            row = conn.execute(
                "SELECT after_cursor FROM webhook_endpoints WHERE id = ? AND removed_at IS NULL"
                + db.dialect.for_update,
                (endpoint.id,),
            ).fetchone()
            if row is None or str(row[0]) != endpoint.after_cursor:
                continue  # removed, or another sender moved it meanwhile
            queued += len(queue(conn, endpoint.id, page))
            conn.execute(
                "UPDATE webhook_endpoints SET after_cursor = ? WHERE id = ?",
                (str(page[-1]["cursor"]), endpoint.id),
            )
    return queued


def deliveries(
    db: CentralDB, *, failed_only: bool = False, endpoint_id: str | None = None, limit: int = 100
) -> list[Delivery]:
    """The newest deliveries first (``failed_only``: given up, or still retrying after a
    failure)."""
    where: list[str] = []
    params: list[Any] = []
    if failed_only:
        where.append("(status = 'failed' OR (status = 'pending' AND attempts > 0))")
    if endpoint_id:
        where.append("endpoint_id = ?")
        params.append(endpoint_id)
    sql = f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = db.all(sql + " ORDER BY position DESC LIMIT ?", (*params, limit))
    return [Delivery(*row) for row in rows]


def delivery(db: CentralDB, delivery_id: str) -> Delivery | None:
    row = db.one(f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = ?", (delivery_id,))
    return Delivery(*row) if row else None


def replay_delivery(db: CentralDB, delivery_id: str) -> str:
    """Queue the event of a logged delivery again, to the same endpoint (a new delivery id,
    the same event id and body). Returns the new delivery's id."""
    row = db.one(
        "SELECT d.endpoint_id, d.event_id, d.event_cursor, d.body, e.removed_at"
        " FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id"
        " WHERE d.id = ?",
        (delivery_id,),
    )
    if row is None:
        raise WebhookError(f"there is no delivery {delivery_id}.")
    if row[4] is not None:
        raise WebhookError(f"its endpoint {row[0]} was removed.")
    with db.transaction() as conn:
        position = _next_positions(conn, 1)
        new_id = "dlv_" + uuid.uuid4().hex
        conn.execute(
            "INSERT INTO webhook_deliveries (id, position, endpoint_id, event_id, event_cursor,"
            " body, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id, position, row[0], row[1], row[2], row[3], PENDING, time.time(), utc_now()),
        )
    return new_id


def replay_since(
    db: CentralDB, cursor: str, events: EventSource, endpoint_id: str | None = None
) -> int:
    """Queue every event after ``cursor`` again to every endpoint in use (or one), up to
    where each endpoint's own queue has reached (later events are queued anyway); returns
    how many deliveries were queued."""
    endpoints = [e for e in list_endpoints(db) if endpoint_id in (None, e.id)]
    if endpoint_id and not endpoints:
        raise WebhookError(f"there is no endpoint {endpoint_id} in use.")
    reached = {e.id: e.after_cursor for e in endpoints if e.after_cursor}
    queued = 0
    while reached:
        page = events(db, cursor, PAGE)
        if not page:
            break
        with db.transaction() as conn:
            for endpoint_id_, last in list(reached.items()):
                batch: list[Event] = []
                for event in page:
                    batch.append(event)
                    if str(event["cursor"]) == last:
                        del reached[endpoint_id_]
                        break
                queued += len(queue(conn, endpoint_id_, batch))
        cursor = str(page[-1]["cursor"])
    return queued
