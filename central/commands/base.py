"""What every command handler is built from: its context, its answers, its declaration.

A handler is ``handle(ctx, args) -> created``: ``args`` is the command's wire args
(``sync.commands.<name>.Args``), already validated; it raises :class:`Reject` or writes
entities through ``ctx`` and returns what it created. Its module declares who may send
it with a :class:`Declaration` named ``COMMAND``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from central.auth import Device
from central.entities import Entities
from central.integration.events import Written
from central.state import DEFAULT_OFFLINE_SIGNIN_DAYS
from central.storage.dialect import Conn
from sync import wire
from sync.rules import roles
from sync.wire import utc_now

Handler = Callable[["Context", Any], dict[str, Any]]
ShopperOf = Callable[["Context", dict[str, Any]], "str | None"]


def _shopper_arg(args: dict[str, Any]) -> str | None:
    """The ``shopper_id`` of a command's args (None when it names no shopper)."""
    value = args.get("shopper_id")
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class Declaration:
    """One command on central's side: its name, its handler, who may send it and what it
    may touch.

    Who: every associate tablet may send every command, naming the signed-in associate
    of its store and their session (``no_session``/``not_allowed`` otherwise); ``kiosk``
    says whether a kiosk may send it too (always with ``staff_id`` null); ``roles`` which
    roles of associate may send it (``sync.rules.roles``: ``ANYONE`` or ``MANAGERS``, by
    central's own associate record or a manager's approval, ``Context.acting_role``), and
    ``role_rule`` the words a refusal uses ("Only a store manager can …").
    ``batch.authorize`` enforces all three; finer rules by role stay in the handler.
    What: ``touches`` says in one sentence which records the command may create or change;
    the handler enforces it (``not_allowed`` for a record it sees but may not change,
    ``unknown_*`` for one out of its sight) and its module's docstring explains it.
    """

    name: str
    handle: Handler
    touches: str
    kiosk: bool = False
    roles: frozenset[str] = roles.ANYONE
    role_rule: str = ""  # what only ``roles`` may do, as a refusal says it
    # the shopper the command names (from its raw args): a kiosk may only name a shopper
    # it had a kiosk-shopper session for (``central.kiosk.had_session``)
    shopper: ShopperOf = lambda ctx, args: _shopper_arg(args)


