"""The delivery worker: queued outbound messages go out once, by SMTP or a provider.

:func:`deliver_pending` runs one round: it claims the queued outbound messages, sends
each, and records what happened (``sent`` with ``sent_at``, or ``failed`` with a
``status_note`` sentence). :func:`deliver_forever` runs rounds every ``every_s`` seconds
in the serving app's lifespan, and at once when a batch of commands was applied (the
:class:`WakeAfterCommands` middleware), so a message usually leaves within a second.

Never twice. Claiming a message writes the claim, a row ``leases.name = 'message:<id>'``
with its holder and an expiry ``claim_s`` ahead, and commits it *before* the send; the
claim's transaction selects the messages ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (two
workers never claim the same message), and on SQLite the claim is one ``BEGIN IMMEDIATE``
transaction (one writer). After the send the message's new status and the claim's removal
commit together. A sender killed between the two (central killed, the machine lost)
leaves a queued message with a claim: once the claim has expired the next round marks it
``failed`` with "delivery interrupted: check before sending again" and does NOT send it
again, because the relay or provider may have taken it already; the associate sees that
note on the timeline and decides. An email's ``Message-ID`` and a provider's idempotency
key are the message id, so even a send repeated by hand is recognisable downstream.

What a message shows (cards, links) is rendered at claim time (``central.messaging.render``)
and stored on the message with the claim, so the timeline shows what was sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from central import policy
from central.db import CentralDB, database_errors
from central.entities import Entities
from central.messaging import render, smtp
from central.messaging.config import MessagingConfig
from central.messaging.providers import HttpProvider, Provider, SendFailed
from central.problems import describe_failure
from central.storage.dialect import Conn
from sync import wire
from sync.rules import messaging
from sync.rules.messaging import address

log = logging.getLogger("clienteling.central.messaging")

INTERRUPTED = "delivery interrupted: check before sending again"
NOT_CONFIGURED = "central has no {channel} delivery configured"
ROUND_LIMIT = 50
HOLDER = uuid.uuid4().hex[:12]  # this process, as the holder of its claims
SendEmail = Callable[[Any, Any], None]


def _claim_name(message_id: str) -> str:
    return f"message:{message_id}"


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _skip_locked(db: CentralDB) -> str:
    """Row locks that skip rows another worker holds (PostgreSQL); SQLite's single
    writer already keeps claims apart."""
    return db.dialect.for_update + (" SKIP LOCKED" if db.dialect.name == "postgresql" else "")


def default_providers(config: MessagingConfig) -> dict[str, HttpProvider]:
    return {channel: HttpProvider(channel, s) for channel, s in config.providers.items()}


@dataclass
class Backlog:
    """Where the queue can start: every queued outbound message has a ``seq`` above
    ``after`` (a message keeps its seq until it is written again, a new one gets a higher
    seq, and commits happen in seq order), so a round reads the feed's recent range by
    its primary key instead of every message ever sent. One per delivery loop."""

    after: int = 0

    def advance(self, db: CentralDB) -> bool:
        """Move ``after`` up to just below the oldest queued message (or to the feed's head
        when none is queued); whether any is queued."""
        head = db.one("SELECT coalesce(max(seq), 0) FROM entities")
        status = db.dialect.json_text("data", "status")
        direction = db.dialect.json_text("data", "direction")
        first = db.one(
            "SELECT min(seq) FROM entities WHERE seq > ? AND entity = 'message'"
            f" AND deleted = 0 AND {status} = 'queued' AND {direction} = 'out'",
            (self.after,),
        )
        if first is None or first[0] is None:
            self.after = max(self.after, int(head[0]) if head else 0)
            return False
        self.after = int(first[0]) - 1
        return True


def deliver_pending(
    db: CentralDB,
    config: MessagingConfig,
    now: datetime | None = None,
    *,
    entities: Entities | None = None,
    providers: Mapping[str, Provider] | None = None,
    limit: int = ROUND_LIMIT,
    backlog: Backlog | None = None,
) -> int:
    """One delivery round; returns how many messages it sent or failed (see the module:
    each message is handed to the relay or provider at most once, and a send interrupted
    by a kill is marked failed "delivery interrupted: check before sending again" rather
    than sent again). ``now``: the round's clock (claims and ``sent_at``); ``backlog``:
    the loop's :class:`Backlog` (without one the round looks at every message)."""
    if providers is None:
        own = default_providers(config)
        try:
            return deliver_pending(
                db, config, now, entities=entities, providers=own, limit=limit, backlog=backlog
            )
        finally:
            for provider in own.values():
                provider.close()
    entities = entities or Entities(db)
    backlog = backlog or Backlog()
    moment = now or datetime.now(UTC)
    done = _fail_interrupted(db, entities, moment)
    if not backlog.advance(db):
        return done  # the usual round: two reads, no write lock taken
    secret = render.link_secret(db)
    claimed, refused = _claim(db, entities, config, secret, moment, limit, backlog.after)
    done += refused
    for message in claimed:
        status, note = _send(db, config, providers, message)
        _finish(db, entities, message["id"], status, note, now or datetime.now(UTC))
        done += 1
    return done


