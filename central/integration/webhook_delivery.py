"""The webhook sender: queues the feed's new events for every endpoint and POSTs them.

One sender runs in every central process (a thread started in the app's lifespan,
:func:`start_sender`), but only one at a time sends: each tick first takes or renews the
lease row ``leases.name = 'webhook-sender'`` (a row in central's database, so it works on
SQLite and PostgreSQL and across worker processes and machines). A sender that stops
renewing (its process died) loses the lease after ``lease_s`` and another takes over; at
most the delivery it was sending is sent again, which the stable event id makes harmless.

Per endpoint, deliveries go out one at a time in the log's order (the feed's order): the
oldest pending delivery is tried; on success the next follows at once. A failure
(connection error, timeout, a status other than 2xx) keeps that delivery at the head and
schedules it again after an exponential backoff with jitter, so an endpoint that is down
holds its later events back instead of receiving them out of order. After
``max_attempts`` the delivery is marked ``failed`` and the next one goes; the operator
replays it from the log (``python -m central webhooks replay``).
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass

import httpx

from central.db import CentralDB, database_errors
from central.integration import webhooks
from central.integration.webhooks import DELIVERED, FAILED, PENDING, EventSource
from sync.wire import utc_now

log = logging.getLogger("clienteling.central.webhooks")

LEASE = "webhook-sender"
MAX_ERROR_CHARS = 300


@dataclass(frozen=True)
class SenderSettings:
    """How the sender paces itself (``create_app(webhooks=...)``; tests shorten them)."""

    poll_s: float = 1.0
    """Seconds between looks at the feed and the queue."""
    timeout_s: float = 10.0
    """Seconds one POST may take (connect and answer) before it counts as failed."""
    backoff_base_s: float = 5.0
    """The wait before the first retry; it doubles with every failed attempt."""
    backoff_max_s: float = 3600.0
    """The longest wait between two attempts."""
    max_attempts: int = 20
    """Attempts before a delivery is marked failed (20: 6 to 11 hours with the defaults)."""
    lease_s: float = 30.0
    """How long the lease lasts unless renewed."""
    drain: int = 200
    """Deliveries sent at most per endpoint in one tick."""


def backoff(attempts: int, settings: SenderSettings, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``attempts`` failed attempts: exponential, capped, with jitter
    (between half and all of the step, so retries from many deliveries spread out)."""
    step = min(settings.backoff_max_s, settings.backoff_base_s * 2.0 ** max(0, attempts - 1))
    jitter: float = (rng or random).random()
    return step * (0.5 + 0.5 * jitter)


def take_lease(db: CentralDB, holder: str, seconds: float) -> bool:
    """Take the sender's lease, or renew it if ``holder`` has it; whether it is ours."""
    now = time.time()
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
            " expires_at = excluded.expires_at"
            " WHERE leases.holder = excluded.holder OR leases.expires_at < ?",
            (LEASE, holder, now + seconds, now),
        )
        row = conn.execute("SELECT holder FROM leases WHERE name = ?", (LEASE,)).fetchone()
    return row is not None and str(row[0]) == holder


def release_lease(db: CentralDB, holder: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (LEASE, holder))


class Sender:
    """Queues and sends deliveries while it holds the lease (:meth:`tick`)."""

    def __init__(
        self,
        db: CentralDB,
        events: EventSource,
        settings: SenderSettings | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.db = db
        self.events = events
        self.settings = settings or SenderSettings()
        self.holder = f"{uuid.uuid4().hex[:12]}"
        self.client = client or httpx.Client(
            timeout=self.settings.timeout_s, trust_env=False, follow_redirects=False
        )

    def tick(self) -> int:
        """One round: queue new events, send what is due. Returns the attempts made.
        Without any endpoint it only reads (no lease is written every second for nothing)."""
        endpoints = webhooks.list_endpoints(self.db)
        if not endpoints or not take_lease(self.db, self.holder, self.settings.lease_s):
            return 0
        webhooks.queue_new_events(self.db, self.events)
        attempts = 0
        for endpoint in endpoints:
            attempts += self._drain(endpoint.id)
        return attempts

    def _drain(self, endpoint_id: str) -> int:
        secret = webhooks.secret_of(self.db, endpoint_id)
        url = next((e.url for e in webhooks.list_endpoints(self.db) if e.id == endpoint_id), None)
        if secret is None or url is None:
            return 0
        made = 0
        while made < self.settings.drain:
            row = self.db.one(
                "SELECT id, event_id, body, attempts, next_attempt_at FROM webhook_deliveries"
                " WHERE endpoint_id = ? AND status = ? ORDER BY position LIMIT 1",
                (endpoint_id, PENDING),
            )
            if row is None or float(row[4]) > time.time():
                return made
            if not take_lease(self.db, self.holder, self.settings.lease_s):
                return made
            made += 1
            if not self._attempt(url, secret, str(row[0]), str(row[1]), str(row[2]), int(row[3])):
                return made
        return made

    def _attempt(
        self, url: str, secret: str, delivery_id: str, event_id: str, body: str, attempts: int
    ) -> bool:
        """POST one delivery and log the outcome; whether it was delivered."""
        data = body.encode()
        status_code: int | None = None
        error: str | None = None
        try:
            response = self.client.post(
                url, content=data, headers=webhooks.headers(secret, data, event_id, delivery_id)
            )
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"[:MAX_ERROR_CHARS]
        attempts += 1
        now = utc_now()
        if error is None:
            status, next_at = DELIVERED, time.time()
        elif attempts >= self.settings.max_attempts:
            status, next_at = FAILED, time.time()
        else:
            status, next_at = PENDING, time.time() + backoff(attempts, self.settings)
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE webhook_deliveries SET status = ?, attempts = ?, status_code = ?,"
                " error = ?, next_attempt_at = ?, last_attempt_at = ?, delivered_at = ?"
                " WHERE id = ? AND status = ?",
                (
                    status,
                    attempts,
                    status_code,
                    error,
                    next_at,
                    now,
                    now if status == DELIVERED else None,
                    delivery_id,
                    PENDING,
                ),
            )
        if error is not None:
            log.warning(
                "webhook delivery %s attempt %d failed (%s); %s",
                delivery_id,
                attempts,
                error.split(":")[0],
                "gave up" if status == FAILED else "will retry",
            )
        return error is None

    def run(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set; a database failure is logged and tried again."""
        try:
            while not stop.is_set():
                try:
                    self.tick()
                except database_errors() as failure:
                    log.warning("webhook sender: database failure (%s)", type(failure).__name__)
                stop.wait(self.settings.poll_s)
        finally:
            try:
                release_lease(self.db, self.holder)
            except database_errors():
                log.info("webhook sender: lease left to expire")
            self.client.close()


def start_sender(
    db: CentralDB, settings: SenderSettings, events: EventSource | None = None
) -> tuple[threading.Thread, threading.Event]:
    """The sender in a daemon thread; set the event and join the thread to stop it."""
    stop = threading.Event()
    sender = Sender(db, events or webhooks.feed_events, settings)
    thread = threading.Thread(target=sender.run, args=(stop,), name="webhook-sender", daemon=True)
    thread.start()
    return thread, stop
