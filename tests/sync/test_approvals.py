"""A manager's approval on an associate's tablet (``sync.approvals``): the manager's staff id
and PIN checked here, offline, like an offline sign-in; the command then carries
``approved_by`` and acts with a manager's role (``sync.rules.roles``)."""

from __future__ import annotations

import pytest

from sync import approvals, offline_pins, outbox
from sync.auth import SignIn
from sync.errors import InvalidInput, SignInError
from sync.queueing import Commands
from sync.records import Actor
from sync.store import Cache
from sync.wire import utc_now
from tests.sync.helpers import DEVICE
from tests.sync.return_support import item, put_order

CIARA = Actor("A1002", "ses-assoc", "online")  # an associate (not a manager) at S001


def _remember(cache: Cache, staff_id: str, pin: str) -> None:
    """As after that person's online sign-in on this tablet."""
    offline_pins.remember(cache, DEVICE.device_id, staff_id, pin, utc_now())


def _refused(cache: Cache, staff_id: str, pin: str) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        approvals.verify(cache, DEVICE.device_id, DEVICE.store_id, staff_id, pin)
    return caught.value.errors


def test_a_manager_of_the_store_approves_with_their_pin(cache: Cache) -> None:
    _remember(cache, "A1001", "1234")
    _remember(cache, "A1002", "2468")
    manager = approvals.verify(cache, DEVICE.device_id, DEVICE.store_id, " A1001 ", "1234")
    assert (manager.id, manager.role) == ("A1001", "manager")
    assert _refused(cache, "A1001", "9999") == {"pin": "That PIN is not right. Try again."}
    assert "not a manager" in _refused(cache, "A1002", "2468")["staff_id"]
    assert "not staff of this store" in _refused(cache, "A1005", "5678")["staff_id"]
    assert "Type the manager's staff id." in _refused(cache, "", "1234")["staff_id"]
    assert "Type the manager's PIN." in _refused(cache, "A1001", "")["pin"]


def test_a_manager_who_never_signed_in_here_is_told_to_sign_in_once(cache: Cache) -> None:
    assert "sign in once" in _refused(cache, "A1001", "1234")["staff_id"]


def test_an_approved_override_is_queued_with_the_manager(cache: Cache, commands: Commands) -> None:
    order_id = put_order(cache, days_ago=40)  # past the 30-day window
    commands.sign_in(CIARA)
    override = {"override": True, "override_reason": "Shopper was abroad"}
    base = {"order_id": order_id, "items": [item()], "refund_method": "original"}
    with pytest.raises(InvalidInput) as caught:
        commands.return_items(**base, **override)
    assert "manager" in caught.value.errors["override"]
    with pytest.raises(InvalidInput) as caught:  # an associate cannot approve
        commands.return_items(**base, **override, approved_by="A1003")
    assert "not a manager" in caught.value.errors["approved_by"]
    commands.return_items(**base, **override, approved_by="A1001")
    (sent,) = outbox.pending_batch(cache)
    assert (sent.name, sent.staff_id) == ("return_items", "A1002")
    assert sent.args["approved_by"] == "A1001" and sent.args["override"] is True


def test_five_wrong_pins_lock_the_manager_as_at_sign_in(cache: Cache) -> None:
    _remember(cache, "A1001", "1234")
    for _ in range(4):
        assert _refused(cache, "A1001", "0000") == {"pin": "That PIN is not right. Try again."}
    assert "Too many wrong PINs" in _refused(cache, "A1001", "0000")["pin"]
    # locked: even the right PIN is refused now, here and at the sign-in page
    assert "Too many wrong PINs" in _refused(cache, "A1001", "1234")["pin"]
    with pytest.raises(SignInError) as locked:
        SignIn(cache, None).check_not_locked("A1001")
    assert locked.value.reason == "locked"
