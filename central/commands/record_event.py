"""``record_event``: a kiosk event or an interaction in a shopper's history, kept as a note
(``central.commands.notes``).

Who may send it: an associate's tablet or a kiosk, for any shopper central knows.
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration
from central.commands.notes import write_note
from sync.commands.record_event import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    return write_note(ctx, args.note_id, args.shopper_id, args.kind, args.text)


COMMAND = Declaration("record_event", handle, kiosk=True)
