"""``redeem_points``: loyalty points spent in store as a reward, off an order placed here or
toward what an exchange leaves to pay.

FOUNDATION SKELETON: the args are the contract; the checks and effects are built by the
points branch.
"""

from __future__ import annotations

from pydantic import Field

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Effects
from sync.errors import InvalidInput
from sync.wire import Id, Model

NAME = "redeem_points"


class Args(Model):
    redemption_id: Id  # chosen by the client (uuid4)
    shopper_id: Id
    points: int = Field(ge=1, le=10_000_000)
    order_id: Id | None = None  # an order placed here (it may still be queued)
    return_id: Id | None = None  # an exchange's return (toward what is left to pay)


def check(c: Checks, **fields: object) -> Queued:
    raise InvalidInput({"points": "Points are not built yet."})


EFFECTS = Effects()
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
