"""The sign-in rules both sides use (``sync.rules.signin``): PIN hash and lock-out."""

from __future__ import annotations

from central.auth import stored_pin
from sync.rules.signin import (
    LOCKOUT_S,
    MAX_FAILURES,
    StoredPin,
    after_wrong_pin,
    hash_pin,
    pin_matches,
)

SALT = "0123456789abcdef0123456789abcdef"


def test_a_staff_id_locks_on_the_fifth_wrong_pin_and_counts_again_after() -> None:
    count = 0
    for _ in range(MAX_FAILURES - 1):
        failures = after_wrong_pin(count, now=1000.0)
        assert failures.locked_until is None
        count = failures.count
    assert count == MAX_FAILURES - 1
    locked = after_wrong_pin(count, now=1000.0)
    assert locked.locked_until == 1000.0 + LOCKOUT_S
    assert locked.count == 0


def test_a_pin_checks_the_same_against_central_s_associate_record_and_a_stored_hash() -> None:
    digest = hash_pin("1234", SALT)
    associate = stored_pin(
        {
            "id": "A1",
            "version": 1,
            "updated_at": "2026-11-01T00:00:00Z",
            "name": "Aoife Byrne",
            "store_id": "S001",
            "role": "associate",
            "pin_salt": SALT,
            "pin_hash": digest,
        }
    )
    assert associate is not None
    stored = StoredPin(pin_salt=SALT, pin_hash=digest.upper())
    for record in (associate, stored):
        assert pin_matches("1234", record)
        assert not pin_matches("1235", record)
    assert not pin_matches("1234", StoredPin(pin_salt="not hex", pin_hash=digest))
