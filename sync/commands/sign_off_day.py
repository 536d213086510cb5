"""``sign_off_day``: a manager signs off this device's day (close of day).

The device refuses while anything keeps the day open and says what
(``sync.rules.ledger.open_reasons`` on the certificate computed from the cache now,
``sync.certificate``); central checks the same certificate again against its own record
of the device (``central/commands/sign_off_day.py``). One sign-off per device and day.
"""

from __future__ import annotations

from sync.commands.base import Checks, CommandSpec, Queued
from sync.commands.effects import Active, Effects, NewSignOff
from sync.rules import ledger, roles
from sync.wire import Certificate, Id, Model
from sync.wire.ledger import Day

NAME = "sign_off_day"


class Args(Model):
    sign_off_id: Id  # "{device_id}:{day}" (``sync.rules.ledger.sign_off_id``)
    day: Day
    certificate: Certificate


def check(c: Checks) -> Queued:
    if c.is_kiosk or c.role is None:
        c.fail("day", "Only a manager signed in on a store tablet can sign off the day.")
    elif not roles.may(c.role, "sign_off_day"):
        c.fail("day", roles.reason("sign_off_day"))  # as central's runner refuses it
    c.raise_if_any()
    cert = c.cache.certificate()
    sign_off_id = ledger.sign_off_id(cert.device_id, cert.day)
    if c.cache.sign_off(cert.day) is not None:
        c.fail("day", "This device's day is already signed off.")
    reasons = ledger.open_reasons(cert)
    if reasons:
        c.fail("checklist", " ".join(reasons))
    c.raise_if_any()
    return Queued(
        args=Args(sign_off_id=sign_off_id, day=cert.day, certificate=cert),
        summary=f"Sign off the day {cert.day}",
        store_id=cert.store_id,
        target_id=sign_off_id,
    )


def new_sign_off(a: Active) -> NewSignOff:
    """The sign-off shows on the close-of-day page at once, as waiting to be sent."""
    return NewSignOff(
        id=str(a.args["sign_off_id"]),
        day=str(a.args["day"]),
        signed_by=a.staff_id or "",
        signed_at=a.created_at,
    )


EFFECTS = Effects(table="sign_offs", creates=new_sign_off)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
