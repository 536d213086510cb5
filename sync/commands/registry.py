"""Every command, by name: the one list both the device and central read.

Each command is one module of this package (see ``docs/adding-a-command.md``).
"""

from __future__ import annotations

from types import ModuleType

from sync import wire
from sync.commands import (
    add_note,
    call_associate,
    cancel_reservation,
    move_wishlist_item_to_cart,
    place_order,
    record_event,
    reserve_item,
    set_reservation_status,
    update_cart,
)

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
)

ARGS: dict[str, type[wire.Model]] = {m.NAME: m.Args for m in MODULES}
"""Command name -> its wire args model."""


def parse_args(command: wire.Command) -> wire.Model:
    """``command.args`` validated against the command's model (raises ``ValidationError``)."""
    return ARGS[command.name].model_validate(command.args)
