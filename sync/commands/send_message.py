"""``send_message``: an associate writes to a shopper by email, SMS or WhatsApp.

Composed on a tablet (from a profile, a list row or a task), filled from a retailer's
template (``sync.rules.messaging.fill``) and edited before sending; it may carry product
cards, the shopper's cart or a look to finish on the web shop, or an order's pay link.
Queued offline like any command. The device checks what it can know (an address, the
shopper's consent, quiet hours and the marketing cap under the policy it last synced:
the same ``sync.rules.messaging.refusal`` central applies); central decides again when
the command arrives, and delivers. The timeline shows it pending until central's
``message`` arrives (then queued, sent, delivered or failed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast, get_args

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, full_name, new_id, short
from sync.commands.effects import Active, Effects, NewMessage
from sync.rules import messaging
from sync.wire import Attachments, Id, Model, ShortText
from sync.wire.messages import MessageBody

NAME = "send_message"

CHANNELS = get_args(wire.MessageChannel)
PURPOSES = get_args(wire.MessagePurpose)


class Args(Model):
    message_id: Id  # chosen by the client (uuid4)
    shopper_id: Id
    channel: wire.MessageChannel
    purpose: wire.MessagePurpose
    template_id: Id | None = None
    subject: ShortText | None = None  # email only (required there)
    body: MessageBody
    attachments: Attachments = Attachments()


def _attachments(
    c: Checks, shopper_id: str, value: Attachments | dict[str, Any] | None
) -> Attachments:
    if value is None:
        return Attachments()
    try:
        attachments = value if isinstance(value, Attachments) else Attachments.model_validate(value)
    except ValueError:
        c.fail("attachments", "These attachments cannot be sent; choose them again.")
        return Attachments()
    skus = list(attachments.skus) + (list(attachments.look.skus) if attachments.look else [])
    for sku in skus:
        c.product(sku, "attachments")
    if attachments.cart_id is not None:
        cart = c.cache.shopper_row("carts", attachments.cart_id)
        if not isinstance(cart, wire.Cart) or cart.shopper_id != shopper_id:
            c.fail("attachments", "This cart is not this shopper's; open their profile again.")
    if attachments.pay_order_id is not None:
        order = c.cache.shopper_row("orders", attachments.pay_order_id)
        if not isinstance(order, wire.Order) or order.shopper_id != shopper_id:
            c.fail("attachments", "This order is not this shopper's; open their profile again.")
        elif order.payment.method != "pay_by_link" or order.payment.status != "pending":
            c.fail("attachments", "This order is not waiting for payment by link.")
    return attachments


def check(
    c: Checks,
    *,
    shopper_id: str,
    channel: str,
    purpose: str,
    body: str,
    subject: str | None = None,
    template_id: str | None = None,
    attachments: Attachments | dict[str, Any] | None = None,
) -> Queued:
    message_id = new_id()
    if c.is_kiosk:
        c.fail("body", "Only an associate's tablet can send a message.")
        c.raise_if_any()
    shopper = c.shopper(shopper_id)
    if channel not in CHANNELS:
        c.fail("channel", "Choose email, SMS or WhatsApp.")
    if purpose not in PURPOSES:
        c.fail("purpose", "Choose a marketing or a service message.")
    text = c.text(body, "body", 2000, "Write the message.")
    title: str | None = None
    if channel == "email":
        title = c.text(subject or "", "subject", 200, "Give the email a subject.")
    if template_id is not None and template_id not in {t.id for t in c.cache.message_templates()}:
        c.fail("template_id", "This template is no longer offered; choose another.")
    attached = _attachments(c, shopper_id, attachments)
    if isinstance(shopper, wire.Shopper) and channel in CHANNELS and purpose in PURPOSES:
        refused = _refusal(c, shopper, channel, purpose)
        if refused is not None:
            c.fail("channel", refused.text)
    if c.here is None:
        c.fail("store_id", "This device is not set up for a store yet.")
    c.raise_if_any()
    assert isinstance(shopper, wire.Shopper)
    words = messaging.CHANNEL_WORDS[channel]
    return Queued(
        args=Args(
            message_id=message_id,
            shopper_id=shopper.id,
            channel=cast(wire.MessageChannel, channel),
            purpose=cast(wire.MessagePurpose, purpose),
            template_id=template_id,
            subject=title,
            body=text,
            attachments=attached,
        ),
        summary=f"Message to {full_name(shopper)} by {words}: {short(title or text)}",
        shopper_id=shopper.id,
        store_id=c.here,
        target_id=message_id,
    )


def _refusal(
    c: Checks, shopper: wire.Shopper, channel: str, purpose: str
) -> messaging.Refusal | None:
    """What central will say, under the policy this device last synced (before the first
    sync: no quiet hours and no cap, so only an address and consent are checked here)."""
    last = c.cache.last_marketing_at(shopper.id)
    return messaging.refusal(
        shopper=shopper,
        channel=cast(wire.MessageChannel, channel),  # checked against CHANNELS
        purpose=cast(wire.MessagePurpose, purpose),  # checked against PURPOSES
        policy=c.cache.policy() or _NO_LIMITS,
        store=c.cache.store(c.here) if c.here else None,
        now=datetime.fromisoformat(c.cache.now()),
        last_marketing_at=datetime.fromisoformat(last) if last else None,
    )


_NO_LIMITS = wire.Policy(
    id="none",
    version=1,
    updated_at="2026-01-01T00:00:00Z",
    offer_limits=[wire.OfferLimit(role="manager", max_percent=0)],
    offer_max_days=1,
    quiet_start="00:00",
    quiet_end="00:00",
    marketing_cap_hours=0,
    attribution_days=1,
)
"""No quiet hours and no cap: before the first sync only address and consent are known."""


def new_message(a: Active) -> NewMessage:
    """The message shows as pending in the timeline until central's copy is pulled."""
    return NewMessage(
        id=a.target_id or a.id,
        channel=str(a.args["channel"]),
        purpose=str(a.args["purpose"]),
        subject=a.args.get("subject"),
        body=str(a.args["body"]),
    )


EFFECTS = Effects(table="messages", creates=new_message)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
