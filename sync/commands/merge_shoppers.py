"""``merge_shoppers``: a manager's answer to a probable duplicate: merge the two records
into one, or keep both.

Central opened the ``duplicate_shopper`` task when a sign-up looked like a shopper it knew
(``Task.shopper_id`` the new record, ``Task.duplicate_of`` the one it may be). A manager of
the store answers on a tablet: ``merge`` folds ``merge_id`` into ``keep_id`` (orders, notes,
carts and the rest follow it, on every device), ``keep_both`` leaves both and central
does not ask again for this pair. Either way the task is done at once on this tablet.
"""

from __future__ import annotations

from typing import Literal

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Active, Effects
from sync.rules import roles
from sync.wire import Id, Model

NAME = "merge_shoppers"

DUPLICATE = "duplicate_shopper"


class Args(Model):
    task_id: Id  # the duplicate_shopper task answered
    decision: Literal["merge", "keep_both"]
    keep_id: Id  # merge: the record that stays
    merge_id: Id  # merge: the record folded into it (orders, notes, carts follow)
    # a manager of the store who approved it on this tablet (``sync.approvals``)
    approved_by: Id | None = None


def check(
    c: Checks, *, task_id: str, decision: str, keep_id: str, approved_by: str | None = None
) -> Queued:
    c.approved_by = approved_by
    task = c.task(task_id, "answer")
    if c.is_kiosk:
        c.raise_if_any()
    approved_by = c.approval()
    if not roles.may(c.role, "merge_shoppers"):
        c.fail("decision", roles.reason("merge_shoppers"))
    pair = c.cache.duplicate_pair(task_id) if task is not None else None
    if task is not None and (task.kind != DUPLICATE or pair is None):
        c.fail("task_id", "This task is not about a possible duplicate on this tablet.")
    if decision not in ("merge", "keep_both"):
        c.fail("decision", "Choose Merge or Keep both.")
    c.raise_if_any()
    assert task is not None and pair is not None
    new, known = pair
    if decision == "keep_both" or keep_id == known.id:
        keep, merge = known, new
    elif keep_id == new.id:
        keep, merge = new, known
    else:
        c.fail("keep_id", "Choose which of the two records stays.")
        c.raise_if_any()
        raise AssertionError("unreachable")
    names = f"{merge.first_name} {merge.last_name}"
    summary = (
        f"Keep both records of {names}"
        if decision == "keep_both"
        else f"Merge {names} into {keep.first_name} {keep.last_name}"
    )
    return Queued(
        args=Args(
            task_id=task.id,
            decision=decision,  # type: ignore[arg-type]
            keep_id=keep.id,
            merge_id=merge.id,
            approved_by=approved_by,
        ),
        summary=summary,
        shopper_id=keep.id,
        store_id=task.store_id,
        target_id=task.id,
    )


def answered(a: Active) -> str:
    """The task leaves the inbox at once; the merged records arrive with the next pull."""
    return "done"


EFFECTS = Effects(table="tasks", status=answered)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
