"""The v1 wire schema: every body that crosses HTTP between the app and central.

Both ``sync`` (the client) and ``central`` (the reference server) import this module, so
a field can never mean one thing on one side and another on the other.

Conventions
-----------
* ids are strings. Stores ``S001``..``S003`` plus the online warehouse ``WEB``; staff ids
  ``A1001``..; shopper ids ``SH000001``..; a product's id is its ``sku``; an inventory row's
  id is ``"{store_id}:{sku}"``; entities created by a command carry the id the client chose
  (a UUID4 string) so the optimistic row and the confirmed row are the same row.
* money is integer minor units (``price_cents``), currency ``EUR``.
* timestamps are ISO-8601 strings in UTC with a ``Z`` suffix (``2026-11-22T14:05:00Z``).
* every entity carries ``version`` (an integer central raises on every write) and
  ``updated_at``.

Everything from the network is validated whole with these models; a page or a body that
fails validation is rejected as a whole (``ValidationError``), never half-applied.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

API_VERSION = "v1"

# ---------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------

_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def _check_timestamp(value: str) -> str:
    if not _ISO_RE.match(value):
        raise ValueError("timestamp must be ISO-8601 UTC like 2026-11-22T14:05:00Z")
    datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")  # rejects month 13 and the like
    return value


Timestamp = Annotated[
    str,
    AfterValidator(_check_timestamp),
    Field(
        json_schema_extra={"format": "date-time", "pattern": _ISO_RE.pattern},
        examples=["2026-11-22T14:05:00Z"],
    ),
]
"""ISO-8601 UTC timestamp string ending in ``Z``."""

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9:_\-\.]+$")]
NoteText = Annotated[str, Field(min_length=1, max_length=2000)]
Qty = Annotated[int, Field(ge=1, le=99)]

MAX_STRING = 2000
"""No free-text field on the wire is longer than this."""


def utc_now() -> str:
    """Now as a wire timestamp (second precision)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ts(value: str) -> datetime:
    """A wire timestamp as an aware ``datetime``."""
    return datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


class Model(BaseModel):
    """Base of every wire model: unknown fields are refused, strings are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)


class Entity(Model):
    id: Id
    version: int = Field(ge=1)
    updated_at: Timestamp


# ---------------------------------------------------------------------------------------
# Entities mirrored by the cache (the ``data`` of a change)
# ---------------------------------------------------------------------------------------

StoreKind = Literal["store", "online"]


class Store(Entity):
    name: ShortText
    kind: StoreKind
    address: ShortText
    city: ShortText
    postcode: ShortText
    lat: float
    lon: float
    phone: ShortText
    opening_hours: dict[str, str]  # "mon".."sun" -> "09:00-19:00" or "closed"


class Associate(Entity):
    """A member of staff. ``id`` is the staff id typed at sign-in."""

    name: ShortText
    store_id: Id
    role: Literal["associate", "manager"]
    active: bool = True
    # scrypt(pin, salt, n, r, p, dklen=32), hex; lets a tablet verify a PIN offline.
    pin_salt: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    pin_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    pin_n: int = 16384
    pin_r: int = 8
    pin_p: int = 1


Tier = Literal["bronze", "silver", "gold", "platinum"]


class Consent(Model):
    email: bool = False
    sms: bool = False


class Sizes(Model):
    shoes: str | None = None  # EU size, "42"
    tops: str | None = None  # "XS".."XXL"
    bottoms: str | None = None  # waist, "32"


class Shopper(Entity):
    first_name: ShortText
    last_name: ShortText
    email: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(max_length=40)]  # E.164, "+353871234567"
    loyalty_id: Annotated[str, Field(pattern=r"^\d{12}$")]  # printed on card / QR
    tier: Tier
    points: int = Field(ge=0)
    home_store_id: Id
    sizes: Sizes
    favourite_brands: list[ShortText] = Field(default_factory=list, max_length=20)
    consent: Consent
    created_at: Timestamp
    last_visit_at: Timestamp | None = None
    last_visit_store_id: Id | None = None


Category = Literal["footwear", "apparel", "accessories"]


class Product(Entity):
    """One SKU: a style in one colour and one size. ``id == sku``."""

    sku: Id
    style_id: Id
    name: ShortText
    brand: ShortText
    category: Category
    subcategory: ShortText
    colour: ShortText
    colour_hex: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
    size: Annotated[str, Field(min_length=1, max_length=12)]
    price_cents: int = Field(ge=0)
    currency: Literal["EUR"] = "EUR"
    barcode: Annotated[str, Field(pattern=r"^\d{13}$")]  # EAN-13
    image: Annotated[str, Field(max_length=200)]  # path under resources/, "products/x.svg"
    description: Annotated[str, Field(max_length=MAX_STRING)] = ""


class PromotionScope(Model):
    categories: list[Category] = Field(default_factory=list)
    brands: list[ShortText] = Field(default_factory=list)
    style_ids: list[Id] = Field(default_factory=list)


class Promotion(Entity):
    name: ShortText
    description: Annotated[str, Field(max_length=MAX_STRING)]
    percent_off: int = Field(ge=1, le=90)
    applies_to: PromotionScope  # empty lists on every axis mean "everything"
    starts_at: Timestamp
    ends_at: Timestamp
    channels: list[Literal["web", "app", "store"]]


class Inventory(Entity):
    """Stock of one SKU in one store. ``id == f"{store_id}:{sku}"``."""

    store_id: Id
    sku: Id
    on_hand: int = Field(ge=0)
    reserved: int = Field(ge=0)
    available: int = Field(ge=0)  # on_hand - reserved, never below 0


CartStatus = Literal["active", "abandoned", "converted"]
Channel = Literal["web", "app", "store"]


class CartLine(Model):
    sku: Id
    qty: Qty
    price_cents: int = Field(ge=0)  # unit price when added
    added_at: Timestamp


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
    created_at: Timestamp


ReservationStatus = Literal["pending", "ready", "collected", "expired", "cancelled"]
NotifyBy = Literal["sms", "email", "none"]


class Reservation(Entity):
    store_id: Id
    sku: Id
    qty: Qty
    shopper_id: Id
    status: ReservationStatus
    hold_until: Timestamp
    notify_by: NotifyBy
    created_by: Id | None = None  # staff id, or None from a kiosk
    created_at: Timestamp


NoteKind = Literal["note", "support", "interaction", "kiosk_event"]


class Note(Entity):
    shopper_id: Id
    kind: NoteKind
    text: NoteText
    author_staff_id: Id | None = None
    author_name: Annotated[str, Field(max_length=200)] | None = None
    store_id: Id | None = None
    created_at: Timestamp


class Task(Entity):
    """A kiosk's "call an associate" and similar work for the floor."""

    store_id: Id
    kind: Literal["call_associate"]
    shopper_id: Id | None = None
    message: Annotated[str, Field(max_length=500)]
    status: Literal["open", "done"]
    device_id: Id | None = None
    created_at: Timestamp


