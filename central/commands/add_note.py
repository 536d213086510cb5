"""``add_note``: an associate's note on a shopper (``central.commands.notes``).

Who may send it: an associate's tablet (a kiosk cannot: notes are for associates), for
any shopper central knows; the shopper joins the store's book.
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration
from central.commands.notes import write_note
from sync.commands.add_note import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    return write_note(ctx, args.note_id, args.shopper_id, args.kind, args.text)


COMMAND = Declaration("add_note", handle)
