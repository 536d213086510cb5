"""Mirrored entities of a shopper: the shopper, carts, wishlists, orders, reservations and
notes (the ``data`` of a change)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.wire.base import Entity, Id, Model, NoteText, Qty, ShortText, Timestamp

Tier = Literal["bronze", "silver", "gold", "platinum"]


class Unsubscribe(Model):
    """A shopper withdrew consent to a channel (the email's unsubscribe link, STOP by SMS)."""

    channel: Literal["email", "sms", "whatsapp"]
    at: Timestamp


class Consent(Model):
    email: bool = False
    sms: bool = False
    whatsapp: bool = False
    unsubscribed: list[Unsubscribe] = Field(default_factory=list, max_length=10)


class Sizes(Model):
    shoes: str | None = None  # EU size, "42"
    tops: str | None = None  # "XS".."XXL"
    bottoms: str | None = None  # waist, "32"


DateKind = Literal["birthday", "anniversary"]


class ImportantDate(Model):
    """A date in a shopper's year worth a call (``year`` when known, for "turns 40")."""

    kind: DateKind
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    year: int | None = Field(default=None, ge=1900, le=2100)


SignedIn = Literal["online", "offline"]
"""How the associate behind a command signed in on the device: through central, or offline
against the device's own verifier (vouched for by their last online sign-in there)."""


class Author(Model):
    """The associate who did something, as central recorded it from the command's session."""

    staff_id: Id
    name: ShortText
    signed_in: SignedIn = "online"


ConsentChannel = Literal["email", "sms", "whatsapp"]
ConsentSource = Literal["tablet", "kiosk", "web", "app", "contact_centre", "unsubscribe"]


class ConsentChange(Model):
    """One opt-in or opt-out, with the words the shopper agreed to, when, where and who
    captured it (``by``: None when the shopper did it themselves: web, app, kiosk)."""

    channel: ConsentChannel
    granted: bool
    wording: Annotated[str, Field(min_length=1, max_length=500)]
    at: Timestamp
    source: ConsentSource
    by: Author | None = None
    store_id: Id | None = None


class Address(Model):
    """A saved delivery address (the order dialog offers them, so nobody types it again)."""

    id: Id
    label: Annotated[str, Field(max_length=40)] = "Home"
    name: ShortText  # who receives it
    line1: ShortText
    line2: Annotated[str, Field(max_length=200)] | None = None
    city: ShortText
    postcode: Annotated[str, Field(max_length=20)]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "IE"
    is_default: bool = False


EDITABLE_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "sizes",
    "favourite_brands",
    "important_dates",
    "addresses",
)
"""The shopper fields ``update_shopper`` may change, each merged on its own: a change is
kept only if it is newer than the field's last change (``Shopper.field_times``).
Consent changes are not edits: they append to ``consent_log`` (see ``update_shopper``)."""


class Shopper(Entity):
    first_name: ShortText
    last_name: ShortText
    email: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(max_length=40)]  # E.164, "+353871234567"
    # printed on card / QR; "" only on a device, for a shopper central has not accepted yet
    loyalty_id: Annotated[str, Field(pattern=r"^(\d{12})?$")]
    tier: Tier
    points: int = Field(ge=0)
    home_store_id: Id
    sizes: Sizes
    favourite_brands: list[ShortText] = Field(default_factory=list, max_length=20)
    consent: Consent
    created_at: Timestamp
    last_visit_at: Timestamp | None = None
    last_visit_store_id: Id | None = None
    important_dates: list[ImportantDate] = Field(default_factory=list, max_length=10)
    addresses: list[Address] = Field(default_factory=list, max_length=10)
    consent_log: list[ConsentChange] = Field(default_factory=list, max_length=200)
    field_times: dict[str, Timestamp] = Field(default_factory=dict)
    """Field name (one of :data:`EDITABLE_FIELDS`) -> when it last changed, on any channel."""
    store_credit_cents: int = Field(default=0, ge=0)
    merged_into: Id | None = None  # set on the duplicate a manager merged into another
    created_by: Author | None = None  # the associate who signed them up (None: online)
    created_store_id: Id | None = None  # the store where they signed up in person


