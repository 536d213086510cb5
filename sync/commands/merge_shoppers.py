"""``merge_shoppers``: a manager's answer to a probable duplicate: merge the two records
into one, or keep both.

FOUNDATION SKELETON: the args are the contract; the checks and effects are built by the
sign-up branch.
"""

from __future__ import annotations

from typing import Literal

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Effects
from sync.errors import InvalidInput
from sync.wire import Id, Model

NAME = "merge_shoppers"


class Args(Model):
    task_id: Id  # the duplicate_shopper task answered
    decision: Literal["merge", "keep_both"]
    keep_id: Id  # merge: the record that stays
    merge_id: Id  # merge: the record folded into it (orders, notes, carts follow)


def check(c: Checks, **fields: object) -> Queued:
    raise InvalidInput({"task_id": "Merging is not built yet."})


EFFECTS = Effects()
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
