"""``assign_client``: who looks after a shopper at this store (the client book).

``assign`` a shopper to an associate of the store, ``unassign`` them, or ``transfer``
every shopper one associate looks after here to another (a leaving associate's whole
book, in one command). Who may do which is central's call
(``sync.clienteling_rules.assignment_refusal``, enforced by
``central.commands.assign_client``); here the tablet checks what it can see: the shopper
is on this tablet, the associate taking them on works here and is active.
"""

from __future__ import annotations

from typing import Literal

from sync.commands.base import Checks, CommandSpec, Queued, full_name
from sync.commands.effects import Active, AssignmentChange, Effects
from sync.wire import Associate, Id, Model

NAME = "assign_client"

Action = Literal["assign", "unassign", "transfer"]


class Args(Model):
    action: Action
    shopper_id: Id | None = None  # assign, unassign
    staff_id: Id | None = None  # assign, transfer: who looks after them from now on
    from_staff_id: Id | None = None  # transfer: whose book moves


def _associate(c: Checks, staff_id: str | None, field: str, *, taking: bool) -> Associate | None:
    """An associate of this store; ``taking``: one who takes clients on (active)."""
    if not staff_id:
        c.fail(field, "Choose an associate.")
        return None
    found = c.cache.associate(staff_id) if isinstance(staff_id, str) else None
    if found is None or found.store_id != c.here:
        c.fail(field, "Choose an associate of this store.")
        return None
    if taking and not found.active:
        c.fail(field, f"{found.name} no longer works here; choose an active associate.")
        return None
    return found


def check(
    c: Checks,
    *,
    action: str,
    shopper_id: str | None,
    staff_id: str | None,
    from_staff_id: str | None,
) -> Queued:
    if c.is_kiosk:
        c.fail("action", "Only an associate's tablet can look after clients.")
        c.raise_if_any()
    if c.here is None:
        c.fail("store_id", "This device is not set up for a store yet.")
    if action not in ("assign", "unassign", "transfer"):
        c.fail("action", "Choose assign, unassign or transfer.")
        c.raise_if_any()
    here = c.here or ""
    if action == "transfer":
        giver = _associate(c, from_staff_id, "from_staff_id", taking=False)
        taker = _associate(c, staff_id, "staff_id", taking=True)
        if giver is not None and taker is not None and giver.id == taker.id:
            c.fail("staff_id", "Choose another associate to take these clients on.")
        moving = c.cache.book_sizes(here).get(giver.id, 0) if giver is not None else 0
        if giver is not None and not moving:
            c.fail("from_staff_id", f"{giver.name} looks after no clients here.")
        c.raise_if_any()
        assert giver is not None and taker is not None
        return Queued(
            args=Args(action="transfer", staff_id=taker.id, from_staff_id=giver.id),
            summary=f"Move {giver.name}'s {moving} client(s) to {taker.name}",
            store_id=here,
            base={"staff_name": taker.name, "moving": moving},
        )
    if not shopper_id:
        c.fail("shopper_id", "Choose a shopper.")
        c.raise_if_any()
    assert shopper_id is not None
    shopper = c.shopper(shopper_id)
    taker = _associate(c, staff_id, "staff_id", taking=True) if action == "assign" else None
    c.raise_if_any()
    assert shopper is not None
    name = full_name(shopper)
    act: Action = "assign" if taker is not None else "unassign"
    summary = f"{taker.name} looks after {name}" if taker else f"Nobody looks after {name}"
    return Queued(
        args=Args(action=act, shopper_id=shopper.id, staff_id=taker.id if taker else None),
        summary=summary,
        shopper_id=shopper.id,
        store_id=here,
        target_id=f"{here}:{shopper.id}",
        base={"staff_name": taker.name if taker else None},
    )


def assigns(a: Active) -> AssignmentChange:
    """Who looks after the shopper (or the moved book) until central's rows are pulled."""
    staff_name = a.base.get("staff_name")
    transfer = a.args.get("action") == "transfer"
    return AssignmentChange(
        store_id=a.store_id or "",
        staff_id=a.args.get("staff_id"),
        staff_name=str(staff_name) if staff_name else None,
        shopper_id=None if transfer else a.args.get("shopper_id"),
        from_staff_id=a.args.get("from_staff_id") if transfer else None,
    )


EFFECTS = Effects(table="client_assignments", assigns=assigns)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
