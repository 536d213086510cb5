"""``sign_off_day``: a manager signs off a device's day with the certificate it computed.

Who may send it: an associate tablet, for a command naming a signed-in manager of the
device's store (central reads the role from its own associate record: ``not_allowed``
otherwise); a kiosk cannot (``not_allowed``).
What it may touch: one new ``sign_off`` entity of the device's own store (id
``"{device_id}:{day}"``: a day is signed off once, ``invalid_state`` after), carrying the
manager and the time. Central checks the certificate again: it must be this device's and
this store's (``not_allowed``), clean by the rule the device used
(``sync.rules.ledger.open_reasons``), and agree with central's own record of the device
(its last applied number, the commands applied since the day's start, kind by kind:
``sync.rules.ledger.disagreements``); otherwise ``invalid_state`` saying what.

Role: only a manager of the store (``Declaration.roles``, enforced by the command
runner from central's own associate record); a manager's approval does not stand in.
"""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from central.ledger import central_view
from sync.commands.sign_off_day import Args
from sync.rules import ledger, roles
from sync.wire import utc_now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    cert = args.certificate
    if cert.device_id != ctx.device.id or cert.store_id != ctx.device.store_id:
        raise Reject("not_allowed", "A device can only sign off its own day at its own store.")
    if args.day != cert.day or args.sign_off_id != ledger.sign_off_id(cert.device_id, cert.day):
        raise Reject("invalid_args", "The sign-off names another day than its certificate.")
    if ctx.exists("sign_off", args.sign_off_id):
        raise Reject("invalid_state", f"This device's day {cert.day} is already signed off.")
    reasons = ledger.open_reasons(cert)
    if reasons:
        raise Reject("invalid_state", " ".join(reasons))
    view = central_view(ctx.conn, ctx.device.id, cert.since)
    differ = ledger.disagreements(cert, view.last_applied_number, view.today)
    if differ:
        raise Reject("invalid_state", " ".join(differ))
    now = utc_now()
    ctx.put(
        "sign_off",
        {
            "id": args.sign_off_id,
            "version": 1,
            "updated_at": now,
            "store_id": ctx.device.store_id,
            "device_id": ctx.device.id,
            "day": cert.day,
            "signed_by": ctx.author(),
            "signed_at": now,
            "certificate": cert.model_dump(mode="json"),
        },
    )
    return {"sign_off_id": args.sign_off_id}


COMMAND = Declaration(
    "sign_off_day",
    handle,
    touches="one new sign-off of the device's own day at its own store",
    roles=roles.MANAGERS,
    role_rule=roles.ACTIONS["sign_off_day"],
)
