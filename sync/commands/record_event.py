"""``record_event``: keep a kiosk event or an interaction in the shopper's history."""

from __future__ import annotations

from typing import Literal

from sync.commands.add_note import new_note
from sync.commands.base import Checks, CommandSpec, Queued, first_name, new_id, short
from sync.commands.effects import Effects
from sync.wire import Id, Model, NoteText

NAME = "record_event"


class Args(Model):
    note_id: Id  # the event is kept as a Note of kind "kiosk_event" or "interaction"
    shopper_id: Id
    kind: Literal["kiosk_event", "interaction"]
    text: NoteText


def check(c: Checks, *, shopper_id: str, kind: str, text: str) -> Queued:
    note_id = new_id()
    shopper = c.shopper(shopper_id)
    clean = c.text(text, "text", 2000, "Describe what happened.")
    if kind not in ("kiosk_event", "interaction"):
        c.fail("kind", "Choose kiosk event or interaction.")
    c.raise_if_any()
    assert shopper is not None
    return Queued(
        args=Args(note_id=note_id, shopper_id=shopper.id, kind=kind, text=clean),  # type: ignore[arg-type]
        summary=f"{kind.replace('_', ' ').capitalize()} for {first_name(shopper)}: {short(clean)}",
        shopper_id=shopper.id,
        store_id=c.here,
        target_id=note_id,
    )


# Kept as a note (central writes a Note of this kind): it shows the way a note does.
EFFECTS = Effects(table="notes", creates=new_note)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