def signed_in(command: wire.Command) -> wire.SignedIn | None:
    """How the command's associate signed in, as central records it (None without one): a
    command that names an associate without saying counts as vouched for offline (the
    weaker claim)."""
    if command.staff_id is None:
        return None
    return command.signed_in or "offline"


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
        conn: Conn,
        entities: Entities,
        device: Device,
        command: wire.Command,
        offline_signin_days: int = DEFAULT_OFFLINE_SIGNIN_DAYS,
    ) -> None:
        self.conn = conn
        self.entities = entities
        self.device = device
        self.command = command
        self.offline_signin_days = offline_signin_days
        # every entity this command wrote, for the events feed (``central.integration.events``)
        self.written: list[Written] = []

    def get(self, entity: str, id_: str, *, lock: bool = False) -> dict[str, Any] | None:
        """The live entity's data; ``lock``: its row stays locked until the commit (it is
        read to be changed: ``FOR UPDATE`` on PostgreSQL)."""
        row = self.conn.execute(
            "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0"
            + (self.entities.db.dialect.for_update if lock else ""),
            (entity, id_),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def exists(self, entity: str, id_: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM entities WHERE entity = ? AND id = ?", (entity, id_)
        ).fetchone()
        return row is not None

    def put(self, entity: str, data: dict[str, Any]) -> dict[str, Any]:
        """Write the entity (``Entities.put``), noted for the events feed."""
        stored = self.entities.put(self.conn, entity, data)
        self.written.append(Written(entity, stored, created=stored["version"] == 1))
        return stored

    def delete(self, entity: str, data: dict[str, Any]) -> None:
        """Remove the entity (a tombstone, ``Entities.delete``), noted for the events feed
        with ``data``, its last state."""
        self.entities.delete(self.conn, entity, str(data["id"]))
        self.written.append(Written(entity, data, created=False, deleted=True))

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

    def reservation(self, reservation_id: str) -> dict[str, Any]:
        """A reservation this device can see (any other is unknown to it)."""
        res = self.get("reservation", reservation_id)
        if res is None or not self.visible("reservation", reservation_id):
            raise Reject("unknown_reservation", "This reservation is not known to central.")
        return res

    def note_reservation_creator(self, reservation_id: str) -> None:
        """Record that this device created the reservation (central's own record)."""
        self.conn.execute(
            "INSERT INTO reservation_devices (reservation_id, device_id) VALUES (?, ?)",
            (reservation_id, self.device.id),
        )

    def created_reservation(self, reservation_id: str) -> bool:
        """Whether this device created the reservation."""
        row = self.conn.execute(
            "SELECT 1 FROM reservation_devices WHERE reservation_id = ? AND device_id = ?",
            (reservation_id, self.device.id),
        ).fetchone()
        return row is not None

    def visible(self, entity: str, id_: str) -> bool:
        """Whether the device receives this entity in its feed."""
        return self.entities.visible(self.device.store_id, entity, id_)

    def approved_by(self) -> str | None:
        """The staff id of the manager who approved this command on the sender's tablet
        (its args' ``approved_by``; None when nobody did)."""
        value = self.command.args.get("approved_by")
        return value if isinstance(value, str) and value else None

    def staff_role(self, staff_id: str | None) -> str | None:
        """``staff_id``'s role by central's own record, when they are an active member of
        staff of the device's store (None otherwise)."""
        found = self.get("associate", staff_id) if staff_id else None
        if (
            found is None
            or not found.get("active", True)
            or found.get("store_id") != self.device.store_id
        ):
            return None
        return str(found.get("role"))

    def acting_role(self) -> str | None:
        """The role this command acts with (``sync.rules.roles.acting_role``): the sender's
        by central's record, or a manager's when a manager of this store approved it."""
        return roles.acting_role(
            self.staff_role(self.command.staff_id), self.staff_role(self.approved_by())
        )

    def approver(self) -> dict[str, Any] | None:
        """The approving manager as a record carries them (``wire.Author``, vouched for on
        the sender's tablet: ``offline``), or None when nobody approved."""
        staff_id = self.approved_by()
        if staff_id is None or not roles.is_manager(self.staff_role(staff_id)):
            return None
        found = self.get("associate", staff_id) or {}
        author = wire.Author(
            staff_id=staff_id, name=str(found.get("name") or staff_id), signed_in="offline"
        )
        return author.model_dump(mode="json")

    def staff_name(self) -> str | None:
        if self.command.staff_id is None:
            return None
        associate = self.get("associate", self.command.staff_id)
        return str(associate["name"]) if associate else None

    def author(self) -> dict[str, Any] | None:
        """Who did this command, as every record it writes carries it (``wire.Author``):
        the associate's staff id and name, and ``signed_in`` ``offline`` when the device
        vouched for them offline. ``None`` at a kiosk or for a command with no associate.

        The one place authors are made: handlers put ``ctx.author()`` into the data of a
        note, a cart line, a reservation, its status changes, an order."""
        staff_id = self.command.staff_id
        if staff_id is None:
            return None
        author = wire.Author(
            staff_id=staff_id,
            name=self.staff_name() or staff_id,
            signed_in=signed_in(self.command) or "offline",  # never None: staff_id is set
        )
        return author.model_dump(mode="json")

    def put_reservation_status(
        self, res: dict[str, Any], status: str, **changed: Any
    ) -> dict[str, Any]:
        """Put reservation ``res`` with its new ``status`` (and ``changed`` fields), the
        change and its author appended to its ``changes`` (the last 100 kept)."""
        change = {"status": status, "at": utc_now(), "by": self.author()}
        changes = [*res.get("changes", []), change][-100:]
        return self.put("reservation", {**res, **changed, "status": status, "changes": changes})

    def inventory(self, store_id: str, sku: str) -> dict[str, Any]:
        row = self.get("inventory", f"{store_id}:{sku}", lock=True)
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
