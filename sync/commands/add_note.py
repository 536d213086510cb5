"""``add_note``: an associate's note about a shopper."""

from __future__ import annotations

from sync.wire import Id, Model, NoteKind, NoteText

NAME = "add_note"


class Args(Model):
    note_id: Id  # chosen by the client (uuid4)
    shopper_id: Id
    text: NoteText
    kind: NoteKind = "note"