ENTITY_MODELS: dict[str, type[Entity]] = {
    "store": Store,
    "associate": Associate,
    "shopper": Shopper,
    "product": Product,
    "promotion": Promotion,
    "inventory": Inventory,
    "cart": Cart,
    "wishlist_item": WishlistItem,
    "order": Order,
    "reservation": Reservation,
    "note": Note,
    "task": Task,
}
"""Entity name on the wire -> its model. The order is the order of a first sync's tables."""

EntityName = Literal[
    "store",
    "associate",
    "shopper",
    "product",
    "promotion",
    "inventory",
    "cart",
    "wishlist_item",
    "order",
    "reservation",
    "note",
    "task",
]


# ---------------------------------------------------------------------------------------
# Sync: changes feed
# ---------------------------------------------------------------------------------------


class Change(Model):
    """One entity's latest state (or its tombstone) at position ``seq`` of the feed."""

    seq: int = Field(ge=1)
    entity: EntityName
    id: Id
    version: int = Field(ge=1)
    deleted: bool = False
    data: dict[str, Any] | None = None  # None exactly when deleted

    def model(self) -> Entity | None:
        """``data`` validated as its entity model (raises ``ValidationError``)."""
        if self.deleted:
            return None
        return ENTITY_MODELS[self.entity].model_validate(self.data)


class ChangesPage(Model):
    """``GET /v1/sync/changes?cursor=C&limit=N``.

    ``changes`` are in increasing ``seq``, all greater than the cursor sent. ``next_cursor``
    is the cursor to send next (an opaque string; the client stores it verbatim);
    ``has_more`` says whether another page is ready now. ``total_estimate`` is how many
    changes were after the cursor when the page was read (for progress bars).
    """

    changes: list[Change]
    next_cursor: Annotated[str, Field(max_length=200)]
    has_more: bool
    total_estimate: int = Field(ge=0, default=0)


def validate_page(raw: Any) -> ChangesPage:
    """Validate a page *and every entity in it*; raises on the first bad one."""
    page = ChangesPage.model_validate(raw)
    last = 0
    for change in page.changes:
        if change.seq <= last:
            raise ValueError("changes are not in increasing seq order")
        last = change.seq
        if change.deleted != (change.data is None):
            raise ValueError("data must be null exactly when deleted")
        entity = change.model()
        if entity is not None and (entity.id != change.id or entity.version != change.version):
            raise ValueError("change id/version disagree with its data")
    return page


