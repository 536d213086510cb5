"""Personal offers, touches and the sales credited to them, as the ``data`` of a change.

An ``offer`` is a promotion scoped to one shopper (``create_offer``): the one pricing
rule (``sync.rules.pricing``) applies it the same on the tablet, in central's orders and
in the web shop's cart. A ``touch`` is one thing an associate (or a kiosk) did with a
shopper, recorded by central with the associate and store; a ``credit`` is an online
order attributed to the last touch before it within the window
(``sync.rules.attribution``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.wire.base import Entity, Id, Model, ShortText, Timestamp
from sync.wire.shoppers import Author, Channel

OfferStatus = Literal["pending_approval", "active", "declined", "used", "cancelled"]
"""An ``active`` offer past ``ends_at`` reads as expired (``sync.rules.pricing``)."""


class Offer(Entity):
    """A discount for one shopper on some styles (any size and colour of each): either
    ``percent_off`` or ``amount_off_cents`` per unit, never both."""

    shopper_id: Id
    store_id: Id
    style_ids: Annotated[list[Id], Field(min_length=1, max_length=20)]
    percent_off: int | None = Field(default=None, ge=1, le=90)
    amount_off_cents: int | None = Field(default=None, ge=1)
    starts_at: Timestamp
    ends_at: Timestamp
    status: OfferStatus
    note: ShortText | None = None  # why ("for the cart she left online")
    created_by: Author
    approved_by: Author | None = None  # a manager, when above the creator's limit
    decided_at: Timestamp | None = None
    used_order_id: Id | None = None
    used_channel: Channel | None = None
    used_at: Timestamp | None = None


TouchKind = Literal[
    "message",
    "note",
    "reservation",
    "cart_edit",
    "offer",
    "shared_cart",
    "pay_link",
    "kiosk_identification",
]


class Touch(Entity):
    """One contact with a shopper, as central recorded it from a command it applied."""

    shopper_id: Id
    store_id: Id
    staff_id: Id | None = None  # None: a kiosk identification
    staff_name: ShortText | None = None
    kind: TouchKind
    source_id: Id  # the message, note, reservation, cart, offer or order id
    at: Timestamp


class Credit(Entity):
    """An online order credited to the last touch before it (``id == order_id``)."""

    order_id: Id
    shopper_id: Id
    order_channel: Channel
    ordered_at: Timestamp
    total_cents: int = Field(ge=0)
    store_id: Id
    staff_id: Id | None = None
    staff_name: ShortText | None = None
    touch_id: Id
    touch_kind: TouchKind
    touched_at: Timestamp
    reason: Annotated[str, Field(min_length=1, max_length=300)]
    """In a sentence: "Ordered online 3 days after Aoife sent her cart by email"."""


class OfferLimit(Model):
    """The deepest discount a role may give without approval, and for how long."""

    role: Literal["associate", "manager"]
    max_percent: int = Field(ge=0, le=90)


class ReturnDays(Model):
    """The return window, in days, for an order of each channel."""

    web: int = Field(default=30, ge=0, le=365)
    app: int = Field(default=30, ge=0, le=365)
    store: int = Field(default=30, ge=0, le=365)


class Policy(Entity):
    """The chain's rules for reaching shoppers (one row, ``id == "chain"``), set in
    central's config and synced to every device, so a tablet can say what central will
    decide. Central enforces them from its own copy."""

    offer_limits: Annotated[list[OfferLimit], Field(min_length=1)]
    offer_max_days: int = Field(ge=1, le=365)
    quiet_start: Annotated[str, Field(pattern=r"^\d{2}:\d{2}$")]  # store's local time
    quiet_end: Annotated[str, Field(pattern=r"^\d{2}:\d{2}$")]
    marketing_cap_hours: int = Field(ge=0, le=24 * 14)
    attribution_days: int = Field(ge=1, le=90)
    # Returns (``sync.rules.returns``): days to bring an order back, by the order's channel,
    # counted from its delivery or collection (from its placing when it has neither).
    return_days: ReturnDays = Field(default_factory=lambda: ReturnDays())
    not_returnable_categories: list[ShortText] = Field(default_factory=list, max_length=50)
    not_returnable_skus: list[Id] = Field(default_factory=list, max_length=500)
    override_days: int = Field(default=30, ge=0, le=365)
    """How far past the window a manager may still accept a return (0: never)."""
    # Loyalty points redeemed in store (``sync.rules.loyalty``), the same rules as online.
    point_value_cents: int = Field(default=1, ge=1, le=100)  # one point is worth this much
    min_redeem_points: int = Field(default=500, ge=1)
    max_redeem_percent: int = Field(default=50, ge=1, le=100)  # of what the points pay toward
