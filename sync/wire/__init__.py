"""The v1 wire schema: every body that crosses HTTP between the app and central.

This is the one schema both sides import: ``sync`` (the client) and ``central`` (the
reference server) both use ``from sync import wire`` and ``wire.<Name>``, so a field can
never mean one thing on one side and another on the other. The models live by subject in
the modules of this package and are all re-exported here; import them from here.

* :mod:`sync.wire.base`: scalars (``Id``, ``Timestamp``, ...), ``utc_now``/``parse_ts``,
  the base ``Model`` and ``Entity``.
* :mod:`sync.wire.stores` and :mod:`sync.wire.shoppers`: the entities the cache mirrors.
* :mod:`sync.wire.protocol`: the changes feed (``ENTITY_MODELS``, ``ChangesPage``,
  ``validate_page``) and the commands envelope (``Command``, ``CommandResult``, ...).
* :mod:`sync.wire.api`: enrolment, sessions, health, look-ups and ``Problem``.
* :mod:`sync.wire.kiosk`: the allow-listed projection a kiosk gets of one shopper.
* :mod:`sync.wire.channels`: what the other channels tell about a shopper (support
  contacts, products viewed online).
* :mod:`sync.wire.clienteling`: who looks after a shopper (client assignments) and
  co-purchases computed by central.
* :mod:`sync.wire.messages`: messages to and from a shopper, and the retailer's templates.
* :mod:`sync.wire.offers`: personal offers, touches, credited online sales, and the
  chain's policy (reaching shoppers, returns, loyalty points).
* :mod:`sync.wire.returns`: returns of any channel's orders in store, exchanges, and
  loyalty points redeemed in store.
* :mod:`sync.wire.ledger`: close of day (a device's sync certificate, sign-offs, the
  store's ledger).

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

from sync.wire.api import (
    DeviceMode,
    EnrollRequest,
    EnrollResponse,
    Health,
    InventoryAnswer,
    Problem,
    ProductSearchResult,
    SessionRequest,
    SessionResponse,
    ShopperProfile,
    ShopperSearchResult,
    ShopperSummary,
    StoreStock,
    SyncHead,
)
from sync.wire.base import (
    API_VERSION,
    MAX_STRING,
    Entity,
    Id,
    Model,
    NoteText,
    Qty,
    ShortText,
    Timestamp,
    parse_ts,
    utc_now,
)
from sync.wire.channels import (
    OnlineChannel,
    ProductView,
    SupportChannel,
    SupportContact,
    SupportStatus,
)
from sync.wire.clienteling import ClientAssignment, CoPurchase, CoPurchased
from sync.wire.kiosk import (
    KioskCartLine,
    KioskIdentify,
    KioskReservation,
    KioskSession,
    KioskShopper,
    KioskWishlistItem,
)
from sync.wire.ledger import (
    CentralView,
    Certificate,
    DeviceLedger,
    Dismissal,
    KindCount,
    OpenCommand,
    SignOff,
    StoreLedger,
)
from sync.wire.messages import (
    Attachments,
    Look,
    Message,
    MessageChannel,
    MessageDirection,
    MessagePurpose,
    MessageStatus,
    MessageTemplate,
    ProductCard,
)
from sync.wire.offers import (
    Credit,
    Offer,
    OfferLimit,
    OfferStatus,
    Policy,
    ReturnDays,
    Touch,
    TouchKind,
)
from sync.wire.protocol import (
    ENTITY_MODELS,
    Change,
    ChangesPage,
    Command,
    CommandName,
    CommandResult,
    CommandsRequest,
    CommandsResponse,
    EntityName,
    RejectCode,
    validate_page,
)
from sync.wire.returns import (
    ITEM_CONDITIONS,
    REFUND_METHODS,
    RETURN_REASONS,
    Exchange,
    ExchangeKind,
    ItemCondition,
    Redemption,
    RefundMethod,
    Return,
    ReturnLine,
    ReturnReason,
)
from sync.wire.shoppers import (
    EDITABLE_FIELDS,
    Address,
    Author,
    Cart,
    CartLine,
    CartStatus,
    Channel,
    Consent,
    ConsentChange,
    ConsentChannel,
    ConsentSource,
    DateKind,
    Fulfilment,
    FulfilmentType,
    ImportantDate,
    Note,
    NoteKind,
    NotifyBy,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    Reservation,
    ReservationStatus,
    Shopper,
    SignedIn,
    Sizes,
    StatusChange,
    Tier,
    Unsubscribe,
    WishlistItem,
)
from sync.wire.stores import (
    Associate,
    Category,
    Inventory,
    Product,
    Promotion,
    PromotionScope,
    Store,
    StoreKind,
    Task,
    TaskKind,
    TaskRule,
    TaskStatus,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ITEM_CONDITIONS",
    "REFUND_METHODS",
    "RETURN_REASONS",
    "Address",
    "ConsentChange",
    "ConsentChannel",
    "ConsentSource",
    "Exchange",
    "ExchangeKind",
    "ItemCondition",
    "Redemption",
    "RefundMethod",
    "Return",
    "ReturnDays",
    "ReturnLine",
    "ReturnReason",
    "Attachments",
    "Credit",
    "Look",
    "Message",
    "MessageChannel",
    "MessageDirection",
    "MessagePurpose",
    "MessageStatus",
    "MessageTemplate",
    "Offer",
    "OfferLimit",
    "OfferStatus",
    "Policy",
    "ProductCard",
    "Touch",
    "TouchKind",
    "Unsubscribe",
    "API_VERSION",
    "ENTITY_MODELS",
    "Certificate",
    "CentralView",
    "DeviceLedger",
    "Dismissal",
    "KindCount",
    "OpenCommand",
    "SignOff",
    "StoreLedger",
    "MAX_STRING",
    "Associate",
    "Author",
    "Cart",
    "ClientAssignment",
    "CoPurchase",
    "CoPurchased",
    "DateKind",
    "ImportantDate",
    "TaskKind",
    "TaskRule",
    "TaskStatus",
    "KioskCartLine",
    "OnlineChannel",
    "ProductView",
    "SupportChannel",
    "SupportContact",
    "SupportStatus",
    "KioskIdentify",
    "KioskReservation",
    "KioskSession",
    "KioskShopper",
    "KioskWishlistItem",
    "CartLine",
    "CartStatus",
    "Category",
    "Change",
    "ChangesPage",
    "Channel",
    "Command",
    "CommandName",
    "CommandResult",
    "CommandsRequest",
    "CommandsResponse",
    "Consent",
    "DeviceMode",
    "EnrollRequest",
    "EnrollResponse",
    "Entity",
    "EntityName",
    "Fulfilment",
    "FulfilmentType",
    "Health",
    "SyncHead",
    "Id",
    "Inventory",
    "InventoryAnswer",
    "Model",
    "Note",
    "NoteKind",
    "NoteText",
    "NotifyBy",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentMethod",
    "Problem",
    "Product",
    "ProductSearchResult",
    "Promotion",
    "PromotionScope",
    "Qty",
    "RejectCode",
    "Reservation",
    "ReservationStatus",
    "SessionRequest",
    "SessionResponse",
    "Shopper",
    "ShopperProfile",
    "ShopperSearchResult",
    "ShopperSummary",
    "ShortText",
    "SignedIn",
    "Sizes",
    "Store",
    "StoreKind",
    "StatusChange",
    "StoreStock",
    "Task",
    "Tier",
    "Timestamp",
    "WishlistItem",
    "parse_ts",
    "utc_now",
    "validate_page",
]
