"""Every command's handler module on central's side, by name.

Adding a command means one module here (``handle`` and its ``COMMAND`` declaration)
next to its module in ``sync/commands/``; the check below refuses to start when the two
lists differ.
"""

from __future__ import annotations

from central.commands import (
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
from central.commands.base import Declaration
from sync.commands import registry

COMMANDS: dict[str, Declaration] = {
    command.name: command
    for command in (
        reserve_item.COMMAND,
        cancel_reservation.COMMAND,
        set_reservation_status.COMMAND,
        place_order.COMMAND,
        update_cart.COMMAND,
        move_wishlist_item_to_cart.COMMAND,
        add_note.COMMAND,
        call_associate.COMMAND,
        record_event.COMMAND,
        take_task.COMMAND,
        close_task.COMMAND,
        create_task.COMMAND,
        update_task.COMMAND,
        update_wishlist.COMMAND,
        assign_client.COMMAND,
        send_message.COMMAND,
        create_offer.COMMAND,
        return_items.COMMAND,
        create_shopper.COMMAND,
        update_shopper.COMMAND,
        merge_shoppers.COMMAND,
        redeem_points.COMMAND,
        sign_off_day.COMMAND,
    )
}
"""Command name -> its declaration (handler, and who may send it)."""

if set(COMMANDS) != set(registry.ARGS):
    raise RuntimeError(
        "central's command handlers and sync's command registry differ: "
        f"{sorted(set(COMMANDS) ^ set(registry.ARGS))}"
    )
