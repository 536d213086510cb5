"""Typed records the read API hands to the UI (and to the CLI).

The UI never sees SQL rows or HTTP bodies: ``sync.store.Cache`` returns these frozen
dataclasses. Money is integer cents; times are wire timestamps (UTC ``...Z`` strings),
the UI formats them for people.

``pending`` on a record means "made on this device, not yet confirmed by central";
``rejected`` records are not shown here, they live on the attention list (``OutboxEntry``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sync.rules.offers import describe
from sync.wire import KioskShopper, Product, Shopper


@dataclass(frozen=True, slots=True)
class ShopperHit:
    """One row of shopper search results."""

    id: str
    name: str
    tier: str
    points: int
    email: str
    phone: str
    loyalty_id: str
    home_store_id: str
    home_store_name: str
    last_visit_at: str | None
    match: Literal["loyalty", "phone", "email", "name", "text"]


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """Who looks after a shopper at a store (the client book); ``pending``: changed on
    this tablet, not yet confirmed by central."""

    staff_id: str
    staff_name: str
    pending: bool = False


@dataclass(frozen=True, slots=True)
class ClientRow:
    """One shopper of a client book (``Cache.client_book``)."""

    shopper_id: str
    name: str
    tier: str
    points: int
    looked_after_by: str | None  # the associate's name here; None: nobody yet
    staff_id: str | None
    last_visit_at: str | None
    last_order_at: str | None
    lifetime_cents: int  # what their orders on this tablet add up to (cancelled left out)
    pending: bool = False  # who looks after them changed here, not yet confirmed


@dataclass(frozen=True, slots=True)
class Price:
    """A unit price with the best promotion that holds in store today."""

    list_cents: int
    sale_cents: int
    promotion_name: str | None = None
    offer_id: str | None = None  # the shopper's personal offer that makes this price

    @property
    def on_sale(self) -> bool:
        return self.sale_cents < self.list_cents


@dataclass(frozen=True, slots=True)
class Availability:
    """How many of a SKU can be had: here, in the other stores, online."""

    here: int
    other_stores: int
    online: int
    best_other_store_id: str | None = None  # the nearest other store with stock
    best_other_store_name: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorView:
    """Who did something, as the timeline shows it: the associate's name, and whether
    they had signed in offline (the device vouched for them)."""

    name: str
    offline: bool = False


@dataclass(frozen=True, slots=True)
class ItemLine:
    """A cart line or a wishlist item, ready to show."""

    key: str  # cart: the sku; wishlist: the wishlist item id
    product: Product
    qty: int
    price: Price
    availability: Availability
    pending: bool = False
    added_at: str | None = None
    by: AuthorView | None = None  # cart: who last changed the line (None: online, a kiosk)
    origin: Provenance | None = None  # the channel it came from and when (profile only)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a cart, a cart line or a wishlist item came from and when it last changed."""

    channel: str  # web / app / store
    changed_at: str | None  # None: not known (a line an associate changed, confirmed)
    by: AuthorView | None = None  # the associate, when it was changed in a store
    pending: bool = False  # changed on this tablet, not yet confirmed by central


@dataclass(frozen=True, slots=True)
class OrderLineView:
    product: Product | None  # None when the SKU left the catalog
    sku: str
    qty: int
    price_cents: int


@dataclass(frozen=True, slots=True)
class OrderView:
    id: str
    number: str
    channel: str  # web / app / store
    store_name: str | None
    status: str
    fulfilment_type: str
    fulfilment_store_name: str | None
    payment_method: str
    payment_link: str | None
    total_cents: int
    created_at: str
    lines: tuple[OrderLineView, ...]
    pending: bool = False
    by: AuthorView | None = None  # who placed it (None: web, app, a kiosk)
    points_redeemed: int = 0  # loyalty points spent on it (a queued redeem_points too)
    points_value_cents: int = 0  # what they took off ``total_cents``: the rest is paid


@dataclass(frozen=True, slots=True)
class ReservationView:
    id: str
    store_id: str
    store_name: str
    sku: str
    product: Product | None
    qty: int
    shopper_id: str
    shopper_name: str
    status: str
    hold_until: str
    notify_by: str
    created_at: str
    pending: bool = False
    by: AuthorView | None = None  # who made it (None: a kiosk)
    status_by: AuthorView | None = None  # who set its status, when it changed since


@dataclass(frozen=True, slots=True)
class NoteView:
    id: str
    kind: str
    text: str
    author_name: str | None
    store_name: str | None
    created_at: str
    pending: bool = False
    by: AuthorView | None = None  # the author with how they signed in


