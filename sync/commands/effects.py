"""The vocabulary of optimistic effects: what a command's ``EFFECTS`` hooks receive and give.

A hook is called by the read modules (:class:`sync.overlay.Overlay`) with one *active*
outbox row of its command (:class:`Active`: pending, or applied and not yet settled by a
pull). It says what the row adds (a :data:`NewRow`, shown until central's row with that
id is pulled), which status it sets, how it edits the shopper's :class:`Cart`, or how it
moves stock (:class:`StockDelta`). Nothing is written into the confirmed tables.

Pure Python: no SQLite here (central imports the command modules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sync import wire

# -- the active outbox row an effect is computed from ------------------------------------


@dataclass(frozen=True)
class Active:
    """One active outbox row (pending, or applied and not yet settled)."""

    id: str
    number: int
    name: str
    args: dict[str, Any]
    base: dict[str, Any]  # what the effect needs from the time it was made (prices, qty)
    result: dict[str, Any]  # what central made, once applied (order number, payment link)
    state: str
    created_at: str
    staff_id: str | None
    shopper_id: str | None
    store_id: str | None
    sku: str | None
    target_id: str | None
    signed_in: str | None = None  # "offline" when its associate signed in offline

    @property
    def pending(self) -> bool:
        return self.state == "pending"


# -- rows a command adds before central's copy arrives -----------------------------------


@dataclass(frozen=True)
class NewReservation:
    id: str
    store_id: str
    sku: str
    qty: int
    shopper_id: str
    hold_until: str
    notify_by: str


@dataclass(frozen=True)
class NewOrderLine:
    sku: str
    qty: int
    price_cents: int


@dataclass(frozen=True)
class NewOrder:
    id: str
    number: str
    status: str
    fulfilment_type: str
    fulfilment_store_id: str | None
    payment_method: str
    payment_link: str | None
    lines: tuple[NewOrderLine, ...]


@dataclass(frozen=True)
class NewNote:
    id: str
    kind: str
    text: str


@dataclass(frozen=True)
class NewTask:
    id: str
    kind: str
    shopper_id: str | None
    message: str
    due_at: str | None = None  # a follow-up's (``create_task``)
    owner_id: str | None = None  # None: anyone in the store


@dataclass(frozen=True)
class NewWishlistItem:
    id: str
    sku: str
    added_at: str
    pending: bool
    added_by: Active | None = None  # the active command that adds it (None: confirmed)


@dataclass(frozen=True)
class NewMessage:
    """A message queued on this device (``send_message``): pending in the timeline."""

    id: str
    channel: str
    purpose: str
    subject: str | None
    body: str


@dataclass(frozen=True)
class NewOffer:
    """An offer made on this device (``create_offer``): shown until central's arrives;
    ``status`` is what it will be if central agrees (``active`` or ``pending_approval``)."""

    id: str
    style_ids: tuple[str, ...]
    percent_off: int | None
    amount_off_cents: int | None
    starts_at: str
    ends_at: str
    status: str
    note: str | None


@dataclass(frozen=True)
class NewSignOff:
    """A manager's sign-off of this device's day, until central's is pulled."""

    id: str
    day: str
    signed_by: str  # staff id
    signed_at: str


@dataclass(frozen=True)
class NewShopper:
    """A shopper signed up on this device (``create_shopper``): searchable and on their
    profile at once, with no loyalty number until central accepts them."""

    id: str
    shopper: wire.Shopper


@dataclass(frozen=True)
class NewReturnLine:
    sku: str
    qty: int
    price_cents: int  # the unit price refunded (what the order paid)
    reason: str
    condition: str
    note: str | None = None


@dataclass(frozen=True)
class NewExchange:
    kind: str  # reserve / order
    sku: str
    qty: int
    price_cents: int  # the new item's unit price when it was queued
    difference_cents: int  # > 0 the shopper pays, < 0 they get back
    reservation_id: str | None
    order_id: str | None


@dataclass(frozen=True)
class NewReturn:
    """A return made on this device (``return_items``): pending until central's arrives,
    with its receipt number once central has answered."""

    id: str
    number: str | None  # None until central has applied it
    order_id: str
    order_number: str
    order_channel: str
    shopper_id: str
    store_id: str
    lines: tuple[NewReturnLine, ...]
    refund_method: str
    refund_cents: int
    points_back: int
    exchange: NewExchange | None
    override: bool


NewRow = (
    NewReservation
    | NewOrder
    | NewNote
    | NewTask
    | NewMessage
    | NewOffer
    | NewSignOff
    | NewShopper
    | NewReturn
)


@dataclass(frozen=True)
class AssignmentChange:
    """Who looks after shoppers at ``store_id`` once the command is applied: the shopper
    ``shopper_id``, or (``shopper_id`` None: a transfer) every shopper ``from_staff_id``
    looks after there. ``staff_id`` None: nobody (unassigned)."""

    store_id: str
    staff_id: str | None
    staff_name: str | None
    shopper_id: str | None = None
    from_staff_id: str | None = None


@dataclass(frozen=True)
class StockDelta:
    """A change in the units ``available`` of ``sku`` at ``store_id``."""

    store_id: str
    sku: str
    delta: int


class StockContext(Protocol):
    """What a stock effect may ask about the confirmed rows and the other active commands."""

    def confirmed(self, table: str, row_id: str) -> bool: ...

    def status(self, table: str, row_id: str) -> str | None:
        """The status an active command sets on that row, if any."""
        ...

    def confirmed_status(self, table: str, row_id: str) -> str | None:
        """The ``status`` of the confirmed row, or None when there is no such row."""
        ...


