"""Mirrored entities of the store side: stores, staff, products, promotions, stock and
floor tasks (the ``data`` of a change)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.wire.base import MAX_STRING, Entity, Id, Model, ShortText, Timestamp
from sync.wire.shoppers import Author

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
    timezone: Annotated[str, Field(max_length=64)] = "Europe/Dublin"  # IANA: quiet hours


class Associate(Entity):
    """A member of staff. ``id`` is the staff id typed at sign-in.

    No PIN hash: central keeps it for online sign-in and never sends it to a device (a
    device checks PINs offline against its own verifier, ``sync.offline_pins``); an
    associate carrying ``pin_*`` fields is refused like any unknown field.
    """

    name: ShortText
    store_id: Id
    role: Literal["associate", "manager"]
    active: bool = True


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
    # "complete the look": style ids merchandising says are worn with this style
    worn_with: list[Id] = Field(default_factory=list, max_length=12)


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
    # when ``available`` last went from 0 to more (central stamps it): "back in stock"
    restocked_at: Timestamp | None = None


TaskStatus = Literal["open", "taken", "snoozed", "done"]
TaskKind = Literal["call_associate", "follow_up", "duplicate_shopper"]
TaskRule = Literal["after_purchase", "important_date"]


class Task(Entity):
    """Work for the store's floor: a kiosk's "call an associate", or a follow-up with a
    shopper (created by hand with ``create_task`` or by a rule of central's).

    A call is ``open`` until an associate takes it ("I'm on it": ``taken_by``, their name and
    ``taken_at``), then ``done`` (``closed_by``, ``closed_at``). A kiosk receives only its
    own calls, with nothing but their status and the first name of who took them.

    A follow-up has an ``owner_id`` (None: anyone in the store), a ``due_at``, and moves
    with ``update_task``: ``done`` (``closed_by``/``closed_at``), ``snoozed`` until
    ``snoozed_until``, reassigned (a new owner), reopened. ``rule`` names the rule that
    created it (None: by hand, ``created_by``); ``source_id`` is what the rule saw (the order,
    the date) so a rule never creates the same task twice.

    A ``duplicate_shopper`` task is central's: a shopper signed up in store
    (``shopper_id``) looks like one it knew (``duplicate_of``); a manager merges them or
    keeps both (``merge_shoppers``), and the task is then done.
    """

    store_id: Id
    kind: TaskKind
    shopper_id: Id | None = None
    message: Annotated[str, Field(max_length=500)]
    status: TaskStatus
    device_id: Id | None = None
    created_at: Timestamp
    taken_by: Id | None = None
    taken_by_name: ShortText | None = None
    taken_at: Timestamp | None = None
    closed_by: Id | None = None
    closed_by_name: ShortText | None = None
    closed_at: Timestamp | None = None
    due_at: Timestamp | None = None
    owner_id: Id | None = None
    owner_name: ShortText | None = None
    snoozed_until: Timestamp | None = None
    rule: TaskRule | None = None
    source_id: Id | None = None
    created_by: Author | None = None
    duplicate_of: Id | None = None  # duplicate_shopper: the existing shopper it may be
