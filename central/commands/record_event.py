"""``record_event``: a kiosk event or an interaction in a shopper's history, kept as a note
(``central.commands.notes``).

Who may send it: an associate's tablet or a kiosk (a kiosk only for a shopper it served:
``central.kiosk``).
What it may touch: a new note at the device's store on any shopper central knows
(``unknown_shopper`` otherwise); the shopper joins the store's book. A kiosk records only
``kiosk_event``s and a tablet only ``interaction``s (``not_allowed`` otherwise), so the
history says truly where each came from. An existing note id is a ``conflict``.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.commands.notes import write_note
from sync.commands.record_event import Args

_KIND_OF_MODE = {"kiosk": "kiosk_event", "associate": "interaction"}


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if args.kind != _KIND_OF_MODE[ctx.device.mode]:
        raise Reject(
            "not_allowed",
            "A kiosk records kiosk events, and a tablet records interactions.",
        )
    return write_note(ctx, args.note_id, args.shopper_id, args.kind, args.text)


COMMAND = Declaration(
    "record_event",
    handle,
    touches="a new note of its device's kind at the device's store on any shopper central knows",
    kiosk=True,
)
