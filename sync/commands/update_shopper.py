"""``update_shopper``: an associate edits a shopper's record (contact details, sizes,
favourite brands, important dates, saved addresses) and records consent changes.

FOUNDATION SKELETON: the args are the contract; the checks and effects are built by the
edits branch.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.create_shopper import ConsentGiven
from sync.commands.effects import Effects
from sync.errors import InvalidInput
from sync.wire import Address, Id, ImportantDate, Model, ShortText, Sizes, Timestamp

NAME = "update_shopper"


class Edits(Model):
    """The fields changed (only those present are changed; see ``wire.EDITABLE_FIELDS``)."""

    first_name: ShortText | None = None
    last_name: ShortText | None = None
    email: Annotated[str, Field(max_length=200)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    sizes: Sizes | None = None
    favourite_brands: list[ShortText] | None = Field(default=None, max_length=20)
    important_dates: list[ImportantDate] | None = Field(default=None, max_length=10)
    addresses: list[Address] | None = Field(default=None, max_length=10)


class Args(Model):
    shopper_id: Id
    edits: Edits = Field(default_factory=Edits)
    consent: list[ConsentGiven] = Field(default_factory=list, max_length=3)
    changed_at: Timestamp  # when the associate saved: field-by-field merge decides with it


def check(c: Checks, **fields: object) -> Queued:
    raise InvalidInput({"shopper_id": "Editing is not built yet."})


EFFECTS = Effects()
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
