"""``add_note``: an associate's note about a shopper."""

from __future__ import annotations

from sync.commands.base import Checks, CommandSpec, Queued, full_name, new_id, short
from sync.commands.effects import Active, Effects, NewNote
from sync.wire import Id, Model, NoteKind, NoteText

NAME = "add_note"


class Args(Model):
    note_id: Id  # chosen by the client (uuid4)
    shopper_id: Id
    text: NoteText
    kind: NoteKind = "note"


def check(c: Checks, *, shopper_id: str, text: str, kind: str) -> Queued:
    note_id = new_id()
    shopper = c.shopper(shopper_id)
    clean = c.text(text, "text", 2000, "Write something in the note.")
    if kind not in ("note", "support", "interaction"):
        c.fail("kind", "Choose note, support or interaction.")
    c.raise_if_any()
    assert shopper is not None
    return Queued(
        args=Args(note_id=note_id, shopper_id=shopper.id, text=clean, kind=kind),  # type: ignore[arg-type]
        summary=f"Note for {full_name(shopper)}: {short(clean)}",
        shopper_id=shopper.id,
        store_id=c.here,
        target_id=note_id,
    )


def new_note(a: Active) -> NewNote:
    """The note shows in the shopper's history until central's copy is pulled."""
    return NewNote(
        id=a.target_id or a.id, kind=str(a.args.get("kind", "note")), text=str(a.args["text"])
    )


EFFECTS = Effects(table="notes", creates=new_note)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
