"""``add_note``: an associate's note on a shopper (``central.commands.notes``).

Who may send it: an associate's tablet (a kiosk cannot: notes are for associates).
What it may touch: a new note, written at the device's store by the command's member of
staff, on any shopper central knows (``unknown_shopper`` otherwise); the shopper joins
the store's book. A note of kind ``kiosk_event`` is a kiosk's, sent with
``record_event``: ``not_allowed`` here. An existing note id is a ``conflict``: nobody
rewrites another's note.

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.commands.notes import write_note
from sync.commands.add_note import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if args.kind == "kiosk_event":
        raise Reject("not_allowed", "A kiosk event comes from a kiosk, not from a tablet.")
    return write_note(ctx, args.note_id, args.shopper_id, args.kind, args.text)


COMMAND = Declaration(
    "add_note",
    handle,
    touches="a new note at the device's store on any shopper central knows",
)