# ---------------------------------------------------------------------------------------
# Sync: commands
# ---------------------------------------------------------------------------------------

CommandName = Literal[
    "reserve_item",
    "cancel_reservation",
    "set_reservation_status",
    "place_order",
    "update_cart",
    "move_wishlist_item_to_cart",
    "add_note",
    "call_associate",
    "record_event",
]


class Command(Model):
    """One queued user action. ``number`` increases by exactly 1 per device, from 1."""

    id: Annotated[str, Field(pattern=r"^[0-9a-fA-F\-]{36}$")]  # uuid4
    number: int = Field(ge=1)
    name: CommandName
    args: dict[str, Any]
    created_at: Timestamp
    staff_id: Id | None = None  # who did it; None at a kiosk


class CommandsRequest(Model):
    """``POST /v1/sync/commands``: up to 200 commands, in increasing ``number``."""

    commands: list[Command] = Field(min_length=1, max_length=200)


RejectCode = Literal[
    "out_of_stock",
    "unknown_sku",
    "unknown_shopper",
    "unknown_store",
    "unknown_reservation",
    "unknown_wishlist_item",
    "invalid_args",
    "invalid_state",
    "not_allowed",
    "conflict",
]


class CommandResult(Model):
    """Central's answer to one command. Re-sending a command returns this same answer.

    ``status == "applied"``: ``created`` names what it made, e.g.
    ``{"reservation_id": ...}``, ``{"order_id": ..., "number": "S1-20931",
    "payment_link": "https://pay.example/..."}``.
    ``status == "rejected"``: ``code`` is stable for programs, ``message`` is a sentence
    for the associate ("None left at Dublin Grafton Street; try another store or order
    online.").
    ``status == "refused"``: not applied because of a gap in numbers or an earlier
    problem in the batch; nothing was recorded, send it again later.
    """

    id: str
    number: int
    status: Literal["applied", "rejected", "refused"]
    code: RejectCode | Literal["gap"] | None = None
    message: str | None = None
    created: dict[str, Any] = Field(default_factory=dict)


class CommandsResponse(Model):
    results: list[CommandResult]
    last_applied_number: int = Field(ge=0)  # highest number central has recorded for us


# ---------------------------------------------------------------------------------------
# Devices, sessions, look-ups
# ---------------------------------------------------------------------------------------

DeviceMode = Literal["associate", "kiosk"]


class EnrollRequest(Model):
    enrollment_code: Annotated[str, Field(min_length=4, max_length=64)]
    store_id: Id
    mode: DeviceMode
    device_name: Annotated[str, Field(min_length=1, max_length=100)]


class EnrollResponse(Model):
    device_id: Id
    token: Annotated[str, Field(min_length=32, max_length=200)]
    store_id: Id
    mode: DeviceMode


class SessionRequest(Model):
    staff_id: Id
    pin: Annotated[str, Field(pattern=r"^\d{4,8}$")]


class SessionResponse(Model):
    staff_id: Id
    name: ShortText
    store_id: Id
    role: Literal["associate", "manager"]
    expires_at: Timestamp


class Health(Model):
    status: Literal["ok"]
    version: str
    time: Timestamp


class ShopperSummary(Model):
    id: Id
    first_name: str
    last_name: str
    email: str
    phone: str
    loyalty_id: str
    tier: Tier
    home_store_id: Id
    last_visit_at: Timestamp | None = None


class ShopperSearchResult(Model):
    """``GET /v1/shoppers?q=&limit=``."""

    shoppers: list[ShopperSummary]


class ShopperProfile(Model):
    """``GET /v1/shoppers/{id}``: everything the cache keeps about one shopper."""

    shopper: Shopper
    carts: list[Cart]
    wishlist: list[WishlistItem]
    orders: list[Order]
    reservations: list[Reservation]
    notes: list[Note]


class ProductSearchResult(Model):
    """``GET /v1/products?q=&limit=``."""

    products: list[Product]


class StoreStock(Model):
    store_id: Id
    store_name: str
    distance_km: float | None = None  # from near_store; None for the online warehouse
    on_hand: int
    reserved: int
    available: int
    updated_at: Timestamp


class InventoryAnswer(Model):
    """``GET /v1/inventory?sku=&near_store=``: stock here first, then by distance."""

    sku: Id
    stores: list[StoreStock]


class Problem(Model):
    """RFC 9457 problem details, plus a stable ``code``. Every 4xx/5xx body is one."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