def _fail_interrupted(db: CentralDB, entities: Entities, now: datetime) -> int:
    """Mark failed every queued message whose claim has expired (its sender died)."""
    expired = "SELECT name FROM leases WHERE name LIKE 'message:%' AND expires_at < ?"
    if db.one(expired, (now.timestamp(),)) is None:
        return 0
    failed = 0
    with db.transaction() as conn:
        rows = conn.execute(expired, (now.timestamp(),)).fetchall()
        for (name,) in rows:
            message_id = str(name).partition(":")[2]
            message = _message(conn, db, message_id)
            if message is not None and message["status"] == "queued":
                entities.put(
                    conn, "message", {**message, "status": "failed", "status_note": INTERRUPTED}
                )
                log.warning(
                    "message %s: delivery was interrupted; marked failed, not resent", message_id
                )
                failed += 1
            conn.execute("DELETE FROM leases WHERE name = ?", (name,))
    return failed


def _message(conn: Conn, db: CentralDB, message_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT data FROM entities WHERE entity = 'message' AND id = ? AND deleted = 0"
        + db.dialect.for_update,
        (message_id,),
    ).fetchone()
    return json.loads(row[0]) if row else None


def _claim(
    db: CentralDB,
    entities: Entities,
    config: MessagingConfig,
    secret: bytes,
    now: datetime,
    limit: int,
    after: int,
) -> tuple[list[dict[str, Any]], int]:
    """Claim up to ``limit`` queued outbound messages above seq ``after`` (oldest first)
    that nobody has claimed, render their cards and links, and commit both before anything
    is sent. A message whose attachment is gone (its cart, order or product) is marked
    failed instead, with the reason. Returns the claimed messages and how many failed."""
    status = db.dialect.json_text("data", "status")
    direction = db.dialect.json_text("data", "direction")
    claimed = []
    refused = 0
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT data FROM entities WHERE seq > ? AND entity = 'message' AND deleted = 0"
            f" AND {status} = 'queued' AND {direction} = 'out'"
            " AND NOT EXISTS (SELECT 1 FROM leases WHERE leases.name = 'message:' || entities.id)"
            " ORDER BY seq LIMIT ?" + _skip_locked(db),
            (after, limit),
        ).fetchall()
        for (raw,) in rows:
            message = json.loads(raw)
            shown = render.render(conn, config, secret, message, now)
            if shown.problem is not None:
                note = f"Not sent: {shown.problem}"
                entities.put(conn, "message", {**message, "status": "failed", "status_note": note})
                refused += 1
                continue
            conn.execute(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)",
                (_claim_name(message["id"]), HOLDER, time.time() + config.claim_s),
            )
            message = entities.put(
                conn, "message", {**message, "cards": shown.cards, "links": shown.links}
            )
            claimed.append(message)
    return claimed, refused


