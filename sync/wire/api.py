"""Bodies of central's other endpoints: enrolment, sessions, health, look-ups, and the
problem details every error answers with."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from sync.wire.base import Id, Model, ShortText, Timestamp
from sync.wire.channels import ProductView, SupportContact
from sync.wire.clienteling import ClientAssignment
from sync.wire.messages import Message
from sync.wire.offers import Credit, Offer, Touch
from sync.wire.returns import Redemption, Return
from sync.wire.shoppers import Cart, Note, Order, Reservation, Shopper, Tier, WishlistItem
from sync.wire.stores import Product

DeviceMode = Literal["associate", "kiosk"]


class EnrollRequest(Model):
    enrollment_code: Annotated[str, Field(min_length=4, max_length=64)]
    store_id: Id
    mode: DeviceMode
    device_name: Annotated[str, Field(min_length=1, max_length=100)]
    # the device this one was before IT revoked it (enrolled again, its outbox kept)
    replaces: Id | None = None


class EnrollResponse(Model):
    device_id: Id
    token: Annotated[str, Field(min_length=32, max_length=200)]
    store_id: Id
    mode: DeviceMode


class SessionRequest(Model):
    staff_id: Id
    pin: Annotated[str, Field(pattern=r"^\d{4,8}$")]


class SessionResponse(Model):
    """An associate's session on this device: commands they queue here carry
    ``session_id`` (``wire.Command``); central accepts them until ``vouch_until`` (the
    offline sign-in window after this online sign-in, ``offline_signin_days``)."""

    staff_id: Id
    name: ShortText
    store_id: Id
    role: Literal["associate", "manager"]
    expires_at: Timestamp
    session_id: Id
    issued_at: Timestamp
    vouch_until: Timestamp


class Health(Model):
    status: Literal["ok"]
    version: str
    time: Timestamp


class SyncHead(Model):
    """``GET /v1/sync/head``: the cursor a pull would reach now (one indexed read on
    central). A device whose cursor differs has changes waiting."""

    cursor: Annotated[str, Field(max_length=200)]


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
    support_contacts: list[SupportContact] = Field(default_factory=list)
    product_views: list[ProductView] = Field(default_factory=list)
    client_assignments: list[ClientAssignment] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    offers: list[Offer] = Field(default_factory=list)
    touches: list[Touch] = Field(default_factory=list)
    credits: list[Credit] = Field(default_factory=list)
    returns: list[Return] = Field(default_factory=list)
    redemptions: list[Redemption] = Field(default_factory=list)


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