CartStatus = Literal["active", "abandoned", "converted"]
Channel = Literal["web", "app", "store"]


class CartLine(Model):
    sku: Id
    qty: Qty
    price_cents: int = Field(ge=0)  # unit price when added
    added_at: Timestamp
    changed_by: Author | None = None  # who last changed this line (None: online or a kiosk)


class Cart(Entity):
    """A shopper's online cart; one active cart per shopper, ``id == f"cart-{shopper}"``."""

    shopper_id: Id
    channel: Literal["web", "app"]
    status: CartStatus
    lines: list[CartLine] = Field(max_length=100)


class WishlistItem(Entity):
    shopper_id: Id
    sku: Id
    channel: Channel
    added_at: Timestamp


OrderStatus = Literal[
    "placed",
    "awaiting_payment",
    "paid",
    "shipped",
    "delivered",
    "ready_for_pickup",
    "collected",
    "cancelled",
    "returned",
]


class OrderLine(Model):
    sku: Id
    qty: Qty
    price_cents: int = Field(ge=0)  # unit price paid, promotion applied
    offer_id: Id | None = None  # the shopper's personal offer that priced it (it is then used)
    returned_qty: int = Field(default=0, ge=0, le=99)  # brought back so far (central's count)


FulfilmentType = Literal["ship_to_home", "ship_to_store", "carry_out"]
PaymentMethod = Literal["card", "pay_at_till", "pay_by_link"]


class Fulfilment(Model):
    type: FulfilmentType
    store_id: Id | None = None  # ship_to_store: where to collect
    address: Annotated[str, Field(max_length=400)] | None = None  # ship_to_home


class Payment(Model):
    method: PaymentMethod
    status: Literal["pending", "paid", "refunded"]
    link: Annotated[str, Field(max_length=400)] | None = None  # pay_by_link


class Order(Entity):
    number: ShortText  # human-facing, "W-104233", "S1-20931"
    shopper_id: Id
    channel: Channel
    store_id: Id | None = None  # the store it was placed in (channel "store")
    status: OrderStatus
    fulfilment: Fulfilment
    payment: Payment
    lines: list[OrderLine] = Field(min_length=1, max_length=100)
    total_cents: int = Field(ge=0)
    placed_by: Id | None = None  # staff id when placed by an associate
    author: Author | None = None  # who placed it (None: web, app or a kiosk)
    created_at: Timestamp
    fulfilled_at: Timestamp | None = None  # when it was delivered or collected
    points_redeemed: int = Field(default=0, ge=0)  # loyalty points spent on it (redeem_points)
    points_value_cents: int = Field(default=0, ge=0)  # what they took off: the rest is paid


ReservationStatus = Literal["pending", "ready", "collected", "expired", "cancelled"]
NotifyBy = Literal["sms", "email", "none"]


class StatusChange(Model):
    """One change of a reservation's status after it was made, and who made it."""

    status: ReservationStatus
    at: Timestamp
    by: Author | None = None  # None: a kiosk, the expiry sweep, or before authors were kept


class Reservation(Entity):
    store_id: Id
    sku: Id
    qty: Qty
    shopper_id: Id
    status: ReservationStatus
    hold_until: Timestamp
    notify_by: NotifyBy
    created_by: Id | None = None  # staff id, or None from a kiosk
    author: Author | None = None  # who made it (None: a kiosk)
    changes: list[StatusChange] = Field(default_factory=list, max_length=100)
    created_at: Timestamp


NoteKind = Literal["note", "support", "interaction", "kiosk_event"]


class Note(Entity):
    shopper_id: Id
    kind: NoteKind
    text: NoteText
    author_staff_id: Id | None = None
    author_name: Annotated[str, Field(max_length=200)] | None = None
    author: Author | None = None  # with how they signed in (None: a kiosk or no one)
    store_id: Id | None = None
    created_at: Timestamp
