"""``record_event``: keep a kiosk event or an interaction in the shopper's history."""

from __future__ import annotations

from typing import Literal

from sync.wire import Id, Model, NoteText

NAME = "record_event"


class Args(Model):
    note_id: Id  # the event is kept as a Note of kind "kiosk_event" or "interaction"
    shopper_id: Id
    kind: Literal["kiosk_event", "interaction"]
    text: NoteText
