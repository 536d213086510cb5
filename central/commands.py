"""Applying devices' commands exactly once, in number order.

For every command of a batch, in order:

* its id is already recorded for the device: answer the stored first result, change
  nothing;
* ``number == last + 1``: apply it, store its result and bump ``last`` in ONE
  transaction (a rejected command is recorded too: it is an answer, not a retry);
* ``number <= last`` with another id: ``refused`` / ``conflict``;
* ``number > last + 1``: ``refused`` / ``gap`` for it and everything after it.

A handler validates its args with the wire model (``invalid_args`` when they do not
fit), then raises :class:`Reject` or writes entities through :class:`Entities` and
returns what it created. A rejected command's partial writes are rolled back.

A handler that crashes (a bug, SQLite failing) records nothing: the failure is logged
once (device, command number and name, where it happened; never the exception's
message, which may quote shopper data) and the batch answers 500 ``internal_error``
(:class:`CommandFailed`), so the device sends it again later.

A reservation whose ``hold_until`` has passed counts as expired before the sweep
(``central.expiry``) marks it: ``set_reservation_status`` refuses it with
``invalid_state``, and so does ``reserve_item`` with a hold time already past.
``cancel_reservation`` still releases it (the stock goes back either way).

What a device may do (``rejected`` / ``not_allowed``, recorded like any other answer):

* before the args are read (:func:`_authorize`): a kiosk may only send
  :data:`KIOSK_COMMANDS`, and always with ``staff_id`` null; an associate device's
  ``staff_id``, when given, must be an active associate of the device's store;
* ``set_reservation_status`` only for reservations at the device's store
  (``cancel_reservation`` for any reservation the device can see);
* a reservation or wishlist item the device cannot see is unknown to it.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from central import pricing
from central.auth import Device
from central.db import CentralDB
from central.entities import Entities, dumps
from central.expiry import hold_passed
from central.problems import describe_failure
from sync import wire
from sync.commands import registry
from sync.commands.add_note import Args as AddNoteArgs
from sync.commands.call_associate import Args as CallAssociateArgs
from sync.commands.cancel_reservation import Args as CancelReservationArgs
from sync.commands.move_wishlist_item_to_cart import Args as MoveWishlistItemToCartArgs
from sync.commands.place_order import Args as PlaceOrderArgs
from sync.commands.record_event import Args as RecordEventArgs
from sync.commands.reserve_item import Args as ReserveItemArgs
from sync.commands.set_reservation_status import Args as SetReservationStatusArgs
from sync.commands.update_cart import Args as UpdateCartArgs
from sync.commands.update_cart import CartOp
from sync.wire import utc_now

log = logging.getLogger("clienteling.central")

KIOSK_COMMANDS = frozenset(
    {
        "reserve_item",
        "update_cart",
        "move_wishlist_item_to_cart",
        "call_associate",
        "record_event",
    }
)

PAY_LINK_BASE = "https://pay.harbourandpine.example/l/"
ONLINE_WAREHOUSE = "WEB"


class Reject(Exception):
    """A command that cannot be applied: a stable code and a sentence for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class CommandFailed(Exception):
    """A command's handler crashed (already logged): the batch answers 500, and the device
    sends the command again later. Commands before it in the batch stay applied."""

    def __init__(self, number: int, name: str) -> None:
        super().__init__(f"command {number} {name} failed")
        self.number = number
        self.name = name