@dataclass(frozen=True, slots=True)
class ShopperProfileView:
    shopper: Shopper
    home_store_name: str
    cart_id: str | None
    cart_version: int  # 0 when the shopper has no cart yet; pass to update_cart
    cart: tuple[ItemLine, ...]
    cart_pending: bool  # an update_cart for this shopper waits in the outbox
    wishlist: tuple[ItemLine, ...]
    orders: tuple[OrderView, ...]  # newest first
    reservations: tuple[ReservationView, ...]  # newest first
    notes: tuple[NoteView, ...]  # newest first
    cart_origin: Provenance | None = None  # the cart's channel and its last change
    support: tuple[SupportContactView, ...] = ()  # newest first
    timeline: tuple[NoteView | SupportContactView, ...] = ()  # notes and contacts, newest first
    viewed: tuple[ViewedProduct, ...] = ()  # viewed online recently, newest first
    points: PointsView | None = None  # the loyalty balance as shown (queued redemptions off)


@dataclass(frozen=True, slots=True)
class SupportContactView:
    """A contact with the contact centre, as the shopper's timeline shows it."""

    id: str
    channel: str  # chat / phone / email / social
    subject: str
    summary: str
    agent: str | None
    status: str  # open / pending / resolved / closed
    opened_at: str
    closed_at: str | None = None

    @property
    def created_at(self) -> str:
        """When it happened, for the timeline's order (as a note's ``created_at``)."""
        return self.opened_at

    @property
    def text(self) -> str:
        """Its body in the timeline (as a note's ``text``)."""
        return self.summary or self.subject


@dataclass(frozen=True, slots=True)
class ViewedProduct:
    """A product the shopper viewed online recently, priced and stocked as today."""

    product: Product
    price: Price
    availability: Availability
    channel: str  # web / app
    viewed_at: str
    views: int


@dataclass(frozen=True, slots=True)
class KioskProfileView:
    """The shopper of a kiosk session as the kiosk shows them: the session's projection
    (memory only) with the kiosk's own active commands laid over it (``sync.read.kiosk``)."""

    shopper: KioskShopper
    cart_version: int
    cart: tuple[ItemLine, ...]
    wishlist: tuple[ItemLine, ...]
    reservations: tuple[ReservationView, ...]  # newest first


@dataclass(frozen=True, slots=True)
class StoreStockView:
    store_id: str
    store_name: str
    is_here: bool
    is_online: bool
    distance_km: float | None
    on_hand: int
    reserved: int
    available: int
    updated_at: str  # when central last changed this figure
    refreshed_at: str | None  # when this device last heard it is current (row or a later sync)


@dataclass(frozen=True, slots=True)
class ProductView:
    """One SKU with its price and stock in every store."""

    product: Product
    price: Price
    stock: tuple[StoreStockView, ...]  # here first, then by distance, online last
    sizes: tuple[Product, ...] = field(default=())  # the style's other SKUs, same colour


@dataclass(frozen=True, slots=True)
class ProductHit:
    sku: str
    style_id: str
    name: str
    brand: str
    colour: str
    size: str
    image: str
    price: Price
    available_here: int


@dataclass(frozen=True, slots=True)
class Actor:
    """Who the commands queued now are by: the signed-in associate, the session central
    issued at their last online sign-in on this device (None when it issued none yet), and
    whether they signed in ``online`` or ``offline`` this time (``sync.auth.StaffSession``)."""

    staff_id: str
    session_id: str | None
    signed_in: Literal["online", "offline"]


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A queued command, waiting or needing attention."""

    id: str
    number: int
    name: str
    summary: str  # "Reserve 1 × Trail Runner GTX, Black, 42 at Dublin Grafton St"
    shopper_id: str | None
    args: dict[str, object]
    created_at: str
    state: Literal["pending", "applied", "rejected"]
    attempts: int
    code: str | None = None  # central's reject code
    message: str | None = None  # central's sentence for the associate
    created: dict[str, object] | None = (
        None  # applied: what central made (order number, payment_link)
    )


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the status area shows. Produced by the engine; safe to copy across threads."""

    online: bool
    offline_since: str | None
    syncing: bool
    progress_done: int
    progress_total: int
    last_sync_at: str | None
    last_error: str | None
    pending: int
    attention: int
    initial_sync_done: bool


# --- added by the sync engine (issue 3): additive only ------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """This device's enrollment, kept in the cache (the token lives in the keyring)."""

    device_id: str
    store_id: str
    mode: Literal["associate", "kiosk"]
    central_url: str
    device_name: str


@dataclass(frozen=True, slots=True)
class TaskView:
    """A floor task (a kiosk's "call an associate"), confirmed or still pending sync.

    ``pending``: something this device did to it (asked for it, took it, closed it) has
    not reached central yet."""

    id: str
    store_id: str
    kind: str
    shopper_id: str | None
    shopper_name: str | None
    message: str
    status: str  # open, taken, done
    created_at: str
    pending: bool = False
    device_id: str | None = None  # the kiosk that asked
    taken_by: str | None = None
    taken_by_name: str | None = None
    taken_at: str | None = None
    closed_by_name: str | None = None
    closed_at: str | None = None
    # issue 13: follow-ups (``create_task``/``update_task``, central's task rules)
    due_at: str | None = None
    owner_id: str | None = None  # None: anyone in the store
    owner_name: str | None = None
    snoozed_until: str | None = None  # while ``status == "snoozed"``; passed: reads ``open``
    rule: str | None = None  # after_purchase | important_date; None: made by hand
    created_by_name: str | None = None
    version: int = 0  # central's version of the task (0: not pulled yet)