class Cart:
    """A shopper's cart lines (sku -> line dict) as the profile shows them, while active
    commands edit them (``Effects.cart``)."""

    def __init__(self, version: int, lines: Iterable[wire.CartLine | wire.KioskCartLine]) -> None:
        self.version = version
        self.lines: dict[str, dict[str, Any]] = {line.sku: line.model_dump() for line in lines}
        self.pending = False
        self.pending_skus: set[str] = set()
        self.hidden_wishlist: set[str] = set()
        self.added_wishlist: dict[str, NewWishlistItem] = {}  # item id -> added, not pulled
        self.changed_by: dict[str, Active] = {}  # sku -> the active command that last changed it

    def hide_wishlist_item(self, item_id: str) -> None:
        self.hidden_wishlist.add(item_id)

    def add_wishlist_item(self, a: Active, item_id: str, sku: str) -> None:
        """A wishlist item an active command adds (the read shows it until central's row
        with that id is pulled, and never twice for one SKU)."""
        self.added_wishlist[item_id] = NewWishlistItem(item_id, sku, a.created_at, a.pending, a)

    def wishlist(
        self, confirmed: Iterable[wire.WishlistItem | wire.KioskWishlistItem]
    ) -> list[NewWishlistItem]:
        """The wishlist as shown: the items active commands added (newest first, unless
        central's row with that id or that SKU is here), then the confirmed ones; removed
        items left out."""
        kept = [w for w in confirmed if w.id not in self.hidden_wishlist]
        ids, skus = {w.id for w in kept}, {w.sku for w in kept}
        added = []
        for item in reversed(self.added_wishlist.values()):
            if item.id in ids or item.id in self.hidden_wishlist or item.sku in skus:
                continue
            skus.add(item.sku)
            added.append(item)
        return added + [NewWishlistItem(w.id, w.sku, w.added_at, False) for w in kept]

    def edit(
        self,
        a: Active,
        ops: Iterable[Mapping[str, Any]],
        *,
        base_version: int,
        prices: Mapping[str, int],
    ) -> None:
        """Apply ``ops`` (add / remove / set_qty) unless central's cart already has them."""
        if not a.pending and self.version > base_version:
            return  # applied, and the cart pulled since holds the edit
        ops = list(ops)
        for op in ops:
            self._apply(op, prices, a.created_at)
            self.changed_by[str(op["sku"])] = a
        if a.pending:
            self.pending = True
            self.pending_skus.update(str(op["sku"]) for op in ops)

    def take(self, a: Active, ordered: Mapping[str, int], *, base_version: int) -> None:
        """Ordered units leave the cart (an order placed from it), line by line: what the
        cart holds beyond the order stays."""
        ops = [
            {"op": "set_qty", "sku": sku, "qty": int(self.lines[sku]["qty"]) - qty}
            for sku, qty in ordered.items()
            if sku in self.lines
        ]
        self.edit(a, ops, base_version=base_version, prices={})

    def _apply(self, op: Mapping[str, Any], prices: Mapping[str, int], now: str) -> None:
        lines = self.lines
        sku = str(op["sku"])
        qty = int(op.get("qty", 1))
        if op["op"] == "remove" or (op["op"] == "set_qty" and qty <= 0):
            lines.pop(sku, None)
        elif sku in lines:
            current = int(lines[sku]["qty"])
            lines[sku]["qty"] = min(99, current + qty if op["op"] == "add" else qty)
        elif qty > 0:
            lines[sku] = {
                "sku": sku,
                "qty": min(99, qty),
                "price_cents": prices.get(sku, 0),
                "added_at": now,
            }


@dataclass(frozen=True)
class Effects:
    """A command's optimistic effects. Each hook is called with one active row of it.

    ``table`` names the confirmed table whose rows ``creates`` adds (shown until a row with
    that id is pulled) or whose row ``a.target_id`` gets the status ``status`` returns.
    """

    table: str | None = None
    creates: Callable[[Active], NewRow | None] | None = None  # None: adds no row this time
    status: Callable[[Active], str] | None = None
    cart: Callable[[Active, Cart], None] | None = None
    stock: Callable[[Active, StockContext], Iterable[StockDelta]] | None = None
    # the fields it sets on row ``a.target_id`` of ``table`` (a status, an owner, a time),
    # applied in command order over the confirmed row
    fields: Callable[[Active], Mapping[str, Any]] | None = None
    assigns: Callable[[Active], AssignmentChange] | None = None  # who looks after whom
    # the change in the shopper's loyalty points balance (< 0: points spent) while active
    points: Callable[[Active, StockContext], int] | None = None
    # effects on further tables (a return's exchange adds a reservation or an order)
    also: tuple[Effects, ...] = ()

    def parts(self) -> tuple[Effects, ...]:
        """These effects and those on further tables (``also``)."""
        return (self, *(p for extra in self.also for p in extra.parts()))

    def __post_init__(self) -> None:
        if (self.creates or self.status or self.fields) and not self.table:
            raise ValueError("an effect that adds or changes rows names their table")

    @property
    def declared(self) -> bool:
        """At least one hook is set (every command shows something before it is confirmed)."""
        hooks = (
            self.creates,
            self.status,
            self.cart,
            self.stock,
            self.fields,
            self.assigns,
            self.points,
        )
        return any(hooks) or any(extra.declared for extra in self.also)
