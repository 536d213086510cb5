"""Writing a note on a shopper's record, for ``add_note`` and ``record_event``."""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Reject
from sync.wire import utc_now


def write_note(ctx: Context, note_id: str, shopper_id: str, kind: str, text: str) -> dict[str, Any]:
    """A new note by the command's member of staff (none at a kiosk), at the device's store."""
    if ctx.exists("note", note_id):
        raise Reject("conflict", "A note with this id already exists.")
    ctx.shopper(shopper_id)
    ctx.book(shopper_id)
    now = utc_now()
    ctx.put(
        "note",
        {
            "id": note_id,
            "version": 1,
            "updated_at": now,
            "shopper_id": shopper_id,
            "kind": kind,
            "text": text,
            "author_staff_id": ctx.command.staff_id,
            "author_name": ctx.staff_name(),
            "author": ctx.author(),
            "store_id": ctx.device.store_id,
            "created_at": now,
        },
    )
    return {"note_id": note_id}