@dataclass(frozen=True, slots=True)
class TaskCounts:
    """Home's task figures for one associate (or the whole store).

    ``due_today``: follow-ups due before the end of the device's local day and not yet
    overdue; ``overdue``: follow-ups due before now; ``open_calls``: a kiosk's calls nobody
    has taken yet."""

    due_today: int
    overdue: int
    open_calls: int


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A product to suggest to a shopper, resolved to one SKU (in their size when known),
    available here or online, with why (``sync.read.recommendations``)."""

    kind: str  # complete_the_look | bought_together | similar_in_stock
    product: Product
    price: Price
    availability: Availability
    reason: str  # one sentence: "Worn with the Ridgeline Trail Runner"
    because_of: str  # the SKU it was recommended for
    in_their_size: bool = False  # the size is the shopper's own (their sizes, or the one asked)


@dataclass(frozen=True, slots=True)
class OfferView:
    """A shopper's personal offer as the profile shows it (``Cache.offers``).

    ``status``: ``active``, ``pending_approval``, ``declined``, ``used``, ``cancelled``, or
    ``expired`` (an active offer past ``ends_at``); ``pending``: made or answered on this
    tablet, not yet confirmed by central (``status`` is then what central is expected to
    say)."""

    id: str
    shopper_id: str
    store_id: str
    style_ids: tuple[str, ...]
    item_names: tuple[str, ...]  # the styles' names, as the catalog has them
    percent_off: int | None
    amount_off_cents: int | None
    depth_percent: int  # how deep it cuts (an amount: on the cheapest item it covers)
    starts_at: str
    ends_at: str
    status: str
    note: str | None = None
    created_by_name: str | None = None
    approved_by_name: str | None = None
    used_order_id: str | None = None
    used_channel: str | None = None
    used_at: str | None = None
    pending: bool = False
    made_here: bool = False  # made on this tablet and not yet confirmed (nothing to answer yet)

    @property
    def label(self) -> str:
        """ "15 % off" or "€20 off" (``sync.rules.offers.describe``)."""
        return describe(percent_off=self.percent_off, amount_off_cents=self.amount_off_cents)


@dataclass(frozen=True, slots=True)
class CreditView:
    """An online order credited to a touch (``wire.Credit``), as "My influenced sales" shows
    it: the order's number and total, when it was placed, who and what it was credited to,
    and why in a sentence (``sync.rules.attribution``)."""

    order_id: str
    order_number: str  # the order's id when the order itself is not on this device
    shopper_id: str
    shopper_name: str | None  # None when the shopper is not on this device
    channel: str  # web / app
    total_cents: int
    ordered_at: str
    store_id: str
    store_name: str | None
    staff_id: str | None  # None: a kiosk identification (the store's credit)
    staff_name: str | None
    touch_kind: str
    touched_at: str
    reason: str


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message to or from a shopper, as their timeline shows it (``Cache.messages``).

    ``status``: ``pending`` (queued on this device, not yet accepted by central),
    ``queued``, ``sent``, ``delivered``, ``failed``, ``received`` (a reply), or
    ``refused`` (central rejected the command: ``status_note`` holds its sentence).
    """

    id: str
    direction: str  # out / in
    channel: str  # email / sms / whatsapp
    purpose: str  # marketing / service
    subject: str | None
    body: str
    status: str
    created_at: str
    status_note: str | None = None  # why it failed, or why central refused it
    by: AuthorView | None = None  # the associate (None: central's own, or the shopper)
    skus: tuple[str, ...] = ()  # product cards attached
    look_title: str | None = None  # a look: its title (its products are in ``look_skus``)
    look_skus: tuple[str, ...] = ()
    shares_cart: bool = False  # the shopper's cart, to finish online
    pay_order_id: str | None = None  # an order's pay link
    reply_to: str | None = None  # a reply: the message it answers
    sent_at: str | None = None
    delivered_at: str | None = None
    pending: bool = False
    command_id: str | None = None  # the outbox row, while it is pending or refused


@dataclass(frozen=True, slots=True)
class PointsView:
    """A shopper's loyalty points as the tablet shows them (``sync.read.points``):
    ``balance`` is central's copy minus what queued redemptions spend (``in_flight``);
    ``worth_cents`` what the balance is worth; the policy's numbers (``sync.rules.loyalty``)
    say how many may be used at once."""

    shopper_id: str
    balance: int
    in_flight: int
    worth_cents: int
    point_value_cents: int
    min_redeem_points: int
    max_redeem_percent: int
