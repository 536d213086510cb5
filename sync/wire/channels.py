"""What the retailer's other channels tell central about a shopper, beyond carts, wishlists
and orders: contacts with the contact centre, and products viewed on the web shop or app.

Both arrive through the integration API (``central.integration``) and reach the devices of
the shopper's stores through the changes feed like every other entity.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.wire.base import Entity, Id, ShortText, Timestamp

SupportChannel = Literal["chat", "phone", "email", "social"]
SupportStatus = Literal["open", "pending", "resolved", "closed"]
OnlineChannel = Literal["web", "app"]

SummaryText = Annotated[str, Field(max_length=2000)]


class SupportContact(Entity):
    """One contact with the contact centre: what it was about, how it went, who handled it."""

    shopper_id: Id
    channel: SupportChannel
    subject: ShortText
    summary: SummaryText = ""
    agent: Annotated[str, Field(max_length=200)] | None = None
    status: SupportStatus
    opened_at: Timestamp
    closed_at: Timestamp | None = None


class ProductView(Entity):
    """A product the shopper looked at online (the latest view of that product by them)."""

    shopper_id: Id
    sku: Id
    channel: OnlineChannel
    viewed_at: Timestamp
    views: int = Field(default=1, ge=1, le=100_000)
