"""What one command module declares, and the pieces every command shares.

A command module (``sync/commands/<name>.py``) holds the whole device side of one command
(see ``docs/adding-a-command.md``):

* ``NAME`` and ``Args``: its wire args (central validates the same model);
* ``check(checks, **fields) -> Queued``: its local validation against the cache, with one
  sentence per field (:class:`Checks` gathers them), the summary a person reads on the
  outbox, and the outbox columns the read API indexes;
* ``EFFECTS``: its optimistic effects, as :class:`sync.commands.effects.Effects` hooks
  that the read modules call for every *active* outbox row of that name (pending, or
  applied and not yet settled by a pull). Nothing is written into the confirmed tables:
  the effect is an overlay computed at read time, so a rejected command's effect
  disappears by itself;
* ``SPEC``: the three together, listed in :mod:`sync.commands.registry`.

This module and the command modules import no SQLite code (central imports ``Args`` from
them); the cache type is imported for type checking only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from sync import wire
from sync.commands.effects import Effects
from sync.errors import InvalidInput
from sync.records import DeviceInfo, TaskView
from sync.rules import roles

if TYPE_CHECKING:
    from sync.store import Cache

# -- validation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Queued:
    """A checked command, ready for the outbox: its args, its summary, its index columns."""

    args: wire.Model
    summary: str
    shopper_id: str | None = None
    store_id: str | None = None
    sku: str | None = None
    target_id: str | None = None
    base: dict[str, Any] = field(default_factory=dict)


_TIMESTAMP: TypeAdapter[str] = TypeAdapter(wire.Timestamp)


Served = wire.Shopper | wire.KioskShopper
"""A shopper a command names: from the cache on a tablet, the kiosk session's projection at
a kiosk (a kiosk holds no shopper records)."""


class Checks:
    """Field checks against the cache for one command; ``errors`` maps field -> sentence.

    ``served``: at a kiosk, the shopper identified in this kiosk session (the only shopper a
    kiosk command may name).
    """

    def __init__(
        self,
        cache: Cache,
        device: DeviceInfo | None,
        served: wire.KioskShopper | None = None,
        staff_id: str | None = None,
        approved_by: str | None = None,
    ) -> None:
        self.cache = cache
        self.device = device
        self.served = served
        self.staff_id = staff_id  # the signed-in associate (None: nobody, or a kiosk)
        # a manager who approved this command on this tablet (``sync.approvals``)
        self.approved_by = approved_by
        self.errors: dict[str, str] = {}

    def _approver_role(self) -> str | None:
        """The approving manager's role by the cached record, when they are an active
        member of staff of this device's store (None otherwise)."""
        who = self.cache.associate(self.approved_by) if self.approved_by else None
        if who is None or not who.active or who.store_id != self.here:
            return None
        return who.role

    @property
    def role(self) -> str | None:
        """The role the command acts with ("associate" or "manager"; None: nobody): the
        signed-in associate's, or a manager's when one approved it
        (``sync.rules.roles.acting_role``, as central decides it)."""
        who = self.cache.associate(self.staff_id) if self.staff_id else None
        return roles.acting_role(who.role if who else None, self._approver_role())

    def approval(self) -> str | None:
        """The approving manager's staff id for the wire args (None: nobody approved);
        one who cannot approve is said at ``approved_by``."""
        if self.approved_by is None:
            return None
        who = self.cache.associate(self.approved_by)
        refusal = roles.approver_refusal(
            self.approved_by,
            self.staff_id,
            who is not None and who.active,
            who.role if who else None,
            who is not None and who.store_id == self.here,
        )
        if refusal is not None:
            self.fail("approved_by", refusal)
        return self.approved_by

    @property
    def here(self) -> str | None:
        """This device's store."""
        return self.device.store_id if self.device else None

    @property
    def is_kiosk(self) -> bool:
        return self.device is not None and self.device.mode == "kiosk"

    def fail(self, field_name: str, message: str) -> None:
        self.errors[field_name] = message

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(dict(self.errors))

    def shopper(self, shopper_id: str) -> Served | None:
        if self.is_kiosk:
            if self.served is not None and self.served.id == shopper_id:
                return self.served
            self.fail("shopper_id", "Scan your loyalty card again, please.")
            return None
        shopper = self.cache.shopper(shopper_id) if isinstance(shopper_id, str) else None
        if shopper is None:
            self.fail("shopper_id", "This shopper is not on this device; search for them again.")
        return shopper

    def product(self, sku: str, field_name: str) -> wire.Product | None:
        product = self.cache.product_model(sku) if isinstance(sku, str) and sku else None
        if product is None:
            self.fail(field_name, "Choose a product from the catalog (this one is not known).")
        return product

    def qty(self, qty: Any, field_name: str) -> int:
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= 99:
            self.fail(field_name, "Enter a quantity from 1 to 99.")
            return 0
        return qty

    def text(self, text: Any, field_name: str, limit: int, empty: str) -> str:
        clean = text.strip() if isinstance(text, str) else ""
        if not clean:
            self.fail(field_name, empty)
        elif len(clean) > limit:
            self.fail(field_name, f"Shorten the text to {limit} characters.")
        return clean

    def task(self, task_id: str, doing: str) -> TaskView | None:
        """A floor task this tablet may ``doing`` ("take", "close"): not at a kiosk, known
        here, not done yet (central decides who took it first)."""
        if self.is_kiosk:
            self.fail("task_id", f"Only an associate's tablet can {doing} a request.")
            return None
        task = self.cache.task(task_id) if isinstance(task_id, str) else None
        if task is None:
            self.fail("task_id", "This request is not on this tablet; wait for the next sync.")
        elif task.status == "done":
            self.fail("task_id", "This request is already done.")
        return task

    def timestamp(self, value: str | datetime | None, field_name: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):  # a naive datetime is the device's local time
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            return str(_TIMESTAMP.validate_python(value))
        except (ValueError, ValidationError):
            self.fail(field_name, "Choose a date and time.")
            return None

    def prices(self, skus: Iterable[str], *, promoted: bool) -> dict[str, int]:
        """Unit prices: promoted (what an order is charged) or list (what a cart line keeps)."""
        prices = {}
        for sku in skus:
            product = self.cache.product_model(sku)
            if product is not None:
                prices[sku] = (
                    self.cache.price(product).sale_cents if promoted else product.price_cents
                )
        return prices


def new_id() -> str:
    """A fresh id for a row the command creates (central keeps the client's choice)."""
    return str(uuid.uuid4())


def short(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters (for summaries)."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def full_name(shopper: Served) -> str:
    """The shopper as a summary names them; a kiosk's outbox keeps no name, only the id."""
    if isinstance(shopper, wire.KioskShopper):
        return f"shopper {shopper.id}"
    return f"{shopper.first_name} {shopper.last_name}"


def first_name(shopper: Served) -> str:
    if isinstance(shopper, wire.KioskShopper):
        return f"shopper {shopper.id}"
    return shopper.first_name


@dataclass(frozen=True)
class CommandSpec:
    """One command's device-side definition: its args, its checks, its effects."""

    name: str
    args: type[wire.Model]
    check: Callable[..., Queued]
    effects: Effects
