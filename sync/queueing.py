"""``Commands``: every change a person makes, as a durable command in the outbox.

Each method checks its arguments for a person through the command's own module
(``sync/commands/<name>.py``: ``InvalidInput`` with one sentence per field; nothing is
written), then in ONE transaction takes the device's next command number and writes the
command (a fresh UUID4) to the outbox with what its optimistic effect needs; the read API
shows the effect at once (:mod:`sync.overlay`). It returns the
:class:`sync.records.OutboxEntry`. When the method returns, the command is on disk (a
synced commit): a crash, a kill or a power cut cannot lose it.

All arguments are keyword-only. Who did it is not an argument: the associate who signs in
is bound once (:meth:`Commands.sign_in`, cleared by :meth:`Commands.sign_out`), and every
command queued meanwhile carries their staff id, the session central issued to them on
this device and whether they signed in online or offline (``wire.Command``). Nobody is
bound at a kiosk: its commands carry no staff id.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from sync import meta, wire
from sync.commands import (
    add_note,
    assign_client,
    call_associate,
    cancel_reservation,
    close_task,
    create_offer,
    create_shopper,
    create_task,
    merge_shoppers,
    move_wishlist_item_to_cart,
    place_order,
    record_event,
    redeem_points,
    registry,
    reserve_item,
    return_items,
    send_message,
    set_reservation_status,
    sign_off_day,
    take_task,
    update_cart,
    update_shopper,
    update_task,
    update_wishlist,
)
from sync.commands.base import Checks, Queued
from sync.errors import InvalidInput
from sync.logs import describe_exception
from sync.records import Actor, DeviceInfo, OutboxEntry
from sync.rules.holds import DEFAULT_HOLD, MAX_HOLD
from sync.store import Cache, outbox_entry

log = logging.getLogger("clienteling.sync.commands")

CartOpInput = update_cart.CartOpInput
OrderLineInput = place_order.OrderLineInput

__all__ = ["DEFAULT_HOLD", "MAX_HOLD", "CartOpInput", "Commands", "OrderLineInput"]


class Commands:
    """One method per command of ``sync.commands.registry``; see the module docstring."""

    def __init__(self, cache: Cache, device: DeviceInfo | None = None) -> None:
        self.cache = cache
        self._device = device
        self._listeners: list[Callable[[OutboxEntry], None]] = []
        self._actor: Actor | None = None
        # a kiosk: the shopper of the open kiosk session (memory only; ``serve``)
        self._served: wire.KioskShopper | None = None

    @property
    def device(self) -> DeviceInfo | None:
        return self._device or self.cache.device()

    @property
    def actor(self) -> Actor | None:
        """The associate the commands queued now are by (None: nobody, e.g. a kiosk)."""
        return self._actor

    def sign_in(self, actor: Actor) -> None:
        """From now on, commands are by ``actor`` (``StaffSession.actor``)."""
        self._actor = actor

    def sign_out(self) -> None:
        """From now on, commands are by nobody until the next :meth:`sign_in`."""
        self._actor = None

    def subscribe(self, callback: Callable[[OutboxEntry], None]) -> None:
        """Call ``callback(entry)`` after each command is queued (the engine's nudge)."""
        self._listeners.append(callback)

    def serve(self, shopper: wire.KioskShopper | None) -> None:
        """At a kiosk: the shopper its commands may name now (None when the session ends)."""
        self._served = shopper

    def _checks(self) -> Checks:
        actor = self._actor
        return Checks(self.cache, self.device, self._served, actor.staff_id if actor else None)

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
    ) -> OutboxEntry:
        """Reserve ``qty`` of ``sku`` at ``store_id`` (default: this store) for a shopper."""
        queued = reserve_item.check(
            self._checks(),
            shopper_id=shopper_id,
            sku=sku,
            qty=qty,
            store_id=store_id,
            hold_until=hold_until,
            notify_by=notify_by,
        )
        return self._queue(reserve_item.NAME, queued)

    def cancel_reservation(self, *, reservation_id: str) -> OutboxEntry:
        """Cancel a reservation (gives the held stock back)."""
        queued = cancel_reservation.check(self._checks(), reservation_id=reservation_id)
        return self._queue(cancel_reservation.NAME, queued)

    def set_reservation_status(self, *, reservation_id: str, status: str) -> OutboxEntry:
        """Mark a reservation ``ready`` (picked and held) or ``collected``; undo a mistake
        soon after: ``pending`` again from ready, ``ready`` again from collected."""
        queued = set_reservation_status.check(
            self._checks(), reservation_id=reservation_id, status=status
        )
        return self._queue(set_reservation_status.NAME, queued)

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
        from_cart: bool = False,
    ) -> OutboxEntry:
        """Order online for a shopper: ship_to_home (``address``) or ship_to_store
        (``fulfilment_store_id``); ``payment_method`` pay_at_till or pay_by_link.
        ``from_cart``: ordered from their online cart, so the ordered units leave it."""
        queued = place_order.check(
            self._checks(),
            shopper_id=shopper_id,
            lines=lines,
            fulfilment_type=fulfilment_type,
            payment_method=payment_method,
            fulfilment_store_id=fulfilment_store_id,
            address=address,
            from_cart=from_cart,
        )
        return self._queue(place_order.NAME, queued)

    def update_cart(
        self,
        *,
        shopper_id: str,
        ops: Sequence[CartOpInput],
        base_version: int,
    ) -> OutboxEntry:
        """Edit a shopper's online cart: ops like ``("add", sku, 1)``, ``("remove", sku)``,
        ``("set_qty", sku, 3)``. ``base_version`` is ``ShopperProfileView.cart_version``."""
        queued = update_cart.check(
            self._checks(), shopper_id=shopper_id, ops=ops, base_version=base_version
        )
        return self._queue(update_cart.NAME, queued)

    def move_wishlist_item_to_cart(self, *, wishlist_item_id: str, qty: int = 1) -> OutboxEntry:
        """Move a wishlist item into the shopper's cart."""
        queued = move_wishlist_item_to_cart.check(
            self._checks(), wishlist_item_id=wishlist_item_id, qty=qty
        )
        return self._queue(move_wishlist_item_to_cart.NAME, queued)

    def update_wishlist(
        self, *, shopper_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> OutboxEntry:
        """Add SKUs to a shopper's wishlist (one already there is left as it is) and
        remove wishlist items by id."""
        queued = update_wishlist.check(
            self._checks(), shopper_id=shopper_id, add=add, remove=remove
        )
        return self._queue(update_wishlist.NAME, queued)

    # -- notes, tasks, events ----------------------------------------------------------

    def add_note(self, *, shopper_id: str, text: str, kind: str = "note") -> OutboxEntry:
        """Write a note (or a support contact, an interaction) on a shopper."""
        queued = add_note.check(self._checks(), shopper_id=shopper_id, text=text, kind=kind)
        return self._queue(add_note.NAME, queued)

    def call_associate(self, *, message: str, shopper_id: str | None = None) -> OutboxEntry:
        """A kiosk asks for an associate (a task for this store's floor)."""
        queued = call_associate.check(self._checks(), message=message, shopper_id=shopper_id)
        return self._queue(call_associate.NAME, queued)

    def take_task(self, *, task_id: str) -> OutboxEntry:
        """ "I'm on it": the signed-in associate takes a request on the store's floor."""
        queued = take_task.check(self._checks(), task_id=task_id)
        return self._queue(take_task.NAME, queued)

    def close_task(self, *, task_id: str) -> OutboxEntry:
        """A request on the store's floor is done."""
        queued = close_task.check(self._checks(), task_id=task_id)
        return self._queue(close_task.NAME, queued)

    def record_event(self, *, shopper_id: str, kind: str, text: str) -> OutboxEntry:
        """Keep a kiosk event or an interaction in the shopper's history."""
        queued = record_event.check(self._checks(), shopper_id=shopper_id, kind=kind, text=text)
        return self._queue(record_event.NAME, queued)

    def create_task(
        self,
        *,
        message: str,
        due_at: str | datetime | None = None,
        shopper_id: str | None = None,
        owner_id: str | None = None,
    ) -> OutboxEntry:
        """A follow-up of this store: what, due when (default: the end of today), for
        which shopper, owned by whom (None: anyone in the store)."""
        queued = create_task.check(
            self._checks(),
            message=message,
            due_at=due_at,
            shopper_id=shopper_id,
            owner_id=owner_id,
        )
        return self._queue(create_task.NAME, queued)

    def update_task(
        self,
        *,
        task_id: str,
        action: Literal["done", "snooze", "reassign", "reopen"],
        until: str | datetime | None = None,
        owner_id: str | None = None,
    ) -> OutboxEntry:
        """A task is done, snoozed ``until`` a later time, reassigned to ``owner_id``, or
        reopened."""
        queued = update_task.check(
            self._checks(), task_id=task_id, action=action, until=until, owner_id=owner_id
        )
        return self._queue(update_task.NAME, queued)

    # -- attention list ----------------------------------------------------------------

    def assign_client(
        self,
        *,
        action: Literal["assign", "unassign", "transfer"],
        shopper_id: str | None = None,
        staff_id: str | None = None,
        from_staff_id: str | None = None,
    ) -> OutboxEntry:
        """Who looks after a shopper here: ``assign`` them to ``staff_id``, ``unassign``
        them, or ``transfer`` every client of ``from_staff_id`` to ``staff_id``."""
        queued = assign_client.check(
            self._checks(),
            action=action,
            shopper_id=shopper_id,
            staff_id=staff_id,
            from_staff_id=from_staff_id,
        )
        return self._queue(assign_client.NAME, queued)

    # -- reaching shoppers ------------------------------------------------------------

    def send_message(
        self,
        *,
        shopper_id: str,
        channel: str,
        purpose: str,
        body: str,
        subject: str | None = None,
        template_id: str | None = None,
        attachments: wire.Attachments | dict[str, Any] | None = None,
    ) -> OutboxEntry:
        """An email, SMS or WhatsApp message to a shopper (filled from a template and
        edited), with product cards, their cart, a look or a pay link attached."""
        queued = send_message.check(
            self._checks(),
            shopper_id=shopper_id,
            channel=channel,
            purpose=purpose,
            body=body,
            subject=subject,
            template_id=template_id,
            attachments=attachments,
        )
        return self._queue(send_message.NAME, queued)

    def create_offer(
        self,
        *,
        action: Literal["create", "approve", "decline", "cancel"] = "create",
        offer_id: str | None = None,
        shopper_id: str | None = None,
        skus: Sequence[str] = (),
        percent_off: int | None = None,
        amount_off_cents: int | None = None,
        days: int | None = None,
        note: str | None = None,
        approved_by: str | None = None,
    ) -> OutboxEntry:
        """A personal offer for a shopper on some items (``create``), or a manager's
        ``approve``/``decline`` of one above an associate's limit, or ``cancel``;
        ``approved_by``: a manager who approved it here (``sync.approvals``)."""
        queued = create_offer.check(
            self._checks(),
            approved_by=approved_by,
            action=action,
            offer_id=offer_id,
            shopper_id=shopper_id,
            skus=skus,
            percent_off=percent_off,
            amount_off_cents=amount_off_cents,
            days=days,
            note=note,
        )
        return self._queue(create_offer.NAME, queued)

    def return_items(
        self,
        *,
        order_id: str,
        items: Sequence[Mapping[str, Any]],
        refund_method: str,
        exchange: Mapping[str, Any] | None = None,
        override: bool = False,
        override_reason: str | None = None,
        approved_by: str | None = None,
    ) -> OutboxEntry:
        """Some lines of any channel's order brought back here (``items``: sku, qty,
        reason, condition, note), refunded to the original payment, as store credit, or as
        an ``exchange`` (kind ``reserve``/``order``, sku, qty, fulfilment, address);
        ``approved_by``: a manager who approved an override here (``sync.approvals``)."""
        queued = return_items.check(
            self._checks(),
            approved_by=approved_by,
            order_id=order_id,
            items=items,
            refund_method=refund_method,
            exchange=exchange,
            override=override,
            override_reason=override_reason,
        )
        return self._queue(return_items.NAME, queued)

    def create_shopper(
        self,
        *,
        first_name: str,
        last_name: str,
        email: str = "",
        phone: str = "",
        consent: Mapping[str, bool] | None = None,
        sizes: Mapping[str, str | None] | None = None,
        important_dates: Sequence[Mapping[str, Any]] = (),
    ) -> OutboxEntry:
        """A new shopper signed up here (``consent``: channel -> agreed, recorded with the
        words shown, the time and who captured it)."""
        queued = create_shopper.check(
            self._checks(),
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            consent=consent or {},
            sizes=sizes,
            important_dates=important_dates,
        )
        return self._queue(create_shopper.NAME, queued)

    def update_shopper(
        self,
        *,
        shopper_id: str,
        edits: Mapping[str, Any] | None = None,
        consent: Mapping[str, bool] | None = None,
    ) -> OutboxEntry:
        """Changes to a shopper's record (``edits``: fields of ``wire.EDITABLE_FIELDS``),
        and consent changes (channel -> agreed)."""
        queued = update_shopper.check(
            self._checks(), shopper_id=shopper_id, edits=edits or {}, consent=consent or {}
        )
        return self._queue(update_shopper.NAME, queued)

    def merge_shoppers(
        self,
        *,
        task_id: str,
        decision: Literal["merge", "keep_both"],
        keep_id: str = "",
        approved_by: str | None = None,
    ) -> OutboxEntry:
        """A manager's answer to a probable duplicate: merge into ``keep_id``, or keep both
        (``approved_by``: a manager who approved it on an associate's tablet)."""
        queued = merge_shoppers.check(
            self._checks(),
            approved_by=approved_by,
            task_id=task_id,
            decision=decision,
            keep_id=keep_id,
        )
        return self._queue(merge_shoppers.NAME, queued)

    def redeem_points(
        self,
        *,
        shopper_id: str,
        points: int,
        order_id: str | None = None,
        return_id: str | None = None,
    ) -> OutboxEntry:
        """Loyalty points off an order placed here, or toward an exchange's difference."""
        queued = redeem_points.check(
            self._checks(),
            shopper_id=shopper_id,
            points=points,
            order_id=order_id,
            return_id=return_id,
        )
        return self._queue(redeem_points.NAME, queued)

    def place_order_with_points(
        self,
        *,
        points: int,
        shopper_id: str,
        lines: Sequence[OrderLineInput],
        fulfilment_type: str,
        payment_method: str,
        fulfilment_store_id: str | None = None,
        address: str | None = None,
        from_cart: bool = False,
    ) -> tuple[OutboxEntry, OutboxEntry]:
        """``place_order`` and ``redeem_points`` on it, checked together and written in one
        transaction (both durable, or neither): the order, then the points off it."""
        checks = self._checks()
        order = place_order.check(
            checks,
            shopper_id=shopper_id,
            lines=lines,
            fulfilment_type=fulfilment_type,
            payment_method=payment_method,
            fulfilment_store_id=fulfilment_store_id,
            address=address,
            from_cart=from_cart,
        )
        order_id = str(order.target_id)
        prices: dict[str, int] = order.base.get("prices", {})
        assert isinstance(order.args, place_order.Args)
        total = sum(prices.get(ln.sku, 0) * ln.qty for ln in order.args.lines)
        spend = redeem_points.check_with_new_order(
            self._checks(),
            shopper_id=shopper_id,
            points=points,
            order_id=order_id,
            total_cents=total,
        )
        placed, redeemed = self._queue_all([(place_order.NAME, order), (redeem_points.NAME, spend)])
        return placed, redeemed

    def dismiss(self, command_id: str) -> None:
        """Take a rejected command off the attention list (the associate has dealt with it).

        Who dismissed it and when are recorded (the close-of-day certificate names them;
        dismissed on a tablet with nobody signed in, it keeps the day open). At a kiosk
        the shopper was told on screen: it is recorded as dismissed by ``"kiosk"``."""
        actor = self._actor
        device = self.device
        who = actor.staff_id if actor else ("kiosk" if device and device.mode == "kiosk" else None)
        with self.cache.db.write() as conn:
            row = conn.execute("SELECT state FROM outbox WHERE id = ?", (command_id,)).fetchone()
            if row is None or row[0] != "rejected":
                raise InvalidInput({"command_id": "Only a rejected action can be dismissed."})
            conn.execute(
                "UPDATE outbox SET state = 'dismissed', dismissed_by = ?, dismissed_at = ? "
                "WHERE id = ?",
                (who, self.cache.now(), command_id),
            )

    # -- close of day ------------------------------------------------------------------

    def sign_off_day(self) -> OutboxEntry:
        """The signed-in manager signs off this device's day: refused (``InvalidInput``,
        saying what) while anything is waiting, a rejection is open, the last sync is old
        or the cache fails its check; the certificate travels with it."""
        queued = sign_off_day.check(self._checks())
        return self._queue(sign_off_day.NAME, queued)

    # -- the outbox --------------------------------------------------------------------

    def _queue(self, name: str, queued: Queued) -> OutboxEntry:
        return self._queue_all([(name, queued)])[0]

    def _queue_all(self, commands: Sequence[tuple[str, Queued]]) -> list[OutboxEntry]:
        """Write ``commands`` to the outbox in ONE transaction, numbered in order: all are
        durable, or none is."""
        actor = self._actor
        staff_id = actor.staff_id if actor else None
        session_id = actor.session_id if actor else None
        signed_in = actor.signed_in if actor else None
        created_at = self.cache.now()
        rows: list[tuple[str, str, Queued, dict[str, Any]]] = []
        for name, queued in commands:
            command_id = str(uuid.uuid4())
            payload = queued.args.model_dump(mode="json")
            # The same validation central will run: fail here, never after queueing.
            registry.parse_args(
                wire.Command(
                    id=command_id,
                    number=1,
                    name=name,  # type: ignore[arg-type]
                    args=payload,
                    created_at=created_at,
                    staff_id=staff_id,
                    session_id=session_id,
                    signed_in=signed_in,
                )
            )
            rows.append((command_id, name, queued, payload))
        written = []
        with self.cache.db.write() as conn:
            last = max(
                int(meta.get(conn, meta.LAST_COMMAND_NUMBER, 0)),
                int(conn.execute("SELECT coalesce(max(number), 0) FROM outbox").fetchone()[0]),
            )
            for command_id, name, queued, payload in rows:
                last += 1
                conn.execute(
                    "INSERT INTO outbox (id, number, name, args, summary, created_at, staff_id, "
                    "session_id, signed_in, shopper_id, store_id, sku, target_id, base) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        command_id,
                        last,
                        name,
                        json.dumps(payload),
                        queued.summary,
                        created_at,
                        staff_id,
                        session_id,
                        signed_in,
                        queued.shopper_id,
                        queued.store_id,
                        queued.sku,
                        queued.target_id,
                        json.dumps(queued.base),
                    ),
                )
                written.append(
                    conn.execute("SELECT * FROM outbox WHERE id = ?", (command_id,)).fetchone()
                )
            meta.put(conn, meta.LAST_COMMAND_NUMBER, last)
        entries = [outbox_entry(row) for row in written]
        for entry in entries:
            log.info("queued command %s #%d (%s)", entry.name, entry.number, entry.id)
        for entry in entries:
            for listener in list(self._listeners):
                try:
                    listener(entry)
                except Exception as exc:  # noqa: BLE001 - a listener must never undo a queued command
                    log.error("command listener failed: %s", describe_exception(exc))
        return entries
