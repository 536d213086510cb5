"""Central's own service messages: "your reservation is ready", by the channel the shopper
chose when reserving (``notify_by``: email or sms; none for ``none``), once per reservation.

The text is the retailer's template ``tpl-reservation-ready`` (the demo seed has it) filled
with the shopper's first name, the associate and the store, or :data:`READY_BODY` when the
database has no such template. The message is written in the command's transaction, so it
exists exactly when the reservation became ready, and its id (``ready-<reservation id>``)
makes it once: undoing "ready" and marking it ready again sends nothing new. A message
central may not send (no address, the shopper unsubscribed from that channel) is recorded
``failed`` with the reason, so the associate sees why the shopper was not told.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from central import policy
from sync import wire
from sync.rules import messaging
from sync.wire import utc_now

if TYPE_CHECKING:
    from central.commands.base import Context

READY_TEMPLATE_ID = "tpl-reservation-ready"
READY_SUBJECT = "Your reservation is ready at {store}"
READY_BODY = (
    "Hello {first_name}, your reservation is ready to collect at {store}. "
    "We will hold it for you. See you soon, {associate}."
)


def reservation_ready(ctx: Context, reservation: dict[str, Any]) -> str | None:
    """Queue the ready message of ``reservation`` (once); returns its id, or None when the
    shopper asked not to be told or it was written before."""
    channel = reservation.get("notify_by")
    if channel not in ("email", "sms"):
        return None
    message_id = f"ready-{reservation['id']}"
    if ctx.exists("message", message_id):
        return None
    shopper = wire.Shopper.model_validate(ctx.shopper(reservation["shopper_id"]))
    store = wire.Store.model_validate(ctx.store(reservation["store_id"]))
    template = ctx.get("message_template", READY_TEMPLATE_ID)
    subject = str(template.get("subject") or READY_SUBJECT) if template else READY_SUBJECT
    body = str(template["body"]) if template else READY_BODY
    values = {
        "first_name": shopper.first_name,
        "store": store.name,
        "associate": (ctx.staff_name() or store.name).split()[0],
    }
    now = utc_now()
    refused = messaging.refusal(
        shopper=shopper,
        channel=channel,
        purpose="service",
        policy=policy.current(ctx.conn),
        store=store,
        now=datetime.fromisoformat(now),
        last_marketing_at=None,
    )
    data: dict[str, Any] = {
        "id": message_id,
        "shopper_id": shopper.id,
        "store_id": store.id,
        "direction": "out",
        "channel": channel,
        "purpose": "service",
        "template_id": READY_TEMPLATE_ID if template else None,
        "subject": messaging.fill(subject, values) if channel == "email" else None,
        "body": messaging.fill(body, values),
        "status": "queued" if refused is None else "failed",
        "status_note": refused.text if refused is not None else None,
        "author": None,
        "created_at": now,
    }
    ctx.put("message", data)
    return message_id
