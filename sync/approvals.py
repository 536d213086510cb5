"""A manager's approval on an associate's tablet: their staff id and PIN, checked here.

Where an associate needs a manager (a return outside the policy, an offer above their
limit, a merge of two records), a manager of the store types their staff id and PIN on
the same tablet. The PIN is checked as an offline sign-in is (``sync.offline_pins``: the
verifier kept when that manager last signed in online on this tablet), so it works with
the store offline; a manager who never signed in on this tablet must do so once. The
command then carries ``approved_by`` and central checks again that this staff id is an
active manager of the store (``sync.rules.roles``). Nobody is signed in or out by it.
Wrong PINs count toward the same lock-out as the sign-in page's (``sync.auth.SignIn``):
five lock the staff id on this tablet for five minutes.
"""

from __future__ import annotations

import asyncio

from sync import offline_pins, wire
from sync.auth import SignIn
from sync.errors import InvalidInput, SignInError
from sync.rules import roles
from sync.store import Cache


def verify(cache: Cache, device_id: str, store_id: str, staff_id: str, pin: str) -> wire.Associate:
    """The manager who approves, once their PIN matched (slow: scrypt; call it off the
    event loop). ``InvalidInput`` at ``staff_id`` or ``pin`` otherwise; never says which
    of a known staff id's PIN or role was wrong beyond what the person needs."""
    staff_id = staff_id.strip() if isinstance(staff_id, str) else ""
    if not staff_id:
        raise InvalidInput({"staff_id": "Type the manager's staff id."})
    if not isinstance(pin, str) or not pin:
        raise InvalidInput({"pin": "Type the manager's PIN."})
    who = cache.associate(staff_id)
    if who is None or not who.active or who.store_id != store_id:
        raise InvalidInput({"staff_id": f"Staff id {staff_id} is not staff of this store."})
    if not roles.is_manager(who.role):
        raise InvalidInput({"staff_id": f"{who.name} is not a manager; ask a store manager."})
    gate = SignIn(cache, None)
    try:
        gate.check_not_locked(staff_id)
    except SignInError as locked:
        raise InvalidInput({"pin": str(locked)}) from None
    matched = offline_pins.check(cache, device_id, staff_id, pin)
    if matched is None:
        raise InvalidInput(
            {
                "staff_id": f"{who.name} has not signed in on this tablet yet: sign in once "
                "while the store is online, then approve."
            }
        )
    if not matched:
        try:
            gate.wrong_pin(staff_id)
        except SignInError as locked:
            raise InvalidInput({"pin": str(locked)}) from None
        raise InvalidInput({"pin": "That PIN is not right. Try again."})
    gate.right_pin(staff_id)
    return who


async def check(
    cache: Cache, device_id: str, store_id: str, staff_id: str, pin: str
) -> wire.Associate | InvalidInput:
    """:func:`verify` off the event loop (scrypt in a worker thread): the manager, or the
    ``InvalidInput`` to show at the fields (returned, not raised: a person's typing)."""
    try:
        return await asyncio.to_thread(verify, cache, device_id, store_id, staff_id, pin)
    except InvalidInput as refused:
        return refused
