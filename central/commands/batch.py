"""Applying a device's batch of commands exactly once, in number order.

For every command of a batch, in order:

* its id is already recorded for the device: answer the stored first result, change
  nothing;
* ``number == last + 1``: apply it, store its result and bump ``last`` in ONE
  transaction (a rejected command is recorded too: it is an answer, not a retry);
* ``number <= last`` with another id: ``refused`` / ``conflict``;
* ``number > last + 1``: ``refused`` / ``gap`` for it and everything after it.

Applying one command: :func:`authorize` reads its declaration (``handlers.COMMANDS``),
its args are validated with the wire model (``invalid_args`` when they do not fit), then
its handler runs in a savepoint, so a rejected command's partial writes are rolled back.
The events of what it wrote (``central.integration.events``) are written in that savepoint
too, once the handler has succeeded: in the command's transaction, exactly once.

A handler that crashes (a bug, SQLite failing) records nothing: the failure is logged
once (device, command number and name, where it happened; never the exception's
message, which may quote shopper data) and the batch answers 500 ``internal_error``
(:class:`CommandFailed`), so the device sends it again later.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError

from central import kiosk
from central.auth import Device, find_session, session_vouches
from central.clienteling import touches
from central.commands.base import CommandFailed, Context, Declaration, Reject, signed_in
from central.commands.handlers import COMMANDS
from central.db import CentralDB
from central.entities import Entities, dumps
from central.integration import events
from central.problems import describe_failure
from central.state import DEFAULT_OFFLINE_SIGNIN_DAYS
from central.storage.dialect import Conn
from sync import wire
from sync.commands import registry
from sync.rules import roles
from sync.rules.signin import vouched
from sync.wire import utc_now

log = logging.getLogger("clienteling.central")


def authorize(ctx: Context, declaration: Declaration) -> None:
    """Raise :class:`Reject` when this device may not send this command as it is.

    A kiosk sends only the commands declared ``kiosk=True``, always without a member of
    staff or a session (``not_allowed``), and naming only a shopper it had a kiosk-shopper
    session for (``central.kiosk.had_session``: live, or expired within the grace a queued
    command gets). An associate device names who did it (``staff_id``; ``no_session``
    when it names nobody), an active associate of the device's store (``not_allowed``), and
    the command carries a session central issued to this device for that associate at an
    online sign-in (or to a revoked device it replaces, for work done there before the
    revocation: ``central.auth.session_vouches``), done no later than that sign-in's offline
    vouching window allows (``no_session``; ``sync.rules.signin.vouched``,
    ``offline_signin_days``). Then the role (:func:`authorize_role`).
    """
    command, device = ctx.command, ctx.device
    if device.mode == "kiosk":
        if not declaration.kiosk:
            raise Reject(
                "not_allowed",
                f"A kiosk cannot send {command.name}; an associate's tablet can.",
            )
        if command.staff_id is not None or command.session_id is not None:
            raise Reject("not_allowed", "A kiosk sends commands without a member of staff.")
        shopper = declaration.shopper(ctx, command.args)
        if shopper is not None and not kiosk.had_session(ctx.conn, device.id, shopper):
            raise Reject(
                "not_allowed",
                "This kiosk did not serve this shopper (no kiosk session for them); "
                "an associate can help.",
            )
        return
    if command.staff_id is None:
        raise Reject(
            "no_session",
            "Nobody was signed in on this tablet when this was done, and central records who"
            " does what. Sign in and do it again.",
        )
    associate = ctx.get("associate", command.staff_id)
    if (
        associate is None
        or not associate.get("active", True)
        or associate.get("store_id") != device.store_id
    ):
        raise Reject(
            "not_allowed", f"Staff id {command.staff_id} is not an associate of this store."
        )
    session = None if command.session_id is None else find_session(ctx.conn, command.session_id)
    if (
        session is None
        or session.staff_id != command.staff_id
        or not session_vouches(ctx.conn, device.id, session, command.created_at)
    ):
        raise Reject(
            "no_session",
            f"{associate['name']} had not signed in online on this tablet when this was done;"
            " central cannot tell who did it. Sign in while the store is online and do it again.",
        )
    if not vouched(command.created_at, session.issued_at, ctx.offline_signin_days):
        raise Reject(
            "no_session",
            f"This was done more than {ctx.offline_signin_days} days after {associate['name']}"
            " last signed in online on this tablet. Sign in while the store is online and do"
            " it again.",
        )
    authorize_role(ctx, declaration)


def authorize_role(ctx: Context, declaration: Declaration) -> None:
    """Raise :class:`Reject` (``not_allowed``) when the command's role may not send it.

    The role is central's own record of the associate (``Context.acting_role``), never the
    device's say: a manager's, when the command carries ``approved_by`` naming an active
    manager of the device's store other than its sender (anyone else named there is
    refused with ``sync.rules.roles.approver_refusal``'s sentence). ``declaration.roles``
    says which roles may send it; the refusal names who can (``role_rule``).
    """
    approver_id = ctx.approved_by()
    if approver_id is not None:
        found = ctx.get("associate", approver_id)
        refusal = roles.approver_refusal(
            approver_id,
            ctx.command.staff_id,
            found is not None and bool(found.get("active", True)),
            found.get("role") if found else None,
            found is not None and found.get("store_id") == ctx.device.store_id,
        )
        if refusal is not None:
            raise Reject("not_allowed", refusal)
    if not roles.allowed(declaration.roles, ctx.acting_role()):
        raise Reject("not_allowed", roles.only_managers(declaration.role_rule))


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "args"
    return f"{where}: {first['msg']}"


def _answer(command: wire.Command, status: str, code: str, message: str) -> wire.CommandResult:
    return wire.CommandResult(
        id=command.id,
        number=command.number,
        status=status,  # type: ignore[arg-type]
        code=code,  # type: ignore[arg-type]
        message=message,
    )


def _rejected(command: wire.Command, code: str, message: str) -> wire.CommandResult:
    return _answer(command, "rejected", code, message)


def _invalid(command: wire.Command, error: ValidationError) -> wire.CommandResult:
    return _rejected(
        command, "invalid_args", f"The command's details are not valid ({_describe(error)})."
    )


def _apply_one(ctx: Context) -> wire.CommandResult:
    command = ctx.command
    declaration = COMMANDS[command.name]
    try:
        authorize(ctx, declaration)
    except Reject as reject:
        return _rejected(command, reject.code, reject.message)
    try:
        args = registry.parse_args(command)
    except ValidationError as error:
        return _invalid(command, error)
    try:
        with ctx.entities.db.savepoint("command"):
            created = declaration.handle(ctx, args)
            touches.after_command(ctx)  # a touch of the shopper, when the command is one
            events.emit(ctx.conn, ctx.written, ctx.device.store_id)
    except Reject as reject:
        return _rejected(command, reject.code, reject.message)
    except ValidationError as error:  # a handler built a model from bad data
        return _invalid(command, error)
    return wire.CommandResult(
        id=command.id, number=command.number, status="applied", created=created
    )


def apply_batch(
    db: CentralDB,
    entities: Entities,
    device: Device,
    commands: list[wire.Command],
    *,
    offline_signin_days: int = DEFAULT_OFFLINE_SIGNIN_DAYS,
) -> wire.CommandsResponse:
    results: list[wire.CommandResult] = []
    gap = False
    for command in commands:
        if gap:
            results.append(_refused(command, "gap"))
            continue
        with db.transaction() as conn:
            last = _last_number(conn, device.id, lock=db.dialect.for_update)
            row = conn.execute(
                "SELECT result FROM device_commands WHERE device_id = ? AND command_id = ?",
                (device.id, command.id),
            ).fetchone()
            if row is not None:
                results.append(wire.CommandResult.model_validate_json(row[0]))
                continue
            if command.number <= last:
                results.append(_refused(command, "conflict"))
                continue
            if command.number > last + 1:
                gap = True
                results.append(_refused(command, "gap"))
                continue
            try:
                result = _apply_one(Context(conn, entities, device, command, offline_signin_days))
            except Exception as error:  # a bug, or SQLite failing: nothing of it is kept
                log.error(
                    "device %s command %d %s failed; answering 500 so it is sent again: %s",
                    device.id,
                    command.number,
                    command.name,
                    describe_failure(error),
                )
                raise CommandFailed(command.number, command.name) from error
            conn.execute(
                "INSERT INTO device_commands (device_id, number, command_id, name, result,"
                " applied_at, staff_id, session_id, signed_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    device.id,
                    command.number,
                    command.id,
                    command.name,
                    dumps(result.model_dump(mode="json")),
                    utc_now(),
                    command.staff_id,
                    command.session_id,
                    signed_in(command),
                ),
            )
            conn.execute(
                "UPDATE devices SET last_number = ? WHERE id = ?", (command.number, device.id)
            )
            log.info(
                "device %s command %d %s: %s %s",
                device.id,
                command.number,
                command.name,
                result.status,
                result.code or "",
            )
            results.append(result)
    row = db.one("SELECT last_number FROM devices WHERE id = ?", (device.id,))
    last = int(row[0]) if row else 0
    return wire.CommandsResponse(results=results, last_applied_number=last)


def _last_number(conn: Conn, device_id: str, lock: str) -> int:
    """The device's last applied number, its row locked (``lock``) until the commit."""
    row = conn.execute(
        "SELECT last_number FROM devices WHERE id = ?" + lock, (device_id,)
    ).fetchone()
    return int(row[0]) if row else 0


def _refused(command: wire.Command, code: str) -> wire.CommandResult:
    message = {
        "gap": "An earlier command has not reached central yet; this one waits for it.",
        "conflict": "Another command already has this number on this device.",
    }[code]
    return _answer(command, "refused", code, message)