def _send(
    db: CentralDB,
    config: MessagingConfig,
    providers: Mapping[str, Provider],
    message: dict[str, Any],
) -> tuple[str, str | None]:
    """Hand one claimed message over; ``("sent", None)`` or ``("failed", why)``."""
    channel = message["channel"]
    with db.reading() as conn:
        row = conn.execute(
            "SELECT data FROM entities WHERE entity = 'shopper' AND id = ? AND deleted = 0",
            (message["shopper_id"],),
        ).fetchone()
    if row is None:
        return "failed", "The shopper is no longer known to central."
    shopper = wire.Shopper.model_validate_json(row[0])
    withdrawn = _withdrawn_since(shopper, message)
    if withdrawn is not None:
        return "failed", withdrawn
    to = address(shopper, channel)
    cards, links = message.get("cards") or [], message.get("links") or {}
    try:
        if channel == "email":
            if config.smtp is None:
                return "failed", NOT_CONFIGURED.format(channel="email")
            mail = smtp.build(
                config.smtp,
                id_=message["id"],
                to=to,
                subject=message.get("subject") or "A message from your store",
                text=render.email_text(message["body"], cards, links),
                html=render.email_html(message["body"], cards, links),
                unsubscribe=links.get("unsubscribe"),
            )
            smtp.send(config.smtp, mail)
        else:
            provider = providers.get(channel)
            if provider is None:
                return "failed", NOT_CONFIGURED.format(channel=channel)
            text = render.sms_text(message["body"], cards, links)
            provider.send(to, text, idempotency_key=message["id"])
    except SendFailed as error:
        log.warning("message %s (%s) failed: %s", message["id"], channel, error)
        return "failed", str(error)
    return "sent", None


def _withdrawn_since(shopper: wire.Shopper, message: dict[str, Any]) -> str | None:
    """Why a message accepted earlier may no longer go (the shopper removed the address,
    withdrew consent or unsubscribed since): the refusal's sentence, or None. Quiet hours
    and the cap were central's decision when it accepted the message and stand."""
    refused = messaging.refusal(
        shopper=shopper,
        channel=message["channel"],
        purpose=message["purpose"],
        policy=wire.Policy.model_validate(policy.row(wire.utc_now())),
        store=None,
        now=datetime.now(UTC),
        last_marketing_at=None,
    )
    if refused is None or refused.code in ("quiet_hours", "frequency_cap"):
        return None
    return f"Not sent: {refused.text}"


def _finish(
    db: CentralDB,
    entities: Entities,
    message_id: str,
    status: str,
    note: str | None,
    now: datetime,
) -> None:
    """Record the send's outcome and drop the claim, in one transaction."""
    with db.transaction() as conn:
        message = _message(conn, db, message_id)
        if message is not None and message["status"] == "queued":
            changed: dict[str, Any] = {"status": status, "status_note": note}
            if status == "sent":
                changed["sent_at"] = _stamp(now)
            entities.put(conn, "message", {**message, **changed})
        conn.execute("DELETE FROM leases WHERE name = ?", (_claim_name(message_id),))


async def deliver_forever(
    db: CentralDB,
    entities: Entities,
    config: MessagingConfig,
    wake: asyncio.Event,
    delivered: Callable[[], None] = lambda: None,
) -> None:
    """A round now, then whenever ``wake`` is set or ``config.every_s`` has passed, until
    cancelled. Rounds run in a worker thread; a failing round (the database locked, a bug)
    is logged and tried again next time. ``delivered``: called on the loop after a round
    that changed messages (the live feed's poke)."""
    backlog = Backlog()
    while True:
        wake.clear()
        round_ = asyncio.ensure_future(
            asyncio.to_thread(deliver_pending, db, config, None, entities=entities, backlog=backlog)
        )
        try:
            if await asyncio.shield(round_):
                delivered()
        except asyncio.CancelledError:
            await asyncio.wait([round_])  # a send in flight finishes and is recorded
            raise
        except database_errors() as error:
            log.error("message delivery round failed: %s", describe_failure(error))
        except Exception as error:  # noqa: BLE001 - a bug: logged with its frames, tried again
            log.error("message delivery round failed by a bug: %s", describe_failure(error))
        with suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), config.every_s)


@asynccontextmanager
async def running(
    db: CentralDB,
    entities: Entities,
    config: MessagingConfig,
    wake: asyncio.Event,
    delivered: Callable[[], None],
) -> AsyncIterator[None]:
    """:func:`deliver_forever` for the length of the block (the app's lifespan)."""
    task = asyncio.create_task(
        deliver_forever(db, entities, config, wake, delivered), name="message-delivery"
    )
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait([task])


class WakeAfterCommands:
    """ASGI middleware: once a ``POST /v1/sync/commands`` has been answered, wake the
    delivery loop (a just-accepted message leaves now, not at the next tick)."""

    def __init__(self, app: Any, wake: asyncio.Event) -> None:
        self.app = app
        self.wake = wake

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)
        if (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and scope.get("path") == "/v1/sync/commands"
        ):
            self.wake.set()
