"""Every command, by name: the one list both the device and central read.

Each command is one module of this package (see ``docs/adding-a-command.md``): its
``SPEC`` holds its wire args, its local checks and its optimistic effects.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from sync import wire
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
from sync.commands.base import CommandSpec
from sync.commands.effects import Effects

MODULES: tuple[ModuleType, ...] = (
    reserve_item,
    cancel_reservation,
    set_reservation_status,
    place_order,
    update_cart,
    move_wishlist_item_to_cart,
    add_note,
    call_associate,
    record_event,
    take_task,
    close_task,
    create_task,
    update_task,
    update_wishlist,
    assign_client,
    send_message,
    create_offer,
    return_items,
    create_shopper,
    update_shopper,
    merge_shoppers,
    redeem_points,
    sign_off_day,
)

SPECS: dict[str, CommandSpec] = {m.SPEC.name: m.SPEC for m in MODULES}
"""Command name -> its definition."""

ARGS: dict[str, type[wire.Model]] = {name: spec.args for name, spec in SPECS.items()}
"""Command name -> its wire args model."""


def parse_args(command: wire.Command) -> wire.Model:
    """``command.args`` validated against the command's model (raises ``ValidationError``)."""
    return ARGS[command.name].model_validate(command.args)


def effects(name: str) -> Effects:
    """The optimistic effects of the command ``name`` (none for a name this app never made)."""
    spec = SPECS.get(name)
    return spec.effects if spec is not None else Effects()


def names_where(wanted: Callable[[Effects], object]) -> tuple[str, ...]:
    """The commands whose effects satisfy ``wanted`` (to load only their outbox rows)."""
    return tuple(
        name for name, spec in SPECS.items() if any(wanted(e) for e in spec.effects.parts())
    )
