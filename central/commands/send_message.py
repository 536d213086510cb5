"""``send_message``: an associate's message to a shopper, which central decides and sends.

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``).
What it may touch: a new ``message`` for a shopper central knows (``unknown_shopper``),
from the device's store, by the signed-in associate. Central is the authority on consent:
``sync.rules.messaging.refusal`` over its own copy of the shopper, the chain's policy
(``central.policy``), the store's time zone and the shopper's last marketing message
decides, and a refusal is the command's rejection with its code (``no_address``,
``no_consent``, ``unsubscribed``, ``quiet_hours``, ``frequency_cap``) and sentence, which
waits on the associate's attention list. An accepted message is stored ``queued``; the
delivery worker (``central.messaging``) sends it once and records what happens to it.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from central import policy
from central.commands.base import Context, Declaration, Reject
from sync import wire
from sync.commands.send_message import Args
from sync.rules import messaging
from sync.wire import utc_now


def last_marketing_at(ctx: Context, shopper_id: str) -> datetime | None:
    """When central last accepted a marketing message to the shopper (any channel)."""
    times = [
        m.get("sent_at") or m["created_at"]
        for m in ctx.entities.for_shopper(shopper_id, "message")
        if m.get("direction", "out") == "out"
        and m.get("purpose") == "marketing"
        and m.get("status") != "failed"
    ]
    return datetime.fromisoformat(max(times)) if times else None


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.exists("message", args.message_id):
        raise Reject("conflict", "A message with this id already exists.")
    shopper = wire.Shopper.model_validate(ctx.shopper(args.shopper_id))
    store = wire.Store.model_validate(ctx.store(ctx.device.store_id))
    now = utc_now()
    refused = messaging.refusal(
        shopper=shopper,
        channel=args.channel,
        purpose=args.purpose,
        policy=policy.current(ctx.conn),
        store=store,
        now=datetime.fromisoformat(now),
        last_marketing_at=last_marketing_at(ctx, shopper.id),
    )
    if refused is not None:
        raise Reject(refused.code, refused.text)
    ctx.book(shopper.id)
    ctx.put(
        "message",
        {
            "id": args.message_id,
            "shopper_id": shopper.id,
            "store_id": store.id,
            "direction": "out",
            "channel": args.channel,
            "purpose": args.purpose,
            "template_id": args.template_id,
            "subject": args.subject,
            "body": args.body,
            "attachments": args.attachments.model_dump(mode="json"),
            "status": "queued",
            "author": ctx.author(),
            "created_at": now,
        },
    )
    return {"message_id": args.message_id}


COMMAND = Declaration(
    "send_message",
    handle,
    touches="a new message to a shopper from the device's own store, if central allows it",
)