class Context:
    """What a handler gets: the open transaction, entity storage, the device, the command."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        entities: Entities,
        device: Device,
        command: wire.Command,
    ) -> None:
        self.conn = conn
        self.entities = entities
        self.device = device
        self.command = command

    def get(self, entity: str, id_: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0",
            (entity, id_),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def exists(self, entity: str, id_: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM entities WHERE entity = ? AND id = ?", (entity, id_)
        ).fetchone()
        return row is not None

    def put(self, entity: str, data: dict[str, Any]) -> dict[str, Any]:
        return self.entities.put(self.conn, entity, data)

    def shopper(self, shopper_id: str) -> dict[str, Any]:
        shopper = self.get("shopper", shopper_id)
        if shopper is None:
            raise Reject("unknown_shopper", "This shopper is not known to central.")
        return shopper

    def book(self, shopper_id: str, *stores: str) -> None:
        """Serving a shopper puts them in this store's book (and in ``stores``').

        Without it a device that served a shopper from beyond its book would never see
        its own confirmed note, cart or order come back through the feed.
        """
        self.entities.extend_shopper_scope(self.conn, shopper_id, [self.device.store_id, *stores])

    def product(self, sku: str) -> dict[str, Any]:
        product = self.get("product", sku)
        if product is None:
            raise Reject("unknown_sku", f"There is no product with SKU {sku}.")
        return product

    def store(self, store_id: str, *, kind: str = "store") -> dict[str, Any]:
        store = self.get("store", store_id)
        if store is None or store.get("kind") != kind:
            raise Reject("unknown_store", f"There is no store {store_id}.")
        return store

    def visible(self, entity: str, id_: str) -> bool:
        """Whether the device receives this entity in its feed."""
        return self.entities.visible(self.device.store_id, entity, id_)

    def staff_name(self) -> str | None:
        if self.command.staff_id is None:
            return None
        associate = self.get("associate", self.command.staff_id)
        return str(associate["name"]) if associate else None

    def inventory(self, store_id: str, sku: str) -> dict[str, Any]:
        row = self.get("inventory", f"{store_id}:{sku}")
        if row is not None:
            return row
        return {
            "id": f"{store_id}:{sku}",
            "version": 1,
            "updated_at": utc_now(),
            "store_id": store_id,
            "sku": sku,
            "on_hand": 0,
            "reserved": 0,
            "available": 0,
        }

    def put_stock(self, inv: dict[str, Any], on_hand: int, reserved: int) -> None:
        on_hand = max(0, on_hand)
        reserved = max(0, reserved)
        self.put(
            "inventory",
            {
                **inv,
                "on_hand": on_hand,
                "reserved": reserved,
                "available": max(0, on_hand - reserved),
            },
        )


Handler = Callable[[Context, Any], dict[str, Any]]


# ---------------------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------------------


def reserve_item(ctx: Context, args: ReserveItemArgs) -> dict[str, Any]:
    if ctx.exists("reservation", args.reservation_id):
        raise Reject("conflict", "A reservation with this id already exists.")
    store = ctx.store(args.store_id)
    ctx.product(args.sku)
    ctx.shopper(args.shopper_id)
    if hold_passed({"hold_until": args.hold_until}):
        # queued offline for longer than the hold: it would expire on arrival
        raise Reject(
            "invalid_state", "The time to hold this item until has passed; reserve it again."
        )
    inv = ctx.inventory(args.store_id, args.sku)
    if inv["available"] < args.qty:
        left = inv["available"]
        have = f"Only {left} left" if left else "None left"
        raise Reject(
            "out_of_stock",
            f"{have} at {store['name']}; try another store or order online.",
        )
    ctx.put_stock(inv, inv["on_hand"], inv["reserved"] + args.qty)
    ctx.book(args.shopper_id, args.store_id)
    now = utc_now()
    ctx.put(
        "reservation",
        {
            "id": args.reservation_id,
            "version": 1,
            "updated_at": now,
            "store_id": args.store_id,
            "sku": args.sku,
            "qty": args.qty,
            "shopper_id": args.shopper_id,
            "status": "pending",
            "hold_until": args.hold_until,
            "notify_by": args.notify_by,
            "created_by": ctx.command.staff_id,
            "created_at": now,
        },
    )
    return {"reservation_id": args.reservation_id}


def _reservation(ctx: Context, reservation_id: str) -> dict[str, Any]:
    res = ctx.get("reservation", reservation_id)
    if res is None or not ctx.visible("reservation", reservation_id):
        raise Reject("unknown_reservation", "This reservation is not known to central.")
    return res


def cancel_reservation(ctx: Context, args: CancelReservationArgs) -> dict[str, Any]:
    res = _reservation(ctx, args.reservation_id)
    if res["status"] not in ("pending", "ready"):
        raise Reject(
            "invalid_state", f"This reservation is {res['status']}; it cannot be cancelled."
        )
    inv = ctx.inventory(res["store_id"], res["sku"])
    ctx.put_stock(inv, inv["on_hand"], inv["reserved"] - res["qty"])
    ctx.put("reservation", {**res, "status": "cancelled"})
    return {"reservation_id": res["id"], "status": "cancelled"}


_NEXT_STATUS = {"ready": ("pending",), "collected": ("pending", "ready")}


def set_reservation_status(ctx: Context, args: SetReservationStatusArgs) -> dict[str, Any]:
    res = _reservation(ctx, args.reservation_id)
    if res["store_id"] != ctx.device.store_id:
        raise Reject(
            "not_allowed",
            "This reservation is held at another store; only that store can mark it"
            f" {args.status}.",
        )
    if res["status"] not in _NEXT_STATUS[args.status]:
        raise Reject(
            "invalid_state",
            f"This reservation is {res['status']}; it cannot become {args.status}.",
        )
    if hold_passed(res):
        # expired by time, even when the sweep has not marked it yet: its stock goes back
        raise Reject(
            "invalid_state",
            f"This reservation's hold has ended; it cannot become {args.status}."
            " Reserve the item again if it is still wanted.",
        )
    if args.status == "collected":
        inv = ctx.inventory(res["store_id"], res["sku"])
        ctx.put_stock(inv, inv["on_hand"] - res["qty"], inv["reserved"] - res["qty"])
    ctx.put("reservation", {**res, "status": args.status})
    return {"reservation_id": res["id"], "status": args.status}


def _order_number(ctx: Context) -> str:
    store_id = ctx.device.store_id
    digits = store_id.lstrip("S").lstrip("0") or "0"
    prefix = f"S{digits}-"
    name = f"order_number:{store_id}"
    row = ctx.conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    if row is None:
        highest = 20000
        for (number,) in ctx.conn.execute(
            "SELECT json_extract(data, '$.number') FROM entities WHERE entity = 'order'"
        ):
            if isinstance(number, str) and number.startswith(prefix):
                tail = number.removeprefix(prefix)
                if tail.isdigit():
                    highest = max(highest, int(tail))
        value = highest + 1
    else:
        value = int(row[0]) + 1
    ctx.conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
    return f"{prefix}{value}"


def place_order(ctx: Context, args: PlaceOrderArgs) -> dict[str, Any]:
    if ctx.exists("order", args.order_id):
        raise Reject("conflict", "An order with this id already exists.")
    ctx.shopper(args.shopper_id)
    fulfilment = args.fulfilment
    book_stores: list[str] = []
    if fulfilment.type == "ship_to_home":
        if not (fulfilment.address and fulfilment.address.strip()):
            raise Reject("invalid_args", "Shipping to home needs the shopper's address.")
    elif fulfilment.type == "ship_to_store":
        if not fulfilment.store_id:
            raise Reject("invalid_args", "Shipping to a store needs the store to collect from.")
        ctx.store(fulfilment.store_id)
        book_stores.append(fulfilment.store_id)
    else:
        raise Reject(
            "invalid_args",
            "An order ships from the online warehouse: choose ship to home or ship to store.",
        )
    now = utc_now()
    promos = pricing.promotions(ctx.conn)
    lines: list[dict[str, Any]] = []
    wanted: dict[str, int] = {}
    for line in args.lines:
        product = ctx.product(line.sku)
        price = pricing.unit_price(product, promos, now)
        lines.append({"sku": line.sku, "qty": line.qty, "price_cents": price})
        wanted[line.sku] = wanted.get(line.sku, 0) + line.qty
    for sku, qty in wanted.items():
        inv = ctx.inventory(ONLINE_WAREHOUSE, sku)
        if inv["available"] < qty:
            raise Reject(
                "out_of_stock",
                (
                    f"Only {inv['available']} of {sku} left"
                    if inv["available"]
                    else f"{sku} is sold out"
                )
                + " in the online warehouse;"
                " try reserving it in a store instead.",
            )
        ctx.put_stock(inv, inv["on_hand"], inv["reserved"] + qty)
    created: dict[str, Any] = {"order_id": args.order_id, "number": _order_number(ctx)}
    payment: dict[str, Any] = {"method": args.payment_method, "status": "pending"}
    status = "placed"
    if args.payment_method == "pay_by_link":
        link = PAY_LINK_BASE + secrets.token_urlsafe(12)
        payment["link"] = link
        created["payment_link"] = link
        status = "awaiting_payment"
    created["status"] = status
    ctx.book(args.shopper_id, *book_stores)
    ctx.put(
        "order",
        {
            "id": args.order_id,
            "version": 1,
            "updated_at": now,
            "number": created["number"],
            "shopper_id": args.shopper_id,
            "channel": "store",
            "store_id": ctx.device.store_id,
            "status": status,
            "fulfilment": fulfilment.model_dump(),
            "payment": payment,
            "lines": lines,
            "total_cents": sum(ln["price_cents"] * ln["qty"] for ln in lines),
            "placed_by": ctx.command.staff_id,
            "created_at": now,
        },
    )
    return created


def merge_cart_lines(
    lines: list[dict[str, Any]],
    ops: list[CartOp],
    price_of: Callable[[str], int],
    now: str,
) -> list[dict[str, Any]]:
    """Line operations applied to the current lines (a merge, never an overwrite).

    ``add`` increments (capped at 99), ``remove`` drops the line, ``set_qty`` sets it
    (0 removes). ``price_of(sku)`` is asked for new lines (it may raise :class:`Reject`).
    """
    merged: dict[str, dict[str, Any]] = {ln["sku"]: dict(ln) for ln in lines}
    for op in ops:
        if op.op == "remove":
            merged.pop(op.sku, None)
            continue
        price = price_of(op.sku)
        line = merged.get(op.sku)
        if op.op == "add":
            if op.qty < 1:
                raise Reject("invalid_args", "Adding to a cart needs a quantity of at least 1.")
            qty = min(99, (line["qty"] if line else 0) + op.qty)
        else:
            qty = op.qty
        if qty == 0:
            merged.pop(op.sku, None)
        elif line is not None:
            line["qty"] = qty
        else:
            merged[op.sku] = {"sku": op.sku, "qty": qty, "price_cents": price, "added_at": now}
    if len(merged) > 100:
        raise Reject("invalid_args", "A cart holds at most 100 different items.")
    return list(merged.values())


def _edit_cart(ctx: Context, shopper_id: str, ops: list[CartOp]) -> dict[str, Any]:
    ctx.shopper(shopper_id)
    cart_id = f"cart-{shopper_id}"
    now = utc_now()
    cart = ctx.get("cart", cart_id) or {
        "id": cart_id,
        "version": 1,
        "updated_at": now,
        "shopper_id": shopper_id,
        "channel": "web",
        "status": "active",
        "lines": [],
    }
    if cart["status"] == "converted":
        cart["lines"] = []  # a converted cart was ordered: the shopper starts a new one
    lines = merge_cart_lines(
        cart["lines"], ops, lambda sku: int(ctx.product(sku)["price_cents"]), now
    )
    ctx.book(shopper_id)
    return ctx.put("cart", {**cart, "status": "active", "lines": lines})


def update_cart(ctx: Context, args: UpdateCartArgs) -> dict[str, Any]:
    cart = _edit_cart(ctx, args.shopper_id, args.ops)
    return {"cart_id": cart["id"], "version": cart["version"], "base_version": args.base_version}


def move_wishlist_item_to_cart(ctx: Context, args: MoveWishlistItemToCartArgs) -> dict[str, Any]:
    item = ctx.get("wishlist_item", args.wishlist_item_id)
    if item is None or not ctx.visible("wishlist_item", args.wishlist_item_id):
        raise Reject("unknown_wishlist_item", "This wishlist item is not there any more.")
    cart = _edit_cart(ctx, item["shopper_id"], [CartOp(op="add", sku=item["sku"], qty=args.qty)])
    ctx.entities.delete(ctx.conn, "wishlist_item", item["id"])
    return {"cart_id": cart["id"], "version": cart["version"], "wishlist_item_id": item["id"]}


def _note(ctx: Context, note_id: str, shopper_id: str, kind: str, text: str) -> dict[str, Any]:
    if ctx.exists("note", note_id):
        raise Reject("conflict", "A note with this id already exists.")
    ctx.shopper(shopper_id)
    ctx.book(shopper_id)
    now = utc_now()
    ctx.put(
        "note",
        {
            "id": note_id,
            "version": 1,
            "updated_at": now,
            "shopper_id": shopper_id,
            "kind": kind,
            "text": text,
            "author_staff_id": ctx.command.staff_id,
            "author_name": ctx.staff_name(),
            "store_id": ctx.device.store_id,
            "created_at": now,
        },
    )
    return {"note_id": note_id}


def add_note(ctx: Context, args: AddNoteArgs) -> dict[str, Any]:
    return _note(ctx, args.note_id, args.shopper_id, args.kind, args.text)


def record_event(ctx: Context, args: RecordEventArgs) -> dict[str, Any]:
    return _note(ctx, args.note_id, args.shopper_id, args.kind, args.text)


def call_associate(ctx: Context, args: CallAssociateArgs) -> dict[str, Any]:
    if ctx.exists("task", args.task_id):
        raise Reject("conflict", "A task with this id already exists.")
    if args.shopper_id is not None:
        ctx.shopper(args.shopper_id)
        ctx.book(args.shopper_id)
    now = utc_now()
    ctx.put(
        "task",
        {
            "id": args.task_id,
            "version": 1,
            "updated_at": now,
            "store_id": ctx.device.store_id,
            "kind": "call_associate",
            "shopper_id": args.shopper_id,
            "message": args.message,
            "status": "open",
            "device_id": ctx.device.id,
            "created_at": now,
        },
    )
    return {"task_id": args.task_id}


HANDLERS: dict[str, Handler] = {
    "reserve_item": reserve_item,
    "cancel_reservation": cancel_reservation,
    "set_reservation_status": set_reservation_status,
    "place_order": place_order,
    "update_cart": update_cart,
    "move_wishlist_item_to_cart": move_wishlist_item_to_cart,
    "add_note": add_note,
    "call_associate": call_associate,
    "record_event": record_event,
}
assert set(HANDLERS) == set(registry.ARGS)


# ---------------------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------------------


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "args"
    return f"{where}: {first['msg']}"


def _authorize(ctx: Context) -> None:
    """Raise :class:`Reject` ``not_allowed`` when this device may not send this command."""
    command, device = ctx.command, ctx.device
    if device.mode == "kiosk":
        if command.name not in KIOSK_COMMANDS:
            raise Reject(
                "not_allowed",
                f"A kiosk cannot send {command.name}; an associate's tablet can.",
            )
        if command.staff_id is not None:
            raise Reject("not_allowed", "A kiosk sends commands without a member of staff.")
        return
    if command.staff_id is None:
        return
    associate = ctx.get("associate", command.staff_id)
    if (
        associate is None
        or not associate.get("active", True)
        or associate.get("store_id") != device.store_id
    ):
        raise Reject(
            "not_allowed", f"Staff id {command.staff_id} is not an associate of this store."
        )


def _rejected(command: wire.Command, reject: Reject) -> wire.CommandResult:
    return wire.CommandResult(
        id=command.id,
        number=command.number,
        status="rejected",
        code=reject.code,  # type: ignore[arg-type]
        message=reject.message,
    )


def _apply_one(ctx: Context) -> wire.CommandResult:
    command = ctx.command
    try:
        _authorize(ctx)
    except Reject as reject:
        return _rejected(command, reject)
    try:
        args = registry.parse_args(command)
    except ValidationError as error:
        return wire.CommandResult(
            id=command.id,
            number=command.number,
            status="rejected",
            code="invalid_args",
            message=f"The command's details are not valid ({_describe(error)}).",
        )
    try:
        with ctx.entities.db.savepoint("command"):
            created = HANDLERS[command.name](ctx, args)
    except Reject as reject:
        return _rejected(command, reject)
    except ValidationError as error:  # a handler built a model from bad data
        return wire.CommandResult(
            id=command.id,
            number=command.number,
            status="rejected",
            code="invalid_args",
            message=f"The command's details are not valid ({_describe(error)}).",
        )
    return wire.CommandResult(
        id=command.id, number=command.number, status="applied", created=created
    )


def apply_batch(
    db: CentralDB, entities: Entities, device: Device, commands: list[wire.Command]
) -> wire.CommandsResponse:
    results: list[wire.CommandResult] = []
    gap = False
    for command in commands:
        if gap:
            results.append(_refused(command, "gap"))
            continue
        with db.transaction() as conn:
            row = conn.execute(
                "SELECT result FROM device_commands WHERE device_id = ? AND command_id = ?",
                (device.id, command.id),
            ).fetchone()
            if row is not None:
                results.append(wire.CommandResult.model_validate_json(row[0]))
                continue
            last = _last_number(conn, device.id)
            if command.number <= last:
                results.append(_refused(command, "conflict"))
                continue
            if command.number > last + 1:
                gap = True
                results.append(_refused(command, "gap"))
                continue
            try:
                result = _apply_one(Context(conn, entities, device, command))
            except Exception as error:  # a bug, or SQLite failing: nothing of it is kept
                log.error(
                    "device %s command %d %s failed; answering 500 so it is sent again: %s",
                    device.id,
                    command.number,
                    command.name,
                    describe_failure(error),
                )
                raise CommandFailed(command.number, command.name) from error
            conn.execute(
                "INSERT INTO device_commands (device_id, number, command_id, name, result,"
                " applied_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    device.id,
                    command.number,
                    command.id,
                    command.name,
                    dumps(result.model_dump(mode="json")),
                    utc_now(),
                ),
            )
            conn.execute(
                "UPDATE devices SET last_number = ? WHERE id = ?", (command.number, device.id)
            )
            log.info(
                "device %s command %d %s: %s %s",
                device.id,
                command.number,
                command.name,
                result.status,
                result.code or "",
            )
            results.append(result)
    with db.lock:
        last = _last_number(db.conn, device.id)
    return wire.CommandsResponse(results=results, last_applied_number=last)


def _last_number(conn: sqlite3.Connection, device_id: str) -> int:
    row = conn.execute("SELECT last_number FROM devices WHERE id = ?", (device_id,)).fetchone()
    return int(row[0]) if row else 0


def _refused(command: wire.Command, code: str) -> wire.CommandResult:
    message = {
        "gap": "An earlier command has not reached central yet; this one waits for it.",
        "conflict": "Another command already has this number on this device.",
    }[code]
    return wire.CommandResult(
        id=command.id,
        number=command.number,
        status="refused",
        code=code,  # type: ignore[arg-type]
        message=message,
    )
