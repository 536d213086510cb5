"""Touches: every contact an associate (or a kiosk) had with a shopper, recorded by central.

A ``touch`` (``wire.Touch``) says who (the associate, or nobody at a kiosk), which store,
what kind, the record it came from, and when. Online orders are credited to the last one
before them (``sync.rules.attribution``, ``central.clienteling.attribution``).

Where touches come from, each in one place:

* a command an associate's tablet sent, once central applied it: :func:`after_command`,
  called by ``central.commands.batch`` for every applied command, finds the command in
  :data:`COMMAND_TOUCHES` (command name -> touch kind and the record it is about). A
  command not listed there touches nobody; a kiosk's command (no associate) is the
  shopper's own doing and records no touch either;
* a shopper identifying at a kiosk (``central.kiosk.open_session``): a
  ``kiosk_identification`` for the kiosk's store, with no associate.

A touch is written once, in the transaction of what caused it: a replayed command answers
its stored result and runs nothing, so it never records a second touch. Touches are
scoped like notes (every store in the shopper's book) and make no integration events.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from central.auth import Device
from central.entities import Entities
from central.integration.events import Written
from central.storage.dialect import Conn
from sync import wire
from sync.wire import parse_ts, utc_now


class Toucher(Protocol):
    """What recording a touch needs: the open transaction, entity storage, the device and
    who did it (``author()``: ``wire.Author`` data, None at a kiosk).
    ``central.commands.base.Context`` is one; :class:`KioskVisit` is another."""

    @property
    def conn(self) -> Conn: ...
    @property
    def entities(self) -> Entities: ...
    @property
    def device(self) -> Device: ...
    def author(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class KioskVisit:
    """A shopper identifying at a kiosk: the store's touch, with nobody's name on it."""

    conn: Conn
    entities: Entities
    device: Device

    def author(self) -> dict[str, Any] | None:
        return None


def _message_kind(message: dict[str, Any]) -> wire.TouchKind:
    """A message that carries the shopper's cart is a shared cart; one with an order's pay
    link is a pay link; any other is a message."""
    attachments = message.get("attachments") or {}
    if attachments.get("cart_id"):
        return "shared_cart"
    if attachments.get("pay_order_id"):
        return "pay_link"
    return "message"


@dataclass(frozen=True)
class TouchRule:
    """How an applied command touches a shopper: the ``entity`` it wrote that the touch
    names (its id is the touch's ``source_id``, its ``shopper_id`` the shopper), the touch's
    ``kind`` (or ``kind_of`` that record), and whether only a new record counts."""

    entity: str
    kind: wire.TouchKind
    kind_of: Callable[[dict[str, Any]], wire.TouchKind] | None = None
    created_only: bool = False

    def kind_for(self, data: dict[str, Any]) -> wire.TouchKind:
        return self.kind_of(data) if self.kind_of is not None else self.kind


COMMAND_TOUCHES: dict[str, TouchRule] = {
    "send_message": TouchRule("message", "message", kind_of=_message_kind),
    "add_note": TouchRule("note", "note"),
    "reserve_item": TouchRule("reservation", "reservation"),
    "update_cart": TouchRule("cart", "cart_edit"),
    "move_wishlist_item_to_cart": TouchRule("cart", "cart_edit"),
    "update_wishlist": TouchRule("wishlist_item", "cart_edit"),
    "create_offer": TouchRule("offer", "offer", created_only=True),  # not approve/decline
}
"""Command name -> the touch it records once applied: the one list of what counts as a
touch (a command not here records none)."""


def record_touch(
    ctx: Toucher,
    kind: wire.TouchKind,
    source_id: str,
    shopper_id: str,
    *,
    at: str | None = None,
    touch_id: str | None = None,
) -> dict[str, Any]:
    """Write a touch of ``shopper_id`` by the context's associate (none at a kiosk) at the
    device's store, about the record ``source_id``, at ``at`` (default: now)."""
    author = ctx.author()
    touch = wire.Touch(
        id=touch_id or f"touch-{uuid.uuid4().hex}",
        version=1,
        updated_at=utc_now(),
        shopper_id=shopper_id,
        store_id=ctx.device.store_id,
        staff_id=author["staff_id"] if author else None,
        staff_name=author["name"] if author else None,
        kind=kind,
        source_id=source_id,
        at=at or utc_now(),
    )
    data = touch.model_dump(mode="json", exclude={"version", "updated_at"})
    return ctx.entities.put(ctx.conn, "touch", data)


def _source(rule: TouchRule, written: list[Written]) -> dict[str, Any] | None:
    for w in written:
        if w.entity == rule.entity and not w.deleted and (w.created or not rule.created_only):
            return w.data
    for w in written:  # a wishlist edit that only removed items
        if w.entity == rule.entity and w.deleted and not rule.created_only:
            return w.data
    return None


class AppliedCommand(Toucher, Protocol):
    """A command's context once its handler ran (``central.commands.base.Context``)."""

    @property
    def command(self) -> wire.Command: ...
    @property
    def written(self) -> list[Written]: ...


def after_command(ctx: AppliedCommand) -> dict[str, Any] | None:
    """Record the touch of a command central just applied (:data:`COMMAND_TOUCHES`), in its
    transaction; the touch is dated when the associate did it (the command's
    ``created_at``, never later than now). None when the command touches nobody."""
    command = ctx.command
    rule = COMMAND_TOUCHES.get(command.name)
    if rule is None or command.staff_id is None:
        return None
    data = _source(rule, ctx.written)
    if data is None or not data.get("shopper_id"):
        return None
    now = utc_now()
    done = command.created_at[:19] + "Z"
    return record_touch(
        ctx,
        rule.kind_for(data),
        str(data["id"]),
        str(data["shopper_id"]),
        at=done if parse_ts(done) <= parse_ts(now) else now,
        touch_id=f"touch-{command.id}",
    )
