"""What a provider's webhooks and a shopper's unsubscribe do to central's records.

* A status report moves an outbound message to ``delivered`` (``delivered_at``) or
  ``failed`` (``status_note``: the provider's reason).
* An inbound text becomes a reply: a ``message`` with ``direction == "in"``, status
  ``received``, ``reply_to`` the last message sent to that shopper on that channel. Its
  id is made from the provider's id, so a webhook delivered twice records one reply.
  "STOP" (and its usual synonyms) withdraws the shopper's consent to that channel: the
  consent flag goes false and an ``Unsubscribe`` entry records when.
* The email's unsubscribe link withdraws email consent once (a second visit changes
  nothing and says so).

Every write goes through ``Entities.put``, so devices receive it through the feed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from central.db import CentralDB
from central.entities import Entities
from central.storage.dialect import Conn
from sync import wire
from sync.wire import utc_now

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
MAX_UNSUBSCRIBES = 10  # wire.Consent keeps the last ten


class StatusReport(wire.Model):
    """``POST /v1/messaging/{provider}/status``: what became of a message we sent."""

    message_id: wire.Id
    status: Literal["delivered", "failed"]
    reason: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class InboundText(wire.Model):
    """``POST /v1/messaging/{provider}/inbound``: a shopper's text to us."""

    id: Annotated[str, Field(min_length=1, max_length=48, pattern=r"^[A-Za-z0-9_\-\.]+$")]
    sender: Annotated[str, Field(min_length=3, max_length=40)]  # E.164, as the provider saw it
    text: Annotated[str, Field(min_length=1, max_length=2000)]


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Literal["applied", "duplicate", "ignored"]
    reason: str | None = None


def _get(conn: Conn, db: CentralDB, entity: str, id_: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0"
        + db.dialect.for_update,
        (entity, id_),
    ).fetchone()
    return json.loads(row[0]) if row else None


def apply_status(db: CentralDB, entities: Entities, channel: str, report: StatusReport) -> Outcome:
    with db.transaction() as conn:
        message = _get(conn, db, "message", report.message_id)
        if message is None or message["channel"] != channel or message["direction"] != "out":
            return Outcome("ignored", "no message of ours with this id on this channel")
        if message["status"] == report.status:
            return Outcome("duplicate")
        changed: dict[str, Any] = {"status": report.status}
        if report.status == "delivered":
            changed["delivered_at"] = utc_now()
            changed["status_note"] = None
        else:
            changed["status_note"] = (
                report.reason or f"The {channel} provider could not deliver it."
            )
        entities.put(conn, "message", {**message, **changed})
    return Outcome("applied")


def withdraw(shopper: dict[str, Any], channel: str) -> dict[str, Any] | None:
    """The shopper with consent to ``channel`` withdrawn now (None: already withdrawn)."""
    consent = dict(shopper.get("consent") or {})
    if not consent.get(channel) and any(
        u.get("channel") == channel for u in consent.get("unsubscribed", [])
    ):
        return None
    gone = [*consent.get("unsubscribed", []), {"channel": channel, "at": utc_now()}]
    consent.update({channel: False, "unsubscribed": gone[-MAX_UNSUBSCRIBES:]})
    return {**shopper, "consent": consent}


def _shopper_by_phone(conn: Conn, db: CentralDB, phone: str) -> dict[str, Any] | None:
    column = db.dialect.json_text("data", "phone")
    row = conn.execute(
        f"SELECT data FROM entities WHERE entity = 'shopper' AND deleted = 0 AND {column} = ?"
        " ORDER BY id LIMIT 1" + db.dialect.for_update,
        (phone,),
    ).fetchone()
    return json.loads(row[0]) if row else None


def _last_sent(conn: Conn, db: CentralDB, shopper_id: str, channel: str) -> dict[str, Any] | None:
    rows = conn.execute(
        "SELECT data FROM entities WHERE entity = 'message' AND shopper_id = ? AND deleted = 0",
        (shopper_id,),
    ).fetchall()
    sent = [
        m
        for m in (json.loads(r[0]) for r in rows)
        if m["direction"] == "out" and m["channel"] == channel and m["status"] != "queued"
    ]
    return max(sent, key=lambda m: m.get("sent_at") or m["created_at"], default=None)


def apply_inbound(db: CentralDB, entities: Entities, channel: str, inbound: InboundText) -> Outcome:
    reply_id = f"in-{channel}-{inbound.id}"
    with db.transaction() as conn:
        if _get(conn, db, "message", reply_id) is not None:
            return Outcome("duplicate")
        shopper = _shopper_by_phone(conn, db, inbound.sender.strip())
        if shopper is None:
            return Outcome("ignored", "no shopper with this number")
        last = _last_sent(conn, db, shopper["id"], channel)
        store_id = (last or {}).get("store_id") or shopper.get("home_store_id")
        if not store_id:
            return Outcome("ignored", "no store to file the reply under")
        entities.put(
            conn,
            "message",
            {
                "id": reply_id,
                "shopper_id": shopper["id"],
                "store_id": store_id,
                "direction": "in",
                "channel": channel,
                "purpose": (last or {}).get("purpose", "service"),
                "body": inbound.text,
                "status": "received",
                "author": None,
                "reply_to": (last or {}).get("id"),
                "created_at": utc_now(),
            },
        )
        if inbound.text.strip().upper() in STOP_WORDS:
            withdrawn = withdraw(shopper, channel)
            if withdrawn is not None:
                entities.put(conn, "shopper", withdrawn)
    return Outcome("applied")


def unsubscribe(db: CentralDB, entities: Entities, message_id: str, channel: str) -> bool | None:
    """Withdraw consent to ``channel`` of the shopper ``message_id`` went to: True when
    withdrawn now, False when it already was, None when the message is unknown."""
    with db.transaction() as conn:
        message = _get(conn, db, "message", message_id)
        if message is None:
            return None
        shopper = _get(conn, db, "shopper", str(message["shopper_id"]))
        if shopper is None:
            return None
        withdrawn = withdraw(shopper, channel)
        if withdrawn is None:
            return False
        entities.put(conn, "shopper", withdrawn)
    return True
