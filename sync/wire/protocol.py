"""The sync protocol: the changes feed (entity name -> model, pages of changes) and the
commands a device queues and central answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from sync.wire.base import Entity, Id, Model, Timestamp
from sync.wire.channels import ProductView, SupportContact
from sync.wire.clienteling import ClientAssignment, CoPurchase
from sync.wire.ledger import SignOff
from sync.wire.messages import Message, MessageTemplate
from sync.wire.offers import Credit, Offer, Policy, Touch
from sync.wire.returns import Redemption, Return
from sync.wire.shoppers import Cart, Note, Order, Reservation, Shopper, SignedIn, WishlistItem
from sync.wire.stores import Associate, Inventory, Product, Promotion, Store, Task

# ---------------------------------------------------------------------------------------
# Changes feed
# ---------------------------------------------------------------------------------------

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
    "support_contact": SupportContact,
    "product_view": ProductView,
    "client_assignment": ClientAssignment,
    "co_purchase": CoPurchase,
    "policy": Policy,
    "message_template": MessageTemplate,
    "message": Message,
    "offer": Offer,
    "touch": Touch,
    "credit": Credit,
    "return": Return,
    "redemption": Redemption,
    "sign_off": SignOff,
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
    "support_contact",
    "product_view",
    "client_assignment",
    "co_purchase",
    "policy",
    "message_template",
    "message",
    "offer",
    "touch",
    "credit",
    "return",
    "redemption",
    "sign_off",
]


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
# Commands
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
    "take_task",
    "close_task",
    "create_task",
    "update_task",
    "update_wishlist",
    "assign_client",
    "send_message",
    "create_offer",
    "return_items",
    "create_shopper",
    "update_shopper",
    "merge_shoppers",
    "redeem_points",
    "sign_off_day",
]


class Command(Model):
    """One queued user action. ``number`` increases by exactly 1 per device, from 1.

    Who did it: ``staff_id`` (None at a kiosk), the ``session_id`` central issued to this
    device at that associate's last online sign-in here, and ``signed_in``: ``online``
    when the associate signed in through central, ``offline`` when the device vouched for
    them (``central.commands.batch.authorize`` checks all three).
    """

    id: Annotated[str, Field(pattern=r"^[0-9a-fA-F\-]{36}$")]  # uuid4
    number: int = Field(ge=1)
    name: CommandName
    args: dict[str, Any]
    created_at: Timestamp
    staff_id: Id | None = None  # who did it; None at a kiosk
    session_id: Id | None = None  # the session central issued for staff_id on this device
    signed_in: SignedIn | None = None  # None exactly when staff_id is None


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
    "no_session",
    "conflict",
    "unknown_task",
    "unknown_offer",
    "no_address",
    "no_consent",
    "unsubscribed",
    "quiet_hours",
    "frequency_cap",
    "unknown_order",
    "not_returnable",
    "too_late",
    "over_returned",
    "not_enough_points",
    "duplicate_id",
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
