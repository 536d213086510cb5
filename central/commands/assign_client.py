"""``assign_client``: who looks after a shopper at the device's store (the client book).

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``), for its
signed-in associate, whose role central reads from its own associate record
(``sync.clienteling_rules.assignment_refusal``): a manager may assign a shopper to anyone
of the store, unassign anyone and transfer a book; an associate may take on a shopper
nobody looks after here (assign to themselves) and give up their own clients. Anything
else is ``not_allowed`` with a sentence saying whose call it is.
What it may touch: client assignments of the device's own store only (``"{store}:{shopper}"``):
``assign`` and ``unassign`` one (and book the shopper into the store), ``transfer`` every
one held by ``from_staff_id`` to ``staff_id`` in the same transaction. The associate who
takes shoppers on must be an active associate of that store (``invalid_args``
otherwise); the shopper must be known (``unknown_shopper``). Assigning a shopper to whom
already looks after them, or unassigning one nobody looks after, changes nothing.

Role: any associate of the store; what they may do with the book is by role
(``sync.clienteling_rules.assignment_refusal``): a transfer is a manager's.
"""

from __future__ import annotations

import json
from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.clienteling_rules import assignment_refusal
from sync.commands.assign_client import Args
from sync.wire import utc_now


def _associate(ctx: Context, staff_id: str | None, *, taking: bool) -> dict[str, Any]:
    """An associate of the device's store; ``taking``: one who takes clients on (active)."""
    found = ctx.get("associate", staff_id) if staff_id else None
    if found is None or found.get("store_id") != ctx.device.store_id:
        raise Reject("invalid_args", "Choose an associate of this store.")
    if taking and not found.get("active", True):
        raise Reject(
            "invalid_args", f"{found['name']} no longer works here; choose an active associate."
        )
    return found


def _refuse(ctx: Context, action: str, staff_id: str | None, current: str | None) -> None:
    actor_id = ctx.command.staff_id
    refusal = assignment_refusal(
        role=ctx.acting_role(),
        actor_id=actor_id,
        action=action,
        staff_id=staff_id,
        current_staff_id=current,
    )
    if refusal is not None:
        raise Reject("not_allowed", refusal)


def _put(ctx: Context, row: dict[str, Any], staff: dict[str, Any] | None) -> dict[str, Any]:
    return ctx.put(
        "client_assignment",
        {
            **row,
            "staff_id": staff["id"] if staff else None,
            "staff_name": staff["name"] if staff else None,
            "assigned_at": utc_now(),
            "assigned_by": ctx.author(),
        },
    )


def _one(ctx: Context, args: Args) -> dict[str, Any]:
    if args.shopper_id is None:
        raise Reject("invalid_args", "Choose a shopper.")
    ctx.shopper(args.shopper_id)
    store_id = ctx.device.store_id
    row_id = f"{store_id}:{args.shopper_id}"
    current = ctx.get("client_assignment", row_id, lock=True)
    current_staff = current.get("staff_id") if current else None
    staff = _associate(ctx, args.staff_id, taking=True) if args.action == "assign" else None
    _refuse(ctx, args.action, args.staff_id, current_staff)
    ctx.book(args.shopper_id)
    wanted = staff["id"] if staff else None
    if current_staff != wanted:
        row = current or {"id": row_id, "store_id": store_id, "shopper_id": args.shopper_id}
        _put(ctx, row, staff)
    return {"assignment_id": row_id, "staff_id": wanted}


def _transfer(ctx: Context, args: Args) -> dict[str, Any]:
    giver = _associate(ctx, args.from_staff_id, taking=False)
    taker = _associate(ctx, args.staff_id, taking=True)
    if giver["id"] == taker["id"]:
        raise Reject("invalid_args", "Choose another associate to take these clients on.")
    _refuse(ctx, "transfer", taker["id"], giver["id"])
    store_id = ctx.device.store_id
    dialect = ctx.entities.db.dialect
    rows = ctx.conn.execute(
        "SELECT data FROM entities WHERE entity = 'client_assignment' AND deleted = 0 "
        f"AND id >= ? AND id < ? AND {dialect.json_text('data', 'staff_id')} = ? "
        f"ORDER BY id{dialect.for_update}",
        (f"{store_id}:", f"{store_id};", giver["id"]),
    ).fetchall()
    for (data,) in rows:
        row = json.loads(data)
        ctx.book(str(row["shopper_id"]))
        _put(ctx, row, taker)
    return {"moved": len(rows), "staff_id": taker["id"]}


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if args.action == "transfer":
        return _transfer(ctx, args)
    return _one(ctx, args)


COMMAND = Declaration(
    "assign_client",
    handle,
    touches="client assignments of the device's own store: one shopper's, or a whole book",
)
