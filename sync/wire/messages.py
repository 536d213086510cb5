"""Messages to and from a shopper, and the retailer's templates, as the ``data`` of a change.

An associate composes a message on a tablet (``send_message``, queued offline like any
command); central decides whether it may go (consent, unsubscribes, quiet hours in the
store's time zone, the marketing cap: ``sync.rules.messaging``) and delivers it by SMTP
(email) or a provider (SMS, WhatsApp). The ``message`` entity then carries its life:
``queued`` -> ``sent`` -> ``delivered`` (or ``failed``), and replies come in as messages
with ``direction == "in"``. A message central refused is never a ``message``: the
command is rejected with the reason, and waits on the associate's attention list.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.wire.base import Entity, Id, Model, ShortText, Timestamp
from sync.wire.shoppers import Author

MessageChannel = Literal["email", "sms", "whatsapp"]
MessagePurpose = Literal["marketing", "service"]
"""``service`` (your reservation is ready, your pay link) is not capped and may go to a
shopper who has not opted in to marketing on that channel; ``marketing`` is both."""
MessageStatus = Literal["queued", "sent", "delivered", "failed", "received"]
MessageDirection = Literal["out", "in"]
MessageBody = Annotated[str, Field(min_length=1, max_length=2000)]

MAX_CARDS = 6


class Look(Model):
    """A set of products an associate put together ("the look"), by SKU."""

    title: ShortText
    skus: Annotated[list[Id], Field(min_length=1, max_length=MAX_CARDS)]


class Attachments(Model):
    """What a message carries besides its text; central renders each (a product card with
    image, name, price with promotion or offer, availability and a link to the web shop;
    a link that opens the shared cart or the look on the web shop; the order's pay link)."""

    skus: Annotated[list[Id], Field(max_length=MAX_CARDS)] = Field(default_factory=list)
    cart_id: Id | None = None  # the shopper's cart as the associate left it
    look: Look | None = None
    pay_order_id: Id | None = None  # an order placed in store, awaiting payment


class ProductCard(Model):
    """A product as the message showed it when central sent it."""

    sku: Id
    name: ShortText
    image_url: Annotated[str, Field(max_length=500)]
    list_cents: int = Field(ge=0)
    price_cents: int = Field(ge=0)
    price_note: ShortText | None = None  # the promotion's or personal offer's name
    availability: ShortText  # "In stock at Dublin Grafton St", "Online only"
    url: Annotated[str, Field(max_length=500)]


class Message(Entity):
    """One message to (``out``) or from (``in``) a shopper. ``id`` is the client-chosen id
    of ``send_message`` (or central's, for service messages and replies)."""

    shopper_id: Id
    store_id: Id
    direction: MessageDirection = "out"
    channel: MessageChannel
    purpose: MessagePurpose
    template_id: Id | None = None
    subject: ShortText | None = None  # email only
    body: MessageBody
    attachments: Attachments = Field(default_factory=Attachments)
    cards: Annotated[list[ProductCard], Field(max_length=MAX_CARDS * 2)] = Field(
        default_factory=list
    )
    links: dict[str, Annotated[str, Field(max_length=500)]] = Field(default_factory=dict)
    """What central linked, by kind: ``cart``, ``look``, ``pay``, ``unsubscribe``."""
    status: MessageStatus
    status_note: ShortText | None = None  # why it failed, in a sentence
    author: Author | None = None  # None: central's own (service) or the shopper's reply
    reply_to: Id | None = None  # a reply: the message it answers
    created_at: Timestamp
    sent_at: Timestamp | None = None
    delivered_at: Timestamp | None = None


class MessageTemplate(Entity):
    """A retailer's template. ``subject`` and ``body`` may hold ``{first_name}``,
    ``{associate}`` and ``{store}`` (``sync.rules.messaging.fill``); the associate edits
    the filled text before sending."""

    name: ShortText
    purpose: MessagePurpose
    channels: Annotated[list[MessageChannel], Field(min_length=1)]
    subject: ShortText | None = None
    body: MessageBody
    attaches: Literal["none", "products", "cart", "look", "pay_link", "back_in_stock"] = "none"
    """What the template is for, so the compose dialog offers the right attachment."""
    active: bool = True
