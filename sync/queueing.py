"""``Commands``: every change a person makes, as a durable command in the outbox.

Each method checks its arguments for a person (``InvalidInput`` with one sentence per
field; nothing is written), then in ONE transaction takes the device's next command
number, writes the command (a fresh UUID4) to the outbox and records what its optimistic
effect needs; the read API shows the effect at once (:mod:`sync.overlay`). It returns the
:class:`sync.records.OutboxEntry`. When the method returns, the command is on disk (a
synced commit): a crash, a kill or a power cut cannot lose it.

All arguments are keyword-only. ``staff_id`` is the signed-in associate (None at a kiosk).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sync import meta, wire
from sync.commands import (
    add_note,
    call_associate,
    cancel_reservation,
    move_wishlist_item_to_cart,
    place_order,
    record_event,
    registry,
    reserve_item,
    set_reservation_status,
    update_cart,
)
from sync.errors import InvalidInput
from sync.logs import describe_exception
from sync.records import DeviceInfo, OutboxEntry
from sync.store import Cache, outbox_entry

log = logging.getLogger("clienteling.sync.commands")

DEFAULT_HOLD = timedelta(days=2)
MAX_HOLD = timedelta(days=30)

CartOpInput = update_cart.CartOp | Mapping[str, Any] | tuple[str, str] | tuple[str, str, int]
OrderLineInput = place_order.OrderLineArgs | Mapping[str, Any] | tuple[str, int]

_TIMESTAMP: TypeAdapter[str] = TypeAdapter(wire.Timestamp)


def _ts(value: str | datetime | None, field: str, errors: dict[str, str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # a naive datetime is the device's local time
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        return str(_TIMESTAMP.validate_python(value))
    except (ValueError, ValidationError):
        errors[field] = "Choose a date and time."
        return None


class Commands:
    """One method per command of ``sync.commands.registry``; see the module docstring."""

    def __init__(self, cache: Cache, device: DeviceInfo | None = None) -> None:
        self.cache = cache
        self._device = device
        self._listeners: list[Callable[[OutboxEntry], None]] = []

    @property
    def device(self) -> DeviceInfo | None:
        return self._device or self.cache.device()

    def _is_kiosk(self) -> bool:
        device = self.device
        return device is not None and device.mode == "kiosk"

    def subscribe(self, callback: Callable[[OutboxEntry], None]) -> None:
        """Call ``callback(entry)`` after each command is queued (the engine's nudge)."""
        self._listeners.append(callback)

    # -- reservations ------------------------------------------------------------------

    def reserve_item(
        self,
        *,
        shopper_id: str,
        sku: str,
        qty: int = 1,
        store_id: str | None = None,
        hold_until: str | datetime | None = None,
        notify_by: str = "sms",
        staff_id: str | None = None,
    ) -> OutboxEntry:
        """Reserve ``qty`` of ``sku`` at ``store_id`` (default: this store) for a shopper."""
        errors: dict[str, str] = {}
        shopper = self._shopper(shopper_id, errors)
        product = self._product(sku, "sku", errors)
        qty = self._qty(qty, "qty", errors)
        store_id = store_id or self._here()
        store = self.cache.store(store_id) if store_id else None
        if store is None or store.kind != "store":
            errors["store_id"] = "Choose the store where the item will be held."
        now = datetime.now(UTC)
        hold = (
            _ts(hold_until, "hold_until", errors)
            if hold_until is not None
            else ((now + DEFAULT_HOLD).strftime("%Y-%m-%dT%H:%M:%SZ"))
        )
        if hold is not None and "hold_until" not in errors:
            when = wire.parse_ts(hold)
            if when <= now:
                errors["hold_until"] = "Choose a time in the future to hold the item until."
            elif when > now + MAX_HOLD:
                errors["hold_until"] = "An item can be held for 30 days at most."
        if notify_by not in ("sms", "email", "none"):
            errors["notify_by"] = "Choose how to tell the shopper: text, email or not at all."
        elif shopper is not None and not self._is_kiosk():
            # a kiosk never holds contact details (central blanks them): central checks there
            if notify_by == "sms" and not shopper.phone:
                errors["notify_by"] = "This shopper has no mobile number; choose email."
            if notify_by == "email" and not shopper.email:
                errors["notify_by"] = "This shopper has no email address; choose text."
        if product and store and qty and "qty" not in errors:
            left = self.cache.available(product.sku, store.id)
            if left is not None and left < qty:
                errors["qty"] = (
                    f"Only {left} available at {store.name}; try another store or order online."
                )
        self._raise(errors)
        assert product is not None and store is not None and shopper is not None and hold
        rid = str(uuid.uuid4())
        args = reserve_item.Args(
            reservation_id=rid,
            store_id=store.id,
            sku=product.sku,
            qty=qty,
            shopper_id=shopper.id,
            hold_until=hold,
            notify_by=notify_by,  # type: ignore[arg-type]
        )
        summary = (
            f"Reserve {qty} × {product.name}, {product.colour}, {product.size} "
            f"at {store.name} for {shopper.first_name} {shopper.last_name}"
        )
        return self._queue(
            "reserve_item",
            args,
            summary,
            staff_id,
            shopper_id=shopper.id,
            store_id=store.id,
            sku=product.sku,
            target_id=rid,
        )

    def cancel_reservation(
        self, *, reservation_id: str, staff_id: str | None = None
    ) -> OutboxEntry:
        """Cancel a reservation (gives the held stock back)."""
        res = self.cache.reservation(reservation_id)
        if res is None:
            raise InvalidInput({"reservation_id": "This reservation is not on this device."})
        if res.status not in ("pending", "ready"):
            raise InvalidInput({"reservation_id": f"This reservation is already {res.status}."})
        args = cancel_reservation.Args(reservation_id=reservation_id)
        name = res.product.name if res.product else res.sku
        summary = f"Cancel reservation of {res.qty} × {name} for {res.shopper_name}"
        return self._queue(
            "cancel_reservation",
            args,
            summary,
            staff_id,
            shopper_id=res.shopper_id,
            store_id=res.store_id,
            sku=res.sku,
            target_id=reservation_id,
            base={"qty": res.qty, "prev_status": res.status},
        )

    def set_reservation_status(
        self, *, reservation_id: str, status: str, staff_id: str | None = None
    ) -> OutboxEntry:
        """Mark a reservation ``ready`` (picked and held) or ``collected``."""
        if status not in ("ready", "collected"):
            raise InvalidInput({"status": "Choose ready or collected."})
        res = self.cache.reservation(reservation_id)
        if res is None:
            raise InvalidInput({"reservation_id": "This reservation is not on this device."})
        if res.status not in ("pending", "ready") or res.status == status:
            raise InvalidInput({"status": f"This reservation is already {res.status}."})
        args = set_reservation_status.Args(reservation_id=reservation_id, status=status)  # type: ignore[arg-type]
        name = res.product.name if res.product else res.sku
        summary = f"Mark {res.qty} × {name} for {res.shopper_name} as {status}"
        return self._queue(
            "set_reservation_status",
            args,
            summary,
            staff_id,
            shopper_id=res.shopper_id,
            store_id=res.store_id,
            sku=res.sku,
            target_id=reservation_id,
            base={"prev_status": res.status},
        )

    # -- orders and carts --------------------------------------------------------------

    def place_order(
        self,
        *,
        shopper_id: str,
        lines: Sequence[OrderLineInput],
        fulfilment_type: str,
        payment_method: str,
        fulfilment_store_id: str | None = None,
        address: str | None = None,
        staff_id: str | None = None,
    ) -> OutboxEntry:
        """Order online for a shopper: ship_to_home (``address``) or ship_to_store
        (``fulfilment_store_id``); ``payment_method`` pay_at_till or pay_by_link."""
        errors: dict[str, str] = {}
        shopper = self._shopper(shopper_id, errors)
        parsed: list[tuple[str, int]] = []
        if not lines:
            errors["lines"] = "Add at least one item to the order."
        elif len(lines) > 50:
            errors["lines"] = "An order can have 50 lines at most."
        else:
            for raw in lines:
                if isinstance(raw, place_order.OrderLineArgs):
                    sku, qty = raw.sku, raw.qty
                elif isinstance(raw, Mapping):
                    sku, qty = raw.get("sku", ""), raw.get("qty", 1)
                else:
                    sku, qty = raw
                if self._product(str(sku), "lines", errors) is None:
                    break
                q = self._qty(qty, "lines", errors)
                if "lines" in errors:
                    break
                parsed.append((str(sku), q))
        store_id: str | None = None
        clean_address: str | None = None
        if fulfilment_type == "ship_to_home":
            clean_address = (address or "").strip()
            if not clean_address:
                errors["address"] = "Enter the delivery address."
            elif len(clean_address) > 400:
                errors["address"] = "Shorten the address to 400 characters."
        elif fulfilment_type == "ship_to_store":
            target = self.cache.store(fulfilment_store_id) if fulfilment_store_id else None
            if target is None or target.kind != "store":
                errors["fulfilment_store_id"] = "Choose the store where the shopper will collect."
            else:
                store_id = target.id
        else:
            # Orders ship from the online warehouse (central refuses carry_out).
            errors["fulfilment_type"] = "Choose delivery to home or collection in a store."
        if payment_method not in ("pay_at_till", "pay_by_link"):
            errors["payment_method"] = "Choose pay at the till or pay by link."
        self._raise(errors)
        assert shopper is not None
        merged: dict[str, int] = {}
        for sku, q in parsed:
            merged[sku] = merged.get(sku, 0) + q
        if any(q > 99 for q in merged.values()):
            raise InvalidInput({"lines": "Enter a quantity from 1 to 99."})
        order_id = str(uuid.uuid4())
        args = place_order.Args(
            order_id=order_id,
            shopper_id=shopper.id,
            lines=[place_order.OrderLineArgs(sku=s, qty=q) for s, q in merged.items()],
            fulfilment=wire.Fulfilment(
                type=fulfilment_type,  # type: ignore[arg-type]
                store_id=store_id,
                address=clean_address,
            ),
            payment_method=payment_method,  # type: ignore[arg-type]
        )
        prices = self._prices(merged)
        count = sum(merged.values())
        how = {"ship_to_home": "delivered", "ship_to_store": "to collect"}[fulfilment_type]
        summary = (
            f"Order {count} item{'s' if count != 1 else ''} for {shopper.first_name} "
            f"{shopper.last_name} ({how})"
        )
        return self._queue(
            "place_order",
            args,
            summary,
            staff_id,
            shopper_id=shopper.id,
            store_id=self._here(),
            target_id=order_id,
            base={"prices": prices},
        )

    def update_cart(
        self,
        *,
        shopper_id: str,
        ops: Sequence[CartOpInput],
        base_version: int,
        staff_id: str | None = None,
    ) -> OutboxEntry:
        """Edit a shopper's online cart: ops like ``("add", sku, 1)``, ``("remove", sku)``,
        ``("set_qty", sku, 3)``. ``base_version`` is ``ShopperProfileView.cart_version``."""
        errors: dict[str, str] = {}
        shopper = self._shopper(shopper_id, errors)
        parsed: list[update_cart.CartOp] = []
        if not ops:
            errors["ops"] = "Choose what to change in the cart."
        elif len(ops) > 50:
            errors["ops"] = "Change at most 50 cart lines at once."
        for raw in ops if len(ops) <= 50 else ():
            try:
                if isinstance(raw, update_cart.CartOp):
                    op = raw
                elif isinstance(raw, Mapping):
                    op = update_cart.CartOp.model_validate(dict(raw))
                else:
                    op = update_cart.CartOp(
                        op=raw[0],  # type: ignore[arg-type]
                        sku=raw[1],
                        qty=raw[2] if len(raw) > 2 else 1,
                    )
            except (ValidationError, IndexError, TypeError):
                errors["ops"] = "Enter a quantity from 0 to 99."
                break
            if op.op in ("add", "set_qty") and self._product(op.sku, "ops", errors) is None:
                break
            if op.op == "add" and op.qty < 1:
                errors["ops"] = "Enter a quantity from 1 to 99."
                break
            parsed.append(op)
        if not isinstance(base_version, int) or base_version < 0:
            errors["base_version"] = "Open the shopper's profile again and retry."
        self._raise(errors)
        assert shopper is not None
        args = update_cart.Args(shopper_id=shopper.id, base_version=base_version, ops=parsed)
        prices = self._prices({op.sku: 1 for op in parsed}, promoted=False)
        first = parsed[0]
        product = self.cache.product_model(first.sku)
        what = product.name if product else first.sku
        verb = {
            "add": f"add {first.qty} × {what}",
            "remove": f"remove {what}",
            "set_qty": f"set {what} to {first.qty}",
        }[first.op]
        more = f" and {len(parsed) - 1} more change(s)" if len(parsed) > 1 else ""
        summary = f"Cart of {shopper.first_name} {shopper.last_name}: {verb}{more}"
        return self._queue(
            "update_cart",
            args,
            summary,
            staff_id,
            shopper_id=shopper.id,
            sku=first.sku,
            target_id=f"cart-{shopper.id}",
            base={"prices": prices, "cart_version": base_version},
        )

    def move_wishlist_item_to_cart(
        self, *, wishlist_item_id: str, qty: int = 1, staff_id: str | None = None
    ) -> OutboxEntry:
        errors: dict[str, str] = {}
        item = self.cache.wishlist_item(wishlist_item_id)
        if item is None:
            errors["wishlist_item_id"] = "This wishlist item is no longer there."
        qty = self._qty(qty, "qty", errors)
        self._raise(errors)
        assert item is not None
        shopper = self.cache.shopper(item.shopper_id)
        profile = self.cache.shopper_profile(item.shopper_id)
        product = self.cache.product_model(item.sku)
        args = move_wishlist_item_to_cart.Args(wishlist_item_id=item.id, qty=qty)
        who = f"{shopper.first_name} {shopper.last_name}" if shopper else item.shopper_id
        summary = f"Move {product.name if product else item.sku} to the cart of {who}"
        return self._queue(
            "move_wishlist_item_to_cart",
            args,
            summary,
            staff_id,
            shopper_id=item.shopper_id,
            sku=item.sku,
            target_id=item.id,
            base={
                "prices": self._prices({item.sku: qty}, promoted=False),
                "cart_version": profile.cart_version if profile else 0,
            },
        )

    # -- notes, tasks, events ----------------------------------------------------------

    def add_note(
        self, *, shopper_id: str, text: str, kind: str = "note", staff_id: str | None = None
    ) -> OutboxEntry:
        errors: dict[str, str] = {}
        shopper = self._shopper(shopper_id, errors)
        clean = self._text(text, "text", 2000, "Write something in the note.", errors)
        if kind not in ("note", "support", "interaction"):
            errors["kind"] = "Choose note, support or interaction."
        self._raise(errors)
        assert shopper is not None
        note_id = str(uuid.uuid4())
        args = add_note.Args(note_id=note_id, shopper_id=shopper.id, text=clean, kind=kind)  # type: ignore[arg-type]
        summary = f"Note for {shopper.first_name} {shopper.last_name}: {_short(clean)}"
        return self._queue(
            "add_note",
            args,
            summary,
            staff_id,
            shopper_id=shopper.id,
            store_id=self._here(),
            target_id=note_id,
        )

    def call_associate(
        self, *, message: str, shopper_id: str | None = None, staff_id: str | None = None
    ) -> OutboxEntry:
        """A kiosk asks for an associate (a task for this store's floor)."""
        errors: dict[str, str] = {}
        if shopper_id is not None:
            self._shopper(shopper_id, errors)
        clean = self._text(message, "message", 500, "Say what you need help with.", errors)
        if self._here() is None:
            errors["store_id"] = "This device is not set up for a store yet."
        self._raise(errors)
        task_id = str(uuid.uuid4())
        args = call_associate.Args(task_id=task_id, shopper_id=shopper_id, message=clean)
        return self._queue(
            "call_associate",
            args,
            f"Call an associate: {_short(clean)}",
            staff_id,
            shopper_id=shopper_id,
            store_id=self._here(),
            target_id=task_id,
        )

    def record_event(
        self, *, shopper_id: str, kind: str, text: str, staff_id: str | None = None
    ) -> OutboxEntry:
        """Keep a kiosk event or an interaction in the shopper's history."""
        errors: dict[str, str] = {}
        shopper = self._shopper(shopper_id, errors)
        clean = self._text(text, "text", 2000, "Describe what happened.", errors)
        if kind not in ("kiosk_event", "interaction"):
            errors["kind"] = "Choose kiosk event or interaction."
        self._raise(errors)
        assert shopper is not None
        note_id = str(uuid.uuid4())
        args = record_event.Args(note_id=note_id, shopper_id=shopper.id, kind=kind, text=clean)  # type: ignore[arg-type]
        summary = f"{kind.replace('_', ' ').capitalize()} for {shopper.first_name}: {_short(clean)}"
        return self._queue(
            "record_event",
            args,
            summary,
            staff_id,
            shopper_id=shopper.id,
            store_id=self._here(),
            target_id=note_id,
        )

    # -- attention list ----------------------------------------------------------------

    def dismiss(self, command_id: str) -> None:
        """Take a rejected command off the attention list (the associate has dealt with it)."""
        with self.cache.db.write() as conn:
            row = conn.execute("SELECT state FROM outbox WHERE id = ?", (command_id,)).fetchone()
            if row is None or row[0] != "rejected":
                raise InvalidInput({"command_id": "Only a rejected action can be dismissed."})
            conn.execute("UPDATE outbox SET state = 'dismissed' WHERE id = ?", (command_id,))

    # -- internals ---------------------------------------------------------------------

    def _here(self) -> str | None:
        device = self.device
        return device.store_id if device else None

    def _shopper(self, shopper_id: str, errors: dict[str, str]) -> wire.Shopper | None:
        shopper = self.cache.shopper(shopper_id) if isinstance(shopper_id, str) else None
        if shopper is None:
            errors["shopper_id"] = "This shopper is not on this device; search for them again."
        return shopper

    def _product(self, sku: str, field: str, errors: dict[str, str]) -> wire.Product | None:
        product = self.cache.product_model(sku) if isinstance(sku, str) and sku else None
        if product is None:
            errors[field] = "Choose a product from the catalog (this one is not known)."
        return product

    @staticmethod
    def _qty(qty: Any, field: str, errors: dict[str, str]) -> int:
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= 99:
            errors[field] = "Enter a quantity from 1 to 99."
            return 0
        return qty

    @staticmethod
    def _text(text: Any, field: str, limit: int, empty: str, errors: dict[str, str]) -> str:
        clean = text.strip() if isinstance(text, str) else ""
        if not clean:
            errors[field] = empty
        elif len(clean) > limit:
            errors[field] = f"Shorten the text to {limit} characters."
        return clean

    @staticmethod
    def _raise(errors: dict[str, str]) -> None:
        if errors:
            raise InvalidInput(errors)

    def _prices(self, qty_by_sku: Mapping[str, int], promoted: bool = True) -> dict[str, int]:
        """Unit prices: promoted (what an order is charged) or list (what a cart line keeps)."""
        prices = {}
        for sku in qty_by_sku:
            product = self.cache.product_model(sku)
            if product is not None:
                prices[sku] = (
                    self.cache.price(product).sale_cents if promoted else product.price_cents
                )
        return prices

    def _queue(
        self,
        name: str,
        args: wire.Model,
        summary: str,
        staff_id: str | None,
        *,
        shopper_id: str | None = None,
        store_id: str | None = None,
        sku: str | None = None,
        target_id: str | None = None,
        base: dict[str, Any] | None = None,
    ) -> OutboxEntry:
        if staff_id is not None and not isinstance(staff_id, str):
            raise InvalidInput({"staff_id": "Sign in again."})
        command_id = str(uuid.uuid4())
        created_at = self.cache.now()
        payload = args.model_dump(mode="json")
        # The same validation central will run: fail here, never after queueing.
        registry.parse_args(
            wire.Command(
                id=command_id,
                number=1,
                name=name,  # type: ignore[arg-type]
                args=payload,
                created_at=created_at,
                staff_id=staff_id,
            )
        )
        with self.cache.db.write() as conn:
            last = max(
                int(meta.get(conn, meta.LAST_COMMAND_NUMBER, 0)),
                int(conn.execute("SELECT coalesce(max(number), 0) FROM outbox").fetchone()[0]),
            )
            number = last + 1
            conn.execute(
                "INSERT INTO outbox (id, number, name, args, summary, created_at, staff_id, "
                "shopper_id, store_id, sku, target_id, base) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    command_id,
                    number,
                    name,
                    json.dumps(payload),
                    summary,
                    created_at,
                    staff_id,
                    shopper_id,
                    store_id,
                    sku,
                    target_id,
                    json.dumps(base or {}),
                ),
            )
            meta.put(conn, meta.LAST_COMMAND_NUMBER, number)
            row = conn.execute("SELECT * FROM outbox WHERE id = ?", (command_id,)).fetchone()
        entry = outbox_entry(row)
        log.info("queued command %s #%d (%s)", name, number, command_id)
        for listener in list(self._listeners):
            try:
                listener(entry)
            except Exception as exc:  # a listener must never undo a queued command
                log.error("command listener failed: %s", describe_exception(exc))
        return entry


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
