"""``create_shopper``: a new shopper signed up in store, at a tablet or a kiosk.

FOUNDATION SKELETON: the args are the contract; the checks and effects are built by the
sign-up branch.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Effects
from sync.errors import InvalidInput
from sync.wire import ConsentChannel, Id, ImportantDate, Model, ShortText, Sizes, Timestamp

NAME = "create_shopper"


class ConsentGiven(Model):
    """One channel's answer at sign-up or in an edit, with the words shown beside it."""

    channel: ConsentChannel
    granted: bool
    wording: Annotated[str, Field(min_length=1, max_length=500)]


class Args(Model):
    shopper_id: Id  # chosen by the device (uuid4): central keeps it
    first_name: ShortText
    last_name: ShortText
    email: Annotated[str, Field(max_length=200)] = ""
    phone: Annotated[str, Field(max_length=40)] = ""  # E.164
    consent: list[ConsentGiven] = Field(default_factory=list, max_length=3)
    sizes: Sizes | None = None
    important_dates: list[ImportantDate] = Field(default_factory=list, max_length=10)
    captured_at: Timestamp  # when the shopper agreed (the consent log's time)


def check(c: Checks, **fields: object) -> Queued:
    raise InvalidInput({"first_name": "Sign-up is not built yet."})


EFFECTS = Effects()
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
