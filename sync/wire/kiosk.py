"""What a kiosk may receive about a shopper: an explicit allow-list, never the full records.

A kiosk holds no shopper records (see the README's "What a kiosk can see"). It sends the
exact loyalty number (``KioskIdentify``) and central answers with a short-lived
kiosk-shopper session and this projection (``KioskSession``): the first name, tier and
points, the shopper's own cart lines, wishlist and live reservations, and how they asked
to be told when a reservation is ready. Every model here names the fields a kiosk screen
shows and nothing else; a field added to a shopper, a cart or a reservation never reaches
a kiosk unless it is added here on purpose. No surname, email, phone, address, payment
link, note or order.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.wire.base import Id, Model, Qty, ShortText, Timestamp
from sync.wire.shoppers import NotifyBy, ReservationStatus, Tier

LoyaltyNumber = Annotated[str, Field(pattern=r"^\d{12}$")]


class KioskIdentify(Model):
    """The kiosk's question: the exact 12-digit number scanned or typed."""

    loyalty_id: LoyaltyNumber


class KioskCartLine(Model):
    sku: Id
    qty: Qty
    added_at: Timestamp


class KioskWishlistItem(Model):
    id: Id
    sku: Id
    added_at: Timestamp


class KioskReservation(Model):
    id: Id
    store_id: Id
    sku: Id
    qty: Qty
    status: ReservationStatus
    hold_until: Timestamp
    created_at: Timestamp


class KioskShopper(Model):
    """One shopper as a kiosk shows them to themselves."""

    id: Id
    first_name: ShortText
    tier: Tier
    points: int = Field(ge=0)
    notify_by: NotifyBy  # from their consent: how a ready reservation is told
    cart_version: int = Field(ge=0)  # 0: no cart yet
    cart: list[KioskCartLine] = Field(default_factory=list, max_length=100)
    wishlist: list[KioskWishlistItem] = Field(default_factory=list, max_length=200)
    reservations: list[KioskReservation] = Field(default_factory=list, max_length=200)


class KioskSession(Model):
    """A kiosk-shopper session: bound to the kiosk and the shopper, until ``expires_at``."""

    session_id: Annotated[str, Field(min_length=20, max_length=100)]
    expires_at: Timestamp
    shopper: KioskShopper
